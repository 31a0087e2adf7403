//! The small resources Radarr and Sonarr serve alike.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Decodes `null` (or a missing field, with `#[serde(default)]`) as the
/// type's default: the specs mark nearly every field nullable.
///
/// # Errors
/// When the value is neither `null` nor a `T`.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// The id of a quality profile.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct QualityProfileId(pub i32);

impl fmt::Display for QualityProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A root folder media is stored under (`RootFolderResource`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RootFolder {
    /// Its id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: i32,
    /// Its path, as the server sees it (inside its container, if any).
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: String,
    /// Whether the server can reach it.
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
    /// Whether files under it are upgraded.
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

/// What the server says about itself (`SystemResource`), reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SystemStatus {
    /// The application name, `"Radarr"` or `"Sonarr"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub app_name: String,
    /// The instance name the owner gave it.
    #[serde(default)]
    pub instance_name: Option<String>,
    /// The version, such as `"5.26.2.10099"` or `"4.0.14.2939"`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub version: String,
    /// The URL base it is served under, such as `"/sonarr"`.
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

    /// The major version number (`4` for `"4.0.14.2939"`), when the version
    /// starts with one.
    pub fn major_version(&self) -> Option<u32> {
        self.version.split('.').next()?.trim().parse().ok()
    }
}

/// A command the server queued (`CommandResource`), reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Command {
    /// The command's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: i32,
    /// Its name, such as `"MoviesSearch"` or `"SeriesSearch"`.
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
    fn decodes_nulls_as_defaults_and_reads_the_major_version() {
        let status: SystemStatus = serde_json::from_str(
            r#"{"appName":"Sonarr","version":"4.0.14.2939","isDocker":null,"instanceName":null}"#,
        )
        .unwrap();
        assert_eq!(status.major_version(), Some(4));
        assert!(!status.is_docker);
        let folder: RootFolder =
            serde_json::from_str(r#"{"id":1,"path":"/tv","accessible":null}"#).unwrap();
        assert!(!folder.accessible);
        assert_eq!(folder.free_space, None);
        assert_eq!(SystemStatus::new("Radarr", "v").major_version(), None);
    }
}
