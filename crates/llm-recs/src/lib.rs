//! Movie and TV series suggestions from any OpenAI-compatible chat
//! completions server, with a tolerant answer parser.
//!
//! [`Recommender`] is the trait the engine speaks: give it a seed title and
//! a kind ([`SuggestionKind::Similar`] or [`SuggestionKind::Contrast`]) of
//! films or series ([`MediaKind`]), get back a list of titles with years
//! (a series' year is the year it first aired). [`LlmClient`] implements it against
//! OpenAI, Ollama, LM Studio, llama.cpp, OpenRouter or Gemini: it asks for
//! strict JSON, and reads whatever the model really answers with
//! [`parse_suggestions`] (fenced JSON, cut-off JSON, numbered lists...).
//!
//! With the `fake` feature, `fake::FakeLlm` is an OpenAI-compatible server
//! for tests and demos.
//!
//! ```no_run
//! use llm_recs::{LlmClient, OPENAI_BASE_URL, Recommender, SeedMovie, SuggestionRequest};
//!
//! # async fn demo() -> llm_recs::Result<()> {
//! let client = LlmClient::builder(OPENAI_BASE_URL, "gpt-4o-mini")
//!     .api_key(std::env::var("OPENAI_API_KEY").unwrap_or_default())
//!     .build()?;
//! let seed = SeedMovie::new("Heat").with_year(1995);
//! let answer = client
//!     .suggest(&SuggestionRequest::similar(seed, 10).with_avoid(["Thief (1981)"]))
//!     .await?;
//! for movie in &answer.items {
//!     println!("{movie}");
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod client;
mod error;
mod model;
mod parse;
mod prompt;

#[cfg(feature = "fake")]
pub mod fake;

pub use api::{
    ListAnswer, ListSpec, ListsRequest, MediaKind, MediaKindExt, ParsePath, Recommender, SeedMovie,
    Suggestion, SuggestionKind, SuggestionRequest, Suggestions,
};
pub use client::{
    DEFAULT_MAX_TOKENS, DEFAULT_TIMEOUT, GEMINI_BASE_URL, LLAMA_CPP_BASE_URL, LM_STUDIO_BASE_URL,
    LlmClient, LlmClientBuilder, OLLAMA_BASE_URL, OP_CHAT_COMPLETIONS, OPENAI_BASE_URL,
    OPENROUTER_BASE_URL, REASONING_HEADROOM, StructuredOutput, TokenLimitField, tokens_for,
};
pub use curator_http::{RequestStats, RetryPolicy, Secret};
pub use error::{Error, Result};
pub use parse::{MIN_YEAR, ParsedAnswer, max_year, parse_suggestions, parse_suggestions_excluding};
