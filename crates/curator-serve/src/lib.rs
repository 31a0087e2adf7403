//! curator as a service (`curator serve`): webhooks (Plex, Tautulli) and
//! API calls become jobs in a durable queue in the data directory; one
//! worker runs them, one at a time, through the same run path as the CLI
//! ([`curator_app::execute`]); cron schedules add the nightly jobs; a
//! server-rendered page shows what happened; `/metrics` counts it all.
//!
//! The binary only starts it: [`run`] with a [`Server`]. Its words (the
//! address, each job's progress) go to the [`Output`] it is given.
//!
//! ```no_run
//! # async fn example(out: std::sync::Arc<dyn curator_app::Output>) -> Result<(), curator_app::Error> {
//! let config = curator_app::load_config(None, &curator_app::ProcessEnv)?;
//! let data = config.data_dir("/var/lib/curator".into());
//! curator_serve::run(curator_serve::Server {
//!     config,
//!     data,
//!     listen: curator_serve::DEFAULT_LISTEN.to_owned(),
//!     out,
//!     on_start: Vec::new(),
//!     banner: Vec::new(),
//!     demo: false,
//! })
//! .await
//! # }
//! ```
#![deny(missing_docs)]

mod book;
mod conn;
mod hooks;
mod html;
mod http;
mod metrics;
mod page;
mod poster_store;
mod posters;
mod queue;
mod schedule;
mod shared;
mod shelf;
mod status;
mod worker;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use curator_app::DEFAULT_LISTEN;
use curator_app::{Config, Error, Output};
use curator_core::DataDir;
use curator_http::Secret;
use tokio::sync::watch;

use crate::metrics::Metrics;
pub use crate::queue::JobSpec;
use crate::queue::Queue;
use crate::shared::Shared;
use crate::status::ServiceStatus;
use crate::worker::Worker;

/// A server to start.
pub struct Server {
    /// The config; `settings.dry_run` makes every job only plan.
    pub config: Config,
    /// The data directory (state, the queue).
    pub data: DataDir,
    /// `HOST:PORT` (an IP address, or `localhost`).
    pub listen: String,
    /// Where the address, each job's progress and the stop go.
    pub out: Arc<dyn Output>,
    /// Jobs to queue once listening (the demo's first run), each with
    /// where it came from.
    pub on_start: Vec<(JobSpec, String)>,
    /// Lines to show under the address.
    pub banner: Vec<String>,
    /// True for `curator demo --serve` (the page says so).
    pub demo: bool,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("config", &self.config)
            .field("data", &self.data)
            .field("listen", &self.listen)
            .field("on_start", &self.on_start)
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// Reads `HOST:PORT` (an IP address, or `localhost`).
async fn listen_addr(listen: &str) -> Result<SocketAddr, Error> {
    if let Ok(addr) = listen.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let usage = || {
        Error::Usage(format!(
            "{listen:?} is not an address to listen on; use HOST:PORT, like 127.0.0.1:7979 or 0.0.0.0:7979"
        ))
    };
    if !listen.contains(':') {
        return Err(usage());
    }
    let mut found = tokio::net::lookup_host(listen).await.map_err(|_| usage())?;
    found.next().ok_or_else(usage)
}

/// Asks a running server's `/healthz` on `listen` (an unspecified address
/// such as `0.0.0.0` is asked on loopback), as a container's health check
/// does, within `limit`.
///
/// # Errors
/// A readable reason: the address is unusable, nothing answers, or the
/// answer is not `200 ok`.
pub async fn probe(listen: &str, limit: Duration) -> Result<(), Error> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut addr = listen_addr(listen).await?;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let fail = |why: String| Error::Fatal(format!("http://{addr}/healthz: {why}"));
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| fail(format!("cannot connect: {e}")))?;
        let host = match addr {
            SocketAddr::V4(v4) => v4.to_string(),
            SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        };
        stream
            .write_all(
                format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .await
            .map_err(|e| fail(format!("cannot ask: {e}")))?;
        let mut answer = Vec::new();
        stream
            .take(64 * 1024)
            .read_to_end(&mut answer)
            .await
            .map_err(|e| fail(format!("no answer: {e}")))?;
        let answer = String::from_utf8_lossy(&answer);
        let status = answer.lines().next().unwrap_or_default().to_owned();
        if status.split(' ').nth(1) == Some("200") && answer.ends_with("ok\n") {
            Ok(())
        } else {
            Err(fail(format!("answered {status:?}")))
        }
    };
    tokio::time::timeout(limit, ask)
        .await
        .map_err(|_| fail(format!("no answer within {}s", limit.as_secs())))?
}

/// Starts the server and runs until SIGTERM or Ctrl-C.
///
/// # Errors
/// [`Error::Usage`] for an address that cannot be used; [`Error::Fatal`]
/// for no token where one is needed, a queue folder that cannot be
/// created, an address already in use, or a server that stopped on an
/// error.
pub async fn run(server: Server) -> Result<(), Error> {
    let Server {
        config,
        data,
        listen,
        out,
        on_start,
        banner,
        demo,
    } = server;
    let addr = listen_addr(&listen).await?;
    let token = config.serve.token.clone();
    if token.is_none() && !addr.ip().is_loopback() {
        return Err(Error::Fatal(format!(
            "refusing to listen on {addr} without a token: anyone who reaches it could start runs\n  \
             fix: set serve.token in the config or $CURATOR_SERVE_TOKEN to a long random value, \
             or listen on 127.0.0.1 only"
        )));
    }
    let queue = Arc::new(
        Queue::open(data.root(), config.serve.coalesce)
            .map_err(|e| Error::Fatal(format!("cannot open the job queue: {e}")))?
            .max_attempts(config.serve.max_attempts),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Fatal(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Fatal(format!("cannot listen on {addr}: {e}")))?;
    let config = Arc::new(config);
    let metrics = Arc::new(Metrics::default());
    let board = Arc::new(schedule::Board::new(&config.serve.schedules));
    let status = Arc::new(ServiceStatus::default());
    let shared = Arc::new(Shared {
        queue: queue.clone(),
        metrics: metrics.clone(),
        token,
        config: config.clone(),
        data: data.clone(),
        schedules: board.clone(),
        status: status.clone(),
        demo,
        plex_server: tokio::sync::OnceCell::new(),
        hinted: std::sync::Mutex::default(),
        shelf: shelf::Shelf::default(),
        posters: poster_store::Posters::new(data.path("posters")),
        csrf: Secret::new(format!("{:032x}", rand::random::<u128>())),
        listen_host: listen
            .rsplit_once(':')
            .map(|(host, _)| host.trim_matches(['[', ']']).to_ascii_lowercase())
            .filter(|host| host.parse::<std::net::IpAddr>().is_err()),
    });

    let shown = if local.ip().is_unspecified() {
        format!("http://<this machine>:{}/", local.port())
    } else {
        format!("http://{local}/")
    };
    out.line(&format!(
        "curator {} serving on {shown} (data in {})",
        env!("CARGO_PKG_VERSION"),
        data.root().display()
    ));
    if !config.serve.base_path.is_empty() {
        out.line(&format!(
            "  base path: {}/ (the page's links, forms and cookie carry it, for a reverse proxy)",
            config.serve.base_path
        ));
    }
    for line in &banner {
        out.line(&format!("  {line}"));
    }
    for schedule in &config.serve.schedules {
        out.line(&format!(
            "  schedule: {} at \"{}\"",
            schedule.job.name(),
            schedule.cron.pattern
        ));
    }
    let report_schedule = config
        .serve
        .report
        .clone()
        .filter(|_| !config.notifications.is_empty());
    if let Some(cron) = &report_schedule {
        out.line(&format!("  schedule: report at \"{}\"", cron.pattern));
    }
    for (spec, from) in on_start {
        let accepted = queue
            .push(spec, from.clone())
            .map_err(|e| Error::Fatal(format!("cannot queue a job: {e}")))?;
        out.line(&format!("  {from} run queued as job {}", accepted.id));
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let reporter = report_schedule.map(|cron| {
        tokio::spawn(schedule::run_report(
            cron,
            config.clone(),
            data.clone(),
            metrics.clone(),
        ))
    });
    let worker = Worker {
        config: config.clone(),
        data,
        queue: queue.clone(),
        metrics,
        out: out.clone(),
        requests: shared.metrics.requests.clone(),
    };
    let scheduler = tokio::spawn(schedule::run(board, queue.clone()));
    let checker = tokio::spawn(status::keep_checking(
        config.clone(),
        shared.data.clone(),
        status,
    ));

    let app = http::router(shared);
    let limits = conn::Limits {
        read_timeout: config.serve.read_timeout,
        max_connections: config.serve.max_connections,
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut accepting = Box::pin(conn::accept(listener, app, limits, &graceful));
    // The worker runs on this task beside the server (a run's future is
    // not `Send`, so it is not spawned); each connection has its own task.
    let work = worker.run_until(stop_rx);
    tokio::pin!(work);
    let signal = stopped();
    tokio::pin!(signal);
    tokio::select! {
        () = &mut signal => {}
        () = &mut accepting => {}
        () = &mut work => {}
    }
    // Stop accepting, and tell the worker at once: no new job starts.
    drop(accepting);
    scheduler.abort();
    checker.abort();
    if let Some(reporter) = reporter {
        reporter.abort();
    }
    let _ = stop_tx.send(true);
    // Callers waiting on a job (`?wait=`) get their answer now.
    queue.close();
    let closing = async {
        if tokio::time::timeout(CLOSE_DEADLINE, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(
                "connections still open {}s after the stop; closing them",
                CLOSE_DEADLINE.as_secs()
            );
        }
    };
    tokio::join!(
        drain(work, &queue, config.serve.shutdown_grace, out.as_ref()),
        closing
    );
    Ok(())
}

/// How long open connections get to finish their answers after a stop.
const CLOSE_DEADLINE: Duration = Duration::from_secs(10);

/// Lets the running job finish, up to `grace`; a job cut off runs again on
/// the next start.
async fn drain(
    worker: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    queue: &Queue,
    grace: Duration,
    out: &dyn Output,
) {
    let running = queue.snapshot().running;
    if let Some((job, _)) = &running {
        out.line(&format!(
            "stopping: letting {} finish (up to {}s)",
            job.spec.label(),
            grace.as_secs()
        ));
    }
    // Dropping the worker's future after the limit ends the job where it is.
    if tokio::time::timeout(grace, worker).await.is_err() {
        out.line(
            "stopped before the running job finished; it runs again when curator serve starts",
        );
    } else {
        out.line("stopped");
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

/// The README's example, compiled as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
