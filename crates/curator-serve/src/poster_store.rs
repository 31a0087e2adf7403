//! Where the page's posters are kept: one file per item in the data
//! directory's `posters/` (`plex/{ratingKey}-{tag}.{ext}`,
//! `tmdb/{movie|show}-{id}.{ext}`), written atomically, older versions of
//! an item dropped, the oldest files dropped past [`MAX_FILES`]; and the
//! clients that fill it. The routes are in `posters.rs`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use curator_app::Config;
use curator_http::ImageFile;
use tmdb_client::TmdbClient;
use tokio::sync::{Mutex, OnceCell, Semaphore};

/// The most poster files kept per source; past it the oldest go.
pub(crate) const MAX_FILES: usize = 3000;

/// How many posters are fetched from the services at once.
const FETCHES: usize = 4;

/// The posters' store and the clients that fill it.
pub(crate) struct Posters {
    pub(crate) dir: PathBuf,
    tmdb: OnceCell<Arc<TmdbClient>>,
    pub(crate) fetching: Semaphore,
    /// One fetch per poster at a time (the others wait and read its file).
    busy: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl std::fmt::Debug for Posters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Posters")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Posters {
    /// A store in `dir` (the data directory's `posters/`).
    pub(crate) fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            tmdb: OnceCell::new(),
            fetching: Semaphore::new(FETCHES),
            busy: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) async fn tmdb(&self, config: &Config) -> Option<Arc<TmdbClient>> {
        self.tmdb
            .get_or_try_init(|| async {
                let conn = config.tmdb.as_ref().ok_or(())?;
                curator_app::tmdb(conn, &config.timeouts, None)
                    .map(Arc::new)
                    .map_err(|error| {
                        tracing::warn!(%error, "no TMDb client for posters");
                    })
            })
            .await
            .ok()
            .cloned()
    }

    /// The lock of one poster's fetch.
    pub(crate) async fn busy(&self, key: &str) -> Arc<Mutex<()>> {
        let mut busy = self.busy.lock().await;
        // Locks nobody holds any more are dropped as others come.
        busy.retain(|_, lock| Arc::strong_count(lock) > 1);
        busy.entry(key.to_owned()).or_default().clone()
    }
}

/// A short, stable tag of a text (FNV-1a, 64 bits): names a poster
/// version in file names, ETags and the page's URLs.
pub(crate) fn tag(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The file extension for an image's bytes; `None` for what is not an
/// image a browser shows.
pub(crate) fn extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else if bytes.starts_with(b"GIF8") {
        Some("gif")
    } else {
        None
    }
}

pub(crate) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => "image/jpeg",
    }
}

/// The kept file whose name starts with `prefix`, if any.
pub(crate) fn kept(dir: &Path, prefix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && !n.ends_with(".none"))
        })
}

/// Keeps `image` as `{dir}/{stem}.{ext}` (atomically), drops the other
/// versions of the same item (`{item}-*`) and, past [`MAX_FILES`], the
/// oldest files. Returns the file.
pub(crate) fn keep(
    dir: &Path,
    item: &str,
    stem: &str,
    image: &ImageFile,
) -> std::io::Result<PathBuf> {
    let ext = extension(&image.bytes)
        .ok_or_else(|| std::io::Error::other("the answer is not a PNG, JPEG, WebP or GIF"))?;
    let path = dir.join(format!("{stem}.{ext}"));
    curator_core::write_atomic(&path, &image.bytes)?;
    let mut files: Vec<(SystemTime, PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).ok()?;
            Some((modified, e.path()))
        })
        .filter(|(_, p)| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    let stale = |p: &Path| {
        p != path
            && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&format!("{item}-")) || n.starts_with(&format!("{item}."))
            })
    };
    for (_, old) in files.iter().filter(|(_, p)| stale(p)) {
        let _ = std::fs::remove_file(old);
    }
    files.retain(|(_, p)| !stale(p));
    if files.len() > MAX_FILES {
        files.sort();
        for (_, old) in files.iter().take(files.len() - MAX_FILES * 3 / 4) {
            if *old != path {
                let _ = std::fs::remove_file(old);
            }
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(bytes: &[u8]) -> ImageFile {
        ImageFile {
            content_type: "image/png".into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_poster_is_kept_once_per_item_and_the_oldest_go_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let png = b"\x89PNG\r\n\x1a\nrest";
        let first = keep(dir.path(), "12", "12-aaaa", &image(png)).unwrap();
        assert_eq!(first, dir.path().join("12-aaaa.png"));
        assert_eq!(std::fs::read(&first).unwrap(), png);
        // A new version of the same item replaces the old one.
        let second = keep(dir.path(), "12", "12-bbbb", &image(&[0xFF, 0xD8, 0xFF, 1])).unwrap();
        assert_eq!(second, dir.path().join("12-bbbb.jpg"));
        assert!(!first.exists());
        assert_eq!(content_type(&second), "image/jpeg");
        // "12" does not touch "123".
        keep(dir.path(), "123", "123-cccc", &image(png)).unwrap();
        assert!(second.exists());
        assert!(keep(dir.path(), "9", "9-x", &image(b"<html>")).is_err());
        let names = |d: &Path| {
            let mut n: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(dir.path()), ["12-bbbb.jpg", "123-cccc.png"]);
        assert_eq!(kept(dir.path(), "12-").unwrap(), second);
        assert_eq!(kept(dir.path(), "4-"), None);
    }

    #[test]
    fn tags_are_stable() {
        assert_eq!(
            tag("/library/metadata/1/thumb/2"),
            tag("/library/metadata/1/thumb/2")
        );
        assert_ne!(
            tag("/library/metadata/1/thumb/2"),
            tag("/library/metadata/1/thumb/3")
        );
        assert_eq!(tag("").len(), 16);
    }
}
