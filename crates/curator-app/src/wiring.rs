//! The composition root: concrete clients built from the config, handed to
//! the core as trait objects. Nothing else builds a client.

use std::sync::Arc;

use curator_core::{Checkpoint, DataDir, Services};
use curator_http::{Breaker, RequestStats};
use llm_recs::LlmClient;
use plex_client::PlexClient;
use radarr_client::RadarrClient;
use seerr_client::SeerrClient;
use sonarr_client::SonarrClient;
use tmdb_client::{CachedTmdb, TmdbClient};

use crate::config::{
    Config, LlmConn, PlexConn, RadarrConn, SeerrConn, SonarrConn, Timeouts, TmdbConn,
};
use crate::error::Error;

/// The services of a run, the TMDb cache to save as it goes, and each
/// service's breaker (a service that failed in a way that will not change
/// within the run is not asked again).
#[derive(Debug)]
pub struct Wired {
    /// The clients, as the core takes them.
    pub services: Services,
    /// TMDb's file cache, when TMDb is configured.
    pub tmdb_cache: Option<Arc<CachedTmdb<TmdbClient>>>,
    /// Each service's breaker, by name.
    pub breakers: Vec<(&'static str, Breaker)>,
}

impl Wired {
    /// Saves the TMDb cache, if there is one and it changed. A failure is
    /// only worth a warning: the cache is a cache.
    pub async fn save_cache(&self) {
        if let Some(cache) = &self.tmdb_cache
            && let Err(error) = cache.save().await
        {
            tracing::warn!(error = %format!("{error:#}"), "could not save the TMDb cache");
        }
    }

    /// Saves the TMDb cache after each step (see [`Wired::save_cache`]).
    pub fn checkpoint(&self) -> Option<Arc<dyn Checkpoint>> {
        let cache = self.tmdb_cache.clone()?;
        Some(Arc::new(SaveCache(cache)))
    }

    /// The services that were marked down during the run, with the first
    /// error of each, in words.
    pub fn down(&self) -> Vec<(&'static str, String)> {
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

fn built<T, E: std::fmt::Display>(service: &str, result: Result<T, E>) -> Result<T, Error> {
    result.map_err(|e| Error::Fatal(format!("cannot set up {service}: {e}")))
}

/// Plex answers 403 when it refuses one deletion (the server does not
/// allow media deletion), and goes on working for everything else, so a
/// 403 does not mark it down.
pub fn plex_breaker() -> Breaker {
    Breaker::new().forbidden_is_down(false)
}

/// The file in the data directory that holds this installation's
/// `X-Plex-Client-Identifier`.
pub const PLEX_CLIENT_ID_FILE: &str = "plex-client-id";

/// This installation's `X-Plex-Client-Identifier`: made once, at random,
/// and kept in the data directory. Plex lists devices by it, so every
/// installation needs its own, and the same one on every run. Only a run
/// that may write (`keep`: not a dry run, holding the lock) stores a new
/// one; otherwise a missing one is made for this run alone.
///
/// # Errors
/// The file cannot be read or written, or holds something a header cannot
/// carry.
pub fn plex_client_identifier(data: &DataDir, keep: bool) -> Result<String, Error> {
    let path = data.path(PLEX_CLIENT_ID_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let id = text.trim();
            if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::Fatal(format!(
                    "{} does not hold a usable Plex client identifier; delete the file and \
                     curator makes a new one (Plex then lists curator as a new device)",
                    path.display()
                )));
            }
            Ok(id.to_owned())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let id = format!("curator-{:032x}", rand::random::<u128>());
            if !keep {
                return Ok(id);
            }
            curator_core::write_atomic(&path, format!("{id}\n").as_bytes()).map_err(|e| {
                Error::Fatal(format!(
                    "cannot write the Plex client identifier to {}: {e}",
                    path.display()
                ))
            })?;
            tracing::info!(file = %path.display(), "made this installation's Plex client identifier");
            Ok(id)
        }
        Err(e) => Err(Error::Fatal(format!(
            "cannot read the Plex client identifier from {}: {e}",
            path.display()
        ))),
    }
}

/// A Plex client from the config's connection details (for checks: no
/// request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn plex(
    conn: &PlexConn,
    t: &Timeouts,
    client_id: &str,
    breaker: Option<Breaker>,
) -> Result<PlexClient, Error> {
    plex_counted(conn, t, client_id, breaker, None)
}

fn plex_counted(
    conn: &PlexConn,
    t: &Timeouts,
    client_id: &str,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<PlexClient, Error> {
    let mut builder = PlexClient::builder(conn.url.clone(), conn.token.clone())
        .client_identifier(client_id)
        .version(env!("CARGO_PKG_VERSION"))
        .connect_timeout(t.connect)
        .request_timeout(t.request);
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
    }
    built("Plex", builder.build())
}

/// A Radarr client from the config's connection details (for checks: no
/// request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn radarr(
    conn: &RadarrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<RadarrClient, Error> {
    radarr_counted(conn, t, breaker, None)
}

fn radarr_counted(
    conn: &RadarrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<RadarrClient, Error> {
    let mut builder = RadarrClient::builder(conn.url.clone(), conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .movie_list_timeout(t.radarr_movies)
        .user_agent(user_agent());
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
    }
    built("Radarr", builder.build())
}

/// A Sonarr client from the config's connection details (for checks: no
/// request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn sonarr(
    conn: &SonarrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<SonarrClient, Error> {
    sonarr_counted(conn, t, breaker, None)
}

fn sonarr_counted(
    conn: &SonarrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<SonarrClient, Error> {
    let mut builder = SonarrClient::builder(conn.url.clone(), conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .series_list_timeout(t.sonarr_series)
        .user_agent(user_agent());
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
    }
    built("Sonarr", builder.build())
}

/// An Overseerr or Jellyseerr client from the config's connection details
/// (for checks: no request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn seerr(
    conn: &SeerrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
) -> Result<SeerrClient, Error> {
    seerr_counted(conn, t, breaker, None)
}

fn seerr_counted(
    conn: &SeerrConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<SeerrClient, Error> {
    let mut builder = SeerrClient::builder(conn.url.clone(), conn.api_key.clone())
        .connect_timeout(t.connect)
        .request_timeout(t.request)
        .user_agent(user_agent());
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
    }
    built("Seerr", builder.build())
}

/// A TMDb client from the config's connection details (for checks: no
/// request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn tmdb(conn: &TmdbConn, t: &Timeouts, breaker: Option<Breaker>) -> Result<TmdbClient, Error> {
    tmdb_counted(conn, t, breaker, None)
}

fn tmdb_counted(
    conn: &TmdbConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<TmdbClient, Error> {
    let mut builder = TmdbClient::builder()
        .base_url(conn.base_url.clone())
        .image_base_url(conn.image_base_url.clone())
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
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
    }
    built("TMDb", builder.build())
}

/// An LLM client from the config's connection details (for checks: no
/// request counting).
///
/// # Errors
/// [`Error::Fatal`] when the client cannot be built.
pub fn llm(conn: &LlmConn, t: &Timeouts, breaker: Option<Breaker>) -> Result<LlmClient, Error> {
    llm_counted(conn, t, breaker, None)
}

fn llm_counted(
    conn: &LlmConn,
    t: &Timeouts,
    breaker: Option<Breaker>,
    stats: Option<&RequestStats>,
) -> Result<LlmClient, Error> {
    let mut builder = LlmClient::builder(conn.base_url.clone(), conn.model.clone())
        .api_key_opt(conn.api_key.clone())
        .connect_timeout(t.connect)
        .timeout(t.llm);
    if let Some(breaker) = breaker {
        builder = builder.breaker(breaker);
    }
    if let Some(stats) = stats {
        builder = builder.stats(stats.clone());
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
pub fn services(config: &Config, data: &DataDir) -> Result<Wired, Error> {
    services_counted(config, data, None)
}

/// As [`services`], every client counting its requests in `stats`
/// (`curator serve`'s `/metrics`).
///
/// # Errors
/// As [`services`].
pub fn services_counted(
    config: &Config,
    data: &DataDir,
    stats: Option<&RequestStats>,
) -> Result<Wired, Error> {
    let t = &config.timeouts;
    let mut services = Services::default();
    let mut breakers = Vec::new();
    let mut breaker = |name: &'static str, breaker: Breaker| {
        breakers.push((name, breaker.clone()));
        Some(breaker)
    };
    if let Some(conn) = &config.plex {
        let id = plex_client_identifier(data, false)?;
        services.plex = Some(Arc::new(plex_counted(
            conn,
            t,
            &id,
            breaker("Plex", plex_breaker()),
            stats,
        )?));
    }
    if let Some(conn) = &config.radarr {
        services.radarr = Some(Arc::new(radarr_counted(
            conn,
            t,
            breaker("Radarr", Breaker::new()),
            stats,
        )?));
    }
    if let Some(conn) = &config.sonarr {
        services.sonarr = Some(Arc::new(sonarr_counted(
            conn,
            t,
            breaker("Sonarr", Breaker::new()),
            stats,
        )?));
    }
    if let Some(conn) = &config.seerr {
        services.seerr = Some(Arc::new(seerr_counted(
            conn,
            t,
            breaker("Seerr", Breaker::new()),
            stats,
        )?));
    }
    let mut tmdb_cache = None;
    if let Some(conn) = &config.tmdb {
        let client = tmdb_counted(conn, t, breaker("TMDb", Breaker::new()), stats)?;
        let cache = Arc::new(CachedTmdb::open(client, data.tmdb_cache_path()));
        services.tmdb = Some(cache.clone());
        // The same cache serves the show steps (its TV keys are its own).
        services.tmdb_tv = Some(cache.clone());
        tmdb_cache = Some(cache);
    }
    if let Some(conn) = &config.llm {
        services.llm = Some(Arc::new(llm_counted(
            conn,
            t,
            breaker("LLM", Breaker::new()),
            stats,
        )?));
    }
    Ok(Wired {
        services,
        tmdb_cache,
        breakers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plex_client_identifier_is_made_once_per_installation() {
        let one = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        // A dry run does not store one.
        let passing = plex_client_identifier(&DataDir::new(one.path()), false).unwrap();
        assert!(!one.path().join(PLEX_CLIENT_ID_FILE).exists());
        let first = plex_client_identifier(&DataDir::new(one.path()), true).unwrap();
        assert_ne!(passing, first);
        assert!(first.starts_with("curator-") && first.len() > 20, "{first}");
        // Kept: the next run sends the same one.
        for keep in [true, false] {
            let again = plex_client_identifier(&DataDir::new(one.path()), keep).unwrap();
            assert_eq!(again, first);
        }
        let stored = std::fs::read_to_string(one.path().join(PLEX_CLIENT_ID_FILE)).unwrap();
        assert_eq!(stored.trim(), first);
        // Another installation gets its own.
        let second = plex_client_identifier(&DataDir::new(other.path()), true).unwrap();
        assert_ne!(first, second);
    }

    #[test]
    fn a_damaged_identifier_file_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PLEX_CLIENT_ID_FILE), "two words\n").unwrap();
        let Err(Error::Fatal(message)) = plex_client_identifier(&DataDir::new(dir.path()), true)
        else {
            panic!("expected a failure");
        };
        assert!(message.contains("delete the file"), "{message}");
        // A hand-written one is kept as it is.
        std::fs::write(dir.path().join(PLEX_CLIENT_ID_FILE), "my-own-id\n").unwrap();
        let id = plex_client_identifier(&DataDir::new(dir.path()), true).unwrap();
        assert_eq!(id, "my-own-id");
    }
}
