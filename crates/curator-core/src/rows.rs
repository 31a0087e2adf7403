//! curator's collections as rows of Plex's Home screen and Recommended tab:
//! which row is which, where each should show, the order they take, and
//! the plan that gets there with the fewest hub requests (pure).
//!
//! Only curator's own rows are ever moved: Plex's built-in hubs and other
//! collections keep their relative order. Our rows end at the top, in the
//! configured order, by moving only those not already part of the longest
//! run in the right order at the top (`order::minimal_moves`).

use std::collections::{BTreeMap, HashMap};

use curator_http::MediaKind;
use plex_client::{
    HubVisibility, Image, ImageSlot, ManagedHub, RatingKey, SectionKey, collection_hub_identifier,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::order::{Move, minimal_moves};

/// One of curator's collections, as a row (the `rows.<key>` of the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKey {
    /// "Based on your recently watched movie".
    RecentlyWatched,
    /// "Change of Taste".
    ChangeOfTaste,
    /// "Inspired by your Immaculate Taste".
    ImmaculateTaste,
    /// "Based on your recently watched show" (the TV library's).
    TvRecentlyWatched,
    /// "Change of Taste (TV)".
    TvChangeOfTaste,
    /// "Inspired by your Immaculate Taste (TV)".
    TvImmaculateTaste,
}

impl RowKey {
    /// Every row, in the default order (the seed's: the freshest first);
    /// the movie rows order the movie library's rows, the TV ones the TV
    /// library's.
    pub const ALL: [Self; 6] = [
        Self::RecentlyWatched,
        Self::ChangeOfTaste,
        Self::ImmaculateTaste,
        Self::TvRecentlyWatched,
        Self::TvChangeOfTaste,
        Self::TvImmaculateTaste,
    ];

    /// The rows of one library.
    pub fn of(kind: MediaKind) -> [Self; 3] {
        match kind {
            MediaKind::Movie => [
                Self::RecentlyWatched,
                Self::ChangeOfTaste,
                Self::ImmaculateTaste,
            ],
            MediaKind::Show => [
                Self::TvRecentlyWatched,
                Self::TvChangeOfTaste,
                Self::TvImmaculateTaste,
            ],
        }
    }

    /// Which library the row is in.
    pub fn kind(self) -> MediaKind {
        match self {
            Self::RecentlyWatched | Self::ChangeOfTaste | Self::ImmaculateTaste => MediaKind::Movie,
            _ => MediaKind::Show,
        }
    }

    /// The movie row of the same sort (itself for a movie row).
    pub fn base(self) -> Self {
        match self {
            Self::TvRecentlyWatched => Self::RecentlyWatched,
            Self::TvChangeOfTaste => Self::ChangeOfTaste,
            Self::TvImmaculateTaste => Self::ImmaculateTaste,
            movie => movie,
        }
    }

    /// The config key (`recently_watched`, `tv_recently_watched`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Self::RecentlyWatched => "recently_watched",
            Self::ChangeOfTaste => "change_of_taste",
            Self::ImmaculateTaste => "immaculate_taste",
            Self::TvRecentlyWatched => "tv_recently_watched",
            Self::TvChangeOfTaste => "tv_change_of_taste",
            Self::TvImmaculateTaste => "tv_immaculate_taste",
        }
    }

    /// The row of a config key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key.trim())
    }
}

/// Where the rows show and in what order (`rows:` in the config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsSettings {
    /// Where each row shows; rows not named here show as
    /// [`RowsSettings::DEFAULT_VISIBILITY`] says.
    pub visibility: BTreeMap<RowKey, HubVisibility>,
    /// Our rows at the top of the section's rows in this order, or `None`
    /// (`keep`) to leave their place alone.
    pub order: Option<Vec<RowKey>>,
    /// Each collection's poster, background and summary; a row not named
    /// here gets none of the images and the default summary.
    pub artwork: BTreeMap<RowKey, RowArtwork>,
}

/// What a collection looks like in Plex (`collections.<key>_poster`,
/// `_background`, `_summary` in the config).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowArtwork {
    /// Its poster (uploaded when it differs from the last one uploaded).
    pub poster: Option<Image>,
    /// Its background.
    pub background: Option<Image>,
    /// Its summary; `None` for the default, which says what the collection
    /// is. `{seed}` and `{date}` stand for the movie it was built from and
    /// the day it was.
    pub summary: Option<String>,
}

impl RowsSettings {
    /// Kometa's names and our defaults: `visible_library` (Recommended)
    /// on, `visible_home` (the owner's Home) on, `visible_shared` off.
    pub const DEFAULT_VISIBILITY: HubVisibility = HubVisibility {
        recommended: true,
        own_home: true,
        shared_home: false,
    };

    /// Where a row shows.
    pub fn visibility(&self, row: RowKey) -> HubVisibility {
        self.visibility
            .get(&row)
            .copied()
            .unwrap_or(Self::DEFAULT_VISIBILITY)
    }
}

impl Default for RowsSettings {
    fn default() -> Self {
        Self {
            visibility: BTreeMap::new(),
            order: Some(RowKey::ALL.to_vec()),
            artwork: BTreeMap::new(),
        }
    }
}

/// One of our collections as Plex has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OurRow {
    pub(crate) row: RowKey,
    pub(crate) title: String,
    pub(crate) rating_key: RatingKey,
    pub(crate) identifier: String,
}

impl OurRow {
    pub(crate) fn new(
        section: &SectionKey,
        row: RowKey,
        title: &str,
        rating_key: RatingKey,
    ) -> Self {
        Self {
            row,
            title: title.to_owned(),
            identifier: collection_hub_identifier(section, &rating_key),
            rating_key,
        }
    }
}

/// What to send so the rows show where and in the order configured.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RowPlan {
    /// Collections to make into hubs (`POST`), with where they show.
    pub(crate) promote: Vec<(OurRow, HubVisibility)>,
    /// Hubs to show elsewhere (`PUT`).
    pub(crate) update: Vec<(OurRow, HubVisibility)>,
}

/// The visibility changes: a collection not yet a hub is promoted unless it
/// should show nowhere; a hub showing elsewhere than configured is updated.
pub(crate) fn plan_visibility(
    hubs: &[ManagedHub],
    ours: &[OurRow],
    settings: &RowsSettings,
) -> RowPlan {
    let by_id: HashMap<&str, &ManagedHub> =
        hubs.iter().map(|h| (h.identifier.as_str(), h)).collect();
    let mut plan = RowPlan::default();
    for row in ours {
        let wanted = settings.visibility(row.row);
        match by_id.get(row.identifier.as_str()) {
            None if wanted.is_hidden() => {}
            None => plan.promote.push((row.clone(), wanted)),
            Some(hub) if hub.visibility != wanted => plan.update.push((row.clone(), wanted)),
            Some(_) => {}
        }
    }
    plan
}

/// The hub list after a plan's promotions, as predicted: a new hub is
/// appended (where the real server puts it is unconfirmed, so a real run
/// reads the list again instead).
pub(crate) fn predicted_hubs(hubs: &[ManagedHub], plan: &RowPlan) -> Vec<String> {
    let mut ids: Vec<String> = hubs.iter().map(|h| h.identifier.clone()).collect();
    ids.extend(plan.promote.iter().map(|(row, _)| row.identifier.clone()));
    ids
}

/// The moves that put our rows that are hubs at the top in `order`, moving
/// only our rows: those already at the top in the right relative order
/// stay, each other one goes right after its predecessor (the first one
/// first). Built-in hubs and other collections are never moved.
pub(crate) fn plan_order(
    current: &[String],
    ours: &[OurRow],
    order: &[RowKey],
) -> Vec<Move<String>> {
    let listed: Vec<&OurRow> = order
        .iter()
        .filter_map(|key| ours.iter().find(|r| r.row == *key))
        .filter(|r| current.contains(&r.identifier))
        .collect();
    let target: Vec<String> = listed.iter().map(|r| r.identifier.clone()).collect();
    // Our rows above every other hub may stay where they are.
    let top: Vec<String> = current
        .iter()
        .take_while(|id| target.contains(id))
        .cloned()
        .collect();
    minimal_moves(&top, &target)
}

/// What the data directory keeps about the rows (`rows.json`): how they
/// were last seen (the service's page shows it) and the artwork uploaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsState {
    /// When the rows were last read from Plex.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub checked_at: Option<OffsetDateTime>,
    /// True when Plex refused hub management then (no Plex Pass).
    #[serde(default)]
    pub plex_pass_refused: bool,
    /// Our rows as last seen, in their order among the section's hubs.
    #[serde(default)]
    pub pins: Vec<PinnedRow>,
    /// The images last uploaded, per collection rating key and slot
    /// (`poster`, `background`): a hash of each, so an image is uploaded
    /// only when it changed, or when the collection is a new one.
    #[serde(default)]
    pub artwork: BTreeMap<String, BTreeMap<String, String>>,
}

/// The name a slot's hash is kept under in [`RowsState::artwork`].
pub(crate) fn slot_name(slot: ImageSlot) -> &'static str {
    match slot {
        ImageSlot::Poster => "poster",
        ImageSlot::Background => "background",
    }
}

/// A content hash of an image (FNV-1a, 64 bits, as hex): enough to notice
/// a changed file or URL, not a security measure.
pub(crate) fn image_hash(image: &Image) -> String {
    let (tag, bytes): (u8, &[u8]) = match image {
        Image::Bytes(bytes) => (b'b', bytes),
        Image::Url(url) => (b'u', url.as_bytes()),
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in std::iter::once(&tag).chain(bytes) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The default summary of a row: what the collection is.
pub(crate) fn default_summary(row: RowKey) -> &'static str {
    match row {
        RowKey::RecentlyWatched => "Films like {seed}, picked when you finished it on {date}.",
        RowKey::ChangeOfTaste => {
            "Something different: films unlike {seed}, picked when you finished it on {date}."
        }
        RowKey::ImmaculateTaste => {
            "Films picked for your taste from everything you have watched; the ones you keep liking stay longest."
        }
        RowKey::TvRecentlyWatched => "Shows like {seed}, picked when you watched it on {date}.",
        RowKey::TvChangeOfTaste => {
            "Something different: shows unlike {seed}, picked when you watched it on {date}."
        }
        RowKey::TvImmaculateTaste => {
            "Shows picked for your taste from everything you have watched; the ones you keep liking stay longest."
        }
    }
}

/// A summary with `{seed}` and `{date}` filled in; without a seed the
/// sentence speaks of "the last film you finished".
pub(crate) fn fill_summary(template: &str, seed: Option<&str>, date: Option<&str>) -> String {
    let text = template.replace("{seed}", seed.unwrap_or("the last film you finished"));
    match date {
        Some(date) => text.replace("{date}", date),
        None => text.replace(" on {date}", "").replace("{date}", "recently"),
    }
}

/// One of our rows as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedRow {
    /// Which row.
    pub row: RowKey,
    /// The collection's title.
    pub title: String,
    /// The collection's rating key.
    pub rating_key: String,
    /// Where it shows (all off when it is not a hub).
    pub visibility: HubVisibility,
    /// Its place among the section's hubs (1 is the top), when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::apply_moves;

    fn section() -> SectionKey {
        SectionKey::from("1")
    }

    fn ours() -> Vec<OurRow> {
        [
            (RowKey::RecentlyWatched, "RW", "501"),
            (RowKey::ChangeOfTaste, "CoT", "502"),
            (RowKey::ImmaculateTaste, "IT", "503"),
        ]
        .into_iter()
        .map(|(row, title, key)| OurRow::new(&section(), row, title, RatingKey::from(key)))
        .collect()
    }

    fn hub(identifier: &str, visibility: HubVisibility) -> ManagedHub {
        ManagedHub {
            identifier: identifier.into(),
            title: String::new(),
            visibility,
            deletable: !identifier.starts_with("movie."),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    const RW: &str = "custom.collection.1.501";
    const COT: &str = "custom.collection.1.502";
    const IT: &str = "custom.collection.1.503";

    #[test]
    fn new_rows_are_promoted_and_differing_ones_updated_only() {
        let settings = RowsSettings {
            visibility: BTreeMap::from([(
                RowKey::ImmaculateTaste,
                HubVisibility {
                    shared_home: true,
                    ..RowsSettings::DEFAULT_VISIBILITY
                },
            )]),
            ..RowsSettings::default()
        };
        let hubs = [
            hub("movie.recentlyadded", RowsSettings::DEFAULT_VISIBILITY),
            hub(COT, RowsSettings::DEFAULT_VISIBILITY),
            hub(IT, RowsSettings::DEFAULT_VISIBILITY),
        ];
        let plan = plan_visibility(&hubs, &ours(), &settings);
        let promoted: Vec<&str> = plan
            .promote
            .iter()
            .map(|(r, _)| r.identifier.as_str())
            .collect();
        assert_eq!(promoted, [RW]);
        assert_eq!(plan.promote[0].1, RowsSettings::DEFAULT_VISIBILITY);
        let updated: Vec<&str> = plan
            .update
            .iter()
            .map(|(r, _)| r.identifier.as_str())
            .collect();
        assert_eq!(updated, [IT]);
        assert!(plan.update[0].1.shared_home);
        // A row set to show nowhere is not made a hub at all.
        let hidden = RowsSettings {
            visibility: RowKey::ALL
                .into_iter()
                .map(|k| (k, HubVisibility::default()))
                .collect(),
            ..RowsSettings::default()
        };
        let plan = plan_visibility(&hubs[..1], &ours(), &hidden);
        assert_eq!(plan, RowPlan::default());
    }

    #[test]
    fn our_rows_go_to_the_top_and_built_in_hubs_never_move() {
        let cases: [(&[&str], usize); 5] = [
            // Fresh: all three appended after the built-in hubs.
            (&["movie.inprogress", "movie.recentlyadded", RW, COT, IT], 3),
            // Already in place: nothing to send.
            (&[RW, COT, IT, "movie.inprogress", "movie.recentlyadded"], 0),
            // One moved down by hand: only that one goes back.
            (&[RW, IT, "movie.inprogress", COT, "movie.recentlyadded"], 1),
            // Our rows in the wrong order at the top, built-in hub last.
            (&[IT, COT, RW, "movie.inprogress"], 2),
            // A user's collection between ours stays where it is.
            (&[RW, "custom.collection.1.77", COT, IT], 2),
        ];
        for (current, expected) in cases {
            let current = ids(current);
            let moves = plan_order(&current, &ours(), &RowKey::ALL);
            assert_eq!(moves.len(), expected, "{current:?}: {moves:?}");
            assert!(
                moves
                    .iter()
                    .all(|m| m.item.starts_with("custom.collection.1.50")),
                "{moves:?}"
            );
            let mut after = current.clone();
            apply_moves(&mut after, &moves);
            assert_eq!(after[..3], ids(&[RW, COT, IT])[..], "{current:?}");
            let others = |list: &[String]| -> Vec<String> {
                list.iter()
                    .filter(|id| ![RW, COT, IT].contains(&id.as_str()))
                    .cloned()
                    .collect()
            };
            assert_eq!(others(&after), others(&current), "others keep their order");
        }
    }

    #[test]
    fn hashes_tell_images_apart_and_summaries_are_filled_in() {
        let png = Image::Bytes(b"\x89PNG one".to_vec());
        assert_eq!(image_hash(&png), image_hash(&png.clone()));
        assert_ne!(
            image_hash(&png),
            image_hash(&Image::Bytes(b"\x89PNG two".to_vec()))
        );
        // The same text as bytes and as a URL are different images.
        assert_ne!(
            image_hash(&Image::Bytes(b"https://a/b.jpg".to_vec())),
            image_hash(&Image::Url("https://a/b.jpg".into()))
        );
        assert_eq!(image_hash(&png).len(), 16);
        let text = fill_summary(
            default_summary(RowKey::RecentlyWatched),
            Some("Heat"),
            Some("7 December 2026"),
        );
        assert_eq!(
            text,
            "Films like Heat, picked when you finished it on 7 December 2026."
        );
        assert_eq!(
            fill_summary(default_summary(RowKey::RecentlyWatched), None, None),
            "Films like the last film you finished, picked when you finished it."
        );
        assert!(!default_summary(RowKey::ImmaculateTaste).contains('{'));
    }

    #[test]
    fn a_configured_order_of_two_rows_and_rows_that_are_not_hubs() {
        let order = [RowKey::ImmaculateTaste, RowKey::RecentlyWatched];
        // Change of Taste is not a hub (hidden): only the two are placed.
        let current = ids(&["movie.inprogress", RW, IT]);
        let moves = plan_order(&current, &ours(), &order);
        let mut after = current.clone();
        apply_moves(&mut after, &moves);
        assert_eq!(after, ids(&[IT, RW, "movie.inprogress"]));
        assert_eq!(moves.len(), 2);
        assert_eq!(
            RowKey::from_key(" change_of_taste"),
            Some(RowKey::ChangeOfTaste)
        );
        assert_eq!(
            RowKey::from_key("tv_recently_watched"),
            Some(RowKey::TvRecentlyWatched)
        );
        assert_eq!(RowKey::from_key("tv_shows"), None);
        for row in RowKey::ALL {
            assert!(RowKey::of(row.kind()).contains(&row));
            assert_eq!(
                RowKey::of(MediaKind::Movie)[RowKey::of(row.kind())
                    .iter()
                    .position(|r| *r == row)
                    .unwrap()],
                row.base()
            );
        }
    }
}
