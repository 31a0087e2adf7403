//! Movies: the library record, the add request and the bulk editor.

use std::fmt;

use arr_common::{ApplyTags, QualityProfileId, TagId};
use curator_http::{ImdbId, TmdbId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::ids::MovieId;
use super::null_as_default;

/// A movie as Radarr describes it (`MovieResource`).
///
/// Only the fields curator uses are typed; every other field Radarr sent is
/// kept in [`Movie::extra`] and sent back unchanged, so a GET-modify-PUT
/// through [`crate::RadarrApi::update_movie`] never drops data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Movie {
    /// Radarr's id; 0 for a lookup result that is not in the library.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: MovieId,
    /// The title.
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// The release year; 0 when unknown.
    #[serde(default, deserialize_with = "null_as_default")]
    pub year: i32,
    /// The TMDb id.
    pub tmdb_id: TmdbId,
    /// The IMDb id; `None` when Radarr has none or sent something that is
    /// not an IMDb id.
    #[serde(
        default,
        deserialize_with = "lenient_imdb",
        skip_serializing_if = "Option::is_none"
    )]
    pub imdb_id: Option<ImdbId>,
    /// Whether Radarr looks for and upgrades this movie.
    #[serde(default, deserialize_with = "null_as_default")]
    pub monitored: bool,
    /// Whether Radarr has a file for it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_file: bool,
    /// The tags on it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<TagId>,
    /// Its quality profile.
    #[serde(default, deserialize_with = "null_as_default")]
    pub quality_profile_id: QualityProfileId,
    /// The root folder it lives under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_folder_path: Option<String>,
    /// Its own folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// When Radarr may start grabbing releases.
    #[serde(default, deserialize_with = "null_as_default")]
    pub minimum_availability: MinimumAvailability,
    /// When it was added to Radarr (ISO 8601 text, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<String>,
    /// Every other field Radarr sent, kept as is.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Movie {
    /// A movie with the given identity and every other field at its default.
    pub fn new(id: MovieId, tmdb_id: TmdbId, title: impl Into<String>, year: i32) -> Self {
        Self {
            id,
            title: title.into(),
            year,
            tmdb_id,
            imdb_id: None,
            monitored: true,
            has_file: false,
            tags: Vec::new(),
            quality_profile_id: QualityProfileId::default(),
            root_folder_path: None,
            path: None,
            minimum_availability: MinimumAvailability::default(),
            added: None,
            extra: Map::new(),
        }
    }

    /// True when the movie is in Radarr's library (lookups of movies that
    /// are not come back with id 0).
    pub fn is_in_library(&self) -> bool {
        self.id.0 > 0
    }
}

fn lenient_imdb<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<ImdbId>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.as_deref().and_then(ImdbId::parse))
}

/// When Radarr considers a movie available and starts grabbing releases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum MinimumAvailability {
    /// To be announced.
    Tba,
    /// Announced.
    Announced,
    /// In cinemas.
    InCinemas,
    /// Released (Radarr's default).
    #[default]
    Released,
    /// A value this crate does not know (such as `"deleted"`), kept as sent.
    Other(String),
}

impl MinimumAvailability {
    /// The value as Radarr spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Tba => "tba",
            Self::Announced => "announced",
            Self::InCinemas => "inCinemas",
            Self::Released => "released",
            Self::Other(other) => other,
        }
    }

    /// Reads Radarr's spelling; anything else becomes [`Self::Other`].
    pub fn parse(value: &str) -> Self {
        match value {
            "tba" => Self::Tba,
            "announced" => Self::Announced,
            "inCinemas" => Self::InCinemas,
            "released" => Self::Released,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for MinimumAvailability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MinimumAvailability {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MinimumAvailability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::parse(&text))
    }
}

/// What to add to Radarr: the minimal body Radarr needs, it fetches the
/// rest of the metadata itself.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AddMovie {
    /// The TMDb id of the movie.
    pub tmdb_id: TmdbId,
    /// Its title (Radarr replaces it with TMDb's).
    pub title: String,
    /// Its year.
    pub year: i32,
    /// The quality profile to use.
    pub quality_profile_id: QualityProfileId,
    /// The root folder to put it under, as Radarr lists it.
    pub root_folder_path: String,
    /// When Radarr may start grabbing releases.
    pub minimum_availability: MinimumAvailability,
    /// Whether Radarr should look for it.
    pub monitored: bool,
    /// Tags to put on it.
    pub tags: Vec<TagId>,
    /// Whether Radarr should search for a release right away.
    pub search_on_add: bool,
}

impl AddMovie {
    /// An add request, monitored, searched for on add, available once
    /// released, without tags.
    pub fn new(
        tmdb_id: TmdbId,
        title: impl Into<String>,
        year: i32,
        quality_profile_id: QualityProfileId,
        root_folder_path: impl Into<String>,
    ) -> Self {
        Self {
            tmdb_id,
            title: title.into(),
            year,
            quality_profile_id,
            root_folder_path: root_folder_path.into(),
            minimum_availability: MinimumAvailability::Released,
            monitored: true,
            tags: Vec::new(),
            search_on_add: true,
        }
    }

    /// The same request with these tags.
    #[must_use]
    pub fn with_tags(mut self, tags: Vec<TagId>) -> Self {
        self.tags = tags;
        self
    }

    /// The same request with this minimum availability.
    #[must_use]
    pub fn with_minimum_availability(mut self, availability: MinimumAvailability) -> Self {
        self.minimum_availability = availability;
        self
    }

    /// The same request, monitored or not.
    #[must_use]
    pub fn with_monitored(mut self, monitored: bool) -> Self {
        self.monitored = monitored;
        self
    }

    /// The same request, searched for on add or not.
    #[must_use]
    pub fn with_search_on_add(mut self, search: bool) -> Self {
        self.search_on_add = search;
        self
    }
}

/// What [`crate::RadarrApi::add_movie`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum AddOutcome {
    /// Radarr added the movie; this is its new record.
    Added(Box<Movie>),
    /// Radarr already had the movie ("This movie has already been added"),
    /// so nothing changed. Callers can treat this as success.
    AlreadyExists,
}

impl AddOutcome {
    /// The new record, when the movie was added.
    pub fn movie(&self) -> Option<&Movie> {
        match self {
            Self::Added(movie) => Some(movie),
            Self::AlreadyExists => None,
        }
    }

    /// True when Radarr added the movie now.
    pub fn was_added(&self) -> bool {
        matches!(self, Self::Added(_))
    }
}

/// A bulk edit of many movies in one request (`MovieEditorResource`).
///
/// Fields left `None` are not changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MovieEditor {
    /// The movies to change.
    #[serde(default, deserialize_with = "null_as_default")]
    pub movie_ids: Vec<MovieId>,
    /// Monitor or unmonitor them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitored: Option<bool>,
    /// Tags to apply, as [`MovieEditor::apply_tags`] says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagId>>,
    /// How to apply [`MovieEditor::tags`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_tags: Option<ApplyTags>,
}

impl MovieEditor {
    /// An edit of these movies that changes nothing yet.
    pub fn new(movie_ids: Vec<MovieId>) -> Self {
        Self {
            movie_ids,
            ..Self::default()
        }
    }

    /// The same edit, also monitoring or unmonitoring.
    #[must_use]
    pub fn with_monitored(mut self, monitored: bool) -> Self {
        self.monitored = Some(monitored);
        self
    }

    /// The same edit, also adding, removing or replacing tags.
    #[must_use]
    pub fn with_tags(mut self, apply: ApplyTags, tags: Vec<TagId>) -> Self {
        self.tags = Some(tags);
        self.apply_tags = Some(apply);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_leniently_and_keeps_unknown_fields() {
        let movie: Movie = serde_json::from_value(json!({
            "id": 12,
            "title": "Arrival",
            "year": 2016,
            "tmdbId": 329865,
            "imdbId": "",
            "hasFile": null,
            "tags": null,
            "minimumAvailability": "deleted",
            "sizeOnDisk": 0,
            "ratings": {"imdb": {"votes": 800000, "value": 7.9}}
        }))
        .unwrap();
        assert_eq!(movie.id, MovieId(12));
        assert_eq!(movie.imdb_id, None);
        assert!(!movie.has_file);
        assert!(movie.tags.is_empty());
        assert_eq!(
            movie.minimum_availability,
            MinimumAvailability::Other("deleted".into())
        );
        assert_eq!(movie.extra["ratings"]["imdb"]["votes"], 800000);
        let back = serde_json::to_value(&movie).unwrap();
        assert_eq!(back["minimumAvailability"], "deleted");
        assert_eq!(back["sizeOnDisk"], 0);
        assert_eq!(back["ratings"]["imdb"]["value"], 7.9);
    }

    #[test]
    fn editor_sends_only_what_changes() {
        let edit = MovieEditor::new(vec![MovieId(1), MovieId(2)]).with_monitored(false);
        assert_eq!(
            serde_json::to_value(&edit).unwrap(),
            json!({"movieIds": [1, 2], "monitored": false})
        );
    }
}
