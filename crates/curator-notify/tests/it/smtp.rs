//! E-mail against the fake SMTP server (`tls: none`, as for a relay on
//! the same machine): the envelope, the login and the message as sent.

use std::time::Duration;

use curator_http::Secret;
use curator_notify::fake::FakeSmtp;
use curator_notify::{Email, EmailTls, Level, Message, MessageKind, Notifier, Receiver, Target};

fn email(port: u16) -> Email {
    Email {
        host: "127.0.0.1".into(),
        port,
        username: Some("me@example.com".into()),
        password: Some(Secret::new("app-password")),
        from: "me@example.com".into(),
        to: vec!["you@example.com".into(), "them@example.com".into()],
        tls: EmailTls::None,
        subject_prefix: Some("[curator]".into()),
    }
}

/// Base64 (RFC 4648) of `bytes`, to compare with `AUTH PLAIN`'s initial
/// response (RFC 4616: authzid NUL authcid NUL password).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn an_email_reaches_every_recipient_with_the_login_subject_and_both_bodies() {
    let smtp = FakeSmtp::start().await;
    let target = Target::new("mail", Receiver::Email(email(smtp.port())));
    let message = Message::new(
        MessageKind::Run,
        Level::Problem,
        "Inception (2010) had problems",
    )
    .summary("1 step failed")
    .section("Radarr monitor confirm", ["radarr: 401 unauthorized"])
    .html("<h1>1 step failed</h1>");
    let delivery = Notifier::new(vec![target])
        .unwrap()
        .retry_delay(Duration::ZERO)
        .send(&message)
        .await;
    assert_eq!((delivery.sent(), delivery.failed()), (1, 0), "{delivery:?}");
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.from, "me@example.com");
    assert_eq!(mail.to, ["you@example.com", "them@example.com"]);
    assert_eq!(
        mail.auth.as_deref(),
        Some(base64(b"\0me@example.com\0app-password").as_str())
    );
    assert!(
        mail.data
            .contains("Subject: [curator] Inception (2010) had problems"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("radarr: 401 unauthorized"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("<h1>1 step failed</h1>"),
        "{}",
        mail.data
    );
}

#[tokio::test]
async fn a_server_that_is_down_is_tried_twice_and_reported() {
    // A port nobody listens on: bound, then let go.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let target = Target::new("mail", Receiver::Email(email(port)));
    let message = Message::new(MessageKind::Test, Level::Ok, "test");
    let delivery = Notifier::new(vec![target])
        .unwrap()
        .retry_delay(Duration::ZERO)
        .send(&message)
        .await;
    assert_eq!(delivery.failed(), 1);
    let error = delivery.results[0].1.as_ref().unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(shown.starts_with("email.send: "), "{shown}");
    assert!(!shown.contains("app-password"), "{shown}");
}
