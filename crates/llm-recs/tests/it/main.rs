//! The one integration test binary of llm-recs.

mod client;
mod fake;
mod profiles;
mod shows;
