//! The `serve:` section of the config.

use std::str::FromStr;
use std::time::Duration;

use curator_http::Secret;
use serde::Deserialize;

use super::env::Env;
use super::error::ConfigError;
use super::placeholder::is_unset;
use crate::jobs::kind::JobKind;

/// `serve:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ServeFile {
    pub listen: Option<String>,
    pub token: Option<Secret>,
    pub coalesce_minutes: Option<u64>,
    pub shutdown_grace_seconds: Option<u64>,
    pub schedules: SchedulesFile,
    pub users: Option<Vec<String>>,
    pub allowed_hosts: Option<Vec<String>>,
    pub max_attempts: Option<u32>,
    pub read_timeout_seconds: Option<u64>,
    pub max_connections: Option<usize>,
}

/// `serve.schedules:` as written: a cron expression per job.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SchedulesFile {
    pub refresh: Option<String>,
    pub confirm_monitored: Option<String>,
    pub dedupe: Option<String>,
    pub report: Option<String>,
}

/// The keys `serve:` may hold.
pub(super) const SERVE_KEYS: &[&str] = &[
    "listen",
    "token",
    "coalesce_minutes",
    "shutdown_grace_seconds",
    "schedules",
    "users",
    "allowed_hosts",
    "max_attempts",
    "read_timeout_seconds",
    "max_connections",
];

/// When `curator serve` sends the periodic report unless told otherwise:
/// Mondays at 08:00.
pub const DEFAULT_REPORT_SCHEDULE: &str = "0 8 * * 1";

/// Where `curator serve` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7979";

/// A job on a cron schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The job.
    pub job: JobKind,
    /// When.
    pub cron: croner::Cron,
}

/// What `curator serve` was configured with.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// `HOST:PORT` from the config, if set.
    pub listen: Option<String>,
    /// The access token (`serve.token` or `$CURATOR_SERVE_TOKEN`).
    pub token: Option<Secret>,
    /// Events for the same movie within this window make one run.
    pub coalesce: Duration,
    /// How long a stop waits for the running job.
    pub shutdown_grace: Duration,
    /// Jobs on cron schedules.
    pub schedules: Vec<Schedule>,
    /// Whose plays start runs: Plex account titles (Tautulli's `user`);
    /// `"*"` for everyone; empty (the default) for the account whose
    /// webhook it is (Plex's `user` flag), and every user Tautulli sends.
    pub users: Vec<String>,
    /// Host names (without the port) the server answers besides its listen
    /// address and `localhost`: the name it is reached by, such as
    /// `curator.lan` or `curator` (another container); from the config and
    /// `$CURATOR_ALLOWED_HOSTS` (comma-separated).
    pub allowed_hosts: Vec<String>,
    /// Times a job is started before it is parked as failed (a job that
    /// keeps crashing the server must not crash-loop it).
    pub max_attempts: u32,
    /// How long a client may take to send a request's header, or its body,
    /// and how long a kept-alive connection may sit idle.
    pub read_timeout: Duration,
    /// Connections served at once; more are closed at once.
    pub max_connections: usize,
    /// When the periodic report goes to the notification targets
    /// (`serve.schedules.report`, weekly by default; `off`: never).
    pub report: Option<croner::Cron>,
}

impl Default for ServeSettings {
    fn default() -> Self {
        Self {
            listen: None,
            token: None,
            coalesce: Duration::from_secs(15 * 60),
            shutdown_grace: Duration::from_secs(60),
            schedules: Vec::new(),
            users: Vec::new(),
            allowed_hosts: Vec::new(),
            max_attempts: 3,
            read_timeout: Duration::from_secs(30),
            max_connections: 64,
            report: Some(
                croner::Cron::from_str(DEFAULT_REPORT_SCHEDULE).expect("a valid cron expression"),
            ),
        }
    }
}

/// Reads `serve:`; `text` is the whole file, for line numbers.
///
/// # Errors
/// An unusable cron expression or number, naming its key.
pub(super) fn resolve(
    file: ServeFile,
    text: &str,
    env: &dyn Env,
) -> Result<ServeSettings, ConfigError> {
    let defaults = ServeSettings::default();
    let token = env
        .var("CURATOR_SERVE_TOKEN")
        .filter(|t| !is_unset(t))
        .map(Secret::new)
        .or_else(|| file.token.filter(|t| !is_unset(t.expose())));
    if let Some(token) = &token
        && token.expose().trim().len() < 16
    {
        return Err(ConfigError::new("the token is shorter than 16 characters")
            .key("serve.token", text)
            .fix("use a long random value, for example the output of `openssl rand -hex 24`"));
    }
    let mut schedules = Vec::new();
    for (key, job, value) in [
        (
            "serve.schedules.refresh",
            JobKind::Refresh,
            file.schedules.refresh,
        ),
        (
            "serve.schedules.confirm_monitored",
            JobKind::ConfirmMonitored,
            file.schedules.confirm_monitored,
        ),
        (
            "serve.schedules.dedupe",
            JobKind::Dedupe,
            file.schedules.dedupe,
        ),
    ] {
        let Some(pattern) = value.filter(|v| !is_unset(v)) else {
            continue;
        };
        let cron = croner::Cron::from_str(pattern.trim()).map_err(|e| {
            ConfigError::new(format!("{pattern:?} is not a cron expression: {e}"))
                .key(key, text)
                .fix("use five fields, minute hour day month weekday, like \"30 3 * * *\" (every night at 03:30)")
        })?;
        schedules.push(Schedule { job, cron });
    }
    let report = match file.schedules.report.as_deref().map(str::trim) {
        Some(off) if ["off", "never", "false", "no"].contains(&off.to_ascii_lowercase().as_str()) => None,
        Some(pattern) if !is_unset(pattern) => Some(croner::Cron::from_str(pattern).map_err(|e| {
            ConfigError::new(format!("{pattern:?} is not a cron expression: {e}"))
                .key("serve.schedules.report", text)
                .fix("use five fields, minute hour day month weekday, like \"0 8 * * 1\" (Mondays at 08:00), or off")
        })?),
        _ => defaults.report,
    };
    Ok(ServeSettings {
        report,
        listen: file
            .listen
            .map(|l| l.trim().to_owned())
            .filter(|l| !is_unset(l)),
        token,
        coalesce: file
            .coalesce_minutes
            .map_or(defaults.coalesce, |m| Duration::from_secs(m * 60)),
        shutdown_grace: file
            .shutdown_grace_seconds
            .map_or(defaults.shutdown_grace, Duration::from_secs),
        schedules,
        users: file
            .users
            .unwrap_or_default()
            .into_iter()
            .map(|u| u.trim().to_owned())
            .filter(|u| !is_unset(u))
            .collect(),
        allowed_hosts: file
            .allowed_hosts
            .unwrap_or_default()
            .into_iter()
            // `$CURATOR_ALLOWED_HOSTS` (comma-separated) adds to the list:
            // a compose file names its service there.
            .chain(
                env.var("CURATOR_ALLOWED_HOSTS")
                    .unwrap_or_default()
                    .split(',')
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
            )
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !is_unset(h))
            .collect(),
        max_attempts: match file.max_attempts {
            None => defaults.max_attempts,
            Some(0) => {
                return Err(ConfigError::new("a job needs at least one attempt")
                    .key("serve.max_attempts", text)
                    .fix("use 1 or more (the default is 3)"));
            }
            Some(n) => n,
        },
        read_timeout: match file.read_timeout_seconds {
            None => defaults.read_timeout,
            Some(0) => {
                return Err(
                    ConfigError::new("a read timeout of 0 s would refuse every request")
                        .key("serve.read_timeout_seconds", text)
                        .fix("use 1 or more (the default is 30)"),
                );
            }
            Some(secs) => Duration::from_secs(secs),
        },
        max_connections: match file.max_connections {
            None => defaults.max_connections,
            Some(0) => {
                return Err(ConfigError::new("no connection at all would be served")
                    .key("serve.max_connections", text)
                    .fix("use 1 or more (the default is 64)"));
            }
            Some(n) => n,
        },
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::config::parse;

    fn report(text: &str) -> Result<Option<String>, crate::ConfigError> {
        parse(text, &HashMap::<&str, &str>::new())
            .map(|c| c.serve.report.map(|cron| cron.pattern.to_string()))
    }

    #[test]
    fn the_report_is_weekly_unless_set_or_switched_off() {
        assert_eq!(
            report("").unwrap().as_deref(),
            Some(super::DEFAULT_REPORT_SCHEDULE)
        );
        assert_eq!(
            report("serve:\n  schedules:\n    report: \"0 18 * * 5\"\n")
                .unwrap()
                .as_deref(),
            Some("0 18 * * 5")
        );
        assert_eq!(
            report("serve:\n  schedules:\n    report: \"off\"\n").unwrap(),
            None
        );
        let bad = report("serve:\n  schedules:\n    report: \"weekly\"\n").unwrap_err();
        assert_eq!(bad.key.as_deref(), Some("serve.schedules.report"));
    }
}
