//! ntfy: a JSON publish to the server's root URL.
//!
//! ntfy's docs ("Publishing", "Publish as JSON"): a POST of
//! `{"topic", "message", "title", "priority", "tags"}` to the root URL is
//! the same as a POST to `/{topic}` with `Title`, `Priority` and `Tags`
//! headers; JSON keeps titles with accents intact, where a header would
//! need encoding. Priority 1 to 5 (3 is the default, 4 "high"); an access
//! token goes in `Authorization: Bearer`. Messages over the server's
//! 4,096-byte default limit turn into attachments, so the text is cut
//! below it.

use serde_json::{Value, json};

use crate::message::{Level, Message, truncate};

/// Below ntfy's default `message-size-limit` of 4,096 bytes, in characters
/// of up to 4 bytes.
const MAX_MESSAGE: usize = 1000;

/// The JSON publish body.
pub(crate) fn body(message: &Message, topic: &str) -> Value {
    let (priority, tag) = match message.level {
        Level::Problem => (4, "warning"),
        Level::Changes => (3, "clapper"),
        Level::Ok => (3, "white_check_mark"),
    };
    let mut text = message.text();
    if text.is_empty() {
        text.clone_from(&message.title);
    }
    json!({
        "topic": topic,
        "title": message.title,
        "message": truncate(&text, MAX_MESSAGE),
        "priority": priority,
        "tags": [tag],
    })
}
