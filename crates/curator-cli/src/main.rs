//! The `curator` command: keeps three Plex collections fresh from what you
//! watch. `main` parses the command line and sets up logging; each command
//! lives in `commands/` and calls `curator_app` (config, wiring, jobs) or
//! `curator_serve` (the service); this crate prints and picks exit codes.

mod cli;
mod commands;
#[cfg(feature = "demo")]
mod demo;
mod error;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::CommandFactory;
use curator_app::JobKind;
use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, CollectionsCommand, Command, Global, LogFormat};
use crate::error::{Done, ExitCodeOf, Failure};
use crate::output::eprint_line;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    init_logging(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprint_line(format!("error: cannot start the async runtime: {e}"));
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(&cli)) {
        Ok(done) => done.exit_code(),
        Err(failure) => {
            tracing::debug!(?failure, "command failed");
            eprint_line(format!("error: {failure}"));
            failure.exit_code()
        }
    }
}

async fn dispatch(cli: &Cli) -> Result<Done, Failure> {
    let global = &cli.global;
    match &cli.command {
        Command::Run(args) => commands::run::run(global, args).await,
        Command::Refresh(args) => {
            let steps = commands::single::refresh_steps(args.only);
            commands::single::run_only(global, &steps, JobKind::Refresh.title()).await
        }
        Command::Dedupe(args) => commands::single::dedupe(global, args.kind).await,
        Command::ConfirmMonitored => {
            let kind = JobKind::ConfirmMonitored;
            commands::single::run_only(global, kind.steps(), kind.title()).await
        }
        Command::Recommend(args) => commands::recommend::recommend(global, args).await,
        Command::Approvals(args) => commands::approvals::approvals(global, args).await,
        Command::Check => commands::check::check(global).await,
        Command::Report(args) => commands::report::report(global, args).await,
        Command::Notify(args) => commands::report::notify(global, args).await,
        Command::Init(args) => commands::init(args, commands::printer(global)),
        #[cfg(feature = "demo")]
        Command::Demo(args) => demo::demo(global, args).await,
        Command::Serve(args) => commands::serve::serve(global, args).await,
        Command::Healthcheck(args) => commands::serve::healthcheck(global, args).await,
        Command::Collections(CollectionsCommand::Remove(args)) => {
            commands::collections::remove(global, args).await
        }
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "curator",
                &mut std::io::stdout(),
            );
            Ok(Done::Ok)
        }
    }
}

/// Logs go to stderr: `RUST_LOG` when set, else the level -v/-q ask for.
fn init_logging(global: &Global) {
    let level = if global.quiet {
        "error"
    } else {
        match global.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    // Our crates at the level asked for; HTTP and server libraries stay at
    // warnings until -vvv.
    let directives = if global.verbose >= 3 {
        "trace".to_owned()
    } else {
        let ours = [
            "curator",
            "curator_app",
            "curator_serve",
            "curator_core",
            "curator_http",
            "plex_client",
            "radarr_client",
            "tmdb_client",
            "llm_recs",
        ];
        std::iter::once(if global.quiet { "error" } else { "warn" }.to_owned())
            .chain(ours.iter().map(|c| format!("{c}={level}")))
            .collect::<Vec<_>>()
            .join(",")
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(directives));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second subscriber cannot be set; nothing else sets one here.
    let _ = match global.log_format {
        LogFormat::Text => builder.with_target(false).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
