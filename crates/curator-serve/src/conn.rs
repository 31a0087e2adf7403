//! Connections: accepted up to a limit, each served by hyper with a
//! header read timeout (which also closes a kept-alive connection left
//! idle), watched so a stop can close them with a deadline.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// What a connection may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// For a request's header (from the first byte, or from the end of
    /// the last answer on a kept-alive connection, so also the idle
    /// timeout).
    pub(crate) read_timeout: Duration,
    /// Connections served at once; one more is closed at once.
    pub(crate) max_connections: usize,
}

/// Accepts connections and serves `app` on each, until dropped. Every
/// connection is watched by `graceful`.
pub(crate) async fn accept(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    graceful: &GracefulShutdown,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: the listener is
                // fine, the moment is not.
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(
                limit = limits.max_connections,
                "too many connections; closing a new one"
            );
            drop(stream);
            continue;
        };
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.read_timeout);
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        // Long polls (`?wait=`) are answered by the queue's close.
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(error) = conn.await {
                tracing::debug!(%error, "a connection ended");
            }
            drop(slot);
        });
    }
}
