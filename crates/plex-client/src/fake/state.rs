//! The fake server's library and the rules that change it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use curator_http::{ImdbId, TmdbId, TvdbId};

use super::hubs::Hubs;
use super::seed::{
    Agent, FakeCollection, FakeEpisode, FakeMovie, FakeShow, FakeVersion, ItemRef, PlexSeed,
    SeedEntry,
};
use crate::model::{
    Collection, CollectionSort, Episode, Image, MediaId, MediaKind, MediaKindExt, MediaPart,
    MediaVersion, Movie, RatingKey, SectionKey, SectionKind, Show, ShowRef,
};

#[derive(Debug)]
pub(crate) struct SectionRec {
    pub(crate) key: String,
    pub(crate) title: String,
    pub(crate) kind: SectionKind,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) scanned_at: i64,
    pub(crate) content_changed_at: i64,
}

#[derive(Debug)]
pub(crate) struct MovieRec {
    pub(crate) key: String,
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) original_title: Option<String>,
    pub(crate) year: Option<u16>,
    pub(crate) added_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) tmdb: Option<TmdbId>,
    pub(crate) imdb: Option<ImdbId>,
    pub(crate) agent: Agent,
    pub(crate) edition: Option<String>,
    pub(crate) plex_guid: String,
    pub(crate) versions: Vec<VersionRec>,
}

#[derive(Debug)]
pub(crate) struct ShowRec {
    pub(crate) key: String,
    pub(crate) section: String,
    pub(crate) title: String,
    pub(crate) original_title: Option<String>,
    pub(crate) year: Option<u16>,
    pub(crate) added_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) tmdb: Option<TmdbId>,
    pub(crate) tvdb: Option<TvdbId>,
    pub(crate) imdb: Option<ImdbId>,
    pub(crate) agent: Agent,
    pub(crate) plex_guid: String,
    /// Season number and key, in season order (specials first).
    pub(crate) seasons: Vec<(u32, String)>,
    /// Episode keys in season and episode order (the `allLeaves` order).
    pub(crate) episodes: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct EpisodeRec {
    pub(crate) key: String,
    pub(crate) show: String,
    pub(crate) season_key: String,
    pub(crate) season: u32,
    pub(crate) index: u32,
    pub(crate) title: String,
    pub(crate) plex_guid: String,
    pub(crate) added_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) versions: Vec<VersionRec>,
}

/// A library item a collection can hold.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Member<'a> {
    Movie(&'a MovieRec),
    Show(&'a ShowRec),
}

impl Member<'_> {
    pub(crate) fn key(&self) -> &str {
        match self {
            Self::Movie(m) => &m.key,
            Self::Show(s) => &s.key,
        }
    }

    pub(crate) fn title(&self) -> &str {
        match self {
            Self::Movie(m) => &m.title,
            Self::Show(s) => &s.title,
        }
    }

    pub(crate) fn year(&self) -> Option<u16> {
        match self {
            Self::Movie(m) => m.year,
            Self::Show(s) => s.year,
        }
    }
}

#[derive(Debug)]
pub(crate) struct VersionRec {
    pub(crate) id: u64,
    pub(crate) resolution: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) bitrate: u32,
    pub(crate) video_codec: String,
    pub(crate) audio_codec: String,
    pub(crate) container: String,
    pub(crate) duration: u64,
    /// The target of an optimized version (`proxyType` 42), if it is one.
    pub(crate) optimized: Option<String>,
    pub(crate) parts: Vec<PartRec>,
}

#[derive(Debug)]
pub(crate) struct PartRec {
    pub(crate) id: u64,
    pub(crate) file: String,
    pub(crate) size: u64,
    /// The file is gone from disk, though Plex still lists it (as when the
    /// library's trash is not emptied automatically).
    pub(crate) missing: bool,
}

#[derive(Debug)]
pub(crate) struct CollectionRec {
    pub(crate) key: String,
    pub(crate) section: String,
    pub(crate) title: String,
    /// What it holds (its `subtype`), from its section.
    pub(crate) kind: MediaKind,
    pub(crate) sort: CollectionSort,
    pub(crate) smart: bool,
    pub(crate) summary: String,
    pub(crate) added_at: i64,
    pub(crate) updated_at: i64,
    /// The custom order, which Plex keeps whatever the sort pref.
    pub(crate) members: Vec<String>,
    pub(crate) member_set: HashSet<String>,
    pub(crate) poster: Option<Image>,
    /// The background last uploaded (`/arts`).
    pub(crate) art: Option<Image>,
    /// A removal left it empty at some point (users then see an empty
    /// collection, or Plex may drop it).
    pub(crate) emptied: bool,
}

/// Why a change was refused, as the status the fake answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    BadRequest,
    NotFound,
    /// A delete refused with this status.
    Deletion(u16),
}

pub(crate) type Outcome<T = ()> = Result<T, Refusal>;

/// Where the items of one add request land, relative to each other.
///
/// Whether a real server keeps the order of one batch is unconfirmed
/// (API-NOTES), so the fake can play each answer; code must read the
/// collection back rather than assume one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddOrder {
    /// In the order of the request's `uri` (the default).
    #[default]
    AsSent,
    /// In the reverse order.
    Reversed,
    /// By rating key, as a server inserting in database order would.
    ByRatingKey,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) token: String,
    pub(crate) machine_identifier: String,
    pub(crate) version: String,
    pub(crate) friendly_name: String,
    pub(crate) allow_media_deletion: bool,
    /// Whether `checkFiles=1` is honoured on a request for several keys
    /// (documented per item; unconfirmed for several).
    pub(crate) check_files_multi_key: bool,
    /// Items refreshed because `checkFiles=1` came without `skipRefresh=1`.
    pub(crate) refreshed_items: u64,
    /// Every `X-Plex-Client-Identifier` sent, once each, in order seen
    /// (Plex lists devices by it).
    pub(crate) client_identifiers: Vec<String>,
    /// Send a lone `Metadata` entry as an object instead of an array.
    pub(crate) single_metadata_object: bool,
    /// Listings ignore `X-Plex-Container-Start` and send no `totalSize`.
    pub(crate) ignores_paging_offset: bool,
    /// A status every delete is refused with (401, 403, 400), whatever
    /// `allowMediaDeletion` says, with a body naming the reason.
    pub(crate) deletion_refusal: Option<u16>,
    /// How long a delete takes to answer; it acts at once, like a server
    /// still removing a big file when the client gives up.
    pub(crate) delete_latency: Duration,
    pub(crate) max_page_size: Option<usize>,
    pub(crate) latency: Duration,
    pub(crate) move_latency: (Duration, Duration),
    pub(crate) add_order: AddOrder,
    /// Positions renumbered by moves so far: each move renumbers the whole
    /// collection, as the real server does.
    pub(crate) renumbered: u64,
    pub(crate) sections: Vec<SectionRec>,
    /// The "Manage Recommendations" list of each section.
    pub(crate) hubs: Hubs,
    /// The status hub management is refused with (a server whose owner has
    /// no Plex Pass); `None` allows it.
    pub(crate) hub_refusal: Option<u16>,
    pub(crate) movies: HashMap<String, MovieRec>,
    /// Movie keys in the order they were added (the listing order).
    pub(crate) movie_order: Vec<String>,
    pub(crate) collections: HashMap<String, CollectionRec>,
    pub(crate) collection_order: Vec<String>,
    pub(crate) shows: HashMap<String, ShowRec>,
    /// Show keys in the order they were added (the listing order).
    pub(crate) show_order: Vec<String>,
    pub(crate) episodes: HashMap<String, EpisodeRec>,
    /// Every season key, with its show's.
    pub(crate) seasons: HashMap<String, String>,
    next_key: u64,
    next_media_id: u64,
    next_part_id: u64,
    clock: i64,
}

impl State {
    /// Builds the starting state.
    ///
    /// # Panics
    /// When the seed names a section or item that does not exist.
    pub(crate) fn from_seed(seed: PlexSeed) -> Self {
        let mut state = Self {
            token: seed.token,
            machine_identifier: seed.machine_identifier,
            version: seed.version,
            friendly_name: seed.friendly_name,
            allow_media_deletion: seed.allow_media_deletion,
            check_files_multi_key: true,
            refreshed_items: 0,
            client_identifiers: Vec::new(),
            single_metadata_object: false,
            ignores_paging_offset: false,
            deletion_refusal: None,
            delete_latency: Duration::ZERO,
            max_page_size: seed.max_page_size,
            latency: Duration::ZERO,
            move_latency: (Duration::ZERO, Duration::ZERO),
            add_order: AddOrder::AsSent,
            renumbered: 0,
            sections: Vec::new(),
            hubs: Hubs::default(),
            hub_refusal: None,
            movies: HashMap::new(),
            movie_order: Vec::new(),
            collections: HashMap::new(),
            collection_order: Vec::new(),
            shows: HashMap::new(),
            show_order: Vec::new(),
            episodes: HashMap::new(),
            seasons: HashMap::new(),
            next_key: 1000,
            next_media_id: 5000,
            next_part_id: 20000,
            clock: 1_735_689_600,
        };
        for entry in seed.entries {
            match entry {
                SeedEntry::Section { key, title, kind } => state.add_section(key, title, kind),
                SeedEntry::Movie { section, movie } => {
                    state.add_movie(&section, movie);
                }
                SeedEntry::Show { section, show } => {
                    state.add_show(&section, show);
                }
                SeedEntry::Collection {
                    section,
                    collection,
                } => state.seed_collection(&section, collection),
            }
        }
        state
    }

    fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    fn new_key(&mut self, wanted: Option<String>) -> String {
        let key = wanted.unwrap_or_else(|| self.next_key.to_string());
        assert!(
            !self.movies.contains_key(&key)
                && !self.collections.contains_key(&key)
                && !self.shows.contains_key(&key)
                && !self.seasons.contains_key(&key)
                && !self.episodes.contains_key(&key),
            "fake Plex: rating key {key} is used twice"
        );
        if let Ok(n) = key.parse::<u64>() {
            self.next_key = self.next_key.max(n + 1);
        }
        key
    }

    pub(crate) fn section(&self, key: &str) -> Option<&SectionRec> {
        self.sections.iter().find(|s| s.key == key)
    }

    fn add_section(&mut self, key: String, title: String, kind: SectionKind) {
        assert!(
            self.section(&key).is_none(),
            "fake Plex: section {key} added twice"
        );
        let now = self.tick();
        self.sections.push(SectionRec {
            key,
            title,
            kind,
            created_at: now,
            updated_at: now,
            scanned_at: now,
            content_changed_at: now,
        });
    }

    fn touch_section(&mut self, key: &str) {
        let now = self.tick();
        if let Some(section) = self.sections.iter_mut().find(|s| s.key == key) {
            section.content_changed_at = now;
            section.scanned_at = now;
        }
    }

    /// Adds a movie to a movie section and returns its key.
    ///
    /// # Panics
    /// When the section does not exist or holds no movies.
    pub(crate) fn add_movie(&mut self, section: &str, movie: FakeMovie) -> String {
        let kind = self.section(section).map(|s| s.kind.clone());
        assert_eq!(
            kind,
            Some(SectionKind::Movie),
            "fake Plex: no movie section {section}"
        );
        let key = self.new_key(movie.rating_key);
        let now = self.tick();
        let mut specs = movie.versions;
        if specs.is_empty() {
            specs.push(FakeVersion::new("1080"));
        }
        let name = match movie.year {
            Some(year) => format!("{} ({year})", movie.title),
            None => movie.title.clone(),
        };
        let versions = self.versions(specs, &format!("/data/movies/{name}"), &name);
        let plex_guid = format!("plex://movie/5d7768{:018x}", fnv(&movie.title) ^ now as u64);
        self.movies.insert(
            key.clone(),
            MovieRec {
                key: key.clone(),
                section: section.to_owned(),
                title: movie.title,
                original_title: movie.original_title,
                year: movie.year,
                added_at: movie.added_at.unwrap_or(now),
                updated_at: now,
                tmdb: movie.tmdb,
                imdb: movie.imdb,
                agent: movie.agent,
                edition: movie.edition,
                plex_guid,
                versions,
            },
        );
        self.movie_order.push(key.clone());
        self.touch_section(section);
        key
    }

    /// The media versions of `specs` with ids and parts; files without a
    /// given path are named `{dir}/{stem} - {resolution}.{container}`, or
    /// put in `{dir}/Plex Versions/{target}/` for an optimized version.
    fn versions(&mut self, specs: Vec<FakeVersion>, dir: &str, stem: &str) -> Vec<VersionRec> {
        let mut versions = Vec::with_capacity(specs.len());
        for spec in specs {
            let id = self.next_media_id;
            self.next_media_id += 1;
            let missing = spec.missing;
            let mut files = spec.parts;
            if files.is_empty() {
                let file = match &spec.optimized {
                    Some(target) => {
                        format!("{dir}/Plex Versions/{target}/{stem}.{}", spec.container)
                    }
                    None => format!("{dir}/{stem} - {}.{}", spec.resolution, spec.container),
                };
                let size = u64::from(spec.bitrate) * spec.duration / 8;
                files.push((file, size));
            }
            let parts = files
                .into_iter()
                .map(|(file, size)| {
                    self.next_part_id += 1;
                    PartRec {
                        id: self.next_part_id,
                        file,
                        size,
                        missing,
                    }
                })
                .collect();
            versions.push(VersionRec {
                id,
                resolution: spec.resolution,
                width: spec.width,
                height: spec.height,
                bitrate: spec.bitrate,
                video_codec: spec.video_codec,
                audio_codec: spec.audio_codec,
                container: spec.container,
                duration: spec.duration,
                optimized: spec.optimized,
                parts,
            });
        }
        versions
    }

    /// Adds a show, its seasons and episodes to a show section and returns
    /// its key.
    ///
    /// # Panics
    /// When the section does not exist or holds no shows.
    pub(crate) fn add_show(&mut self, section: &str, show: FakeShow) -> String {
        let kind = self.section(section).map(|s| s.kind.clone());
        assert_eq!(
            kind,
            Some(SectionKind::Show),
            "fake Plex: no show section {section}"
        );
        let key = self.new_key(show.rating_key);
        let now = self.tick();
        let name = match show.year {
            Some(year) => format!("{} ({year})", show.title),
            None => show.title.clone(),
        };
        let mut episodes: Vec<FakeEpisode> = show.episodes;
        episodes.sort_by_key(|e| (e.season, e.index));
        episodes.dedup_by_key(|e| (e.season, e.index));
        let mut seasons: Vec<(u32, String)> = Vec::new();
        let mut episode_keys = Vec::with_capacity(episodes.len());
        for episode in episodes {
            let season_key = match seasons.iter().find(|(n, _)| *n == episode.season) {
                Some((_, k)) => k.clone(),
                None => {
                    let k = self.new_key(None);
                    self.seasons.insert(k.clone(), key.clone());
                    seasons.push((episode.season, k.clone()));
                    k
                }
            };
            let episode_key = self.new_key(episode.rating_key);
            let mut specs = episode.versions;
            if specs.is_empty() {
                specs.push(FakeVersion::new("1080").duration(2_700_000));
            }
            let stem = format!(
                "{} - S{:02}E{:02}",
                show.title, episode.season, episode.index
            );
            let dir = format!("/data/tv/{name}/Season {:02}", episode.season);
            let versions = self.versions(specs, &dir, &stem);
            let plex_guid = format!(
                "plex://episode/5d9c13{:018x}",
                fnv(&stem) ^ u64::from(episode.index)
            );
            self.episodes.insert(
                episode_key.clone(),
                EpisodeRec {
                    key: episode_key.clone(),
                    show: key.clone(),
                    season_key,
                    season: episode.season,
                    index: episode.index,
                    title: episode.title,
                    plex_guid,
                    added_at: show.added_at.unwrap_or(now),
                    updated_at: now,
                    versions,
                },
            );
            episode_keys.push(episode_key);
        }
        let plex_guid = format!("plex://show/5d9c08{:018x}", fnv(&show.title) ^ now as u64);
        self.shows.insert(
            key.clone(),
            ShowRec {
                key: key.clone(),
                section: section.to_owned(),
                title: show.title,
                original_title: show.original_title,
                year: show.year,
                added_at: show.added_at.unwrap_or(now),
                updated_at: now,
                tmdb: show.tmdb,
                tvdb: show.tvdb,
                imdb: show.imdb,
                agent: show.agent,
                plex_guid,
                seasons,
                episodes: episode_keys,
            },
        );
        self.show_order.push(key.clone());
        self.touch_section(section);
        key
    }

    /// A movie or show a collection can hold.
    pub(crate) fn member(&self, key: &str) -> Option<Member<'_>> {
        self.movies
            .get(key)
            .map(Member::Movie)
            .or_else(|| self.shows.get(key).map(Member::Show))
    }

    /// Removes an episode (its show stays, even when left without any).
    fn remove_episode(&mut self, key: &str) -> bool {
        let Some(episode) = self.episodes.remove(key) else {
            return false;
        };
        if let Some(show) = self.shows.get_mut(&episode.show) {
            show.episodes.retain(|k| k != key);
            let section = show.section.clone();
            self.touch_section(&section);
        }
        true
    }

    /// Removes a movie from the library and from every collection.
    pub(crate) fn remove_movie(&mut self, key: &str) -> bool {
        let Some(movie) = self.movies.remove(key) else {
            return false;
        };
        self.movie_order.retain(|k| k != key);
        for collection in self.collections.values_mut() {
            if collection.member_set.remove(key) {
                collection.members.retain(|k| k != key);
            }
        }
        self.touch_section(&movie.section);
        true
    }

    fn seed_collection(&mut self, section: &str, seed: FakeCollection) {
        let keys: Vec<String> = seed
            .items
            .iter()
            .map(|item| match item {
                ItemRef::Key(key) => {
                    assert!(self.member(key).is_some(), "fake Plex: no item {key}");
                    key.clone()
                }
                ItemRef::Title(title) => self
                    .movie_order
                    .iter()
                    .find(|k| self.movies[*k].section == section && self.movies[*k].title == *title)
                    .or_else(|| {
                        self.show_order.iter().find(|k| {
                            self.shows[*k].section == section && self.shows[*k].title == *title
                        })
                    })
                    .unwrap_or_else(|| panic!("fake Plex: no item titled {title} in {section}"))
                    .clone(),
            })
            .collect();
        // A smart collection's items come from its filter: seeded as given.
        let key = self.create_collection(section, seed.title, seed.rating_key, false);
        self.add_items(&key, &keys).expect("just created");
        let collection = self.collections.get_mut(&key).expect("just created");
        collection.sort = seed.sort;
        collection.summary = seed.summary;
        collection.smart = seed.smart;
    }

    pub(crate) fn create_collection(
        &mut self,
        section: &str,
        title: String,
        key: Option<String>,
        smart: bool,
    ) -> String {
        let kind = self
            .section(section)
            .and_then(|s| MediaKind::of_section(&s.kind))
            .unwrap_or(MediaKind::Movie);
        let key = self.new_key(key);
        let now = self.tick();
        self.collections.insert(
            key.clone(),
            CollectionRec {
                key: key.clone(),
                section: section.to_owned(),
                title,
                kind,
                sort: CollectionSort::ReleaseDate,
                smart,
                summary: String::new(),
                added_at: now,
                updated_at: now,
                members: Vec::new(),
                member_set: HashSet::new(),
                poster: None,
                art: None,
                emptied: false,
            },
        );
        self.collection_order.push(key.clone());
        key
    }

    fn editable(&mut self, collection: &str) -> Outcome<&mut CollectionRec> {
        let collection = self
            .collections
            .get_mut(collection)
            .ok_or(Refusal::NotFound)?;
        if collection.smart {
            return Err(Refusal::BadRequest);
        }
        Ok(collection)
    }

    /// Appends the keys not yet in the collection, in the order
    /// [`AddOrder`] says; keys of items that do not exist, or are not of the
    /// collection's kind (movies, shows), are skipped.
    pub(crate) fn add_items(&mut self, collection: &str, keys: &[String]) -> Outcome {
        let now = self.tick();
        let (movies, shows) = (&self.movies, &self.shows);
        let collection = self
            .collections
            .get_mut(collection)
            .ok_or(Refusal::NotFound)?;
        if collection.smart {
            return Err(Refusal::BadRequest);
        }
        let kind = collection.kind;
        let mut added: Vec<String> = keys
            .iter()
            .filter(|key| match kind {
                MediaKind::Movie => movies.contains_key(*key),
                MediaKind::Show => shows.contains_key(*key),
            })
            .filter(|key| collection.member_set.insert((*key).clone()))
            .cloned()
            .collect();
        match self.add_order {
            AddOrder::AsSent => {}
            AddOrder::Reversed => added.reverse(),
            AddOrder::ByRatingKey => {
                added.sort_by_key(|k| (k.parse::<u64>().unwrap_or(u64::MAX), k.clone()));
            }
        }
        collection.members.extend(added);
        collection.updated_at = now;
        Ok(())
    }

    pub(crate) fn remove_item(&mut self, collection: &str, key: &str) -> Outcome {
        let now = self.tick();
        let collection = self.editable(collection)?;
        if !collection.member_set.remove(key) {
            return Err(Refusal::NotFound);
        }
        collection.members.retain(|k| k != key);
        collection.emptied |= collection.members.is_empty();
        collection.updated_at = now;
        Ok(())
    }

    /// Moves `key` to just after `after`, or to the front.
    pub(crate) fn move_item(
        &mut self,
        collection: &str,
        key: &str,
        after: Option<&str>,
    ) -> Outcome {
        let now = self.tick();
        let collection = self.editable(collection)?;
        if !collection.member_set.contains(key) {
            return Err(Refusal::NotFound);
        }
        if let Some(after) = after
            && !collection.member_set.contains(after)
        {
            return Err(Refusal::BadRequest);
        }
        if after == Some(key) {
            return Ok(());
        }
        let members = &mut collection.members;
        let renumbered = members.len() as u64;
        let from = members.iter().position(|k| k == key).expect("member");
        let moved = members.remove(from);
        let to = match after {
            None => 0,
            Some(after) => members.iter().position(|k| k == after).expect("member") + 1,
        };
        members.insert(to, moved);
        collection.updated_at = now;
        self.renumbered += renumbered;
        Ok(())
    }

    pub(crate) fn delete_collection(&mut self, key: &str) -> Outcome {
        self.collections.remove(key).ok_or(Refusal::NotFound)?;
        self.collection_order.retain(|k| k != key);
        self.hubs.forget_collection(key);
        Ok(())
    }

    /// Deletes an item with all its media and files
    /// (`DELETE /library/metadata/{key}`, as Plex Web deletes a movie).
    pub(crate) fn delete_item(&mut self, key: &str) -> Outcome {
        if !self.movies.contains_key(key) && !self.episodes.contains_key(key) {
            return Err(Refusal::NotFound);
        }
        if let Some(status) = self.deletion_refusal {
            return Err(Refusal::Deletion(status));
        }
        if !self.allow_media_deletion {
            return Err(Refusal::Deletion(400));
        }
        if !self.remove_movie(key) {
            self.remove_episode(key);
        }
        Ok(())
    }

    /// Deletes one media version; the item goes when its last version does.
    /// Deletes one media version of a movie or an episode; the item goes
    /// when its last version does.
    pub(crate) fn delete_media(&mut self, key: &str, media: u64) -> Outcome {
        let (refusal, allowed) = (self.deletion_refusal, self.allow_media_deletion);
        let (versions, section) = if let Some(movie) = self.movies.get_mut(key) {
            (&mut movie.versions, movie.section.clone())
        } else {
            let episode = self.episodes.get_mut(key).ok_or(Refusal::NotFound)?;
            let section = self
                .shows
                .get(&episode.show)
                .map(|s| s.section.clone())
                .unwrap_or_default();
            (&mut episode.versions, section)
        };
        let position = versions
            .iter()
            .position(|v| v.id == media)
            .ok_or(Refusal::NotFound)?;
        if let Some(status) = refusal {
            return Err(Refusal::Deletion(status));
        }
        if !allowed {
            return Err(Refusal::Deletion(400));
        }
        versions.remove(position);
        if versions.is_empty() {
            if !self.remove_movie(key) {
                self.remove_episode(key);
            }
        } else {
            self.touch_section(&section);
        }
        Ok(())
    }

    /// A collection's items in the order Plex shows them: the custom order,
    /// or sorted by title or release year per its sort pref.
    pub(crate) fn visible_members(&self, collection: &CollectionRec) -> Vec<Member<'_>> {
        let mut members: Vec<Member<'_>> = collection
            .members
            .iter()
            .filter_map(|k| self.member(k))
            .collect();
        match collection.sort {
            CollectionSort::Custom => {}
            CollectionSort::Alphabetical => {
                members.sort_by_cached_key(|m| m.title().to_lowercase());
            }
            CollectionSort::ReleaseDate => {
                members.sort_by_cached_key(|m| {
                    (m.year().unwrap_or(u16::MAX), m.title().to_lowercase())
                });
            }
        }
        members
    }

    pub(crate) fn set_max_page(&mut self, size: Option<usize>) {
        self.max_page_size = size.map(|s| s.max(1));
    }
}

impl MovieRec {
    pub(crate) fn guid(&self) -> String {
        match (self.agent, self.tmdb, &self.imdb) {
            (Agent::LegacyTmdb, Some(tmdb), _) => {
                format!("com.plexapp.agents.themoviedb://{tmdb}?lang=en")
            }
            (Agent::LegacyImdb, _, Some(imdb)) => {
                format!("com.plexapp.agents.imdb://{imdb}?lang=en")
            }
            (Agent::LegacyNfo, _, Some(imdb)) => {
                format!("com.plexapp.agents.xbmcnfo://{imdb}?lang=xn")
            }
            (
                Agent::LegacyTmdb | Agent::LegacyImdb | Agent::LegacyNfo | Agent::LegacyTvdb,
                _,
                _,
            ) => {
                format!("com.plexapp.agents.none://{}?lang=xn", self.key)
            }
            (Agent::Current, _, _) => self.plex_guid.clone(),
        }
    }

    /// The `Guid` array entries (current agent only).
    pub(crate) fn guid_ids(&self) -> Vec<String> {
        if self.agent != Agent::Current {
            return Vec::new();
        }
        let mut ids = Vec::new();
        if let Some(imdb) = &self.imdb {
            ids.push(format!("imdb://{imdb}"));
        }
        if let Some(tmdb) = self.tmdb {
            ids.push(format!("tmdb://{tmdb}"));
        }
        ids
    }

    /// The domain view, as a client would read it.
    pub(crate) fn to_movie(&self) -> Movie {
        let (tmdb_id, imdb_id) = match self.agent {
            Agent::Current => (self.tmdb, self.imdb.clone()),
            Agent::LegacyTmdb => (self.tmdb, None),
            Agent::LegacyImdb | Agent::LegacyNfo => (None, self.imdb.clone()),
            Agent::LegacyTvdb => (None, None),
        };
        Movie {
            rating_key: RatingKey(self.key.clone()),
            title: self.title.clone(),
            original_title: self.original_title.clone(),
            year: self.year,
            added_at: Some(self.added_at),
            guid: self.guid(),
            tmdb_id,
            imdb_id,
            edition: self.edition.clone(),
            section: Some(SectionKey(self.section.clone())),
            media: self.versions.iter().map(VersionRec::to_version).collect(),
        }
    }
}

impl ShowRec {
    /// The guid of the show (no suffix), of a season (`/{season}`) or an
    /// episode (`/{season}/{episode}`) under a legacy agent.
    fn legacy_guid(&self, suffix: &str) -> Option<String> {
        match (self.agent, self.tvdb, self.tmdb) {
            (Agent::LegacyTvdb, Some(tvdb), _) => Some(format!(
                "com.plexapp.agents.thetvdb://{tvdb}{suffix}?lang=en"
            )),
            (Agent::LegacyTmdb, _, Some(tmdb)) => Some(format!(
                "com.plexapp.agents.themoviedb://{tmdb}{suffix}?lang=en"
            )),
            (Agent::Current, _, _) => None,
            _ => Some(format!(
                "com.plexapp.agents.none://{}{suffix}?lang=xn",
                self.key
            )),
        }
    }

    pub(crate) fn guid(&self) -> String {
        self.legacy_guid("")
            .unwrap_or_else(|| self.plex_guid.clone())
    }

    /// A season's guid.
    pub(crate) fn season_guid(&self, season: u32, season_key: &str) -> String {
        self.legacy_guid(&format!("/{season}"))
            .unwrap_or_else(|| format!("plex://season/602e69{:018x}", fnv(season_key)))
    }

    /// An episode's guid.
    pub(crate) fn episode_guid(&self, episode: &EpisodeRec) -> String {
        self.legacy_guid(&format!("/{}/{}", episode.season, episode.index))
            .unwrap_or_else(|| episode.plex_guid.clone())
    }

    /// The `Guid` array entries (current agent only), in Plex's order.
    pub(crate) fn guid_ids(&self) -> Vec<String> {
        if self.agent != Agent::Current {
            return Vec::new();
        }
        let mut ids = Vec::new();
        if let Some(imdb) = &self.imdb {
            ids.push(format!("imdb://{imdb}"));
        }
        if let Some(tmdb) = self.tmdb {
            ids.push(format!("tmdb://{tmdb}"));
        }
        if let Some(tvdb) = self.tvdb {
            ids.push(format!("tvdb://{tvdb}"));
        }
        ids
    }

    /// The domain view, as a client would read it.
    pub(crate) fn to_show(&self) -> Show {
        let (tmdb_id, tvdb_id, imdb_id) = match self.agent {
            Agent::Current => (self.tmdb, self.tvdb, self.imdb.clone()),
            Agent::LegacyTvdb => (None, self.tvdb, None),
            Agent::LegacyTmdb => (self.tmdb, None, None),
            Agent::LegacyImdb | Agent::LegacyNfo => (None, None, None),
        };
        Show {
            rating_key: RatingKey(self.key.clone()),
            title: self.title.clone(),
            original_title: self.original_title.clone(),
            year: self.year,
            added_at: Some(self.added_at),
            guid: self.guid(),
            tmdb_id,
            tvdb_id,
            imdb_id,
            section: Some(SectionKey(self.section.clone())),
            season_count: Some(self.seasons.len() as u32),
            episode_count: Some(self.episodes.len() as u32),
        }
    }

    /// The show as its episodes name it.
    pub(crate) fn to_ref(&self) -> ShowRef {
        let show = self.to_show();
        let legacy = self.agent != Agent::Current;
        ShowRef {
            rating_key: show.rating_key,
            guid: show.guid,
            title: show.title,
            tmdb_id: show.tmdb_id.filter(|_| legacy),
            tvdb_id: show.tvdb_id.filter(|_| legacy),
        }
    }
}

impl EpisodeRec {
    /// The domain view, as a client would read it.
    pub(crate) fn to_episode(&self, show: &ShowRec) -> Episode {
        Episode {
            rating_key: RatingKey(self.key.clone()),
            title: self.title.clone(),
            guid: show.episode_guid(self),
            show: show.to_ref(),
            season_key: Some(RatingKey(self.season_key.clone())),
            season: Some(self.season),
            episode: Some(self.index),
            year: show.year,
            added_at: Some(self.added_at),
            section: Some(SectionKey(show.section.clone())),
            media: self.versions.iter().map(VersionRec::to_version).collect(),
        }
    }
}

impl VersionRec {
    pub(crate) fn to_version(&self) -> MediaVersion {
        MediaVersion {
            id: MediaId(self.id),
            video_resolution: Some(self.resolution.clone()),
            bitrate: Some(self.bitrate),
            width: Some(self.width),
            height: Some(self.height),
            video_codec: Some(self.video_codec.clone()),
            audio_codec: Some(self.audio_codec.clone()),
            container: Some(self.container.clone()),
            duration: Some(self.duration),
            optimized: self.optimized.is_some(),
            parts: self
                .parts
                .iter()
                .map(|p| MediaPart {
                    id: p.id,
                    file: p.file.clone(),
                    size: p.size,
                    duration: Some(self.duration),
                    // As a plain listing shows it: Plex says nothing about
                    // the file unless asked with checkFiles.
                    available: None,
                })
                .collect(),
        }
    }
}

impl CollectionRec {
    pub(crate) fn to_collection(&self) -> Collection {
        Collection {
            rating_key: RatingKey(self.key.clone()),
            title: self.title.clone(),
            child_count: self.members.len() as u32,
            collection_sort: Some(self.sort),
            smart: self.smart,
            summary: (!self.summary.is_empty()).then(|| self.summary.clone()),
        }
    }
}

/// A small stable hash, for made-up guids.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
