//! `curator serve`: a long-running service. Webhooks (Plex, Tautulli) and
//! API calls become jobs in a durable queue in the data directory; one
//! worker runs them, one at a time, through the same run path as the CLI;
//! cron schedules add the nightly jobs; a server-rendered page shows what
//! happened.

pub(crate) mod config;
mod hooks;
mod http;
mod metrics;
mod page;
pub(crate) mod queue;
mod schedule;
mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use curator_core::DataDir;
use curator_http::Secret;
use tokio::sync::watch;

pub(crate) use self::config::ServeSettings;
use self::metrics::Metrics;
use self::queue::{JobSpec, Queue};
use self::worker::Worker;
use crate::cli::{Global, ServeArgs};
use crate::commands::{load_config, printer};
use crate::config::Config;
use crate::error::{Done, Failure};
use crate::output::Printer;

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) queue: Arc<Queue>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) token: Option<Secret>,
    pub(crate) config: Arc<Config>,
    pub(crate) data: DataDir,
    pub(crate) schedules: Arc<schedule::Board>,
    pub(crate) status: Arc<page::ServiceStatus>,
    /// True for `curator demo --serve`.
    pub(crate) demo: bool,
}

/// A server to start.
#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) config: Config,
    pub(crate) data: DataDir,
    pub(crate) listen: String,
    pub(crate) printer: Printer,
    /// Jobs to queue once listening (the demo's first run).
    pub(crate) on_start: Vec<(JobSpec, String)>,
    /// Lines to print under the address.
    pub(crate) banner: Vec<String>,
    pub(crate) demo: bool,
}

/// Runs `curator serve`.
///
/// # Errors
/// A bad config, an address that cannot be used, no token where one is
/// needed, a queue folder that cannot be created.
pub(crate) async fn serve(global: &Global, args: &ServeArgs) -> Result<Done, Failure> {
    let mut config = load_config(global)?;
    // `curator --dry-run serve`: every job only plans.
    config.settings.dry_run = global.dry_run;
    let listen = args
        .listen
        .clone()
        .or_else(|| config.serve.listen.clone())
        .unwrap_or_else(|| config::DEFAULT_LISTEN.to_owned());
    let data = config.data_dir(global.data_dir());
    run(Server {
        config,
        data,
        listen,
        printer: printer(global),
        on_start: Vec::new(),
        banner: Vec::new(),
        demo: false,
    })
    .await
}

/// Reads `HOST:PORT` (an IP address, or `localhost`).
async fn listen_addr(listen: &str) -> Result<SocketAddr, Failure> {
    if let Ok(addr) = listen.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let usage = || {
        Failure::Usage(format!(
            "{listen:?} is not an address to listen on; use HOST:PORT, like 127.0.0.1:7979 or 0.0.0.0:7979"
        ))
    };
    if !listen.contains(':') {
        return Err(usage());
    }
    let mut found = tokio::net::lookup_host(listen).await.map_err(|_| usage())?;
    found.next().ok_or_else(usage)
}

/// Starts the server and runs until SIGTERM or Ctrl-C.
///
/// # Errors
/// As [`serve`].
pub(crate) async fn run(server: Server) -> Result<Done, Failure> {
    let Server {
        config,
        data,
        listen,
        printer,
        on_start,
        banner,
        demo,
    } = server;
    let addr = listen_addr(&listen).await?;
    let token = config.serve.token.clone();
    if token.is_none() && !addr.ip().is_loopback() {
        return Err(Failure::Fatal(format!(
            "refusing to listen on {addr} without a token: anyone who reaches it could start runs\n  \
             fix: set serve.token in the config or $CURATOR_SERVE_TOKEN to a long random value, \
             or listen on 127.0.0.1 only"
        )));
    }
    let queue = Arc::new(
        Queue::open(data.root(), config.serve.coalesce)
            .map_err(|e| Failure::Fatal(format!("cannot open the job queue: {e}")))?,
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Fatal(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Fatal(format!("cannot listen on {addr}: {e}")))?;
    let config = Arc::new(config);
    let metrics = Arc::new(Metrics::default());
    let board = Arc::new(schedule::Board::new(&config.serve.schedules));
    let status = Arc::new(page::ServiceStatus::default());
    let shared = Arc::new(Shared {
        queue: queue.clone(),
        metrics: metrics.clone(),
        token,
        config: config.clone(),
        data: data.clone(),
        schedules: board.clone(),
        status: status.clone(),
        demo,
    });

    let shown = if local.ip().is_unspecified() {
        format!("http://<this machine>:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    printer.line(format!(
        "curator {} serving on {shown} (data in {})",
        env!("CARGO_PKG_VERSION"),
        data.root().display()
    ));
    for line in &banner {
        printer.line(format!("  {line}"));
    }
    for schedule in &config.serve.schedules {
        printer.line(format!(
            "  schedule: {} at \"{}\"",
            schedule.job.name(),
            schedule.cron.pattern
        ));
    }
    for (spec, from) in on_start {
        let accepted = queue
            .push(spec, from.clone())
            .map_err(|e| Failure::Fatal(format!("cannot queue a job: {e}")))?;
        printer.line(format!("  {from} run queued as job {}", accepted.id));
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = Worker {
        config: config.clone(),
        data,
        queue: queue.clone(),
        metrics,
        printer,
        requests: shared.metrics.requests.clone(),
    };
    let scheduler = tokio::spawn(schedule::run(board, queue.clone()));
    let checker = tokio::spawn(page::check_services(
        config.clone(),
        shared.data.clone(),
        status,
    ));

    let app = http::router(shared);
    let closing = queue.clone();
    let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
        stopped().await;
        // Callers waiting on a job (`?wait=`) get their answer now.
        closing.close();
    });
    // The worker runs on this task beside the server (a run's future is
    // not `Send`, so it is not spawned); each connection has its own task.
    let work = worker.run_until(stop_rx);
    tokio::pin!(work);
    let served = tokio::select! {
        served = serving => served,
        () = &mut work => Ok(()),
    };
    scheduler.abort();
    checker.abort();
    let _ = stop_tx.send(true);
    drain(work, &queue, config.serve.shutdown_grace, printer).await;
    served.map_err(|e| Failure::Fatal(format!("the server stopped: {e}")))?;
    Ok(Done::Ok)
}

/// Lets the running job finish, up to `grace`; a job cut off runs again on
/// the next start.
async fn drain(
    worker: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    queue: &Queue,
    grace: Duration,
    printer: Printer,
) {
    let running = queue.snapshot().running;
    if let Some((job, _)) = &running {
        printer.line(format!(
            "stopping: letting {} finish (up to {}s)",
            job.spec.label(),
            grace.as_secs()
        ));
    }
    // Dropping the worker's future after the limit ends the job where it is.
    if tokio::time::timeout(grace, worker).await.is_err() {
        printer.line(
            "stopped before the running job finished; it runs again when curator serve starts",
        );
    } else {
        printer.line("stopped");
    }
}

/// Resolves on SIGTERM (how containers are stopped) or Ctrl-C.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop with Ctrl-C");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
