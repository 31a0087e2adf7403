//! A generic webhook: the message and its data as one JSON object.

use serde_json::{Value, json};

use crate::message::Message;

/// The JSON body: what happened (`event`: `run`, `report` or `test`), how
/// it went (`level`: `ok`, `changes` or `problem`), the words, and `data`
/// (the run's record or the report's figures) as curator keeps them.
pub(crate) fn body(message: &Message) -> Value {
    json!({
        "event": message.kind,
        "level": message.level,
        "title": message.title,
        "summary": message.summary,
        "sections": message.sections,
        "text": message.text(),
        "data": message.data,
    })
}
