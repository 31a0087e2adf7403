//! Seerr's spelling of the media kind: `"movie"` or `"tv"`.

use curator_http::MediaKind;

/// `MediaType` as Seerr spells it (`server/constants/media.ts`).
pub(crate) fn seerr_kind(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Movie => "movie",
        MediaKind::Show => "tv",
    }
}

/// The kind a Seerr `mediaType`/`type` names, if it is one.
pub(crate) fn parse(value: &str) -> Option<MediaKind> {
    match value {
        "movie" => Some(MediaKind::Movie),
        "tv" => Some(MediaKind::Show),
        _ => None,
    }
}

/// Serde for an optional kind spelled `"movie"`/`"tv"`; anything else
/// reads as `None`.
pub(crate) mod optional {
    use curator_http::MediaKind;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        kind: &Option<MediaKind>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match kind {
            Some(kind) => serializer.serialize_str(super::seerr_kind(*kind)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<MediaKind>, D::Error> {
        let value = Option::<String>::deserialize(deserializer)?;
        Ok(value.as_deref().and_then(super::parse))
    }
}
