//! A request for a movie or a show, and what Seerr answers.
//!
//! Field names and codes are Overseerr's (`overseerr-api.yml`,
//! `server/entity/MediaRequest.ts`, `server/constants/media.ts` at
//! github.com/sct/overseerr 46a9b24); Jellyseerr (github.com/Fallenbagel/jellyseerr
//! 3b4d6bf) uses the same ones and adds [`MediaStatus::Blacklisted`].

use curator_http::{MediaKind, TmdbId, TvdbId};
use serde::{Deserialize, Serialize, Serializer};

use super::kind;

/// Which seasons of a show to request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seasons {
    /// Every season TMDb lists for the show (`"all"`). Overseerr counts
    /// the specials (season 0) among them; Jellyseerr drops them unless
    /// its "enable special episodes" setting is on.
    All,
    /// These season numbers.
    Numbers(Vec<u32>),
}

impl Serialize for Seasons {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::All => serializer.serialize_str("all"),
            Self::Numbers(numbers) => numbers.serialize(serializer),
        }
    }
}

/// A new request (`POST /api/v1/request`).
///
/// Seerr fetches the title's metadata from TMDb itself: the TMDb id and the
/// kind are all it needs. A show also needs its seasons (the server reads
/// them unchecked and fails with a 500 without them), so
/// [`NewRequest::show`] asks for [`Seasons::All`] unless told otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRequest {
    /// Movie or show (`mediaType`: `"movie"` or `"tv"`).
    #[serde(rename = "mediaType", serialize_with = "serialize_kind")]
    pub kind: MediaKind,
    /// The title's TMDb id (`mediaId`).
    #[serde(rename = "mediaId")]
    pub tmdb_id: TmdbId,
    /// A show's TVDB id; Seerr takes TMDb's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tvdb_id: Option<TvdbId>,
    /// A show's seasons; never sent for a movie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seasons: Option<Seasons>,
    /// Whether this is a 4K request (sent to the 4K Radarr or Sonarr).
    #[serde(rename = "is4k")]
    pub is_4k: bool,
    /// Which of Seerr's Radarr or Sonarr servers gets it (its default one
    /// when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<u32>,
    /// The quality profile on that server (the server's default when
    /// absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<u32>,
    /// The root folder on that server (the server's default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_folder: Option<String>,
}

fn serialize_kind<S: Serializer>(value: &MediaKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(kind::seerr_kind(*value))
}

impl NewRequest {
    /// A request for the movie with this TMDb id.
    pub fn movie(tmdb_id: TmdbId) -> Self {
        Self {
            kind: MediaKind::Movie,
            tmdb_id,
            tvdb_id: None,
            seasons: None,
            is_4k: false,
            server_id: None,
            profile_id: None,
            root_folder: None,
        }
    }

    /// A request for every season of the show with this TMDb id.
    pub fn show(tmdb_id: TmdbId) -> Self {
        Self {
            kind: MediaKind::Show,
            seasons: Some(Seasons::All),
            ..Self::movie(tmdb_id)
        }
    }

    /// A request of `kind`: [`NewRequest::movie`] or [`NewRequest::show`].
    pub fn of(kind: MediaKind, tmdb_id: TmdbId) -> Self {
        match kind {
            MediaKind::Movie => Self::movie(tmdb_id),
            MediaKind::Show => Self::show(tmdb_id),
        }
    }

    /// The same request for these seasons (shows only; a movie ignores it).
    #[must_use]
    pub fn with_seasons(mut self, seasons: Seasons) -> Self {
        if self.kind == MediaKind::Show {
            self.seasons = Some(seasons);
        }
        self
    }

    /// The same request naming the show's TVDB id.
    #[must_use]
    pub fn with_tvdb_id(mut self, tvdb_id: TvdbId) -> Self {
        self.tvdb_id = Some(tvdb_id);
        self
    }

    /// The same request, in 4K or not.
    #[must_use]
    pub fn with_4k(mut self, is_4k: bool) -> Self {
        self.is_4k = is_4k;
        self
    }

    /// The same request for one of Seerr's Radarr or Sonarr servers, with
    /// its profile and root folder (each `None` for the server's default).
    #[must_use]
    pub fn with_server(
        mut self,
        server_id: u32,
        profile_id: Option<u32>,
        root_folder: Option<String>,
    ) -> Self {
        self.server_id = Some(server_id);
        self.profile_id = profile_id;
        self.root_folder = root_folder;
        self
    }
}

/// Where a request stands (`MediaRequestStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
pub enum RequestStatus {
    /// Waiting for someone in Seerr to approve it (1).
    Pending,
    /// Approved, and passed on to Radarr or Sonarr (2).
    Approved,
    /// Declined (3).
    Declined,
    /// Passing it on to Radarr or Sonarr failed (4).
    Failed,
    /// A code this crate does not know.
    Other(u8),
}

impl From<u8> for RequestStatus {
    fn from(code: u8) -> Self {
        match code {
            1 => Self::Pending,
            2 => Self::Approved,
            3 => Self::Declined,
            4 => Self::Failed,
            other => Self::Other(other),
        }
    }
}

impl From<RequestStatus> for u8 {
    fn from(status: RequestStatus) -> Self {
        match status {
            RequestStatus::Pending => 1,
            RequestStatus::Approved => 2,
            RequestStatus::Declined => 3,
            RequestStatus::Failed => 4,
            RequestStatus::Other(code) => code,
        }
    }
}

/// Whether a title is available (`MediaStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
pub enum MediaStatus {
    /// Nothing known (1).
    Unknown,
    /// Requested, not yet downloading (2).
    Pending,
    /// Downloading (3).
    Processing,
    /// Some seasons are available (4).
    PartiallyAvailable,
    /// In the media server (5).
    Available,
    /// Blacklisted: Jellyseerr refuses requests for it (6).
    Blacklisted,
    /// A code this crate does not know.
    Other(u8),
}

impl From<u8> for MediaStatus {
    fn from(code: u8) -> Self {
        match code {
            1 => Self::Unknown,
            2 => Self::Pending,
            3 => Self::Processing,
            4 => Self::PartiallyAvailable,
            5 => Self::Available,
            6 => Self::Blacklisted,
            other => Self::Other(other),
        }
    }
}

impl From<MediaStatus> for u8 {
    fn from(status: MediaStatus) -> Self {
        match status {
            MediaStatus::Unknown => 1,
            MediaStatus::Pending => 2,
            MediaStatus::Processing => 3,
            MediaStatus::PartiallyAvailable => 4,
            MediaStatus::Available => 5,
            MediaStatus::Blacklisted => 6,
            MediaStatus::Other(code) => code,
        }
    }
}

/// The title a request is for, as Seerr keeps it (`MediaInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaInfo {
    /// Seerr's own id.
    pub id: u32,
    /// Its TMDb id.
    #[serde(default)]
    pub tmdb_id: Option<TmdbId>,
    /// Its TVDB id (shows).
    #[serde(default)]
    pub tvdb_id: Option<TvdbId>,
    /// Movie or show.
    #[serde(default, with = "kind::optional")]
    pub media_type: Option<MediaKind>,
    /// Whether it is available.
    pub status: MediaStatus,
}

/// One season of a show request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeasonRequest {
    /// The season's number.
    pub season_number: u32,
    /// Where its request stands.
    pub status: RequestStatus,
}

/// A request Seerr keeps (`MediaRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaRequest {
    /// Its id.
    pub id: u32,
    /// Where it stands: [`RequestStatus::Approved`] at once when the API
    /// key's user may auto-approve (the admin may), else
    /// [`RequestStatus::Pending`].
    pub status: RequestStatus,
    /// Movie or show (`type`).
    #[serde(default, rename = "type", with = "kind::optional")]
    pub kind: Option<MediaKind>,
    /// The title.
    #[serde(default)]
    pub media: Option<MediaInfo>,
    /// A show's requested seasons.
    #[serde(default)]
    pub seasons: Vec<SeasonRequest>,
    /// Whether it is a 4K request.
    #[serde(default, rename = "is4k")]
    pub is_4k: bool,
}

/// What a request came to: created, or nothing to do because Seerr
/// already has it. Neither is an error; refusals are.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestOutcome {
    /// Seerr created the request (201).
    Created(Box<MediaRequest>),
    /// Seerr already has a request for this title and kind that was not
    /// declined (409, "Request for this media already exists."). Only
    /// movies are answered so: a show's repeated request is cut to the
    /// seasons nobody requested yet.
    AlreadyRequested(String),
    /// Every season of the show is already requested or available (202,
    /// "No seasons available to request"): nothing was created.
    NothingToRequest(String),
}

impl RequestOutcome {
    /// True when this call created a request.
    pub fn was_created(&self) -> bool {
        matches!(self, Self::Created(_))
    }

    /// Seerr's words for an outcome that created nothing.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Created(_) => None,
            Self::AlreadyRequested(message) | Self::NothingToRequest(message) => Some(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_show_asks_for_every_season_and_a_movie_sends_none() {
        let show = NewRequest::show(TmdbId(1396)).with_tvdb_id(TvdbId(81189));
        assert_eq!(
            serde_json::to_value(&show).unwrap(),
            json!({"mediaType": "tv", "mediaId": 1396, "tvdbId": 81189, "seasons": "all", "is4k": false})
        );
        let movie = NewRequest::movie(TmdbId(27205)).with_seasons(Seasons::Numbers(vec![1]));
        assert_eq!(
            serde_json::to_value(&movie).unwrap(),
            json!({"mediaType": "movie", "mediaId": 27205, "is4k": false})
        );
        let listed = NewRequest::show(TmdbId(1)).with_seasons(Seasons::Numbers(vec![1, 2]));
        assert_eq!(
            serde_json::to_value(&listed).unwrap()["seasons"],
            json!([1, 2])
        );
    }

    #[test]
    fn unknown_codes_survive_a_round_trip() {
        let status: MediaStatus = serde_json::from_value(json!(7)).unwrap();
        assert_eq!(status, MediaStatus::Other(7));
        assert_eq!(serde_json::to_value(status).unwrap(), json!(7));
        let request: RequestStatus = serde_json::from_value(json!(2)).unwrap();
        assert_eq!(request, RequestStatus::Approved);
    }
}
