//! Tags, root folders, quality profiles, the system status and commands.

use serde::{Deserialize, Serialize};

use super::ids::{QualityProfileId, TagId};
use super::null_as_default;

/// A tag (`TagResource`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Tag {
    /// Its id.
    pub id: TagId,
    /// Its label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,
}

impl Tag {
    /// A tag.
    pub fn new(id: TagId, label: impl Into<String>) -> Self {
        Self {
            id,
            label: label.into(),
        }
    }

    /// True when `label` names this tag: compared trimmed and ignoring case,
    /// as Radarr's own UI does.
    pub fn matches(&self, label: &str) -> bool {
        self.label.trim().to_lowercase() == label.trim().to_lowercase()
    }
}

/// A tag label as every Radarr version accepts it: lowercase ASCII
/// letters, digits and `-`.
///
/// Radarr v6 refuses other labels with a 400 (`TagController`: the label
/// must match `^[a-z0-9-]+$`), and all versions store labels lowercased and
/// look them up by exact case (`TagService.Add`). So letters are lowercased,
/// spaces and underscores become `-`, other characters are dropped, runs of
/// `-` are collapsed and trimmed from the ends. `None` when nothing is left.
///
/// ```
/// use radarr_client::normalize_tag_label;
///
/// assert_eq!(normalize_tag_label("Due To Previously_Watched").as_deref(), Some("due-to-previously-watched"));
/// assert_eq!(normalize_tag_label("Sci-Fi & Fantasy!").as_deref(), Some("sci-fi-fantasy"));
/// assert_eq!(normalize_tag_label("  ★  "), None);
/// ```
pub fn normalize_tag_label(label: &str) -> Option<String> {
    let mut out = String::with_capacity(label.len());
    for c in label.trim().chars() {
        let c = match c {
            ' ' | '_' | '-' => '-',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// A root folder movies are stored under (`RootFolderResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RootFolder {
    /// Its id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: i32,
    /// Its path, as Radarr sees it (inside Radarr's container, if any).
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: String,
    /// Whether Radarr can reach it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub accessible: bool,
    /// Free space in bytes, when known.
    #[serde(default)]
    pub free_space: Option<i64>,
}

impl RootFolder {
    /// An accessible root folder of unknown free space.
    pub fn new(id: i32, path: impl Into<String>) -> Self {
        Self {
            id,
            path: path.into(),
            accessible: true,
            free_space: None,
        }
    }
}

/// A quality profile (`QualityProfileResource`), reduced to what picking
/// one needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QualityProfile {
    /// Its id.
    pub id: QualityProfileId,
    /// Its name, such as `"HD-1080p"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Whether Radarr upgrades files under it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub upgrade_allowed: bool,
}

impl QualityProfile {
    /// A quality profile without upgrades.
    pub fn new(id: QualityProfileId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            upgrade_allowed: false,
        }
    }
}

/// What Radarr says about itself (`SystemResource`), reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SystemStatus {
    /// The application name, `"Radarr"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub app_name: String,
    /// The instance name the owner gave it.
    #[serde(default)]
    pub instance_name: Option<String>,
    /// The version, such as `"5.26.2.10099"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub version: String,
    /// The URL base it is served under, such as `"/radarr"`.
    #[serde(default)]
    pub url_base: Option<String>,
    /// The operating system name.
    #[serde(default)]
    pub os_name: Option<String>,
    /// Whether it runs in Docker.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_docker: bool,
}

impl SystemStatus {
    /// A status with the given name and version.
    pub fn new(app_name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            app_name: app_name.into(),
            instance_name: None,
            version: version.into(),
            url_base: None,
            os_name: None,
            is_docker: false,
        }
    }
}

/// A command Radarr queued (`CommandResource`), reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Command {
    /// The command's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: i32,
    /// Its name, such as `"MoviesSearch"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Its status, such as `"queued"` or `"started"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: String,
}

impl Command {
    /// A command.
    pub fn new(id: i32, name: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            status: status.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_trimmed_and_ignoring_case() {
        let tag = Tag::new(TagId(3), "Curator");
        assert!(tag.matches(" curator "));
        assert!(tag.matches("CURATOR"));
        assert!(!tag.matches("curators"));
    }
}
