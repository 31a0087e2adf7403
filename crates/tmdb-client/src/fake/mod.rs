//! A fake TMDb server for tests, demos and benchmarks (feature `fake`).
//!
//! [`FakeTmdb`] runs a wiremock server whose single responder keeps a movie
//! catalogue and answers the v3 endpoints the client uses, with TMDb's JSON
//! shapes and status codes: title search (case- and accent-insensitive, word
//! prefixes, ranked by popularity, `year` filter), details with
//! `append_to_response=external_ids`, recommendations and similar lists,
//! discover (`with_genres` OR with `|`, AND with `,`, `vote_count.gte`,
//! `sort_by`), find by IMDb id and the genre list, 20 results per page.
//!
//! Shows ([`FakeTmdb::start_with`], [`sample_tv_catalog`]) are kept apart
//! from movies, as TMDb numbers them apart, and served the same way:
//! `search/tv` (`first_air_date_year` on the first air date, `year` on any
//! episode's), `tv/{id}` with `external_ids` (a `null` `tvdb_id` where the
//! show has none), `keywords` (under `results`), `recommendations` and
//! `similar` appended, the two lists, `discover/tv`, `find` by `tvdb_id` or
//! `imdb_id` (`tv_results`) and `genre/tv/list`.
//!
//! Details carry a `poster_path` of the fake's own (`/fake-movie-{id}.png`,
//! `/fake-show-{id}.png`), and the same server is the image host
//! ([`FakeTmdb::image_base_url`]): `/t/p/{size}/{file}` answers a PNG as wide
//! as the size says, without asking for a credential, and 404 for files it
//! does not have.
//!
//! It accepts [`FakeTmdb::API_KEY`] as `api_key` or [`FakeTmdb::ACCESS_TOKEN`]
//! as a bearer token and answers anything else with TMDb's 401 (code 7). It
//! counts requests per operation under the client's names
//! ([`ops`](crate::ops)) and fails on demand through [`Faults`].
//!
//! ```no_run
//! use tmdb_client::TmdbApi;
//! use tmdb_client::fake::{FakeTmdb, sample_catalog};
//!
//! # async fn demo() -> tmdb_client::Result<()> {
//! let fake = FakeTmdb::start(sample_catalog()).await;
//! let tmdb = fake.client();
//! let page = tmdb.search_movies("dune", None, 1).await?;
//! assert_eq!(page.results[0].year, Some(2021));
//! assert_eq!(fake.stats().count(tmdb_client::ops::SEARCH_MOVIES), 1);
//! # Ok(())
//! # }
//! ```

mod catalog;
mod respond;
mod server;
mod tv;
mod tv_catalog;

pub use catalog::{FakeMovie, genre_list, sample_catalog};
pub use curator_http::fake::{Fault, Faults};
pub use server::FakeTmdb;
pub use tv_catalog::{FakeShow, sample_tv_catalog, tv_genre_list};
