//! What the handlers share.

use std::sync::Arc;

use curator_app::Config;
use curator_core::DataDir;
use curator_http::Secret;

use crate::metrics::Metrics;
use crate::queue::Queue;
use crate::schedule::Board;
use crate::status::ServiceStatus;

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) queue: Arc<Queue>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) token: Option<Secret>,
    pub(crate) config: Arc<Config>,
    pub(crate) data: DataDir,
    pub(crate) schedules: Arc<Board>,
    pub(crate) status: Arc<ServiceStatus>,
    /// True for `curator demo --serve`.
    pub(crate) demo: bool,
    /// The page forms' CSRF token: random, new at every start.
    pub(crate) csrf: Secret,
    /// The host name in the listen address, when it is a name.
    pub(crate) listen_host: Option<String>,
    /// The configured Plex server's machine identifier, read once.
    pub(crate) plex_server: tokio::sync::OnceCell<String>,
}

impl Shared {
    /// Whose plays and which library the webhooks act on.
    pub(crate) fn rules(&self) -> crate::hooks::Rules<'_> {
        crate::hooks::Rules {
            library: &self.config.settings.movie_library,
            tv_library: self
                .config
                .settings
                .tv
                .as_ref()
                .map(|tv| tv.library.as_str()),
            users: &self.config.serve.users,
        }
    }

    /// The configured Plex server's machine identifier (`GET /identity`),
    /// asked once; a failure is asked again next time.
    ///
    /// # Errors
    /// Plex is not configured or cannot be read, as a readable reason.
    pub(crate) async fn plex_server(&self) -> Result<&str, String> {
        self.plex_server
            .get_or_try_init(|| async {
                let Some(conn) = &self.config.plex else {
                    return Err("Plex is not configured".to_owned());
                };
                let client = curator_app::plex_client_identifier(&self.data, false)
                    .and_then(|id| curator_app::plex(conn, &self.config.timeouts, &id, None))
                    .map_err(|e| e.to_string())?;
                plex_client::PlexApi::identity(&client)
                    .await
                    .map(|found| found.machine_identifier)
                    .map_err(|e| e.to_string())
            })
            .await
            .map(String::as_str)
    }
}
