//! curator-core's scenario tests: small in-memory fakes of the four traits,
//! a scenario in, a report and state out.

mod cleaner;
mod fuzz;
mod housekeeping;
mod mem;
mod migrate;
mod plex_rules;
mod radarr;
mod recommend;
mod resolve;
mod rows;
mod seerr;
mod servers;
mod tv;
mod tv_housekeeping;
