//! [`PlexClient`], the HTTP implementation of [`PlexApi`], and its builder.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use async_trait::async_trait;
use curator_http::reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue};
use curator_http::reqwest::{Method, StatusCode};
use curator_http::{
    HttpClient, HttpConfig, HttpError, ImageFile, RawResponse, RequestStats, RetryPolicy, Safety,
    Secret, truncate_body,
};
use url::Url;

use crate::api::{PlexApi, ops};
use crate::error::{Error, Result};
use crate::model::wire::{
    DirectoryContainer, Envelope, HubContainer, HubEntry, Item, MetadataContainer, ServerContainer,
};
use crate::model::{
    Collection, CollectionItem, CollectionSort, Episode, HubVisibility, Image, ImageSlot,
    ManagedHub, MediaId, MediaKind, MediaKindExt, Movie, RatingKey, Section, SectionKey,
    ServerIdentity, ServerInfo, Show,
};

/// The most keys one "add to collection" request carries; longer URLs fail
/// on real servers (400/414).
pub const MAX_KEYS_PER_ADD: usize = 100;

/// The most keys one file check (`checkFiles=1`) asks for: the server
/// looks at every file of every item before it answers.
pub const MAX_KEYS_PER_FILE_CHECK: usize = 20;

/// How long a delete may take unless the builder says otherwise.
pub const DEFAULT_DELETE_TIMEOUT: Duration = Duration::from_secs(300);

/// The page size used for listings unless the builder says otherwise.
/// Large clients use 100-200; the larger size halves the round trips of a
/// big library or collection, and the server answers such pages quickly.
pub const DEFAULT_PAGE_SIZE: usize = 200;

const PRODUCT: &str = "curator";
const LIBRARY_URI: &str = "com.plexapp.plugins.library/library/metadata";
const TYPE_MOVIE: &str = "1";
const TYPE_SHOW: &str = "2";
const TYPE_EPISODE: &str = "4";
const TYPE_COLLECTION: &str = "18";

/// A Plex Media Server client.
///
/// Cheap to clone (clones share the connection pool, the counters and the
/// cached machine identifier). Build it with [`PlexClient::builder`].
#[derive(Clone)]
pub struct PlexClient {
    http: HttpClient,
    base: Url,
    token: Secret,
    client_identifier: String,
    delete_timeout: Duration,
    page_size: usize,
    machine_identifier: std::sync::Arc<OnceLock<String>>,
}

impl fmt::Debug for PlexClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlexClient")
            .field("base", &self.base.as_str())
            .field("token", &self.token)
            .field("client_identifier", &self.client_identifier)
            .field("page_size", &self.page_size)
            .field("machine_identifier", &self.machine_identifier.get())
            .finish_non_exhaustive()
    }
}

/// Settings for a [`PlexClient`].
///
/// ```no_run
/// use std::time::Duration;
/// use plex_client::{PlexClient, Secret};
///
/// # fn demo() -> plex_client::Result<()> {
/// let plex = PlexClient::builder("http://192.168.1.10:32400", Secret::new("token"))
///     .client_identifier("curator-living-room")
///     .request_timeout(Duration::from_secs(60))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PlexClientBuilder {
    base_url: String,
    token: Secret,
    client_identifier: String,
    version: String,
    config: HttpConfig,
    delete_timeout: Duration,
    page_size: usize,
    machine_identifier: Option<String>,
}

impl fmt::Debug for PlexClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlexClientBuilder")
            .field("token", &self.token)
            .field("client_identifier", &self.client_identifier)
            .field("version", &self.version)
            .field("config", &self.config)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl PlexClientBuilder {
    /// Starts a builder for the server at `base_url` (such as
    /// `http://192.168.1.10:32400`), authenticating with `token`.
    pub fn new(base_url: impl Into<String>, token: impl Into<Secret>) -> Self {
        Self {
            base_url: base_url.into(),
            token: token.into(),
            client_identifier: PRODUCT.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            config: HttpConfig::default(),
            delete_timeout: DEFAULT_DELETE_TIMEOUT,
            page_size: DEFAULT_PAGE_SIZE,
            machine_identifier: None,
        }
    }

    /// The `X-Plex-Client-Identifier` to send (default `"curator"`). Plex
    /// lists devices by it: give every installation its own, and keep it
    /// (the `curator` command makes one at random and keeps it in the data
    /// directory).
    pub fn client_identifier(mut self, id: impl Into<String>) -> Self {
        self.client_identifier = id.into();
        self
    }

    /// The `X-Plex-Version` to send (default: this crate's version).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// How long one request may take (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }

    /// How long a delete may take (default [`DEFAULT_DELETE_TIMEOUT`]):
    /// the server removes the files before it answers, which for a big
    /// file on a network disk outlasts the usual request timeout.
    pub fn delete_timeout(mut self, timeout: Duration) -> Self {
        self.delete_timeout = timeout;
        self
    }

    /// When to retry (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Counters to record every request attempt in, by operation name
    /// (see [`ops`](crate::ops)).
    pub fn stats(mut self, stats: RequestStats) -> Self {
        self.config.stats = Some(stats);
        self
    }

    /// Marks Plex down for the rest of the run after a failure that will
    /// not change within it, so later requests fail at once (see
    /// [`curator_http::Breaker`]; off by default).
    pub fn breaker(mut self, breaker: curator_http::Breaker) -> Self {
        self.config.breaker = Some(breaker);
        self
    }

    /// How many items to ask for per page (default 100, at least 1).
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// The server's machine identifier, when already known; otherwise it is
    /// fetched once, on first need.
    pub fn machine_identifier(mut self, id: impl Into<String>) -> Self {
        self.machine_identifier = Some(id.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a base URL that is not `http(s)://...` or that
    /// carries a query, a blank token, or a token or identifier a header
    /// cannot carry.
    pub fn build(self) -> Result<PlexClient> {
        // The URL is not echoed in errors: users paste URLs with the token in them.
        let mut base = Url::parse(self.base_url.trim())
            .map_err(|e| Error::Config(format!("the Plex URL is not a valid URL ({e})")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Config(
                "the Plex URL must start with http:// or https://".into(),
            ));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::Config(
                "the Plex URL must not carry a query (give the token separately)".into(),
            ));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(Error::Config(
                "the Plex URL must not carry a user name or password".into(),
            ));
        }
        if let Ok(mut segments) = base.path_segments_mut() {
            segments.pop_if_empty();
        }
        if self.token.is_blank() {
            return Err(Error::Config("the Plex token is empty".into()));
        }
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let token = self.token.header_value("").map_err(|_| {
            Error::Config("the Plex token holds characters a header cannot carry".into())
        })?;
        headers.insert("X-Plex-Token", token);
        let text_header = |name: &str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!("{name} holds characters a header cannot carry"))
            })
        };
        headers.insert(
            "X-Plex-Client-Identifier",
            text_header("the client identifier", &self.client_identifier)?,
        );
        headers.insert("X-Plex-Product", HeaderValue::from_static(PRODUCT));
        headers.insert("X-Plex-Version", text_header("the version", &self.version)?);
        let http = HttpClient::new(self.config, headers)?;
        let machine_identifier = OnceLock::new();
        if let Some(id) = self.machine_identifier {
            let _ = machine_identifier.set(id);
        }
        Ok(PlexClient {
            http,
            base,
            token: self.token,
            client_identifier: self.client_identifier,
            delete_timeout: self.delete_timeout,
            page_size: self.page_size,
            machine_identifier: std::sync::Arc::new(machine_identifier),
        })
    }
}

impl PlexClient {
    /// Starts a builder; see [`PlexClientBuilder`].
    pub fn builder(base_url: impl Into<String>, token: impl Into<Secret>) -> PlexClientBuilder {
        PlexClientBuilder::new(base_url, token)
    }

    /// The request counters given to the builder, if any.
    pub fn stats(&self) -> Option<&RequestStats> {
        self.http.stats()
    }

    /// The server's machine identifier, fetched once and then cached.
    ///
    /// # Errors
    /// As [`PlexApi::identity`].
    pub async fn machine_identifier(&self) -> Result<String> {
        if let Some(id) = self.machine_identifier.get() {
            return Ok(id.clone());
        }
        Ok(self.identity().await?.machine_identifier)
    }

    fn url(&self, path: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.extend(path);
        }
        if !query.is_empty() {
            let text = query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            url.set_query(Some(&text));
        }
        url
    }

    /// `GET /library/metadata/{k1,k2,...}?includeGuids=1` in chunks (of at
    /// most 100 keys, or [`MAX_KEYS_PER_FILE_CHECK`] with `checkFiles=1`
    /// and `skipRefresh=1` when `check_files`). Unknown keys and items
    /// `keep` refuses (another kind) are left out; a chunk answered 400 is
    /// split in halves and asked again, so one bad key costs only itself.
    async fn metadata_batch(
        &self,
        rating_keys: &[RatingKey],
        check_files: bool,
        keep: fn(&Item) -> bool,
    ) -> Result<Vec<Item>> {
        let op = ops::ITEM;
        // checkFiles makes the server refresh each item too (metadata and
        // analysis) unless skipRefresh=1 (community spec, GET
        // /library/metadata/{ids}); small batches keep each answer quick.
        let (query, chunk_size): (&[(&str, &str)], usize) = if check_files {
            (
                &[
                    ("includeGuids", "1"),
                    ("checkFiles", "1"),
                    ("skipRefresh", "1"),
                ],
                MAX_KEYS_PER_FILE_CHECK,
            )
        } else {
            (&[("includeGuids", "1")], MAX_KEYS_PER_ADD)
        };
        let mut found = Vec::with_capacity(rating_keys.len());
        // Chunks still to ask, in order (a split chunk's halves go first).
        let mut pending: Vec<&[RatingKey]> = rating_keys.chunks(chunk_size).rev().collect();
        while let Some(chunk) = pending.pop() {
            let keys = chunk
                .iter()
                .map(RatingKey::as_str)
                .collect::<Vec<_>>()
                .join(",");
            let url = self.url(&["library", "metadata", &keys], query);
            let raw = self
                .call(op, Safety::Idempotent, Method::GET, url, None)
                .await?;
            // Plex answers 404 when none of the keys exists.
            if raw.status == StatusCode::NOT_FOUND {
                continue;
            }
            if raw.status == StatusCode::BAD_REQUEST {
                if chunk.len() > 1 {
                    let (first, second) = chunk.split_at(chunk.len() / 2);
                    pending.push(second);
                    pending.push(first);
                } else {
                    tracing::warn!(op, key = %chunk[0], "Plex refused the key (400); left out");
                }
                continue;
            }
            let answer: Envelope<MetadataContainer> = self.success(op, raw)?.json(op)?;
            let items: Vec<Item> = answer.container.metadata.into_iter().filter(keep).collect();
            if check_files
                && items.iter().any(Item::has_parts)
                && !items.iter().any(Item::reports_file_checks)
            {
                return Err(Error::UnexpectedResponse {
                    op,
                    message: "Plex did not report whether the files exist (no part carried \
                              `exists` or `accessible`): it ignored checkFiles=1"
                        .into(),
                });
            }
            found.extend(items);
        }
        Ok(found)
    }

    /// `GET /library/metadata/{ratingKey}?includeGuids=1`: the item of that
    /// key, of any kind; `None` on 404.
    async fn metadata_item(&self, rating_key: &RatingKey) -> Result<Option<Item>> {
        let op = ops::ITEM;
        let url = self.url(
            &["library", "metadata", rating_key.as_str()],
            &[("includeGuids", "1")],
        );
        let raw = self
            .call(op, Safety::Idempotent, Method::GET, url, None)
            .await?;
        if raw.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let answer: Envelope<MetadataContainer> = self.success(op, raw)?.json(op)?;
        Ok(answer
            .container
            .metadata
            .into_iter()
            .find(|item| item.rating_key() == rating_key.as_str()))
    }

    /// Every episode of a listing (the show's or the section's), pages and all.
    async fn episodes_of(
        &self,
        op: &'static str,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Vec<Episode>> {
        let items = self.paged(op, path, query).await?;
        Ok(items
            .into_iter()
            .filter(Item::is_episode)
            .map(Item::into_episode)
            .collect())
    }

    /// Sends a delete of an item (`media_id` `None`) or of one of its media
    /// versions: with the delete timeout, never blindly repeated. When the
    /// answer does not come (a timeout, or a gateway's 502-504), the item is
    /// read back and the delete counts as done if what it named is gone.
    async fn delete_checked(
        &self,
        op: &'static str,
        url: Url,
        rating_key: &RatingKey,
        media_id: Option<MediaId>,
    ) -> Result<()> {
        let what = match media_id {
            Some(id) => format!("media version {id} of item {rating_key}"),
            None => format!("item {rating_key}"),
        };
        let timeout = self.delete_timeout;
        let sent = self
            .http
            .send(op, Safety::NotIdempotent, |client| {
                client.request(Method::DELETE, url.clone()).timeout(timeout)
            })
            .await;
        let unanswered = match &sent {
            Err(error) => error.is_timeout(),
            Ok(raw) => matches!(raw.status.as_u16(), 502..=504),
        };
        if unanswered {
            tracing::warn!(op, %rating_key, "no answer to the delete; reading the item back");
            match self.item(rating_key).await {
                Ok(None) => return Ok(()),
                Ok(Some(movie))
                    if media_id.is_some_and(|id| movie.media.iter().all(|v| v.id != id)) =>
                {
                    return Ok(());
                }
                Ok(Some(_)) => {}
                Err(error) => {
                    tracing::warn!(op, %rating_key, error = %error, "could not read the item back");
                }
            }
        }
        let raw = sent?;
        if matches!(raw.status.as_u16(), 400 | 401 | 403) {
            return Err(Error::DeletionRefused {
                op,
                what,
                status: raw.status.as_u16(),
                reason: body_text(&self.token.redact(&truncate_body(&raw.body))),
                source: self.status_error(op, &raw),
            });
        }
        self.success_or_missing(op, raw, || what)?;
        Ok(())
    }

    /// Sends a request; maps 401 to [`Error::Unauthorized`] and hands every
    /// other final answer back.
    async fn call(
        &self,
        op: &'static str,
        safety: Safety,
        method: Method,
        url: Url,
        body: Option<(&'static str, &[u8])>,
    ) -> Result<RawResponse> {
        let raw = self
            .http
            .send(op, safety, |client| {
                let request = client.request(method.clone(), url.clone());
                match body {
                    Some((content_type, bytes)) => request
                        .header(CONTENT_TYPE, content_type)
                        .body(bytes.to_vec()),
                    None => request,
                }
            })
            .await?;
        if raw.status == StatusCode::UNAUTHORIZED {
            return Err(Error::Unauthorized { op });
        }
        Ok(raw)
    }

    /// A status error for a non-2xx answer, with the token scrubbed from the
    /// body in case the server echoed the request.
    fn status_error(&self, op: &'static str, raw: &RawResponse) -> HttpError {
        HttpError::Status {
            op,
            status: raw.status.as_u16(),
            body: self.token.redact(&truncate_body(&raw.body)),
        }
    }

    fn success(&self, op: &'static str, raw: RawResponse) -> Result<RawResponse> {
        if raw.is_success() {
            Ok(raw)
        } else {
            Err(self.status_error(op, &raw).into())
        }
    }

    /// A 404 as [`Error::NotFound`], anything else non-2xx as a status error.
    fn success_or_missing(
        &self,
        op: &'static str,
        raw: RawResponse,
        what: impl FnOnce() -> String,
    ) -> Result<RawResponse> {
        if raw.status == StatusCode::NOT_FOUND {
            return Err(Error::NotFound {
                op,
                what: what(),
                source: self.status_error(op, &raw),
            });
        }
        self.success(op, raw)
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static str,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> Result<T> {
        let raw = self
            .call(
                op,
                Safety::Idempotent,
                Method::GET,
                self.url(path, query),
                None,
            )
            .await?;
        Ok(self.success(op, raw)?.json(op)?)
    }

    /// Every item of a listing, page by page: advances by what each page
    /// held, stops on an empty page or once `totalSize` items were read.
    async fn paged(
        &self,
        op: &'static str,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Vec<Item>> {
        let size = self.page_size.to_string();
        let mut items: Vec<Item> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let start = items.len().to_string();
            let mut page_query = query.to_vec();
            page_query.push(("X-Plex-Container-Start", &start));
            page_query.push(("X-Plex-Container-Size", &size));
            let page: Envelope<MetadataContainer> = self.get(op, path, &page_query).await?;
            let page = page.container;
            let received = page.metadata.len();
            let before = items.len();
            // A server that ignores the start offset sends the same items
            // again: keep each once, and stop when a page brings none new.
            items.extend(
                page.metadata
                    .into_iter()
                    .filter(|item| seen.insert(item.rating_key().to_owned())),
            );
            let fresh = items.len() - before;
            let done = match page.total_size {
                Some(total) => items.len() as u64 >= total,
                // Without a total, a short page is the last one.
                None => received < self.page_size,
            };
            if received == 0 || fresh == 0 || done {
                if received > 0 && fresh == 0 {
                    tracing::warn!(
                        op,
                        items = items.len(),
                        "the server repeated a page; listing stopped"
                    );
                }
                tracing::debug!(op, items = items.len(), "listing read");
                return Ok(items);
            }
        }
    }

    /// Sends a hub-management request. Plex answers those 401 or 403 when
    /// the owner has no Plex Pass (which of the two is unconfirmed): both
    /// become [`Error::PlexPassRequired`]. Every hub request is sent as a
    /// one-shot action ([`Safety::NotIdempotent`]), so such a refusal is
    /// that action's alone and never marks Plex down for the run's other
    /// requests, as a 401 or 403 to a read would.
    async fn hub_call(&self, op: &'static str, method: Method, url: Url) -> Result<RawResponse> {
        let raw = match self
            .call(op, Safety::NotIdempotent, method, url, None)
            .await
        {
            Err(Error::Unauthorized { op }) => {
                return Err(Error::PlexPassRequired { op, status: 401 });
            }
            other => other?,
        };
        if raw.status == StatusCode::FORBIDDEN {
            return Err(Error::PlexPassRequired { op, status: 403 });
        }
        Ok(raw)
    }

    /// The query naming where a hub shows (python-plexapi
    /// `ManagedHub.updateVisibility`: 1 or 0 for each).
    fn visibility_query(visibility: HubVisibility) -> [(&'static str, &'static str); 3] {
        let flag = |on: bool| if on { "1" } else { "0" };
        [
            ("promotedToRecommended", flag(visibility.recommended)),
            ("promotedToOwnHome", flag(visibility.own_home)),
            ("promotedToSharedHome", flag(visibility.shared_home)),
        ]
    }

    async fn collection_uri(&self, keys: &[RatingKey]) -> Result<String> {
        let machine = self.machine_identifier().await?;
        let mut uri = format!("server://{machine}/{LIBRARY_URI}");
        if !keys.is_empty() {
            uri.push('/');
            uri.push_str(
                &keys
                    .iter()
                    .map(RatingKey::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        Ok(uri)
    }
}

#[async_trait]
impl PlexApi for PlexClient {
    async fn identity(&self) -> Result<ServerIdentity> {
        let answer: Envelope<ServerContainer> = self.get(ops::IDENTITY, &["identity"], &[]).await?;
        let identity = answer.container.identity();
        if identity.machine_identifier.is_empty() {
            return Err(Error::UnexpectedResponse {
                op: ops::IDENTITY,
                message: "no machineIdentifier".into(),
            });
        }
        let _ = self
            .machine_identifier
            .set(identity.machine_identifier.clone());
        Ok(identity)
    }

    async fn server_info(&self) -> Result<ServerInfo> {
        let answer: Envelope<ServerContainer> = self.get(ops::SERVER_INFO, &[], &[]).await?;
        let info = answer.container.info();
        if !info.machine_identifier.is_empty() {
            let _ = self.machine_identifier.set(info.machine_identifier.clone());
        }
        Ok(info)
    }

    async fn sections(&self) -> Result<Vec<Section>> {
        let answer: Envelope<DirectoryContainer> = self
            .get(ops::SECTIONS, &["library", "sections"], &[])
            .await?;
        Ok(answer
            .container
            .directories
            .into_iter()
            .map(Section::from)
            .collect())
    }

    async fn movies(&self, section: &SectionKey) -> Result<Vec<Movie>> {
        let items = self
            .paged(
                ops::MOVIES,
                &["library", "sections", section.as_str(), "all"],
                &[("type", TYPE_MOVIE), ("includeGuids", "1")],
            )
            .await?;
        Ok(items.into_iter().map(Item::into_movie).collect())
    }

    async fn search_movies(
        &self,
        section: &SectionKey,
        title: &str,
        year: Option<u16>,
    ) -> Result<Vec<Movie>> {
        let year = year.map(|y| y.to_string());
        let mut query = vec![
            ("type", TYPE_MOVIE),
            ("includeGuids", "1"),
            ("title", title),
        ];
        if let Some(year) = &year {
            query.push(("year", year));
        }
        let items = self
            .paged(
                ops::SEARCH_MOVIES,
                &["library", "sections", section.as_str(), "all"],
                &query,
            )
            .await?;
        Ok(items.into_iter().map(Item::into_movie).collect())
    }

    async fn item(&self, rating_key: &RatingKey) -> Result<Option<Movie>> {
        Ok(self.metadata_item(rating_key).await?.map(Item::into_movie))
    }

    async fn items(&self, rating_keys: &[RatingKey]) -> Result<Vec<Movie>> {
        let items = self
            .metadata_batch(rating_keys, false, Item::is_movie)
            .await?;
        Ok(items.into_iter().map(Item::into_movie).collect())
    }

    async fn check_files(&self, rating_keys: &[RatingKey]) -> Result<Vec<Movie>> {
        let items = self
            .metadata_batch(rating_keys, true, Item::is_movie)
            .await?;
        Ok(items.into_iter().map(Item::into_movie).collect())
    }

    async fn shows(&self, section: &SectionKey) -> Result<Vec<Show>> {
        let items = self
            .paged(
                ops::SHOWS,
                &["library", "sections", section.as_str(), "all"],
                &[("type", TYPE_SHOW), ("includeGuids", "1")],
            )
            .await?;
        Ok(items
            .into_iter()
            .filter(|item| item.is(MediaKind::Show))
            .map(Item::into_show)
            .collect())
    }

    async fn show(&self, rating_key: &RatingKey) -> Result<Option<Show>> {
        let item = self.metadata_item(rating_key).await?;
        Ok(item
            .filter(|item| item.is(MediaKind::Show))
            .map(Item::into_show))
    }

    async fn shows_by_key(&self, rating_keys: &[RatingKey]) -> Result<Vec<Show>> {
        let items = self
            .metadata_batch(rating_keys, false, |item| item.is(MediaKind::Show))
            .await?;
        Ok(items.into_iter().map(Item::into_show).collect())
    }

    async fn episode(&self, rating_key: &RatingKey) -> Result<Option<Episode>> {
        let item = self.metadata_item(rating_key).await?;
        Ok(item.filter(Item::is_episode).map(Item::into_episode))
    }

    async fn episodes_by_key(&self, rating_keys: &[RatingKey]) -> Result<Vec<Episode>> {
        let items = self
            .metadata_batch(rating_keys, false, Item::is_episode)
            .await?;
        Ok(items.into_iter().map(Item::into_episode).collect())
    }

    async fn check_episode_files(&self, rating_keys: &[RatingKey]) -> Result<Vec<Episode>> {
        let items = self
            .metadata_batch(rating_keys, true, Item::is_episode)
            .await?;
        Ok(items.into_iter().map(Item::into_episode).collect())
    }

    async fn show_episodes(&self, show: &RatingKey) -> Result<Vec<Episode>> {
        self.episodes_of(
            ops::SHOW_EPISODES,
            &["library", "metadata", show.as_str(), "allLeaves"],
            &[],
        )
        .await
    }

    async fn section_episodes(&self, section: &SectionKey) -> Result<Vec<Episode>> {
        self.episodes_of(
            ops::SECTION_EPISODES,
            &["library", "sections", section.as_str(), "all"],
            &[("type", TYPE_EPISODE)],
        )
        .await
    }

    async fn delete_media(&self, rating_key: &RatingKey, media_id: MediaId) -> Result<()> {
        let media = media_id.to_string();
        let url = self.url(
            &["library", "metadata", rating_key.as_str(), "media", &media],
            &[],
        );
        self.delete_checked(ops::DELETE_MEDIA, url, rating_key, Some(media_id))
            .await
    }

    async fn delete_item(&self, rating_key: &RatingKey) -> Result<()> {
        let url = self.url(&["library", "metadata", rating_key.as_str()], &[]);
        self.delete_checked(ops::DELETE_ITEM, url, rating_key, None)
            .await
    }

    async fn collections(&self, section: &SectionKey) -> Result<Vec<Collection>> {
        let items = self
            .paged(
                ops::COLLECTIONS,
                &["library", "sections", section.as_str(), "all"],
                &[("type", TYPE_COLLECTION)],
            )
            .await?;
        Ok(items.into_iter().map(Item::into_collection).collect())
    }

    async fn create_collection(&self, section: &SectionKey, title: &str) -> Result<Collection> {
        self.create_collection_with_items(section, title, &[]).await
    }

    async fn create_collection_with_items(
        &self,
        section: &SectionKey,
        title: &str,
        items: &[RatingKey],
    ) -> Result<Collection> {
        self.create_collection_of(MediaKind::Movie, section, title, items)
            .await
    }

    #[tracing::instrument(skip_all, fields(op = ops::CREATE_COLLECTION, kind = kind.as_str(), n = items.len()))]
    async fn create_collection_of(
        &self,
        kind: MediaKind,
        section: &SectionKey,
        title: &str,
        items: &[RatingKey],
    ) -> Result<Collection> {
        let op = ops::CREATE_COLLECTION;
        let (first, rest) = items.split_at(items.len().min(MAX_KEYS_PER_ADD));
        let uri = self.collection_uri(first).await?;
        let search_type = kind.search_type().to_string();
        let url = self.url(
            &["library", "collections"],
            &[
                ("type", &search_type),
                ("title", title),
                ("smart", "0"),
                ("sectionId", section.as_str()),
                ("uri", &uri),
            ],
        );
        let raw = self
            .call(op, Safety::NotIdempotent, Method::POST, url, None)
            .await?;
        let answer: Envelope<MetadataContainer> = self.success(op, raw)?.json(op)?;
        let item = answer
            .container
            .metadata
            .into_iter()
            .next()
            .ok_or_else(|| Error::UnexpectedResponse {
                op,
                message: "the new collection was not in the answer".into(),
            })?;
        let collection = item.into_collection();
        if !rest.is_empty() {
            self.add_to_collection(&collection.rating_key, rest).await?;
        }
        Ok(collection)
    }

    #[tracing::instrument(skip_all, fields(op = ops::ADD_ITEMS, n = items.len()))]
    async fn add_to_collection(&self, collection: &RatingKey, items: &[RatingKey]) -> Result<()> {
        let op = ops::ADD_ITEMS;
        for chunk in items.chunks(MAX_KEYS_PER_ADD) {
            let uri = self.collection_uri(chunk).await?;
            let url = self.url(
                &["library", "collections", collection.as_str(), "items"],
                &[("uri", &uri)],
            );
            let raw = self
                .call(op, Safety::Idempotent, Method::PUT, url, None)
                .await?;
            self.success_or_missing(op, raw, || format!("collection {collection}"))?;
        }
        Ok(())
    }

    async fn remove_from_collection(&self, collection: &RatingKey, item: &RatingKey) -> Result<()> {
        let op = ops::REMOVE_ITEM;
        let url = self.url(
            &[
                "library",
                "collections",
                collection.as_str(),
                "items",
                item.as_str(),
            ],
            &[],
        );
        let raw = self
            .call(op, Safety::Idempotent, Method::DELETE, url, None)
            .await?;
        self.success_or_missing(op, raw, || {
            format!("item {item} in collection {collection}")
        })?;
        Ok(())
    }

    async fn collection_children(&self, collection: &RatingKey) -> Result<Vec<Movie>> {
        let items = self
            .paged(
                ops::COLLECTION_CHILDREN,
                &["library", "collections", collection.as_str(), "children"],
                &[("includeGuids", "1")],
            )
            .await?;
        Ok(items.into_iter().map(Item::into_movie).collect())
    }

    async fn collection_shows(&self, collection: &RatingKey) -> Result<Vec<Show>> {
        let items = self
            .paged(
                ops::COLLECTION_CHILDREN,
                &["library", "collections", collection.as_str(), "children"],
                &[("includeGuids", "1")],
            )
            .await?;
        Ok(items
            .into_iter()
            .filter(|item| item.is(MediaKind::Show))
            .map(Item::into_show)
            .collect())
    }

    async fn collection_items(&self, collection: &RatingKey) -> Result<Vec<CollectionItem>> {
        let items = self
            .paged(
                ops::COLLECTION_CHILDREN,
                &["library", "collections", collection.as_str(), "children"],
                &[],
            )
            .await?;
        Ok(items.into_iter().map(Item::into_collection_item).collect())
    }

    async fn thumbnail(&self, thumb: &str, width: u32, height: u32) -> Result<Option<ImageFile>> {
        let op = ops::THUMBNAIL;
        if !is_server_path(thumb) {
            return Err(Error::InvalidInput {
                op,
                message: "the thumbnail is not a path on the Plex server".into(),
            });
        }
        let (width, height) = (width.max(1).to_string(), height.max(1).to_string());
        // python-plexapi `transcodeImage`: url, height, width, minSize and
        // upscale as 0/1; the transcoder answers JPEG unless `format` says.
        let url = self.url(
            &["photo", ":", "transcode"],
            &[
                ("width", &width),
                ("height", &height),
                ("minSize", "1"),
                ("upscale", "1"),
                ("url", thumb),
            ],
        );
        let raw = self
            .http
            .send(op, Safety::Idempotent, |client| {
                client
                    .get(url.clone())
                    .header(ACCEPT, HeaderValue::from_static("image/*"))
            })
            .await?;
        if raw.status == StatusCode::UNAUTHORIZED {
            return Err(Error::Unauthorized { op });
        }
        if raw.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let raw = self.success(op, raw)?;
        let content_type = raw.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let length = raw.body.len();
        match ImageFile::from_answer(content_type, raw.body) {
            Some(image) => Ok(Some(image)),
            None => Err(Error::UnexpectedResponse {
                op,
                message: format!(
                    "the answer is not an image ({}, {length} bytes)",
                    content_type.unwrap_or("no type")
                ),
            }),
        }
    }

    async fn move_collection_item(
        &self,
        collection: &RatingKey,
        item: &RatingKey,
        after: Option<&RatingKey>,
    ) -> Result<()> {
        let op = ops::MOVE_ITEM;
        let query: Vec<(&str, &str)> = after.map(|a| ("after", a.as_str())).into_iter().collect();
        let url = self.url(
            &[
                "library",
                "collections",
                collection.as_str(),
                "items",
                item.as_str(),
                "move",
            ],
            &query,
        );
        let raw = self
            .call(op, Safety::Idempotent, Method::PUT, url, None)
            .await?;
        self.success_or_missing(op, raw, || {
            format!("item {item} in collection {collection}")
        })?;
        Ok(())
    }

    async fn set_collection_sort(
        &self,
        collection: &RatingKey,
        sort: CollectionSort,
    ) -> Result<()> {
        let op = ops::SET_COLLECTION_SORT;
        let code = sort.code().to_string();
        let url = self.url(
            &["library", "metadata", collection.as_str(), "prefs"],
            &[("collectionSort", &code)],
        );
        let raw = self
            .call(op, Safety::Idempotent, Method::PUT, url, None)
            .await?;
        self.success_or_missing(op, raw, || format!("collection {collection}"))?;
        Ok(())
    }

    async fn set_collection_summary(
        &self,
        section: &SectionKey,
        collection: &RatingKey,
        summary: &str,
    ) -> Result<()> {
        let op = ops::SET_COLLECTION_SUMMARY;
        let url = self.url(
            &["library", "sections", section.as_str(), "all"],
            &[
                ("type", TYPE_COLLECTION),
                ("id", collection.as_str()),
                ("summary.value", summary),
                ("summary.locked", "1"),
            ],
        );
        let raw = self
            .call(op, Safety::Idempotent, Method::PUT, url, None)
            .await?;
        self.success_or_missing(op, raw, || format!("collection {collection}"))?;
        Ok(())
    }

    async fn delete_collection(&self, collection: &RatingKey) -> Result<()> {
        let op = ops::DELETE_COLLECTION;
        let url = self.url(&["library", "collections", collection.as_str()], &[]);
        let raw = self
            .call(op, Safety::Idempotent, Method::DELETE, url, None)
            .await?;
        self.success_or_missing(op, raw, || format!("collection {collection}"))?;
        Ok(())
    }

    async fn upload_poster(&self, rating_key: &RatingKey, image: Vec<u8>) -> Result<()> {
        let op = ops::UPLOAD_POSTER;
        let content_type = if image.starts_with(b"\x89PNG") {
            "image/png"
        } else {
            "image/jpeg"
        };
        let url = self.url(
            &["library", "metadata", rating_key.as_str(), "posters"],
            &[],
        );
        // Uploading the same image again only selects it again: safe to retry.
        let raw = self
            .call(
                op,
                Safety::Idempotent,
                Method::POST,
                url,
                Some((content_type, &image)),
            )
            .await?;
        self.success_or_missing(op, raw, || format!("item {rating_key}"))?;
        Ok(())
    }

    async fn upload_image(
        &self,
        rating_key: &RatingKey,
        slot: ImageSlot,
        image: &Image,
    ) -> Result<()> {
        let op = match slot {
            ImageSlot::Poster => ops::UPLOAD_POSTER,
            ImageSlot::Background => ops::UPLOAD_ART,
        };
        let path = ["library", "metadata", rating_key.as_str(), slot.path()];
        let (url, body) = match image {
            Image::Bytes(bytes) => {
                let content_type = if bytes.starts_with(b"\x89PNG") {
                    "image/png"
                } else {
                    "image/jpeg"
                };
                (self.url(&path, &[]), Some((content_type, bytes.as_slice())))
            }
            Image::Url(source) => (self.url(&path, &[("url", source.as_str())]), None),
        };
        // Uploading the same image again only selects it again: safe to retry.
        let raw = self
            .call(op, Safety::Idempotent, Method::POST, url, body)
            .await?;
        self.success_or_missing(op, raw, || format!("item {rating_key}"))?;
        Ok(())
    }

    async fn managed_hubs(&self, section: &SectionKey) -> Result<Vec<ManagedHub>> {
        let op = ops::MANAGED_HUBS;
        let url = self.url(&["hubs", "sections", section.as_str(), "manage"], &[]);
        let raw = self.hub_call(op, Method::GET, url).await?;
        let answer: Envelope<HubContainer> = self
            .success_or_missing(op, raw, || format!("section {section}"))?
            .json(op)?;
        Ok(answer
            .container
            .hubs
            .into_iter()
            .map(HubEntry::into_hub)
            .collect())
    }

    async fn promote_collection_hub(
        &self,
        section: &SectionKey,
        collection: &RatingKey,
        visibility: HubVisibility,
    ) -> Result<()> {
        let op = ops::PROMOTE_HUB;
        let mut query = vec![("metadataItemId", collection.as_str())];
        query.extend(Self::visibility_query(visibility));
        let url = self.url(&["hubs", "sections", section.as_str(), "manage"], &query);
        let raw = self.hub_call(op, Method::POST, url).await?;
        self.success_or_missing(op, raw, || {
            format!("collection {collection} in section {section}")
        })?;
        Ok(())
    }

    async fn update_hub(
        &self,
        section: &SectionKey,
        identifier: &str,
        visibility: HubVisibility,
    ) -> Result<()> {
        let op = ops::UPDATE_HUB;
        let url = self.url(
            &["hubs", "sections", section.as_str(), "manage", identifier],
            &Self::visibility_query(visibility),
        );
        let raw = self.hub_call(op, Method::PUT, url).await?;
        self.success_or_missing(op, raw, || format!("hub {identifier}"))?;
        Ok(())
    }

    async fn move_hub(
        &self,
        section: &SectionKey,
        identifier: &str,
        after: Option<&str>,
    ) -> Result<()> {
        let op = ops::MOVE_HUB;
        let query: Vec<(&str, &str)> = after.map(|a| ("after", a)).into_iter().collect();
        let url = self.url(
            &[
                "hubs",
                "sections",
                section.as_str(),
                "manage",
                identifier,
                "move",
            ],
            &query,
        );
        let raw = self.hub_call(op, Method::PUT, url).await?;
        self.success_or_missing(op, raw, || format!("hub {identifier}"))?;
        Ok(())
    }

    async fn remove_hub(&self, section: &SectionKey, identifier: &str) -> Result<()> {
        let op = ops::REMOVE_HUB;
        let url = self.url(
            &["hubs", "sections", section.as_str(), "manage", identifier],
            &[],
        );
        let raw = self.hub_call(op, Method::DELETE, url).await?;
        self.success_or_missing(op, raw, || format!("hub {identifier}"))?;
        Ok(())
    }
}

/// The readable text of an error body: Plex's are small HTML pages.
fn body_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        "no reason given".to_owned()
    } else {
        text
    }
}

/// True for a path on the server (`/library/metadata/1/thumb/2`): not an
/// outside URL (which the transcoder would fetch), nothing a URL could not
/// carry as it is.
fn is_server_path(thumb: &str) -> bool {
    thumb.starts_with('/')
        && !thumb.starts_with("//")
        && !thumb.contains("://")
        && thumb.len() <= 1024
        && thumb.bytes().all(|b| b.is_ascii_graphic())
}

/// Percent-encodes a query component, leaving only RFC 3986 unreserved
/// characters as they are (spaces become `%20`, not `+`).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values_strictly() {
        assert_eq!(encode("Star Wars: A/B,c"), "Star%20Wars%3A%20A%2FB%2Cc");
        assert_eq!(encode("Amélie"), "Am%C3%A9lie");
        assert_eq!(encode("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn urls_keep_a_base_path() {
        let client = PlexClient::builder("https://example.org/plex/", "token")
            .build()
            .unwrap();
        let url = client.url(&["library", "sections"], &[("a", "b c")]);
        assert_eq!(
            url.as_str(),
            "https://example.org/plex/library/sections?a=b%20c"
        );
    }

    #[test]
    fn rejects_bad_configuration_without_echoing_it() {
        let cases = [
            ("ftp://example.org", "tok"),
            ("not a url", "tok"),
            ("http://example.org/?X-Plex-Token=abcdef", "tok"),
            ("http://example.org", "  "),
            ("http://example.org", "bad\ntoken"),
        ];
        for (url, token) in cases {
            let err = PlexClient::builder(url, token).build().unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, Error::Config(_)), "{url}: {text}");
            assert!(
                !text.contains("abcdef") && !text.contains("bad\ntoken"),
                "{text}"
            );
        }
    }
}
