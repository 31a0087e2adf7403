//! What the fake Radarr and the fake Sonarr share (feature `fake`): the
//! server around a simulation, the API-key check, the error answers both
//! send, and the tag resource.
//!
//! Each client's fake keeps its own state and routes its own endpoints (a
//! [`Simulator`]); [`FakeArr`] runs it behind one catch-all wiremock
//! responder that counts every request under its operation name, applies
//! injected faults, and answers 401 to a request without the right key, as
//! both servers do.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use curator_http::fake::{FaultEffect, Faults, header, json, query, segments};
use curator_http::{RequestStats, RetryPolicy};
use serde_json::{Map, Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

use crate::model::{QualityProfile, RootFolder};
use crate::tag::{Tag, TagId};

/// One fake server's state and how it answers.
pub trait Simulator: Send + 'static {
    /// Which endpoint a request is for.
    type Route;

    /// The endpoint of `request` and the operation name to count it under
    /// (the client's own, so a test reads both counters alike).
    fn route(request: &Request) -> (Self::Route, &'static str);

    /// Answers an authorized request, changing the state as the real server
    /// would.
    fn handle(&mut self, route: &Self::Route, request: &Request) -> ResponseTemplate;
}

/// A running fake server around a [`Simulator`]; stops when dropped.
pub struct FakeArr<S> {
    server: MockServer,
    state: Arc<Mutex<S>>,
    stats: RequestStats,
    faults: Faults,
    api_key: String,
}

impl<S> fmt::Debug for FakeArr<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeArr")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl<S: Simulator> FakeArr<S> {
    /// Starts a server named `name` that answers only to `api_key`.
    pub async fn start(name: &str, api_key: impl Into<String>, state: S) -> Self {
        let api_key = api_key.into();
        let state = Arc::new(Mutex::new(state));
        let stats = RequestStats::new();
        let faults = Faults::new();
        let responder = Responder {
            state: Arc::clone(&state),
            stats: stats.clone(),
            faults: faults.clone(),
            api_key: api_key.clone(),
        };
        let server = curator_http::fake::serve(name, responder).await;
        Self {
            server,
            state,
            stats,
            faults,
            api_key,
        }
    }
}

impl<S> FakeArr<S> {
    /// The base URL to give a client.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API key the fake accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Requests received, per operation.
    pub fn stats(&self) -> &RequestStats {
        &self.stats
    }

    /// The fault queue.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, S> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A retry policy of a few milliseconds, for a client of a fake, so
/// injected faults resolve fast.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(5),
    }
}

/// The catch-all wiremock responder.
struct Responder<S> {
    state: Arc<Mutex<S>>,
    stats: RequestStats,
    faults: Faults,
    api_key: String,
}

impl<S: Simulator> wiremock::Respond for Responder<S> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (route, op) = S::route(request);
        self.stats.record(op);
        let delay = match self.faults.take(op).map(|fault| fault.apply()) {
            Some(FaultEffect::Respond(answer)) => return answer,
            Some(FaultEffect::Delay(delay)) => Some(delay),
            None => None,
        };
        let answer = if authorized(request, &self.api_key) {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.handle(&route, request)
        } else {
            ResponseTemplate::new(401)
        };
        match delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }
}

/// Whether `request` carries `api_key`. Both servers read the key from the
/// `apikey` query parameter first, then the `X-Api-Key` header, then a
/// bearer token (`ApiKeyAuthenticationHandler.ParseApiKey` in
/// `Radarr.Http` and `Sonarr.Http`).
fn authorized(request: &Request, api_key: &str) -> bool {
    let given = query(request, "apikey")
        .or_else(|| header(request, "x-api-key"))
        .or_else(|| {
            header(request, "authorization")
                .and_then(|value| value.strip_prefix("Bearer ").map(str::to_owned))
        });
    given.as_deref() == Some(api_key)
}

/// The path of an API v3 request after `api/v3`, or `None` for any other
/// path.
pub fn api_v3_path(request: &Request) -> Option<Vec<String>> {
    let mut parts = segments(request);
    if parts.len() >= 2 && parts[0] == "api" && parts[1] == "v3" {
        parts.drain(..2);
        Some(parts)
    } else {
        None
    }
}

/// The `name` of a command body, if it has one.
pub fn command_name(request: &Request) -> Option<String> {
    request
        .body_json::<Value>()
        .ok()
        .and_then(|body| body.get("name").and_then(Value::as_str).map(str::to_owned))
}

/// A 400 answer listing validation failures, as FluentValidation's errors
/// come out of both servers' error pipelines: `(property, message,
/// attempted value, validator code or "")`.
pub fn validation(failures: &[(&str, String, Value, &str)]) -> ResponseTemplate {
    let body: Vec<Value> = failures
        .iter()
        .map(|(property, message, attempted, code)| {
            json!({
                "propertyName": property,
                "errorMessage": message,
                "attemptedValue": attempted,
                "severity": "error",
                "errorCode": if code.is_empty() { Value::Null } else { json!(code) },
                "formattedMessagePlaceholderValues": {
                    "propertyName": property,
                    "propertyValue": attempted
                }
            })
        })
        .collect();
    json(400, &Value::Array(body))
}

/// An error answer as `RadarrErrorPipeline` and `SonarrErrorPipeline`
/// write it: the exception's message, and its whole `ToString()` (type,
/// message, stack trace) as the description.
pub fn server_error(status: u16, text: &str, description: &str) -> ResponseTemplate {
    json(
        status,
        &json!({ "message": text, "description": description }),
    )
}

/// An error answer with a message and no description.
pub fn message(status: u16, text: &str) -> ResponseTemplate {
    json(status, &json!({ "message": text, "description": null }))
}

/// `value` as JSON (`null` if it cannot be).
pub fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The fake's clock: a fixed instant, so answers do not depend on when a
/// test runs.
pub const NOW: &str = "2025-11-14T12:00:00Z";

/// `GET /api/v3/system/status` of `app` ("Radarr") at `version`, built from
/// `branch` at database migration `migration`, in a Docker container.
pub fn system_status(app: &str, version: &str, branch: &str, migration: u32) -> ResponseTemplate {
    json(
        200,
        &json!({
            "appName": app,
            "instanceName": app,
            "version": version,
            "buildTime": "2025-10-01T00:00:00Z",
            "isDebug": false,
            "isProduction": true,
            "isAdmin": false,
            "isUserInteractive": false,
            "startupPath": format!("/app/{}/bin", app.to_lowercase()),
            "appData": "/config",
            "osName": "ubuntu",
            "osVersion": "24.04",
            "isNetCore": true,
            "isLinux": true,
            "isOsx": false,
            "isWindows": false,
            "isDocker": true,
            "mode": "console",
            "branch": branch,
            "databaseType": "sqLite",
            "databaseVersion": "3.46.1",
            "authentication": "forms",
            "migrationVersion": migration,
            "urlBase": "",
            "runtimeVersion": "8.0.12",
            "runtimeName": ".NET",
            "startTime": NOW,
            "packageUpdateMechanism": "docker"
        }),
    )
}

/// The 201 `CommandController.StartCommand` answers: command `id` named
/// `name` (`command_name` as the UI shows it), queued now, with `body`.
pub fn command_queued(id: i32, name: &str, command_name: &str, body: &Value) -> ResponseTemplate {
    json(
        201,
        &json!({
            "id": id,
            "name": name,
            "commandName": command_name,
            "body": body,
            "priority": "normal",
            "status": "queued",
            "result": "unknown",
            "queued": NOW,
            "trigger": "manual",
            "stateChangeTime": NOW,
            "sendUpdatesToClient": true,
            "updateScheduledTask": true
        }),
    )
}

/// The 500 of `BasicRepository.Get(ids)` when the rows found do not number
/// the ids sent (a repeated or unknown id); `trace` is the stack below the
/// exception's first line.
pub fn row_count_error(expected: usize, found: usize, trace: &str) -> ResponseTemplate {
    let text = format!("Expected query to return {expected} rows but returned {found}");
    server_error(
        500,
        &text,
        &format!("System.ApplicationException: {text}\n{trace}"),
    )
}

/// The root folder list as both serve it (with `unmappedFolders`).
pub fn root_folders(folders: &[RootFolder]) -> ResponseTemplate {
    let folders: Vec<Value> = folders
        .iter()
        .map(|folder| {
            let mut value = to_json(folder);
            value["unmappedFolders"] = json!([]);
            value
        })
        .collect();
    json(200, &Value::Array(folders))
}

/// The quality profile list, each profile with the fields both send and
/// the `extra` ones of one server.
pub fn quality_profiles(profiles: &[QualityProfile], extra: &Value) -> ResponseTemplate {
    let profiles: Vec<Value> = profiles
        .iter()
        .map(|profile| {
            let mut value = to_json(profile);
            value["items"] = json!([]);
            value["minFormatScore"] = json!(0);
            value["cutoffFormatScore"] = json!(0);
            value["formatItems"] = json!([]);
            if let (Value::Object(value), Value::Object(extra)) = (&mut value, extra) {
                value.extend(extra.clone());
            }
            value
        })
        .collect();
    json(200, &Value::Array(profiles))
}

/// The tag resource as both keep it: the tags, and every creation request's
/// label as sent.
#[derive(Debug, Clone, Default)]
pub struct FakeTags {
    /// Every tag, in the order they were created.
    pub tags: Vec<Tag>,
    /// The label of every creation request, as sent.
    pub requests: Vec<String>,
}

impl FakeTags {
    /// The tag with this label (ignoring case), created if missing, stored
    /// lowercased. For seeding; requests go through [`FakeTags::create`],
    /// which follows the servers' exact-case rules.
    pub fn tag_for(&mut self, label: &str) -> Tag {
        let label = label.trim();
        if let Some(tag) = self.tags.iter().find(|tag| tag.matches(label)) {
            return tag.clone();
        }
        self.insert(label.to_lowercase())
    }

    /// The labels of the tags `ids`, sorted (unknown ids left out).
    pub fn labels(&self, ids: &[TagId]) -> Vec<String> {
        let mut labels: Vec<String> = ids
            .iter()
            .filter_map(|id| self.tags.iter().find(|tag| tag.id == *id))
            .map(|tag| tag.label.clone())
            .collect();
        labels.sort();
        labels
    }

    /// `POST /api/v3/tag` as `TagController` and `TagService.Add` do it in
    /// both: the version's label rule (`refuses` gives the message and the
    /// validator code of a refusal), then a lookup by the exact label (an
    /// exact match answers with the existing tag), then an insert of the
    /// label lowercased, which the unique `Tags.Label` column refuses with
    /// a 409 when only the case differed. `trace` is the stack trace below
    /// the SQLite message in that answer's description.
    pub fn create(
        &mut self,
        request: &Request,
        refuses: impl Fn(&str) -> Option<(&'static str, &'static str)>,
        trace: &str,
    ) -> ResponseTemplate {
        let label = request
            .body_json::<Map<String, Value>>()
            .ok()
            .and_then(|body| body.get("label").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        self.requests.push(label.clone());
        if let Some((why, code)) = refuses(&label) {
            return validation(&[("Label", why.to_owned(), json!(label), code)]);
        }
        if let Some(tag) = self.tags.iter().find(|tag| tag.label == label) {
            return json(201, &to_json(tag));
        }
        let lower = label.to_lowercase();
        if self.tags.iter().any(|tag| tag.label == lower) {
            let text = "constraint failed\r\nUNIQUE constraint failed: Tags.Label";
            return server_error(
                409,
                text,
                &format!(
                    "code = Constraint (19), message = System.Data.SQLite.SQLiteException (0x800027AF): {text}\r\n{trace}"
                ),
            );
        }
        let tag = self.insert(lower);
        json(201, &to_json(&tag))
    }

    fn insert(&mut self, label: String) -> Tag {
        let id = self.tags.iter().map(|tag| tag.id.0).max().unwrap_or(0) + 1;
        let tag = Tag::new(TagId(id), label);
        self.tags.push(tag.clone());
        tag
    }
}

#[cfg(test)]
mod tests {
    use curator_http::reqwest::{Client, RequestBuilder};

    use super::*;

    /// A simulation that answers 204 to every authorized request.
    struct Nothing;

    impl Simulator for Nothing {
        type Route = ();

        fn route(_: &Request) -> ((), &'static str) {
            ((), "test.any")
        }

        fn handle(&mut self, (): &(), _: &Request) -> ResponseTemplate {
            ResponseTemplate::new(204)
        }
    }

    async fn status(request: RequestBuilder) -> u16 {
        request.send().await.unwrap().status().as_u16()
    }

    /// `ApiKeyAuthenticationHandler.ParseApiKey` (Radarr.Http and
    /// Sonarr.Http alike): the `apikey` query parameter first, then the
    /// `X-Api-Key` header, then a bearer token; the first one present is the
    /// only one compared.
    #[tokio::test]
    async fn the_key_is_read_from_the_query_then_the_header_then_a_bearer_token() {
        let fake = FakeArr::start("fake", "right", Nothing).await;
        let client = Client::new();
        let url = format!("{}/api/v3/tag", fake.uri());
        let get = || client.get(&url);

        assert_eq!(status(get().header("x-api-key", "right")).await, 204);
        assert_eq!(status(get().bearer_auth("right")).await, 204);
        assert_eq!(status(get().query(&[("apikey", "right")])).await, 204);
        assert_eq!(status(get()).await, 401);
        let wrong_query = get()
            .query(&[("apikey", "wrong")])
            .header("x-api-key", "right");
        assert_eq!(status(wrong_query).await, 401);
        let wrong_header = get()
            .query(&[("apikey", "right")])
            .header("x-api-key", "wrong");
        assert_eq!(status(wrong_header).await, 204);
        assert_eq!(fake.stats().count("test.any"), 6);
    }

    #[test]
    fn tags_are_found_ignoring_case_and_stored_lowercased() {
        let mut tags = FakeTags::default();
        let curator = tags.tag_for(" Curator ");
        assert_eq!(curator, Tag::new(TagId(1), "curator"));
        assert_eq!(tags.tag_for("CURATOR"), curator);
        let other = tags.tag_for("4k");
        assert_eq!(
            tags.labels(&[other.id, TagId(9), curator.id]),
            ["4k", "curator"]
        );
    }
}
