//! [`TmdbClient`], the HTTP implementation of [`TmdbApi`], and its builder.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use curator_http::reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use curator_http::{
    HttpClient, HttpConfig, ImageFile, ImdbId, Pacer, RawResponse, RequestStats, RetryPolicy,
    Safety, Secret, TmdbId, TvdbId,
};
use serde::de::DeserializeOwned;

use crate::api::{TmdbApi, TmdbTvApi, ops};
use crate::error::{Error, Result};
use crate::model::wire::{
    RawDetails, RawError, RawFind, RawGenres, RawMovie, RawPage, RawShow, RawShowDetails,
};
use crate::model::{
    DiscoverQuery, Genre, MovieDetails, MovieSummary, Page, PosterSize, ShowDetails, ShowSummary,
};
use crate::rate::RateLimiter;

/// TMDb's v3 API root.
pub const DEFAULT_BASE_URL: &str = "https://api.themoviedb.org/3";

/// TMDb's image host with its path prefix: `images.secure_base_url` of
/// `GET /configuration` without the trailing `/` (TMDb's "Image Basics":
/// `https://image.tmdb.org/t/p/w500/1E5baAaEse26fej7uHcjOgEE2t2.jpg`).
pub const DEFAULT_IMAGE_BASE_URL: &str = "https://image.tmdb.org/t/p";

/// The client-side limit when none is set: half of what TMDb tolerates.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 20;

/// Which form of TMDb credential a client uses, told apart by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A v3 API key (32 hex characters), sent as the `api_key` query parameter.
    ApiKey,
    /// A v4 read access token (a JWT: `eyJ...` with two dots), sent as
    /// `Authorization: Bearer`.
    ReadAccessToken,
}

impl CredentialKind {
    /// Tells the form of `credential` (surrounding whitespace ignored);
    /// `None` when it is neither.
    pub fn detect(credential: &str) -> Option<Self> {
        let value = credential.trim();
        if value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(Self::ApiKey);
        }
        let jwt_chars = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='));
        let looks_like_jwt = value.starts_with("eyJ")
            && value.len() > 40
            && value.matches('.').count() == 2
            && jwt_chars;
        looks_like_jwt.then_some(Self::ReadAccessToken)
    }
}

/// Builds a [`TmdbClient`]. Start with [`TmdbClient::builder`].
pub struct TmdbClientBuilder {
    base_url: String,
    image_base_url: String,
    credential: Option<Secret>,
    language: Option<String>,
    http: HttpConfig,
    requests_per_second: u32,
}

impl fmt::Debug for TmdbClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TmdbClientBuilder")
            .field("base_url", &self.base_url)
            .field("image_base_url", &self.image_base_url)
            .field("credential", &self.credential.as_ref().map(|_| "***"))
            .field("language", &self.language)
            .field("http", &self.http)
            .field("requests_per_second", &self.requests_per_second)
            .finish()
    }
}

impl Default for TmdbClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            image_base_url: DEFAULT_IMAGE_BASE_URL.to_owned(),
            credential: None,
            language: None,
            http: HttpConfig::default(),
            requests_per_second: DEFAULT_REQUESTS_PER_SECOND,
        }
    }
}

impl TmdbClientBuilder {
    /// The API root, [`DEFAULT_BASE_URL`] unless set (a fake server's URI in
    /// tests). A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Where posters come from, [`DEFAULT_IMAGE_BASE_URL`] unless set (a
    /// fake server's in tests, or `images.secure_base_url` if TMDb ever
    /// moves it). A trailing `/` is ignored.
    pub fn image_base_url(mut self, url: impl Into<String>) -> Self {
        self.image_base_url = url.into();
        self
    }

    /// The v3 API key or v4 read access token; the form is detected.
    pub fn credential(mut self, credential: Secret) -> Self {
        self.credential = Some(credential);
        self
    }

    /// The `language` parameter (such as `"en-US"`) for titles and overviews;
    /// TMDb's default (English) when unset.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.http.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.http.request_timeout = timeout;
        self
    }

    /// When to retry. The policy's `max_retry_after` caps how long a 429's
    /// `Retry-After` is honoured.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.http.retry = policy;
        self
    }

    /// At most this many requests per second from this client and its
    /// clones ([`DEFAULT_REQUESTS_PER_SECOND`] unless set); 0 for no limit.
    pub fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.requests_per_second = requests_per_second;
        self
    }

    /// Counters to record every request attempt in, per operation.
    pub fn stats(mut self, stats: RequestStats) -> Self {
        self.http.stats = Some(stats);
        self
    }

    /// Marks TMDb down for the rest of the run after a failure that will
    /// not change within it, so later requests fail at once (see
    /// [`curator_http::Breaker`]; off by default).
    pub fn breaker(mut self, breaker: curator_http::Breaker) -> Self {
        self.http.breaker = Some(breaker);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.http.user_agent = user_agent.into();
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the credential is missing or of neither form,
    /// or the base URL is not an http(s) URL; [`Error::Http`] when the HTTP
    /// stack cannot start.
    pub fn build(mut self) -> Result<TmdbClient> {
        let config = |message: &str| Error::Config {
            message: message.to_owned(),
        };
        let credential = self
            .credential
            .filter(|c| !c.is_blank())
            .ok_or_else(|| config("no TMDb API key or read access token was given"))?;
        let kind = CredentialKind::detect(credential.expose()).ok_or_else(|| {
            config(
                "the TMDb credential is neither a v3 API key (32 hex characters) nor a v4 \
                 read access token (starts with \"eyJ\"); copy one from \
                 https://www.themoviedb.org/settings/api",
            )
        })?;
        let credential = Secret::new(credential.expose().trim());

        let base_url = self.base_url.trim().trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base_url)
            .map_err(|e| config(&format!("the TMDb base URL is invalid: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(config(
                "the TMDb base URL must be an http(s) URL without a query",
            ));
        }

        let image_base_url = curator_http::base_url(&self.image_base_url)
            .map_err(|e| config(&format!("the TMDb image base URL: {e}")))?
            .as_str()
            .trim_end_matches('/')
            .to_owned();
        // The image host needs no credential: its client sends none, and
        // is not paced by the API's rate limit.
        let mut image_headers = HeaderMap::new();
        image_headers.insert(ACCEPT, HeaderValue::from_static("image/*"));
        let images = HttpClient::new(
            HttpConfig {
                pacer: None,
                // A failing image host says nothing about the API.
                breaker: None,
                ..self.http.clone()
            },
            image_headers,
        )?;

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if kind == CredentialKind::ReadAccessToken {
            let value = credential
                .header_value("Bearer ")
                .map_err(|_| config("the TMDb read access token holds invalid characters"))?;
            headers.insert(AUTHORIZATION, value);
        }
        let limiter = RateLimiter::per_second(self.requests_per_second);
        self.http.pacer = limiter
            .clone()
            .map(|l| std::sync::Arc::new(l) as std::sync::Arc<dyn Pacer>);
        let http = HttpClient::new(self.http, headers)?;
        Ok(TmdbClient {
            http,
            images,
            image_base_url,
            base_url,
            kind,
            credential,
            language: self.language,
            limiter,
        })
    }
}

/// The TMDb v3 HTTP client.
///
/// Clones share the connection pool, the request counters and the rate
/// limit. `Debug` never shows the credential.
#[derive(Clone)]
pub struct TmdbClient {
    http: HttpClient,
    /// For the image host: no credential, no rate limit.
    images: HttpClient,
    image_base_url: String,
    base_url: String,
    kind: CredentialKind,
    credential: Secret,
    language: Option<String>,
    limiter: Option<RateLimiter>,
}

impl fmt::Debug for TmdbClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TmdbClient")
            .field("base_url", &self.base_url)
            .field("image_base_url", &self.image_base_url)
            .field("credential", &self.kind)
            .field("language", &self.language)
            .field("spacing", &self.limiter.as_ref().map(RateLimiter::spacing))
            .finish_non_exhaustive()
    }
}

impl TmdbClient {
    /// A builder with the defaults.
    pub fn builder() -> TmdbClientBuilder {
        TmdbClientBuilder::default()
    }

    /// Which credential form this client sends.
    pub fn credential_kind(&self) -> CredentialKind {
        self.kind
    }

    /// The API root requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The request counters given to the builder, if any.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// Sends `GET {base}{path}?{query}` and decodes a 2xx answer as `T`.
    async fn get<T: DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        mut query: Vec<(&'static str, String)>,
    ) -> Result<T> {
        if let Some(language) = &self.language {
            query.push(("language", language.clone()));
        }
        if self.kind == CredentialKind::ApiKey {
            query.push(("api_key", self.credential.expose().to_owned()));
        }
        let url = format!("{}{path}", self.base_url);
        let response = self.send_paced(op, &url, &query).await?;
        if !response.is_success() {
            return Err(self.error_from(op, response));
        }
        Ok(response.json(op)?)
    }

    /// Sends one GET, retrying as the policy says; every attempt, retries
    /// too, takes its turn in the rate limit (the limiter is the client's
    /// [`Pacer`]): a burst of retries after a 429 is what the limit is there
    /// to prevent.
    async fn send_paced(
        &self,
        op: &'static str,
        url: &str,
        query: &[(&'static str, String)],
    ) -> Result<RawResponse> {
        Ok(self
            .http
            .send(op, Safety::Idempotent, |client| {
                client.get(url).query(query)
            })
            .await?)
    }

    /// Maps a failing answer to an [`Error`], reading TMDb's error body.
    fn error_from(&self, op: &'static str, response: RawResponse) -> Error {
        let status = response.status.as_u16();
        let body: Option<RawError> = serde_json::from_slice(&response.body).ok();
        let message = body
            .as_ref()
            .and_then(|b| b.status_message.as_deref())
            .map(|m| self.credential.redact(m));
        let code = body.as_ref().and_then(|b| b.status_code);
        match (status, code, message) {
            (401, _, message) => Error::Unauthorized {
                op,
                message: message.unwrap_or_else(|| "no reason given".to_owned()),
            },
            (404, _, _) => Error::NotFound { op },
            (status, Some(code), Some(message)) => Error::Api {
                op,
                status,
                code,
                message,
            },
            _ => {
                let mut error = response.into_error(op);
                // TMDb does not echo requests, but a proxy in front might.
                if let curator_http::HttpError::Status { body, .. } = &mut error {
                    *body = self.credential.redact(body);
                }
                Error::Http(error)
            }
        }
    }

    /// One page of a list endpoint, as TMDb sent it.
    async fn page<T: DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        mut query: Vec<(&'static str, String)>,
        page: u32,
    ) -> Result<RawPage<T>> {
        query.push(("page", page.max(1).to_string()));
        self.get(op, path, query).await
    }

    /// A page of movies.
    async fn movies(
        &self,
        op: &'static str,
        path: &str,
        query: Vec<(&'static str, String)>,
        page: u32,
    ) -> Result<Page<MovieSummary>> {
        let raw: RawPage<RawMovie> = self.page(op, path, query, page).await?;
        Ok(raw.into_page())
    }

    /// A page of shows.
    async fn shows(
        &self,
        op: &'static str,
        path: &str,
        query: Vec<(&'static str, String)>,
        page: u32,
    ) -> Result<Page<ShowSummary>> {
        let raw: RawPage<RawShow> = self.page(op, path, query, page).await?;
        Ok(raw.into_show_page())
    }

    /// `GET /find/{id}?external_source=...`; `id` must be safe in a path
    /// (the id types only hold letters and digits).
    async fn find(&self, op: &'static str, id: &str, source: &'static str) -> Result<RawFind> {
        let params = vec![("external_source", source.to_owned())];
        self.get(op, &format!("/find/{id}"), params).await
    }

    /// The `/discover/...` parameters of `query`, with `sort_by` as given.
    fn discover_params(query: &DiscoverQuery, sort_by: &str) -> Vec<(&'static str, String)> {
        let mut params = vec![("sort_by", sort_by.to_owned())];
        if !query.with_genres.is_empty() {
            params.push(("with_genres", query.genres_param()));
        }
        if !query.without_genres.is_empty() {
            params.push(("without_genres", query.without_genres_param()));
        }
        if let Some(floor) = query.vote_count_gte {
            params.push(("vote_count.gte", floor.to_string()));
        }
        params
    }
}

#[async_trait]
impl TmdbApi for TmdbClient {
    async fn poster(&self, poster_path: &str, size: PosterSize) -> Result<Option<ImageFile>> {
        let op = ops::POSTER;
        let file = poster_path.strip_prefix('/').unwrap_or_default();
        let one_file_name = !file.is_empty()
            && file.len() <= 200
            && !file.starts_with('.')
            && file
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !one_file_name {
            return Err(Error::Config {
                message: format!("{op}: the poster path is not one file name"),
            });
        }
        let url = format!("{}/{}/{file}", self.image_base_url, size.as_str());
        let response = self
            .images
            .send(op, Safety::Idempotent, |client| client.get(&url))
            .await?;
        if response.status.as_u16() == 404 {
            return Ok(None);
        }
        let response = response.success(op)?;
        let status = response.status.as_u16();
        let content_type = response
            .headers
            .get(curator_http::reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let length = response.body.len();
        match ImageFile::from_answer(content_type, response.body) {
            Some(image) => Ok(Some(image)),
            None => Err(Error::Api {
                op,
                status,
                code: 0,
                message: format!(
                    "the answer is not an image ({}, {length} bytes)",
                    content_type.unwrap_or("no type")
                ),
            }),
        }
    }

    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> Result<Page<MovieSummary>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Page::empty());
        }
        let mut params = vec![("query", query.to_owned())];
        if let Some(year) = year {
            params.push(("primary_release_year", year.to_string()));
        }
        self.movies(ops::SEARCH_MOVIES, "/search/movie", params, page)
            .await
    }

    async fn movie(&self, id: TmdbId) -> Result<Option<MovieDetails>> {
        let params = vec![("append_to_response", "external_ids".to_owned())];
        match self
            .get::<RawDetails>(ops::MOVIE, &format!("/movie/{id}"), params)
            .await
        {
            Ok(raw) => Ok(Some(raw.into_details())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn recommendations(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
        let path = format!("/movie/{id}/recommendations");
        self.movies(ops::RECOMMENDATIONS, &path, Vec::new(), page)
            .await
    }

    async fn similar(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
        let path = format!("/movie/{id}/similar");
        self.movies(ops::SIMILAR, &path, Vec::new(), page).await
    }

    async fn discover(&self, query: &DiscoverQuery) -> Result<Page<MovieSummary>> {
        let params = Self::discover_params(query, query.sort_by.as_str());
        self.movies(ops::DISCOVER, "/discover/movie", params, query.page)
            .await
    }

    async fn find_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<MovieSummary>> {
        // ImdbId only holds `tt` + digits, so it is safe in a path.
        let raw = self
            .find(ops::FIND_BY_IMDB, imdb_id.as_str(), "imdb_id")
            .await?;
        Ok(raw.into_first_movie())
    }

    async fn genres(&self) -> Result<Vec<Genre>> {
        let raw: RawGenres = self
            .get(ops::GENRES, "/genre/movie/list", Vec::new())
            .await?;
        Ok(raw.into_genres())
    }

    fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }
}

/// What `GET /tv/{id}` appends: one request instead of five (TMDb docs,
/// append-to-response: up to 20 sub-requests of the same namespace).
const SHOW_APPENDS: &str = "external_ids,keywords,recommendations,similar";

#[async_trait]
impl TmdbTvApi for TmdbClient {
    async fn search_shows(
        &self,
        query: &str,
        first_air_year: Option<i32>,
        page: u32,
    ) -> Result<Page<ShowSummary>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Page::empty());
        }
        let mut params = vec![("query", query.to_owned())];
        if let Some(year) = first_air_year {
            params.push(("first_air_date_year", year.to_string()));
        }
        self.shows(ops::SEARCH_SHOWS, "/search/tv", params, page)
            .await
    }

    async fn show(&self, id: TmdbId) -> Result<Option<ShowDetails>> {
        let params = vec![("append_to_response", SHOW_APPENDS.to_owned())];
        match self
            .get::<RawShowDetails>(ops::SHOW, &format!("/tv/{id}"), params)
            .await
        {
            Ok(raw) => Ok(Some(raw.into_details())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn show_recommendations(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>> {
        let path = format!("/tv/{id}/recommendations");
        self.shows(ops::SHOW_RECOMMENDATIONS, &path, Vec::new(), page)
            .await
    }

    async fn similar_shows(&self, id: TmdbId, page: u32) -> Result<Page<ShowSummary>> {
        let path = format!("/tv/{id}/similar");
        self.shows(ops::SIMILAR_SHOWS, &path, Vec::new(), page)
            .await
    }

    async fn discover_shows(&self, query: &DiscoverQuery) -> Result<Page<ShowSummary>> {
        let params = Self::discover_params(query, query.sort_by.as_tv_str());
        self.shows(ops::DISCOVER_SHOWS, "/discover/tv", params, query.page)
            .await
    }

    async fn find_show_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<ShowSummary>> {
        let raw = self
            .find(ops::FIND_BY_TVDB, &tvdb_id.to_string(), "tvdb_id")
            .await?;
        Ok(raw.into_first_show())
    }

    async fn find_show_by_imdb(&self, imdb_id: &ImdbId) -> Result<Option<ShowSummary>> {
        let raw = self
            .find(ops::FIND_BY_IMDB, imdb_id.as_str(), "imdb_id")
            .await?;
        Ok(raw.into_first_show())
    }

    async fn tv_genres(&self) -> Result<Vec<Genre>> {
        let raw: RawGenres = self
            .get(ops::TV_GENRES, "/genre/tv/list", Vec::new())
            .await?;
        Ok(raw.into_genres())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_forms_are_told_apart() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIxMjM0NTY3ODkwYWJjZGVmIn0.c2lnbmF0dXJlX3BhcnQ";
        assert_eq!(
            CredentialKind::detect("0123456789abcdef0123456789ABCDEF"),
            Some(CredentialKind::ApiKey)
        );
        assert_eq!(
            CredentialKind::detect(&format!(" {token}\n")),
            Some(CredentialKind::ReadAccessToken)
        );
        for bad in [
            "",
            "short",
            "eyJ.only-one-dot",
            "0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(CredentialKind::detect(bad), None, "{bad}");
        }
    }

    #[test]
    fn builder_rejects_missing_or_odd_credentials() {
        let err = TmdbClient::builder().build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
        let err = TmdbClient::builder()
            .credential(Secret::new("not-a-key"))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("settings/api"), "{err}");
        assert!(!err.to_string().contains("not-a-key"));
        let err = TmdbClient::builder()
            .credential(Secret::new("0123456789abcdef0123456789abcdef"))
            .base_url("ftp://example.com")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
    }

    /// Every attempt, retries included, takes a turn in the rate limit.
    #[tokio::test]
    async fn retries_take_their_turn_in_the_rate_limit() {
        use wiremock::matchers::path;
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(path("/genre/movie/list"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .expect(2)
            .mount(&server)
            .await;
        Mock::given(path("/genre/movie/list"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"genres": []}"#))
            .expect(1)
            .mount(&server)
            .await;
        let client = TmdbClient::builder()
            .base_url(server.uri())
            .credential(Secret::new("0123456789abcdef0123456789abcdef"))
            .retry(RetryPolicy {
                max_retries: 3,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(2),
                max_retry_after: Duration::from_millis(2),
            })
            .rate_limit(1000)
            .build()
            .unwrap();
        client.genres().await.unwrap();
        let limiter = client.limiter.as_ref().unwrap();
        assert_eq!(limiter.granted(), 3, "two retries and the first attempt");
    }
}
