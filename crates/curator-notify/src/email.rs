//! E-mail over SMTP through lettre, on rustls.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::error::Error;
use crate::message::Message;
use crate::target::{Email, EmailTls};

const OP: &str = "email.send";

/// How lettre secures the connection for `email`: STARTTLS that must
/// succeed ([`Tls::Required`], never the opportunistic kind that falls
/// back to plain text), TLS from the first byte ([`Tls::Wrapper`]), or
/// none; certificates are checked against the host name.
///
/// # Errors
/// [`Error::Build`] when TLS cannot be set up for the host.
pub fn smtp_tls(email: &Email) -> Result<Tls, Error> {
    let parameters = || {
        TlsParameters::new(email.host.clone()).map_err(|e| Error::Build {
            op: OP,
            message: format!("cannot set up TLS for {}: {e}", email.host),
        })
    };
    Ok(match email.tls {
        EmailTls::StartTls => Tls::Required(parameters()?),
        EmailTls::Implicit => Tls::Wrapper(parameters()?),
        EmailTls::None => Tls::None,
    })
}

fn mailbox(address: &str) -> Result<Mailbox, Error> {
    address.trim().parse().map_err(|_| Error::Address {
        op: OP,
        address: address.to_owned(),
    })
}

/// The e-mail for `message`: plain text, with an HTML alternative when the
/// message has one.
pub(crate) fn mail(email: &Email, message: &Message) -> Result<lettre::Message, Error> {
    let mut builder = lettre::Message::builder().from(mailbox(&email.from)?);
    for to in &email.to {
        builder = builder.to(mailbox(to)?);
    }
    let subject = match &email.subject_prefix {
        Some(prefix) if !prefix.trim().is_empty() => format!("{} {}", prefix.trim(), message.title),
        _ => message.title.clone(),
    };
    let builder = builder.subject(subject);
    let mut text = message.text();
    if text.is_empty() {
        text.clone_from(&message.title);
    }
    let built = match &message.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(text, html.clone())),
        None => builder.header(ContentType::TEXT_PLAIN).body(text),
    };
    built.map_err(|e| Error::Build {
        op: OP,
        message: e.to_string(),
    })
}

/// Sends `message` to `email`'s recipients.
pub(crate) async fn send(email: &Email, message: &Message, timeout: Duration) -> Result<(), Error> {
    let mail = mail(email, message)?;
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(email.host.clone())
        .port(email.port)
        .tls(smtp_tls(email)?)
        .timeout(Some(timeout));
    if let (Some(username), Some(password)) = (&email.username, &email.password) {
        transport = transport.credentials(Credentials::new(
            username.clone(),
            password.expose().to_owned(),
        ));
    }
    transport
        .build()
        .send(mail)
        .await
        .map(drop)
        .map_err(|source| Error::Smtp { op: OP, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Level, MessageKind};

    fn email(tls: EmailTls) -> Email {
        Email {
            host: "smtp.gmail.com".into(),
            port: 587,
            username: Some("me@gmail.com".into()),
            password: Some(curator_http::Secret::new("app-password")),
            from: "me@gmail.com".into(),
            to: vec!["you@example.com".into(), "them@example.com".into()],
            tls,
            subject_prefix: Some("[Tautulli Curated]".into()),
        }
    }

    #[test]
    fn each_tls_setting_reaches_lettre_as_its_mode() {
        let starttls = smtp_tls(&email(EmailTls::StartTls)).unwrap();
        assert!(
            matches!(&starttls, Tls::Required(p) if p.domain() == "smtp.gmail.com"),
            "{starttls:?}"
        );
        let implicit = smtp_tls(&email(EmailTls::Implicit)).unwrap();
        assert!(
            matches!(&implicit, Tls::Wrapper(p) if p.domain() == "smtp.gmail.com"),
            "{implicit:?}"
        );
        assert!(matches!(
            smtp_tls(&email(EmailTls::None)).unwrap(),
            Tls::None
        ));
    }

    #[test]
    fn the_mail_has_the_prefixed_subject_every_recipient_and_both_bodies() {
        let message = Message::new(MessageKind::Report, Level::Ok, "weekly report")
            .summary("3 runs")
            .html("<p>3 runs</p>");
        let raw =
            String::from_utf8(mail(&email(EmailTls::None), &message).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("Subject: [Tautulli Curated] weekly report"),
            "{raw}"
        );
        assert!(
            raw.contains("To: you@example.com, them@example.com"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
        assert!(raw.contains("<p>3 runs</p>"), "{raw}");
    }

    #[test]
    fn a_bad_address_is_named_without_the_password() {
        let mut bad = email(EmailTls::None);
        bad.to = vec!["not an address".into()];
        let message = Message::new(MessageKind::Test, Level::Ok, "test");
        let error = mail(&bad, &message).unwrap_err().to_string();
        assert_eq!(
            error,
            "email.send: \"not an address\" is not an e-mail address"
        );
    }
}
