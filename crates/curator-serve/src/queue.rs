//! The durable job queue: one JSON file per job in `queue/pending/` of the
//! data directory, written and synced before the event is acknowledged,
//! moved to `queue/done/` (with its outcome) when the job has run.
//!
//! A job whose file is still in `pending/` when the server starts runs
//! again from its first step: it was accepted but not finished. One
//! started `max_attempts` times is parked as failed instead.

use std::collections::VecDeque;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_app::JobKind;
use curator_core::{Seed, write_atomic};
use curator_http::{MediaKind, TmdbId, TvdbId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::{Notify, watch};

/// The queue's folder in the data directory.
pub(crate) const QUEUE_DIR: &str = "queue";
/// Finished jobs kept in `queue/done/`.
const KEEP_DONE: usize = 100;
const SCHEMA_VERSION: u32 = 1;

fn is_movie(kind: &MediaKind) -> bool {
    *kind == MediaKind::Movie
}

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum JobSpec {
    /// The whole pipeline for a watched movie, or an episode's show.
    Watched {
        /// Its title.
        title: String,
        /// Movie or show (a job file written before TV knew none: movie).
        #[serde(default, skip_serializing_if = "is_movie")]
        media: MediaKind,
        /// A show's TVDB id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tvdb_id: Option<u32>,
        /// Its year.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        year: Option<i32>,
        /// Its TMDb id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tmdb_id: Option<u32>,
        /// Its Plex rating key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating_key: Option<String>,
    },
    /// One of the jobs without a movie.
    Job {
        /// Which.
        job: JobKind,
    },
    /// A movie or show arrived (Radarr or Sonarr imported it, Plex added
    /// it): the pending ones of its kind Plex has are promoted and that
    /// kind's Immaculate Taste collection written, without an LLM request
    /// or a full run.
    Arrived {
        /// Its title, as the event gave it.
        title: String,
        /// Movie or show (a job file written before shows: movie).
        #[serde(default, skip_serializing_if = "is_movie")]
        media: MediaKind,
        /// A show's TVDB id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tvdb_id: Option<u32>,
        /// Its year.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        year: Option<i32>,
        /// Its TMDb id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tmdb_id: Option<u32>,
    },
    /// One of the jobs without a movie as a dry run: reads everything,
    /// changes nothing, plans (the page's "Plan duplicates").
    Plan {
        /// Which.
        job: JobKind,
    },
    /// Send titles waiting for approval, as a run would.
    Approve {
        /// Their approval ids (`603`, `tv1399`); empty: every waiting one.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ids: Vec<String>,
    },
}

impl JobSpec {
    /// A run for `seed`.
    pub fn watched(seed: &Seed) -> Self {
        Self::Watched {
            title: seed.title.clone(),
            media: seed.kind,
            tvdb_id: seed.tvdb_id.map(|id| id.0),
            year: seed.year,
            tmdb_id: seed.tmdb_id.map(|id| id.0),
            rating_key: seed.rating_key.clone(),
        }
    }

    /// The seed of a watched-movie run.
    pub(crate) fn seed(&self) -> Option<Seed> {
        match self {
            Self::Watched {
                title,
                media,
                tvdb_id,
                year,
                tmdb_id,
                rating_key,
            } => Some(Seed {
                title: title.clone(),
                year: *year,
                tmdb_id: tmdb_id.map(TmdbId),
                rating_key: rating_key.clone(),
                kind: *media,
                tvdb_id: tvdb_id.map(TvdbId),
            }),
            Self::Job { .. } | Self::Arrived { .. } | Self::Plan { .. } | Self::Approve { .. } => {
                None
            }
        }
    }

    /// What the job is, for people.
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Watched {
                title, year, media, ..
            } => {
                let what = match media {
                    MediaKind::Movie => "",
                    MediaKind::Show => "an episode of ",
                };
                match year {
                    Some(y) => format!("watched {what}{title} ({y})"),
                    None => format!("watched {what}{title}"),
                }
            }
            Self::Job { job } => job.name().to_owned(),
            Self::Arrived {
                title, year, media, ..
            } => {
                let what = match media {
                    MediaKind::Movie => "",
                    MediaKind::Show => "the show ",
                };
                match year {
                    Some(y) => format!("arrived {what}{title} ({y})"),
                    None => format!("arrived {what}{title}"),
                }
            }
            Self::Plan { job } => format!("plan {} (dry run)", job.name()),
            Self::Approve { ids } if ids.is_empty() => "approve every waiting title".to_owned(),
            Self::Approve { ids } => format!("approve {}", ids.join(", ")),
        }
    }

    /// True when both are the same work: the same job kind, or the same
    /// movie (or show). A movie is known by its TMDb id when both events
    /// gave one (Plex does), else by its normalised title and year
    /// (Tautulli usually has no id; both take the title from Plex); a
    /// show the same way, by its TVDB id first. Movies and shows are never
    /// the same work (TMDb numbers them apart, so one number may be both).
    pub(crate) fn same_work(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Job { job: a }, Self::Job { job: b }) => a == b,
            // One arrival job promotes every movie (or show) that arrived.
            (Self::Arrived { media: a, .. }, Self::Arrived { media: b, .. }) => a == b,
            (Self::Plan { job: a }, Self::Plan { job: b }) => a == b,
            (
                Self::Watched {
                    title: a_title,
                    media: a_media,
                    tvdb_id: a_tvdb,
                    year: a_year,
                    tmdb_id: a_id,
                    ..
                },
                Self::Watched {
                    title: b_title,
                    media: b_media,
                    tvdb_id: b_tvdb,
                    year: b_year,
                    tmdb_id: b_id,
                    ..
                },
            ) if a_media == b_media => match (a_tvdb, b_tvdb, a_id, b_id) {
                (Some(a), Some(b), _, _) if *a_media == MediaKind::Show => a == b,
                (_, _, Some(a), Some(b)) => a == b,
                _ => {
                    a_year == b_year
                        && curator_core::normalize_title(a_title)
                            == curator_core::normalize_title(b_title)
                }
            },
            _ => false,
        }
    }
}

/// An accepted job, as stored in `queue/pending/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Job {
    pub(crate) schema_version: u32,
    pub(crate) id: String,
    pub(crate) spec: JobSpec,
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) accepted_at: OffsetDateTime,
    /// Where each event for it came from (`plex webhook, alice`), in order.
    pub(crate) sources: Vec<String>,
    /// Times the server started it (more than 1 after a crash).
    #[serde(default)]
    pub(crate) attempts: u32,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum JobOutcome {
    /// Every step ran without a problem.
    Ok,
    /// It ran, but a step failed or reported problems.
    Problems,
    /// It could not run (a lock held too long, a damaged state file).
    Failed,
}

impl JobOutcome {
    pub(crate) const ALL: [Self; 3] = [Self::Ok, Self::Problems, Self::Failed];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Problems => "problems",
            Self::Failed => "failed",
        }
    }
}

/// A finished job, as stored in `queue/done/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Finished {
    #[serde(flatten)]
    pub(crate) job: Job,
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) finished_at: OffsetDateTime,
    pub(crate) outcome: JobOutcome,
    /// True when the job only planned (a dedupe with the cleaner off).
    #[serde(default)]
    pub(crate) dry_run: bool,
    /// Why it could not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
    /// The run's report as the CLI prints it.
    #[serde(default)]
    pub(crate) lines: Vec<String>,
    /// The duplicate cleaner's block of the report, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dedupe: Option<Vec<String>>,
    /// The run's report as `--report` writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) report: Option<serde_json::Value>,
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum JobState {
    /// Waiting for its turn.
    Pending,
    /// Waiting for another curator run to release the data directory.
    Waiting,
    /// Running.
    Running,
    /// Finished.
    Done,
}

/// What [`Queue::push`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    /// The job that will do the work (an existing one when coalesced).
    pub(crate) id: String,
    /// True when the event joined a job already accepted.
    pub(crate) coalesced: bool,
}

#[derive(Debug, Default)]
struct Inner {
    pending: VecDeque<Job>,
    running: Option<(Job, JobState)>,
    /// Newest last.
    done: VecDeque<Finished>,
    last_stamp: i128,
    seq: u32,
}

/// The queue, shared by the HTTP handlers and the worker.
#[derive(Debug)]
pub(crate) struct Queue {
    dir: PathBuf,
    window: Duration,
    /// Starts a job gets before it is parked as failed.
    max_attempts: u32,
    inner: Mutex<Inner>,
    notify: Notify,
    /// Bumped whenever a job changes state, for waiting callers.
    changes: watch::Sender<u64>,
    /// Set when the server stops: waiting callers are answered at once.
    closing: std::sync::atomic::AtomicBool,
    /// Held while this server uses the queue: a second server on the same
    /// data directory would run the same jobs.
    _lock: fs::File,
}

fn io_context(path: &Path, e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

impl Queue {
    /// Opens the queue in `data_dir`, reading the jobs left pending by the
    /// last server (they run first, oldest first) and the last finished ones.
    ///
    /// # Errors
    /// The folders cannot be created or read.
    pub(crate) fn open(data_dir: &Path, window: Duration) -> io::Result<Self> {
        let dir = data_dir.join(QUEUE_DIR);
        for sub in ["pending", "done"] {
            let path = dir.join(sub);
            fs::create_dir_all(&path).map_err(|e| io_context(&path, &e))?;
        }
        let lock_path = dir.join(".serve.lock");
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_context(&lock_path, &e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "another curator serve uses {}; stop it first, or give this one its own --data-dir",
                        data_dir.display()
                    ),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_context(&lock_path, &e)),
        }
        let done: VecDeque<Finished> = read_all::<Finished>(&dir.join("done"))?
            .into_iter()
            .rev()
            .take(KEEP_DONE)
            .rev()
            .collect();
        let mut pending = VecDeque::new();
        for job in read_all::<Job>(&dir.join("pending"))? {
            // A job finished just before a crash may still have its pending
            // file: the done file is written first.
            if dir.join("done").join(format!("{}.json", job.id)).exists() {
                let _ = fs::remove_file(dir.join("pending").join(format!("{}.json", job.id)));
                continue;
            }
            pending.push_back(job);
        }
        // Ids go on from the newest one on disk, even if the clock went back.
        let last_stamp = pending
            .iter()
            .map(|j| &j.id)
            .chain(done.iter().map(|f| &f.job.id))
            .filter_map(|id| id.split('-').next()?.parse::<i128>().ok())
            .max()
            .unwrap_or(0);
        if !pending.is_empty() {
            tracing::info!(
                jobs = pending.len(),
                "jobs accepted before the last stop will run now"
            );
        }
        Ok(Self {
            dir,
            window,
            max_attempts: u32::MAX,
            inner: Mutex::new(Inner {
                pending,
                done,
                running: None,
                last_stamp,
                seq: 999,
            }),
            notify: Notify::new(),
            changes: watch::Sender::new(0),
            closing: std::sync::atomic::AtomicBool::new(false),
            _lock: lock,
        })
    }

    /// Parks a job as failed once it has been started `max` times without
    /// finishing (each time the server crashed or was killed while it
    /// ran), so it cannot crash-loop the service.
    pub(crate) fn max_attempts(mut self, max: u32) -> Self {
        self.max_attempts = max.max(1);
        self
    }

    /// Starts a job gets before it is parked as failed.
    pub(crate) fn attempts_allowed(&self) -> u32 {
        self.max_attempts
    }

    /// Puts the running job back at the front of the queue, to run again
    /// (its file, with its attempts, is still in `pending/`).
    pub(crate) fn retry(&self, mut job: Job) {
        let mut inner = self.inner();
        // Events that joined the job while it ran.
        if let Some((running, _)) = inner.running.take()
            && running.id == job.id
        {
            job.sources = running.sources;
        }
        inner.pending.push_front(job);
        drop(inner);
        self.notify.notify_one();
        self.changed();
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// Waits up to `limit` for job `id` to reach `state` (or finish), and
    /// returns where it is then.
    pub(crate) async fn wait_for(
        &self,
        id: &str,
        state: JobState,
        limit: Duration,
    ) -> Option<(JobState, Job, Option<Finished>)> {
        let mut changes = self.changes.subscribe();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let found = self.find(id)?;
            let closing = self.closing.load(std::sync::atomic::Ordering::SeqCst);
            if found.0 == state || found.0 == JobState::Done || closing {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                return self.find(id);
            }
        }
    }

    /// Answers every waiting caller: the server is stopping.
    pub(crate) fn close(&self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.changed();
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pending_path(&self, id: &str) -> PathBuf {
        self.dir.join("pending").join(format!("{id}.json"))
    }

    /// Accepts an event: it joins a job for the same work that is waiting,
    /// running, or was accepted within the coalescing window; otherwise a
    /// new job is written to disk (synced) before this returns.
    ///
    /// # Errors
    /// The job file cannot be written: the event is then not accepted.
    pub(crate) fn push(&self, spec: JobSpec, source: String) -> io::Result<Accepted> {
        let now = OffsetDateTime::now_utc();
        let mut inner = self.inner();
        let Inner {
            pending,
            running,
            done,
            ..
        } = &mut *inner;
        let waiting = pending.iter_mut().find(|j| j.spec.same_work(&spec));
        if let Some(job) = waiting {
            job.sources.push(source);
            // Best effort: the job is on disk already; only the list of
            // sources would be lost.
            if let Err(error) = write_json(&self.pending_path(&job.id), job) {
                tracing::warn!(%error, "could not record a coalesced event");
            }
            return Ok(Accepted {
                id: job.id.clone(),
                coalesced: true,
            });
        }
        // An arrival after an arrival job has read the library must run
        // again: only a waiting one takes it.
        let window = if matches!(spec, JobSpec::Arrived { .. }) {
            time::Duration::ZERO
        } else {
            time::Duration::try_from(self.window).unwrap_or(time::Duration::ZERO)
        };
        // Only work that is running or went well coalesces: a repeat of a
        // job that failed, or had problems, runs again.
        let recent = running
            .iter_mut()
            .map(|(job, _)| job)
            .chain(
                done.iter_mut()
                    .rev()
                    .filter(|f| f.outcome == JobOutcome::Ok)
                    .map(|f| &mut f.job),
            )
            .find(|j| j.spec.same_work(&spec) && now - j.accepted_at < window);
        if let Some(job) = recent {
            job.sources.push(source);
            return Ok(Accepted {
                id: job.id.clone(),
                coalesced: true,
            });
        }
        let id = next_id(&mut inner, now);
        let job = Job {
            schema_version: SCHEMA_VERSION,
            id: id.clone(),
            spec,
            accepted_at: now,
            sources: vec![source],
            attempts: 0,
        };
        write_json(&self.pending_path(&id), &job)?;
        inner.pending.push_back(job);
        drop(inner);
        self.notify.notify_one();
        self.changed();
        Ok(Accepted {
            id,
            coalesced: false,
        })
    }

    /// Waits for the next job and marks it running.
    pub(crate) async fn next(&self) -> Job {
        loop {
            let notified = self.notify.notified();
            {
                let mut inner = self.inner();
                if inner.running.is_none()
                    && let Some(mut job) = inner.pending.pop_front()
                {
                    if job.attempts >= self.max_attempts {
                        drop(inner);
                        self.park(job);
                        continue;
                    }
                    job.attempts += 1;
                    inner.running = Some((job.clone(), JobState::Running));
                    drop(inner);
                    self.changed();
                    // The attempt count is worth keeping, not worth failing over.
                    if let Err(error) = write_json(&self.pending_path(&job.id), &job) {
                        tracing::warn!(%error, "could not update a job file");
                    }
                    return job;
                }
            }
            notified.await;
        }
    }

    /// Records a job started `max_attempts` times as failed, unrun.
    fn park(&self, job: Job) {
        let now = OffsetDateTime::now_utc();
        let error = format!(
            "the server stopped {} times while this job ran (a crash, a kill, or the job itself); it was parked as failed after serve.max_attempts ({}) and will not run again",
            job.attempts, self.max_attempts
        );
        tracing::error!(job = %job.id, what = %job.spec.label(), attempts = job.attempts, "job parked as failed");
        {
            let mut inner = self.inner();
            inner.running = Some((job.clone(), JobState::Running));
        }
        let record = Finished {
            job,
            started_at: now,
            finished_at: now,
            outcome: JobOutcome::Failed,
            dry_run: false,
            error: Some(error),
            lines: Vec::new(),
            dedupe: None,
            report: None,
        };
        if let Err(error) = self.finish(record) {
            tracing::error!(%error, "could not record a parked job");
        }
    }

    /// Marks the running job as waiting for the data directory's lock.
    pub(crate) fn set_waiting(&self, waiting: bool) {
        if let Some((_, state)) = self.inner().running.as_mut() {
            *state = if waiting {
                JobState::Waiting
            } else {
                JobState::Running
            };
        }
        self.changed();
    }

    /// Records the running job as finished: its done file is written, then
    /// its pending file removed.
    ///
    /// # Errors
    /// The done file cannot be written; the job then stays pending and
    /// runs again on the next start.
    pub(crate) fn finish(&self, mut finished: Finished) -> io::Result<()> {
        let mut inner = self.inner();
        // Events that joined the job while it ran.
        if let Some((job, _)) = inner.running.take()
            && job.id == finished.job.id
        {
            finished.job.sources = job.sources;
        }
        let done_dir = self.dir.join("done");
        let result = write_json(
            &done_dir.join(format!("{}.json", finished.job.id)),
            &finished,
        );
        if result.is_ok() {
            let _ = fs::remove_file(self.pending_path(&finished.job.id));
        }
        inner.done.push_back(finished);
        while inner.done.len() > KEEP_DONE {
            if let Some(old) = inner.done.pop_front() {
                let _ = fs::remove_file(done_dir.join(format!("{}.json", old.job.id)));
            }
        }
        drop(inner);
        self.notify.notify_one();
        self.changed();
        result
    }

    /// Where job `id` is, and its record once finished.
    pub(crate) fn find(&self, id: &str) -> Option<(JobState, Job, Option<Finished>)> {
        let inner = self.inner();
        if let Some((job, state)) = inner.running.as_ref().filter(|(j, _)| j.id == id) {
            return Some((*state, job.clone(), None));
        }
        if let Some(job) = inner.pending.iter().find(|j| j.id == id) {
            return Some((JobState::Pending, job.clone(), None));
        }
        inner
            .done
            .iter()
            .find(|f| f.job.id == id)
            .map(|f| (JobState::Done, f.job.clone(), Some(f.clone())))
    }

    /// A copy of what is queued, running and recently finished (newest first).
    pub(crate) fn snapshot(&self) -> Snapshot {
        let inner = self.inner();
        Snapshot {
            running: inner.running.clone(),
            pending: inner.pending.iter().cloned().collect(),
            done: inner.done.iter().rev().cloned().collect(),
        }
    }

    /// Jobs waiting or running.
    pub(crate) fn depth(&self) -> usize {
        let inner = self.inner();
        inner.pending.len() + usize::from(inner.running.is_some())
    }
}

/// What [`Queue::snapshot`] returns.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) running: Option<(Job, JobState)>,
    pub(crate) pending: Vec<Job>,
    /// Newest first.
    pub(crate) done: Vec<Finished>,
}

/// Ids sort in the order jobs were accepted: milliseconds since 1970 and a
/// counter for the same millisecond.
fn next_id(inner: &mut Inner, now: OffsetDateTime) -> String {
    let stamp = now.unix_timestamp_nanos() / 1_000_000;
    if stamp > inner.last_stamp {
        inner.last_stamp = stamp;
        inner.seq = 0;
    } else if inner.seq >= 999 {
        // Ids sort as text: the counter stays three digits.
        inner.last_stamp += 1;
        inner.seq = 0;
    } else {
        inner.seq += 1;
    }
    format!("{:013}-{:03}", inner.last_stamp, inner.seq)
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes).map_err(|e| io_context(path, &e))
}

/// Every `*.json` in `dir`, in name order. A file that cannot be read is
/// moved aside (`.bad`) with a warning rather than stopping the server.
fn read_all<T: for<'de> Deserialize<'de>>(dir: &Path) -> io::Result<Vec<T>> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io_context(dir, &e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for path in names {
        match fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<T>(&b).map_err(|e| e.to_string()))
        {
            Ok(value) => out.push(value),
            Err(error) => {
                tracing::warn!(file = %path.display(), %error, "a queue file cannot be read; moved aside");
                let _ = fs::rename(&path, path.with_extension("json.bad"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched(title: &str, tmdb: Option<u32>) -> JobSpec {
        JobSpec::Watched {
            title: title.into(),
            media: MediaKind::Movie,
            tvdb_id: None,
            year: Some(2010),
            tmdb_id: tmdb,
            rating_key: None,
        }
    }

    /// A show and a movie of one TMDb number are different work (TMDb
    /// numbers them apart); a show is known by its TVDB id first; a job
    /// file written before shows (no `media`) is a movie's.
    #[test]
    fn shows_are_work_of_their_own_and_old_job_files_are_movies() {
        let movie = watched("Severance", Some(95396));
        let show = JobSpec::watched(&Seed {
            tmdb_id: Some(TmdbId(95396)),
            ..Seed::show("Severance")
        });
        assert!(!movie.same_work(&show));
        let by_tvdb = JobSpec::watched(&Seed {
            tvdb_id: Some(TvdbId(371_980)),
            tmdb_id: Some(TmdbId(95396)),
            ..Seed::show("Severance")
        });
        assert!(by_tvdb.same_work(&show), "same TMDb id, one without TVDB");
        let other_tvdb = JobSpec::watched(&Seed {
            tvdb_id: Some(TvdbId(1)),
            tmdb_id: Some(TmdbId(95396)),
            ..Seed::show("Severance")
        });
        assert!(!by_tvdb.same_work(&other_tvdb), "the TVDB id decides first");
        assert_eq!(by_tvdb.label(), "watched an episode of Severance");
        assert_eq!(
            by_tvdb.seed().map(|s| (s.kind, s.tvdb_id)),
            Some((MediaKind::Show, Some(TvdbId(371_980))))
        );
        let json = serde_json::to_string(&by_tvdb).unwrap();
        assert!(json.contains("\"media\":\"show\""), "{json}");
        // Movies are written as before: no `media` field.
        let movie_json = serde_json::to_string(&movie).unwrap();
        assert!(!movie_json.contains("media"), "{movie_json}");
        let old: JobSpec = serde_json::from_str(
            r#"{"kind": "watched", "title": "Heat", "year": 1995, "tmdb_id": 949}"#,
        )
        .unwrap();
        assert_eq!(old.seed().unwrap().kind, MediaKind::Movie);
    }

    #[tokio::test]
    async fn a_job_is_on_disk_when_accepted_and_runs_again_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let first = queue
            .push(watched("Inception", Some(27205)), "test".into())
            .unwrap();
        let second = queue
            .push(
                JobSpec::Job {
                    job: JobKind::Refresh,
                },
                "test".into(),
            )
            .unwrap();
        assert!(!first.coalesced && !second.coalesced);
        assert!(second.id > first.id, "{} then {}", first.id, second.id);
        let file = dir
            .path()
            .join("queue/pending")
            .join(format!("{}.json", first.id));
        assert!(file.is_file());
        // A second server on the same data directory is refused.
        let second_server = Queue::open(dir.path(), Duration::from_secs(600)).unwrap_err();
        assert!(
            second_server.to_string().contains("another curator serve"),
            "{second_server}"
        );
        // The first job starts, then the process dies.
        assert_eq!(queue.next().await.id, first.id);
        drop(queue);

        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let job = queue.next().await;
        assert_eq!(job.id, first.id);
        assert_eq!(job.attempts, 2);
        // New ids sort after the ones on disk.
        let third = queue
            .push(
                JobSpec::Job {
                    job: JobKind::Dedupe,
                },
                "test".into(),
            )
            .unwrap();
        assert!(third.id > second.id, "{} after {}", third.id, second.id);
        let now = OffsetDateTime::now_utc();
        queue
            .finish(Finished {
                job,
                started_at: now,
                finished_at: now,
                outcome: JobOutcome::Ok,
                dry_run: false,
                error: None,
                lines: vec!["✓ done".into()],
                dedupe: None,
                report: None,
            })
            .unwrap();
        assert!(!file.exists());
        assert_eq!(queue.next().await.id, second.id);
        drop(queue);
        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let (state, _, finished) = queue.find(&first.id).unwrap();
        assert_eq!(state, JobState::Done);
        assert_eq!(finished.unwrap().lines, ["✓ done"]);
        assert_eq!(queue.find(&second.id).unwrap().0, JobState::Pending);
    }

    #[tokio::test]
    async fn events_for_the_same_movie_within_the_window_make_one_job() {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let a = queue
            .push(watched("Inception", Some(27205)), "alice".into())
            .unwrap();
        let b = queue
            .push(
                watched("Inception (other title)", Some(27205)),
                "bob".into(),
            )
            .unwrap();
        assert_eq!(
            b,
            Accepted {
                id: a.id.clone(),
                coalesced: true
            }
        );
        // Running, then done: still the same work within the window.
        let job = queue.next().await;
        let c = queue
            .push(watched("Inception", Some(27205)), "carol".into())
            .unwrap();
        assert_eq!(c.id, a.id);
        let now = OffsetDateTime::now_utc();
        queue
            .finish(Finished {
                job,
                started_at: now,
                finished_at: now,
                outcome: JobOutcome::Ok,
                dry_run: false,
                error: None,
                lines: Vec::new(),
                dedupe: None,
                report: None,
            })
            .unwrap();
        let d = queue
            .push(watched("Inception", Some(27205)), "dave".into())
            .unwrap();
        assert_eq!(d.id, a.id);
        let (_, _, finished) = queue.find(&a.id).unwrap();
        assert_eq!(
            finished.unwrap().job.sources,
            ["alice", "bob", "carol", "dave"]
        );
        // Another movie, and the same title without an id, are other work.
        let e = queue.push(watched("Heat", None), "erin".into()).unwrap();
        assert!(!e.coalesced);

        // Outside the window the same movie runs again.
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::ZERO).unwrap();
        let a = queue.push(watched("Heat", None), "a".into()).unwrap();
        let _running = queue.next().await;
        let b = queue.push(watched("heat", None), "b".into()).unwrap();
        assert!(!b.coalesced);
        assert_ne!(a.id, b.id);
    }

    fn finished(job: Job, outcome: JobOutcome) -> Finished {
        let now = OffsetDateTime::now_utc();
        Finished {
            job,
            started_at: now,
            finished_at: now,
            outcome,
            dry_run: false,
            error: None,
            lines: Vec::new(),
            dedupe: None,
            report: None,
        }
    }

    #[tokio::test]
    async fn a_repeat_of_a_failed_job_runs_again_and_plex_and_tautulli_events_are_one_job() {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let first = queue
            .push(watched("Inception", Some(27205)), "plex".into())
            .unwrap();
        // Tautulli names the same movie by title and year only.
        let tautulli = queue
            .push(watched("inception", None), "tautulli".into())
            .unwrap();
        assert_eq!(tautulli.id, first.id);
        assert!(tautulli.coalesced);
        // A different movie of the same year with an id of its own is not.
        let other = queue
            .push(watched("Inception", Some(1)), "x".into())
            .unwrap();
        assert!(!other.coalesced);
        let job = queue.next().await;
        queue.finish(finished(job, JobOutcome::Failed)).unwrap();
        // The failed job does not swallow the repeat.
        let again = queue
            .push(watched("Inception", Some(27205)), "plex".into())
            .unwrap();
        assert!(!again.coalesced);
        assert_ne!(again.id, first.id);
        let problems = queue.next().await;
        assert_eq!(problems.id, other.id);
        queue
            .finish(finished(problems, JobOutcome::Problems))
            .unwrap();
        assert!(
            !queue
                .push(watched("Inception", Some(1)), "y".into())
                .unwrap()
                .coalesced,
            "a job with problems runs again too"
        );
        let ok = queue.next().await;
        assert_eq!(ok.id, again.id);
        queue.finish(finished(ok, JobOutcome::Ok)).unwrap();
        let repeat = queue
            .push(watched("Inception", Some(27205)), "t".into())
            .unwrap();
        assert_eq!(
            (repeat.id.as_str(), repeat.coalesced),
            (again.id.as_str(), true)
        );
    }

    #[tokio::test]
    async fn a_job_that_keeps_stopping_the_server_is_parked_as_failed() {
        let dir = tempfile::tempdir().unwrap();
        let open = || {
            Queue::open(dir.path(), Duration::from_secs(600))
                .unwrap()
                .max_attempts(2)
        };
        let queue = open();
        let crashing = queue
            .push(watched("Inception", Some(27205)), "a".into())
            .unwrap();
        let next = queue
            .push(
                JobSpec::Job {
                    job: JobKind::Refresh,
                },
                "b".into(),
            )
            .unwrap();
        assert_eq!(queue.next().await.id, crashing.id);
        drop(queue);
        let queue = open();
        let job = queue.next().await;
        assert_eq!((job.id.as_str(), job.attempts), (crashing.id.as_str(), 2));
        drop(queue);
        // Two starts, two crashes: parked, and the next job runs.
        let queue = open();
        assert_eq!(queue.next().await.id, next.id);
        let (state, _, record) = queue.find(&crashing.id).unwrap();
        assert_eq!(state, JobState::Done);
        let record = record.unwrap();
        assert_eq!(record.outcome, JobOutcome::Failed);
        let error = record.error.unwrap();
        assert!(
            error.contains("2 times") && error.contains("serve.max_attempts"),
            "{error}"
        );
        assert!(
            !dir.path()
                .join("queue/pending")
                .join(format!("{}.json", crashing.id))
                .exists()
        );
    }

    /// A job put back after a panic runs next, before the jobs behind it,
    /// with its attempts counted on disk.
    #[tokio::test]
    async fn a_retried_job_runs_next_with_its_attempts_counted() {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::from_secs(600))
            .unwrap()
            .max_attempts(3);
        assert_eq!(queue.attempts_allowed(), 3);
        let a = queue
            .push(watched("Inception", Some(27205)), "a".into())
            .unwrap();
        let b = queue
            .push(
                JobSpec::Job {
                    job: JobKind::Refresh,
                },
                "b".into(),
            )
            .unwrap();
        let job = queue.next().await;
        assert_eq!((job.id.as_str(), job.attempts), (a.id.as_str(), 1));
        // An event for the same movie joins it while it runs.
        assert!(
            queue
                .push(watched("Inception", Some(27205)), "c".into())
                .unwrap()
                .coalesced
        );
        queue.retry(job);
        assert_eq!(queue.find(&a.id).unwrap().0, JobState::Pending);
        let again = queue.next().await;
        assert_eq!((again.id.as_str(), again.attempts), (a.id.as_str(), 2));
        assert_eq!(again.sources, ["a", "c"]);
        let on_disk: Job = serde_json::from_slice(
            &fs::read(
                dir.path()
                    .join("queue/pending")
                    .join(format!("{}.json", a.id)),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(on_disk.attempts, 2);
        queue.finish(finished(again, JobOutcome::Failed)).unwrap();
        assert_eq!(queue.next().await.id, b.id);
    }

    #[tokio::test]
    async fn arrivals_join_a_waiting_arrival_job_but_never_a_finished_one() {
        let dir = tempfile::tempdir().unwrap();
        let queue = Queue::open(dir.path(), Duration::from_secs(600)).unwrap();
        let arrived = |title: &str, id| JobSpec::Arrived {
            title: title.into(),
            media: MediaKind::Movie,
            tvdb_id: None,
            year: None,
            tmdb_id: Some(id),
        };
        let a = queue
            .push(arrived("Tenet", 577922), "radarr".into())
            .unwrap();
        let b = queue.push(arrived("Heat", 949), "plex".into()).unwrap();
        assert_eq!((b.id.as_str(), b.coalesced), (a.id.as_str(), true));
        let job = queue.next().await;
        // It may have read the library already: a new arrival runs again.
        let c = queue.push(arrived("Up", 14160), "radarr".into()).unwrap();
        assert!(!c.coalesced);
        queue.finish(finished(job, JobOutcome::Ok)).unwrap();
        let d = queue.push(arrived("Up", 14160), "plex".into()).unwrap();
        assert_eq!(d.id, c.id, "joins the waiting one");
        assert!(!arrived("Up", 1).same_work(&watched("Up", Some(1))));
        // A show's arrival is other work: it runs the TV refresher.
        let show = JobSpec::Arrived {
            title: "Dark".into(),
            media: MediaKind::Show,
            tvdb_id: Some(334824),
            year: Some(2017),
            tmdb_id: None,
        };
        let e = queue.push(show.clone(), "sonarr".into()).unwrap();
        assert!(!e.coalesced);
        assert_eq!(show.label(), "arrived the show Dark (2017)");
        let json = serde_json::to_string(&show).unwrap();
        assert!(json.contains(r#""media":"show""#), "{json}");
        // A movie's arrival is written as before and old files read as movies.
        let movie_json = serde_json::to_string(&arrived("Up", 14160)).unwrap();
        assert!(!movie_json.contains("media"), "{movie_json}");
        let old: JobSpec =
            serde_json::from_str(r#"{"kind": "arrived", "title": "Up", "tmdb_id": 14160}"#)
                .unwrap();
        assert_eq!(old, arrived("Up", 14160));
    }
}
