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
}
