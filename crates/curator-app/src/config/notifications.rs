//! `notifications:` (a list of targets) and the previous tool's
//! `alerts.email`, read into [`curator_notify::Target`]s.
//!
//! ```yaml
//! notifications:
//!   - discord: "https://discord.com/api/webhooks/ID/TOKEN"
//!     on: changes            # failure (default), changes or always
//!   - ntfy: { server: "https://ntfy.sh", topic: "curator-7f3a", token: "tk_..." }
//!   - gotify: { server: "http://gotify.lan", token: "A..." }
//!   - webhook: "https://example.org/hooks/curator"
//!   - email: { host: "smtp.example.org", username: "me", password: "...",
//!              from: "me@example.org", to: ["me@example.org"], tls: starttls }
//!     report: true           # the weekly report (default true)
//!     send_only_on_problems: false
//! ```

use curator_http::Secret;
use curator_http::reqwest::Url;
use curator_notify::{Email, EmailTls, On, Receiver, Target};

use super::error::ConfigError;
use super::file::{AlertsFile, EmailFile, GotifyFile, NtfyFile, OneOrMany, TargetFile};
use super::placeholder::{self, is_unset};

fn set(value: Option<String>) -> Option<String> {
    placeholder::set(value)
}

fn secret(value: Option<Secret>) -> Option<Secret> {
    value.filter(|s| !is_unset(s.expose()))
}

fn on(value: Option<String>, key: &str, text: &str) -> Result<On, ConfigError> {
    match set(value).map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("failure" | "failures" | "problems") => Ok(On::Failure),
        Some("changes" | "change") => Ok(On::Changes),
        Some("always") => Ok(On::Always),
        Some(other) => Err(ConfigError::new(format!("unknown setting on: {other:?}"))
            .key(key, text)
            .fix("use failure (only when something failed), changes (also when a collection changed or a movie went to Radarr) or always")),
    }
}

fn tls(value: Option<String>, key: &str, text: &str) -> Result<EmailTls, ConfigError> {
    // Not through the placeholder filter: it takes "none" for "not set".
    let value = value
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty());
    match value.as_deref() {
        None | Some("starttls") => Ok(EmailTls::StartTls),
        Some("tls" | "ssl" | "smtps" | "implicit") => Ok(EmailTls::Implicit),
        Some("none" | "off" | "plain") => Ok(EmailTls::None),
        Some(other) => Err(ConfigError::new(format!("unknown tls {other:?}"))
            .key(key, text)
            .fix("use starttls (port 587), tls (implicit TLS, port 465) or none (a relay on the same machine)")),
    }
}

fn default_port(tls: EmailTls) -> u16 {
    match tls {
        EmailTls::StartTls => 587,
        EmailTls::Implicit => 465,
        EmailTls::None => 25,
    }
}

/// An http(s) URL. The value is never repeated in the error: a webhook
/// URL holds its token.
fn http_url(value: &str, key: &str, text: &str) -> Result<(), ConfigError> {
    match Url::parse(value.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(ConfigError::new(
            "not an http(s) URL (the value is not shown: it may hold a token)",
        )
        .key(key, text)
        .fix("write the whole address with https://, as the service shows it")),
    }
}

/// Reads `notifications:`. Entries whose secrets are placeholders are left
/// out with a notice.
///
/// # Errors
/// An entry with no receiver or several, or a bad value, naming its key.
pub(crate) fn resolve(
    entries: Vec<TargetFile>,
    text: &str,
    notices: &mut Vec<String>,
) -> Result<Vec<Target>, ConfigError> {
    let mut targets = Vec::new();
    for (n, entry) in entries.into_iter().enumerate() {
        let key = format!("notifications[{n}]");
        let kinds = [
            entry.discord.is_some(),
            entry.ntfy.is_some(),
            entry.gotify.is_some(),
            entry.webhook.is_some(),
            entry.email.is_some(),
        ]
        .into_iter()
        .filter(|k| *k)
        .count();
        if kinds != 1 {
            return Err(ConfigError::new(format!(
                "{key} has {kinds} receivers; each entry names exactly one"
            ))
            .key("notifications", text)
            .fix("start each entry with one of discord:, ntfy:, gotify:, webhook: or email:"));
        }
        let Some(receiver) = receiver(
            entry.discord,
            entry.ntfy,
            entry.gotify,
            entry.webhook,
            entry.email,
            &key,
            text,
        )?
        else {
            notices.push(format!("{key}: left out, its address or token is not set"));
            continue;
        };
        let name = set(entry.name).unwrap_or_else(|| {
            let kind = receiver.kind();
            let same = targets
                .iter()
                .filter(|t: &&Target| t.receiver.kind() == kind)
                .count();
            if same == 0 {
                kind.to_owned()
            } else {
                format!("{kind} {}", same + 1)
            }
        });
        let mut target = Target::new(name, receiver).on(on(entry.on, "notifications", text)?);
        target.report = entry.report.unwrap_or(true);
        target.send_only_on_problems = entry.send_only_on_problems.unwrap_or(false);
        targets.push(target);
    }
    Ok(targets)
}

fn receiver(
    discord: Option<Secret>,
    ntfy: Option<NtfyFile>,
    gotify: Option<GotifyFile>,
    webhook: Option<Secret>,
    email: Option<EmailFile>,
    key: &str,
    text: &str,
) -> Result<Option<Receiver>, ConfigError> {
    if let Some(webhook) = discord {
        let Some(webhook) = secret(Some(webhook)) else {
            return Ok(None);
        };
        http_url(webhook.expose(), "notifications", text)?;
        return Ok(Some(Receiver::Discord { webhook }));
    }
    if let Some(ntfy) = ntfy {
        let server = set(ntfy.server).unwrap_or_else(|| "https://ntfy.sh".to_owned());
        http_url(&server, "notifications", text)?;
        let Some(topic) = secret(ntfy.topic) else {
            return Ok(None);
        };
        return Ok(Some(Receiver::Ntfy {
            server: server.trim().trim_end_matches('/').to_owned(),
            topic,
            token: secret(ntfy.token),
        }));
    }
    if let Some(gotify) = gotify {
        let (Some(server), Some(token)) = (set(gotify.server), secret(gotify.token)) else {
            return Ok(None);
        };
        http_url(&server, "notifications", text)?;
        return Ok(Some(Receiver::Gotify {
            server: server.trim().trim_end_matches('/').to_owned(),
            token,
        }));
    }
    if let Some(url) = webhook {
        let Some(url) = secret(Some(url)) else {
            return Ok(None);
        };
        http_url(url.expose(), "notifications", text)?;
        return Ok(Some(Receiver::Webhook { url }));
    }
    let Some(email) = email else {
        return Ok(None);
    };
    let tls = tls(email.tls, "notifications", text)?;
    let username = set(email.username);
    let Some(host) = set(email.host) else {
        return Err(
            ConfigError::new(format!("{key}: the e-mail target has no host"))
                .key("notifications", text)
                .fix("set host: to your SMTP server, such as smtp.gmail.com"),
        );
    };
    let Some(from) = set(email.from).or_else(|| username.clone()) else {
        return Err(
            ConfigError::new(format!("{key}: the e-mail target has no from address"))
                .key("notifications", text)
                .fix("set from: to the address the mail comes from"),
        );
    };
    let to = email.to.map(OneOrMany::into_vec).unwrap_or_default();
    if to.is_empty() {
        return Err(
            ConfigError::new(format!("{key}: the e-mail target has no to address"))
                .key("notifications", text)
                .fix("set to: to one address or a list of them"),
        );
    }
    Ok(Some(Receiver::Email(Email {
        host,
        port: email.port.unwrap_or(default_port(tls)),
        username,
        password: secret(email.password),
        from,
        to,
        tls,
        subject_prefix: set(email.subject_prefix),
    })))
}

/// The previous tool's `alerts.email` as an e-mail target: on failures and
/// the weekly report, STARTTLS unless its block says `tls:`. As the
/// previous tool did, it is on only when `enabled` and the username, app
/// password and recipients are all set; otherwise a notice says what is
/// missing.
///
/// # Errors
/// An unknown `tls` value.
pub(crate) fn legacy_email(
    alerts: AlertsFile,
    text: &str,
    notices: &mut Vec<String>,
) -> Result<Option<Target>, ConfigError> {
    let Some(email) = alerts.email else {
        return Ok(None);
    };
    if email.enabled != Some(true) {
        return Ok(None);
    }
    let tls = tls(email.tls, "alerts.email.tls", text)?;
    let username = set(email.username);
    let password = secret(email.app_password);
    let to = email.to_emails.map(OneOrMany::into_vec).unwrap_or_default();
    let mut missing = Vec::new();
    if username.is_none() {
        missing.push("username");
    }
    if password.is_none() {
        missing.push("app_password");
    }
    if to.is_empty() {
        missing.push("to_emails");
    }
    let Some(username) = username.filter(|_| missing.is_empty()) else {
        notices.push(format!(
            "alerts.email is enabled but {} not set, so no e-mail is sent",
            missing.join(", ")
        ));
        return Ok(None);
    };
    let receiver = Receiver::Email(Email {
        host: set(email.smtp_host).unwrap_or_else(|| "smtp.gmail.com".to_owned()),
        port: email.smtp_port.unwrap_or(default_port(tls)),
        from: set(email.from_email).unwrap_or_else(|| username.clone()),
        username: Some(username),
        password,
        to,
        tls,
        subject_prefix: Some(
            set(email.subject_prefix).unwrap_or_else(|| "[Tautulli Curated]".to_owned()),
        ),
    });
    let mut target = Target::new("alerts.email", receiver).on(On::Failure);
    target.send_only_on_problems = email.send_only_on_problems.unwrap_or(false);
    Ok(Some(target))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use crate::config::{Config, ConfigError, parse};

    use super::*;

    fn load(text: &str) -> Result<Config, ConfigError> {
        parse(text, &HashMap::<&str, &str>::new())
    }

    #[test]
    fn every_receiver_loads_with_its_settings() {
        let config = load(
            r#"
notifications:
  - discord: "https://discord.com/api/webhooks/1/SECRET-hook"
    on: changes
  - ntfy: { topic: "SECRET-topic", token: "tk_SECRET" }
    on: always
    report: false
  - gotify: { server: "http://gotify.lan/", token: "ASECRET" }
  - webhook: "https://example.org/hook?key=SECRET"
  - email:
      host: "smtp.example.org"
      password: "SECRET-pw"
      username: "me@example.org"
      to: "a@example.org, b@example.org"
      tls: tls
    name: "mail"
    send_only_on_problems: true
"#,
        )
        .unwrap();
        assert!(config.notices.is_empty(), "{:?}", config.notices);
        let t = &config.notifications;
        assert_eq!(t.len(), 5);
        assert_eq!((t[0].name.as_str(), t[0].on), ("discord", On::Changes));
        assert!(
            matches!(&t[1].receiver, Receiver::Ntfy { server, token: Some(_), .. } if server == "https://ntfy.sh")
        );
        assert_eq!((t[1].on, t[1].report), (On::Always, false));
        assert!(
            matches!(&t[2].receiver, Receiver::Gotify { server, .. } if server == "http://gotify.lan")
        );
        assert_eq!(t[2].on, On::Failure);
        assert_eq!(t[3].receiver.kind(), "webhook");
        let Receiver::Email(email) = &t[4].receiver else {
            panic!("{:?}", t[4]);
        };
        assert_eq!((email.port, email.tls), (465, EmailTls::Implicit));
        assert_eq!(email.from, "me@example.org");
        assert_eq!(email.to, ["a@example.org", "b@example.org"]);
        assert_eq!(t[4].name, "mail");
        assert!(t[4].send_only_on_problems);
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn a_bad_entry_is_named_without_its_secret() {
        let two =
            load("notifications:\n  - discord: \"https://d/1\"\n    webhook: \"https://w/\"\n")
                .unwrap_err();
        assert!(
            two.to_string().contains("notifications[0] has 2 receivers"),
            "{two}"
        );
        let url = load("notifications:\n  - discord: \"discord.com/api/webhooks/1/SECRET\"\n")
            .unwrap_err()
            .to_string();
        assert!(url.contains("not an http(s) URL"), "{url}");
        assert!(!url.contains("SECRET"), "{url}");
        let on =
            load("notifications:\n  - webhook: \"https://w/\"\n    on: sometimes\n").unwrap_err();
        assert!(
            on.to_string().contains("unknown setting on: \"sometimes\""),
            "{on}"
        );
        let typo =
            load("notifications:\n  - webhook: \"https://w/\"\n    onn: always\n").unwrap_err();
        assert!(typo.to_string().contains("onn"), "{typo}");
    }

    #[test]
    fn a_placeholder_target_is_left_out_with_a_notice() {
        let config = load("notifications:\n  - discord: \"YOUR_DISCORD_WEBHOOK_URL\"\n").unwrap();
        assert!(config.notifications.is_empty());
        assert_eq!(
            config.notices,
            ["notifications[0]: left out, its address or token is not set"]
        );
    }

    /// The previous tool's `alerts.email` block as its README documents it
    /// (its `config_loader.py`: on only when enabled with username,
    /// app_password and to_emails; from_email defaults to username;
    /// to_emails a list or a comma-separated string; subject prefix
    /// "[Tautulli Curated]"; Gmail on 587 with STARTTLS).
    #[test]
    fn the_previous_tools_alerts_email_loads_as_an_email_target() {
        let config = load(
            r#"
alerts:
  email:
    enabled: true
    smtp_host: "smtp.gmail.com"
    smtp_port: 587
    username: "me@gmail.com"
    app_password: "abcd efgh ijkl mnop"
    from_email: ""
    to_emails: "me@gmail.com,partner@example.com"
    subject_prefix: "[Tautulli Curated]"
    send_only_on_problems: true
"#,
        )
        .unwrap();
        assert!(config.notices.is_empty(), "{:?}", config.notices);
        let [target] = config.notifications.as_slice() else {
            panic!("{:?}", config.notifications);
        };
        assert_eq!(
            (target.name.as_str(), target.on, target.report),
            ("alerts.email", On::Failure, true)
        );
        assert!(target.send_only_on_problems);
        let Receiver::Email(email) = &target.receiver else {
            panic!("{target:?}");
        };
        assert_eq!(
            (email.host.as_str(), email.port, email.tls),
            ("smtp.gmail.com", 587, EmailTls::StartTls)
        );
        assert_eq!(email.from, "me@gmail.com");
        assert_eq!(email.to, ["me@gmail.com", "partner@example.com"]);
        assert_eq!(
            email.password.as_ref().unwrap().expose(),
            "abcd efgh ijkl mnop"
        );
        assert_eq!(email.subject_prefix.as_deref(), Some("[Tautulli Curated]"));
    }

    #[test]
    fn alerts_email_honours_tls_and_says_what_is_missing() {
        let relay = load(
            "alerts:\n  email:\n    enabled: true\n    smtp_host: localhost\n    smtp_port: 25\n    smtp_username: me\n    smtp_password: pw\n    to_email: [me@example.org]\n    tls: none\n",
        )
        .unwrap();
        let Receiver::Email(email) = &relay.notifications[0].receiver else {
            panic!();
        };
        assert_eq!((email.tls, email.port), (EmailTls::None, 25));
        let incomplete =
            load("alerts:\n  email:\n    enabled: true\n    username: me@gmail.com\n").unwrap();
        assert!(incomplete.notifications.is_empty());
        assert_eq!(
            incomplete.notices,
            ["alerts.email is enabled but app_password, to_emails not set, so no e-mail is sent"]
        );
        let off = load("alerts:\n  email:\n    enabled: false\n    username: a\n    app_password: b\n    to_emails: [c@d]\n").unwrap();
        assert!(off.notifications.is_empty() && off.notices.is_empty());
    }
}
