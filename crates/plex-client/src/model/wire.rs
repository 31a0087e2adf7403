//! The JSON shapes Plex answers with, read leniently, and their conversion
//! to the domain types.

use serde::Deserialize;

use super::collection::{Collection, CollectionItem, CollectionSort};
use super::de;
use super::guid::external_ids;
use super::hub::{HubVisibility, ManagedHub};
use super::ids::{MediaId, RatingKey, SectionKey};
use super::library::{MediaKind, MediaPart, MediaVersion, Movie, Section, SectionKind};
use super::server::{ServerIdentity, ServerInfo};
use super::show::{Episode, Show, ShowRef};

/// The `proxyType` of an optimized version (python-plexapi
/// `utils.SEARCHTYPES['optimizedVersion']`).
pub(crate) const OPTIMIZED_VERSION: u32 = 42;

/// Every Plex JSON answer: `{"MediaContainer": {...}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    #[serde(rename = "MediaContainer")]
    pub(crate) container: T,
}

/// The root of `GET /identity` and `GET /`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct ServerContainer {
    #[serde(deserialize_with = "de::text")]
    machine_identifier: String,
    #[serde(deserialize_with = "de::text")]
    version: String,
    #[serde(deserialize_with = "de::opt_text")]
    friendly_name: Option<String>,
    #[serde(deserialize_with = "de::flag")]
    allow_media_deletion: bool,
}

impl ServerContainer {
    pub(crate) fn identity(self) -> ServerIdentity {
        ServerIdentity {
            machine_identifier: self.machine_identifier,
            version: self.version,
        }
    }

    pub(crate) fn info(self) -> ServerInfo {
        ServerInfo {
            machine_identifier: self.machine_identifier,
            version: self.version,
            friendly_name: self.friendly_name,
            allow_media_deletion: self.allow_media_deletion,
        }
    }
}

/// A container of `Directory` entries (`GET /library/sections`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DirectoryContainer {
    #[serde(rename = "Directory", deserialize_with = "de::list")]
    pub(crate) directories: Vec<Directory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Directory {
    #[serde(deserialize_with = "de::text")]
    key: String,
    #[serde(rename = "type", deserialize_with = "de::text")]
    kind: String,
    #[serde(deserialize_with = "de::text")]
    title: String,
    #[serde(deserialize_with = "de::opt_int")]
    updated_at: Option<i64>,
    #[serde(deserialize_with = "de::opt_int")]
    content_changed_at: Option<i64>,
    #[serde(deserialize_with = "de::opt_int")]
    scanned_at: Option<i64>,
}

impl From<Directory> for Section {
    fn from(d: Directory) -> Self {
        Self {
            key: SectionKey(d.key),
            kind: SectionKind::from_plex(&d.kind),
            title: d.title,
            updated_at: d.updated_at,
            content_changed_at: d.content_changed_at,
            scanned_at: d.scanned_at,
        }
    }
}

/// A container of `Metadata` entries, possibly one page of many.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct MetadataContainer {
    #[serde(deserialize_with = "de::opt_int")]
    pub(crate) total_size: Option<u64>,
    #[serde(rename = "Metadata", deserialize_with = "de::list")]
    pub(crate) metadata: Vec<Item>,
}

/// A library item: a movie, show, episode or collection (one shape, read
/// leniently).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct Item {
    #[serde(deserialize_with = "de::text")]
    rating_key: String,
    #[serde(deserialize_with = "de::text")]
    title: String,
    #[serde(deserialize_with = "de::opt_text")]
    original_title: Option<String>,
    #[serde(deserialize_with = "de::opt_text")]
    summary: Option<String>,
    /// The poster's server path (`/library/metadata/{key}/thumb/{time}`).
    #[serde(deserialize_with = "de::opt_text")]
    thumb: Option<String>,
    #[serde(deserialize_with = "de::opt_int")]
    year: Option<u16>,
    #[serde(deserialize_with = "de::opt_int")]
    added_at: Option<i64>,
    #[serde(deserialize_with = "de::text")]
    guid: String,
    #[serde(rename = "type", deserialize_with = "de::text")]
    kind: String,
    #[serde(deserialize_with = "de::opt_text")]
    edition_title: Option<String>,
    #[serde(rename = "librarySectionID", deserialize_with = "de::opt_text")]
    library_section_id: Option<String>,
    #[serde(rename = "Guid", deserialize_with = "de::list")]
    guids: Vec<Guid>,
    #[serde(rename = "Media", deserialize_with = "de::list")]
    media: Vec<Media>,
    #[serde(deserialize_with = "de::opt_int")]
    child_count: Option<u32>,
    #[serde(deserialize_with = "de::opt_int")]
    collection_sort: Option<u8>,
    #[serde(deserialize_with = "de::flag")]
    smart: bool,
    /// A show's episode count.
    #[serde(deserialize_with = "de::opt_int")]
    leaf_count: Option<u32>,
    /// An episode's number in its season.
    #[serde(deserialize_with = "de::opt_int")]
    index: Option<u32>,
    /// An episode's season number.
    #[serde(deserialize_with = "de::opt_int")]
    parent_index: Option<u32>,
    #[serde(deserialize_with = "de::opt_text")]
    parent_rating_key: Option<String>,
    /// An episode's show: sent as a string in `Metadata` and as a number
    /// in a container (plex-api.rs `tv_episodes.json`).
    #[serde(deserialize_with = "de::text")]
    grandparent_rating_key: String,
    #[serde(deserialize_with = "de::text")]
    grandparent_guid: String,
    #[serde(deserialize_with = "de::text")]
    grandparent_title: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Guid {
    #[serde(deserialize_with = "de::text")]
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Media {
    #[serde(deserialize_with = "de::int")]
    id: u64,
    #[serde(default, deserialize_with = "de::opt_text")]
    video_resolution: Option<String>,
    #[serde(default, deserialize_with = "de::opt_int")]
    bitrate: Option<u32>,
    #[serde(default, deserialize_with = "de::opt_int")]
    width: Option<u32>,
    #[serde(default, deserialize_with = "de::opt_int")]
    height: Option<u32>,
    #[serde(default, deserialize_with = "de::opt_text")]
    video_codec: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    audio_codec: Option<String>,
    #[serde(default, deserialize_with = "de::opt_text")]
    container: Option<String>,
    #[serde(default, deserialize_with = "de::opt_int")]
    duration: Option<u64>,
    /// 42 for an optimized version (python-plexapi `Media.isOptimizedVersion`).
    #[serde(default, deserialize_with = "de::opt_int")]
    proxy_type: Option<u32>,
    #[serde(rename = "Part", default, deserialize_with = "de::list")]
    parts: Vec<Part>,
}

#[derive(Debug, Deserialize)]
struct Part {
    #[serde(deserialize_with = "de::int")]
    id: u64,
    #[serde(default, deserialize_with = "de::text")]
    file: String,
    #[serde(default, deserialize_with = "de::opt_int")]
    size: Option<u64>,
    #[serde(default, deserialize_with = "de::opt_int")]
    duration: Option<u64>,
    /// Sent only with `checkFiles=1`.
    #[serde(default, deserialize_with = "de::opt_flag")]
    exists: Option<bool>,
    /// Sent only with `checkFiles=1`.
    #[serde(default, deserialize_with = "de::opt_flag")]
    accessible: Option<bool>,
}

impl Item {
    pub(crate) fn rating_key(&self) -> &str {
        &self.rating_key
    }

    /// True unless the item says it is something other than a movie (an
    /// answer without `type` is taken as a movie).
    pub(crate) fn is_movie(&self) -> bool {
        self.kind.is_empty() || self.kind == "movie"
    }

    /// True when the item is of this kind (movies as [`Item::is_movie`]).
    pub(crate) fn is(&self, kind: MediaKind) -> bool {
        match kind {
            MediaKind::Movie => self.is_movie(),
            MediaKind::Show => self.kind == "show",
        }
    }

    /// True for an episode.
    pub(crate) fn is_episode(&self) -> bool {
        self.kind == "episode"
    }

    /// True when the item lists at least one file.
    pub(crate) fn has_parts(&self) -> bool {
        self.media.iter().any(|m| !m.parts.is_empty())
    }

    /// True when some part of the item carries `exists` or `accessible`,
    /// which the server sends only when it checked the files.
    pub(crate) fn reports_file_checks(&self) -> bool {
        self.media
            .iter()
            .flat_map(|m| &m.parts)
            .any(|p| p.exists.is_some() || p.accessible.is_some())
    }

    /// The ids of the `Guid` array and of the item's own (legacy) guid.
    fn external_ids(&self) -> super::guid::ExternalIds {
        let legacy = std::iter::once(self.guid.as_str());
        external_ids(self.guids.iter().map(|g| g.id.as_str()).chain(legacy))
    }

    pub(crate) fn into_movie(self) -> Movie {
        let ids = self.external_ids();
        let (tmdb_id, imdb_id) = (ids.tmdb, ids.imdb);
        Movie {
            rating_key: RatingKey(self.rating_key),
            title: self.title,
            original_title: self.original_title.filter(|t| !t.is_empty()),
            year: self.year.filter(|&y| y > 0),
            added_at: self.added_at,
            guid: self.guid,
            tmdb_id,
            imdb_id,
            edition: self
                .edition_title
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            section: self.library_section_id.map(SectionKey),
            media: self.media.into_iter().map(Media::into_version).collect(),
        }
    }

    /// The item as a poster grid shows it (a movie or a show alike).
    pub(crate) fn into_collection_item(self) -> CollectionItem {
        CollectionItem {
            rating_key: RatingKey(self.rating_key),
            title: self.title,
            year: self.year.filter(|&y| y > 0),
            thumb: self.thumb.filter(|t| !t.is_empty()),
        }
    }

    pub(crate) fn into_show(self) -> Show {
        let ids = self.external_ids();
        Show {
            rating_key: RatingKey(self.rating_key),
            title: self.title,
            original_title: self.original_title.filter(|t| !t.is_empty()),
            year: self.year.filter(|&y| y > 0),
            added_at: self.added_at,
            guid: self.guid,
            tmdb_id: ids.tmdb,
            tvdb_id: ids.tvdb,
            imdb_id: ids.imdb,
            section: self.library_section_id.map(SectionKey),
            season_count: self.child_count,
            episode_count: self.leaf_count,
        }
    }

    /// An episode. Its own `Guid` array names the episode's ids, so only
    /// the show's guid is read for the show's ids.
    pub(crate) fn into_episode(self) -> Episode {
        let show_ids = external_ids([self.grandparent_guid.as_str()]);
        Episode {
            rating_key: RatingKey(self.rating_key),
            title: self.title,
            guid: self.guid,
            show: ShowRef {
                rating_key: RatingKey(self.grandparent_rating_key),
                guid: self.grandparent_guid,
                title: self.grandparent_title,
                tmdb_id: show_ids.tmdb,
                tvdb_id: show_ids.tvdb,
            },
            season_key: self
                .parent_rating_key
                .filter(|k| !k.is_empty())
                .map(RatingKey),
            season: self.parent_index,
            episode: self.index,
            year: self.year.filter(|&y| y > 0),
            added_at: self.added_at,
            section: self.library_section_id.map(SectionKey),
            media: self.media.into_iter().map(Media::into_version).collect(),
        }
    }

    pub(crate) fn into_collection(self) -> Collection {
        Collection {
            rating_key: RatingKey(self.rating_key),
            title: self.title,
            child_count: self.child_count.unwrap_or(0),
            collection_sort: self.collection_sort.and_then(CollectionSort::from_code),
            smart: self.smart,
            summary: self.summary.filter(|s| !s.is_empty()),
        }
    }
}

impl Media {
    fn into_version(self) -> MediaVersion {
        MediaVersion {
            id: MediaId(self.id),
            video_resolution: self.video_resolution,
            bitrate: self.bitrate,
            width: self.width,
            height: self.height,
            video_codec: self.video_codec,
            audio_codec: self.audio_codec,
            container: self.container,
            duration: self.duration,
            optimized: self.proxy_type == Some(OPTIMIZED_VERSION),
            parts: self
                .parts
                .into_iter()
                .map(|p| MediaPart {
                    id: p.id,
                    file: p.file,
                    size: p.size.unwrap_or(0),
                    duration: p.duration,
                    available: match (p.exists, p.accessible) {
                        (None, None) => None,
                        (exists, accessible) => {
                            Some(exists.unwrap_or(true) && accessible.unwrap_or(true))
                        }
                    },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use curator_http::TmdbId;

    use super::*;

    fn items(json: &str) -> Vec<Item> {
        serde_json::from_str::<Envelope<MetadataContainer>>(json)
            .unwrap()
            .container
            .metadata
    }

    #[test]
    fn empty_container_without_metadata() {
        let page: Envelope<MetadataContainer> =
            serde_json::from_str(r#"{"MediaContainer": {"size": 0, "totalSize": "0"}}"#).unwrap();
        assert!(page.container.metadata.is_empty());
        assert_eq!(page.container.total_size, Some(0));
    }

    #[test]
    fn legacy_guid_and_huge_part() {
        let movie = items(
            r#"{"MediaContainer": {"Metadata": [{
                "ratingKey": 77, "title": "The Matrix", "year": "1999",
                "guid": "com.plexapp.agents.imdb://tt0133093?lang=en",
                "Media": [{"id": "9", "videoResolution": "4k",
                    "Part": [{"id": 10, "file": "/m/matrix.mkv", "size": 10638512184}]}]
            }]}}"#,
        )
        .remove(0)
        .into_movie();
        assert_eq!(movie.rating_key.as_str(), "77");
        assert_eq!(movie.year, Some(1999));
        assert_eq!(movie.tmdb_id, None);
        assert_eq!(movie.imdb_id.as_ref().unwrap().as_str(), "tt0133093");
        assert_eq!(movie.media[0].id, MediaId(9));
        assert_eq!(movie.media[0].parts[0].size, 10_638_512_184);
        assert_eq!(movie.total_size(), 10_638_512_184);
    }

    #[test]
    fn guid_array_wins_over_nothing() {
        let movie = items(
            r#"{"MediaContainer": {"Metadata": [{
                "ratingKey": "5", "title": "Heat", "guid": "plex://movie/abc",
                "Guid": [{"id": "imdb://tt0113277"}, {"id": "tmdb://949"}],
                "unknownField": {"nested": [1, 2]}
            }]}}"#,
        )
        .remove(0)
        .into_movie();
        assert_eq!(movie.tmdb_id, Some(TmdbId(949)));
        assert!(movie.media.is_empty());
        assert_eq!(movie.year, None);
    }

    #[test]
    fn legacy_tvdb_show_and_its_episode() {
        // Shapes of plex-api.rs tests/mocks/server/media/tv_library.json and
        // tv_episodes.json: legacy TheTVDB guids, counts as numbers.
        let show = items(
            r#"{"MediaContainer": {"Metadata": [{
                "ratingKey": "22", "type": "show", "title": "The 100", "year": 2014,
                "guid": "com.plexapp.agents.thetvdb://268592?lang=en",
                "leafCount": 18, "childCount": 2
            }]}}"#,
        )
        .remove(0);
        assert!(show.is(MediaKind::Show) && !show.is(MediaKind::Movie));
        let show = show.into_show();
        assert_eq!(show.tvdb_id, Some(crate::TvdbId(268592)));
        assert_eq!((show.season_count, show.episode_count), (Some(2), Some(18)));
        let episode = items(
            r#"{"MediaContainer": {"Metadata": [{
                "ratingKey": "90", "parentRatingKey": "89", "grandparentRatingKey": 22,
                "guid": "com.plexapp.agents.thetvdb://268592/1/1?lang=en",
                "grandparentGuid": "com.plexapp.agents.thetvdb://268592?lang=en",
                "type": "episode", "title": "Pilot", "grandparentTitle": "The 100",
                "index": 1, "parentIndex": 1,
                "Guid": [{"id": "tvdb://4853473"}],
                "Media": [{"id": 76, "Part": [{"id": 76, "file": "/tv/The.100.S01E01.mkv"}]}]
            }]}}"#,
        )
        .remove(0);
        assert!(episode.is_episode() && !episode.is(MediaKind::Movie));
        let episode = episode.into_episode();
        assert_eq!(episode.show.rating_key.as_str(), "22");
        assert_eq!(episode.show.tvdb_id, Some(crate::TvdbId(268592)));
        assert_eq!((episode.season, episode.episode), (Some(1), Some(1)));
        assert_eq!(episode.season_key, Some(RatingKey::from("89")));
        assert_eq!(episode.media[0].parts[0].file, "/tv/The.100.S01E01.mkv");
    }

    #[test]
    fn collection_with_string_counts() {
        let collection = items(
            r#"{"MediaContainer": {"Metadata": [{
                "ratingKey": "300", "title": "Noir", "type": "collection",
                "childCount": "12", "minYear": "1941", "collectionSort": "2", "smart": "0"
            }]}}"#,
        )
        .remove(0)
        .into_collection();
        assert_eq!(collection.child_count, 12);
        assert_eq!(collection.collection_sort, Some(CollectionSort::Custom));
        assert!(!collection.smart);
        assert_eq!(collection.summary, None);
    }
}

/// `GET /hubs/sections/{section}/manage`: `MediaContainer.Hub[]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct HubContainer {
    #[serde(rename = "Hub", deserialize_with = "de::list")]
    pub(crate) hubs: Vec<HubEntry>,
}

/// One managed hub, as python-plexapi `ManagedHub._loadData` reads it:
/// flags as booleans or 0/1, `deletable` true unless said otherwise.
#[derive(Debug, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct HubEntry {
    #[serde(deserialize_with = "de::text")]
    identifier: String,
    #[serde(deserialize_with = "de::text")]
    title: String,
    #[serde(deserialize_with = "de::flag")]
    promoted_to_recommended: bool,
    #[serde(deserialize_with = "de::flag")]
    promoted_to_own_home: bool,
    #[serde(deserialize_with = "de::flag")]
    promoted_to_shared_home: bool,
    #[serde(deserialize_with = "de::flag")]
    deletable: bool,
}

impl Default for HubEntry {
    fn default() -> Self {
        Self {
            identifier: String::new(),
            title: String::new(),
            promoted_to_recommended: false,
            promoted_to_own_home: false,
            promoted_to_shared_home: false,
            deletable: true,
        }
    }
}

impl HubEntry {
    pub(crate) fn into_hub(self) -> ManagedHub {
        ManagedHub {
            identifier: self.identifier,
            title: self.title,
            visibility: HubVisibility {
                recommended: self.promoted_to_recommended,
                own_home: self.promoted_to_own_home,
                shared_home: self.promoted_to_shared_home,
            },
            deletable: self.deletable,
        }
    }
}
