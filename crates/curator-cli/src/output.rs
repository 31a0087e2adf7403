//! What people read on the terminal: lines on stdout (unless quiet),
//! errors on stderr, and progress while a step works. The words come from
//! `curator_app` (`step_lines`, `summary_lines`, `heading_lines`).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use curator_app::{Output, step_lines};
use curator_core::{MigrationReport, RunObserver, StepKind, StepReport};
use indicatif::{ProgressBar, ProgressStyle};

/// Prints to stdout unless quiet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
}

impl Printer {
    /// Prints one line.
    pub(crate) fn line(&self, text: impl AsRef<str>) {
        if !self.quiet {
            let mut out = std::io::stdout().lock();
            // A closed stdout (a pipe to `head`) is not worth failing over.
            let _ = writeln!(out, "{}", text.as_ref());
        }
    }

    /// Prints a step's block.
    pub(crate) fn step(&self, report: &StepReport) {
        if self.quiet {
            return;
        }
        for line in step_lines(report, self.verbose) {
            self.line(line);
        }
    }
}

/// Writes a line to stderr (errors and notices that must be seen even when
/// quiet or when stdout is a file).
pub(crate) fn eprint_line(text: impl AsRef<str>) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", text.as_ref());
}

/// Prints step starts and ends as they happen, and progress within a step:
/// a bar when stderr is a terminal, a line every 10% otherwise.
#[derive(Debug)]
pub(crate) struct Console {
    printer: Printer,
    terminal: bool,
    progress: Mutex<Progress>,
}

#[derive(Debug, Default)]
struct Progress {
    bar: Option<ProgressBar>,
    last_tenth: Option<(StepKind, u64)>,
}

impl Console {
    pub(crate) fn new(printer: Printer) -> Self {
        Self {
            printer,
            terminal: std::io::stderr().is_terminal(),
            progress: Mutex::new(Progress::default()),
        }
    }

    fn progress_state(&self) -> std::sync::MutexGuard<'_, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl RunObserver for Console {
    fn migrated(&self, report: &MigrationReport) {
        self.printer.line("");
        for line in report.lines() {
            self.printer.line(line);
        }
    }

    fn step_started(&self, step: StepKind) {
        self.printer.line("");
        self.printer.line(format!("▶ {step}"));
    }

    fn step_finished(&self, report: &StepReport) {
        if let Some(bar) = self.progress_state().bar.take() {
            bar.finish_and_clear();
        }
        self.printer.step(report);
    }

    fn progress(&self, step: StepKind, done: u64, total: u64, what: &str) {
        if self.printer.quiet || total == 0 {
            return;
        }
        let mut state = self.progress_state();
        if self.terminal {
            let bar = state.bar.get_or_insert_with(|| {
                let bar = ProgressBar::new(total);
                if let Ok(style) = ProgressStyle::with_template(
                    "    {msg} [{bar:30}] {pos}/{len} items ({percent}%) {eta}",
                ) {
                    bar.set_style(style.progress_chars("=> "));
                }
                bar.set_message(capitalized(what));
                bar
            });
            bar.set_length(total);
            bar.set_position(done);
            return;
        }
        let tenth = done * 10 / total;
        if state.last_tenth == Some((step, tenth)) && done < total {
            return;
        }
        state.last_tenth = Some((step, tenth));
        drop(state);
        self.printer.line(format!(
            "    {} progress: {done}/{total} items ({}%)",
            capitalized(what),
            done * 100 / total
        ));
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Output for Console {
    fn line(&self, text: &str) {
        self.printer.line(text);
    }
}
