//! The JSON shapes of the Seerr API, lenient where the servers are.

mod kind;
mod request;
mod status;

#[cfg(feature = "fake")]
pub(crate) use kind::seerr_kind;
pub use request::{
    MediaInfo, MediaRequest, MediaStatus, NewRequest, RequestOutcome, RequestStatus, SeasonRequest,
    Seasons,
};
pub use status::{Permissions, Status, User};
