//! Starts the fake TMDb with the sample TV catalogue and searches its shows,
//! with their first-air years, TVDB ids and recommendations.
//!
//! ```sh
//! cargo run -p tmdb-client --features fake --example fake_shows -- battlestar galactica
//! ```

use tmdb_client::TmdbTvApi;
use tmdb_client::fake::{FakeTmdb, sample_catalog, sample_tv_catalog};

#[tokio::main]
async fn main() -> tmdb_client::Result<()> {
    let name = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let fake = FakeTmdb::start_with(sample_catalog(), sample_tv_catalog()).await;
    println!("fake TMDb at {}", fake.uri());
    let tmdb = fake.client();
    for found in tmdb.search_shows(&name, None, 1).await?.results {
        let Some(show) = tmdb.show(found.id).await? else {
            continue;
        };
        let recs: Vec<_> = show
            .recommendations
            .results
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let tvdb = show
            .tvdb_id
            .map_or_else(|| "-".to_owned(), |id| id.to_string());
        println!(
            "{:>8}  {:?}  {}  tvdb:{tvdb}  -> {}",
            show.id,
            show.year,
            show.name,
            recs.join(", ")
        );
    }
    println!("requests: {:?}", fake.stats().snapshot());
    Ok(())
}
