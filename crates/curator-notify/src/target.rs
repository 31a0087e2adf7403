//! Where notifications go, and when.

use std::fmt;

use curator_http::Secret;
use curator_http::reqwest::Url;

use crate::message::{Level, MessageKind};

/// When a target hears about a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum On {
    /// Only when something failed (the default).
    #[default]
    Failure,
    /// When a collection changed or a movie was sent to Radarr, and on
    /// failures.
    Changes,
    /// After every run.
    Always,
}

impl On {
    /// `failure`, `changes` or `always`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Failure => "failure",
            Self::Changes => "changes",
            Self::Always => "always",
        }
    }

    /// True when a run message of `level` is for a target with this
    /// setting.
    pub fn wants(self, level: Level) -> bool {
        match self {
            Self::Failure => level == Level::Problem,
            Self::Changes => level >= Level::Changes,
            Self::Always => true,
        }
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailTls {
    /// Plain connection upgraded with STARTTLS, which must succeed
    /// (port 587; the default).
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS, port 465).
    Implicit,
    /// No TLS: only for a relay on the same machine or network.
    None,
}

impl EmailTls {
    /// `starttls`, `tls` or `none`, as the config writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::StartTls => "starttls",
            Self::Implicit => "tls",
            Self::None => "none",
        }
    }
}

/// An SMTP server and the addresses to write to.
#[derive(Clone)]
pub struct Email {
    /// The server's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The login, when the server wants one.
    pub username: Option<String>,
    /// The password (an app password for Gmail).
    pub password: Option<Secret>,
    /// The sender.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// How the connection is secured.
    pub tls: EmailTls,
    /// Put before every subject (`[curator]`).
    pub subject_prefix: Option<String>,
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("tls", &self.tls)
            .field("subject_prefix", &self.subject_prefix)
            .finish()
    }
}

/// A receiver and what it needs to be reached.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Receiver {
    /// A Discord webhook (its URL holds its token).
    Discord {
        /// `https://discord.com/api/webhooks/{id}/{token}`.
        webhook: Secret,
    },
    /// An ntfy server and topic (the topic is the password of a public
    /// server, so it is kept secret too).
    Ntfy {
        /// The server's address (`https://ntfy.sh`).
        server: String,
        /// The topic.
        topic: Secret,
        /// An access token, for a protected topic.
        token: Option<Secret>,
    },
    /// A Gotify server and an application token.
    Gotify {
        /// The server's address.
        server: String,
        /// The application's token.
        token: Secret,
    },
    /// Any URL that takes a JSON POST.
    Webhook {
        /// The URL (it may hold a token).
        url: Secret,
    },
    /// E-mail over SMTP.
    Email(Email),
}

impl Receiver {
    /// `discord`, `ntfy`, `gotify`, `webhook` or `email`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Discord { .. } => "discord",
            Self::Ntfy { .. } => "ntfy",
            Self::Gotify { .. } => "gotify",
            Self::Webhook { .. } => "webhook",
            Self::Email(_) => "email",
        }
    }

    /// Where it sends, said without any secret: a server's address, or
    /// only the host of a URL that holds a token.
    pub fn describe(&self) -> String {
        match self {
            Self::Discord { webhook } => format!("webhook on {}", host_of(webhook.expose())),
            Self::Ntfy { server, token, .. } => format!(
                "{server}, topic set{}",
                if token.is_some() {
                    ", with a token"
                } else {
                    ""
                }
            ),
            Self::Gotify { server, .. } => format!("{server}, app token set"),
            Self::Webhook { url } => format!("POST to {}", host_of(url.expose())),
            Self::Email(email) => format!(
                "{}:{} ({}) to {}",
                email.host,
                email.port,
                email.tls.name(),
                email.to.join(", ")
            ),
        }
    }
}

/// `scheme://host[:port]` of a URL, nothing after it.
fn host_of(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("?");
            match u.port() {
                Some(port) => format!("{}://{host}:{port}", u.scheme()),
                None => format!("{}://{host}", u.scheme()),
            }
        }
        Err(_) => "an address that is not a URL".to_owned(),
    }
}

/// One place notifications go.
#[derive(Debug, Clone)]
pub struct Target {
    /// A name for logs and `curator check` (`discord`, or the config's
    /// `name:`).
    pub name: String,
    /// When it hears about a run.
    pub on: On,
    /// Whether it gets the periodic report.
    pub report: bool,
    /// Send the periodic report only when the period had problems.
    pub send_only_on_problems: bool,
    /// Where it goes.
    pub receiver: Receiver,
}

impl Target {
    /// A target that hears about failures and gets the report.
    pub fn new(name: impl Into<String>, receiver: Receiver) -> Self {
        Self {
            name: name.into(),
            on: On::Failure,
            report: true,
            send_only_on_problems: false,
            receiver,
        }
    }

    /// Sets when it hears about runs.
    #[must_use]
    pub fn on(mut self, on: On) -> Self {
        self.on = on;
        self
    }

    /// True when `kind` at `level` is for this target.
    pub fn wants(&self, kind: MessageKind, level: Level) -> bool {
        match kind {
            MessageKind::Run => self.on.wants(level),
            MessageKind::Report => {
                self.report && (!self.send_only_on_problems || level == Level::Problem)
            }
            MessageKind::Test => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_picks_its_runs() {
        use Level::{Changes, Ok, Problem};
        let wanted = |on: On| {
            [Ok, Changes, Problem]
                .into_iter()
                .filter(|l| on.wants(*l))
                .collect::<Vec<_>>()
        };
        assert_eq!(wanted(On::Failure), [Problem]);
        assert_eq!(wanted(On::Changes), [Changes, Problem]);
        assert_eq!(wanted(On::Always), [Ok, Changes, Problem]);
    }

    #[test]
    fn the_report_honours_send_only_on_problems_and_opting_out() {
        let mut target = Target::new(
            "mail",
            Receiver::Webhook {
                url: Secret::new("http://x/"),
            },
        );
        assert!(target.wants(MessageKind::Report, Level::Ok));
        target.send_only_on_problems = true;
        assert!(!target.wants(MessageKind::Report, Level::Changes));
        assert!(target.wants(MessageKind::Report, Level::Problem));
        target.report = false;
        assert!(!target.wants(MessageKind::Report, Level::Problem));
        assert!(target.wants(MessageKind::Test, Level::Ok));
    }

    #[test]
    fn descriptions_and_debug_never_show_a_secret() {
        let receivers = [
            Receiver::Discord {
                webhook: Secret::new("https://discord.com/api/webhooks/123/SECRET-TOKEN"),
            },
            Receiver::Ntfy {
                server: "https://ntfy.sh".into(),
                topic: Secret::new("SECRET-TOPIC"),
                token: Some(Secret::new("tk_SECRET")),
            },
            Receiver::Gotify {
                server: "http://gotify.lan".into(),
                token: Secret::new("ASECRETTOKEN"),
            },
            Receiver::Webhook {
                url: Secret::new("https://hooks.example/x?key=SECRET"),
            },
            Receiver::Email(Email {
                host: "smtp.gmail.com".into(),
                port: 587,
                username: Some("me@gmail.com".into()),
                password: Some(Secret::new("SECRET-PASSWORD")),
                from: "me@gmail.com".into(),
                to: vec!["you@example.com".into()],
                tls: EmailTls::StartTls,
                subject_prefix: None,
            }),
        ];
        for receiver in receivers {
            let shown = format!("{} {:?}", receiver.describe(), Target::new("t", receiver));
            assert!(!shown.contains("SECRET"), "{shown}");
        }
    }
}
