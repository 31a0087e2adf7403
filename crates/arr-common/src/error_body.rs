//! The error body outside validation: `{message, description}`.

use serde::Deserialize;

/// An error answer as Radarr's and Sonarr's error pipelines write it
/// (`ErrorModel`): the exception's message, and for a 500 its whole
/// `ToString()` (type, message, .NET stack trace) as the description.
///
/// [`ErrorBody::parse`] keeps what a person can read: the message on one
/// line, and of the description only its first line, without the message
/// it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The message, on one line.
    pub message: String,
    /// The first line of the description, when it adds something (such as
    /// the exception type).
    pub description: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    message: Option<String>,
    description: Option<String>,
}

impl ErrorBody {
    /// Reads `body`; `None` when it is not such an object or has no message.
    ///
    /// ```
    /// use arr_common::ErrorBody;
    ///
    /// let body = br#"{"message":"database is locked","description":"System.Data.SQLite.SQLiteException (0x800017AF): database is locked\n   at System.Data.SQLite.SQLite3.Step()"}"#;
    /// let error = ErrorBody::parse(body).unwrap();
    /// assert_eq!(error.message, "database is locked");
    /// assert_eq!(error.description.as_deref(), Some("System.Data.SQLite.SQLiteException (0x800017AF)"));
    /// ```
    pub fn parse(body: &[u8]) -> Option<Self> {
        let raw: Raw = serde_json::from_slice(body).ok()?;
        let message = one_line(&raw.message?);
        let description = raw
            .description
            .as_deref()
            .and_then(|d| first_line(d, &message));
        Some(Self {
            message,
            description,
        })
    }
}

/// Shows a description as ` (text)`, or nothing when there is none: the
/// tail of an error message such as "answered 500: database is locked
/// (System.Data.SQLite.SQLiteException)".
#[derive(Debug, Clone, Copy)]
pub struct DescriptionSuffix<'a>(pub Option<&'a str>);

impl std::fmt::Display for DescriptionSuffix<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.map(str::trim) {
            Some(text) if !text.is_empty() => write!(f, " ({text})"),
            _ => Ok(()),
        }
    }
}

/// A message on one line: SQLite messages hold line breaks
/// ("constraint failed\r\nUNIQUE constraint failed: Tags.Label").
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(": ")
}

/// The first line of a description. When that line only repeats the
/// message, the exception type is what it adds ("System.ApplicationException").
fn first_line(description: &str, message: &str) -> Option<String> {
    let first = description.lines().map(str::trim).find(|l| !l.is_empty())?;
    let message_head = message.split(": ").next().unwrap_or(message);
    let kept = match first.find(message_head) {
        Some(at) if !message_head.is_empty() => first[..at].trim_end_matches([' ', ':']),
        _ => first,
    };
    // A description that is only the message again says nothing more.
    (!kept.is_empty()).then(|| kept.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_line_of_each() {
        let body = br#"{"message":"constraint failed\r\nUNIQUE constraint failed: Tags.Label","description":"code = Constraint (19), message = System.Data.SQLite.SQLiteException (0x800027AF): constraint failed\r\n   at X"}"#;
        let error = ErrorBody::parse(body).unwrap();
        assert_eq!(
            error.message,
            "constraint failed: UNIQUE constraint failed: Tags.Label"
        );
        assert_eq!(
            error.description.as_deref(),
            Some(
                "code = Constraint (19), message = System.Data.SQLite.SQLiteException (0x800027AF)"
            )
        );
        let plain = ErrorBody::parse(br#"{"message":"NotFound","description":null}"#).unwrap();
        assert_eq!(plain.description, None);
        let repeated = ErrorBody::parse(br#"{"message":"gone","description":"gone"}"#).unwrap();
        assert_eq!(repeated.description, None);
        assert!(ErrorBody::parse(b"<html>").is_none());
        assert!(ErrorBody::parse(br#"{"description":"x"}"#).is_none());
        assert_eq!(DescriptionSuffix(Some(" ")).to_string(), "");
        assert_eq!(DescriptionSuffix(Some("E")).to_string(), " (E)");
    }
}
