//! A stateful fake Plex Media Server for tests, demos and benchmarks
//! (feature `fake`).
//!
//! [`FakePlex`] runs a [`wiremock::MockServer`] whose one responder keeps a
//! real library in memory: sections, movies with guids of both agent
//! styles, media versions and parts, TV shows ([`FakeShow`]: current and
//! legacy agents, seasons, specials, episodes with versions, listed per show
//! with `allLeaves` and per section with `type=4`), and collections of
//! movies or shows (`type=1` or `type=2` on create) with Plex's ordering
//! rules (add appends, skipping items already in, in the order [`AddOrder`]
//! says; move after an item or to the front; remove; the sort pref decides
//! what `children` shows), each section's "Manage Recommendations" list of
//! hubs (built-in ones, collections made into hubs, moves, and a refusal
//! without Plex Pass: [`FakePlex::set_hub_refusal`]), uploaded posters
//! and backgrounds, and the photo transcoder (`/photo/:/transcode` answers
//! a PNG of the asked size for the `thumb` of a movie or show it knows, the
//! same bytes every time, 404 otherwise). It
//! answers Plex's JSON shapes and status codes (401 without the right
//! `X-Plex-Token`, 400 when deleting media is not allowed, HTML error
//! bodies), pages listings (`X-Plex-Container-Start`/`-Size` from the query
//! or the headers, with `totalSize` and `offset`), counts requests per
//! operation under the client's names ([`ops`](crate::ops)), can add latency
//! (moves get slower as collections grow, as on a real server), and takes
//! injected faults.
//!
//! ```
//! use plex_client::fake::{FakeCollection, FakeMovie, FakePlex, PlexSeed};
//! use plex_client::{CollectionSort, PlexApi, SectionKey, ops};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> plex_client::Result<()> {
//! let fake = FakePlex::start(
//!     PlexSeed::new()
//!         .movie_section("1", "Movies")
//!         .movie("1", FakeMovie::new("Heat", 1995).tmdb(949))
//!         .movie("1", FakeMovie::new("Alien", 1979).tmdb(348)),
//! )
//! .await;
//! let plex = fake.client()?;
//! let section = SectionKey::from("1");
//! let collection = plex.create_collection(&section, "Tonight").await?;
//! let keys: Vec<_> = plex.movies(&section).await?.into_iter().map(|m| m.rating_key).collect();
//! plex.add_to_collection(&collection.rating_key, &keys).await?;
//! plex.set_collection_sort(&collection.rating_key, CollectionSort::Custom).await?;
//! plex.move_collection_item(&collection.rating_key, &keys[1], None).await?;
//! assert_eq!(fake.collection_titles("Tonight"), ["Alien", "Heat"]);
//! assert_eq!(fake.stats().count(ops::MOVE_ITEM), 1);
//! # Ok(())
//! # }
//! ```

mod hubs;
mod responder;
mod seed;
mod state;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::{RequestStats, RetryPolicy, Secret};
use wiremock::MockServer;

/// Re-exported so tests can queue faults without depending on `curator-http`.
pub use curator_http::fake::{Fault, Faults};
pub use responder::UNKNOWN_OP;
pub use seed::{
    Agent, DEFAULT_MACHINE_IDENTIFIER, DEFAULT_TOKEN, FakeCollection, FakeEpisode, FakeMovie,
    FakeShow, FakeVersion, PlexSeed,
};

use crate::client::{PlexClient, PlexClientBuilder};
use crate::error::Result;
use crate::model::{
    Collection, CollectionSort, Episode, Image, ImageSlot, ManagedHub, MediaKind, MediaKindExt,
    MediaVersion, Movie, RatingKey, SectionKey, Show,
};
use responder::Responder;
pub use state::AddOrder;
use state::State;

/// A running fake Plex server. Dropping it stops the server.
#[derive(Debug)]
pub struct FakePlex {
    server: MockServer,
    state: Arc<Mutex<State>>,
    stats: RequestStats,
    faults: Faults,
}

impl FakePlex {
    /// Starts a server holding `seed`.
    ///
    /// # Panics
    /// When the seed names a section or movie it did not add first, or uses
    /// a rating key twice.
    pub async fn start(seed: PlexSeed) -> Self {
        let state = Arc::new(Mutex::new(State::from_seed(seed)));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let server = curator_http::fake::serve(
            "fake plex",
            Responder {
                state: Arc::clone(&state),
                stats: stats.clone(),
                faults: faults.clone(),
            },
        )
        .await;
        Self {
            server,
            state,
            stats,
            faults,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's base URL, such as `http://127.0.0.1:43121`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The token the server accepts.
    pub fn token(&self) -> Secret {
        Secret::new(self.state().token.clone())
    }

    /// The server's machine identifier.
    pub fn machine_identifier(&self) -> String {
        self.state().machine_identifier.clone()
    }

    /// A client builder pointed at this server with its token and a fast
    /// retry policy (3 retries, 1 ms apart), ready for more settings.
    pub fn client_builder(&self) -> PlexClientBuilder {
        PlexClient::builder(self.uri(), self.token()).retry_policy(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::from_millis(5),
        })
    }

    /// A client for this server (see [`FakePlex::client_builder`]).
    ///
    /// # Errors
    /// As [`PlexClientBuilder::build`].
    pub fn client(&self) -> Result<PlexClient> {
        self.client_builder().build()
    }

    /// Requests received, per operation ([`ops`](crate::ops) names, or
    /// [`UNKNOWN_OP`]), faulted and refused ones included.
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// The fault queue: `fake.faults().inject(ops::MOVE_ITEM, Fault::Status(503), 2)`.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Turns the `allowMediaDeletion` setting on or off.
    pub fn set_allow_media_deletion(&self, allow: bool) {
        self.state().allow_media_deletion = allow;
    }

    /// Refuses every delete with this status (401, 403, or 400) and a
    /// short HTML reason, whatever `allowMediaDeletion` says; `None` again
    /// follows the setting.
    pub fn set_deletion_refusal(&self, status: Option<u16>) {
        self.state().deletion_refusal = status;
    }

    /// Makes deletes answer only after `latency`, while the deletion itself
    /// happens at once: a server still removing a big file when the client
    /// gives up.
    pub fn set_delete_latency(&self, latency: Duration) {
        self.state().delete_latency = latency;
    }

    /// Whether `checkFiles=1` is honoured on a request for several keys.
    /// It is documented per item; a server that ignores it for several
    /// sends no `exists`/`accessible` at all (default: honoured).
    pub fn set_check_files_multi_key(&self, honoured: bool) {
        self.state().check_files_multi_key = honoured;
    }

    /// How many items were refreshed because `checkFiles=1` came without
    /// `skipRefresh=1` (the server refreshes each item it checks).
    pub fn refreshed_items(&self) -> u64 {
        self.state().refreshed_items
    }

    /// Sends a lone `Metadata` entry as an object rather than an array,
    /// as some servers do.
    pub fn set_single_metadata_object(&self, single: bool) {
        self.state().single_metadata_object = single;
    }

    /// Makes listings ignore `X-Plex-Container-Start` (every page starts at
    /// the first item) and leave out `totalSize`, as some servers and
    /// proxies do.
    pub fn set_ignores_paging_offset(&self, ignores: bool) {
        self.state().ignores_paging_offset = ignores;
    }

    /// Every `X-Plex-Client-Identifier` the server was sent, once each, in
    /// the order first seen: the devices Plex would list.
    pub fn client_identifiers(&self) -> Vec<String> {
        self.state().client_identifiers.clone()
    }

    /// True when a removal ever left this collection empty.
    pub fn was_emptied(&self, collection: &RatingKey) -> bool {
        self.state()
            .collections
            .get(collection.as_str())
            .is_some_and(|c| c.emptied)
    }

    /// Delays every answer by `latency`.
    pub fn set_latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    /// Delays every move by `base + per_item * collection size`, on top of
    /// [`FakePlex::set_latency`]: real servers renumber the whole
    /// collection on each move.
    pub fn set_move_latency(&self, base: Duration, per_item: Duration) {
        self.state().move_latency = (base, per_item);
    }

    /// Where the items of one add request land relative to each other
    /// (see [`AddOrder`]; real servers are unconfirmed).
    pub fn set_add_order(&self, order: AddOrder) {
        self.state().add_order = order;
    }

    /// Positions renumbered by all moves so far (each move renumbers the
    /// whole collection, as the real server does): the cost that makes
    /// moves slow on large collections.
    pub fn renumbered(&self) -> u64 {
        self.state().renumbered
    }

    /// The most items one page holds, whatever was asked (`None`: no cap).
    pub fn set_max_page_size(&self, size: Option<usize>) {
        self.state().set_max_page(size);
    }

    /// Adds a movie to a movie section, as a library scan would, and returns
    /// its rating key.
    ///
    /// # Panics
    /// When the section is not a movie section of this server.
    pub fn add_movie(&self, section: &str, movie: FakeMovie) -> RatingKey {
        RatingKey(self.state().add_movie(section, movie))
    }

    /// Removes a movie from the library and its collections; false when it
    /// was not there.
    pub fn remove_movie(&self, rating_key: &RatingKey) -> bool {
        self.state().remove_movie(rating_key.as_str())
    }

    /// A movie as a client would read it, if it exists.
    pub fn movie(&self, rating_key: &RatingKey) -> Option<Movie> {
        self.state()
            .movies
            .get(rating_key.as_str())
            .map(state::MovieRec::to_movie)
    }

    /// The key of the first movie (in the order added) with this title.
    pub fn movie_key(&self, title: &str) -> Option<RatingKey> {
        let state = self.state();
        state
            .movie_order
            .iter()
            .find(|k| state.movies[*k].title == title)
            .map(|k| RatingKey(k.clone()))
    }

    /// Every movie of a section, in the order added.
    pub fn movies(&self, section: &SectionKey) -> Vec<Movie> {
        let state = self.state();
        state
            .movie_order
            .iter()
            .map(|k| &state.movies[k])
            .filter(|m| m.section == section.as_str())
            .map(state::MovieRec::to_movie)
            .collect()
    }

    /// Adds a show with its episodes to a show section, as a library scan
    /// would, and returns its rating key.
    ///
    /// # Panics
    /// When the section is not a show section of this server.
    pub fn add_show(&self, section: &str, show: FakeShow) -> RatingKey {
        RatingKey(self.state().add_show(section, show))
    }

    /// A show as a client would read it, if it exists.
    pub fn show(&self, rating_key: &RatingKey) -> Option<Show> {
        self.state()
            .shows
            .get(rating_key.as_str())
            .map(state::ShowRec::to_show)
    }

    /// The key of the first show (in the order added) with this title.
    pub fn show_key(&self, title: &str) -> Option<RatingKey> {
        let state = self.state();
        state
            .show_order
            .iter()
            .find(|k| state.shows[*k].title == title)
            .map(|k| RatingKey(k.clone()))
    }

    /// Every show of a section, in the order added.
    pub fn shows(&self, section: &SectionKey) -> Vec<Show> {
        let state = self.state();
        state
            .show_order
            .iter()
            .map(|k| &state.shows[k])
            .filter(|s| s.section == section.as_str())
            .map(state::ShowRec::to_show)
            .collect()
    }

    /// A show's episodes in season and episode order, as a client would
    /// read them (empty when the show does not exist).
    pub fn show_episodes(&self, show: &RatingKey) -> Vec<Episode> {
        let state = self.state();
        let Some(rec) = state.shows.get(show.as_str()) else {
            return Vec::new();
        };
        rec.episodes
            .iter()
            .filter_map(|k| state.episodes.get(k))
            .map(|e| e.to_episode(rec))
            .collect()
    }

    /// An episode as a client would read it, if it exists.
    pub fn episode(&self, rating_key: &RatingKey) -> Option<Episode> {
        let state = self.state();
        let episode = state.episodes.get(rating_key.as_str())?;
        Some(episode.to_episode(state.shows.get(&episode.show)?))
    }

    /// The key of an episode, by its show's title and its season and
    /// episode numbers.
    pub fn episode_key(&self, show: &str, season: u32, episode: u32) -> Option<RatingKey> {
        let show = self.show_key(show)?;
        self.show_episodes(&show)
            .into_iter()
            .find(|e| e.season == Some(season) && e.episode == Some(episode))
            .map(|e| e.rating_key)
    }

    /// A movie's media versions (empty when the movie does not exist).
    pub fn media_versions(&self, rating_key: &RatingKey) -> Vec<MediaVersion> {
        self.movie(rating_key).map(|m| m.media).unwrap_or_default()
    }

    /// The collections of a section.
    pub fn collections(&self, section: &SectionKey) -> Vec<Collection> {
        let state = self.state();
        state
            .collection_order
            .iter()
            .map(|k| &state.collections[k])
            .filter(|c| c.section == section.as_str())
            .map(state::CollectionRec::to_collection)
            .collect()
    }

    /// The key of the first collection (of any section) with this title.
    pub fn collection_key(&self, title: &str) -> Option<RatingKey> {
        let state = self.state();
        state
            .collection_order
            .iter()
            .find(|k| state.collections[*k].title == title)
            .map(|k| RatingKey(k.clone()))
    }

    /// A collection, if it exists.
    pub fn collection(&self, rating_key: &RatingKey) -> Option<Collection> {
        self.state()
            .collections
            .get(rating_key.as_str())
            .map(state::CollectionRec::to_collection)
    }

    /// A collection's items in the order Plex shows them (the custom order,
    /// or by title or release year per its sort pref); empty when it does
    /// not exist.
    pub fn collection_items(&self, collection: &RatingKey) -> Vec<RatingKey> {
        let state = self.state();
        state
            .collections
            .get(collection.as_str())
            .map(|c| {
                state
                    .visible_members(c)
                    .into_iter()
                    .map(|m| RatingKey(m.key().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A collection's custom order (what moves change), whatever its sort pref.
    pub fn collection_custom_order(&self, collection: &RatingKey) -> Vec<RatingKey> {
        self.state()
            .collections
            .get(collection.as_str())
            .map(|c| c.members.iter().cloned().map(RatingKey).collect())
            .unwrap_or_default()
    }

    /// The titles of a collection's items in the order Plex shows them,
    /// found by collection title; empty when there is no such collection.
    pub fn collection_titles(&self, title: &str) -> Vec<String> {
        let Some(key) = self.collection_key(title) else {
            return Vec::new();
        };
        let state = self.state();
        state
            .visible_members(&state.collections[key.as_str()])
            .into_iter()
            .map(|m| m.title().to_owned())
            .collect()
    }

    /// A collection's sort pref.
    pub fn collection_sort(&self, collection: &RatingKey) -> Option<CollectionSort> {
        self.state()
            .collections
            .get(collection.as_str())
            .map(|c| c.sort)
    }

    /// True when the collection exists and is sorted in custom order.
    pub fn is_custom_sort(&self, collection: &RatingKey) -> bool {
        self.collection_sort(collection) == Some(CollectionSort::Custom)
    }

    /// A collection's summary (empty when none or no such collection).
    pub fn collection_summary(&self, collection: &RatingKey) -> String {
        self.state()
            .collections
            .get(collection.as_str())
            .map(|c| c.summary.clone())
            .unwrap_or_default()
    }

    /// The poster bytes last uploaded to a collection, if any.
    pub fn poster(&self, collection: &RatingKey) -> Option<Vec<u8>> {
        match self.image(collection, ImageSlot::Poster) {
            Some(Image::Bytes(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// The poster or background last uploaded to a collection (its bytes,
    /// or the URL Plex was told to fetch), if any.
    pub fn image(&self, collection: &RatingKey, slot: ImageSlot) -> Option<Image> {
        let state = self.state();
        let c = state.collections.get(collection.as_str())?;
        match slot {
            ImageSlot::Poster => c.poster.clone(),
            ImageSlot::Background => c.art.clone(),
        }
    }

    /// Refuses every hub-management request with this status (401 or 403,
    /// as a server whose owner has no Plex Pass; which one the real server
    /// sends is unconfirmed), or allows them again with `None` (the
    /// default).
    pub fn set_hub_refusal(&self, status: Option<u16>) {
        self.state().hub_refusal = status;
    }

    /// A section's "Manage Recommendations" list in its order: the
    /// built-in hubs and the collections made into hubs.
    pub fn hubs(&self, section: &SectionKey) -> Vec<ManagedHub> {
        let mut state = self.state();
        let state = &mut *state;
        let kind = state
            .section(section.as_str())
            .and_then(|s| MediaKind::of_section(&s.kind));
        let collections = &state.collections;
        state.hubs.hubs(section.as_str(), kind, |key| {
            collections.get(key).map(|c| c.title.clone())
        })
    }

    /// Moves a hub as someone would in Plex Web (after another hub, or
    /// first); false when either hub is not on the list.
    pub fn move_hub(&self, section: &SectionKey, identifier: &str, after: Option<&str>) -> bool {
        let mut state = self.state();
        let kind = state
            .section(section.as_str())
            .and_then(|s| MediaKind::of_section(&s.kind));
        state
            .hubs
            .move_after(section.as_str(), kind, identifier, after)
            .is_ok()
    }
}
