//! The routes: webhooks, the API, `/metrics`, `/healthz` and the page,
//! every one but `/healthz` behind the token.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use curator_http::Secret;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;

use crate::hooks::{self, BadBody, Event};
use curator_app::JobKind;
use curator_http::MediaKind;

use crate::page;
use crate::posters;
use crate::queue::{Finished, Job, JobSpec, JobState};
use crate::shared::Shared;
use curator_app::RunInput;

/// JSON bodies (Tautulli, the API, Plex's `payload` part) are a few
/// hundred bytes.
pub(crate) const JSON_LIMIT: usize = 64 * 1024;
/// A Plex webhook as a whole: the `payload` part and a poster thumbnail,
/// which is read past and thrown away, whatever its size up to this.
pub(crate) const PLEX_LIMIT: usize = 32 * 1024 * 1024;
/// How much of a body that is too large is still read (and thrown away)
/// before the 413, so a client still sending sees the answer, not a reset,
/// and the connection stays usable. Past this the connection is closed.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;
/// The cookie the page sets from `?token=`.
const COOKIE: &str = "curator_token";

/// The whole application; behind `serve.base_path`, answering with or
/// without the prefix.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let routes = routes(shared.clone());
    if shared.config.serve.base_path.is_empty() {
        return routes;
    }
    // Outside the routes: the path must be read before they are matched.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::from_fn_with_state(shared, unprefix))
}

/// Takes `serve.base_path` off a request's path when it carries it, so a
/// proxy may strip the prefix (nginx `proxy_pass http://curator:7979/;`,
/// Traefik's StripPrefix) or pass it on as it came.
async fn unprefix(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let route = crate::shared::route_of(&shared.config.serve.base_path, path);
    if route.len() != path.len() {
        let target = match req.uri().query() {
            Some(query) => format!("{route}?{query}"),
            None => route.to_owned(),
        };
        let mut parts = req.uri().clone().into_parts();
        match target.parse() {
            Ok(path_and_query) => parts.path_and_query = Some(path_and_query),
            Err(_) => {
                return (StatusCode::BAD_REQUEST, "a path that cannot be read\n").into_response();
            }
        }
        match axum::http::Uri::from_parts(parts) {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => {
                return (StatusCode::BAD_REQUEST, "a path that cannot be read\n").into_response();
            }
        }
    }
    next.run(req).await
}

/// The routes, each at its path without the base path.
fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page::page))
        .route("/metrics", get(metrics))
        .route(
            "/hooks/plex",
            post(plex_hook).layer(DefaultBodyLimit::max(PLEX_LIMIT)),
        )
        .route("/hooks/tautulli", post(tautulli_hook))
        .route("/hooks/radarr", post(radarr_hook))
        .route("/hooks/sonarr", post(sonarr_hook))
        .route("/api/runs", post(api_run))
        .route("/api/jobs", get(list_jobs))
        .route("/api/jobs/{name}", post(api_job).get(job_status))
        .route("/jobs/{name}", post(form_job))
        .route("/live", get(page::live))
        .route("/posters/{rating_key}", get(posters::plex_poster))
        .route("/posters/tmdb/{kind}/{id}", get(posters::tmdb_poster))
        .route("/api/approvals", get(api_approvals))
        .route("/api/approvals/{id}/{action}", post(api_decide))
        .route("/approvals/{id}/{action}", post(form_decide))
        .layer(middleware::from_fn_with_state(shared.clone(), auth))
        // Added after the token layer: a health check needs no token.
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        // Outermost: no route answers another site's page.
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// The host part of a `Host` header value (or of an origin's authority),
/// lowercased, without the port or IPv6 brackets.
fn host_name(authority: &str) -> String {
    let authority = authority.trim();
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.to_ascii_lowercase()
}

/// True for a `Host` the server answers: an IP address (DNS rebinding
/// needs a name), `localhost`, the name it listens on, or one of
/// `serve.allowed_hosts`.
fn host_allowed(shared: &Shared, host: &str) -> bool {
    let name = host_name(host);
    name.parse::<std::net::IpAddr>().is_ok()
        || name == "localhost"
        || shared.listen_host.as_deref() == Some(name.as_str())
        || shared.config.serve.allowed_hosts.contains(&name)
}

fn forbidden(why: impl std::fmt::Display) -> Response {
    (StatusCode::FORBIDDEN, format!("{why}\n")).into_response()
}

/// Refuses what a web page the user opens could send: a request for a
/// `Host` that is not ours (DNS rebinding), and a state-changing request
/// its browser marks as cross-site (`Origin` of another host,
/// `Origin: null`, `Sec-Fetch-Site: cross-site` or `same-site`). Plex,
/// Tautulli, Radarr and scripts send neither header.
async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()));
    let Some(host) = host.filter(|h| host_allowed(&shared, h)) else {
        shared.metrics.event(source_of(req.uri().path()), "refused");
        return forbidden(format!(
            "this server does not answer for the host {:?}: use its IP address or localhost, or add the name to serve.allowed_hosts",
            headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        ));
    };
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let cross_site = matches!(site.as_deref(), Some("cross-site" | "same-site"));
        let foreign_origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or("null").trim().to_owned())
            .is_some_and(|origin| {
                let authority = origin.split_once("://").map(|(_, rest)| rest);
                match authority {
                    None => true,
                    Some(authority) => {
                        !authority.eq_ignore_ascii_case(&host)
                            && !shared
                                .config
                                .serve
                                .allowed_hosts
                                .contains(&host_name(authority))
                    }
                }
            });
        if cross_site || foreign_origin {
            shared.metrics.event(source_of(req.uri().path()), "refused");
            return forbidden(
                "refused: another site's page sent this request (Origin / Sec-Fetch-Site)",
            );
        }
    }
    next.run(req).await
}

/// True when the request says its body is JSON (`application/json`, with
/// or without parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// 415 for an API body that is not JSON: a page's form or plain-text POST
/// (which a browser sends cross-site without asking first) never is.
fn not_json(shared: &Shared, source: &'static str) -> Response {
    shared.metrics.event(source, "rejected");
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Json(json!({
            "status": "rejected",
            "error": "send the body as JSON, with Content-Type: application/json",
        })),
    )
        .into_response()
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// True when both are the same, in time that does not depend on where they
/// differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where a request carried its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Query,
    Header,
    Cookie,
}

/// The password of HTTP Basic credentials (`base64(user:password)`, RFC
/// 7617), whatever the user name. Radarr and Sonarr send their webhook's
/// Username and Password this way, up front (`WebhookProxy` sets a
/// `BasicNetworkCredential`, which `ManagedHttpDispatcher` writes as
/// `Authorization: Basic`, ISO-8859-1 encoded).
fn basic_password(credentials: &str) -> Option<String> {
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()?;
    // ISO-8859-1 is the first 256 code points; UTF-8 is tried first.
    let text = String::from_utf8(decoded.clone())
        .unwrap_or_else(|_| decoded.iter().map(|&b| char::from(b)).collect());
    let (_, password) = text.split_once(':')?;
    Some(password.to_owned())
}

/// The tokens a request presents, with where each came from.
fn presented(req: &Request) -> Vec<(String, Carrier)> {
    let mut found = Vec::new();
    if let Some(query) = req.uri().query() {
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            if key == "token" {
                found.push((value.into_owned(), Carrier::Query));
            }
        }
    }
    let headers = req.headers();
    // X-Api-Key: the header Radarr's and Sonarr's webhook "Headers"
    // setting (and Tautulli's JSON headers) can add.
    for name in ["x-curator-token", "x-api-key"] {
        if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) {
            found.push((value.trim().to_owned(), Carrier::Header));
        }
    }
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some((scheme, credentials)) = value.trim().split_once(' ')
    {
        if scheme.eq_ignore_ascii_case("bearer") {
            found.push((credentials.trim().to_owned(), Carrier::Header));
        } else if scheme.eq_ignore_ascii_case("basic")
            && let Some(password) = basic_password(credentials)
        {
            found.push((password, Carrier::Header));
        }
    }
    for cookies in headers.get_all(header::COOKIE) {
        let Ok(cookies) = cookies.to_str() else {
            continue;
        };
        for pair in cookies.split(';') {
            if let Some((name, value)) = pair.trim().split_once('=')
                && name == COOKIE
            {
                let value: String = url::form_urlencoded::parse(format!("v={value}").as_bytes())
                    .map(|(_, v)| v.into_owned())
                    .next()
                    .unwrap_or_default();
                found.push((value, Carrier::Cookie));
            }
        }
    }
    found
}

/// Lets a request through when it carries the token (or none is set, on
/// loopback). The page, opened once with `?token=`, sets a cookie and
/// sends the browser to the same address without the token.
async fn auth(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let Some(expected) = &shared.token else {
        return next.run(req).await;
    };
    let presented = presented(&req);
    let matching = presented
        .iter()
        .find(|(t, _)| same(t.as_bytes(), expected.expose().as_bytes()));
    let Some((_, carrier)) = matching else {
        shared
            .metrics
            .event(source_of(req.uri().path()), "unauthorized");
        let why = if presented.is_empty() {
            "this needs the token"
        } else {
            "wrong token"
        };
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            format!(
                "{why}: send the header X-Curator-Token, X-Api-Key or Authorization: Bearer, or HTTP Basic auth with the token as the password (Radarr's and Sonarr's webhook Username/Password); or add ?token=YOUR_TOKEN to the URL (Plex's webhook, and once for the page)\n"
            ),
        )
            .into_response();
    };
    if *carrier == Carrier::Query && req.method() == Method::GET && req.uri().path() == "/" {
        return cookie_redirect(&shared, &req, expected);
    }
    if *carrier == Carrier::Query {
        shared.hint_header_auth(source_of(req.uri().path()));
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The page's forms check their own field (`form_job`, `form_decide`).
    let form =
        req.uri().path().starts_with("/jobs/") || req.uri().path().starts_with("/approvals/");
    if *carrier == Carrier::Cookie && !safe && !form {
        let csrf = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !same(csrf.trim().as_bytes(), shared.csrf.expose().as_bytes()) {
            shared
                .metrics
                .event(source_of(req.uri().path()), "unauthorized");
            return forbidden(
                "the page's cookie alone does not allow this: send the token (X-Curator-Token), or the page's CSRF token as X-CSRF-Token",
            );
        }
    }
    next.run(req).await
}

/// A redirect to the page without `token` in its address, setting the cookie.
fn cookie_redirect(shared: &Shared, req: &Request, token: &Secret) -> Response {
    let rest: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k != "token")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let mut target = shared.href(req.uri().path());
    if !rest.is_empty() {
        target.push('?');
        target.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(rest)
                .finish(),
        );
    }
    let value: String = url::form_urlencoded::byte_serialize(token.expose().as_bytes()).collect();
    let cookie = format!(
        "{COOKIE}={value}; Path={}; HttpOnly; SameSite=Lax; Max-Age=31536000",
        shared.cookie_path()
    );
    let mut response = Redirect::to(&target).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn source_of(path: &str) -> &'static str {
    match path {
        "/hooks/plex" => "plex",
        "/hooks/tautulli" => "tautulli",
        "/hooks/radarr" => "radarr",
        "/hooks/sonarr" => "sonarr",
        p if p.starts_with("/api/") => "api",
        _ => "page",
    }
}

/// Reads a body of at most `limit` bytes. A longer one is refused with
/// 413, after reading on (and throwing away) up to [`DRAIN_LIMIT`].
///
/// # Errors
/// The answer to send: 413 for a body over the limit, 400 for one that
/// cannot be read.
async fn read_limited(
    shared: &Shared,
    source: &'static str,
    body: Body,
    limit: usize,
) -> Result<Bytes, Response> {
    let mut stream = body.into_data_stream();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    let deadline = tokio::time::Instant::now() + shared.config.serve.read_timeout;
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, stream.next()).await else {
            return Err(too_slow(shared, source));
        };
        let Some(chunk) = next else {
            break;
        };
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                return Err(bad_request(
                    shared,
                    source,
                    BadBody(format!("the body cannot be read: {error}")),
                ));
            }
        };
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen <= limit {
        return Ok(kept.into());
    }
    shared.metrics.event(source, "rejected");
    let mut response = (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(json!({
            "status": "rejected",
            "error": format!("the body is larger than {} KiB", limit / 1024),
        })),
    )
        .into_response();
    if seen > DRAIN_LIMIT {
        // The rest was not read: this connection cannot carry another request.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    Err(response)
}

fn bad_request(shared: &Shared, source: &'static str, BadBody(reason): BadBody) -> Response {
    shared.metrics.event(source, "rejected");
    tracing::info!(source, %reason, "refused a request body");
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "status": "rejected", "error": reason })),
    )
        .into_response()
}

/// Queues what an event asks for, on disk before the answer.
async fn accept(shared: Arc<Shared>, source: &'static str, label: &str, event: Event) -> Response {
    let (seed, user) = match event {
        Event::Ignored(reason) => {
            shared.metrics.event(source, "ignored");
            tracing::info!(source, %reason, "event ignored");
            return Json(json!({ "status": "ignored", "reason": reason })).into_response();
        }
        Event::Watched(RunInput::NotAMovie(kind)) => {
            shared.metrics.event(source, "ignored");
            return Json(
                json!({ "status": "ignored", "reason": format!("{kind:?} is not a movie") }),
            )
            .into_response();
        }
        Event::Watched(RunInput::Movie { seed, user } | RunInput::Show { seed, user, .. }) => {
            (seed, user)
        }
        Event::Arrived(arrival) => {
            let spec = JobSpec::Arrived {
                title: arrival.title,
                media: arrival.media,
                tvdb_id: arrival.tvdb_id,
                year: arrival.year,
                tmdb_id: arrival.tmdb_id,
            };
            return push(shared, source, spec, label.to_owned()).await;
        }
    };
    let mut from = label.to_owned();
    if let Some(user) = &user {
        from.push_str(&format!(", watched by {user}"));
    }
    push(shared, source, JobSpec::watched(&seed), from).await
}

async fn push(shared: Arc<Shared>, source: &'static str, spec: JobSpec, from: String) -> Response {
    let queue = shared.queue.clone();
    let what = spec.label();
    // Writing and syncing the job file blocks: off the async threads.
    let result = tokio::task::spawn_blocking(move || queue.push(spec, from)).await;
    match result {
        Ok(Ok(accepted)) => {
            let status = if accepted.coalesced {
                "coalesced"
            } else {
                "queued"
            };
            shared.metrics.event(source, status);
            tracing::info!(source, job = %accepted.id, %what, status, "event accepted");
            (
                StatusCode::ACCEPTED,
                Json(json!({ "status": status, "job": accepted.id, "what": what })),
            )
                .into_response()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "could not store a job");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({ "status": "error", "error": format!("cannot store the job: {error}") }),
                ),
            )
                .into_response()
        }
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "status": "error", "error": format!("cannot store the job: {error}") })),
        )
            .into_response(),
    }
}

/// `POST /hooks/plex`: Plex's multipart webhook.
async fn plex_hook(
    State(shared): State<Arc<Shared>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let bad = |reason: String| BadBody(reason);
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(rejection) => {
            return bad_request(
                &shared,
                "plex",
                bad(format!(
                    "expected multipart/form-data with a payload field, as Plex sends ({})",
                    rejection.body_text()
                )),
            );
        }
    };
    let reading = read_plex_form(&shared, &mut multipart);
    let payload = match tokio::time::timeout(shared.config.serve.read_timeout, reading).await {
        Ok(Ok(payload)) => payload,
        Ok(Err(refused)) => return refused,
        Err(_) => return too_slow(&shared, "plex"),
    };
    let Some(payload) = payload else {
        return bad_request(
            &shared,
            "plex",
            bad("the form has no payload field (Plex sends its JSON in one)".into()),
        );
    };
    let found = match hooks::plex(&payload, shared.rules()) {
        Ok(found) => found,
        Err(reason) => return bad_request(&shared, "plex", reason),
    };
    if let Some(server) = &found.server {
        match shared.plex_server().await {
            Ok(ours) if ours == server => {}
            Ok(_) => {
                return accept(
                    shared,
                    "plex",
                    "Plex webhook",
                    Event::Ignored(format!(
                        "from the Plex server {server}, not the configured one (plex.url)"
                    )),
                )
                .await;
            }
            Err(error) => {
                shared.metrics.event("plex", "rejected");
                tracing::warn!(%error, "cannot tell whether a Plex webhook is for the configured server");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(json!({
                        "status": "error",
                        "error": format!("cannot read the configured Plex server's identity to check the event is for it: {error}"),
                    })),
                )
                    .into_response();
            }
        }
    }
    accept(shared, "plex", "Plex webhook", found.event).await
}

/// Reads Plex's form: the `payload` part (at most [`JSON_LIMIT`]); other
/// parts (the `thumb` image, whatever its size) are read past and thrown
/// away, never kept.
async fn read_plex_form(
    shared: &Shared,
    multipart: &mut Multipart,
) -> Result<Option<Vec<u8>>, Response> {
    let mut payload = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(shared, &e))?
    {
        if field.name() != Some("payload") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| multipart_error(shared, &e))?
        {
            if bytes.len() + chunk.len() > JSON_LIMIT {
                return Err(bad_request(
                    shared,
                    "plex",
                    BadBody(format!(
                        "the payload field is larger than {} KiB",
                        JSON_LIMIT / 1024
                    )),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        payload = Some(bytes);
    }
    Ok(payload)
}

/// 408 for a body that stopped coming; the connection is closed.
fn too_slow(shared: &Shared, source: &'static str) -> Response {
    shared.metrics.event(source, "rejected");
    (
        StatusCode::REQUEST_TIMEOUT,
        [(header::CONNECTION, "close")],
        Json(json!({
            "status": "rejected",
            "error": format!(
                "the body did not arrive within {}s (serve.read_timeout_seconds)",
                shared.config.serve.read_timeout.as_secs()
            ),
        })),
    )
        .into_response()
}

fn multipart_error(shared: &Shared, error: &axum::extract::multipart::MultipartError) -> Response {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        shared.metrics.event("plex", "rejected");
        return (error.status(), error.body_text()).into_response();
    }
    bad_request(
        shared,
        "plex",
        BadBody(format!(
            "the multipart form cannot be read: {}",
            error.body_text()
        )),
    )
}

/// `POST /hooks/tautulli`: Tautulli's webhook agent.
async fn tautulli_hook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if !is_json(&headers) {
        return not_json(&shared, "tautulli");
    }
    let body = match read_limited(&shared, "tautulli", body, JSON_LIMIT).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let tv_on = shared.config.settings.tv.is_some();
    match hooks::tautulli(&body, Some(shared.rules()), tv_on) {
        Ok(event) => accept(shared, "tautulli", "Tautulli webhook", event).await,
        Err(reason) => bad_request(&shared, "tautulli", reason),
    }
}

/// `POST /hooks/radarr`: Radarr's Connect -> Webhook (On Import).
async fn radarr_hook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    arr_hook(shared, MediaKind::Movie, &headers, body).await
}

/// `POST /hooks/sonarr`: Sonarr's Connect -> Webhook (On Import).
async fn sonarr_hook(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    arr_hook(shared, MediaKind::Show, &headers, body).await
}

/// Radarr's or Sonarr's webhook: an import of `kind` queues an arrival.
async fn arr_hook(
    shared: Arc<Shared>,
    kind: MediaKind,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let (source, label) = match kind {
        MediaKind::Movie => ("radarr", "Radarr import"),
        MediaKind::Show => ("sonarr", "Sonarr import"),
    };
    if !is_json(headers) {
        return not_json(&shared, source);
    }
    let body = match read_limited(&shared, source, body, JSON_LIMIT).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let tv_on = shared.config.settings.tv.is_some();
    match hooks::arr(&body, kind, tv_on) {
        Ok(event) => accept(shared, source, label, event).await,
        Err(reason) => bad_request(&shared, source, reason),
    }
}

/// `POST /api/runs`: a watched movie, for scripts (Tautulli's fields).
async fn api_run(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if !is_json(&headers) {
        return not_json(&shared, "api");
    }
    let body = match read_limited(&shared, "api", body, JSON_LIMIT).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let tv_on = shared.config.settings.tv.is_some();
    match hooks::tautulli(&body, None, tv_on) {
        Ok(event) => accept(shared, "api", "API", event).await,
        Err(reason) => bad_request(&shared, "api", reason),
    }
}

/// `POST /api/jobs/{refresh|confirm-monitored|dedupe}`.
async fn api_job(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(header::CONTENT_TYPE) && !is_json(&headers) {
        return not_json(&shared, "api");
    }
    let Some(job) = JobKind::parse(&name) else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({ "status": "rejected", "error": format!("no job named {name:?}; use refresh, confirm-monitored or dedupe") })),
        )
            .into_response();
    };
    push(shared, "api", JobSpec::Job { job }, "API".into()).await
}

/// `POST /jobs/{name}`: the page's "run now" forms, each with the CSRF
/// token the page wrote into it; answered with a redirect to the page.
async fn form_job(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    body: Body,
) -> Response {
    let body = match read_limited(&shared, "page", body, JSON_LIMIT).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    if let Some(refused) = form_csrf(&shared, &body) {
        return refused;
    }
    let spec = match name.as_str() {
        "run" => match form_title(&body) {
            Ok(seed) => JobSpec::watched(&seed),
            Err(why) => return bad_request(&shared, "page", why),
        },
        other => match other.strip_prefix("plan-").map(JobKind::parse) {
            Some(Some(job)) => JobSpec::Plan { job },
            Some(None) => {
                return (StatusCode::NOT_FOUND, format!("no job named {name:?}\n")).into_response();
            }
            None => match JobKind::parse(other) {
                Some(job) => JobSpec::Job { job },
                None => {
                    return (StatusCode::NOT_FOUND, format!("no job named {name:?}\n"))
                        .into_response();
                }
            },
        },
    };
    let page = shared.href("/");
    let response = push(shared, "page", spec, "the page".into()).await;
    if response.status() == StatusCode::ACCEPTED {
        return back_to(page);
    }
    response
}

/// A form's answer: `303 See Other` to `page`.
fn back_to(page: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, page)]).into_response()
}

/// The "Run for a title" form's movie: `title` ("Inception" or
/// "Inception (2010)"), and `year` when given.
///
/// # Errors
/// A missing or too long title, or a year that is not one.
fn form_title(body: &[u8]) -> Result<curator_core::Seed, BadBody> {
    let field = |name: &str| {
        url::form_urlencoded::parse(body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let Some(given) = field("title") else {
        return Err(BadBody("the form has no title".into()));
    };
    if given.chars().count() > curator_app::MAX_TITLE_CHARS {
        return Err(BadBody(format!(
            "the title is longer than {} characters",
            curator_app::MAX_TITLE_CHARS
        )));
    }
    let (title, in_title) = curator_app::split_title_year(&given);
    let year = match field("year") {
        None => in_title,
        Some(text) => match text.parse::<i32>() {
            Ok(y) if (1870..=2200).contains(&y) => Some(y),
            _ => return Err(BadBody(format!("{text:?} is not a year"))),
        },
    };
    Ok(curator_core::Seed {
        title,
        year,
        ..curator_core::Seed::default()
    })
}

/// Checks a page form's `csrf` field: the 403 to send when it is missing
/// or wrong.
fn form_csrf(shared: &Shared, body: &[u8]) -> Option<Response> {
    let csrf = url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if same(csrf.as_bytes(), shared.csrf.expose().as_bytes()) {
        return None;
    }
    shared.metrics.event("page", "unauthorized");
    Some(forbidden(
        "this form's CSRF token is missing or out of date: reload the page and try again",
    ))
}

/// `GET /api/approvals`: the titles waiting for approval and the rejected
/// ones, each with the id the other routes take.
async fn api_approvals(State(shared): State<Arc<Shared>>) -> Response {
    match curator_app::approvals(&shared.data) {
        Ok(book) => Json(approvals_json(&book)).into_response(),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "status": "error", "error": error.to_string() })),
        )
            .into_response(),
    }
}

fn approvals_json(book: &curator_core::Approvals) -> serde_json::Value {
    let with_id = |id: curator_core::ApprovalId, value: serde_json::Value| {
        let mut value = value;
        value["id"] = json!(id.to_string());
        value
    };
    json!({
        "waiting": book.waiting.iter().map(|h| with_id(h.id(), json!(h))).collect::<Vec<_>>(),
        "rejected": book.rejected.iter().map(|r| with_id(r.id(), json!(r))).collect::<Vec<_>>(),
    })
}

/// What a decision route was asked.
enum Decision {
    /// Queue a job sending these (all when empty).
    Approve(Vec<String>),
    /// Reject this one now.
    Reject(curator_core::ApprovalId),
}

/// Reads `{id}/{action}`; `all` approves every waiting title.
///
/// # Errors
/// The 404 to send for an unknown action, an id that is no id, or one that
/// is not waiting.
fn decision(shared: &Shared, id: &str, action: &str) -> Result<Decision, Box<Response>> {
    let not_found = |why: String| {
        Box::new(
            (
                StatusCode::NOT_FOUND,
                Json(json!({ "status": "rejected", "error": why })),
            )
                .into_response(),
        )
    };
    if id == "all" && action == "approve" {
        return Ok(Decision::Approve(Vec::new()));
    }
    let parsed: curator_core::ApprovalId = id
        .parse()
        .map_err(|e: curator_core::BadApprovalId| not_found(e.to_string()))?;
    let book = curator_app::approvals(&shared.data).map_err(|e| not_found(e.to_string()))?;
    if book.held(parsed).is_none() {
        return Err(not_found(format!("{id} is not waiting for approval")));
    }
    match action {
        "approve" => Ok(Decision::Approve(vec![parsed.to_string()])),
        "reject" => Ok(Decision::Reject(parsed)),
        other => Err(not_found(format!(
            "no action {other:?}; use approve or reject"
        ))),
    }
}

/// Approves (a queued job: it talks to Radarr under the run lock) or
/// rejects (at once: only the approvals file changes).
async fn decide(shared: Arc<Shared>, source: &'static str, decision: Decision) -> Response {
    match decision {
        Decision::Approve(ids) => {
            let from = if source == "page" { "the page" } else { "API" };
            push(shared, source, JobSpec::Approve { ids }, from.into()).await
        }
        Decision::Reject(id) => {
            let selection = curator_core::Selection::Ids(vec![id]);
            match curator_app::reject(&shared.data, &selection).await {
                Ok(decided) => {
                    shared.metrics.event(source, "title_rejected");
                    Json(json!({ "status": "rejected", "titles": decided.titles })).into_response()
                }
                Err(error) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(json!({ "status": "error", "error": error.to_string() })),
                )
                    .into_response(),
            }
        }
    }
}

/// `POST /api/approvals/{id}/approve|reject` (`all/approve` for every
/// waiting title): JSON answers; a body, if any, must be JSON.
async fn api_decide(
    State(shared): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(header::CONTENT_TYPE) && !is_json(&headers) {
        return not_json(&shared, "api");
    }
    match decision(&shared, &id, &action) {
        Ok(decision) => decide(shared, "api", decision).await,
        Err(refused) => *refused,
    }
}

/// `POST /approvals/{id}/approve|reject`: the page's Approve, Reject and
/// Approve all forms, each with the CSRF token; answered with a redirect
/// to the page.
async fn form_decide(
    State(shared): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
    body: Body,
) -> Response {
    let body = match read_limited(&shared, "page", body, JSON_LIMIT).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    if let Some(refused) = form_csrf(&shared, &body) {
        return refused;
    }
    let decision = match decision(&shared, &id, &action) {
        Ok(decision) => decision,
        Err(refused) => return *refused,
    };
    let page = shared.href("/");
    let response = decide(shared, "page", decision).await;
    if response.status().is_success() {
        return back_to(page);
    }
    response
}

fn job_json(state: JobState, job: &Job, finished: Option<&Finished>) -> serde_json::Value {
    let mut value = json!({
        "id": job.id,
        "state": state,
        "what": job.spec.label(),
        "spec": job.spec,
        "accepted_at": job.accepted_at.unix_timestamp(),
        "sources": job.sources,
        "attempts": job.attempts,
    });
    if let Some(f) = finished {
        value["outcome"] = json!(f.outcome);
        value["dry_run"] = json!(f.dry_run);
        value["error"] = json!(f.error);
        value["lines"] = json!(f.lines);
        value["report"] = f.report.clone().unwrap_or(serde_json::Value::Null);
        value["started_at"] = json!(f.started_at.unix_timestamp());
        value["finished_at"] = json!(f.finished_at.unix_timestamp());
    }
    value
}

/// How `GET /api/jobs/{id}` may wait.
#[derive(Debug, Deserialize)]
struct WaitQuery {
    /// Seconds to wait for the job to reach `until` (at most 600).
    wait: Option<u64>,
    /// `done` (the default), `running` or `waiting`.
    until: Option<String>,
}

/// `GET /api/jobs/{id}`; with `?wait=SECONDS`, answers once the job is
/// done (or `?until=running|waiting`), or the time is up.
async fn job_status(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(wait): Query<WaitQuery>,
) -> Response {
    let until = match wait.until.as_deref() {
        None | Some("done") => JobState::Done,
        Some("running") => JobState::Running,
        Some("waiting") => JobState::Waiting,
        Some(other) => {
            return bad_request(
                &shared,
                "api",
                BadBody(format!("until={other:?}: use done, running or waiting")),
            );
        }
    };
    let found = match wait.wait {
        Some(secs) if secs > 0 => {
            tracing::info!(job = %id, "a caller waits for the job");
            let limit = std::time::Duration::from_secs(secs.min(600));
            shared.queue.wait_for(&id, until, limit).await
        }
        _ => shared.queue.find(&id),
    };
    match found {
        Some((state, job, finished)) => Json(job_json(state, &job, finished.as_ref())).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no job {id:?} (finished jobs are kept for the last 100)") })),
        )
            .into_response(),
    }
}

/// `GET /api/jobs`: running, waiting and recent jobs.
async fn list_jobs(State(shared): State<Arc<Shared>>) -> Response {
    let snapshot = shared.queue.snapshot();
    Json(json!({
        "running": snapshot.running.as_ref().map(|(job, state)| job_json(*state, job, None)),
        "pending": snapshot.pending.iter().map(|j| job_json(JobState::Pending, j, None)).collect::<Vec<_>>(),
        "done": snapshot.done.iter().map(|f| {
            let mut v = job_json(JobState::Done, &f.job, Some(f));
            if let Some(obj) = v.as_object_mut() {
                obj.remove("report");
            }
            v
        }).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `GET /metrics`.
async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    (headers, shared.metrics.render(shared.queue.depth())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every route's first path segment is in `curator_app::ROUTE_ROOTS`,
    /// the names a `serve.base_path` may not start with (kept by hand
    /// there, as the config cannot see the router): read off this file's
    /// own `.route("...")` calls, so a new route root fails here until it
    /// is listed.
    #[test]
    fn every_route_root_is_refused_as_a_base_path() {
        let source = include_str!("http.rs");
        let roots: std::collections::BTreeSet<&str> = source
            .split(".route(\"/")
            .skip(1)
            .map(|rest| rest.split(['/', '"']).next().unwrap_or_default())
            .filter(|root| !root.is_empty())
            .collect();
        assert!(roots.len() >= 8, "{roots:?}");
        for root in &roots {
            assert!(
                curator_app::ROUTE_ROOTS.contains(root),
                "/{root} is a route, not in ROUTE_ROOTS"
            );
        }
        for listed in curator_app::ROUTE_ROOTS {
            assert!(
                roots.contains(listed),
                "ROUTE_ROOTS lists {listed}, no route has it"
            );
        }
    }

    #[test]
    fn a_host_is_read_without_its_port_or_brackets() {
        assert_eq!(host_name("127.0.0.1:7979"), "127.0.0.1");
        assert_eq!(host_name("[::1]:7979"), "::1");
        assert_eq!(host_name("Curator.LAN:7979"), "curator.lan");
        assert_eq!(host_name("localhost"), "localhost");
        assert_eq!(host_name(""), "");
    }

    #[test]
    fn json_is_told_by_its_content_type() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert!(is_json(&headers));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abcdef", b"abcdef"));
        assert!(!same(b"abcdef", b"abcdeg"));
        assert!(!same(b"abc", b"abcdef"));
        assert!(!same(b"", b"x"));
    }

    #[test]
    fn a_token_is_found_in_the_query_headers_and_cookie() {
        let req = |builder: axum::http::request::Builder| {
            builder.body(axum::body::Body::empty()).unwrap()
        };
        let r = req(Request::builder().uri("/hooks/plex?x=1&token=a%2Bb"));
        assert_eq!(presented(&r), [("a+b".to_owned(), Carrier::Query)]);
        let r = req(Request::builder()
            .uri("/")
            .header("X-Curator-Token", " t1 "));
        assert_eq!(presented(&r), [("t1".to_owned(), Carrier::Header)]);
        let r = req(Request::builder()
            .uri("/")
            .header("Authorization", "Bearer t2"));
        assert_eq!(presented(&r), [("t2".to_owned(), Carrier::Header)]);
        let r = req(Request::builder()
            .uri("/")
            .header("Cookie", "a=b; curator_token=t%2B3"));
        assert_eq!(presented(&r), [("t+3".to_owned(), Carrier::Cookie)]);
        // HTTP Basic: the password, whatever the user name, as Radarr and
        // Sonarr send their webhook's Username/Password.
        let r = req(Request::builder()
            .uri("/")
            .header("Authorization", "Basic cmFkYXJyOnQ0Ojpi"));
        assert_eq!(presented(&r), [("t4::b".to_owned(), Carrier::Header)]);
        let r = req(Request::builder()
            .uri("/")
            .header("Authorization", "basic OnQ1"));
        assert_eq!(presented(&r), [("t5".to_owned(), Carrier::Header)]);
        // No colon (no password) or not base64: nothing.
        let r = req(Request::builder()
            .uri("/")
            .header("Authorization", "Basic dXNlcg=="));
        assert!(presented(&r).is_empty());
        let r = req(Request::builder()
            .uri("/")
            .header("Authorization", "Basic %%%"));
        assert!(presented(&r).is_empty());
        // X-Api-Key: a custom header Radarr's and Sonarr's webhooks can add.
        let r = req(Request::builder().uri("/").header("X-Api-Key", "t6"));
        assert_eq!(presented(&r), [("t6".to_owned(), Carrier::Header)]);
    }
}
