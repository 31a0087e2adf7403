//! The one message every receiver renders in its own format.

use serde::Serialize;

/// What a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A run finished (or could not run).
    Run,
    /// The periodic report.
    Report,
    /// `curator notify --test`.
    Test,
}

/// How much a message asks of its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing changed and nothing went wrong.
    Ok,
    /// Something changed: a collection, or a movie sent to Radarr.
    Changes,
    /// Something failed and may need a person.
    Problem,
}

/// A named block of lines (a step's failures, what was added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Its heading.
    pub name: String,
    /// Its lines.
    pub lines: Vec<String>,
}

/// A notification, before a receiver formats it.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// What it is about.
    pub kind: MessageKind,
    /// How much it asks of its reader.
    pub level: Level,
    /// One line (an e-mail's subject, a push notification's title).
    pub title: String,
    /// A short paragraph.
    pub summary: String,
    /// The details.
    pub sections: Vec<Section>,
    /// An HTML body for e-mail, when there is one.
    #[serde(skip)]
    pub html: Option<String>,
    /// The data behind it (the run's record, the report's figures), sent
    /// as it is by the generic webhook.
    pub data: serde_json::Value,
}

impl Message {
    /// A message with a title and nothing else yet.
    pub fn new(kind: MessageKind, level: Level, title: impl Into<String>) -> Self {
        Self {
            kind,
            level,
            title: title.into(),
            summary: String::new(),
            sections: Vec::new(),
            html: None,
            data: serde_json::Value::Null,
        }
    }

    /// Sets the summary.
    #[must_use]
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }

    /// Adds a section (skipped when it has no lines).
    #[must_use]
    pub fn section<I, S>(mut self, name: impl Into<String>, lines: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let lines: Vec<String> = lines.into_iter().map(Into::into).collect();
        if !lines.is_empty() {
            self.sections.push(Section {
                name: name.into(),
                lines,
            });
        }
        self
    }

    /// Sets the HTML body.
    #[must_use]
    pub fn html(mut self, html: impl Into<String>) -> Self {
        self.html = Some(html.into());
        self
    }

    /// Sets the data the generic webhook sends.
    #[must_use]
    pub fn data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }

    /// The whole message as plain text: the summary, then each section
    /// with its lines.
    pub fn text(&self) -> String {
        let mut out = self.summary.clone();
        for section in &self.sections {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&section.name);
            out.push(':');
            for line in &section.lines {
                out.push_str("\n- ");
                out.push_str(line);
            }
        }
        out
    }
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_holds_the_summary_and_each_section() {
        let message = Message::new(MessageKind::Run, Level::Problem, "t")
            .summary("1 step failed")
            .section("Radarr", ["timed out", "again"])
            .section("empty", Vec::<String>::new());
        assert_eq!(
            message.text(),
            "1 step failed\n\nRadarr:\n- timed out\n- again"
        );
        assert_eq!(message.sections.len(), 1);
    }

    #[test]
    fn truncate_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ééééé", 2), "é…");
    }
}
