//! The domain types the [`TmdbApi`](crate::TmdbApi) trait speaks.
//!
//! These are plain data: they serialize to a stable shape of their own (the
//! cache file stores them) and are built from TMDb's JSON by the private
//! `wire` module, which copes with TMDb's empty strings and nulls.

mod movie;
mod tv;
pub(crate) mod wire;

#[cfg(feature = "fake")]
pub(crate) use movie::year_of;
pub use movie::{
    DiscoverQuery, DiscoverSort, Genre, GenreId, MovieDetails, MovieSummary, Page, PosterSize,
};
pub use tv::{Keyword, KeywordId, ShowDetails, ShowSummary};
