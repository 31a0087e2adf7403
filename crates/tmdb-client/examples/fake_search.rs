//! Starts the fake TMDb with the sample catalogue and searches it, as the
//! `search` example searches the real one.
//!
//! ```sh
//! cargo run -p tmdb-client --features fake --example fake_search -- the thing
//! ```

use tmdb_client::TmdbApi;
use tmdb_client::fake::{FakeTmdb, sample_catalog};

#[tokio::main]
async fn main() -> tmdb_client::Result<()> {
    let title = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let fake = FakeTmdb::start(sample_catalog()).await;
    println!("fake TMDb at {}", fake.uri());
    let tmdb = fake.client();
    for movie in tmdb.search_movies(&title, None, 1).await?.results {
        let recs = tmdb.recommendations(movie.id, 1).await?;
        let recs: Vec<_> = recs.results.iter().map(|m| m.title.as_str()).collect();
        println!(
            "{:>8}  {:?}  {}  -> {}",
            movie.id,
            movie.year,
            movie.title,
            recs.join(", ")
        );
    }
    println!("requests: {:?}", fake.stats().snapshot());
    Ok(())
}
