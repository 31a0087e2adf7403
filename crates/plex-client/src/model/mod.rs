//! The domain types the client speaks, and the wire shapes they are read from.

mod collection;
pub(crate) mod de;
mod guid;
mod ids;
mod library;
mod server;
pub(crate) mod wire;

pub use collection::{Collection, CollectionSort};
pub use guid::ExternalId;
pub use ids::{MediaId, RatingKey, SectionKey};
pub use library::{MediaPart, MediaVersion, Movie, Section, SectionKind};
pub use server::{ServerIdentity, ServerInfo};
