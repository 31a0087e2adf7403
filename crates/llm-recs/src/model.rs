//! The chat completions wire format, read leniently.
//!
//! Servers differ in small ways: `content` may be a string, null, or an
//! array of parts; error bodies may be `{"error": {...}}`, `{"error": "..."}`
//! or (Gemini) a one-element array of those. Unknown fields are ignored.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{MediaKind, MediaKindExt};

/// The answer of `POST /chat/completions`.
#[derive(Debug, Deserialize)]
pub(crate) struct ChatResponse {
    #[serde(default)]
    pub(crate) choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Choice {
    #[serde(default)]
    pub(crate) message: Option<Message>,
    #[serde(default)]
    pub(crate) finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Message {
    #[serde(default)]
    pub(crate) content: Option<Value>,
    #[serde(default)]
    pub(crate) refusal: Option<String>,
}

impl Message {
    /// The text of the answer: a string, or the text parts of an array.
    pub(crate) fn text(&self) -> String {
        match &self.content {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(|part| match part {
                    Value::String(text) => Some(text.as_str()),
                    Value::Object(part) => part.get("text").and_then(Value::as_str),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(""),
            _ => String::new(),
        }
    }
}

/// What an error body says, from whichever shape it came in.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) message: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) code: Option<String>,
    /// The request field the error is about (`"temperature"`, `"max_tokens"`).
    pub(crate) param: Option<String>,
}

impl ApiError {
    /// Reads `{"error": {...}}`, `{"error": "..."}`, Gemini's one-element
    /// array of those, and vLLM's older top-level shape
    /// `{"object": "error", "message": ..., "type": ..., "code": 400}`.
    pub(crate) fn from_body(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let value = match value {
            Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            other => other,
        };
        let error = match value.get("error") {
            Some(error) => error,
            None if value.get("object").and_then(Value::as_str) == Some("error") => &value,
            None => return Self::default(),
        };
        let text = |key: &str| match error.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        match error {
            Value::String(message) => Self {
                message: Some(message.clone()),
                ..Self::default()
            },
            _ => Self {
                message: text("message"),
                kind: text("type").or_else(|| text("status")),
                code: text("code"),
                param: text("param"),
            },
        }
    }

    /// True when the body is an error and not a completion: a top-level
    /// `error` (or vLLM's `"object": "error"`) and no `choices`. LM Studio
    /// answers a wrong path this way with a 200, and OpenRouter can too.
    pub(crate) fn in_success_body(body: &[u8]) -> Option<Self> {
        let value = serde_json::from_slice::<Value>(body).ok()?;
        let value = match value {
            Value::Array(items) if items.len() == 1 => items.into_iter().next()?,
            other => other,
        };
        let is_error = value.get("error").is_some_and(|e| !e.is_null())
            || value.get("object").and_then(Value::as_str) == Some("error");
        if !is_error || value.get("choices").is_some_and(|c| !c.is_null()) {
            return None;
        }
        Some(Self::from_body(value.to_string().as_bytes()))
    }

    /// The HTTP status an error body names in its `code` (OpenRouter,
    /// Gemini and vLLM put it there), when it is one.
    pub(crate) fn status_code(&self) -> Option<u16> {
        self.code
            .as_deref()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (400..=599).contains(c))
    }

    /// True when the account has no credit left.
    pub(crate) fn is_quota(&self) -> bool {
        [&self.code, &self.kind]
            .into_iter()
            .flatten()
            .any(|s| s == "insufficient_quota")
    }

    /// Every field, lowercased and joined, for matching words in.
    pub(crate) fn haystack(&self) -> String {
        [&self.message, &self.kind, &self.code, &self.param]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The JSON schema of an answer holding one array per list name. Strict
/// mode wants every property listed in `required` and no others allowed,
/// so an unknown year is `null` rather than absent. No reason is asked
/// for: nothing uses it, and on a local model every token is time. A list
/// of series names its year [`MediaKind::year_field`] (`first_air_year`),
/// which the parser reads.
pub(crate) fn lists_schema(lists: &[(&str, MediaKind)]) -> Value {
    let item = |media: MediaKind| {
        let year = media.year_field();
        let mut properties = serde_json::Map::new();
        properties.insert("title".to_owned(), json!({"type": "string"}));
        properties.insert(year.to_owned(), json!({"type": ["integer", "null"]}));
        json!({
            "type": "object",
            "properties": properties,
            "required": ["title", year],
            "additionalProperties": false
        })
    };
    let properties: serde_json::Map<String, Value> = lists
        .iter()
        .map(|(name, media)| {
            (
                (*name).to_owned(),
                json!({"type": "array", "items": item(*media)}),
            )
        })
        .collect();
    let names: Vec<&str> = lists.iter().map(|(name, _)| *name).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": names,
        "additionalProperties": false
    })
}

/// The schema's name: what the answer holds.
fn schema_name(lists: &[(&str, MediaKind)]) -> &'static str {
    let movies = lists.iter().any(|(_, m)| *m == MediaKind::Movie);
    let shows = lists.iter().any(|(_, m)| *m == MediaKind::Show);
    match (movies, shows) {
        (false, true) => "show_suggestions",
        (true, true) => "movie_and_show_suggestions",
        _ => "movie_suggestions",
    }
}

/// The `response_format` for `mode`, asking for [`lists_schema`]; `None`
/// for plain text.
pub(crate) fn response_format(
    mode: crate::StructuredOutput,
    lists: &[(&str, MediaKind)],
) -> Option<Value> {
    match mode {
        crate::StructuredOutput::JsonSchema => Some(json!({
            "type": "json_schema",
            "json_schema": {
                "name": schema_name(lists),
                "schema": lists_schema(lists),
                "strict": true
            }
        })),
        // llama.cpp and llama-cpp-python turn the schema into a grammar;
        // servers that do not know the field ignore it (OpenAI's own JSON
        // mode only needs the word JSON in the messages, which they have).
        crate::StructuredOutput::JsonObject => Some(json!({
            "type": "json_object",
            "schema": lists_schema(lists)
        })),
        crate::StructuredOutput::Text => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_in_every_shape() {
        let openai = br#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
        let parsed = ApiError::from_body(openai);
        assert!(parsed.is_quota());
        assert_eq!(
            parsed.message.as_deref(),
            Some("You exceeded your current quota")
        );

        let gemini = br#"[{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}]"#;
        let parsed = ApiError::from_body(gemini);
        assert_eq!(parsed.code.as_deref(), Some("429"));
        assert_eq!(parsed.kind.as_deref(), Some("RESOURCE_EXHAUSTED"));
        assert!(!parsed.is_quota());

        let plain = br#"{"error":"model 'llama9' not found"}"#;
        assert_eq!(
            ApiError::from_body(plain).message.as_deref(),
            Some("model 'llama9' not found")
        );
        assert_eq!(
            ApiError::from_body(b"<html>502</html>"),
            ApiError::default()
        );
    }

    #[test]
    fn schema_is_strict_valid() {
        // Every object lists all its properties as required and forbids others.
        fn check(schema: &Value) {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .expect("required")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
                names.sort_unstable();
                let mut sorted = required.clone();
                sorted.sort_unstable();
                assert_eq!(names, sorted);
                assert_eq!(schema["additionalProperties"], false);
                props.values().for_each(check);
            }
            if let Some(items) = schema.get("items") {
                check(items);
            }
        }
        use MediaKind::{Movie, Show};
        check(&lists_schema(&[("suggestions", Movie)]));
        check(&lists_schema(&[
            ("similar", Movie),
            ("contrast", Movie),
            ("immaculate", Movie),
        ]));
        check(&lists_schema(&[("similar", Show), ("tv_immaculate", Show)]));
        check(&lists_schema(&[("similar", Movie), ("shows", Show)]));
    }

    #[test]
    fn show_lists_ask_for_the_first_air_year() {
        use MediaKind::{Movie, Show};
        let schema = lists_schema(&[("films", Movie), ("series", Show)]);
        let film = &schema["properties"]["films"]["items"];
        let show = &schema["properties"]["series"]["items"];
        assert_eq!(film["required"], json!(["title", "year"]));
        assert_eq!(show["required"], json!(["title", "first_air_year"]));
        assert_eq!(
            show["properties"]["first_air_year"]["type"],
            json!(["integer", "null"])
        );
        assert!(show["properties"].get("year").is_none());
        let named = |lists: &[(&str, MediaKind)]| {
            response_format(crate::StructuredOutput::JsonSchema, lists).unwrap()["json_schema"]
                ["name"]
                .clone()
        };
        assert_eq!(named(&[("a", Movie)]), "movie_suggestions");
        assert_eq!(named(&[("a", Show)]), "show_suggestions");
        assert_eq!(
            named(&[("a", Show), ("b", Movie)]),
            "movie_and_show_suggestions"
        );
        let object = response_format(crate::StructuredOutput::JsonObject, &[("a", Show)]).unwrap();
        assert_eq!(
            object["schema"]["properties"]["a"]["items"]["required"],
            json!(["title", "first_air_year"])
        );
    }

    #[test]
    fn content_as_parts() {
        let message: Message = serde_json::from_value(json!({
            "content": [{"type": "text", "text": "1. Heat"}, {"type": "text", "text": " (1995)"}]
        }))
        .unwrap();
        assert_eq!(message.text(), "1. Heat (1995)");
    }
}
