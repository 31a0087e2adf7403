//! How a run tells its caller what it is doing.

use crate::migration::MigrationReport;
use crate::report::{StepKind, StepReport};

/// Hears about a run as it goes, to print progress.
pub trait RunObserver: Send + Sync {
    /// A step starts.
    fn step_started(&self, _step: StepKind) {}
    /// A step ended.
    fn step_finished(&self, _report: &StepReport) {}
    /// Progress within a step (`done` of `total` units, what they are).
    fn progress(&self, _step: StepKind, _done: u64, _total: u64, _what: &str) {}
    /// The previous tool's files were converted (or left, and why), before
    /// the first step.
    fn migrated(&self, _report: &MigrationReport) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl RunObserver for Quiet {}
