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
    pub base_path: Option<String>,
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
    "base_path",
];

/// The first path segments of `curator serve`'s own routes (`/api/...`,
/// `/hooks/...`); a base path may not start with one, or a request behind
/// a proxy that strips the prefix could not be told from one that does
/// not. Kept in step with curator-serve's router by a test there.
pub const ROUTE_ROOTS: &[&str] = &[
    "api",
    "hooks",
    "jobs",
    "approvals",
    "live",
    "posters",
    "metrics",
    "healthz",
];

/// Reads a base path (`serve.base_path`, `$CURATOR_BASE_PATH`): the
/// sub-path a reverse proxy serves curator under, such as `/curator`.
/// Returns it with one leading and no trailing slash; `""` for none (an
/// empty value or `/`).
///
/// # Errors
/// The reason, for a path that does not start with `/`, has an empty, `.`
/// or `..` segment, holds a character other than letters, digits and
/// `-._~`, or starts with a segment of curator's own routes
/// ([`ROUTE_ROOTS`]).
pub fn parse_base_path(value: &str) -> Result<String, String> {
    let value = value.trim();
    let Some(rest) = value.strip_prefix('/') else {
        return if value.is_empty() {
            Ok(String::new())
        } else {
            Err(format!("{value:?} does not start with /"))
        };
    };
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Ok(String::new());
    }
    for segment in rest.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return Err(format!("{value:?} has an empty, . or .. segment"));
        }
        if let Some(c) = segment
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "-._~".contains(*c)))
        {
            return Err(format!(
                "{value:?} holds {c:?}: use letters, digits, - . _ and ~"
            ));
        }
    }
    let first = rest.split('/').next().unwrap_or_default();
    if ROUTE_ROOTS.contains(&first) {
        return Err(format!(
            "{value:?} starts with /{first}, one of curator's own routes"
        ));
    }
    Ok(format!("/{rest}"))
}

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
    /// The sub-path a reverse proxy serves curator under (`/curator`), or
    /// `""`: every link, form, redirect and the cookie's `Path` carry it
    /// (`serve.base_path` or `$CURATOR_BASE_PATH`; see [`parse_base_path`]).
    pub base_path: String,
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
            base_path: String::new(),
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
    // An empty `$CURATOR_BASE_PATH` leaves the file's; `/` means none.
    let base_path = match env.var("CURATOR_BASE_PATH").filter(|v| !is_unset(v)) {
        Some(value) => parse_base_path(&value).map_err(|why| {
            ConfigError::new(format!("$CURATOR_BASE_PATH: {why}"))
                .fix("use the sub-path the proxy serves curator under, like /curator")
        })?,
        None => parse_base_path(file.base_path.as_deref().unwrap_or_default()).map_err(|why| {
            ConfigError::new(why)
                .key("serve.base_path", text)
                .fix("use the sub-path the proxy serves curator under, like /curator")
        })?,
    };
    Ok(ServeSettings {
        base_path,
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

    #[test]
    fn a_base_path_is_read_with_one_leading_and_no_trailing_slash() {
        use super::parse_base_path;
        for (given, read) in [
            ("", ""),
            ("/", ""),
            ("  ", ""),
            ("/curator", "/curator"),
            ("/curator/", "/curator"),
            (" /media/curator// ", "/media/curator"),
            ("/api-v2.x_~", "/api-v2.x_~"),
        ] {
            assert_eq!(parse_base_path(given).as_deref(), Ok(read), "{given:?}");
        }
        for bad in [
            "curator",
            "//curator",
            "/a//b",
            "/a/../b",
            "/./a",
            "/cu rator",
            "/cu\"rator",
            "/a?b",
            "/a#b",
            "/%2e",
            "/api",
            "/hooks/x",
            "/live",
        ] {
            assert!(parse_base_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_base_path_comes_from_the_config_or_the_environment() {
        let read = |text: &str, env: &[(&str, &str)]| {
            let env: HashMap<&str, &str> = env.iter().copied().collect();
            parse(text, &env).map(|c| c.serve.base_path)
        };
        assert_eq!(read("", &[]).unwrap(), "");
        assert_eq!(
            read("serve:\n  base_path: /curator/\n", &[]).unwrap(),
            "/curator"
        );
        assert_eq!(
            read(
                "serve:\n  base_path: /curator\n",
                &[("CURATOR_BASE_PATH", "/other")]
            )
            .unwrap(),
            "/other"
        );
        let bad = read("serve:\n  base_path: curator\n", &[]).unwrap_err();
        assert_eq!(bad.key.as_deref(), Some("serve.base_path"));
        assert_eq!(bad.line, Some(2));
        assert!(bad.message.contains("does not start with /"), "{bad}");
        let bad = read("", &[("CURATOR_BASE_PATH", "/api")]).unwrap_err();
        assert!(bad.message.contains("CURATOR_BASE_PATH"), "{bad}");
    }
}
