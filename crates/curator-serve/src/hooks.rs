//! What the webhooks send, read into the same run input `curator run`
//! reads from its arguments: every value goes through the same reading
//! ([`curator_app::read_watched`]), so empty values and unfilled
//! `{placeholders}` mean "not given" here too.

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
}

/// A body that cannot be used: 400 with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadBody(pub(crate) String);

fn read(args: &Watched) -> Result<Event, BadBody> {
    match read_watched(args) {
        Ok(RunInput::NotAMovie(kind)) => Ok(Event::Ignored(format!(
            "media type {kind:?} is not a movie; curator only acts on movies"
        ))),
        Ok(input) => Ok(Event::Watched(input)),
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
/// (the same fields): `title` (required), `year`, `media_type`, `tmdb_id`
/// (or `themoviedb_id`), `rating_key`, `user` (or `username`), and
/// optionally `action` (Tautulli's `{action}`: anything but `watched` is
/// ignored). Values may be strings or numbers; other keys are ignored.
///
/// # Errors
/// Not JSON, not an object, no title, or a malformed year or id.
pub(crate) fn tautulli(body: &[u8]) -> Result<Event, BadBody> {
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
    let args = Watched {
        title,
        media_type: field(&["media_type"]),
        year: field(&["year"]),
        tmdb_id: field(&["tmdb_id", "themoviedb_id"]),
        rating_key: field(&["rating_key"]),
        user: field(&["user", "username"]),
    };
    read(&args).map_err(|BadBody(reason)| BadBody(reason.replace("--", "")))
}

/// Plex's webhook payload: the fields curator reads. Shape as Plex sends it
/// (support.plex.tv "Webhooks"; python-plexapi and Tautulli read the same
/// names): `event`, `Account.title`, `Metadata.{type,title,year,ratingKey,
/// guid,Guid[]}`.
#[derive(Debug, Deserialize)]
struct PlexPayload {
    event: Option<String>,
    #[serde(rename = "Account")]
    account: Option<PlexAccount>,
    #[serde(rename = "Metadata")]
    metadata: Option<PlexMetadata>,
}

#[derive(Debug, Deserialize)]
struct PlexAccount {
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PlexMetadata {
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<Value>,
    year: Option<Value>,
    #[serde(rename = "ratingKey")]
    rating_key: Option<Value>,
    guid: Option<String>,
    #[serde(rename = "Guid", default)]
    guids: Vec<PlexGuid>,
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

/// Reads the `payload` field of a Plex webhook. `media.scrobble` (Plex's
/// "watched", sent at 90%) of a movie is a watch; every other event is
/// acknowledged and ignored.
///
/// # Errors
/// Not JSON, no event, or a scrobble without a title.
pub(crate) fn plex(payload: &[u8]) -> Result<Event, BadBody> {
    let payload: PlexPayload = serde_json::from_slice(payload)
        .map_err(|e| BadBody(format!("the payload field is not Plex's webhook JSON: {e}")))?;
    let Some(event) = payload.event else {
        return Err(BadBody("the payload has no \"event\"".into()));
    };
    if event != "media.scrobble" {
        return Ok(Event::Ignored(format!(
            "event {event:?} is not media.scrobble; curator acts when a movie is watched"
        )));
    }
    let Some(meta) = payload.metadata else {
        return Err(BadBody(
            "a media.scrobble payload has no \"Metadata\"".into(),
        ));
    };
    let Some(title) = text(meta.title.as_ref()) else {
        return Err(BadBody("the payload's Metadata has no title".into()));
    };
    let tmdb_id = meta
        .guids
        .iter()
        .find_map(|g| tmdb_in_guid(&g.id))
        .or_else(|| meta.guid.as_deref().and_then(tmdb_in_guid));
    let args = Watched {
        title,
        // Plex always says what it played; none at all is not a movie.
        media_type: Some(meta.kind.unwrap_or_else(|| "unknown".into())),
        year: text(meta.year.as_ref()),
        tmdb_id,
        rating_key: text(meta.rating_key.as_ref()),
        user: payload.account.and_then(|a| a.title),
    };
    read(&args).map_err(|BadBody(reason)| BadBody(reason.replace("--", "")))
}

#[cfg(test)]
mod tests {
    use curator_core::Seed;
    use curator_http::TmdbId;

    use super::*;

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
        let (seed, user) = watched(plex(SCROBBLE.as_bytes()).unwrap());
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
            watched(plex(legacy.as_bytes()).unwrap()).0.tmdb_id,
            Some(TmdbId(27205))
        );
    }

    #[test]
    fn other_events_and_episodes_are_ignored_and_bad_payloads_are_refused() {
        let play = SCROBBLE.replace("media.scrobble", "media.play");
        assert!(matches!(plex(play.as_bytes()), Ok(Event::Ignored(_))));
        let episode = SCROBBLE.replace(r#""type": "movie""#, r#""type": "episode""#);
        assert!(matches!(plex(episode.as_bytes()), Ok(Event::Ignored(_))));
        assert!(
            plex(b"not json")
                .unwrap_err()
                .0
                .contains("not Plex's webhook JSON")
        );
        assert!(plex(b"{}").unwrap_err().0.contains("no \"event\""));
        let untitled = SCROBBLE.replace(r#""title": "Inception","#, "");
        assert!(
            plex(untitled.as_bytes())
                .unwrap_err()
                .0
                .contains("no title")
        );
    }

    #[test]
    fn a_tautulli_body_reads_as_the_cli_reads_its_arguments() {
        // Tautulli fills placeholders as text; an unknown TMDb id is empty.
        let body = br#"{"action": "watched", "title": "Inception (2010)", "year": "",
            "media_type": "movie", "tmdb_id": "", "rating_key": "{rating_key}", "user": "bob"}"#;
        let (seed, user) = watched(tautulli(body).unwrap());
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
        let (seed, _) = watched(tautulli(numbers).unwrap());
        assert_eq!((seed.year, seed.tmdb_id), (Some(1995), Some(TmdbId(949))));
        assert!(matches!(
            tautulli(br#"{"title": "Pilot", "media_type": "episode"}"#),
            Ok(Event::Ignored(_))
        ));
        assert!(matches!(
            tautulli(br#"{"action": "play", "title": "Heat"}"#),
            Ok(Event::Ignored(_))
        ));
        let bad = tautulli(br#"{"title": "Heat", "year": "soon"}"#)
            .unwrap_err()
            .0;
        assert!(
            bad.contains("\"soon\" is not a year") && !bad.contains("--"),
            "{bad}"
        );
        assert!(tautulli(b"[1]").unwrap_err().0.contains("JSON object"));
        assert!(
            tautulli(b"{\"year\": 1995}")
                .unwrap_err()
                .0
                .contains("no \"title\"")
        );
        assert!(tautulli(b"{").unwrap_err().0.contains("not JSON"));
    }
}
