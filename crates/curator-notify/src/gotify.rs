//! Gotify: `POST /message` with the application token.
//!
//! Gotify's docs ("Push messages", the API's `POST /message`): a JSON body
//! `{"title", "message", "priority"}`, the token in the `X-Gotify-Key`
//! header (a `token` query parameter works too, but a header stays out of
//! proxies' access logs). Priorities run 0 to 10; Gotify's Android app
//! makes a sound from 4 and pops up from 8.

use serde_json::{Value, json};

use crate::message::{Level, Message};

/// The JSON body.
pub(crate) fn body(message: &Message) -> Value {
    let priority = match message.level {
        Level::Problem => 8,
        Level::Changes | Level::Ok => 5,
    };
    let mut text = message.text();
    if text.is_empty() {
        text.clone_from(&message.title);
    }
    json!({
        "title": message.title,
        "message": text,
        "priority": priority,
    })
}
