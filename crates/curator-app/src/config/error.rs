//! A config problem, said so a person can fix it.

use std::fmt;
use std::path::PathBuf;

/// A config problem: the file, the key, the line when known, and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, when it came from one.
    pub path: Option<PathBuf>,
    /// The dotted key (`plex.url`), when one is to blame.
    pub key: Option<String>,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to change.
    pub fix: Option<String>,
}

impl ConfigError {
    /// A problem with no key, line or fix yet.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            path: None,
            key: None,
            line: None,
            message: message.into(),
            fix: None,
        }
    }

    /// Blames `key`, finding its line in the config's `text`.
    pub fn key(mut self, key: &str, text: &str) -> Self {
        self.line = self.line.or_else(|| line_of(text, key));
        self.key = Some(key.to_owned());
        self
    }

    /// Says what to change.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bad config")?;
        if let Some(path) = &self.path {
            write!(f, " in {}", path.display())?;
        }
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// The 1-based line where a dotted key is written, found by indentation.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let mut wanted = key.split('.').peekable();
    let mut min_indent = 0usize;
    let mut current = wanted.next()?;
    let mut parent_indent: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(parent) = parent_indent
            && indent <= parent
        {
            return None;
        }
        if indent < min_indent {
            continue;
        }
        let name = trimmed
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if name == current
            && trimmed[name.len()..]
                .trim_start_matches('"')
                .starts_with(':')
        {
            match wanted.next() {
                None => return Some(n + 1),
                Some(next) => {
                    current = next;
                    parent_indent = Some(indent);
                    min_indent = indent + 1;
                }
            }
        }
    }
    None
}
