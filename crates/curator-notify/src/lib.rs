//! Notifications for curator: one [`Message`] (a title, a summary, named
//! sections, an optional HTML body and the data behind it) sent to each
//! configured [`Target`] in its receiver's own format: a Discord webhook
//! embed, an ntfy JSON publish, a Gotify message, a generic JSON webhook,
//! or an e-mail over SMTP (rustls; STARTTLS, implicit TLS, or none for a
//! relay on the same machine).
//!
//! A target says when it wants to hear ([`On`]): on failures, on changes,
//! or always; whether it gets the periodic report; and, as the previous
//! tool's e-mail alerts did, whether that report is sent only when there
//! were problems. Sending never fails the caller: each target's outcome is
//! in the [`Delivery`], each failed send is retried once, and secrets
//! (webhook URLs, tokens, the SMTP password) are [`curator_http::Secret`]s,
//! never in logs, errors or `Debug` output.
//!
//! ```no_run
//! use curator_notify::{Level, Message, MessageKind, Notifier, On, Receiver, Target};
//! use curator_http::Secret;
//!
//! # async fn example() -> Result<(), curator_notify::Error> {
//! let target = Target::new(
//!     "phone",
//!     Receiver::Ntfy {
//!         server: "https://ntfy.sh".into(),
//!         topic: Secret::new("curator-7f3a9c"),
//!         token: None,
//!     },
//! )
//! .on(On::Failure);
//! let notifier = Notifier::new(vec![target])?;
//! let message = Message::new(MessageKind::Run, Level::Problem, "curator: Inception (2010) failed")
//!     .summary("1 step failed")
//!     .section("Immaculate taste recommendations", ["radarr: timed out"]);
//! let delivery = notifier.send(&message).await;
//! println!("{} sent, {} failed", delivery.sent(), delivery.failed());
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod discord;
mod email;
mod error;
#[cfg(feature = "fake")]
pub mod fake;
mod gotify;
mod message;
mod notifier;
mod ntfy;
mod target;
mod webhook;

pub use email::smtp_tls;
pub use error::Error;
pub use message::{Level, Message, MessageKind, Section};
pub use notifier::{Delivery, Notifier};
pub use target::{Email, EmailTls, On, Receiver, Target};

/// The README's example, compiled as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
