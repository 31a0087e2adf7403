//! The `rows:` section of the config: where curator's collections show as
//! rows of Plex's Home and Recommended tab, and in what order. The switch
//! names are Kometa's (`visible_library`, `visible_home`,
//! `visible_shared`), so its users recognise them.

use curator_core::{RowKey, RowsSettings};
use plex_client::HubVisibility;
use serde::Deserialize;

use super::error::ConfigError;

/// `rows:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RowsFile {
    pub recently_watched: RowFile,
    pub change_of_taste: RowFile,
    pub immaculate_taste: RowFile,
    pub tv_recently_watched: RowFile,
    pub tv_change_of_taste: RowFile,
    pub tv_immaculate_taste: RowFile,
    pub order: Option<OrderFile>,
}

/// `rows.<collection>:` as written; a misspelt switch is refused rather
/// than silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RowFile {
    pub visible_library: Option<bool>,
    pub visible_home: Option<bool>,
    pub visible_shared: Option<bool>,
}

/// `rows.order:` as written: `keep`, or a list of collection keys.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OrderFile {
    Word(String),
    List(Vec<String>),
}

/// The keys `rows:` may hold.
pub(super) const ROWS_KEYS: &[&str] = &[
    "recently_watched",
    "change_of_taste",
    "immaculate_taste",
    "tv_recently_watched",
    "tv_change_of_taste",
    "tv_immaculate_taste",
    "order",
];

fn known() -> String {
    RowKey::ALL
        .iter()
        .map(|k| k.key())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Maps `rows:` onto the core's settings.
pub(super) fn resolve(file: &RowsFile, text: &str) -> Result<RowsSettings, ConfigError> {
    let mut settings = RowsSettings::default();
    for (key, row) in [
        (RowKey::RecentlyWatched, &file.recently_watched),
        (RowKey::ChangeOfTaste, &file.change_of_taste),
        (RowKey::ImmaculateTaste, &file.immaculate_taste),
        (RowKey::TvRecentlyWatched, &file.tv_recently_watched),
        (RowKey::TvChangeOfTaste, &file.tv_change_of_taste),
        (RowKey::TvImmaculateTaste, &file.tv_immaculate_taste),
    ] {
        let base = RowsSettings::DEFAULT_VISIBILITY;
        let visibility = HubVisibility {
            recommended: row.visible_library.unwrap_or(base.recommended),
            own_home: row.visible_home.unwrap_or(base.own_home),
            shared_home: row.visible_shared.unwrap_or(base.shared_home),
        };
        if visibility != base {
            settings.visibility.insert(key, visibility);
        }
    }
    settings.order = match &file.order {
        None => RowsSettings::default().order,
        Some(OrderFile::Word(word)) if word.trim().eq_ignore_ascii_case("keep") => None,
        Some(OrderFile::Word(word)) => {
            return Err(ConfigError::new(format!("{word:?} is not an order"))
                .key("rows.order", text)
                .fix(format!(
                    "write keep, or a list of collections such as [{}]",
                    known()
                )));
        }
        Some(OrderFile::List(list)) if list.is_empty() => {
            return Err(ConfigError::new("an empty list orders nothing")
                .key("rows.order", text)
                .fix(format!(
                    "write keep to leave the rows alone, or list them: [{}]",
                    known()
                )));
        }
        Some(OrderFile::List(list)) => {
            let mut order = Vec::with_capacity(list.len());
            for name in list {
                let Some(row) = RowKey::from_key(name) else {
                    return Err(ConfigError::new(format!(
                        "{name:?} is not one of curator's collections"
                    ))
                    .key("rows.order", text)
                    .fix(format!("use these keys: {}", known())));
                };
                if order.contains(&row) {
                    return Err(ConfigError::new(format!("{name:?} is listed twice"))
                        .key("rows.order", text)
                        .fix("name each collection once"));
                }
                order.push(row);
            }
            Some(order)
        }
    };
    Ok(settings)
}
