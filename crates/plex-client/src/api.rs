//! The [`PlexApi`] trait: what curator asks of a Plex server.

use async_trait::async_trait;
use curator_http::ImageFile;

use crate::error::Error;
use crate::error::Result;
use crate::model::{
    Collection, CollectionItem, CollectionSort, Episode, HubVisibility, Image, ImageSlot,
    ManagedHub, MediaId, MediaKind, Movie, RatingKey, Section, SectionKey, ServerIdentity,
    ServerInfo, Show,
};

/// Operation names, used for request counters, errors and logs by the
/// client and by the fake server alike, so tests can compare them.
pub mod ops {
    /// `GET /identity`.
    pub const IDENTITY: &str = "plex.identity";
    /// `GET /`.
    pub const SERVER_INFO: &str = "plex.server_info";
    /// `GET /library/sections`.
    pub const SECTIONS: &str = "plex.sections";
    /// `GET /library/sections/{key}/all?type=1&includeGuids=1`, per page.
    pub const MOVIES: &str = "plex.movies";
    /// `GET /library/sections/{key}/all?type=1&title=..`, per page.
    pub const SEARCH_MOVIES: &str = "plex.search_movies";
    /// `GET /library/sections/{key}/all?type=2&includeGuids=1`, per page.
    pub const SHOWS: &str = "plex.shows";
    /// `GET /library/metadata/{show}/allLeaves`, per page.
    pub const SHOW_EPISODES: &str = "plex.show_episodes";
    /// `GET /library/sections/{key}/all?type=4`, per page.
    pub const SECTION_EPISODES: &str = "plex.section_episodes";
    /// `GET /library/metadata/{ratingKey}` (of any kind of item, and of
    /// several keys at once).
    pub const ITEM: &str = "plex.item";
    /// `DELETE /library/metadata/{ratingKey}/media/{mediaId}`.
    pub const DELETE_MEDIA: &str = "plex.delete_media";
    /// `DELETE /library/metadata/{ratingKey}`.
    pub const DELETE_ITEM: &str = "plex.delete_item";
    /// `GET /library/sections/{key}/all?type=18`, per page.
    pub const COLLECTIONS: &str = "plex.collections";
    /// `POST /library/collections?type=1` (movies) or `type=2` (shows).
    pub const CREATE_COLLECTION: &str = "plex.create_collection";
    /// `PUT /library/collections/{id}/items?uri=..`, per chunk.
    pub const ADD_ITEMS: &str = "plex.add_items";
    /// `DELETE /library/collections/{id}/items/{ratingKey}`.
    pub const REMOVE_ITEM: &str = "plex.remove_item";
    /// `GET /library/collections/{id}/children`, per page (movies or shows).
    pub const COLLECTION_CHILDREN: &str = "plex.collection_children";
    /// `PUT /library/collections/{id}/items/{ratingKey}/move`.
    pub const MOVE_ITEM: &str = "plex.move_item";
    /// `PUT /library/metadata/{id}/prefs?collectionSort=..`.
    pub const SET_COLLECTION_SORT: &str = "plex.set_collection_sort";
    /// `PUT /library/sections/{s}/all?type=18&id=..&summary.value=..`.
    pub const SET_COLLECTION_SUMMARY: &str = "plex.set_collection_summary";
    /// `DELETE /library/collections/{id}`.
    pub const DELETE_COLLECTION: &str = "plex.delete_collection";
    /// `POST /library/metadata/{id}/posters`.
    pub const UPLOAD_POSTER: &str = "plex.upload_poster";
    /// `POST /library/metadata/{id}/arts`.
    pub const UPLOAD_ART: &str = "plex.upload_art";
    /// `GET /photo/:/transcode?width=..&height=..&minSize=1&upscale=1&url={thumb}`.
    pub const THUMBNAIL: &str = "plex.thumbnail";
    /// `GET /hubs/sections/{section}/manage`.
    pub const MANAGED_HUBS: &str = "plex.managed_hubs";
    /// `POST /hubs/sections/{section}/manage?metadataItemId=..`.
    pub const PROMOTE_HUB: &str = "plex.promote_hub";
    /// `PUT /hubs/sections/{section}/manage/{identifier}?promotedTo..=`.
    pub const UPDATE_HUB: &str = "plex.update_hub";
    /// `PUT /hubs/sections/{section}/manage/{identifier}/move`.
    pub const MOVE_HUB: &str = "plex.move_hub";
    /// `DELETE /hubs/sections/{section}/manage/{identifier}`.
    pub const REMOVE_HUB: &str = "plex.remove_hub";
}

/// The Plex Media Server operations curator needs.
///
/// [`PlexClient`](crate::PlexClient) implements it over HTTP; tests of code
/// written against it can use the fake server (feature `fake`) or a small
/// in-memory implementation. Object safe: hold it as `Arc<dyn PlexApi>`.
///
/// Every method fails with [`Error::Unauthorized`](crate::Error::Unauthorized)
/// when the token is rejected and with [`Error::Http`](crate::Error::Http) for
/// transport failures and unexpected statuses (after retries).
///
/// The TV methods (shows, episodes, show collections) came later: their
/// defaults fail with [`Error::Unsupported`](crate::Error::Unsupported), so
/// implementations written for movies keep compiling.
#[async_trait]
pub trait PlexApi: Send + Sync {
    /// The server's machine identifier and version (`GET /identity`).
    async fn identity(&self) -> Result<ServerIdentity>;

    /// The server's settings that matter to curator (`GET /`), among them
    /// whether media deletion is allowed.
    async fn server_info(&self) -> Result<ServerInfo>;

    /// Every library section.
    async fn sections(&self) -> Result<Vec<Section>>;

    /// Every movie of a section, with guids and media versions, all pages.
    async fn movies(&self, section: &SectionKey) -> Result<Vec<Movie>>;

    /// Movies of a section whose title contains `title` (Plex matches
    /// loosely: compare titles yourself), optionally of one year.
    async fn search_movies(
        &self,
        section: &SectionKey,
        title: &str,
        year: Option<u16>,
    ) -> Result<Vec<Movie>>;

    /// One item with all its media versions; `None` when it does not exist.
    async fn item(&self, rating_key: &RatingKey) -> Result<Option<Movie>>;

    /// Several items at once, in one request per 100 keys
    /// (`GET /library/metadata/{k1,k2,...}`); keys Plex does not know are
    /// left out of the answer. The default asks for each key in turn.
    async fn items(&self, rating_keys: &[RatingKey]) -> Result<Vec<Movie>> {
        let mut found = Vec::with_capacity(rating_keys.len());
        for key in rating_keys {
            if let Some(movie) = self.item(key).await? {
                found.push(movie);
            }
        }
        Ok(found)
    }

    /// Like [`PlexApi::items`], but the server checks each part's file on
    /// disk (`checkFiles=1`) and reports it in
    /// [`MediaPart::available`](crate::MediaPart::available). Used before
    /// deleting anything. The default asks [`PlexApi::items`] (availability
    /// then stays unknown).
    async fn check_files(&self, rating_keys: &[RatingKey]) -> Result<Vec<Movie>> {
        self.items(rating_keys).await
    }

    /// Every show of a TV section, with its guids (TMDb TV, TVDB, IMDb ids),
    /// all pages (`GET /library/sections/{key}/all?type=2&includeGuids=1`,
    /// as python-plexapi `ShowSection.searchShows`).
    async fn shows(&self, section: &SectionKey) -> Result<Vec<Show>> {
        let _ = section;
        Err(Error::Unsupported { op: ops::SHOWS })
    }

    /// One show; `None` when it does not exist or is not a show. Use it for
    /// the ids of an episode's show when the episode's
    /// [`ShowRef`](crate::ShowRef) names none (current agents).
    async fn show(&self, rating_key: &RatingKey) -> Result<Option<Show>> {
        let _ = rating_key;
        Err(Error::Unsupported { op: ops::ITEM })
    }

    /// Several shows at once, in one request per 100 keys; keys Plex does
    /// not know, and items that are not shows, are left out. The default
    /// asks for each key in turn.
    async fn shows_by_key(&self, rating_keys: &[RatingKey]) -> Result<Vec<Show>> {
        let mut found = Vec::with_capacity(rating_keys.len());
        for key in rating_keys {
            if let Some(show) = self.show(key).await? {
                found.push(show);
            }
        }
        Ok(found)
    }

    /// One episode with its show (`grandparentRatingKey`,
    /// `grandparentGuid`, `grandparentTitle`) and media versions; `None`
    /// when it does not exist or is not an episode.
    async fn episode(&self, rating_key: &RatingKey) -> Result<Option<Episode>> {
        let _ = rating_key;
        Err(Error::Unsupported { op: ops::ITEM })
    }

    /// Several episodes at once, in one request per 100 keys (as
    /// [`PlexApi::shows_by_key`]). The default asks for each key in turn.
    async fn episodes_by_key(&self, rating_keys: &[RatingKey]) -> Result<Vec<Episode>> {
        let mut found = Vec::with_capacity(rating_keys.len());
        for key in rating_keys {
            if let Some(episode) = self.episode(key).await? {
                found.push(episode);
            }
        }
        Ok(found)
    }

    /// Like [`PlexApi::check_files`], for episodes: the server checks each
    /// part's file on disk (`checkFiles=1&skipRefresh=1`, 20 keys a
    /// request). Used before deleting a duplicate episode version. The
    /// default asks [`PlexApi::episodes_by_key`] (availability then stays
    /// unknown).
    async fn check_episode_files(&self, rating_keys: &[RatingKey]) -> Result<Vec<Episode>> {
        self.episodes_by_key(rating_keys).await
    }

    /// Every episode of a show, specials (season 0) included, with media
    /// versions and parts, all pages (`GET /library/metadata/{show}/allLeaves`,
    /// as python-plexapi `Show.episodes`).
    async fn show_episodes(&self, show: &RatingKey) -> Result<Vec<Episode>> {
        let _ = show;
        Err(Error::Unsupported {
            op: ops::SHOW_EPISODES,
        })
    }

    /// Every episode of a TV section with media versions and parts, page
    /// by page (`GET /library/sections/{key}/all?type=4`, as python-plexapi
    /// `ShowSection.searchEpisodes`): a whole library in a few requests
    /// rather than one per show.
    async fn section_episodes(&self, section: &SectionKey) -> Result<Vec<Episode>> {
        let _ = section;
        Err(Error::Unsupported {
            op: ops::SECTION_EPISODES,
        })
    }

    /// Deletes one media version of an item, **and its files on disk**
    /// (`DELETE /library/metadata/{ratingKey}/media/{mediaId}`, as
    /// python-plexapi `Media.delete`). For an item's only version use
    /// [`PlexApi::delete_item`], as Plex Web does.
    ///
    /// Sent once: when no answer comes in time, the item is read back and
    /// the delete counts as done if the version is gone. Fails with
    /// [`Error::DeletionRefused`](crate::Error::DeletionRefused) when Plex
    /// answers 400, 401 or 403 (media deletion not allowed, or the token
    /// may not delete).
    async fn delete_media(&self, rating_key: &RatingKey, media_id: MediaId) -> Result<()>;

    /// Deletes an item with all its media versions, **and their files on
    /// disk** (`DELETE /library/metadata/{ratingKey}`, as Plex Web and
    /// python-plexapi `Video.delete` do). Same guarantees and errors as
    /// [`PlexApi::delete_media`].
    async fn delete_item(&self, rating_key: &RatingKey) -> Result<()>;

    /// The collections of a section.
    async fn collections(&self, section: &SectionKey) -> Result<Vec<Collection>>;

    /// The collection of a section with exactly this title, if any.
    async fn find_collection(
        &self,
        section: &SectionKey,
        title: &str,
    ) -> Result<Option<Collection>> {
        let collections = self.collections(section).await?;
        Ok(collections.into_iter().find(|c| c.title == title))
    }

    /// Creates an empty (non-smart) movie collection. Sent once, never
    /// retried after the server may have acted.
    ///
    /// Prefer [`PlexApi::create_collection_with_items`]: python-plexapi
    /// refuses to create a collection without items, so an empty one may
    /// not be something every server accepts.
    async fn create_collection(&self, section: &SectionKey, title: &str) -> Result<Collection>;

    /// Creates a (non-smart) movie collection holding `items`, as
    /// python-plexapi's `Collection.create` does: the first 100 keys travel
    /// in the create request's `uri`, the rest are added in chunks. The
    /// create is sent once, never retried after the server may have acted.
    /// Do not rely on the order of the items: read the collection back.
    /// The default creates an empty collection, then adds.
    async fn create_collection_with_items(
        &self,
        section: &SectionKey,
        title: &str,
        items: &[RatingKey],
    ) -> Result<Collection> {
        let collection = self.create_collection(section, title).await?;
        if !items.is_empty() {
            self.add_to_collection(&collection.rating_key, items)
                .await?;
        }
        Ok(collection)
    }

    /// Creates a (non-smart) collection of movies or shows holding `items`
    /// (rating keys of that kind), as
    /// [`PlexApi::create_collection_with_items`] does for movies: the
    /// request's `type` is the kind's search type (1 movies, 2 shows), as
    /// python-plexapi `Collection._create` sends its items' type. Every
    /// other collection method works for both kinds. The default creates
    /// movie collections and fails with
    /// [`Error::Unsupported`](crate::Error::Unsupported) for shows.
    async fn create_collection_of(
        &self,
        kind: MediaKind,
        section: &SectionKey,
        title: &str,
        items: &[RatingKey],
    ) -> Result<Collection> {
        match kind {
            MediaKind::Movie => {
                self.create_collection_with_items(section, title, items)
                    .await
            }
            MediaKind::Show => Err(Error::Unsupported {
                op: ops::CREATE_COLLECTION,
            }),
        }
    }

    /// Appends items to a collection (items already in it stay where they
    /// are). Sent in chunks of at most 100 keys. Do not rely on the order
    /// within one call: reorder with [`PlexApi::move_collection_item`].
    async fn add_to_collection(&self, collection: &RatingKey, items: &[RatingKey]) -> Result<()>;

    /// Removes one item from a collection.
    async fn remove_from_collection(&self, collection: &RatingKey, item: &RatingKey) -> Result<()>;

    /// A collection's items, in the order Plex shows them, all pages.
    async fn collection_children(&self, collection: &RatingKey) -> Result<Vec<Movie>>;

    /// A show collection's shows, in the order Plex shows them, all pages
    /// (the same request as [`PlexApi::collection_children`]).
    async fn collection_shows(&self, collection: &RatingKey) -> Result<Vec<Show>> {
        let _ = collection;
        Err(Error::Unsupported {
            op: ops::COLLECTION_CHILDREN,
        })
    }

    /// A collection's items, movies or shows, in the order Plex shows them,
    /// with their poster paths (the same request as
    /// [`PlexApi::collection_children`]): what a poster grid needs. The
    /// default reads [`PlexApi::collection_children`] and knows no
    /// posters.
    async fn collection_items(&self, collection: &RatingKey) -> Result<Vec<CollectionItem>> {
        Ok(self
            .collection_children(collection)
            .await?
            .into_iter()
            .map(|movie| CollectionItem {
                rating_key: movie.rating_key,
                title: movie.title,
                year: movie.year,
                thumb: None,
            })
            .collect())
    }

    /// An item's poster, resized by the server's photo transcoder to fit
    /// `width` x `height` (`GET /photo/:/transcode?width=..&height=..&minSize=1&upscale=1&url={thumb}`,
    /// as python-plexapi `PlexServer.transcodeImage`), the token in the
    /// header as always. `thumb` is an item's poster path on this server
    /// ([`CollectionItem::thumb`]); `None` when the server has no such
    /// image (404).
    ///
    /// Fails with [`Error::InvalidInput`](crate::Error::InvalidInput) for a
    /// `thumb` that is not a path on the server (an outside URL would
    /// make the server fetch it).
    async fn thumbnail(&self, thumb: &str, width: u32, height: u32) -> Result<Option<ImageFile>> {
        let _ = (thumb, width, height);
        Err(Error::Unsupported { op: ops::THUMBNAIL })
    }

    /// Moves an item of a collection to just after `after`, or to the front
    /// when `after` is `None`. Only visible with [`CollectionSort::Custom`].
    async fn move_collection_item(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
        after: Option<&RatingKey>,
    ) -> Result<()>;

    /// Sets how a collection is ordered.
    async fn set_collection_sort(&self, collection: &RatingKey, sort: CollectionSort)
    -> Result<()>;

    /// Sets (and locks) a collection's summary.
    async fn set_collection_summary(
        &self,
        section: &SectionKey,
        collection: &RatingKey,
        summary: &str,
    ) -> Result<()>;

    /// Deletes a collection (its items stay in the library).
    async fn delete_collection(&self, collection: &RatingKey) -> Result<()>;

    /// Uploads an image (PNG or JPEG bytes) as an item's poster.
    async fn upload_poster(&self, rating_key: &RatingKey, image: Vec<u8>) -> Result<()>;

    /// Uploads an image as an item's poster or background: bytes as the
    /// request body, or a URL the server fetches (`?url=`), as
    /// python-plexapi `uploadPoster` / `uploadArt`. The default sends
    /// poster bytes through [`PlexApi::upload_poster`] and fails with
    /// [`Error::Unsupported`](crate::Error::Unsupported) otherwise.
    async fn upload_image(
        &self,
        rating_key: &RatingKey,
        slot: ImageSlot,
        image: &Image,
    ) -> Result<()> {
        match (slot, image) {
            (ImageSlot::Poster, Image::Bytes(bytes)) => {
                self.upload_poster(rating_key, bytes.clone()).await
            }
            (ImageSlot::Poster, Image::Url(_)) => Err(Error::Unsupported {
                op: ops::UPLOAD_POSTER,
            }),
            (ImageSlot::Background, _) => Err(Error::Unsupported {
                op: ops::UPLOAD_ART,
            }),
        }
    }

    /// The rows of a section's "Manage Recommendations" list, in their
    /// order (`GET /hubs/sections/{section}/manage`, python-plexapi
    /// `LibrarySection.managedHubs`): Plex's built-in hubs and every
    /// collection made into a hub.
    ///
    /// The hub methods fail with
    /// [`Error::PlexPassRequired`](crate::Error::PlexPassRequired) when
    /// Plex answers 401 or 403; their defaults fail with
    /// [`Error::Unsupported`](crate::Error::Unsupported).
    async fn managed_hubs(&self, section: &SectionKey) -> Result<Vec<ManagedHub>> {
        let _ = section;
        Err(Error::Unsupported {
            op: ops::MANAGED_HUBS,
        })
    }

    /// Makes a collection a hub of its section, shown where `visibility`
    /// says (`POST /hubs/sections/{section}/manage?metadataItemId=..&promotedToRecommended=..&promotedToOwnHome=..&promotedToSharedHome=..`,
    /// as Kometa `collection_visibility_update`). On a collection already
    /// a hub it changes where it shows.
    async fn promote_collection_hub(
        &self,
        section: &SectionKey,
        collection: &RatingKey,
        visibility: HubVisibility,
    ) -> Result<()> {
        let _ = (section, collection, visibility);
        Err(Error::Unsupported {
            op: ops::PROMOTE_HUB,
        })
    }

    /// Changes where a hub shows (`PUT /hubs/sections/{section}/manage/{identifier}`
    /// with the three `promotedTo..` flags, as python-plexapi
    /// `ManagedHub.updateVisibility`).
    async fn update_hub(
        &self,
        section: &SectionKey,
        identifier: &str,
        visibility: HubVisibility,
    ) -> Result<()> {
        let _ = (section, identifier, visibility);
        Err(Error::Unsupported {
            op: ops::UPDATE_HUB,
        })
    }

    /// Moves a hub to just after `after`, or first when `after` is `None`
    /// (`PUT /hubs/sections/{section}/manage/{identifier}/move?after=..`,
    /// as python-plexapi `ManagedHub.move` and Kometa
    /// `sort_collection_hubs`).
    async fn move_hub(
        &self,
        section: &SectionKey,
        identifier: &str,
        after: Option<&str>,
    ) -> Result<()> {
        let _ = (section, identifier, after);
        Err(Error::Unsupported { op: ops::MOVE_HUB })
    }

    /// Takes a collection's hub off the list
    /// (`DELETE /hubs/sections/{section}/manage/{identifier}`, python-plexapi
    /// `ManagedHub.remove`); the collection stays. Built-in hubs cannot be
    /// removed (Plex answers 400).
    async fn remove_hub(&self, section: &SectionKey, identifier: &str) -> Result<()> {
        let _ = (section, identifier);
        Err(Error::Unsupported {
            op: ops::REMOVE_HUB,
        })
    }
}
