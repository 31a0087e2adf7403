//! The domain types the client speaks, and the wire shapes they are read from.

mod collection;
pub(crate) mod de;
mod guid;
mod hub;
mod ids;
mod image;
mod library;
mod server;
mod show;
pub(crate) mod wire;

pub use collection::{Collection, CollectionItem, CollectionSort};
pub use guid::ExternalId;
pub use hub::{HubVisibility, ManagedHub, collection_hub_identifier};
pub use ids::{MediaId, RatingKey, SectionKey};
pub use image::{Image, ImageSlot};
pub use library::{MediaKind, MediaKindExt, MediaPart, MediaVersion, Movie, Section, SectionKind};
pub use server::{ServerIdentity, ServerInfo};
pub use show::{Episode, Show, ShowRef};
