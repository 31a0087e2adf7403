//! The composition root: concrete clients built from the config, handed to
//! the core as trait objects.

use std::sync::Arc;

use curator_core::{Checkpoint, DataDir, Services};
use curator_http::Breaker;
use llm_recs::LlmClient;
use plex_client::PlexClient;
use radarr_client::RadarrClient;
use tmdb_client::{CachedTmdb, TmdbClient};

use crate::config::{Config, LlmConn, PlexConn, RadarrConn, Timeouts, TmdbConn};
use crate::error::Failure;

/// The services of a run, the TMDb cache to save as it goes, and each
/// service's breaker (a service that failed in a way that will not change
/// within the run is not asked again).
#[derive(Debug)]
pub(crate) struct Wired {
    pub(crate) services: Services,
    pub(crate) tmdb_cache: Option<Arc<CachedTmdb<TmdbClient>>>,
    pub(crate) breakers: Vec<(&'static str, Breaker)>,
}

impl Wired {
    /// Saves the TMDb cache, if there is one and it changed. A failure is
    /// only worth a warning: the cache is a cache.
    pub(crate) async fn save_cache(&self) {
        if let Some(cache) = &self.tmdb_cache
            && let Err(error) = cache.save().await
        {
            tracing::warn!(error = %format!("{error:#}"), "could not save the TMDb cache");
        }
    }

    /// Saves the TMDb cache after each step (see [`Wired::save_cache`]).
    pub(crate) fn checkpoint(&self) -> Option<Arc<dyn Checkpoint>> {
        let cache = self.tmdb_cache.clone()?;
        Some(Arc::new(SaveCache(cache)))
    }

    /// The services that were marked down during the run, with the first
    /// error of each, in words.
    pub(crate) fn down(&self) -> Vec<(&'static str, String)> {
        self.breakers
            .iter()
            .filter_map(|(name, b)| b.down().map(|first| (*name, first.to_string())))
            .collect()
    }
}

/// Saves the TMDb cache as the run goes, so a killed run keeps what it
/// learned (each save replaces the file atomically).
struct SaveCache(Arc<CachedTmdb<TmdbClient>>);

#[async_trait::async_trait]
impl Checkpoint for SaveCache {
    async fn step_done(&self) {
        if let Err(error) = self.0.save().await {
            tracing::warn!(error = %format!("{error:#}"), "could not save the TMDb cache");
        }
    }
}

fn user_agent() -> String {
    format!("curator/{}", env!("CARGO_PKG_VERSION"))
}

fn built<T, E: std::fmt::Display>(service: &str, result: Result<T, E>) -> Result<T, Failure> {
    result.map_err(|e| Failure::Fatal(format!("cannot set up {service}: {e}")))
}

/// Plex answers 403 when it refuses one deletion (the server does not
/// allow media deletion), and goes on working for everything else, so a
/// 403 does not mark it down.
pub(crate) fn plex_breaker() -> Breaker {
    Breaker::new().forbidden_is_down(false)
}

pub(crate) fn plex(
    conn: &PlexConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<PlexClient, Failure> {
    let mut builder = PlexClient::builder(conn.url.clone(), conn.token.clone())
        .client_identifier("curator")
        .version(env!("CARGO_PKG_VERSION"))
        .connect_timeout(t.connect)
        .request_timeout(t.request);
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    built("Plex", builder.build())
}

pub(crate) fn radarr(
    conn: &RadarrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<RadarrClient, Failure> {
    let mut builder = RadarrClient::builder(conn.url.clone(), conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .movie_list_timeout(t.radarr_movies)
        .user_agent(user_agent());
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    built("Radarr", builder.build())
}

pub(crate) fn tmdb(
    conn: &TmdbConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<TmdbClient, Failure> {
    let mut builder = TmdbClient::builder()
        .base_url(conn.base_url.clone())
        .credential(conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .user_agent(user_agent());
    if let Some(rate) = conn.requests_per_second {
        builder = builder.rate_limit(rate);
    }
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    built("TMDb", builder.build())
}

pub(crate) fn llm(
    conn: &LlmConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<LlmClient, Failure> {
    let mut builder = LlmClient::builder(conn.base_url.clone(), conn.model.clone())
        .api_key_opt(conn.api_key.clone())
        .connect_timeout(t.connect)
        .timeout(t.llm);
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(temperature) = conn.temperature {
        builder = builder.temperature(temperature);
    }
    if let Some(mode) = conn.structured_output {
        builder = builder.structured_output(mode);
    }
    if let Some(effort) = &conn.reasoning_effort {
        builder = builder.reasoning_effort(effort.clone());
    }
    built("the LLM", builder.build())
}

/// Builds every configured service, each with a breaker of its own. TMDb is
/// wrapped in its file cache in the data directory.
///
/// # Errors
/// A client that cannot be built (an unusable URL, for example).
pub(crate) fn services(config: &Config, data: &DataDir) -> Result<Wired, Failure> {
    let t = &config.timeouts;
    let mut services = Services::default();
    let mut breakers = Vec::new();
    let mut breaker = |name: &'static str, breaker: Breaker| {
        breakers.push((name, breaker.clone()));
        Some(breaker)
    };
    if let Some(conn) = &config.plex {
        services.plex = Some(Arc::new(plex(conn, t, breaker("Plex", plex_breaker()))?));
    }
    if let Some(conn) = &config.radarr {
        services.radarr = Some(Arc::new(radarr(
            conn,
            t,
            breaker("Radarr", Breaker::new()),
        )?));
    }
    let mut tmdb_cache = None;
    if let Some(conn) = &config.tmdb {
        let client = tmdb(conn, t, breaker("TMDb", Breaker::new()))?;
        let cache = Arc::new(CachedTmdb::open(client, data.tmdb_cache_path()));
        services.tmdb = Some(cache.clone());
        tmdb_cache = Some(cache);
    }
    if let Some(conn) = &config.llm {
        services.llm = Some(Arc::new(llm(conn, t, breaker("LLM", Breaker::new()))?));
    }
    Ok(Wired {
        services,
        tmdb_cache,
        breakers,
    })
}
