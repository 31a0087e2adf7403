//! The 400 answer: a list of FluentValidation failures.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One failed validation rule from a 400 answer.
///
/// Radarr and Sonarr answer a refused body with a bare JSON array of these
/// (`ValidationException.Errors`, written by their error pipelines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ValidationFailure {
    /// The field the rule is about, such as `"TvdbId"` or `"RootFolderPath"`.
    #[serde(default)]
    pub property_name: String,
    /// What is wrong, such as `"This series has already been added"`.
    #[serde(default)]
    pub error_message: String,
    /// The value that was refused.
    #[serde(default)]
    pub attempted_value: Option<serde_json::Value>,
    /// `"error"` or `"warning"`.
    #[serde(default)]
    pub severity: Option<String>,
    /// The validator's code, such as `"SeriesExistsValidator"`.
    #[serde(default)]
    pub error_code: Option<String>,
}

impl ValidationFailure {
    /// A failure about `property_name`.
    pub fn new(property_name: impl Into<String>, error_message: impl Into<String>) -> Self {
        Self {
            property_name: property_name.into(),
            error_message: error_message.into(),
            attempted_value: None,
            severity: Some("error".to_owned()),
            error_code: None,
        }
    }

    /// The list of failures in a 400 body, when the body is one (and is not
    /// empty).
    pub fn list_from(body: &[u8]) -> Option<Vec<Self>> {
        serde_json::from_slice::<Vec<Self>>(body)
            .ok()
            .filter(|failures| !failures.is_empty())
    }

    /// True when this failure says the movie or series is already there:
    /// Radarr's `MovieExistsValidator` ("This movie has already been
    /// added") and Sonarr's `SeriesExistsValidator` ("This series has
    /// already been added").
    pub fn is_already_added(&self) -> bool {
        self.error_message
            .to_ascii_lowercase()
            .contains("already been added")
    }
}

impl fmt::Display for ValidationFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.property_name.is_empty() {
            f.write_str(&self.error_message)
        } else {
            write!(f, "{}: {}", self.property_name, self.error_message)
        }
    }
}

/// Shows failures as `Property: message; Property: message`, or "no reason
/// given" for none.
#[derive(Debug, Clone, Copy)]
pub struct ValidationList<'a>(pub &'a [ValidationFailure]);

impl fmt::Display for ValidationList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("no reason given");
        }
        for (i, failure) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            failure.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_validation_list_and_spots_already_added() {
        let body = br#"[{"propertyName":"TvdbId","errorMessage":"This series has already been added","attemptedValue":81189,"severity":"error","errorCode":"SeriesExistsValidator"}]"#;
        let failures = ValidationFailure::list_from(body).unwrap();
        assert!(failures[0].is_already_added());
        assert_eq!(
            failures[0].error_code.as_deref(),
            Some("SeriesExistsValidator")
        );
        assert_eq!(
            ValidationList(&failures).to_string(),
            "TvdbId: This series has already been added"
        );
        assert!(ValidationFailure::list_from(b"[]").is_none());
        assert!(ValidationFailure::list_from(br#"{"message":"x"}"#).is_none());
        assert_eq!(ValidationList(&[]).to_string(), "no reason given");
    }
}
