//! The fake's "Manage Recommendations" lists: one ordered list of hubs per
//! section, Plex's built-in hubs first, collections made into hubs after.
//!
//! What the real server does, from python-plexapi's tests run against one
//! (`tests/test_library.py` `test_library_MovieSection_managedHubs`,
//! `tests/test_collection.py` `test_Collection_visibility`): built-in hubs
//! can be hidden and moved but not removed (400); a collection's hub can be
//! hidden and still be listed, moved and removed; removing it again is 404;
//! `move` without `after` puts a hub first. Where a new collection hub lands
//! is unconfirmed: here at the end, so callers must read the order back.

use std::collections::HashMap;

use crate::model::{HubVisibility, ManagedHub, MediaKind, collection_hub_identifier};

/// Why the fake refuses a hub request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HubRefusal {
    BadRequest,
    NotFound,
}

#[derive(Debug, Clone)]
struct HubRec {
    identifier: String,
    /// Built-in hubs' titles; a collection's hub shows its collection's.
    title: String,
    visibility: HubVisibility,
    built_in: bool,
}

/// The hub lists of every section, made on first use.
#[derive(Debug, Default)]
pub(crate) struct Hubs {
    sections: HashMap<String, Vec<HubRec>>,
}

/// Plex's built-in hubs of a section of this kind, in their default order
/// (the identifiers of the `hub.movie.*` / `hub.tv.*` contexts).
fn built_ins(kind: Option<MediaKind>) -> Vec<HubRec> {
    let hubs: &[(&str, &str)] = match kind {
        Some(MediaKind::Movie) => &[
            ("movie.inprogress", "Continue Watching"),
            ("movie.recentlyreleased", "Recently Released Movies"),
            ("movie.recentlyadded", "Recently Added Movies"),
            ("movie.genre", "Top Movies by Genre"),
            ("movie.by.actor.or.director", "Movies by Actor or Director"),
            ("movie.topunwatched", "Top Unwatched Movies"),
        ],
        Some(MediaKind::Show) => &[
            ("tv.inprogress", "Continue Watching"),
            ("tv.ondeck", "On Deck"),
            ("tv.recentlyaired", "Recently Released Episodes"),
            ("tv.recentlyadded", "Recently Added TV"),
            ("tv.toprated", "Top Rated Shows"),
        ],
        None => &[],
    };
    hubs.iter()
        .map(|(identifier, title)| HubRec {
            identifier: (*identifier).to_owned(),
            title: (*title).to_owned(),
            visibility: HubVisibility {
                recommended: true,
                own_home: true,
                shared_home: true,
            },
            built_in: true,
        })
        .collect()
}

impl Hubs {
    fn list(&mut self, section: &str, kind: Option<MediaKind>) -> &mut Vec<HubRec> {
        self.sections
            .entry(section.to_owned())
            .or_insert_with(|| built_ins(kind))
    }

    /// A section's hubs in order; `title_of` gives a collection hub's title.
    pub(crate) fn hubs(
        &mut self,
        section: &str,
        kind: Option<MediaKind>,
        title_of: impl Fn(&str) -> Option<String>,
    ) -> Vec<ManagedHub> {
        self.list(section, kind)
            .iter()
            .map(|hub| {
                let title = if hub.built_in {
                    hub.title.clone()
                } else {
                    collection_of(&hub.identifier)
                        .and_then(&title_of)
                        .unwrap_or_else(|| hub.title.clone())
                };
                ManagedHub {
                    identifier: hub.identifier.clone(),
                    title,
                    visibility: hub.visibility,
                    deletable: !hub.built_in,
                }
            })
            .collect()
    }

    /// Makes a collection a hub (appended) or changes where its hub shows.
    pub(crate) fn promote(
        &mut self,
        section: &str,
        kind: Option<MediaKind>,
        collection: &str,
        title: &str,
        visibility: HubVisibility,
    ) {
        let identifier = collection_hub_identifier(&section.into(), &collection.into());
        let list = self.list(section, kind);
        match list.iter_mut().find(|h| h.identifier == identifier) {
            Some(hub) => hub.visibility = visibility,
            None => list.push(HubRec {
                identifier,
                title: title.to_owned(),
                visibility,
                built_in: false,
            }),
        }
    }

    /// Changes where a hub shows; `None` leaves that flag as it is.
    pub(crate) fn update(
        &mut self,
        section: &str,
        kind: Option<MediaKind>,
        identifier: &str,
        flags: [Option<bool>; 3],
    ) -> Result<(), HubRefusal> {
        let hub = self
            .list(section, kind)
            .iter_mut()
            .find(|h| h.identifier == identifier)
            .ok_or(HubRefusal::NotFound)?;
        let [recommended, own_home, shared_home] = flags;
        let v = &mut hub.visibility;
        v.recommended = recommended.unwrap_or(v.recommended);
        v.own_home = own_home.unwrap_or(v.own_home);
        v.shared_home = shared_home.unwrap_or(v.shared_home);
        Ok(())
    }

    /// Moves a hub after another, or first.
    pub(crate) fn move_after(
        &mut self,
        section: &str,
        kind: Option<MediaKind>,
        identifier: &str,
        after: Option<&str>,
    ) -> Result<(), HubRefusal> {
        let list = self.list(section, kind);
        let from = list
            .iter()
            .position(|h| h.identifier == identifier)
            .ok_or(HubRefusal::NotFound)?;
        if after.is_some_and(|a| !list.iter().any(|h| h.identifier == a)) {
            return Err(HubRefusal::NotFound);
        }
        if after == Some(identifier) {
            return Ok(());
        }
        let hub = list.remove(from);
        let to = match after {
            Some(a) => list
                .iter()
                .position(|h| h.identifier == a)
                .map_or(0, |i| i + 1),
            None => 0,
        };
        list.insert(to, hub);
        Ok(())
    }

    /// Takes a collection's hub off the list; built-in hubs stay (400).
    pub(crate) fn remove(
        &mut self,
        section: &str,
        kind: Option<MediaKind>,
        identifier: &str,
    ) -> Result<(), HubRefusal> {
        let list = self.list(section, kind);
        let at = list
            .iter()
            .position(|h| h.identifier == identifier)
            .ok_or(HubRefusal::NotFound)?;
        if list[at].built_in {
            return Err(HubRefusal::BadRequest);
        }
        list.remove(at);
        Ok(())
    }

    /// A deleted collection's hub goes with it.
    pub(crate) fn forget_collection(&mut self, collection: &str) {
        for list in self.sections.values_mut() {
            list.retain(|h| collection_of(&h.identifier) != Some(collection));
        }
    }
}

fn collection_of(identifier: &str) -> Option<&str> {
    identifier
        .strip_prefix("custom.collection.")?
        .rsplit_once('.')
        .map(|(_, key)| key)
}
