//! The steps of a run. Each takes the run context and returns a report;
//! a step's own failure is data in its report, never a panic or an early
//! return of the whole run.

pub(crate) mod approve;
mod cleaner;
mod episode_cleaner;
mod handoff;
mod housekeeping;
mod immaculate;
mod recently_watched;
mod refresh;
mod rows;
mod sonarr_housekeeping;
mod sonarr_match;
mod suggest;

pub(crate) use episode_cleaner::episode_cleaner;
pub(crate) use housekeeping::{duplicate_cleaner, monitor_confirm};
pub(crate) use immaculate::immaculate_taste;
pub(crate) use recently_watched::recently_watched;
pub(crate) use refresh::{immaculate_taste_refresher, recently_watched_refresher};
pub(crate) use sonarr_housekeeping::{sonarr_monitor_confirm, sonarr_search_monitored};
pub(crate) use suggest::{LlmList, SeedCheck, check_seed};
pub use suggest::{Seed, SeedInfo};
