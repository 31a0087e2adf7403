//! Sends a message to every target that wants it; a failure is retried
//! once, then reported, never raised.

use std::time::Duration;

use curator_http::reqwest::header::{HeaderMap, HeaderName};
use curator_http::{HttpClient, HttpConfig, RetryPolicy, Safety, Secret};
use serde_json::Value;

use crate::error::Error;
use crate::message::Message;
use crate::target::{Receiver, Target};
use crate::{discord, email, gotify, ntfy, webhook};

/// What became of a message, per target.
#[derive(Debug, Default)]
pub struct Delivery {
    /// Each target that wanted the message, by name, and how sending went.
    pub results: Vec<(String, Result<(), Error>)>,
}

impl Delivery {
    /// How many targets got it.
    pub fn sent(&self) -> usize {
        self.results.iter().filter(|(_, r)| r.is_ok()).count()
    }

    /// How many targets could not be reached, even on the second try.
    pub fn failed(&self) -> usize {
        self.results.len() - self.sent()
    }
}

/// The configured targets, and the clients to reach them.
#[derive(Debug, Clone)]
pub struct Notifier {
    targets: Vec<Target>,
    http: HttpClient,
    retry_delay: Duration,
    timeout: Duration,
}

impl Notifier {
    /// A notifier for `targets`, with a 10 s connect and 20 s request
    /// timeout, retrying a failed send once after 5 s.
    ///
    /// # Errors
    /// [`Error::Http`] when the HTTP client cannot start.
    pub fn new(targets: Vec<Target>) -> Result<Self, Error> {
        let timeout = Duration::from_secs(20);
        let http = HttpClient::new(
            HttpConfig {
                request_timeout: timeout,
                // The notifier retries once itself, for e-mail too.
                retry: RetryPolicy::none(),
                ..HttpConfig::default()
            },
            HeaderMap::new(),
        )?;
        Ok(Self {
            targets,
            http,
            retry_delay: Duration::from_secs(5),
            timeout,
        })
    }

    /// Sets the wait before the one retry.
    #[must_use]
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }

    /// The targets.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// Sends `message` to every target that wants it (by its kind and
    /// level), one after another; never fails, see the [`Delivery`].
    pub async fn send(&self, message: &Message) -> Delivery {
        let mut delivery = Delivery::default();
        for target in &self.targets {
            if !target.wants(message.kind, message.level) {
                continue;
            }
            let result = self.send_to(target, message).await;
            delivery.results.push((target.name.clone(), result));
        }
        delivery
    }

    /// Sends `message` to `target`, whatever its settings, trying twice.
    ///
    /// # Errors
    /// The second attempt's error.
    pub async fn send_to(&self, target: &Target, message: &Message) -> Result<(), Error> {
        match self.attempt(&target.receiver, message).await {
            Ok(()) => {
                tracing::info!(target = %target.name, kind = target.receiver.kind(), "notification sent");
                Ok(())
            }
            Err(error) => {
                tracing::warn!(target = %target.name, %error, "notification failed; trying once more");
                tokio::time::sleep(self.retry_delay).await;
                let second = self.attempt(&target.receiver, message).await;
                match &second {
                    Ok(()) => {
                        tracing::info!(target = %target.name, "notification sent on the second try");
                    }
                    Err(error) => {
                        tracing::warn!(target = %target.name, %error, "notification not sent");
                    }
                }
                second
            }
        }
    }

    async fn attempt(&self, receiver: &Receiver, message: &Message) -> Result<(), Error> {
        match receiver {
            Receiver::Discord { webhook } => {
                self.post(
                    "discord.send",
                    webhook.expose(),
                    &discord::body(message),
                    &[],
                )
                .await
            }
            Receiver::Ntfy {
                server,
                topic,
                token,
            } => {
                let auth = token.as_ref().map(bearer).transpose()?;
                let headers: Vec<_> = auth
                    .into_iter()
                    .map(|v| (curator_http::reqwest::header::AUTHORIZATION, v))
                    .collect();
                let url = format!("{}/", server.trim_end_matches('/'));
                self.post(
                    "ntfy.send",
                    &url,
                    &ntfy::body(message, topic.expose()),
                    &headers,
                )
                .await
            }
            Receiver::Gotify { server, token } => {
                let key = token.header_value("").map_err(|_| Error::Build {
                    op: "gotify.send",
                    message: "the token holds characters a header cannot carry".into(),
                })?;
                let url = format!("{}/message", server.trim_end_matches('/'));
                let headers = [(HeaderName::from_static("x-gotify-key"), key)];
                self.post("gotify.send", &url, &gotify::body(message), &headers)
                    .await
            }
            Receiver::Webhook { url } => {
                self.post("webhook.send", url.expose(), &webhook::body(message), &[])
                    .await
            }
            Receiver::Email(mail) => email::send(mail, message, self.timeout).await,
        }
    }

    async fn post(
        &self,
        op: &'static str,
        url: &str,
        body: &Value,
        headers: &[(HeaderName, curator_http::reqwest::header::HeaderValue)],
    ) -> Result<(), Error> {
        let response = self
            .http
            .send(op, Safety::NotIdempotent, |client| {
                let mut request = client.post(url).json(body);
                for (name, value) in headers {
                    request = request.header(name.clone(), value.clone());
                }
                request
            })
            .await?;
        response.success(op)?;
        Ok(())
    }
}

fn bearer(token: &Secret) -> Result<curator_http::reqwest::header::HeaderValue, Error> {
    token.header_value("Bearer ").map_err(|_| Error::Build {
        op: "ntfy.send",
        message: "the token holds characters a header cannot carry".into(),
    })
}
