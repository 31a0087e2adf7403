//! What the webhooks send, read into the same run input `curator run`
//! reads from its arguments: every value goes through the same reading
//! ([`curator_app::read_watched`]), so empty values and unfilled
//! `{placeholders}` mean "not given" here too.

use curator_http::MediaKind;
use serde::Deserialize;
use serde_json::Value;

use curator_app::{Error, RunInput, Watched, given, read_watched};

/// What an event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A movie was watched: run the pipeline.
    Watched(RunInput),
    /// Nothing to do, for this reason (acknowledged, not queued).
    Ignored(String),
    /// A movie or a show arrived (Radarr or Sonarr imported it, Plex
    /// added it): promote the pending ones of its kind Plex has and
    /// refresh their collection.
    Arrived(Arrival),
}

/// A movie or show that arrived, as the event names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arrival {
    pub(crate) media: MediaKind,
    pub(crate) title: String,
    pub(crate) year: Option<i32>,
    pub(crate) tmdb_id: Option<u32>,
    /// A show's TVDB id (Sonarr's own key).
    pub(crate) tvdb_id: Option<u32>,
}

/// A body that cannot be used: 400 with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadBody(pub(crate) String);

/// Reads `args` as `curator run` reads its arguments; an episode while TV
/// is off (`tv_on` false) is ignored with the words used before curator
/// knew shows.
fn read(args: &Watched, tv_on: bool) -> Result<Event, BadBody> {
    match read_watched(args) {
        Ok(input) => Ok(match input.skip_reason_with(tv_on) {
            Some(reason) => Event::Ignored(reason),
            None => Event::Watched(input),
        }),
        Err(Error::Usage(reason) | Error::Fatal(reason)) => Err(BadBody(reason)),
        Err(other) => Err(BadBody(other.to_string())),
    }
}

/// A JSON value as text: strings as they are, numbers written out, null
/// and anything else absent.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the JSON body of Tautulli's webhook agent, and of `POST /api/runs`
/// (the same fields): `title` (required), `year`, `media_type` (`movie`,
/// `episode` or `show`), `tmdb_id` (or `themoviedb_id`), `rating_key`,
/// `user` (or `username`), for an episode `show` (or `show_name`),
/// `tvdb_id` (or `thetvdb_id`) and `grandparent_rating_key` (the show's
/// key, which wins over `rating_key` then), and optionally `action`
/// (Tautulli's `{action}`: anything but `watched` is ignored). Values may
/// be strings or numbers; other keys are ignored. Episodes are ignored
/// while TV is off (`tv_on`).
///
/// # Errors
/// Not JSON, not an object, no title, or a malformed year or id.
pub(crate) fn tautulli(
    body: &[u8],
    rules: Option<Rules<'_>>,
    tv_on: bool,
) -> Result<Event, BadBody> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| BadBody(format!("the body is not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(BadBody(
            "the body must be a JSON object such as {\"title\": \"Heat\", \"year\": 1995}".into(),
        ));
    };
    let field = |names: &[&str]| names.iter().find_map(|n| text(map.get(*n)));
    if let Some(action) = given(field(&["action", "event"]).as_deref())
        && !action.eq_ignore_ascii_case("watched")
    {
        return Ok(Event::Ignored(format!(
            "action {action:?} is not \"watched\"; curator acts on the Watched trigger only"
        )));
    }
    let Some(title) = field(&["title"]) else {
        return Err(BadBody(
            "the body has no \"title\" (Tautulli: \"title\": \"{title}\")".into(),
        ));
    };
    let user = field(&["user", "username"]);
    if let Some(rules) = rules
        && let Some(why) = rules.tautulli_user(given(user.as_deref()).as_deref())
    {
        return Ok(Event::Ignored(why));
    }
    let args = Watched {
        title,
        media_type: field(&["media_type"]),
        year: field(&["year"]),
        tmdb_id: field(&["tmdb_id", "themoviedb_id"]),
        // An episode's own key names the episode; the run is for its show.
        rating_key: given(field(&["grandparent_rating_key"]).as_deref())
            .or_else(|| field(&["rating_key"])),
        user,
        show: field(&["show", "show_name"]),
        tvdb_id: field(&["tvdb_id", "thetvdb_id"]),
    };
    read(&args, tv_on).map_err(|BadBody(reason)| BadBody(reason.replace("--", "")))
}

/// Plex's webhook payload: the fields curator reads. Shape as Plex sends it
/// (support.plex.tv "Webhooks"; python-plexapi and Tautulli read the same
/// names): `event`, `Account.title`, `Metadata.{type,title,year,ratingKey,
/// guid,Guid[]}`, and for an episode `Metadata.{grandparentTitle,
/// grandparentRatingKey}` (its show).
#[derive(Debug, Deserialize)]
struct PlexPayload {
    event: Option<String>,
    /// True when the event is sent because this account's own webhook is
    /// set (its own play); false for a shared user's play reaching the
    /// owner's webhook (then `owner` is true).
    user: Option<bool>,
    #[serde(rename = "Account")]
    account: Option<PlexAccount>,
    #[serde(rename = "Server")]
    server: Option<PlexServer>,
    #[serde(rename = "Metadata")]
    metadata: Option<PlexMetadata>,
}

#[derive(Debug, Deserialize)]
struct PlexAccount {
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PlexServer {
    uuid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PlexMetadata {
    #[serde(rename = "librarySectionTitle")]
    library: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<Value>,
    year: Option<Value>,
    #[serde(rename = "ratingKey")]
    rating_key: Option<Value>,
    guid: Option<String>,
    #[serde(rename = "Guid", default)]
    guids: Vec<PlexGuid>,
    #[serde(rename = "parentTitle")]
    parent_title: Option<Value>,
    #[serde(rename = "grandparentTitle")]
    grandparent_title: Option<Value>,
    #[serde(rename = "grandparentRatingKey")]
    grandparent_rating_key: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct PlexGuid {
    id: String,
}

/// The TMDb id in a Plex guid: `tmdb://27205` (current agents) or
/// `com.plexapp.agents.themoviedb://27205?lang=en` (the legacy agent).
fn tmdb_in_guid(guid: &str) -> Option<String> {
    let rest = guid
        .strip_prefix("tmdb://")
        .or_else(|| guid.strip_prefix("com.plexapp.agents.themoviedb://"))?;
    let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!id.is_empty()).then_some(id)
}

/// The TVDB id in a Plex guid: `tvdb://371980` (current agents) or
/// `com.plexapp.agents.thetvdb://371980?lang=en` (the legacy TV agent).
fn tvdb_in_guid(guid: &str) -> Option<u32> {
    let rest = guid
        .strip_prefix("tvdb://")
        .or_else(|| guid.strip_prefix("com.plexapp.agents.thetvdb://"))?;
    let id: String = rest.chars().take_while(char::is_ascii_digit).collect();
    id.parse().ok()
}

/// Whose plays and which library the service acts on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'a> {
    /// The movie library's name (`plex.movie_library_name`).
    pub(crate) library: &'a str,
    /// The TV library's name (`plex.tv_library_name`); `None`: TV is off.
    pub(crate) tv_library: Option<&'a str>,
    /// `serve.users`.
    pub(crate) users: &'a [String],
}

impl Rules<'_> {
    /// True when `serve.users` names `who` (or is `"*"`).
    fn lists(&self, who: Option<&str>) -> bool {
        self.users
            .iter()
            .any(|u| u == "*" || who.is_some_and(|w| w.trim().to_lowercase() == u.to_lowercase()))
    }

    /// Why a Plex play by `account` is not ours, if it is not. With
    /// `serve.users` empty only the webhook's own account counts: Plex
    /// sends the owner's webhook for shared users' plays too, with
    /// `user: false` (support.plex.tv, "Webhooks": the `user` and `owner`
    /// flags).
    fn plex_user(&self, account: Option<&str>, own: Option<bool>) -> Option<String> {
        let who = account.unwrap_or("an unnamed account");
        if self.users.is_empty() {
            return (own != Some(true)).then(|| {
                format!(
                    "played by {who}, not the account whose webhook this is; list the accounts to act on in serve.users (\"*\" for everyone)"
                )
            });
        }
        (!self.lists(account)).then(|| format!("played by {who}, who is not in serve.users"))
    }

    /// Why a Tautulli play by `user` is not ours, if it is not. Tautulli
    /// sends what its own conditions let through: with `serve.users`
    /// empty every user counts.
    fn tautulli_user(&self, user: Option<&str>) -> Option<String> {
        if self.users.is_empty() || self.lists(user) {
            return None;
        }
        Some(format!(
            "played by {}, who is not in serve.users",
            user.unwrap_or("an unnamed user")
        ))
    }
}

/// A Plex event read: what to do, and for a watch the `Server.uuid` it
/// names, which must be the configured server's machine identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FromPlex {
    pub(crate) event: Event,
    pub(crate) server: Option<String>,
}

impl FromPlex {
    fn ignored(reason: String) -> Self {
        Self {
            event: Event::Ignored(reason),
            server: None,
        }
    }
}

/// Reads the `payload` field of a Plex webhook. `media.scrobble` (Plex's
/// "watched", sent at 90%) of a movie in the movie library, by an allowed
/// account, is a watch; every other event is acknowledged and ignored.
///
/// # Errors
/// Not JSON, no event, or a scrobble without a title.
pub(crate) fn plex(payload: &[u8], rules: Rules<'_>) -> Result<FromPlex, BadBody> {
    let payload: PlexPayload = serde_json::from_slice(payload)
        .map_err(|e| BadBody(format!("the payload field is not Plex's webhook JSON: {e}")))?;
    let Some(event) = payload.event.clone() else {
        return Err(BadBody("the payload has no \"event\"".into()));
    };
    if event == "library.new" {
        return Ok(plex_arrival(payload, rules));
    }
    if event != "media.scrobble" {
        return Ok(FromPlex::ignored(format!(
            "event {event:?} is not media.scrobble or library.new; curator acts when a movie is watched or added"
        )));
    }
    let Some(meta) = payload.metadata else {
        return Err(BadBody(
            "a media.scrobble payload has no \"Metadata\"".into(),
        ));
    };
    let account = payload.account.and_then(|a| a.title);
    // Plex always says what it played; none at all is not a movie.
    let kind = meta.kind.unwrap_or_else(|| "unknown".into());
    let episode = kind.eq_ignore_ascii_case("episode");
    if episode && rules.tv_library.is_none() {
        // TV off: ignored in the words used before curator knew shows.
        let why = RunInput::NotAMovie(kind).skip_reason_with(false);
        return Ok(FromPlex::ignored(why.unwrap_or_default()));
    }
    let args = if episode {
        // The run is for the show: its title and key. An episode's own
        // `Guid` array holds the episode's ids, never the show's; the
        // engine reads the show's ids from Plex by its key.
        let Some(show) = text(meta.grandparent_title.as_ref()) else {
            return Err(BadBody(
                "the payload's episode has no grandparentTitle (its show)".into(),
            ));
        };
        Watched {
            title: show.clone(),
            media_type: Some(kind),
            rating_key: text(meta.grandparent_rating_key.as_ref()),
            user: account.clone(),
            show: Some(show),
            ..Watched::default()
        }
    } else {
        let Some(title) = text(meta.title.as_ref()) else {
            return Err(BadBody("the payload's Metadata has no title".into()));
        };
        let tmdb_id = meta
            .guids
            .iter()
            .find_map(|g| tmdb_in_guid(&g.id))
            .or_else(|| meta.guid.as_deref().and_then(tmdb_in_guid));
        Watched {
            title,
            media_type: Some(kind),
            year: text(meta.year.as_ref()),
            tmdb_id,
            rating_key: text(meta.rating_key.as_ref()),
            user: account.clone(),
            ..Watched::default()
        }
    };
    let event = read(&args, rules.tv_library.is_some())
        .map_err(|BadBody(reason)| BadBody(reason.replace("--", "")))?;
    if let Event::Ignored(_) = event {
        return Ok(FromPlex {
            event,
            server: None,
        });
    }
    let (wanted, key) = match rules.tv_library {
        Some(tv) if episode => (tv, "plex.tv_library_name"),
        _ => (rules.library, "plex.movie_library_name"),
    };
    let library = meta.library.as_deref().map(str::trim).unwrap_or_default();
    if !library.eq_ignore_ascii_case(wanted.trim()) {
        return Ok(FromPlex::ignored(format!(
            "from the library {library:?}, not {wanted:?} ({key})"
        )));
    }
    if let Some(why) = rules.plex_user(account.as_deref(), payload.user) {
        return Ok(FromPlex::ignored(why));
    }
    let Some(server) = payload
        .server
        .and_then(|s| s.uuid)
        .filter(|u| !u.is_empty())
    else {
        return Ok(FromPlex::ignored(
            "the payload names no server (Server.uuid)".into(),
        ));
    };
    Ok(FromPlex {
        event,
        server: Some(server),
    })
}

/// Plex's `library.new` (support.plex.tv "Webhooks": "a new item is
/// added to a library to which the user has access"): a movie of the
/// movie library, or a show, season or episode of the TV library (while TV
/// is on), on the configured server, is an arrival, whoever's webhook it
/// is. A season names its show as `parentTitle`, an episode as
/// `grandparentTitle` (plex-api-spec `Metadata`); only a show's own `Guid`s
/// are the show's ids.
fn plex_arrival(payload: PlexPayload, rules: Rules<'_>) -> FromPlex {
    let Some(meta) = payload.metadata else {
        return FromPlex::ignored("a library.new payload without Metadata".into());
    };
    let kind = meta
        .kind
        .as_deref()
        .unwrap_or("item of no type")
        .to_ascii_lowercase();
    let (media, title, own_ids) = match (kind.as_str(), rules.tv_library) {
        ("movie", _) => (MediaKind::Movie, meta.title.as_ref(), true),
        ("show", Some(_)) => (MediaKind::Show, meta.title.as_ref(), true),
        ("season", Some(_)) => (MediaKind::Show, meta.parent_title.as_ref(), false),
        ("episode", Some(_)) => (MediaKind::Show, meta.grandparent_title.as_ref(), false),
        _ => {
            return FromPlex::ignored(format!(
                "library.new of type {kind:?}, not a movie{}",
                if rules.tv_library.is_some() {
                    " or a show"
                } else {
                    ""
                }
            ));
        }
    };
    let (wanted, key) = match (media, rules.tv_library) {
        (MediaKind::Show, Some(tv)) => (tv, "plex.tv_library_name"),
        _ => (rules.library, "plex.movie_library_name"),
    };
    let library = meta.library.as_deref().map(str::trim).unwrap_or_default();
    if !library.eq_ignore_ascii_case(wanted.trim()) {
        return FromPlex::ignored(format!(
            "from the library {library:?}, not {wanted:?} ({key})"
        ));
    }
    let Some(server) = payload
        .server
        .and_then(|s| s.uuid)
        .filter(|u| !u.is_empty())
    else {
        return FromPlex::ignored("the payload names no server (Server.uuid)".into());
    };
    let guids = || {
        meta.guids
            .iter()
            .map(|g| g.id.as_str())
            .chain(meta.guid.as_deref())
            .filter(|_| own_ids)
    };
    FromPlex {
        event: Event::Arrived(Arrival {
            media,
            title: text(title).unwrap_or_default(),
            year: text(meta.year.as_ref())
                .and_then(|y| y.parse().ok())
                .filter(|_| own_ids),
            tmdb_id: guids()
                .find_map(tmdb_in_guid)
                .and_then(|id| id.parse().ok()),
            tvdb_id: guids()
                .find_map(tvdb_in_guid)
                .filter(|_| media == MediaKind::Show),
        }),
        server: Some(server),
    }
}

/// Radarr's and Sonarr's Connect -> Webhook body: `eventType`, and for
/// an import (`Download`) `movie` (Radarr) or `series` (Sonarr) and
/// `isUpgrade`. Shapes: Radarr's and Sonarr's `WebhookPayload`,
/// `WebhookImportPayload`, `WebhookMovie` / `WebhookSeries`
/// (src/NzbDrone.Core/Notifications/Webhook), sent camelCase.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArrPayload {
    event_type: Option<String>,
    movie: Option<ArrItem>,
    series: Option<ArrItem>,
    is_upgrade: Option<bool>,
}

/// A `WebhookMovie` or `WebhookSeries`: Sonarr adds `tmdbId` from v4.0.6
/// (Sonarr's "New: Add TMDB ID support", 2024); 0 means none.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArrItem {
    title: Option<String>,
    year: Option<i32>,
    tmdb_id: Option<u32>,
    tvdb_id: Option<u32>,
}

/// Reads Radarr's (`kind` movie) or Sonarr's (`kind` show) webhook: an
/// import (`Download`, the "On Import" trigger) of a movie with a TMDb id,
/// or of a series with a TVDB id, is an arrival; `Test`, upgrades of files
/// already imported and every other event are acknowledged and ignored, as
/// is a show while TV is off (`tv_on`).
///
/// # Errors
/// Not JSON, no `eventType`, or an import without `movie.tmdbId` (Radarr)
/// or `series.tvdbId` (Sonarr).
pub(crate) fn arr(body: &[u8], kind: MediaKind, tv_on: bool) -> Result<Event, BadBody> {
    let (name, id) = match kind {
        MediaKind::Movie => ("Radarr", "movie.tmdbId"),
        MediaKind::Show => ("Sonarr", "series.tvdbId"),
    };
    let payload: ArrPayload = serde_json::from_slice(body)
        .map_err(|e| BadBody(format!("the body is not {name}'s webhook JSON: {e}")))?;
    let Some(event) = payload.event_type else {
        return Err(BadBody("the body has no \"eventType\"".into()));
    };
    match event.as_str() {
        "Test" => Ok(Event::Ignored(format!(
            "{name}'s test event: the webhook reaches curator"
        ))),
        "Download" if payload.is_upgrade == Some(true) => Ok(Event::Ignored(format!(
            "an upgrade of a file {name} had imported before: nothing new arrived"
        ))),
        "Download" if kind == MediaKind::Show && !tv_on => Ok(Event::Ignored(
            "a show arrived, but TV is off (plex.tv_library_name is not set)".into(),
        )),
        "Download" => {
            let item = match kind {
                MediaKind::Movie => payload.movie,
                MediaKind::Show => payload.series,
            };
            let positive = |id: Option<u32>| id.filter(|id| *id > 0);
            let item = item
                .filter(|i| match kind {
                    MediaKind::Movie => positive(i.tmdb_id).is_some(),
                    MediaKind::Show => positive(i.tvdb_id).is_some(),
                })
                .ok_or_else(|| BadBody(format!("an import (Download) without {id}")))?;
            Ok(Event::Arrived(Arrival {
                media: kind,
                title: item.title.unwrap_or_default(),
                year: item.year.filter(|y| *y > 0),
                tmdb_id: positive(item.tmdb_id),
                tvdb_id: positive(item.tvdb_id).filter(|_| kind == MediaKind::Show),
            }))
        }
        other => Ok(Event::Ignored(format!(
            "event {other:?} is not an import; curator acts on On Import (Download)"
        ))),
    }
}

#[cfg(test)]
mod arr_tests {
    use super::*;

    fn radarr(body: &[u8]) -> Result<Event, BadBody> {
        arr(body, MediaKind::Movie, false)
    }

    fn movie(title: &str, year: i32, tmdb: u32) -> Event {
        Event::Arrived(Arrival {
            media: MediaKind::Movie,
            title: title.into(),
            year: Some(year),
            tmdb_id: Some(tmdb),
            tvdb_id: None,
        })
    }

    /// Shapes of Radarr's `WebhookImportPayload` / `WebhookMovie`
    /// (src/NzbDrone.Core/Notifications/Webhook), camelCase as sent.
    #[test]
    fn an_import_is_an_arrival_and_the_test_event_is_acknowledged() {
        let import = br#"{"eventType": "Download", "instanceName": "Radarr",
            "applicationUrl": "", "movie": {"id": 7, "title": "Tenet", "year": 2020,
            "releaseDate": "2020-12-15", "folderPath": "/movies/Tenet (2020)", "tmdbId": 577922,
            "imdbId": "tt6723592", "overview": "", "genres": ["Action"], "images": [], "tags": []},
            "remoteMovie": {"tmdbId": 577922, "imdbId": "tt6723592", "title": "Tenet", "year": 2020},
            "movieFile": {"id": 3, "relativePath": "Tenet.mkv", "path": "/movies/Tenet (2020)/Tenet.mkv",
            "quality": "Bluray-1080p", "qualityVersion": 1, "size": 1},
            "isUpgrade": false, "downloadClient": "qBittorrent", "downloadId": "abc"}"#;
        assert_eq!(radarr(import).unwrap(), movie("Tenet", 2020, 577922));
        let test = br#"{"eventType": "Test", "instanceName": "Radarr",
            "movie": {"id": 1, "title": "Test Title", "year": 1970, "tmdbId": 0}}"#;
        assert!(matches!(radarr(test), Ok(Event::Ignored(why)) if why.contains("test")));
        let grab = br#"{"eventType": "Grab", "movie": {"tmdbId": 1}}"#;
        assert!(matches!(radarr(grab), Ok(Event::Ignored(_))));
        assert!(radarr(br#"{"eventType": "Download"}"#).is_err());
        assert!(radarr(b"{}").is_err());
        assert!(radarr(b"nope").is_err());
    }

    /// Sonarr's "On Import" as `WebhookBase.BuildOnDownloadPayload` builds
    /// it (Sonarr/Sonarr src/NzbDrone.Core/Notifications/Webhook:
    /// `WebhookImportPayload` with `series` (`WebhookSeries`: `tvdbId`, and
    /// `tmdbId` since v4.0.6), `episodes` (`WebhookEpisode`), `episodeFile`,
    /// `isUpgrade`); `eventType` by `WebhookEventType`, names as written.
    /// `BuildTestPayload` sends `Test` with a made-up series (`tvdbId`
    /// 1234).
    const SONARR_IMPORT: &str = r#"{"eventType": "Download", "instanceName": "Sonarr",
        "applicationUrl": "", "series": {"id": 12, "title": "Dark", "titleSlug": "dark",
        "path": "/tv/Dark", "tvdbId": 334824, "tvMazeId": 5788, "tmdbId": 70523,
        "imdbId": "tt5753856", "type": "standard", "year": 2017, "genres": ["Drama"],
        "images": [], "tags": ["curator"], "originalCountry": "de"},
        "episodes": [{"id": 501, "episodeNumber": 1, "seasonNumber": 1, "title": "Secrets",
            "airDate": "2017-12-01", "airDateUtc": "2017-12-01T08:00:00Z", "seriesId": 12,
            "tvdbId": 6252211}],
        "episodeFile": {"id": 90, "relativePath": "Season 01/Dark - S01E01.mkv",
            "path": "/tv/Dark/Season 01/Dark - S01E01.mkv", "quality": "WEBDL-1080p",
            "qualityVersion": 1, "size": 1},
        "release": {"releaseTitle": "Dark.S01E01.1080p"},
        "isUpgrade": false, "downloadClient": "qBittorrent", "downloadClientType": "qBittorrent",
        "downloadId": "abc"}"#;

    #[test]
    fn a_sonarr_import_is_a_show_arrival_and_its_test_event_is_acknowledged() {
        let dark = Event::Arrived(Arrival {
            media: MediaKind::Show,
            title: "Dark".into(),
            year: Some(2017),
            tmdb_id: Some(70523),
            tvdb_id: Some(334824),
        });
        assert_eq!(
            arr(SONARR_IMPORT.as_bytes(), MediaKind::Show, true).unwrap(),
            dark
        );
        // Sonarr v3 sends no tmdbId: the TVDB id is enough.
        let v3 = SONARR_IMPORT.replace(r#""tmdbId": 70523,"#, "");
        let Ok(Event::Arrived(arrival)) = arr(v3.as_bytes(), MediaKind::Show, true) else {
            panic!("not an arrival")
        };
        assert_eq!((arrival.tmdb_id, arrival.tvdb_id), (None, Some(334824)));
        let test = br#"{"eventType": "Test", "instanceName": "Sonarr", "applicationUrl": "",
            "series": {"id": 1, "title": "Test Title", "path": "C:\testpath", "tvdbId": 1234,
            "tags": ["test-tag"]},
            "episodes": [{"id": 123, "episodeNumber": 1, "seasonNumber": 1, "title": "Test title"}]}"#;
        assert!(
            matches!(arr(test, MediaKind::Show, true), Ok(Event::Ignored(why)) if why.contains("Sonarr's test"))
        );
        // A better file for an episode Plex had: nothing arrived.
        let upgrade = SONARR_IMPORT.replace(r#""isUpgrade": false"#, r#""isUpgrade": true"#);
        assert!(
            matches!(arr(upgrade.as_bytes(), MediaKind::Show, true), Ok(Event::Ignored(why)) if why.contains("upgrade"))
        );
        // TV off: acknowledged, nothing queued.
        assert!(
            matches!(arr(SONARR_IMPORT.as_bytes(), MediaKind::Show, false), Ok(Event::Ignored(why)) if why.contains("TV is off"))
        );
        let grab = SONARR_IMPORT.replace(r#""eventType": "Download""#, r#""eventType": "Grab""#);
        assert!(matches!(
            arr(grab.as_bytes(), MediaKind::Show, true),
            Ok(Event::Ignored(_))
        ));
        let no_tvdb = SONARR_IMPORT.replace(r#""tvdbId": 334824,"#, "");
        assert!(
            arr(no_tvdb.as_bytes(), MediaKind::Show, true)
                .unwrap_err()
                .0
                .contains("series.tvdbId")
        );
        // A Radarr body at the Sonarr hook has no series.
        assert!(
            arr(
                br#"{"eventType": "Download", "movie": {"tmdbId": 1}}"#,
                MediaKind::Show,
                true
            )
            .is_err()
        );
        assert!(
            arr(b"nope", MediaKind::Show, true)
                .unwrap_err()
                .0
                .contains("Sonarr's webhook JSON")
        );
    }

    #[test]
    fn plex_library_new_of_a_movie_in_the_movie_library_is_an_arrival() {
        let rules = Rules {
            library: "Movies",
            tv_library: None,
            users: &[],
        };
        let new = r#"{"event": "library.new", "user": true, "owner": true,
            "Account": {"title": "alice"}, "Server": {"uuid": "abc"},
            "Metadata": {"type": "movie", "title": "Tenet", "year": 2020,
                "librarySectionTitle": "Movies", "Guid": [{"id": "tmdb://577922"}]}}"#;
        let found = plex(new.as_bytes(), rules).unwrap();
        assert_eq!(found.server.as_deref(), Some("abc"));
        assert_eq!(found.event, movie("Tenet", 2020, 577922));
        let other = new.replace("\"Movies\"", "\"Home Videos\"");
        assert!(matches!(
            plex(other.as_bytes(), rules).unwrap().event,
            Event::Ignored(_)
        ));
        let show = new.replace("\"movie\"", "\"show\"");
        assert!(matches!(
            plex(show.as_bytes(), rules).unwrap().event,
            Event::Ignored(_)
        ));
    }

    /// `library.new` of a show, a season (its show as `parentTitle`) or an
    /// episode (its show as `grandparentTitle`) of the TV library is a show
    /// arrival while TV is on; only a show's own `Guid`s are its ids.
    #[test]
    fn plex_library_new_of_a_show_season_or_episode_in_the_tv_library_is_a_show_arrival() {
        let tv = Rules {
            library: "Movies",
            tv_library: Some("TV Shows"),
            users: &[],
        };
        let show = r#"{"event": "library.new", "user": true, "owner": true,
            "Account": {"title": "alice"}, "Server": {"uuid": "abc"},
            "Metadata": {"type": "show", "title": "Dark", "year": 2017,
                "librarySectionTitle": "TV Shows",
                "Guid": [{"id": "imdb://tt5753856"}, {"id": "tmdb://70523"}, {"id": "tvdb://334824"}]}}"#;
        let found = plex(show.as_bytes(), tv).unwrap();
        assert_eq!(found.server.as_deref(), Some("abc"));
        assert_eq!(
            found.event,
            Event::Arrived(Arrival {
                media: MediaKind::Show,
                title: "Dark".into(),
                year: Some(2017),
                tmdb_id: Some(70523),
                tvdb_id: Some(334824),
            })
        );
        let episode = r#"{"event": "library.new", "Server": {"uuid": "abc"},
            "Metadata": {"type": "episode", "title": "Secrets", "grandparentTitle": "Dark",
                "parentTitle": "Season 1", "year": 2017, "librarySectionTitle": "TV Shows",
                "Guid": [{"id": "tmdb://1388445"}, {"id": "tvdb://6252211"}]}}"#;
        let season = r#"{"event": "library.new", "Server": {"uuid": "abc"},
            "Metadata": {"type": "season", "title": "Season 1", "parentTitle": "Dark",
                "librarySectionTitle": "TV Shows"}}"#;
        for body in [episode, season] {
            assert_eq!(
                plex(body.as_bytes(), tv).unwrap().event,
                Event::Arrived(Arrival {
                    media: MediaKind::Show,
                    title: "Dark".into(),
                    year: None,
                    tmdb_id: None,
                    tvdb_id: None,
                }),
                "{body}"
            );
        }
        // Another library, or TV off: ignored.
        let anime = show.replace("\"TV Shows\"", "\"Anime\"");
        let FromPlex {
            event: Event::Ignored(why),
            ..
        } = plex(anime.as_bytes(), tv).unwrap()
        else {
            panic!("not ignored")
        };
        assert!(why.contains("plex.tv_library_name"), "{why}");
        let off = Rules {
            tv_library: None,
            ..tv
        };
        assert!(matches!(
            plex(episode.as_bytes(), off).unwrap().event,
            Event::Ignored(_)
        ));
        // A movie's arrival is unchanged with TV on.
        let film = show
            .replace("\"show\"", "\"movie\"")
            .replace("\"TV Shows\"", "\"Movies\"");
        assert!(matches!(
            plex(film.as_bytes(), tv).unwrap().event,
            Event::Arrived(Arrival {
                media: MediaKind::Movie,
                tvdb_id: None,
                ..
            })
        ));
    }
}

#[cfg(test)]
mod tests {
    use curator_core::Seed;
    use curator_http::TmdbId;

    use super::*;

    const RULES: Rules<'static> = Rules {
        library: "Movies",
        tv_library: None,
        users: &[],
    };

    fn watched(event: Event) -> (Seed, Option<String>) {
        match event {
            Event::Watched(RunInput::Movie { seed, user }) => (seed, user),
            other => panic!("not a watch: {other:?}"),
        }
    }

    /// A scrobble as Plex sends it (trimmed; the shape of Plex's support
    /// article and of what Tautulli and python-plexapi parse).
    const SCROBBLE: &str = r#"{
        "event": "media.scrobble", "user": true, "owner": true,
        "Account": {"id": 1, "thumb": "https://plex.tv/users/x/avatar", "title": "alice"},
        "Server": {"title": "Office", "uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36"},
        "Player": {"local": true, "publicAddress": "200.200.200.200", "title": "Plex Web (Safari)", "uuid": "r6yfkdnfggbh2bdnvkffwbms"},
        "Metadata": {"librarySectionType": "movie", "ratingKey": "1936", "key": "/library/metadata/1936",
            "guid": "plex://movie/5d7768ba96b655001fdc0408", "type": "movie", "title": "Inception",
            "librarySectionTitle": "Movies", "librarySectionID": 1, "year": 2010,
            "Guid": [{"id": "imdb://tt1375666"}, {"id": "tmdb://27205"}, {"id": "tvdb://1234"}]}
    }"#;

    #[test]
    fn a_movie_scrobble_is_a_watch_with_its_ids_and_user() {
        let (seed, user) = watched(plex(SCROBBLE.as_bytes(), RULES).map(|p| p.event).unwrap());
        assert_eq!(seed.title, "Inception");
        assert_eq!(seed.year, Some(2010));
        assert_eq!(seed.tmdb_id, Some(TmdbId(27205)));
        assert_eq!(seed.rating_key.as_deref(), Some("1936"));
        assert_eq!(user.as_deref(), Some("alice"));
        // The legacy agent's guid carries the id too.
        let legacy = SCROBBLE
            .replace(r#""Guid": [{"id": "imdb://tt1375666"}, {"id": "tmdb://27205"}, {"id": "tvdb://1234"}]"#, r#""Guid": []"#)
            .replace("plex://movie/5d7768ba96b655001fdc0408", "com.plexapp.agents.themoviedb://27205?lang=en");
        assert_eq!(
            watched(plex(legacy.as_bytes(), RULES).map(|p| p.event).unwrap())
                .0
                .tmdb_id,
            Some(TmdbId(27205))
        );
    }

    #[test]
    fn other_events_and_episodes_are_ignored_and_bad_payloads_are_refused() {
        let play = SCROBBLE.replace("media.scrobble", "media.play");
        assert!(matches!(
            plex(play.as_bytes(), RULES).map(|p| p.event),
            Ok(Event::Ignored(_))
        ));
        let episode = SCROBBLE.replace(r#""type": "movie""#, r#""type": "episode""#);
        assert!(matches!(
            plex(episode.as_bytes(), RULES).map(|p| p.event),
            Ok(Event::Ignored(_))
        ));
        assert!(
            plex(b"not json", RULES)
                .map(|p| p.event)
                .unwrap_err()
                .0
                .contains("not Plex's webhook JSON")
        );
        assert!(
            plex(b"{}", RULES)
                .map(|p| p.event)
                .unwrap_err()
                .0
                .contains("no \"event\"")
        );
        let untitled = SCROBBLE.replace(r#""title": "Inception","#, "");
        assert!(
            plex(untitled.as_bytes(), RULES)
                .map(|p| p.event)
                .unwrap_err()
                .0
                .contains("no title")
        );
    }

    /// An episode's scrobble: Plex's metadata of an episode carries its
    /// show as `grandparentTitle` and `grandparentRatingKey` (plex-api-spec
    /// `Metadata`, shared/reference/plex-api-spec.yaml); its `Guid` array is
    /// the episode's own ids (TVDB's episode id, not the show's).
    const EPISODE: &str = r#"{
        "event": "media.scrobble", "user": true, "owner": true,
        "Account": {"id": 1, "title": "alice"},
        "Server": {"title": "Office", "uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36"},
        "Metadata": {"librarySectionType": "show", "ratingKey": "4102", "key": "/library/metadata/4102",
            "parentRatingKey": "4101", "grandparentRatingKey": "4100",
            "guid": "plex://episode/5ed7c5d1b3a0a1004f3f6f3a", "grandparentGuid": "plex://show/5d9c08fe7d06d9001ffd5f6b",
            "type": "episode", "title": "Good News About Hell", "grandparentTitle": "Severance",
            "parentTitle": "Season 1", "index": 1, "parentIndex": 1, "year": 2022,
            "librarySectionTitle": "TV Shows", "librarySectionID": 2,
            "Guid": [{"id": "imdb://tt11650492"}, {"id": "tmdb://1988010"}, {"id": "tvdb://7459876"}]}
    }"#;

    const TV: Rules<'static> = Rules {
        library: "Movies",
        tv_library: Some("TV Shows"),
        users: &[],
    };

    #[test]
    fn an_episode_scrobble_seeds_its_show_by_key_and_title_when_tv_is_on() {
        let found = plex(EPISODE.as_bytes(), TV).unwrap();
        let Event::Watched(RunInput::Show {
            seed,
            user,
            media_type,
        }) = found.event
        else {
            panic!("not a show run: {:?}", found.event)
        };
        assert_eq!(
            seed,
            Seed {
                title: "Severance".into(),
                rating_key: Some("4100".into()),
                kind: curator_http::MediaKind::Show,
                ..Seed::default()
            },
            "the show's title and key; none of the episode's ids or year"
        );
        assert_eq!(
            (user.as_deref(), media_type.as_str()),
            (Some("alice"), "episode")
        );
        assert!(found.server.is_some());
        // From another library than the TV one: ignored, naming the key.
        let other = EPISODE.replace(
            r#""librarySectionTitle": "TV Shows""#,
            r#""librarySectionTitle": "Anime""#,
        );
        let FromPlex {
            event: Event::Ignored(why),
            ..
        } = plex(other.as_bytes(), TV).unwrap()
        else {
            panic!("not ignored")
        };
        assert!(why.contains("plex.tv_library_name"), "{why}");
        // Without its show's title the payload is not usable.
        let no_show = EPISODE.replace(r#""grandparentTitle": "Severance","#, "");
        assert!(
            plex(no_show.as_bytes(), TV)
                .unwrap_err()
                .0
                .contains("grandparentTitle")
        );
        // A movie scrobble is unchanged with TV on.
        assert!(matches!(
            plex(SCROBBLE.as_bytes(), TV).unwrap().event,
            Event::Watched(RunInput::Movie { .. })
        ));
    }

    #[test]
    fn an_episode_scrobble_is_ignored_as_before_while_tv_is_off() {
        let FromPlex {
            event: Event::Ignored(why),
            ..
        } = plex(EPISODE.as_bytes(), RULES).unwrap()
        else {
            panic!("not ignored")
        };
        assert_eq!(
            why,
            "media type \"episode\" is not a movie; curator only acts on movies"
        );
    }

    /// Tautulli's episode placeholders (`plexpy/common.py`,
    /// NOTIFICATION_PARAMETERS): `{show_name}`, `{thetvdb_id}`,
    /// `{themoviedb_id}` (the show's), `{grandparent_rating_key}`,
    /// `{show_year}`; `{title}` is "Show - Episode".
    #[test]
    fn a_tautulli_episode_body_seeds_the_show_with_its_ids() {
        let body = br#"{"action": "watched", "title": "Severance - Good News About Hell",
            "media_type": "episode", "year": "2022", "show_name": "Severance", "thetvdb_id": "371980",
            "themoviedb_id": "95396", "rating_key": "4102", "grandparent_rating_key": "4100",
            "user": "bob"}"#;
        let Ok(Event::Watched(RunInput::Show { seed, user, .. })) = tautulli(body, None, true)
        else {
            panic!("not a show run")
        };
        assert_eq!(
            seed,
            Seed {
                title: "Severance".into(),
                year: Some(2022),
                tmdb_id: Some(TmdbId(95396)),
                rating_key: Some("4100".into()),
                kind: curator_http::MediaKind::Show,
                tvdb_id: Some(curator_http::TvdbId(371980)),
            }
        );
        assert_eq!(user.as_deref(), Some("bob"));
        // POST /api/runs: "media_type": "show" is a whole show, by hand.
        let by_hand = br#"{"title": "Severance", "media_type": "show", "tvdb_id": 371980}"#;
        let Ok(Event::Watched(RunInput::Show { seed, .. })) = tautulli(by_hand, None, true) else {
            panic!("not a show run")
        };
        assert_eq!(
            (seed.title.as_str(), seed.tvdb_id),
            ("Severance", Some(curator_http::TvdbId(371980)))
        );
        // TV off: ignored with the old words.
        assert!(matches!(
            tautulli(body, None, false),
            Ok(Event::Ignored(why)) if why.contains("is not a movie; curator only acts on movies")
        ));
    }

    #[test]
    fn a_tautulli_body_reads_as_the_cli_reads_its_arguments() {
        // Tautulli fills placeholders as text; an unknown TMDb id is empty.
        let body = br#"{"action": "watched", "title": "Inception (2010)", "year": "",
            "media_type": "movie", "tmdb_id": "", "rating_key": "{rating_key}", "user": "bob"}"#;
        let (seed, user) = watched(tautulli(body, None, false).unwrap());
        assert_eq!(
            (
                seed.title.as_str(),
                seed.year,
                seed.tmdb_id,
                seed.rating_key
            ),
            ("Inception", Some(2010), None, None)
        );
        assert_eq!(user.as_deref(), Some("bob"));
        let numbers = br#"{"title": "Heat", "year": 1995, "themoviedb_id": 949, "username": "c"}"#;
        let (seed, _) = watched(tautulli(numbers, None, false).unwrap());
        assert_eq!((seed.year, seed.tmdb_id), (Some(1995), Some(TmdbId(949))));
        assert!(matches!(
            tautulli(
                br#"{"title": "Pilot", "media_type": "episode"}"#,
                None,
                false
            ),
            Ok(Event::Ignored(_))
        ));
        assert!(matches!(
            tautulli(br#"{"action": "play", "title": "Heat"}"#, None, false),
            Ok(Event::Ignored(_))
        ));
        let bad = tautulli(br#"{"title": "Heat", "year": "soon"}"#, None, false)
            .unwrap_err()
            .0;
        assert!(
            bad.contains("\"soon\" is not a year") && !bad.contains("--"),
            "{bad}"
        );
        assert!(
            tautulli(b"[1]", None, false)
                .unwrap_err()
                .0
                .contains("JSON object")
        );
        assert!(
            tautulli(b"{\"year\": 1995}", None, false)
                .unwrap_err()
                .0
                .contains("no \"title\"")
        );
        assert!(
            tautulli(b"{", None, false)
                .unwrap_err()
                .0
                .contains("not JSON")
        );
    }
}

#[cfg(test)]
mod rules {
    use super::*;

    const SCROBBLE: &str = r#"{"event": "media.scrobble", "user": true, "owner": true,
        "Account": {"id": 1, "title": "alice"},
        "Server": {"title": "Office", "uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36"},
        "Metadata": {"librarySectionType": "movie", "ratingKey": "1936", "type": "movie",
            "title": "Inception", "librarySectionTitle": "Movies", "year": 2010}}"#;

    fn reason(result: Result<FromPlex, BadBody>) -> String {
        match result.unwrap() {
            FromPlex {
                event: Event::Ignored(why),
                ..
            } => why,
            other => panic!("not ignored: {other:?}"),
        }
    }

    /// Plex sends the owner's webhook for shared users' plays too, with
    /// `user: false, owner: true` (support.plex.tv, "Webhooks": the top
    /// level's `user` and `owner` flags).
    #[test]
    fn only_the_own_accounts_plays_count_unless_serve_users_says_otherwise() {
        let own = Rules {
            library: "Movies",
            tv_library: None,
            users: &[],
        };
        let found = plex(SCROBBLE.as_bytes(), own).unwrap();
        assert!(matches!(found.event, Event::Watched(_)));
        assert_eq!(
            found.server.as_deref(),
            Some("54664a3d8acc39983675640ec9ce00b70af9cc36")
        );
        let shared = SCROBBLE
            .replace(r#""user": true"#, r#""user": false"#)
            .replace("alice", "bob");
        let why = reason(plex(shared.as_bytes(), own));
        assert!(
            why.contains("played by bob") && why.contains("serve.users"),
            "{why}"
        );
        let listed = ["Bob".to_owned()];
        let by_name = Rules {
            library: "Movies",
            tv_library: None,
            users: &listed,
        };
        assert!(matches!(
            plex(shared.as_bytes(), by_name).unwrap().event,
            Event::Watched(_)
        ));
        // Listing users means only those: the owner too must be listed.
        assert!(reason(plex(SCROBBLE.as_bytes(), by_name)).contains("alice"));
        let everyone = ["*".to_owned()];
        let all = Rules {
            library: "Movies",
            tv_library: None,
            users: &everyone,
        };
        assert!(matches!(
            plex(shared.as_bytes(), all).unwrap().event,
            Event::Watched(_)
        ));
    }

    #[test]
    fn another_library_and_no_server_are_ignored() {
        let rules = Rules {
            library: "Films",
            tv_library: None,
            users: &[],
        };
        let why = reason(plex(SCROBBLE.as_bytes(), rules));
        assert!(
            why.contains("\"Movies\"") && why.contains("plex.movie_library_name"),
            "{why}"
        );
        let rules = Rules {
            library: "movies",
            tv_library: None,
            users: &[],
        };
        let no_server = SCROBBLE.replace(
            r#""uuid": "54664a3d8acc39983675640ec9ce00b70af9cc36""#,
            r#""title": "x""#,
        );
        assert!(reason(plex(no_server.as_bytes(), rules)).contains("Server.uuid"));
    }

    #[test]
    fn tautulli_plays_follow_serve_users_by_their_user_field() {
        let body = br#"{"title": "Heat", "year": 1995, "user": "bob"}"#;
        assert!(matches!(
            tautulli(
                body,
                Some(Rules {
                    library: "Movies",
                    tv_library: None,
                    users: &[]
                }),
                false
            ),
            Ok(Event::Watched(_))
        ));
        let alice = ["alice".to_owned()];
        let only_alice = Rules {
            library: "Movies",
            tv_library: None,
            users: &alice,
        };
        assert!(
            matches!(tautulli(body, Some(only_alice), false), Ok(Event::Ignored(why)) if why.contains("bob"))
        );
        let theirs = br#"{"title": "Heat", "year": 1995, "username": "Alice"}"#;
        assert!(matches!(
            tautulli(theirs, Some(only_alice), false),
            Ok(Event::Watched(_))
        ));
        let nobody = br#"{"title": "Heat", "year": 1995, "user": "{user}"}"#;
        assert!(matches!(
            tautulli(nobody, Some(only_alice), false),
            Ok(Event::Ignored(_))
        ));
    }
}
