//! "Ask me first": missing titles held for a person's yes or no before
//! anything is downloaded.
//!
//! With approval required for a kind (`radarr.require_approval`,
//! `sonarr.require_approval`), a run holds the missing titles it would have
//! sent in the approvals file (`approvals.json` in the data directory)
//! instead of sending them; they still count as pending in the points book.
//! `approve` (in `steps/approve.rs`, beside the hand-off it uses) sends
//! held titles exactly as a run would (the list's tags, the profile, the
//! search); [`reject`] drops them and remembers the rejection, so later
//! runs never offer them again (with or without approvals); [`forget`]
//! undoes that.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use curator_http::{MediaKind, TmdbId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::context::RunContext;
use crate::error::StateError;
use crate::radarr::MissingMovie;
use crate::report::{MovieOutcome, Outcome, StepReport};
use crate::state::DataDir;

/// How long an approvals change waits for another one to finish.
pub(crate) const FILE_LOCK_WAIT: Duration = Duration::from_secs(30);

/// A held or rejected title's id as people type it: the TMDb id for a
/// movie (`603`), `tv` and the TMDb id for a show (`tv1399`), since the two
/// id spaces overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApprovalId {
    /// Movie or show.
    pub kind: MediaKind,
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
}

impl fmt::Display for ApprovalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            MediaKind::Movie => write!(f, "{}", self.tmdb_id),
            MediaKind::Show => write!(f, "tv{}", self.tmdb_id),
        }
    }
}

/// An approval id that is not a number nor `tv` and a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an approval id (a TMDb id such as 603, or tv1399 for a show)")]
pub struct BadApprovalId(pub String);

impl FromStr for ApprovalId {
    type Err = BadApprovalId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let (kind, digits) = match trimmed.strip_prefix("tv") {
            Some(rest) => (MediaKind::Show, rest),
            None => (MediaKind::Movie, trimmed),
        };
        digits
            .parse::<u32>()
            .map(|id| Self {
                kind,
                tmdb_id: TmdbId(id),
            })
            .map_err(|_| BadApprovalId(s.to_owned()))
    }
}

/// A title waiting for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldTitle {
    /// Movie or show.
    #[serde(default)]
    pub kind: MediaKind,
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The list it came from (`similar`, `contrast`, `immaculate`): its tags
    /// are the ones it is sent with.
    pub list: String,
    /// The collection that list fills.
    pub collection: String,
    /// The watched title it was suggested for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// When it was first held.
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
}

impl HeldTitle {
    /// Its id.
    pub fn id(&self) -> ApprovalId {
        ApprovalId {
            kind: self.kind,
            tmdb_id: self.tmdb_id,
        }
    }
}

/// A title a person said no to: never offered again until forgotten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedTitle {
    /// Movie or show.
    #[serde(default)]
    pub kind: MediaKind,
    /// Its TMDb id.
    pub tmdb_id: TmdbId,
    /// Its title.
    pub title: String,
    /// Its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// When it was rejected.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl RejectedTitle {
    /// Its id.
    pub fn id(&self) -> ApprovalId {
        ApprovalId {
            kind: self.kind,
            tmdb_id: self.tmdb_id,
        }
    }
}

/// The approvals file: what waits, and what was rejected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approvals {
    /// Titles waiting, oldest first.
    #[serde(default)]
    pub waiting: Vec<HeldTitle>,
    /// Titles rejected, oldest first.
    #[serde(default)]
    pub rejected: Vec<RejectedTitle>,
}

impl Approvals {
    /// The waiting title with `id`.
    pub fn held(&self, id: ApprovalId) -> Option<&HeldTitle> {
        self.waiting.iter().find(|h| h.id() == id)
    }

    /// True when `id` was rejected.
    pub fn is_rejected(&self, id: ApprovalId) -> bool {
        self.rejected.iter().any(|r| r.id() == id)
    }
}

/// Which held titles an action is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every waiting title.
    All,
    /// These ids.
    Ids(Vec<ApprovalId>),
}

/// What [`approve`](crate::approval::approve) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApprovalReport {
    /// Each approved title's outcome (sent, already in Radarr, failed, ...).
    pub titles: Vec<MovieOutcome>,
    /// Ids asked for that were not waiting.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
    /// Problems that did not stop the others.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// Things worth telling the user.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What [`reject`] or [`forget`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decided {
    /// The titles it applied to.
    pub titles: Vec<RejectedTitle>,
    /// Ids asked for that it did not apply to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

/// Reads the approvals file (empty when there is none yet).
///
/// # Errors
/// [`StateError::Corrupt`] or [`StateError::TooNew`] as for the other
/// state files; [`StateError::Io`] when it cannot be read.
pub fn load(data: &DataDir) -> Result<Approvals, StateError> {
    data.load_versioned_or_default(&data.approvals_path())
}

/// Where a run's missing titles came from, for the approvals list.
pub(crate) struct Origin<'a> {
    pub(crate) kind: MediaKind,
    pub(crate) list: &'a str,
    pub(crate) collection: &'a str,
    pub(crate) seed: Option<String>,
    /// Hold the titles for approval (else only rejected ones are dropped).
    pub(crate) hold: bool,
}

/// Splits a run's `missing` titles into those to send now and the outcomes
/// of the others: rejected ones are dropped, and with approval required the
/// rest are held in the approvals file (in a dry run, only planned).
pub(crate) async fn screen(
    ctx: &RunContext,
    origin: &Origin<'_>,
    missing: &[MissingMovie],
    report: &mut StepReport,
) -> (Vec<MissingMovie>, BTreeMap<TmdbId, Outcome>) {
    let mut outcomes = BTreeMap::new();
    if missing.is_empty() {
        return (Vec::new(), outcomes);
    }
    let hold = origin.hold;
    let changed = update(&ctx.data, ctx.dry_run(), |book| {
        let mut send = Vec::new();
        let mut held = 0;
        for m in missing {
            let id = ApprovalId {
                kind: origin.kind,
                tmdb_id: m.tmdb_id,
            };
            if book.is_rejected(id) {
                outcomes.insert(m.tmdb_id, Outcome::Rejected);
            } else if hold {
                if book.held(id).is_none() {
                    book.waiting.push(HeldTitle {
                        kind: origin.kind,
                        tmdb_id: m.tmdb_id,
                        title: m.title.clone(),
                        year: m.year,
                        list: origin.list.to_owned(),
                        collection: origin.collection.to_owned(),
                        seed: origin.seed.clone(),
                        since: OffsetDateTime::now_utc(),
                    });
                    held += 1;
                }
                outcomes.insert(m.tmdb_id, Outcome::WaitingForApproval);
            } else {
                send.push(m.clone());
            }
        }
        (send, held)
    })
    .await;
    match changed {
        Ok((send, held)) => {
            if ctx.dry_run() && held > 0 {
                report.planned.push(format!(
                    "hold {held} {}(s) for approval in {}",
                    origin.kind,
                    ctx.data.approvals_path().display()
                ));
            }
            (send, outcomes)
        }
        Err(error) => {
            // Without the file, a rejection or a hold cannot be honoured:
            // nothing is sent.
            report.failures.push(error.to_string());
            let outcomes = missing
                .iter()
                .map(|m| {
                    (
                        m.tmdb_id,
                        Outcome::Failed("not sent: the approvals file could not be used".into()),
                    )
                })
                .collect();
            (Vec::new(), outcomes)
        }
    }
}

/// Reads the approvals file, applies `change`, and writes it back when it
/// changed (never in a dry run), under the approvals lock so a rejection
/// from the page and a run never overwrite each other.
pub(crate) async fn update<T>(
    data: &DataDir,
    dry_run: bool,
    change: impl FnOnce(&mut Approvals) -> T,
) -> Result<T, StateError> {
    // A dry run writes nothing, so it needs no lock (and creates no
    // directory for one).
    let _lock = if dry_run {
        None
    } else {
        Some(data.lock_approvals(FILE_LOCK_WAIT).await?)
    };
    let mut book = load(data)?;
    let before = book.clone();
    let result = change(&mut book);
    if !dry_run && book != before {
        data.save_versioned(&data.approvals_path(), &book)?;
    }
    Ok(result)
}

/// The ids of `selection` among `book`'s waiting titles, and the ids that
/// are not waiting.
pub(crate) fn pick(book: &Approvals, selection: &Selection) -> (Vec<HeldTitle>, Vec<String>) {
    match selection {
        Selection::All => (book.waiting.clone(), Vec::new()),
        Selection::Ids(ids) => {
            let mut found = Vec::new();
            let mut unknown = Vec::new();
            for id in ids {
                match book.held(*id) {
                    Some(h) if !found.contains(h) => found.push(h.clone()),
                    Some(_) => {}
                    None => unknown.push(id.to_string()),
                }
            }
            (found, unknown)
        }
    }
}

/// Drops the selected waiting titles and remembers them as rejected: no
/// later run offers them again.
///
/// # Errors
/// [`StateError`] when the approvals file cannot be read or written.
pub async fn reject(data: &DataDir, selection: &Selection) -> Result<Decided, StateError> {
    update(data, false, |book| {
        let (chosen, unknown) = pick(book, selection);
        let at = OffsetDateTime::now_utc();
        let ids: Vec<ApprovalId> = chosen.iter().map(HeldTitle::id).collect();
        book.waiting.retain(|h| !ids.contains(&h.id()));
        let titles: Vec<RejectedTitle> = chosen
            .into_iter()
            .map(|h| RejectedTitle {
                kind: h.kind,
                tmdb_id: h.tmdb_id,
                title: h.title,
                year: h.year,
                at,
            })
            .collect();
        book.rejected.extend(titles.iter().cloned());
        Decided { titles, unknown }
    })
    .await
}

/// Forgets the rejection of `ids`: later runs may offer them again.
///
/// # Errors
/// [`StateError`] when the approvals file cannot be read or written.
pub async fn forget(data: &DataDir, ids: &[ApprovalId]) -> Result<Decided, StateError> {
    update(data, false, |book| {
        let mut decided = Decided::default();
        for id in ids {
            match book.rejected.iter().position(|r| r.id() == *id) {
                Some(at) => decided.titles.push(book.rejected.remove(at)),
                None => decided.unknown.push(id.to_string()),
            }
        }
        decided
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_people_type_them() {
        let movie: ApprovalId = "603".parse().unwrap();
        assert_eq!(movie.kind, MediaKind::Movie);
        assert_eq!(movie.tmdb_id, TmdbId(603));
        assert_eq!(movie.to_string(), "603");
        let show: ApprovalId = "tv1399".parse().unwrap();
        assert_eq!(show.kind, MediaKind::Show);
        assert_eq!(show.to_string(), "tv1399");
        assert!("matrix".parse::<ApprovalId>().is_err());
        assert!("tv".parse::<ApprovalId>().is_err());
    }
}
