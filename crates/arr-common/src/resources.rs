//! The endpoints Radarr and Sonarr serve alike, sent once for both clients.
//!
//! The paths and bodies are the same in both API v3s (`SystemController`,
//! `TagController`, `RootFolderController`, `QualityProfileController`,
//! `CommandController`); each client passes its own operation names.

use curator_http::Safety;
use curator_http::reqwest::Method;
use serde::Serialize;

use crate::client::{ArrError, ArrHttp, Call};
use crate::model::{Command, QualityProfile, RootFolder, SystemStatus};
use crate::tag::Tag;

impl ArrHttp {
    /// `GET api/v3/system/status`.
    ///
    /// # Errors
    /// As [`ArrHttp::read`].
    pub async fn system_status(&self, op: &'static str) -> Result<SystemStatus, ArrError> {
        self.get(op, "api/v3/system/status", &[]).await
    }

    /// `GET api/v3/tag`: every tag.
    ///
    /// # Errors
    /// As [`ArrHttp::read`].
    pub async fn tags(&self, op: &'static str) -> Result<Vec<Tag>, ArrError> {
        self.get(op, "api/v3/tag", &[]).await
    }

    /// `POST api/v3/tag` with `label` trimmed and lowercased, sent once.
    ///
    /// Both servers look a label up by its exact case and store new labels
    /// lowercased (`TagService.Add`), so a label in any other case would
    /// collide with its own tag.
    ///
    /// # Errors
    /// [`ArrError::InvalidArgument`] for a blank label; otherwise as
    /// [`ArrHttp::send_json`], and [`ArrError::Http`] for an answer that is
    /// not a tag.
    pub async fn create_tag(&self, op: &'static str, label: &str) -> Result<Tag, ArrError> {
        let label = label.trim().to_lowercase();
        if label.is_empty() {
            return Err(ArrError::InvalidArgument {
                op,
                message: "a tag label cannot be blank".to_owned(),
            });
        }
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, "api/v3/tag");
        let body = serde_json::json!({ "label": label });
        Ok(self.send_json(&call, &body).await?.json(op)?)
    }

    /// `GET api/v3/rootfolder`.
    ///
    /// # Errors
    /// As [`ArrHttp::read`].
    pub async fn root_folders(&self, op: &'static str) -> Result<Vec<RootFolder>, ArrError> {
        self.get(op, "api/v3/rootfolder", &[]).await
    }

    /// `GET api/v3/qualityprofile`.
    ///
    /// # Errors
    /// As [`ArrHttp::read`].
    pub async fn quality_profiles(
        &self,
        op: &'static str,
    ) -> Result<Vec<QualityProfile>, ArrError> {
        self.get(op, "api/v3/qualityprofile", &[]).await
    }

    /// `POST api/v3/command` with `body` (a command name and its fields),
    /// sent once; the server's answer is the queued command.
    ///
    /// # Errors
    /// As [`ArrHttp::send_json`], and [`ArrError::Http`] for an answer that
    /// is not a command.
    pub async fn command<B: Serialize>(
        &self,
        op: &'static str,
        body: &B,
    ) -> Result<Command, ArrError> {
        let call = Call::with_body(op, Safety::NotIdempotent, Method::POST, "api/v3/command");
        Ok(self.send_json(&call, body).await?.json(op)?)
    }
}
