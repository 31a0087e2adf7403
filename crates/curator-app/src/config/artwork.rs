//! `collections.<key>_poster`, `_background` and `_summary`, and
//! `collections.artwork`: how curator's collections look in Plex.

use std::collections::BTreeMap;
use std::path::Path;

use curator_core::{RowArtwork, RowKey};
use plex_client::Image;

use super::error::ConfigError;
use super::file::CollectionsFile;
use super::placeholder;
use crate::artwork::default_poster;

/// Reads an image setting: a URL Plex fetches itself, or a PNG or JPEG
/// file (relative paths from the config file's folder).
fn image(
    value: Option<&String>,
    key: &str,
    text: &str,
    base: Option<&Path>,
) -> Result<Option<Image>, ConfigError> {
    let Some(value) = placeholder::set(value.cloned()) else {
        return Ok(None);
    };
    let value = value.trim();
    if value.starts_with("http://") || value.starts_with("https://") {
        return Ok(Some(Image::Url(value.to_owned())));
    }
    let path = Path::new(value);
    let path = match base {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_owned(),
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        ConfigError::new(format!("cannot read the image {}: {e}", path.display()))
            .key(key, text)
            .fix("give the path of a PNG or JPEG file (relative to the config file), or an http(s) URL")
    })?;
    if !(bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xff\xd8\xff")) {
        return Err(
            ConfigError::new(format!("{} is not a PNG or JPEG image", path.display()))
                .key(key, text)
                .fix("Plex takes PNG and JPEG posters: convert the image, or use another"),
        );
    }
    Ok(Some(Image::Bytes(bytes)))
}

/// Each row's poster, background and summary. Without a poster of its
/// own a collection gets curator's default one, unless
/// `collections.artwork` is `false`.
pub(super) fn resolve(
    file: &CollectionsFile,
    text: &str,
    base: Option<&Path>,
) -> Result<BTreeMap<RowKey, RowArtwork>, ConfigError> {
    let defaults = file.artwork.unwrap_or(true);
    let mut out = BTreeMap::new();
    for (row, poster, background, summary) in [
        (
            RowKey::RecentlyWatched,
            &file.recently_watched_poster,
            &file.recently_watched_background,
            &file.recently_watched_summary,
        ),
        (
            RowKey::ChangeOfTaste,
            &file.change_of_taste_poster,
            &file.change_of_taste_background,
            &file.change_of_taste_summary,
        ),
        (
            RowKey::ImmaculateTaste,
            &file.immaculate_taste_poster,
            &file.immaculate_taste_background,
            &file.immaculate_taste_summary,
        ),
        (
            RowKey::TvRecentlyWatched,
            &file.tv_recently_watched_poster,
            &file.tv_recently_watched_background,
            &file.tv_recently_watched_summary,
        ),
        (
            RowKey::TvChangeOfTaste,
            &file.tv_change_of_taste_poster,
            &file.tv_change_of_taste_background,
            &file.tv_change_of_taste_summary,
        ),
        (
            RowKey::TvImmaculateTaste,
            &file.tv_immaculate_taste_poster,
            &file.tv_immaculate_taste_background,
            &file.tv_immaculate_taste_summary,
        ),
    ] {
        let key = |suffix: &str| format!("collections.{}_{suffix}", row.key());
        let poster = match image(poster.as_ref(), &key("poster"), text, base)? {
            Some(image) => Some(image),
            None if defaults => Some(Image::Bytes(default_poster(row))),
            None => None,
        };
        let artwork = RowArtwork {
            poster,
            background: image(background.as_ref(), &key("background"), text, base)?,
            summary: placeholder::set(summary.clone()).map(|s| s.trim().to_owned()),
        };
        if artwork != RowArtwork::default() {
            out.insert(row, artwork);
        }
    }
    Ok(out)
}
