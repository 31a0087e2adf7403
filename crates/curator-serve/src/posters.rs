//! Posters for the page: `GET /posters/{ratingKey}` (an item the page shows
//! from Plex, through Plex's photo transcoder) and
//! `GET /posters/tmdb/{movie|show}/{id}` (a pending or held title, from
//! TMDb's image host). Each is fetched once with the server's credentials,
//! kept in the data directory (`posters/`, written atomically, one file
//! per item, the oldest dropped past a limit) and answered with
//! `ETag` (a matching `If-None-Match` gets 304) and `Cache-Control`: the
//! browser only ever talks to curator and never sees a token. An unknown
//! item, or one whose poster cannot be had, gets a small placeholder image
//! (SVG, 200, not cached), so the grid never shows a broken image. The
//! store itself is `poster_store.rs`.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use curator_http::{ImageFile, MediaKind, TmdbId};
use tmdb_client::{PosterSize, TmdbApi, TmdbTvApi};

use crate::poster_store::{content_type, extension, keep, kept, tag};
use crate::shared::Shared;

/// The size Plex is asked for: twice the 120 x 180 the page shows.
pub(crate) const PLEX_SIZE: (u32, u32) = (240, 360);

/// The TMDb size asked for (185 pixels wide, TMDb's `poster_sizes`).
pub(crate) const TMDB_SIZE: PosterSize = PosterSize::W185;

/// How long a TMDb title known to have no poster is not asked again.
const NO_POSTER_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The placeholder: a grey 2:3 card with a frame, no text.
const PLACEHOLDER: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="180" viewBox="0 0 120 180"><rect width="120" height="180" rx="6" fill="#8a939c" fill-opacity=".22"/><rect x="42" y="68" width="36" height="44" rx="3" fill="none" stroke="#8a939c" stroke-width="3"/></svg>"##;

/// The placeholder answer (never cached: the real poster may come later).
fn placeholder() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        PLACEHOLDER,
    )
        .into_response()
}

/// A kept file as the answer: 304 when the browser has this version.
async fn serve_file(path: &Path, etag: &str, request: &HeaderMap) -> Response {
    let etag = format!("\"{etag}\"");
    let cache = "private, max-age=86400";
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        return response;
    }
    match tokio::fs::read(path).await {
        Ok(bytes) => {
            let mut response = (
                [
                    (header::CONTENT_TYPE, content_type(path)),
                    (header::CACHE_CONTROL, cache),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                ],
                bytes,
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&etag) {
                response.headers_mut().insert(header::ETAG, value);
            }
            response
        }
        Err(_) => placeholder(),
    }
}

/// `GET /posters/{ratingKey}`: the poster of an item the page shows.
pub(crate) async fn plex_poster(
    State(shared): State<Arc<Shared>>,
    UrlPath(rating_key): UrlPath<String>,
    request: HeaderMap,
) -> Response {
    if rating_key.is_empty()
        || rating_key.len() > 20
        || !rating_key.bytes().all(|b| b.is_ascii_digit())
    {
        return placeholder();
    }
    let posters = &shared.posters;
    let dir = posters.dir.join("plex");
    let Some(thumb) = shared.shelf.thumb(&rating_key) else {
        // Not (or no longer) on the page: a poster kept earlier will do.
        return match kept(&dir, &format!("{rating_key}-")) {
            Some(path) => {
                let etag = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                serve_file(&path, &etag.unwrap_or_default(), &request).await
            }
            None => placeholder(),
        };
    };
    let stem = format!("{rating_key}-{}", tag(&thumb));
    let lock = posters.busy(&stem).await;
    let _held = lock.lock().await;
    if let Some(path) = kept(&dir, &format!("{stem}.")) {
        return serve_file(&path, &stem, &request).await;
    }
    let Ok(plex) = shared.shelf.plex(&shared.config, &shared.data).await else {
        return placeholder();
    };
    let fetched = {
        let _turn = posters.fetching.acquire().await;
        plex.thumbnail(&thumb, PLEX_SIZE.0, PLEX_SIZE.1).await
    };
    let image = match fetched {
        Ok(Some(image)) => image,
        Ok(None) => return placeholder(),
        Err(error) => {
            tracing::warn!(%error, %rating_key, "cannot read a poster from Plex");
            return placeholder();
        }
    };
    stored(&dir, &rating_key, &stem, image, &request).await
}

/// Keeps a fetched image and answers with it (the image itself when it
/// cannot be kept).
async fn stored(
    dir: &Path,
    item: &str,
    stem: &str,
    image: ImageFile,
    request: &HeaderMap,
) -> Response {
    let (dir_owned, item_owned, stem_owned) = (dir.to_owned(), item.to_owned(), stem.to_owned());
    let image = Arc::new(image);
    let kept_image = image.clone();
    let written = tokio::task::spawn_blocking(move || {
        keep(&dir_owned, &item_owned, &stem_owned, &kept_image)
    })
    .await;
    match written {
        Ok(Ok(path)) => serve_file(&path, stem, request).await,
        other => {
            if let Ok(Err(error)) = other {
                tracing::warn!(%error, "cannot keep a poster in the data directory");
            }
            if extension(&image.bytes).is_none() {
                return placeholder();
            }
            (
                [
                    (header::CONTENT_TYPE, image.content_type.as_str()),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                image.bytes.clone(),
            )
                .into_response()
        }
    }
}

/// `GET /posters/tmdb/{movie|show}/{id}`: the TMDb poster of a pending or
/// held title (details once for its `poster_path`, then the image).
pub(crate) async fn tmdb_poster(
    State(shared): State<Arc<Shared>>,
    UrlPath((kind, id)): UrlPath<(String, String)>,
    request: HeaderMap,
) -> Response {
    let kind = match kind.as_str() {
        "movie" => MediaKind::Movie,
        "show" => MediaKind::Show,
        _ => return placeholder(),
    };
    let Some(id) = id.parse::<u32>().ok().filter(|&id| id > 0) else {
        return placeholder();
    };
    let posters = &shared.posters;
    let dir = posters.dir.join("tmdb");
    let stem = format!("{}-{id}", kind.as_str());
    let lock = posters.busy(&stem).await;
    let _held = lock.lock().await;
    if let Some(path) = kept(&dir, &format!("{stem}.")) {
        return serve_file(&path, &stem, &request).await;
    }
    let none = dir.join(format!("{stem}.none"));
    let recently_none = std::fs::metadata(&none)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|at| at.elapsed().ok())
        .is_some_and(|age| age < NO_POSTER_FOR);
    if recently_none {
        return placeholder();
    }
    let Some(tmdb) = posters.tmdb(&shared.config).await else {
        return placeholder();
    };
    let turn = posters.fetching.acquire().await;
    let path = match kind {
        MediaKind::Movie => tmdb
            .movie(TmdbId(id))
            .await
            .map(|d| d.and_then(|d| d.poster_path)),
        MediaKind::Show => tmdb
            .show(TmdbId(id))
            .await
            .map(|d| d.and_then(|d| d.poster_path)),
    };
    let image = match path {
        Ok(Some(path)) => tmdb.poster(&path, TMDB_SIZE).await,
        Ok(None) => Ok(None),
        Err(error) => Err(error),
    };
    drop(turn);
    match image {
        Ok(Some(image)) => stored(&dir, &stem, &stem, image, &request).await,
        Ok(None) => {
            // TMDb has none: not asked again for a day.
            let _ = curator_core::write_atomic(&none, b"");
            placeholder()
        }
        Err(error) => {
            tracing::warn!(%error, kind = kind.as_str(), id, "cannot read a poster from TMDb");
            placeholder()
        }
    }
}

/// The page's address of the poster of a Plex item (`thumb` names its
/// version, so a new poster gets a new address).
pub(crate) fn plex_url(rating_key: &str, thumb: Option<&str>) -> String {
    match thumb {
        Some(thumb) => format!("/posters/{rating_key}?v={}", &tag(thumb)[..8]),
        None => format!("/posters/{rating_key}"),
    }
}

/// The page's address of a title's TMDb poster.
pub(crate) fn tmdb_url(kind: MediaKind, id: TmdbId) -> String {
    format!("/posters/tmdb/{}/{id}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_carry_the_posters_version() {
        let url = plex_url("12", Some("/library/metadata/12/thumb/99"));
        assert!(url.starts_with("/posters/12?v="), "{url}");
        assert_eq!(url.len(), "/posters/12?v=".len() + 8);
        assert_ne!(url, plex_url("12", Some("/library/metadata/12/thumb/100")));
        assert_eq!(plex_url("12", None), "/posters/12");
        assert_eq!(
            tmdb_url(MediaKind::Show, TmdbId(1396)),
            "/posters/tmdb/show/1396"
        );
    }
}
