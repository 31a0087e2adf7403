//! What moving from the previous tool's files did: the report.

use serde::Serialize;

use crate::collection::SmallCollection;
use crate::legacy::{CollectionImport, LegacyRules, PointsImport};

/// The points file's part of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointsMigration {
    /// The file.
    pub file: String,
    /// Where the original was copied; `None` in a dry run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    /// What was imported.
    #[serde(flatten)]
    pub import: PointsImport,
}

/// One small collection's part of a migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionMigration {
    /// Which collection.
    pub collection: SmallCollection,
    /// The file.
    pub file: String,
    /// Where the original was copied; `None` in a dry run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    /// What was imported.
    #[serde(flatten)]
    pub import: CollectionImport,
}

/// What moving from the previous tool's files did this run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MigrationReport {
    /// True when nothing was written.
    pub dry_run: bool,
    /// The points rules in force, in words.
    pub rules: String,
    /// The points file, when it was converted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<PointsMigration>,
    /// The TV points file (`recommendation_points_tv.json`), when it was
    /// converted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tv_points: Option<PointsMigration>,
    /// The small collections converted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<CollectionMigration>,
    /// Files left as they were, and why (the next run tries again).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<String>,
    /// Writes that failed (the old file is then as it was).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

impl MigrationReport {
    /// The report in lines, as the CLI prints it: every movie by title.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "Moved from the previous tool's files{}",
            if self.dry_run {
                " (dry run: converted in memory, nothing written)"
            } else {
                ""
            }
        )];
        lines.push(format!("  points rules in force: {}", self.rules));
        for points in self.points.iter().chain(&self.tv_points) {
            points_lines(points, &mut lines);
        }
        for c in &self.collections {
            let i = &c.import;
            lines.push(format!(
                "  {} ({}): {} entries",
                c.file,
                c.collection.label(),
                i.entries
            ));
            for (label, titles) in [
                ("by rating key", &i.by_rating_key),
                ("by title and year", &i.by_title),
                ("not in Plex, left out", &i.not_in_plex),
            ] {
                if !titles.is_empty() {
                    lines.push(format!(
                        "    {label} ({}): {}",
                        titles.len(),
                        titles.join(", ")
                    ));
                }
            }
            if let Some(backup) = &c.backup {
                lines.push(format!("    the old file is kept at {backup}"));
            }
        }
        for d in &self.deferred {
            lines.push(format!("  ⚠ {d}"));
        }
        for f in &self.failures {
            lines.push(format!("  ✗ {f}"));
        }
        lines
    }
}

/// The previous tool's points rules, in words.
pub(crate) fn rules_name(rules: LegacyRules) -> &'static str {
    match rules {
        LegacyRules::Newer => "written under its 5.1+ rules (50 points, minus one per run)",
        LegacyRules::Older => "written under its rules before 5.1 (+1 per suggestion, no decay)",
    }
}

/// The lines of one converted points file.
fn points_lines(points: &PointsMigration, lines: &mut Vec<String>) {
    let i = &points.import;
    lines.push(format!(
        "  {}: {} entries, {}",
        points.file,
        i.entries,
        rules_name(i.file_rules)
    ));
    lines.push(format!(
        "    points.import_as: {}, so {}",
        i.import_as.name(),
        if i.raised_to_full {
            "every imported movie starts at full points"
        } else {
            "every imported movie keeps its points"
        }
    ));
    let titles = |movies: &[crate::legacy::ImportedMovie]| {
        movies
            .iter()
            .map(|m| {
                let mut label = match m.year {
                    Some(y) => format!("{} ({y})", m.title),
                    None => m.title.clone(),
                };
                if m.in_plex {
                    label.push_str(&format!(" {}→{}", m.old_points, m.points));
                } else {
                    label.push_str(" [not in Plex: waits as pending]");
                }
                label
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !i.by_rating_key.is_empty() {
        lines.push(format!(
            "    by rating key ({}): {}",
            i.by_rating_key.len(),
            titles(&i.by_rating_key)
        ));
    }
    if !i.by_tmdb_id.is_empty() {
        lines.push(format!(
            "    by TMDb id ({}): {}",
            i.by_tmdb_id.len(),
            titles(&i.by_tmdb_id)
        ));
    }
    if !i.unresolved.is_empty() {
        lines.push(format!(
            "    unresolved ({}), not imported (they stay in the backup):",
            i.unresolved.len()
        ));
        for u in &i.unresolved {
            lines.push(format!("      {}: {}", u.label(), u.reason));
        }
    }
    if i.zero_points > 0 {
        lines.push(format!(
            "    {} entries with 0 points were left out",
            i.zero_points
        ));
    }
    if i.capped > 0 {
        lines.push(format!(
            "    {} entries were lowered to points.max_points",
            i.capped
        ));
    }
    if let Some(backup) = &points.backup {
        lines.push(format!("    the old file is kept at {backup}"));
    }
}
