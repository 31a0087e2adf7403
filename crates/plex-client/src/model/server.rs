//! What a server says about itself.

use serde::{Deserialize, Serialize};

/// The answer to `GET /identity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerIdentity {
    /// The server's unique id, part of every collection `uri`.
    pub machine_identifier: String,
    /// The Plex Media Server version, such as `1.41.3.9314-a0bfb8370`.
    pub version: String,
}

/// The parts of `GET /` curator cares about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// The server's unique id.
    pub machine_identifier: String,
    /// The Plex Media Server version.
    pub version: String,
    /// The name the owner gave the server, if any.
    pub friendly_name: Option<String>,
    /// Whether the server lets clients delete media files
    /// (Settings > Library > "Allow media deletion"). Absent means no.
    pub allow_media_deletion: bool,
}
