//! The data directory: state files, atomic writes and the run lock.
//!
//! Every file carries a `schema_version`. A file that cannot be read stops
//! the run before anything changes, with an error naming the file and the
//! problem; the file is left as it was.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use curator_http::MediaKind;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::collection::{CollectionState, SmallCollection};
use crate::error::StateError;
use crate::legacy::{self, LegacyCollectionItem, LegacyPoints};
use crate::points::PointsBook;
use crate::rows::RowsState;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The points file's name.
pub const POINTS_FILE: &str = "recommendation_points.json";
/// The TV points file's name, beside the movie one (the previous tool's
/// name for its TV book, converted in place like the movie book).
pub const TV_POINTS_FILE: &str = "recommendation_points_tv.json";
/// The TMDb cache file's name.
pub const TMDB_CACHE_FILE: &str = "tmdb_cache.json";
/// The rows file's name: how curator's rows were last seen on Plex's Home
/// and Recommended tab, and the artwork uploaded to them.
pub const ROWS_FILE: &str = "rows.json";
/// The approvals file's name: titles waiting for approval, and rejected ones.
pub const APPROVALS_FILE: &str = "approvals.json";
const LOCK_FILE: &str = ".curator.lock";
const APPROVALS_LOCK_FILE: &str = ".approvals.lock";

/// What [`DataDir::load_points`] found.
#[derive(Debug)]
pub enum LoadedPoints {
    /// No file yet.
    Missing,
    /// A current file.
    Current(PointsBook),
    /// A file in one of the previous tool's forms, still to be converted.
    Legacy(LegacyPoints),
}

#[derive(Serialize)]
struct Versioned<T> {
    schema_version: u32,
    #[serde(flatten)]
    body: T,
}

/// The data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
    points_file: Option<PathBuf>,
    tmdb_cache_file: Option<PathBuf>,
}

impl DataDir {
    /// A data directory at `root` (created on the first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            points_file: None,
            tmdb_cache_file: None,
        }
    }

    /// Keeps the points file at `path` instead of [`POINTS_FILE`] in the
    /// directory (the previous tool's `files.points_file`). A relative path
    /// is taken inside the directory, as the previous tool took it inside
    /// its `data/` folder.
    pub fn with_points_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.points_file = Some(path.into());
        self
    }

    /// Keeps the TMDb cache at `path` instead of [`TMDB_CACHE_FILE`] (the
    /// previous tool's `files.tmdb_cache_file`); relative as for points.
    pub fn with_tmdb_cache_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.tmdb_cache_file = Some(path.into());
        self
    }

    /// Its path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the points file is.
    pub fn points_path(&self) -> PathBuf {
        self.inside(self.points_file.as_deref(), POINTS_FILE)
    }

    /// Where the points file of `kind` is: the movie book
    /// ([`DataDir::points_path`]) or the TV book ([`TV_POINTS_FILE`] in the
    /// directory).
    pub fn points_path_of(&self, kind: MediaKind) -> PathBuf {
        match kind {
            MediaKind::Movie => self.points_path(),
            MediaKind::Show => self.path(TV_POINTS_FILE),
        }
    }

    /// Where the TMDb cache is.
    pub fn tmdb_cache_path(&self) -> PathBuf {
        self.inside(self.tmdb_cache_file.as_deref(), TMDB_CACHE_FILE)
    }

    fn inside(&self, chosen: Option<&Path>, default: &str) -> PathBuf {
        match chosen {
            Some(path) if path.is_absolute() => path.to_owned(),
            Some(path) => self.root.join(path),
            None => self.path(default),
        }
    }

    /// Where a small collection's state file is.
    pub fn collection_path(&self, which: SmallCollection) -> PathBuf {
        self.path(which.file_name())
    }

    /// The path of a file inside it.
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Where the approvals file is.
    pub fn approvals_path(&self) -> PathBuf {
        self.path(APPROVALS_FILE)
    }

    /// Takes the exclusive run lock, waiting up to `timeout` for another run
    /// to finish. The lock is held until the returned guard is dropped (or
    /// the process ends, however it ends).
    ///
    /// # Errors
    /// [`StateError::LockTimeout`] when another run kept it too long;
    /// [`StateError::Io`] when the directory cannot be created or opened.
    pub async fn lock(&self, timeout: Duration) -> Result<DataLock, StateError> {
        self.lock_named(LOCK_FILE, timeout).await
    }

    /// Takes the approvals file's own lock, held only while the file is
    /// read, changed and written (a run holds the run lock for minutes; a
    /// rejection from the page must not wait for it).
    ///
    /// # Errors
    /// As [`DataDir::lock`].
    pub async fn lock_approvals(&self, timeout: Duration) -> Result<DataLock, StateError> {
        self.lock_named(APPROVALS_LOCK_FILE, timeout).await
    }

    async fn lock_named(&self, name: &str, timeout: Duration) -> Result<DataLock, StateError> {
        fs::create_dir_all(&self.root).map_err(|e| StateError::io(&self.root, e))?;
        let path = self.path(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StateError::io(&path, e))?;
        let started = Instant::now();
        let mut announced = false;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    return Ok(DataLock { _file: file, path });
                }
                Err(fs::TryLockError::WouldBlock) => {
                    if started.elapsed() >= timeout {
                        return Err(StateError::LockTimeout {
                            path,
                            waited: timeout,
                        });
                    }
                    if !announced {
                        tracing::info!(path = %path.display(), "another curator run holds the data directory; waiting");
                        announced = true;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(fs::TryLockError::Error(e)) => return Err(StateError::io(&path, e)),
            }
        }
    }

    /// Reads the points file.
    ///
    /// # Errors
    /// [`StateError::Corrupt`] when it is neither a current file nor a form
    /// the previous tool wrote; [`StateError::TooNew`] when a newer curator
    /// wrote it.
    pub fn load_points(&self) -> Result<LoadedPoints, StateError> {
        self.load_points_of(MediaKind::Movie)
    }

    /// Reads the points file of `kind` (see [`DataDir::load_points`]).
    ///
    /// # Errors
    /// As [`DataDir::load_points`].
    pub fn load_points_of(&self, kind: MediaKind) -> Result<LoadedPoints, StateError> {
        let path = self.points_path_of(kind);
        let Some(value) = read_json(&path)? else {
            return Ok(LoadedPoints::Missing);
        };
        if value.get("schema_version").is_some() {
            let book: PointsBook = decode_versioned(&path, value)?;
            return Ok(LoadedPoints::Current(book));
        }
        let parsed = match kind {
            MediaKind::Movie => legacy::parse_points(&value),
            MediaKind::Show => legacy::parse_tv_points(&value),
        };
        parsed
            .map(LoadedPoints::Legacy)
            .map_err(|reason| StateError::Corrupt { path, reason })
    }

    /// Writes the points file atomically.
    ///
    /// # Errors
    /// [`StateError::Io`] when it cannot be written; the old file is then intact.
    pub fn save_points(&self, book: &PointsBook) -> Result<(), StateError> {
        self.save_points_of(MediaKind::Movie, book)
    }

    /// Writes the points file of `kind` atomically.
    ///
    /// # Errors
    /// As [`DataDir::save_points`].
    pub fn save_points_of(&self, kind: MediaKind, book: &PointsBook) -> Result<(), StateError> {
        self.save_versioned(&self.points_path_of(kind), book)
    }

    /// Copies the points file aside before a legacy import replaces it, and
    /// returns the copy's path.
    ///
    /// # Errors
    /// [`StateError::Io`] when the copy fails.
    pub fn backup_points(&self) -> Result<PathBuf, StateError> {
        self.backup_points_of(MediaKind::Movie)
    }

    /// Copies the points file of `kind` aside (see [`DataDir::backup_points`]).
    ///
    /// # Errors
    /// As [`DataDir::backup_points`].
    pub fn backup_points_of(&self, kind: MediaKind) -> Result<PathBuf, StateError> {
        backup_file(&self.points_path_of(kind))
    }

    /// Copies a small collection's file aside before a legacy import
    /// replaces it, and returns the copy's path.
    ///
    /// # Errors
    /// [`StateError::Io`] when the copy fails.
    pub fn backup_collection(&self, which: SmallCollection) -> Result<PathBuf, StateError> {
        backup_file(&self.collection_path(which))
    }

    /// Reads a small collection's state (empty when there is no file yet).
    /// A file the previous tool wrote reads as empty here: it names no TMDb
    /// ids, and is converted through the library before the steps run
    /// ([`DataDir::load_legacy_collection`]).
    ///
    /// # Errors
    /// [`StateError::Corrupt`] or [`StateError::TooNew`] as for points.
    pub fn load_collection(&self, which: SmallCollection) -> Result<CollectionState, StateError> {
        let path = self.collection_path(which);
        match read_json(&path)? {
            None => Ok(CollectionState::default()),
            Some(value) if value.get("schema_version").is_some() => decode_versioned(&path, value),
            Some(value) => legacy::parse_collection(&value)
                .map(|_| CollectionState::default())
                .map_err(|reason| StateError::Corrupt { path, reason }),
        }
    }

    /// Reads a small collection's file when the previous tool wrote it.
    ///
    /// # Errors
    /// As [`DataDir::load_collection`].
    pub fn load_legacy_collection(
        &self,
        which: SmallCollection,
    ) -> Result<Option<Vec<LegacyCollectionItem>>, StateError> {
        let path = self.collection_path(which);
        match read_json(&path)? {
            None => Ok(None),
            Some(value) if value.get("schema_version").is_some() => Ok(None),
            Some(value) => legacy::parse_collection(&value)
                .map(Some)
                .map_err(|reason| StateError::Corrupt { path, reason }),
        }
    }

    /// Writes a small collection's state atomically.
    ///
    /// # Errors
    /// [`StateError::Io`] when it cannot be written; the old file is then intact.
    pub fn save_collection(
        &self,
        which: SmallCollection,
        state: &CollectionState,
    ) -> Result<(), StateError> {
        self.save_versioned(&self.collection_path(which), state)
    }

    /// Reads the rows file; a missing one is an empty state.
    ///
    /// # Errors
    /// [`StateError::Corrupt`] or [`StateError::TooNew`] as for the other
    /// state files; [`StateError::Io`] when it cannot be read.
    pub fn load_rows(&self) -> Result<RowsState, StateError> {
        let path = self.path(ROWS_FILE);
        match read_json(&path)? {
            None => Ok(RowsState::default()),
            Some(value) => decode_versioned(&path, value),
        }
    }

    /// Writes the rows file atomically.
    ///
    /// # Errors
    /// [`StateError::Io`] when it cannot be written.
    pub fn save_rows(&self, state: &RowsState) -> Result<(), StateError> {
        self.save_versioned(&self.path(ROWS_FILE), state)
    }

    /// Reads a versioned state file at `path`; a missing one is `T`'s default.
    pub(crate) fn load_versioned_or_default<T: DeserializeOwned + Default>(
        &self,
        path: &Path,
    ) -> Result<T, StateError> {
        match read_json(path)? {
            None => Ok(T::default()),
            Some(value) => decode_versioned(path, value),
        }
    }

    pub(crate) fn save_versioned<T: Serialize>(
        &self,
        path: &Path,
        body: &T,
    ) -> Result<(), StateError> {
        let path = path.to_owned();
        let versioned = Versioned {
            schema_version: SCHEMA_VERSION,
            body,
        };
        let mut bytes = serde_json::to_vec_pretty(&versioned).map_err(|e| StateError::Corrupt {
            path: path.clone(),
            reason: format!("could not encode: {e}"),
        })?;
        bytes.push(b'\n');
        write_atomic(&path, &bytes).map_err(|e| StateError::io(&path, e))
    }
}

/// The exclusive lock on a data directory; released when dropped.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    path: PathBuf,
}

impl DataLock {
    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes `bytes` to `path` so that readers see the old file or the new one,
/// never a half-written one: a temporary file in the same directory is
/// written and synced, then renamed over the target, then the directory is
/// synced so the rename survives a power cut.
///
/// # Errors
/// Any I/O error; the target is then untouched and the temporary file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        // Directory fsync is not possible on every platform; the rename is
        // already atomic, so a failure here is not worth failing the write.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Copies `source` to `<stem>.legacy-<unix time>.json` beside it, written
/// atomically, and never over an earlier copy.
fn backup_file(source: &Path) -> Result<PathBuf, StateError> {
    let bytes = fs::read(source).map_err(|e| StateError::io(source, e))?;
    let dir = source.parent().unwrap_or(Path::new("."));
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("state");
    let stamp = OffsetDateTime::now_utc().unix_timestamp();
    let mut backup = dir.join(format!("{stem}.legacy-{stamp}.json"));
    let mut n = 1;
    while backup.exists() {
        backup = dir.join(format!("{stem}.legacy-{stamp}-{n}.json"));
        n += 1;
    }
    write_atomic(&backup, &bytes).map_err(|e| StateError::io(&backup, e))?;
    Ok(backup)
}

fn read_json(path: &Path) -> Result<Option<serde_json::Value>, StateError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StateError::io(path, e)),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StateError::Corrupt {
            path: path.to_owned(),
            reason: "the file is empty".into(),
        });
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| StateError::Corrupt {
            path: path.to_owned(),
            reason: format!("not valid JSON: {e}"),
        })
}

fn decode_versioned<T: DeserializeOwned>(
    path: &Path,
    value: serde_json::Value,
) -> Result<T, StateError> {
    let found = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| StateError::Corrupt {
            path: path.to_owned(),
            reason: "schema_version is not a number".into(),
        })?;
    if found > u64::from(SCHEMA_VERSION) {
        return Err(StateError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let mut value = value;
    if let Some(object) = value.as_object_mut() {
        object.remove("schema_version");
    }
    // Decoded from the map directly (not through `flatten`), so numeric map
    // keys such as TMDb ids are read from their string form.
    serde_json::from_value::<T>(value).map_err(|e| StateError::Corrupt {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests;
