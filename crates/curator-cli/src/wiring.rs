//! The composition root: concrete clients built from the config, handed to
//! the core as trait objects.

use std::sync::Arc;

use curator_core::{DataDir, Services, TMDB_CACHE_FILE};
use llm_recs::LlmClient;
use plex_client::PlexClient;
use radarr_client::RadarrClient;
use tmdb_client::{CachedTmdb, TmdbClient};

use crate::config::{Config, LlmConn, PlexConn, RadarrConn, Timeouts, TmdbConn};
use crate::error::Failure;

/// The services of a run, and the TMDb cache to save at its end.
#[derive(Debug)]
pub(crate) struct Wired {
    pub(crate) services: Services,
    pub(crate) tmdb_cache: Option<Arc<CachedTmdb<TmdbClient>>>,
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
}

fn user_agent() -> String {
    format!("curator/{}", env!("CARGO_PKG_VERSION"))
}

fn built<T, E: std::fmt::Display>(service: &str, result: Result<T, E>) -> Result<T, Failure> {
    result.map_err(|e| Failure::Fatal(format!("cannot set up {service}: {e}")))
}

pub(crate) fn plex(conn: &PlexConn, t: &Timeouts) -> Result<PlexClient, Failure> {
    built(
        "Plex",
        PlexClient::builder(conn.url.clone(), conn.token.clone())
            .client_identifier("curator")
            .version(env!("CARGO_PKG_VERSION"))
            .connect_timeout(t.connect)
            .request_timeout(t.request)
            .build(),
    )
}

pub(crate) fn radarr(conn: &RadarrConn, t: &Timeouts) -> Result<RadarrClient, Failure> {
    built(
        "Radarr",
        RadarrClient::builder(conn.url.clone(), conn.api_key.clone())
            .connect_timeout(t.connect)
            .request_timeout(t.request)
            .user_agent(user_agent())
            .build(),
    )
}

pub(crate) fn tmdb(conn: &TmdbConn, t: &Timeouts) -> Result<TmdbClient, Failure> {
    let mut builder = TmdbClient::builder()
        .base_url(conn.base_url.clone())
        .credential(conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .user_agent(user_agent());
    if let Some(rate) = conn.requests_per_second {
        builder = builder.rate_limit(rate);
    }
    built("TMDb", builder.build())
}

pub(crate) fn llm(conn: &LlmConn, t: &Timeouts) -> Result<LlmClient, Failure> {
    let mut builder = LlmClient::builder(conn.base_url.clone(), conn.model.clone())
        .api_key_opt(conn.api_key.clone())
        .connect_timeout(t.connect)
        .timeout(t.llm);
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

/// Builds every configured service. TMDb is wrapped in its file cache in
/// the data directory.
///
/// # Errors
/// A client that cannot be built (an unusable URL, for example).
pub(crate) fn services(config: &Config, data: &DataDir) -> Result<Wired, Failure> {
    let t = &config.timeouts;
    let mut services = Services::default();
    if let Some(conn) = &config.plex {
        services.plex = Some(Arc::new(plex(conn, t)?));
    }
    if let Some(conn) = &config.radarr {
        services.radarr = Some(Arc::new(radarr(conn, t)?));
    }
    let mut tmdb_cache = None;
    if let Some(conn) = &config.tmdb {
        let cache = Arc::new(CachedTmdb::open(tmdb(conn, t)?, data.path(TMDB_CACHE_FILE)));
        services.tmdb = Some(cache.clone());
        tmdb_cache = Some(cache);
    }
    if let Some(conn) = &config.llm {
        services.llm = Some(Arc::new(llm(conn, t)?));
    }
    Ok(Wired {
        services,
        tmdb_cache,
    })
}
