//! `curator collections remove`.

use curator_core::MediaKind;

use crate::cli::{Global, KindArg, RemoveArgs};
use crate::commands::{load_config, printer};
use crate::error::{Done, Failure};
use crate::output::Console;

/// Unpins and deletes curator's collections of one kind (`--dry-run`: only
/// lists them).
///
/// # Errors
/// Config and lock errors; see [`Failure`].
pub(crate) async fn remove(global: &Global, args: &RemoveArgs) -> Result<Done, Failure> {
    let config = load_config(global)?;
    let kind = match args.kind {
        KindArg::Movie => MediaKind::Movie,
        KindArg::Tv => MediaKind::Show,
    };
    let console = Console::new(printer(global));
    let data = config.data_dir(global.data_dir());
    let (_, done) =
        curator_app::remove_collections(&config, data, kind, global.dry_run, &console).await?;
    Ok(done)
}
