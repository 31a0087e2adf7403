//! The fake's state and its request routing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use curator_http::fake::{FaultEffect, Faults, header, json, segments};
use curator_http::{MediaKind, RequestStats, TmdbId, TvdbId};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{RecordedRequest, SeerrFlavor, SeerrSeed};
use crate::model::{MediaStatus, Permissions, RequestStatus, seerr_kind};
use crate::op;

/// Operation name for requests the fake does not know.
const UNKNOWN: &str = "seerr.unknown";
/// The fake's clock, for `createdAt`/`updatedAt`.
const NOW: &str = "2025-11-14T12:00:00.000Z";

/// A title Seerr keeps (`Media`).
pub(super) struct Media {
    id: u32,
    kind: MediaKind,
    tmdb_id: TmdbId,
    tvdb_id: Option<TvdbId>,
    pub(super) status: MediaStatus,
    /// The seasons the media server has (shows).
    available_seasons: BTreeSet<u32>,
}

pub(super) struct State {
    flavor: SeerrFlavor,
    permissions: Permissions,
    shows: BTreeMap<TmdbId, Vec<u32>>,
    unknown: BTreeSet<(MediaKind, TmdbId)>,
    blacklisted: BTreeSet<(MediaKind, TmdbId)>,
    quota: BTreeMap<MediaKind, u32>,
    media: Vec<Media>,
    pub(super) requests: Vec<RecordedRequest>,
}

impl State {
    pub(super) fn new(seed: &SeerrSeed) -> Self {
        let mut state = Self {
            flavor: seed.flavor,
            permissions: Permissions(seed.permissions),
            shows: seed.shows.clone(),
            unknown: seed.unknown.clone(),
            blacklisted: seed.blacklisted.iter().copied().collect(),
            quota: seed.quota.clone(),
            media: Vec::new(),
            requests: Vec::new(),
        };
        for (kind, tmdb_id) in &seed.available {
            state.set_available(*kind, *tmdb_id);
        }
        state
    }

    pub(super) fn media(&self, kind: MediaKind, tmdb_id: TmdbId) -> Option<&Media> {
        self.media
            .iter()
            .find(|m| m.kind == kind && m.tmdb_id == tmdb_id)
    }

    fn media_mut(&mut self, kind: MediaKind, tmdb_id: TmdbId) -> &mut Media {
        let index = match self
            .media
            .iter()
            .position(|m| m.kind == kind && m.tmdb_id == tmdb_id)
        {
            Some(index) => index,
            None => {
                self.media.push(Media {
                    id: self.media.len() as u32 + 1,
                    kind,
                    tmdb_id,
                    tvdb_id: None,
                    status: MediaStatus::Unknown,
                    available_seasons: BTreeSet::new(),
                });
                self.media.len() - 1
            }
        };
        &mut self.media[index]
    }

    /// The season numbers TMDb lists for a show.
    fn tmdb_seasons(&self, tmdb_id: TmdbId) -> Vec<u32> {
        self.shows.get(&tmdb_id).cloned().unwrap_or_else(|| vec![1])
    }

    pub(super) fn set_available(&mut self, kind: MediaKind, tmdb_id: TmdbId) {
        let seasons = match kind {
            MediaKind::Movie => Vec::new(),
            MediaKind::Show => self.tmdb_seasons(tmdb_id),
        };
        let media = self.media_mut(kind, tmdb_id);
        media.status = MediaStatus::Available;
        media.available_seasons.extend(seasons);
    }

    fn handle(&mut self, route: &Route, request: &Request) -> ResponseTemplate {
        match route {
            Route::Status => json(
                200,
                &json!({
                    "version": self.flavor.version_string(),
                    "commitTag": "local",
                    "updateAvailable": false,
                    "commitsBehind": 0,
                    "restartRequired": false
                }),
            ),
            Route::Me => json(200, &self.user_json()),
            Route::Request => self.request(request),
            Route::Unknown => json(404, &json!({"message": "not found"})),
        }
    }

    fn user_json(&self) -> Value {
        json!({
            "id": 1,
            "email": "admin@example.org",
            "plexUsername": "curator-admin",
            "username": null,
            "displayName": "curator-admin",
            "userType": 1,
            "permissions": self.permissions.0,
            "avatar": "/os_logo_square.png",
            "requestCount": self.requests.len(),
            "createdAt": NOW,
            "updatedAt": NOW
        })
    }

    /// `POST /api/v1/request`, in `MediaRequest.request`'s order.
    fn request(&mut self, request: &Request) -> ResponseTemplate {
        let body: Value = match serde_json::from_slice(&request.body) {
            Ok(body @ Value::Object(_)) => body,
            _ => {
                return invalid(
                    "request/body must be object",
                    "/body",
                    "type.openapi.validation",
                );
            }
        };
        let kind = match body.get("mediaType").and_then(Value::as_str) {
            Some("movie") => MediaKind::Movie,
            Some("tv") => MediaKind::Show,
            Some(_) => {
                return invalid(
                    "request/body/mediaType must be equal to one of the allowed values: movie, tv",
                    "/body/mediaType",
                    "enum.openapi.validation",
                );
            }
            None => {
                return invalid(
                    "request/body must have required property 'mediaType'",
                    "/body/mediaType",
                    "required.openapi.validation",
                );
            }
        };
        let Some(tmdb_id) = body
            .get("mediaId")
            .and_then(Value::as_u64)
            .and_then(|id| u32::try_from(id).ok())
            .map(TmdbId)
        else {
            return invalid(
                "request/body must have required property 'mediaId'",
                "/body/mediaId",
                "required.openapi.validation",
            );
        };
        let is_4k = body.get("is4k").and_then(Value::as_bool).unwrap_or(false);
        let tvdb_id = body
            .get("tvdbId")
            .and_then(Value::as_u64)
            .and_then(|id| u32::try_from(id).ok())
            .map(TvdbId);

        if !self.permissions.may_request(kind) {
            let what = match kind {
                MediaKind::Movie => "movie",
                MediaKind::Show => "series",
            };
            return message(
                403,
                &format!("You do not have permission to make {what} requests."),
            );
        }
        if self.quota.get(&kind) == Some(&0) {
            return quota_exceeded(kind);
        }
        if self.unknown.contains(&(kind, tmdb_id)) {
            let what = match kind {
                MediaKind::Movie => "movie",
                MediaKind::Show => "TV show",
            };
            return message(
                500,
                &format!(
                    "[TMDB] Failed to fetch {what} details: Request failed with status code 404"
                ),
            );
        }
        if self.flavor.has_blacklist() && self.blacklisted.contains(&(kind, tmdb_id)) {
            return message(403, "This media is blacklisted.");
        }
        let existing: Vec<&RecordedRequest> = self
            .requests
            .iter()
            .filter(|r| r.kind == kind && r.tmdb_id == tmdb_id && r.is_4k == is_4k)
            .collect();
        let seasons = match kind {
            MediaKind::Movie => {
                if existing
                    .first()
                    .is_some_and(|r| r.status != RequestStatus::Declined)
                {
                    return message(409, "Request for this media already exists.");
                }
                Vec::new()
            }
            MediaKind::Show => {
                let mut asked = match body.get("seasons") {
                    Some(Value::String(all)) if all == "all" => self.tmdb_seasons(tmdb_id),
                    Some(Value::Array(list)) => list
                        .iter()
                        .filter_map(Value::as_u64)
                        .filter_map(|n| u32::try_from(n).ok())
                        .collect(),
                    // The server reads `seasons` unchecked.
                    _ => {
                        return message(
                            500,
                            "Cannot read properties of undefined (reading 'filter')",
                        );
                    }
                };
                if !self.flavor.requests_specials() {
                    asked.retain(|n| *n > 0);
                }
                let mut taken: BTreeSet<u32> = existing
                    .iter()
                    .filter(|r| r.status != RequestStatus::Declined)
                    .flat_map(|r| r.seasons.iter().copied())
                    .collect();
                if let Some(media) = self.media(kind, tmdb_id) {
                    taken.extend(media.available_seasons.iter().copied());
                }
                asked.retain(|n| !taken.contains(n));
                if asked.is_empty() {
                    return message(202, "No seasons available to request");
                }
                if self
                    .quota
                    .get(&kind)
                    .is_some_and(|left| (*left as usize) < asked.len())
                {
                    return quota_exceeded(kind);
                }
                asked
            }
        };

        let approved = self.permissions.auto_approves(kind);
        if let Some(left) = self.quota.get_mut(&kind) {
            let used = match kind {
                MediaKind::Movie => 1,
                MediaKind::Show => seasons.len() as u32,
            };
            *left = left.saturating_sub(used);
        }
        let media = self.media_mut(kind, tmdb_id);
        if media.status == MediaStatus::Unknown && !is_4k {
            media.status = MediaStatus::Pending;
        }
        if media.tvdb_id.is_none() {
            media.tvdb_id = tvdb_id;
        }
        let media_json = json!({
            "id": media.id,
            "mediaType": seerr_kind(kind),
            "tmdbId": media.tmdb_id,
            "tvdbId": media.tvdb_id,
            "status": u8::from(media.status),
            "status4k": 1,
            "createdAt": NOW,
            "updatedAt": NOW
        });
        let status = if approved {
            RequestStatus::Approved
        } else {
            RequestStatus::Pending
        };
        let recorded = RecordedRequest {
            id: self.requests.len() as u32 + 1,
            kind,
            tmdb_id,
            tvdb_id,
            seasons,
            is_4k,
            status,
            body: body.clone(),
        };
        let answer = json!({
            "id": recorded.id,
            "status": u8::from(status),
            "type": seerr_kind(kind),
            "media": media_json,
            "createdAt": NOW,
            "updatedAt": NOW,
            "requestedBy": self.user_json(),
            "modifiedBy": if approved { self.user_json() } else { Value::Null },
            "is4k": is_4k,
            "serverId": body.get("serverId").cloned().unwrap_or(Value::Null),
            "profileId": body.get("profileId").cloned().unwrap_or(Value::Null),
            "rootFolder": body.get("rootFolder").cloned().unwrap_or(Value::Null),
            "isAutoRequest": false,
            "seasons": recorded.seasons.iter().map(|n| json!({
                "id": n + 1,
                "seasonNumber": n,
                "status": u8::from(status),
                "createdAt": NOW,
                "updatedAt": NOW
            })).collect::<Vec<_>>()
        });
        self.requests.push(recorded);
        json(201, &answer)
    }
}

/// An answer through Seerr's error handler: `{message}` (its `errors` is
/// undefined, so JSON leaves it out).
fn message(status: u16, text: &str) -> ResponseTemplate {
    json(status, &json!({ "message": text }))
}

fn quota_exceeded(kind: MediaKind) -> ResponseTemplate {
    match kind {
        MediaKind::Movie => message(403, "Movie Quota exceeded."),
        MediaKind::Show => message(403, "Series Quota exceeded."),
    }
}

/// A body the API spec's validator (express-openapi-validator) refuses:
/// 400 with `{message, errors}`. The wording is the fake's rendering of the
/// validator's; clients read only `message`.
fn invalid(text: &str, path: &str, code: &str) -> ResponseTemplate {
    let detail = text.split_once(" must ").map_or(text, |(_, rest)| rest);
    json(
        400,
        &json!({
            "message": text,
            "errors": [{"path": path, "message": detail, "errorCode": code}]
        }),
    )
}

/// What a request asks for.
enum Route {
    Status,
    Me,
    Request,
    Unknown,
}

impl Route {
    fn of(request: &Request) -> (Self, &'static str) {
        let parts = segments(request);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        match (request.method.as_str(), parts.as_slice()) {
            ("GET", ["api", "v1", "status"]) => (Self::Status, op::STATUS),
            ("GET", ["api", "v1", "auth", "me"]) => (Self::Me, op::ME),
            ("POST", ["api", "v1", "request"]) => (Self::Request, op::REQUEST),
            _ => (Self::Unknown, UNKNOWN),
        }
    }

    /// Whether the route needs a user (everything but the status).
    fn needs_user(&self) -> bool {
        !matches!(self, Self::Status)
    }
}

/// The catch-all wiremock responder.
pub(super) struct Responder {
    pub(super) state: Arc<Mutex<State>>,
    pub(super) stats: RequestStats,
    pub(super) faults: Faults,
    pub(super) api_key: String,
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (route, op) = Route::of(request);
        self.stats.record(op);
        let delay = match self.faults.take(op).map(|fault| fault.apply()) {
            Some(FaultEffect::Respond(answer)) => return answer,
            Some(FaultEffect::Delay(delay)) => Some(delay),
            None => None,
        };
        let key = header(request, "x-api-key");
        let answer = match key {
            _ if !route.needs_user() => self.handle(&route, request),
            None => message(401, "'X-Api-Key' header required"),
            Some(key) if key == self.api_key => self.handle(&route, request),
            // `checkUser` finds no user; `isAuthenticated` refuses.
            Some(_) => json(
                403,
                &json!({
                    "status": 403,
                    "error": "You do not have permission to access this endpoint"
                }),
            ),
        };
        match delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }
}

impl Responder {
    fn handle(&self, route: &Route, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.handle(route, request)
    }
}
