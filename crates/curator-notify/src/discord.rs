//! Discord: an execute-webhook request with one embed.
//!
//! The body and its limits are Discord's (developer docs, "Execute
//! Webhook" and "Embed Limits"): `content` up to 2,000 characters, up to
//! 10 embeds, each with up to 25 `fields` (`name` up to 256, `value` up to
//! 1,024 characters), a `title` up to 256 and a `description` up to 4,096,
//! and no more than 6,000 characters across every embed of a message.
//! `allowed_mentions` with no `parse` keeps a movie called "@everyone"
//! from pinging anyone.

use serde_json::{Value, json};

use crate::message::{Level, Message, truncate};

pub(crate) const MAX_CONTENT: usize = 2000;
pub(crate) const MAX_FIELDS: usize = 25;
pub(crate) const MAX_EMBED_TOTAL: usize = 6000;
const MAX_TITLE: usize = 256;
const MAX_DESCRIPTION: usize = 4096;
const MAX_FIELD_NAME: usize = 256;
const MAX_FIELD_VALUE: usize = 1024;

/// An embed's colour for a level (red, green, blue).
fn color(level: Level) -> u32 {
    match level {
        Level::Problem => 0x00E7_4C3C,
        Level::Changes => 0x002E_CC71,
        Level::Ok => 0x0034_98DB,
    }
}

/// The webhook's JSON body for `message`, within Discord's limits.
pub(crate) fn body(message: &Message) -> Value {
    let title = truncate(&message.title, MAX_TITLE);
    let mut description = truncate(&message.summary, MAX_DESCRIPTION);
    let mut fields: Vec<(String, String)> = message
        .sections
        .iter()
        .map(|s| {
            (
                truncate(&s.name, MAX_FIELD_NAME),
                truncate(&s.lines.join("\n"), MAX_FIELD_VALUE),
            )
        })
        .collect();
    if fields.len() > MAX_FIELDS {
        let left = fields.len() - (MAX_FIELDS - 1);
        fields.truncate(MAX_FIELDS - 1);
        fields.push(("…".into(), format!("{left} more section(s) left out")));
    }
    let total = |d: &str, f: &[(String, String)]| {
        title.chars().count()
            + d.chars().count()
            + f.iter()
                .map(|(n, v)| n.chars().count() + v.chars().count())
                .sum::<usize>()
    };
    // Fields go first, from the end, then the description is cut.
    while total(&description, &fields) > MAX_EMBED_TOTAL && !fields.is_empty() {
        fields.pop();
    }
    if total(&description, &fields) > MAX_EMBED_TOTAL {
        let room = MAX_EMBED_TOTAL.saturating_sub(title.chars().count());
        description = truncate(&description, room);
    }
    let fields: Vec<Value> = fields
        .into_iter()
        .map(|(name, value)| json!({ "name": name, "value": value, "inline": false }))
        .collect();
    let mut embed = json!({
        "title": title,
        "color": color(message.level),
        "fields": fields,
    });
    if !description.is_empty() {
        embed["description"] = json!(description);
    }
    json!({
        "content": truncate(&message.title, MAX_CONTENT),
        "embeds": [embed],
        "allowed_mentions": { "parse": [] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MessageKind;

    fn embed_chars(body: &Value) -> usize {
        let embed = &body["embeds"][0];
        let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        len(&embed["title"])
            + len(&embed["description"])
            + embed["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| len(&f["name"]) + len(&f["value"]))
                .sum::<usize>()
    }

    #[test]
    fn a_huge_message_is_cut_to_discords_limits() {
        let mut message = Message::new(MessageKind::Run, Level::Problem, "t".repeat(3000))
            .summary("d".repeat(5000));
        for n in 0..40 {
            message = message.section(format!("step {n}"), ["x".repeat(2000)]);
        }
        let body = body(&message);
        assert_eq!(
            body["content"].as_str().unwrap().chars().count(),
            MAX_CONTENT
        );
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"].as_str().unwrap().chars().count(), 256);
        let fields = embed["fields"].as_array().unwrap();
        assert!(fields.len() <= MAX_FIELDS);
        for field in fields {
            assert!(field["value"].as_str().unwrap().chars().count() <= 1024);
        }
        assert!(
            embed_chars(&body) <= MAX_EMBED_TOTAL,
            "{}",
            embed_chars(&body)
        );
        assert_eq!(body["embeds"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn more_than_25_sections_say_how_many_were_left_out() {
        let mut message = Message::new(MessageKind::Run, Level::Changes, "t");
        for n in 0..30 {
            message = message.section(format!("s{n}"), ["x"]);
        }
        let body = body(&message);
        let fields = body["embeds"][0]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 25);
        assert_eq!(fields[24]["value"], "6 more section(s) left out");
        assert_eq!(body["embeds"][0]["color"], 0x002E_CC71);
    }
}
