//! `curator serve`: loads the config and starts `curator_serve`.

use std::sync::Arc;

use crate::cli::{Global, ServeArgs};
use crate::commands::{load_config, printer};
use crate::error::{Done, Failure};
use crate::output::Console;

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
        .unwrap_or_else(|| curator_serve::DEFAULT_LISTEN.to_owned());
    let data = config.data_dir(global.data_dir());
    curator_serve::run(curator_serve::Server {
        config,
        data,
        listen,
        out: Arc::new(Console::new(printer(global))),
        on_start: Vec::new(),
        banner: Vec::new(),
        demo: false,
    })
    .await?;
    Ok(Done::Ok)
}

/// Runs `curator healthcheck`: the listen address as `serve` would choose
/// it (a config that cannot be read leaves the flag, `$CURATOR_LISTEN` or
/// the default), then its `/healthz`.
///
/// # Errors
/// Nothing answers `ok` there within 10 s.
pub(crate) async fn healthcheck(global: &Global, args: &ServeArgs) -> Result<Done, Failure> {
    let listen = args
        .listen
        .clone()
        .or_else(|| {
            load_config(global)
                .ok()
                .and_then(|c| c.serve.listen.clone())
        })
        .unwrap_or_else(|| curator_serve::DEFAULT_LISTEN.to_owned());
    curator_serve::probe(&listen, std::time::Duration::from_secs(10)).await?;
    printer(global).line("ok");
    Ok(Done::Ok)
}
