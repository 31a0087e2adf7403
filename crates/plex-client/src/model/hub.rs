//! The rows of a library's Recommended tab and of Home ("managed hubs").

use serde::{Deserialize, Serialize};

use super::ids::{RatingKey, SectionKey};

/// Where a hub shows: the library's Recommended tab, the server owner's
/// Home, and the Home of friends and managed users (Plex's
/// `promotedToRecommended`, `promotedToOwnHome`, `promotedToSharedHome`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HubVisibility {
    /// Shown on the library's Recommended tab.
    pub recommended: bool,
    /// Shown on the server owner's Home.
    pub own_home: bool,
    /// Shown on the Home of friends and managed users.
    pub shared_home: bool,
}

impl HubVisibility {
    /// True when the hub shows nowhere.
    pub fn is_hidden(self) -> bool {
        !(self.recommended || self.own_home || self.shared_home)
    }
}

/// One row of a section's "Manage Recommendations" list
/// (`GET /hubs/sections/{section}/manage`): a built-in hub such as
/// `movie.recentlyadded`, or a collection made into a hub
/// (`custom.collection.{section}.{ratingKey}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedHub {
    /// The hub's identifier, which moves and changes name.
    pub identifier: String,
    /// Its title.
    pub title: String,
    /// Where it shows.
    pub visibility: HubVisibility,
    /// False for built-in hubs, which can be hidden and moved but not
    /// removed.
    pub deletable: bool,
}

impl ManagedHub {
    /// The collection this hub shows, when it is a collection's hub.
    pub fn collection(&self) -> Option<RatingKey> {
        let rest = self.identifier.strip_prefix("custom.collection.")?;
        let (_section, key) = rest.rsplit_once('.')?;
        (!key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())).then(|| RatingKey::from(key))
    }

    /// True for Plex's own hubs (Recently Added, Continue Watching, ...).
    pub fn is_built_in(&self) -> bool {
        !self.identifier.starts_with("custom.")
    }
}

/// The identifier Plex gives a collection's hub:
/// `custom.collection.{section}.{ratingKey}` (python-plexapi
/// `Collection.visibility`, Kometa `sort_collection_hubs`).
pub fn collection_hub_identifier(section: &SectionKey, collection: &RatingKey) -> String {
    format!("custom.collection.{section}.{collection}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(identifier: &str) -> ManagedHub {
        ManagedHub {
            identifier: identifier.into(),
            title: String::new(),
            visibility: HubVisibility::default(),
            deletable: true,
        }
    }

    #[test]
    fn collection_hubs_name_their_collection() {
        let id = collection_hub_identifier(&SectionKey::from("1"), &RatingKey::from("5012"));
        assert_eq!(id, "custom.collection.1.5012");
        assert_eq!(hub(&id).collection(), Some(RatingKey::from("5012")));
        assert!(!hub(&id).is_built_in());
        for built_in in [
            "movie.recentlyadded",
            "movie.by.actor.or.director",
            "tv.ondeck",
        ] {
            assert_eq!(hub(built_in).collection(), None, "{built_in}");
            assert!(hub(built_in).is_built_in(), "{built_in}");
        }
        assert_eq!(hub("custom.collection.1.abc").collection(), None);
        assert!(HubVisibility::default().is_hidden());
    }
}
