//! `curator approvals`: what waits for approval, and approving, rejecting
//! and forgetting it.

use curator_app::{approval_lines, waiting_lines};
use curator_core::{ApprovalId, Selection};

use crate::cli::{ApprovalAction, ApprovalsArgs, Global};
use crate::commands::{load_config, printer};
use crate::error::{Done, Failure};
use crate::output::Console;

/// Lists, or approves, rejects or forgets.
///
/// # Errors
/// Config and state errors, ids that are not ids ([`Failure::Usage`]).
pub(crate) async fn approvals(global: &Global, args: &ApprovalsArgs) -> Result<Done, Failure> {
    let config = load_config(global)?;
    let data = config.data_dir(global.data_dir());
    let out = printer(global);
    match &args.action {
        None => {
            for line in waiting_lines(&curator_app::approvals(&data)?) {
                out.line(line);
            }
            Ok(Done::Ok)
        }
        Some(ApprovalAction::Approve { ids, all }) => {
            let selection = if *all {
                Selection::All
            } else {
                Selection::Ids(parse(ids)?)
            };
            let mut settings = config.settings.clone();
            settings.dry_run = global.dry_run;
            if global.dry_run {
                out.line("dry run: nothing will be sent or changed");
            }
            let console = Console::new(out);
            let report = curator_app::approve(
                settings,
                data,
                config.timeouts.lock,
                &selection,
                |data| curator_app::services(&config, data),
                &console,
            )
            .await?;
            if report.titles.is_empty() && report.unknown.is_empty() {
                out.line("nothing waits for approval");
            }
            for line in approval_lines(&report) {
                out.line(line);
            }
            let failed = !report.failures.is_empty()
                || !report.unknown.is_empty()
                || report
                    .titles
                    .iter()
                    .any(|t| matches!(t.outcome, curator_core::Outcome::Failed(_)));
            Ok(if failed { Done::StepsFailed } else { Done::Ok })
        }
        Some(ApprovalAction::Reject { ids }) => {
            let decided = curator_app::reject(&data, &Selection::Ids(parse(ids)?)).await?;
            for t in &decided.titles {
                out.line(format!(
                    "  rejected {} ({}): never offered again",
                    t.title,
                    t.id()
                ));
            }
            decided_end(&out, &decided.unknown, "not waiting for approval")
        }
        Some(ApprovalAction::Forget { ids }) => {
            let decided = curator_app::forget(&data, &parse(ids)?).await?;
            for t in &decided.titles {
                out.line(format!(
                    "  forgot the rejection of {} ({}): runs may offer it again",
                    t.title,
                    t.id()
                ));
            }
            decided_end(&out, &decided.unknown, "not rejected")
        }
    }
}

fn decided_end(
    out: &crate::output::Printer,
    unknown: &[String],
    why: &str,
) -> Result<Done, Failure> {
    for id in unknown {
        out.line(format!("  {id}: {why}"));
    }
    Ok(if unknown.is_empty() {
        Done::Ok
    } else {
        Done::StepsFailed
    })
}

fn parse(ids: &[String]) -> Result<Vec<ApprovalId>, Failure> {
    ids.iter()
        .map(|id| {
            id.parse()
                .map_err(|e: curator_core::BadApprovalId| Failure::Usage(e.to_string()))
        })
        .collect()
}
