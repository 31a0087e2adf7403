//! Movie suggestions from any OpenAI-compatible chat completions server, with a tolerant answer parser.
#![deny(missing_docs)]

mod api;
mod error;
mod parse;

pub use api::{
    ParsePath, Recommender, SeedMovie, Suggestion, SuggestionKind, SuggestionRequest, Suggestions,
};
pub use error::{Error, Result};
pub use parse::{MIN_YEAR, ParsedAnswer, max_year, parse_suggestions, parse_suggestions_excluding};
