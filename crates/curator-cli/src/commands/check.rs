//! `curator check`: load the config and reach every enabled service; the
//! findings come from `curator_app::check`, printed here as a table.

use curator_app::{Finding, Status};

use crate::cli::Global;
use crate::commands::{load_config, printer};
use crate::error::{Done, Failure};
use crate::output::Printer;

/// Runs `curator check`.
///
/// # Errors
/// A config that cannot be loaded.
pub(crate) async fn check(global: &Global) -> Result<Done, Failure> {
    let out = printer(global);
    let config = load_config(global)?;
    let rows = curator_app::check(&config, &config.data_dir(global.data_dir())).await?;
    print_table(&out, &rows);
    Ok(if rows.iter().any(|r| r.status == Status::Fail) {
        Done::StepsFailed
    } else {
        Done::Ok
    })
}

fn print_table(out: &Printer, rows: &[Finding]) {
    out.line(format!("{:<8} {:<7} DETAIL", "SERVICE", "STATUS"));
    for row in rows {
        let status = match row.status {
            Status::Ok => "✓ ok",
            Status::Warn => "! warn",
            Status::Fail => "✗ FAIL",
        };
        out.line(format!("{:<8} {:<7} {}", row.service, status, row.detail));
        if let Some(fix) = &row.fix {
            out.line(format!("{:<16} fix: {fix}", ""));
        }
    }
    let failed = rows.iter().filter(|r| r.status == Status::Fail).count();
    out.line("");
    out.line(if failed == 0 {
        "Everything curator needs is reachable.".to_owned()
    } else {
        format!("{failed} problem(s) to fix before curator can do its work.")
    });
}
