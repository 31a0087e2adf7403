//! What the page shows from Plex (the collections, their items in Plex's
//! order with their poster paths, the server's machine identifier), kept
//! between page views so that a view costs at most one Plex request when
//! nothing changed.
//!
//! A load reads the library sections, each library's collections and each
//! shown collection's items. It is kept until a job finishes (curator's
//! own changes show at once) or [`MAX_AGE`] passes. Within [`FRESH`] of the
//! last look a view asks Plex nothing; after that, one request (the
//! sections, whose `contentChangedAt`, `updatedAt` and `scannedAt` move
//! when a library changes) decides whether the kept load still stands.
//! Whether Plex moves those stamps when someone edits a collection in
//! Plex itself is unconfirmed; [`MAX_AGE`] bounds how long such an edit
//! can go unseen either way.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use curator_core::{CollectionNames, DataDir};
use curator_http::MediaKind;
use plex_client::{CollectionItem, PlexApi, Section, SectionKind};
use time::OffsetDateTime;
use tokio::sync::{Mutex, OnceCell};

use curator_app::{Config, plex, plex_client_identifier};

/// How long after a look at Plex a view asks it nothing.
pub(crate) const FRESH: Duration = Duration::from_secs(60);

/// How long a load is kept at most, whatever the stamps say.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(15 * 60);

/// A collection as Plex shows it, or why it could not be read.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    /// The collection's name.
    pub(crate) name: String,
    /// Movies or shows.
    pub(crate) kind: MediaKind,
    /// Its items in Plex's order (empty when the collection does not exist).
    pub(crate) items: Result<Vec<CollectionItem>, String>,
}

/// A load: what the page shows, and what it was read against.
#[derive(Debug)]
struct Load {
    shown: Arc<Vec<Shown>>,
    /// Each shown library's section key and stamps.
    stamps: Vec<Stamp>,
    /// When it was read, and when Plex was last asked whether it stands.
    read_at: Instant,
    looked_at: Instant,
    /// The newest finished job when it was read.
    after_job: Option<OffsetDateTime>,
}

type Stamp = (String, Option<i64>, Option<i64>, Option<i64>);

fn stamp(section: &Section) -> Stamp {
    (
        section.key.as_str().to_owned(),
        section.content_changed_at,
        section.updated_at,
        section.scanned_at,
    )
}

/// The page's view of Plex, shared by page views and the poster route.
#[derive(Default)]
pub(crate) struct Shelf {
    load: Mutex<Option<Load>>,
    /// Each shown item's poster path, by rating key: what
    /// `/posters/{ratingKey}` may fetch.
    thumbs: RwLock<HashMap<String, String>>,
    client: OnceCell<Arc<dyn PlexApi>>,
    /// Only for tests: a fresh window other than [`FRESH`].
    fresh: Option<Duration>,
}

impl std::fmt::Debug for Shelf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shelf").finish_non_exhaustive()
    }
}

impl Shelf {
    /// A shelf that looks at Plex again after `fresh` (instead of
    /// [`FRESH`]).
    #[cfg(test)]
    pub(crate) fn with_fresh(fresh: Duration) -> Self {
        Self {
            fresh: Some(fresh),
            ..Self::default()
        }
    }

    /// The Plex client the page and the posters use, built once.
    ///
    /// # Errors
    /// Plex is not configured or the client cannot be built, as a reason.
    pub(crate) async fn plex(
        &self,
        config: &Config,
        data: &DataDir,
    ) -> Result<Arc<dyn PlexApi>, String> {
        self.client
            .get_or_try_init(|| async {
                let Some(conn) = &config.plex else {
                    return Err("Plex is not configured".to_owned());
                };
                plex_client_identifier(data, false)
                    .and_then(|id| plex(conn, &config.timeouts, &id, None))
                    .map(|client| Arc::new(client) as Arc<dyn PlexApi>)
                    .map_err(|e| e.to_string())
            })
            .await
            .cloned()
    }

    /// The poster path of an item the page shows.
    pub(crate) fn thumb(&self, rating_key: &str) -> Option<String> {
        self.thumbs
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(rating_key)
            .cloned()
    }

    /// The collections to show: kept, or read again when a job finished
    /// since (`newest_job`), when Plex's stamps moved, or when the load is
    /// older than [`MAX_AGE`].
    pub(crate) async fn shown(
        &self,
        config: &Config,
        data: &DataDir,
        newest_job: Option<OffsetDateTime>,
    ) -> Arc<Vec<Shown>> {
        // One view reads at a time; the others wait for its load.
        let mut kept = self.load.lock().await;
        let fresh = self.fresh.unwrap_or(FRESH);
        let mut sections = None;
        if let Some(load) = kept.as_mut()
            && load.after_job == newest_job
            && load.read_at.elapsed() < MAX_AGE
        {
            if load.looked_at.elapsed() < fresh {
                return load.shown.clone();
            }
            if let Ok(plex) = self.plex(config, data).await
                && let Ok(found) = plex.sections().await
            {
                let same = load.stamps.iter().all(|kept| {
                    found
                        .iter()
                        .any(|s| s.key.as_str() == kept.0 && stamp(s) == *kept)
                });
                if same {
                    load.looked_at = Instant::now();
                    return load.shown.clone();
                }
                sections = Some(found);
            }
        }
        let (shown, stamps) = self.read(config, data, sections).await;
        let shown = Arc::new(shown);
        let complete = shown.iter().all(|s| s.items.is_ok());
        let mut thumbs = HashMap::new();
        for item in shown.iter().filter_map(|s| s.items.as_ref().ok()).flatten() {
            if let Some(thumb) = &item.thumb {
                thumbs.insert(item.rating_key.as_str().to_owned(), thumb.clone());
            }
        }
        if !thumbs.is_empty() {
            *self.thumbs.write().unwrap_or_else(PoisonError::into_inner) = thumbs;
        }
        // A load Plex failed part of is shown once and read again next time.
        *kept = complete.then(|| Load {
            shown: shown.clone(),
            stamps,
            read_at: Instant::now(),
            looked_at: Instant::now(),
            after_job: newest_job,
        });
        shown
    }

    /// Reads the three collections of the movie library and, with TV on,
    /// of the TV library (`sections` when already read).
    async fn read(
        &self,
        config: &Config,
        data: &DataDir,
        sections: Option<Vec<Section>>,
    ) -> (Vec<Shown>, Vec<Stamp>) {
        let mut libraries = vec![(
            MediaKind::Movie,
            config.settings.movie_library.as_str(),
            &config.settings.collections,
        )];
        if let Some(tv) = &config.settings.tv {
            libraries.push((MediaKind::Show, tv.library.as_str(), &tv.collections));
        }
        let fail = |why: &str| -> Vec<Shown> {
            libraries
                .iter()
                .flat_map(|(kind, _, names)| failed(*kind, names, why))
                .collect()
        };
        let plex = match self.plex(config, data).await {
            Ok(plex) => plex,
            Err(why) => return (fail(&why), Vec::new()),
        };
        let sections = match sections {
            Some(found) => found,
            None => match plex.sections().await {
                Ok(found) => found,
                Err(e) => {
                    return (
                        fail(&format!("cannot read Plex's libraries: {e}")),
                        Vec::new(),
                    );
                }
            },
        };
        let mut shown = Vec::new();
        let mut stamps = Vec::new();
        for (kind, library, names) in libraries {
            let (section_kind, what) = match kind {
                MediaKind::Movie => (SectionKind::Movie, "movie"),
                MediaKind::Show => (SectionKind::Show, "TV"),
            };
            let Some(section) = sections
                .iter()
                .find(|s| s.kind == section_kind && s.title == library)
            else {
                shown.extend(failed(
                    kind,
                    names,
                    &format!("Plex has no {what} library named {library:?}"),
                ));
                continue;
            };
            stamps.push(stamp(section));
            shown.extend(library_collections(plex.as_ref(), section, kind, names).await);
        }
        (shown, stamps)
    }
}

/// The names of a library's three collections, in the page's order.
fn names_of(names: &CollectionNames) -> [String; 3] {
    [
        names.recently_watched.clone(),
        names.change_of_taste.clone(),
        names.immaculate_taste.clone(),
    ]
}

fn failed(kind: MediaKind, names: &CollectionNames, why: &str) -> Vec<Shown> {
    names_of(names)
        .into_iter()
        .map(|name| Shown {
            name,
            kind,
            items: Err(why.to_owned()),
        })
        .collect()
}

/// The three collections `names` of `section`: one request for the
/// section's collections, one per collection that exists.
async fn library_collections(
    plex: &dyn PlexApi,
    section: &Section,
    kind: MediaKind,
    names: &CollectionNames,
) -> Vec<Shown> {
    let all = match plex.collections(&section.key).await {
        Ok(all) => all,
        Err(e) => return failed(kind, names, &format!("cannot read Plex's collections: {e}")),
    };
    let mut out = Vec::new();
    for name in names_of(names) {
        let items = match all.iter().find(|c| c.title == name) {
            None => Ok(Vec::new()),
            Some(c) => plex
                .collection_items(&c.rating_key)
                .await
                .map_err(|e| format!("cannot read it from Plex: {e}")),
        };
        out.push(Shown { name, kind, items });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use plex_client::fake::{FakeCollection, FakeMovie, FakePlex, PlexSeed};
    use plex_client::ops;

    use super::*;

    struct World {
        plex: FakePlex,
        config: Config,
        data: DataDir,
        _dir: tempfile::TempDir,
    }

    async fn world() -> World {
        let probe = curator_app::parse_config("", &HashMap::new()).unwrap();
        let names = probe.settings.collections.clone();
        let plex = FakePlex::start(
            PlexSeed::new()
                .movie_section("1", "Movies")
                .movie("1", FakeMovie::new("Arrival", 2016).tmdb(329_865))
                .movie("1", FakeMovie::new("Zodiac", 2007).tmdb(1949))
                .collection(
                    "1",
                    FakeCollection::new(&names.immaculate_taste)
                        .items_by_title(["Zodiac", "Arrival"]),
                ),
        )
        .await;
        let text = format!(
            "plex:\n  url: \"{}\"\n  token: \"{}\"\n  movie_library_name: \"Movies\"\n",
            plex.uri(),
            plex.token().expose()
        );
        let config = curator_app::parse_config(&text, &HashMap::new()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        World {
            plex,
            config,
            data,
            _dir: dir,
        }
    }

    fn titles(shown: &[Shown]) -> Vec<Vec<String>> {
        shown
            .iter()
            .map(|s| {
                s.items
                    .as_ref()
                    .unwrap()
                    .iter()
                    .map(|i| i.title.clone())
                    .collect()
            })
            .collect()
    }

    #[tokio::test]
    async fn a_second_view_asks_plex_nothing_and_a_finished_job_reads_again() {
        let w = world().await;
        let shelf = Shelf::default();
        let stats = w.plex.stats();
        let first = shelf.shown(&w.config, &w.data, None).await;
        assert_eq!(titles(&first), [vec![], vec![], vec!["Zodiac", "Arrival"]]);
        let zodiac = &first[2].items.as_ref().unwrap()[0];
        let thumb = zodiac.thumb.clone().expect("a poster path");
        assert_eq!(shelf.thumb(zodiac.rating_key.as_str()), Some(thumb));
        // The sections, the collections, the one collection that exists.
        assert_eq!(stats.count(ops::SECTIONS), 1);
        assert_eq!(stats.count(ops::COLLECTIONS), 1);
        assert_eq!(stats.count(ops::COLLECTION_CHILDREN), 1);
        let read = stats.total();

        let second = shelf.shown(&w.config, &w.data, None).await;
        assert_eq!(stats.total(), read, "a second view asked Plex");
        assert_eq!(titles(&second), titles(&first));

        let done = OffsetDateTime::now_utc();
        let third = shelf.shown(&w.config, &w.data, Some(done)).await;
        assert_eq!(
            stats.total(),
            read * 2,
            "a finished job reads everything again"
        );
        assert_eq!(titles(&third), titles(&first));
        shelf.shown(&w.config, &w.data, Some(done)).await;
        assert_eq!(stats.total(), read * 2);
    }

    #[tokio::test]
    async fn past_the_fresh_window_one_request_tells_whether_the_load_stands() {
        let w = world().await;
        let shelf = Shelf::with_fresh(Duration::ZERO);
        let stats = w.plex.stats();
        shelf.shown(&w.config, &w.data, None).await;
        let read = stats.total();
        shelf.shown(&w.config, &w.data, None).await;
        assert_eq!(stats.total(), read + 1, "one look at the sections");
        assert_eq!(stats.count(ops::SECTIONS), 2);

        // The library changed: its stamps moved, so it is read again (the
        // look's sections reused).
        w.plex
            .add_movie("1", FakeMovie::new("Heat", 1995).tmdb(949));
        let before = stats.total();
        let again = shelf.shown(&w.config, &w.data, None).await;
        assert_eq!(stats.total(), before + 3, "look, collections, children");
        assert_eq!(stats.count(ops::SECTIONS), 3);
        assert_eq!(titles(&again)[2], ["Zodiac", "Arrival"]);
    }

    #[tokio::test]
    async fn a_failed_read_is_shown_and_not_kept() {
        let w = world().await;
        let shelf = Shelf::default();
        w.plex
            .faults()
            .inject(ops::COLLECTIONS, plex_client::fake::Fault::Status(500), 10);
        let shown = shelf.shown(&w.config, &w.data, None).await;
        let why = shown[0].items.as_ref().unwrap_err();
        assert!(why.starts_with("cannot read Plex's collections"), "{why}");
        w.plex.faults().clear();
        let shown = shelf.shown(&w.config, &w.data, None).await;
        assert_eq!(titles(&shown)[2], ["Zodiac", "Arrival"]);
    }
}
