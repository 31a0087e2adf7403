//! `curator report`: the run history of a period, summed up by
//! `curator_app::period_report`, printed, and sent with `--send`; and
//! `curator notify --test`.

use curator_notify::Delivery;

use crate::cli::{Global, NotifyArgs, ReportArgs};
use crate::commands::{load_config, printer};
use crate::error::{Done, Failure};

/// Runs `curator report`.
///
/// # Errors
/// A bad period or config.
pub(crate) async fn report(global: &Global, args: &ReportArgs) -> Result<Done, Failure> {
    let out = printer(global);
    let period = curator_app::parse_period(&args.since)?;
    let config = load_config(global)?;
    let data = config.data_dir(global.data_dir());
    let report = curator_app::period_report(&config, &data, period, true).await;
    for line in report.lines() {
        out.line(line);
    }
    if !args.send {
        return Ok(Done::Ok);
    }
    let delivery = curator_app::send_report(&config, &report).await;
    out.line("");
    if delivery.results.is_empty() {
        out.line(if config.notifications.is_empty() {
            "not sent: no notification targets are configured"
        } else {
            "not sent: no target takes this report (report: false, or send_only_on_problems with no problems)"
        });
        return Ok(Done::Ok);
    }
    Ok(print_delivery(&out, &delivery))
}

/// Runs `curator notify`.
///
/// # Errors
/// A bad config, or no `--test`.
pub(crate) async fn notify(global: &Global, args: &NotifyArgs) -> Result<Done, Failure> {
    if !args.test {
        return Err(Failure::Usage(
            "say what to do: `curator notify --test` sends a test message to every target (`curator check` lists them)".into(),
        ));
    }
    let out = printer(global);
    let config = load_config(global)?;
    if config.notifications.is_empty() {
        out.line("no notification targets are configured (notifications: in the config)");
        return Ok(Done::Ok);
    }
    let delivery = curator_app::notify_test(&config).await;
    Ok(print_delivery(&out, &delivery))
}

/// One line per target; [`Done::StepsFailed`] when one was not reached.
fn print_delivery(out: &crate::output::Printer, delivery: &Delivery) -> Done {
    for (name, result) in &delivery.results {
        match result {
            Ok(()) => out.line(format!("✓ sent to {name}")),
            Err(error) => out.line(format!("✗ not sent to {name}: {error}")),
        }
    }
    if delivery.failed() > 0 {
        Done::StepsFailed
    } else {
        Done::Ok
    }
}
