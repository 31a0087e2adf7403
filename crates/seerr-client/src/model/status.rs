//! The server's status and the API key's user.

use curator_http::MediaKind;
use serde::{Deserialize, Serialize};

/// What `GET /api/v1/status` says (public: it needs no key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// The version, such as `"1.33.2"` (`"develop-…"` on a development
    /// build).
    pub version: String,
    /// The commit it was built from.
    #[serde(default)]
    pub commit_tag: Option<String>,
    /// Whether a newer version is out.
    #[serde(default)]
    pub update_available: bool,
    /// Whether a changed setting waits for a restart.
    #[serde(default)]
    pub restart_required: bool,
}

/// A user's permission bits (`server/lib/permissions.ts`; the same values
/// in Overseerr and Jellyseerr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Permissions(pub u64);

impl Permissions {
    /// `ADMIN`: every permission.
    pub const ADMIN: u64 = 2;
    /// `MANAGE_REQUESTS`: approves requests, own ones included.
    pub const MANAGE_REQUESTS: u64 = 16;
    /// `REQUEST`: requests movies and shows.
    pub const REQUEST: u64 = 32;
    /// `AUTO_APPROVE`: own requests are approved at once.
    pub const AUTO_APPROVE: u64 = 128;
    /// `AUTO_APPROVE_MOVIE`.
    pub const AUTO_APPROVE_MOVIE: u64 = 256;
    /// `AUTO_APPROVE_TV`.
    pub const AUTO_APPROVE_TV: u64 = 512;
    /// `REQUEST_MOVIE`.
    pub const REQUEST_MOVIE: u64 = 262_144;
    /// `REQUEST_TV`.
    pub const REQUEST_TV: u64 = 524_288;

    fn any(self, bits: &[u64]) -> bool {
        self.0 & Self::ADMIN != 0 || bits.iter().any(|bit| self.0 & bit != 0)
    }

    /// Whether the user may request titles of `kind` (not in 4K), as
    /// `MediaRequest.request` checks it.
    pub fn may_request(self, kind: MediaKind) -> bool {
        match kind {
            MediaKind::Movie => self.any(&[Self::REQUEST, Self::REQUEST_MOVIE]),
            MediaKind::Show => self.any(&[Self::REQUEST, Self::REQUEST_TV]),
        }
    }

    /// Whether the user's requests of `kind` are approved at once (else
    /// they wait for someone in Seerr to approve them).
    pub fn auto_approves(self, kind: MediaKind) -> bool {
        let own = match kind {
            MediaKind::Movie => Self::AUTO_APPROVE_MOVIE,
            MediaKind::Show => Self::AUTO_APPROVE_TV,
        };
        self.any(&[Self::AUTO_APPROVE, own, Self::MANAGE_REQUESTS])
    }
}

/// The user the API key acts as (`GET /api/v1/auth/me`): the first
/// administrator, unless the request names another one in `X-Api-User`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Its id (1 for the first administrator).
    pub id: u32,
    /// The name Seerr shows.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Its local user name.
    #[serde(default)]
    pub username: Option<String>,
    /// Its Plex user name.
    #[serde(default)]
    pub plex_username: Option<String>,
    /// What it may do.
    #[serde(default)]
    pub permissions: Permissions,
}

impl User {
    /// The best name to show: the display name, else a user name, else
    /// `#id`.
    pub fn name(&self) -> String {
        [&self.display_name, &self.username, &self.plex_username]
            .into_iter()
            .flatten()
            .find(|name| !name.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| format!("#{}", self.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_may_do_everything_and_request_alone_needs_approval() {
        let admin = Permissions(Permissions::ADMIN);
        assert!(admin.may_request(MediaKind::Show));
        assert!(admin.auto_approves(MediaKind::Movie));
        let requester = Permissions(Permissions::REQUEST_MOVIE);
        assert!(requester.may_request(MediaKind::Movie));
        assert!(!requester.may_request(MediaKind::Show));
        assert!(!requester.auto_approves(MediaKind::Movie));
        assert!(Permissions(Permissions::AUTO_APPROVE_TV).auto_approves(MediaKind::Show));
    }
}
