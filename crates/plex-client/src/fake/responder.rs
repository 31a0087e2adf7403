//! Routing requests to the state and rendering Plex's JSON shapes.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use curator_http::RequestStats;
use curator_http::fake::{FaultEffect, Faults, header, query, segments};
use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::hubs::HubRefusal;
use super::state::{
    CollectionRec, EpisodeRec, Member, MovieRec, Refusal, SectionRec, ShowRec, State, VersionRec,
};
use crate::api::ops;
use crate::model::{
    CollectionSort, HubVisibility, Image, ImageSlot, MediaKind, MediaKindExt, SectionKind,
};

/// The answer of an unknown route, and of requests the fake cannot place.
pub const UNKNOWN_OP: &str = "plex.unknown";

const LIBRARY_URI: &str = "/com.plexapp.plugins.library/library/metadata";

#[derive(Debug)]
pub(crate) struct Responder {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) stats: RequestStats,
    pub(crate) faults: Faults,
}

/// What a request asks for.
#[derive(Debug)]
enum Route {
    Identity,
    ServerInfo,
    Sections,
    Movies(String),
    SearchMovies(String),
    Shows(String),
    SectionEpisodes(String),
    ShowEpisodes(String),
    Collections(String),
    SetSummary(String),
    Item(String),
    DeleteItem(String),
    DeleteMedia(String, String),
    SetSort(String),
    Poster(String),
    Art(String),
    Hubs(String),
    PromoteHub(String),
    UpdateHub(String, String),
    MoveHub(String, String),
    RemoveHub(String, String),
    Create,
    DeleteCollection(String),
    AddItems(String),
    RemoveItem(String, String),
    Move(String, String),
    Children(String),
    Thumbnail,
    Unknown,
}

impl Route {
    fn of(request: &Request) -> Self {
        let parts = segments(request);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let kind = query(request, "type");
        match (request.method.as_str(), parts.as_slice()) {
            ("GET", []) => Self::ServerInfo,
            ("GET", ["identity"]) => Self::Identity,
            ("GET", ["library", "sections"]) => Self::Sections,
            ("GET", ["library", "sections", s, "all"]) => match kind.as_deref() {
                Some("18") => Self::Collections((*s).to_owned()),
                Some("2") => Self::Shows((*s).to_owned()),
                Some("4") => Self::SectionEpisodes((*s).to_owned()),
                _ if query(request, "title").is_some() => Self::SearchMovies((*s).to_owned()),
                _ => Self::Movies((*s).to_owned()),
            },
            ("GET", ["library", "sections", s, "collections"]) => {
                Self::Collections((*s).to_owned())
            }
            ("PUT", ["library", "sections", s, "all"]) if kind.as_deref() == Some("18") => {
                Self::SetSummary((*s).to_owned())
            }
            ("GET", ["library", "metadata", k]) => Self::Item((*k).to_owned()),
            ("GET", ["library", "metadata", k, "allLeaves"]) => Self::ShowEpisodes((*k).to_owned()),
            ("DELETE", ["library", "metadata", k]) => Self::DeleteItem((*k).to_owned()),
            ("DELETE", ["library", "metadata", k, "media", m]) => {
                Self::DeleteMedia((*k).to_owned(), (*m).to_owned())
            }
            ("PUT", ["library", "metadata", k, "prefs"]) => Self::SetSort((*k).to_owned()),
            ("POST", ["library", "metadata", k, "posters"]) => Self::Poster((*k).to_owned()),
            ("POST", ["library", "metadata", k, "arts"]) => Self::Art((*k).to_owned()),
            ("GET", ["hubs", "sections", s, "manage"]) => Self::Hubs((*s).to_owned()),
            ("POST", ["hubs", "sections", s, "manage"]) => Self::PromoteHub((*s).to_owned()),
            ("PUT", ["hubs", "sections", s, "manage", h]) => {
                Self::UpdateHub((*s).to_owned(), (*h).to_owned())
            }
            ("PUT", ["hubs", "sections", s, "manage", h, "move"]) => {
                Self::MoveHub((*s).to_owned(), (*h).to_owned())
            }
            ("DELETE", ["hubs", "sections", s, "manage", h]) => {
                Self::RemoveHub((*s).to_owned(), (*h).to_owned())
            }
            ("POST", ["library", "collections"]) => Self::Create,
            ("DELETE", ["library", "collections", c]) => Self::DeleteCollection((*c).to_owned()),
            ("PUT", ["library", "collections", c, "items"]) => Self::AddItems((*c).to_owned()),
            ("DELETE", ["library", "collections", c, "items", k]) => {
                Self::RemoveItem((*c).to_owned(), (*k).to_owned())
            }
            ("PUT", ["library", "collections", c, "items", k, "move"]) => {
                Self::Move((*c).to_owned(), (*k).to_owned())
            }
            ("GET", ["library", "collections", c, "children"]) => Self::Children((*c).to_owned()),
            ("GET", ["photo", ":", "transcode"]) => Self::Thumbnail,
            _ => Self::Unknown,
        }
    }

    fn op(&self) -> &'static str {
        match self {
            Self::Identity => ops::IDENTITY,
            Self::ServerInfo => ops::SERVER_INFO,
            Self::Sections => ops::SECTIONS,
            Self::Movies(_) => ops::MOVIES,
            Self::SearchMovies(_) => ops::SEARCH_MOVIES,
            Self::Shows(_) => ops::SHOWS,
            Self::SectionEpisodes(_) => ops::SECTION_EPISODES,
            Self::ShowEpisodes(_) => ops::SHOW_EPISODES,
            Self::Collections(_) => ops::COLLECTIONS,
            Self::SetSummary(_) => ops::SET_COLLECTION_SUMMARY,
            Self::Item(_) => ops::ITEM,
            Self::DeleteItem(_) => ops::DELETE_ITEM,
            Self::DeleteMedia(..) => ops::DELETE_MEDIA,
            Self::SetSort(_) => ops::SET_COLLECTION_SORT,
            Self::Poster(_) => ops::UPLOAD_POSTER,
            Self::Art(_) => ops::UPLOAD_ART,
            Self::Hubs(_) => ops::MANAGED_HUBS,
            Self::PromoteHub(_) => ops::PROMOTE_HUB,
            Self::UpdateHub(..) => ops::UPDATE_HUB,
            Self::MoveHub(..) => ops::MOVE_HUB,
            Self::RemoveHub(..) => ops::REMOVE_HUB,
            Self::Create => ops::CREATE_COLLECTION,
            Self::DeleteCollection(_) => ops::DELETE_COLLECTION,
            Self::AddItems(_) => ops::ADD_ITEMS,
            Self::RemoveItem(..) => ops::REMOVE_ITEM,
            Self::Move(..) => ops::MOVE_ITEM,
            Self::Children(_) => ops::COLLECTION_CHILDREN,
            Self::Thumbnail => ops::THUMBNAIL,
            Self::Unknown => UNKNOWN_OP,
        }
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let route = Route::of(request);
        let op = route.op();
        self.stats.record(op);
        let mut delay = Duration::ZERO;
        if let Some(fault) = self.faults.take(op) {
            match fault.apply() {
                FaultEffect::Respond(template) => return template,
                FaultEffect::Delay(hang) => delay = hang,
            }
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(id) = header(request, "X-Plex-Client-Identifier")
            && !state.client_identifiers.contains(&id)
        {
            state.client_identifiers.push(id);
        }
        // Like the real server, /identity answers without a token.
        let authorized = header(request, "X-Plex-Token").is_some_and(|t| t == state.token);
        if !authorized && !matches!(route, Route::Identity) {
            return html(401, "Unauthorized");
        }
        let (template, extra) = handle(&mut state, route, request);
        delay += state.latency + extra;
        if delay.is_zero() {
            template
        } else {
            template.set_delay(delay)
        }
    }
}

fn handle(state: &mut State, route: Route, request: &Request) -> (ResponseTemplate, Duration) {
    let mut extra = Duration::ZERO;
    let answer = match route {
        Route::Identity => Ok(envelope(json!({
            "size": 0,
            "claimed": true,
            "machineIdentifier": state.machine_identifier,
            "version": state.version,
        }))),
        Route::ServerInfo => Ok(server_info(state)),
        Route::Sections => Ok(sections(state)),
        Route::Movies(section) | Route::SearchMovies(section) => movies(state, &section, request),
        Route::Shows(section) => shows(state, &section, request),
        Route::SectionEpisodes(section) => section_episodes(state, &section, request),
        Route::ShowEpisodes(key) => show_episodes(state, &key, request),
        Route::Collections(section) => collections(state, &section, request),
        Route::SetSummary(section) => set_summary(state, &section, request),
        Route::Item(keys) => item(state, &keys, request),
        Route::DeleteItem(key) => {
            extra = state.delete_latency;
            state.delete_item(&key).map(|()| empty())
        }
        Route::DeleteMedia(key, media) => {
            extra = state.delete_latency;
            media
                .parse()
                .map_err(|_| Refusal::NotFound)
                .and_then(|media| state.delete_media(&key, media))
                .map(|()| empty())
        }
        Route::SetSort(key) => set_sort(state, &key, request),
        Route::Poster(key) => upload(state, &key, ImageSlot::Poster, request),
        Route::Art(key) => upload(state, &key, ImageSlot::Background, request),
        Route::Hubs(_)
        | Route::PromoteHub(_)
        | Route::UpdateHub(..)
        | Route::MoveHub(..)
        | Route::RemoveHub(..) => {
            return (hub_route(state, route, request), extra);
        }
        Route::Create => create(state, request),
        Route::DeleteCollection(key) => state.delete_collection(&key).map(|()| empty()),
        Route::AddItems(key) => uri_keys(state, request)
            .and_then(|keys| state.add_items(&key, &keys))
            .map(|()| empty()),
        Route::RemoveItem(key, item) => state.remove_item(&key, &item).map(|()| empty()),
        Route::Move(key, item) => {
            if let Some(collection) = state.collections.get(&key) {
                let (base, per_item) = state.move_latency;
                extra = base + per_item * collection.members.len() as u32;
            }
            let after = query(request, "after");
            state
                .move_item(&key, &item, after.as_deref())
                .map(|()| empty())
        }
        Route::Children(key) => children(state, &key, request),
        Route::Thumbnail => thumbnail(state, request),
        Route::Unknown => Err(Refusal::NotFound),
    };
    let template = match answer {
        Ok(template) => template,
        Err(Refusal::BadRequest) => html(400, "Bad Request"),
        Err(Refusal::NotFound) => html(404, "Not Found"),
        Err(Refusal::Deletion(status)) => {
            let reason = match status {
                401 => "Unauthorized: this token may not delete media",
                403 => "Forbidden: only the server owner may delete media",
                _ => "Bad Request: media deletion is not allowed on this server",
            };
            html(status, reason)
        }
    };
    (template, extra)
}

fn envelope(container: Value) -> ResponseTemplate {
    let mut body = Map::new();
    body.insert("MediaContainer".into(), container);
    let body = Value::Object(body);
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

fn empty() -> ResponseTemplate {
    ResponseTemplate::new(200)
}

/// Plex's error pages are HTML, never JSON.
fn html(status: u16, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        format!(
            "<html><head><title>{reason}</title></head><body><h1>{status} {reason}</h1></body></html>"
        ),
        "text/html",
    )
}

fn server_info(state: &State) -> ResponseTemplate {
    let mut root = json!({
        "size": 0,
        "allowCameraUpload": false,
        "allowSharing": true,
        "allowSync": true,
        "claimed": true,
        "friendlyName": state.friendly_name,
        "machineIdentifier": state.machine_identifier,
        "multiuser": true,
        "myPlex": true,
        "platform": "Linux",
        "transcoderVideo": true,
        "updatedAt": 1_735_689_600,
        "version": state.version,
        "Directory": [
            {"count": 1, "key": "library", "title": "library"},
        ],
    });
    // Plex only lists the setting when it is on.
    if state.allow_media_deletion {
        root["allowMediaDeletion"] = json!(true);
    }
    envelope(root)
}

fn number_or_text(text: &str) -> Value {
    text.parse::<u64>()
        .map_or_else(|_| json!(text), |n| json!(n))
}

fn section_json(section: &SectionRec) -> Value {
    let (agent, scanner) = match section.kind.as_plex() {
        "movie" => ("tv.plex.agents.movie", "Plex Movie"),
        "show" => ("tv.plex.agents.series", "Plex TV Series"),
        _ => ("tv.plex.agents.none", "Plex Music"),
    };
    json!({
        "allowSync": true,
        "art": format!("/:/resources/{}-fanart.jpg", section.kind.as_plex()),
        "composite": format!("/library/sections/{}/composite/{}", section.key, section.updated_at),
        "filters": true,
        "refreshing": false,
        "thumb": format!("/:/resources/{}.png", section.kind.as_plex()),
        "key": section.key,
        "type": section.kind.as_plex(),
        "title": section.title,
        "agent": agent,
        "scanner": scanner,
        "language": "en-US",
        "uuid": format!("b7c2e1a0-0000-4000-8000-{:012}", section.key.len() as u64 * 7919),
        "updatedAt": section.updated_at,
        "createdAt": section.created_at,
        "scannedAt": section.scanned_at,
        "content": true,
        "directory": true,
        "contentChangedAt": section.content_changed_at,
        "hidden": 0,
        "Location": [{"id": 1, "path": format!("/data/{}", section.title.to_lowercase())}],
    })
}

fn sections(state: &State) -> ResponseTemplate {
    let directories: Vec<Value> = state.sections.iter().map(section_json).collect();
    let mut root = json!({
        "size": directories.len(),
        "allowSync": false,
        "title1": "Plex Library",
    });
    if !directories.is_empty() {
        root["Directory"] = Value::Array(directories);
    }
    envelope(root)
}

fn movie_json(state: &State, movie: &MovieRec, include_guids: bool) -> Value {
    let section_title = state
        .section(&movie.section)
        .map_or("Movies", |s| s.title.as_str());
    let mut value = json!({
        "ratingKey": movie.key,
        "key": format!("/library/metadata/{}", movie.key),
        "guid": movie.guid(),
        "type": "movie",
        "title": movie.title,
        "librarySectionTitle": section_title,
        "librarySectionID": number_or_text(&movie.section),
        "librarySectionKey": format!("/library/sections/{}", movie.section),
        "summary": "",
        "thumb": format!("/library/metadata/{}/thumb/{}", movie.key, movie.updated_at),
        "addedAt": movie.added_at,
        "updatedAt": movie.updated_at,
    });
    let fields = value.as_object_mut().expect("object");
    if let Some(year) = movie.year {
        fields.insert("year".into(), json!(year));
        fields.insert(
            "originallyAvailableAt".into(),
            json!(format!("{year}-06-15")),
        );
    }
    if let Some(original) = &movie.original_title {
        fields.insert("originalTitle".into(), json!(original));
    }
    if let Some(edition) = &movie.edition {
        fields.insert("editionTitle".into(), json!(edition));
    }
    if let Some(version) = movie.versions.first() {
        fields.insert("duration".into(), json!(version.duration));
    }
    let guids = movie.guid_ids();
    if include_guids && !guids.is_empty() {
        let guids: Vec<Value> = guids.into_iter().map(|id| json!({ "id": id })).collect();
        fields.insert("Guid".into(), Value::Array(guids));
    }
    fields.insert("Media".into(), media_json(&movie.versions, movie.added_at));
    value
}

/// The `Media` array of a movie or an episode.
fn media_json(versions: &[VersionRec], added_at: i64) -> Value {
    let media: Vec<Value> = versions
        .iter()
        .map(|v| {
            let parts: Vec<Value> = v
                .parts
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id,
                        "key": format!("/library/parts/{}/{}/file.{}", p.id, added_at, v.container),
                        "duration": v.duration,
                        "file": p.file,
                        "size": p.size,
                        "container": v.container,
                        "videoProfile": "main",
                    })
                })
                .collect();
            let mut media = json!({
                "id": v.id,
                "duration": v.duration,
                "bitrate": v.bitrate,
                "width": v.width,
                "height": v.height,
                "aspectRatio": (f64::from(v.width) / f64::from(v.height.max(1)) * 100.0).round() / 100.0,
                "audioChannels": 6,
                "audioCodec": v.audio_codec,
                "videoCodec": v.video_codec,
                "videoResolution": v.resolution,
                "container": v.container,
                "videoFrameRate": "24p",
                "optimizedForStreaming": 0,
                "has64bitOffsets": false,
                "Part": parts,
            });
            if let Some(target) = &v.optimized {
                media["proxyType"] = json!(42);
                media["target"] = json!(target);
                media["title"] = json!(target);
                media["optimizedForStreaming"] = json!(1);
            }
            media
        })
        .collect();
    Value::Array(media)
}

/// A show as Plex lists it (shapes of plex-api.rs `tv_library.json` and
/// plex-api-spec's `get-library-all` / `get-media-meta-data` captures).
fn show_json(state: &State, show: &ShowRec, include_guids: bool) -> Value {
    let section_title = state
        .section(&show.section)
        .map_or("TV Shows", |s| s.title.as_str());
    let mut value = json!({
        "ratingKey": show.key,
        "key": format!("/library/metadata/{}/children", show.key),
        "guid": show.guid(),
        "type": "show",
        "title": show.title,
        "librarySectionTitle": section_title,
        "librarySectionID": number_or_text(&show.section),
        "librarySectionKey": format!("/library/sections/{}", show.section),
        "contentRating": "TV-MA",
        "summary": "",
        "index": 1,
        "thumb": format!("/library/metadata/{}/thumb/{}", show.key, show.updated_at),
        "art": format!("/library/metadata/{}/art/{}", show.key, show.updated_at),
        "duration": 2_700_000,
        "leafCount": show.episodes.len(),
        "viewedLeafCount": 0,
        "childCount": show.seasons.len(),
        "addedAt": show.added_at,
        "updatedAt": show.updated_at,
    });
    let fields = value.as_object_mut().expect("object");
    if let Some(year) = show.year {
        fields.insert("year".into(), json!(year));
        fields.insert(
            "originallyAvailableAt".into(),
            json!(format!("{year}-02-17")),
        );
    }
    if let Some(original) = &show.original_title {
        fields.insert("originalTitle".into(), json!(original));
    }
    let guids = show.guid_ids();
    if include_guids && !guids.is_empty() {
        let guids: Vec<Value> = guids.into_iter().map(|id| json!({ "id": id })).collect();
        fields.insert("Guid".into(), Value::Array(guids));
    }
    value
}

/// An episode as Plex lists it (shapes of plex-api.rs `tv_episodes.json`
/// and plex-api-spec's `type=4` listing). Under the current agent, its
/// `Guid` array names the *episode's* ids (made-up numbers here), never the
/// show's.
fn episode_json(state: &State, episode: &EpisodeRec, include_guids: bool) -> Value {
    let Some(show) = state.shows.get(&episode.show) else {
        return json!({});
    };
    let section_title = state
        .section(&show.section)
        .map_or("TV Shows", |s| s.title.as_str());
    let season_title = if episode.season == 0 {
        "Specials".to_owned()
    } else {
        format!("Season {}", episode.season)
    };
    let duration = episode.versions.first().map_or(0, |v| v.duration);
    let mut value = json!({
        "ratingKey": episode.key,
        "key": format!("/library/metadata/{}", episode.key),
        "parentRatingKey": episode.season_key,
        "grandparentRatingKey": show.key,
        "guid": show.episode_guid(episode),
        "parentGuid": show.season_guid(episode.season, &episode.season_key),
        "grandparentGuid": show.guid(),
        "type": "episode",
        "title": episode.title,
        "grandparentKey": format!("/library/metadata/{}", show.key),
        "parentKey": format!("/library/metadata/{}", episode.season_key),
        "librarySectionTitle": section_title,
        "librarySectionID": number_or_text(&show.section),
        "librarySectionKey": format!("/library/sections/{}", show.section),
        "grandparentTitle": show.title,
        "parentTitle": season_title,
        "contentRating": "TV-MA",
        "summary": "",
        "index": episode.index,
        "parentIndex": episode.season,
        "thumb": format!("/library/metadata/{}/thumb/{}", episode.key, episode.updated_at),
        "grandparentThumb": format!("/library/metadata/{}/thumb/{}", show.key, show.updated_at),
        "duration": duration,
        "addedAt": episode.added_at,
        "updatedAt": episode.updated_at,
    });
    let fields = value.as_object_mut().expect("object");
    if let Some(year) = show.year {
        fields.insert("year".into(), json!(year));
    }
    if include_guids && show.guid_ids().iter().any(|id| id.starts_with("tvdb://")) {
        let number = episode.key.parse::<u64>().unwrap_or(0);
        fields.insert(
            "Guid".into(),
            json!([
                {"id": format!("tmdb://{}", 3_000_000 + number)},
                {"id": format!("tvdb://{}", 8_000_000 + number)},
            ]),
        );
    }
    fields.insert(
        "Media".into(),
        media_json(&episode.versions, episode.added_at),
    );
    value
}

/// A collection member as Plex lists it.
fn member_json(state: &State, member: Member<'_>, include_guids: bool) -> Value {
    match member {
        Member::Movie(movie) => movie_json(state, movie, include_guids),
        Member::Show(show) => show_json(state, show, include_guids),
    }
}

fn collection_json(state: &State, collection: &CollectionRec) -> Value {
    let section_title = state
        .section(&collection.section)
        .map_or("Movies", |s| s.title.as_str());
    let years = collection
        .members
        .iter()
        .filter_map(|k| state.member(k)?.year());
    let (min, max) = years.fold((None, None), |(lo, hi): (Option<u16>, Option<u16>), y| {
        (
            Some(lo.map_or(y, |l| l.min(y))),
            Some(hi.map_or(y, |h| h.max(y))),
        )
    });
    let mut value = json!({
        "ratingKey": collection.key,
        "key": format!("/library/collections/{}/children", collection.key),
        "guid": format!("collection://0f3c9a1e-7d2b-4c55-9e61-{:012}", collection.key.parse::<u64>().unwrap_or(0)),
        "type": "collection",
        "title": collection.title,
        "librarySectionTitle": section_title,
        "librarySectionID": number_or_text(&collection.section),
        "librarySectionKey": format!("/library/sections/{}", collection.section),
        "contentRating": "PG-13",
        "subtype": collection.kind.as_str(),
        "summary": collection.summary,
        "index": 400 + collection.added_at % 100,
        "thumb": format!("/library/collections/{}/composite/{}?width=400&height=600", collection.key, collection.updated_at),
        "addedAt": collection.added_at,
        "updatedAt": collection.updated_at,
        // Plex sends these as strings.
        "childCount": collection.members.len().to_string(),
        "collectionSort": collection.sort.code().to_string(),
    });
    let fields = value.as_object_mut().expect("object");
    if let (Some(min), Some(max)) = (min, max) {
        fields.insert("minYear".into(), json!(min.to_string()));
        fields.insert("maxYear".into(), json!(max.to_string()));
    }
    if collection.smart {
        fields.insert("smart".into(), json!("1"));
    }
    value
}

/// Reads a paging value from the query or, failing that, the headers.
fn paging(request: &Request, name: &str) -> Option<usize> {
    query(request, name)
        .or_else(|| header(request, name))
        .and_then(|v| v.trim().parse().ok())
}

/// One page of a listing, rendered: only the items on the page are turned
/// into JSON, so paging a big library stays cheap.
fn page<T>(
    state: &State,
    request: &Request,
    items: &[T],
    render: impl Fn(&T) -> Value,
    extra: Map<String, Value>,
) -> ResponseTemplate {
    let total = items.len();
    let start = if state.ignores_paging_offset {
        0
    } else {
        paging(request, "X-Plex-Container-Start")
            .unwrap_or(0)
            .min(total)
    };
    let mut size = paging(request, "X-Plex-Container-Size").unwrap_or(total);
    if let Some(max) = state.max_page_size {
        size = size.min(max);
    }
    let end = start.saturating_add(size).min(total);
    let metadata: Vec<Value> = items[start..end].iter().map(render).collect();
    let mut root = Map::new();
    root.insert("size".into(), json!(metadata.len()));
    if !state.ignores_paging_offset {
        root.insert("totalSize".into(), json!(total));
        root.insert("offset".into(), json!(start));
    }
    root.insert("allowSync".into(), json!(true));
    root.insert("identifier".into(), json!("com.plexapp.plugins.library"));
    root.extend(extra);
    // An empty container has no Metadata array at all.
    if !metadata.is_empty() {
        root.insert("Metadata".into(), Value::Array(metadata));
    }
    envelope(Value::Object(root))
}

fn section_extra(section: &SectionRec) -> Map<String, Value> {
    let mut extra = Map::new();
    extra.insert("librarySectionID".into(), number_or_text(&section.key));
    extra.insert("librarySectionTitle".into(), json!(section.title));
    extra.insert("title1".into(), json!(section.title));
    extra
}

fn movies(state: &State, section: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let section_rec = state.section(section).ok_or(Refusal::NotFound)?;
    // Without a type, a section lists what it holds.
    if section_rec.kind == SectionKind::Show && query(request, "type").is_none() {
        return shows(state, section, request);
    }
    if query(request, "type").is_some_and(|t| t != "1") {
        return Err(Refusal::BadRequest);
    }
    let title = query(request, "title").map(|t| t.to_lowercase());
    let year: Option<u16> = query(request, "year").and_then(|y| y.parse().ok());
    let include_guids = query(request, "includeGuids").as_deref() == Some("1");
    let found: Vec<&MovieRec> = state
        .movie_order
        .iter()
        .filter_map(|k| state.movies.get(k))
        .filter(|m| m.section == section)
        .filter(|m| {
            title
                .as_ref()
                .is_none_or(|t| m.title.to_lowercase().contains(t.as_str()))
        })
        .filter(|m| year.is_none_or(|y| m.year == Some(y)))
        .collect();
    Ok(page(
        state,
        request,
        &found,
        |m| movie_json(state, m, include_guids),
        section_extra(section_rec),
    ))
}

/// The show section of this key: 404 when there is none, 400 when the
/// section holds something else (as the fake answers `type=1` on a show
/// section).
fn show_section<'a>(state: &'a State, section: &str) -> Result<&'a SectionRec, Refusal> {
    let section = state.section(section).ok_or(Refusal::NotFound)?;
    if section.kind == SectionKind::Show {
        Ok(section)
    } else {
        Err(Refusal::BadRequest)
    }
}

fn shows(state: &State, section: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let section_rec = show_section(state, section)?;
    let include_guids = query(request, "includeGuids").as_deref() == Some("1");
    let title = query(request, "title").map(|t| t.to_lowercase());
    let found: Vec<&ShowRec> = state
        .show_order
        .iter()
        .filter_map(|k| state.shows.get(k))
        .filter(|s| s.section == section)
        .filter(|s| {
            title
                .as_ref()
                .is_none_or(|t| s.title.to_lowercase().contains(t.as_str()))
        })
        .collect();
    Ok(page(
        state,
        request,
        &found,
        |s| show_json(state, s, include_guids),
        section_extra(section_rec),
    ))
}

/// Every episode of a section, show by show (`type=4`).
fn section_episodes(
    state: &State,
    section: &str,
    request: &Request,
) -> Result<ResponseTemplate, Refusal> {
    let section_rec = show_section(state, section)?;
    let include_guids = query(request, "includeGuids").as_deref() == Some("1");
    let found: Vec<&EpisodeRec> = state
        .show_order
        .iter()
        .filter_map(|k| state.shows.get(k))
        .filter(|s| s.section == section)
        .flat_map(|s| s.episodes.iter().filter_map(|k| state.episodes.get(k)))
        .collect();
    Ok(page(
        state,
        request,
        &found,
        |e| episode_json(state, e, include_guids),
        section_extra(section_rec),
    ))
}

/// A show's episodes in season and episode order (`allLeaves`).
fn show_episodes(state: &State, key: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let show = state.shows.get(key).ok_or(Refusal::NotFound)?;
    let include_guids = query(request, "includeGuids").as_deref() == Some("1");
    let found: Vec<&EpisodeRec> = show
        .episodes
        .iter()
        .filter_map(|k| state.episodes.get(k))
        .collect();
    let mut extra = Map::new();
    extra.insert("key".into(), json!(show.key));
    extra.insert("title1".into(), json!(show.title));
    extra.insert("title2".into(), json!("All episodes"));
    extra.insert("viewGroup".into(), json!("episode"));
    Ok(page(
        state,
        request,
        &found,
        |e| episode_json(state, e, include_guids),
        extra,
    ))
}

fn collections(
    state: &State,
    section: &str,
    request: &Request,
) -> Result<ResponseTemplate, Refusal> {
    let section_rec = state.section(section).ok_or(Refusal::NotFound)?;
    let found: Vec<&CollectionRec> = state
        .collection_order
        .iter()
        .filter_map(|k| state.collections.get(k))
        .filter(|c| c.section == section)
        .collect();
    Ok(page(
        state,
        request,
        &found,
        |c| collection_json(state, c),
        section_extra(section_rec),
    ))
}

fn children(state: &State, key: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let collection = state.collections.get(key).ok_or(Refusal::NotFound)?;
    let include_guids = query(request, "includeGuids").as_deref() == Some("1");
    let members = state.visible_members(collection);
    let mut extra = Map::new();
    extra.insert("title1".into(), json!(collection.title));
    extra.insert("ratingKey".into(), json!(collection.key));
    Ok(page(
        state,
        request,
        &members,
        |m| member_json(state, *m, include_guids),
        extra,
    ))
}

/// `GET /photo/:/transcode`: the poster of a movie or show the fake knows,
/// as a PNG of the asked size in a colour of its own (the same item always
/// gets the same bytes). `url` must be the item's poster path
/// (`/library/metadata/{key}/thumb/{time}`, as [`movie_json`] sends it);
/// `width` and `height` are required. Anything else is a 404.
fn thumbnail(state: &State, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let size = |name: &str| -> Result<u32, Refusal> {
        query(request, name)
            .and_then(|v| v.parse().ok())
            .filter(|&n: &u32| (1..=2000).contains(&n))
            .ok_or(Refusal::BadRequest)
    };
    let (width, height) = (size("width")?, size("height")?);
    let url = query(request, "url").ok_or(Refusal::BadRequest)?;
    let key = url
        .strip_prefix("/library/metadata/")
        .and_then(|rest| rest.split_once("/thumb"))
        .map(|(key, _)| key)
        .ok_or(Refusal::NotFound)?;
    let member = state.member(key).ok_or(Refusal::NotFound)?;
    // A colour per item, from its key.
    let seed = member
        .key()
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let [r, g, b, _] = seed.wrapping_mul(2_654_435_761).to_le_bytes();
    let image = curator_http::fake::png(width, height, [r, g, b]);
    Ok(ResponseTemplate::new(200).set_body_raw(image, "image/png"))
}

fn item(state: &mut State, keys: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let flag = |name: &str| query(request, name).as_deref() == Some("1");
    let include_guids = flag("includeGuids");
    let keys: Vec<&str> = keys.split(',').collect();
    // Rating keys are numbers; the server refuses the whole request otherwise.
    if keys
        .iter()
        .any(|k| k.is_empty() || k.parse::<u64>().is_err())
    {
        return Err(Refusal::BadRequest);
    }
    let check_files = flag("checkFiles") && (keys.len() == 1 || state.check_files_multi_key);
    if check_files && !flag("skipRefresh") {
        // checkFiles also refreshes each item unless skipRefresh=1.
        state.refreshed_items += keys.len() as u64;
    }
    let state = &*state;
    let metadata: Vec<Value> = keys
        .iter()
        .filter_map(|key| {
            if let Some(movie) = state.movies.get(*key) {
                let mut json = movie_json(state, movie, include_guids);
                if check_files {
                    mark_files(&mut json, &movie.versions);
                }
                Some(json)
            } else if let Some(show) = state.shows.get(*key) {
                Some(show_json(state, show, include_guids))
            } else if let Some(episode) = state.episodes.get(*key) {
                let mut json = episode_json(state, episode, include_guids);
                if check_files {
                    mark_files(&mut json, &episode.versions);
                }
                Some(json)
            } else {
                state
                    .collections
                    .get(*key)
                    .map(|c| collection_json(state, c))
            }
        })
        .collect();
    if metadata.is_empty() {
        return Err(Refusal::NotFound);
    }
    let size = metadata.len();
    // A server that has one entry may send it as an object, not an array.
    let metadata = match (state.single_metadata_object, size) {
        (true, 1) => metadata.into_iter().next().expect("one entry"),
        _ => Value::Array(metadata),
    };
    Ok(envelope(json!({
        "size": size,
        "allowSync": true,
        "identifier": "com.plexapp.plugins.library",
        "Metadata": metadata,
    })))
}

/// Adds the `exists` / `accessible` flags Plex sends for `checkFiles=1`.
fn mark_files(json: &mut Value, versions: &[VersionRec]) {
    let Some(media) = json.get_mut("Media").and_then(Value::as_array_mut) else {
        return;
    };
    for (m, version) in media.iter_mut().zip(versions) {
        let Some(parts) = m.get_mut("Part").and_then(Value::as_array_mut) else {
            continue;
        };
        for (p, part) in parts.iter_mut().zip(&version.parts) {
            let flag = u8::from(!part.missing);
            p["exists"] = json!(flag);
            p["accessible"] = json!(flag);
        }
    }
}

fn set_sort(state: &mut State, key: &str, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let collection = state.collections.get_mut(key).ok_or(Refusal::NotFound)?;
    if let Some(code) = query(request, "collectionSort") {
        collection.sort = code
            .parse()
            .ok()
            .and_then(CollectionSort::from_code)
            .ok_or(Refusal::BadRequest)?;
    }
    Ok(empty())
}

fn set_summary(
    state: &mut State,
    section: &str,
    request: &Request,
) -> Result<ResponseTemplate, Refusal> {
    let id = query(request, "id").ok_or(Refusal::BadRequest)?;
    let collection = state.collections.get_mut(&id).ok_or(Refusal::NotFound)?;
    if collection.section != section {
        return Err(Refusal::NotFound);
    }
    if let Some(summary) = query(request, "summary.value") {
        collection.summary = summary;
    }
    if let Some(title) = query(request, "title.value") {
        collection.title = title;
    }
    Ok(empty())
}

/// The rating keys named by a `uri` parameter of this server.
fn uri_keys(state: &State, request: &Request) -> Result<Vec<String>, Refusal> {
    let uri = query(request, "uri").ok_or(Refusal::BadRequest)?;
    let prefix = format!("server://{}{LIBRARY_URI}", state.machine_identifier);
    let rest = uri.strip_prefix(&prefix).ok_or(Refusal::BadRequest)?;
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let list = rest.strip_prefix('/').ok_or(Refusal::BadRequest)?;
    Ok(list
        .split(',')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect())
}

fn create(state: &mut State, request: &Request) -> Result<ResponseTemplate, Refusal> {
    let section = query(request, "sectionId").ok_or(Refusal::BadRequest)?;
    let title = query(request, "title")
        .filter(|t| !t.trim().is_empty())
        .ok_or(Refusal::BadRequest)?;
    // The type names what the collection holds and must be the section's
    // (python-plexapi `Collection._create` sends its items' search type:
    // 1 movies, 2 shows). Whether a real server refuses another type is
    // unconfirmed; the fake does, so a client sending the wrong one fails.
    let kind = state
        .section(&section)
        .and_then(|s| MediaKind::of_section(&s.kind))
        .ok_or(Refusal::BadRequest)?;
    if query(request, "type") != Some(kind.search_type().to_string()) {
        return Err(Refusal::BadRequest);
    }
    let smart = query(request, "smart").as_deref() == Some("1");
    let keys = uri_keys(state, request)?;
    let key = state.create_collection(&section, title, None, smart);
    if !smart {
        state.add_items(&key, &keys)?;
    }
    let collection = &state.collections[&key];
    Ok(envelope(json!({
        "size": 1,
        "Metadata": [collection_json(state, collection)],
    })))
}

/// Stores an uploaded poster or background: the body's bytes, or the URL
/// of `?url=` (python-plexapi `uploadPoster`); items other than
/// collections accept it and keep nothing.
fn upload(
    state: &mut State,
    key: &str,
    slot: ImageSlot,
    request: &Request,
) -> Result<ResponseTemplate, Refusal> {
    let image = match query(request, "url") {
        Some(url) => Image::Url(url),
        None if request.body.is_empty() => return Err(Refusal::BadRequest),
        None => Image::Bytes(request.body.clone()),
    };
    if let Some(collection) = state.collections.get_mut(key) {
        match slot {
            ImageSlot::Poster => collection.poster = Some(image),
            ImageSlot::Background => collection.art = Some(image),
        }
        Ok(empty())
    } else if state.member(key).is_some() {
        Ok(empty())
    } else {
        Err(Refusal::NotFound)
    }
}

/// A `promotedTo..` flag of the query: `Some(true)` for 1, `Some(false)`
/// for anything else given, `None` when absent.
fn hub_flag(request: &Request, name: &str) -> Option<bool> {
    query(request, name).map(|v| matches!(v.trim(), "1" | "true"))
}

/// The hub-management routes (`/hubs/sections/{section}/manage`), refused
/// as a whole when the server has no Plex Pass.
fn hub_route(state: &mut State, route: Route, request: &Request) -> ResponseTemplate {
    if let Some(status) = state.hub_refusal {
        let reason = if status == 403 {
            "Forbidden"
        } else {
            "Unauthorized"
        };
        return html(status, reason);
    }
    let section_of = |state: &State, section: &str| {
        state
            .section(section)
            .map(|s| MediaKind::of_section(&s.kind))
    };
    let answer = match route {
        Route::Hubs(section) => section_of(state, &section)
            .ok_or(HubRefusal::NotFound)
            .map(|kind| {
                let collections = &state.collections;
                let mut hubs = state.hubs.hubs(&section, kind, |key| {
                    collections.get(key).map(|c| c.title.clone())
                });
                // `?metadataItemId=` narrows the list to that item's hub
                // (python-plexapi `Collection.visibility`).
                if let Some(item) = query(request, "metadataItemId") {
                    hubs.retain(|h| h.collection().is_some_and(|k| k.as_str() == item));
                }
                let entries: Vec<Value> = hubs
                    .iter()
                    .map(|h| {
                        let shown = |on: bool| if on { "all" } else { "none" };
                        json!({
                            "identifier": h.identifier,
                            "title": h.title,
                            "recommendationsVisibility": shown(h.visibility.recommended),
                            "homeVisibility": shown(h.visibility.own_home || h.visibility.shared_home),
                            "promotedToRecommended": h.visibility.recommended,
                            "promotedToOwnHome": h.visibility.own_home,
                            "promotedToSharedHome": h.visibility.shared_home,
                            "deletable": h.deletable,
                        })
                    })
                    .collect();
                let mut root = json!({"size": entries.len()});
                if !entries.is_empty() {
                    root["Hub"] = Value::Array(entries);
                }
                envelope(root)
            }),
        Route::PromoteHub(section) => section_of(state, &section)
            .ok_or(HubRefusal::NotFound)
            .and_then(|kind| {
                let item = query(request, "metadataItemId").ok_or(HubRefusal::BadRequest)?;
                let collection = match state.collections.get(&item) {
                    Some(c) if c.section == section => c,
                    Some(_) => return Err(HubRefusal::NotFound),
                    // Only a collection can become a hub (spec: 400 "A hub
                    // could not be created with this metadata item").
                    None if state.member(&item).is_some() => return Err(HubRefusal::BadRequest),
                    None => return Err(HubRefusal::NotFound),
                };
                let title = collection.title.clone();
                let visibility = HubVisibility {
                    recommended: hub_flag(request, "promotedToRecommended").unwrap_or(false),
                    own_home: hub_flag(request, "promotedToOwnHome").unwrap_or(false),
                    shared_home: hub_flag(request, "promotedToSharedHome").unwrap_or(false),
                };
                state.hubs.promote(&section, kind, &item, &title, visibility);
                Ok(empty())
            }),
        Route::UpdateHub(section, hub) => section_of(state, &section)
            .ok_or(HubRefusal::NotFound)
            .and_then(|kind| {
                let flags = [
                    hub_flag(request, "promotedToRecommended"),
                    hub_flag(request, "promotedToOwnHome"),
                    hub_flag(request, "promotedToSharedHome"),
                ];
                state.hubs.update(&section, kind, &hub, flags).map(|()| empty())
            }),
        Route::MoveHub(section, hub) => section_of(state, &section)
            .ok_or(HubRefusal::NotFound)
            .and_then(|kind| {
                let after = query(request, "after").filter(|a| !a.is_empty());
                state
                    .hubs
                    .move_after(&section, kind, &hub, after.as_deref())
                    .map(|()| empty())
            }),
        Route::RemoveHub(section, hub) => section_of(state, &section)
            .ok_or(HubRefusal::NotFound)
            .and_then(|kind| state.hubs.remove(&section, kind, &hub).map(|()| empty())),
        _ => Err(HubRefusal::NotFound),
    };
    match answer {
        Ok(template) => template,
        Err(HubRefusal::BadRequest) => html(400, "Bad Request"),
        Err(HubRefusal::NotFound) => html(404, "Not Found"),
    }
}
