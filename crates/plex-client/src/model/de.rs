//! Lenient field decoders: Plex sends the same field as a string on one
//! endpoint and a number on another, and booleans as `0`/`1` or `true`/`false`.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string, or a number turned into one (`"161"` or `161`).
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    })
}

/// Like [`text`], with null and absent as `None`.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// An integer sent as a number or a numeric string. Anything that does not
/// fit `T` (null, `""`, text, out of range) reads as `None` rather than
/// failing the whole answer.
pub(crate) fn opt_int<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    Ok(int_of(&Value::deserialize(d)?).and_then(|n| T::try_from(n).ok()))
}

/// Like [`opt_int`], but a missing or unreadable value is an error: used for
/// ids without which an entry means nothing.
pub(crate) fn int<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    let value = Value::deserialize(d)?;
    int_of(&value)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| serde::de::Error::custom(format!("expected an integer id, got {value}")))
}

/// `true`/`false`, `1`/`0`, or those as strings; anything else is false.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => matches!(s.trim(), "1" | "true" | "True" | "TRUE"),
        _ => false,
    })
}

/// Like [`flag`], but absent or `null` stays unknown.
pub(crate) fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => Some(n.as_f64().is_some_and(|n| n != 0.0)),
        Some(Value::String(s)) => Some(matches!(s.trim(), "1" | "true" | "True" | "TRUE")),
        Some(_) => None,
    })
}

/// A list that may also arrive as `null`, or as a single object where the
/// server had only one entry (seen for `Metadata`).
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let entries = match Value::deserialize(d)? {
        Value::Null => return Ok(Vec::new()),
        Value::Array(entries) => entries,
        one => vec![one],
    };
    entries
        .into_iter()
        .map(|entry| T::deserialize(entry).map_err(serde::de::Error::custom))
        .collect()
}

fn int_of(value: &Value) -> Option<i128> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| {
                let f = n.as_f64()?;
                (f.fract() == 0.0 && f.abs() < 1e30).then_some(f as i128)
            }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "super::text")]
        key: String,
        #[serde(deserialize_with = "super::opt_int")]
        count: Option<u32>,
        #[serde(deserialize_with = "super::flag")]
        smart: bool,
        #[serde(deserialize_with = "super::list")]
        items: Vec<u8>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn accepts_strings_and_numbers() {
        let p = probe(r#"{"key": 161, "count": "3", "smart": "1", "items": null}"#);
        assert_eq!(p.key, "161");
        assert_eq!(p.count, Some(3));
        assert!(p.smart);
        assert!(p.items.is_empty());
        let p = probe(r#"{"key": "161", "count": 3.0, "smart": 0, "items": [1]}"#);
        assert_eq!((p.key.as_str(), p.count, p.smart), ("161", Some(3), false));
        assert_eq!(p.items, [1]);
    }

    #[test]
    fn unreadable_numbers_are_none() {
        for json in [
            r#"{"count": ""}"#,
            r#"{"count": "many"}"#,
            r#"{"count": -1}"#,
            r#"{"count": null}"#,
            r#"{}"#,
        ] {
            assert_eq!(probe(json).count, None, "{json}");
        }
        assert!(probe(r#"{"smart": true}"#).smart);
        // One entry sent as an object, not an array.
        assert_eq!(probe(r#"{"items": 7}"#).items, [7]);
        assert!(!probe(r#"{"smart": "no"}"#).smart);
    }
}
