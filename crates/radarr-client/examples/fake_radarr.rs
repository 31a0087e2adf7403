//! Starts the fake Radarr with its demo library and adds a movie to it
//! through the real client.
//!
//! ```sh
//! cargo run -p radarr-client --features fake --example fake_radarr
//! ```

use radarr_client::fake::{FakeRadarr, RadarrSeed};
use radarr_client::{AddMovie, RadarrApi, TmdbId, op};

#[tokio::main]
async fn main() -> radarr_client::Result<()> {
    let fake = FakeRadarr::start(RadarrSeed::demo()).await;
    let radarr = fake.client_builder().build()?;
    println!("fake Radarr at {}", fake.uri());

    let folder = radarr.root_folders().await?.remove(0);
    let profile = radarr.quality_profiles().await?.remove(1);
    let tags = radarr.ensure_tags(&["curator", "suggested"]).await?;
    let add = AddMovie::new(TmdbId(329865), "Arrival", 2016, profile.id, folder.path)
        .with_tags(tags.iter().map(|tag| tag.id).collect());
    for _ in 0..2 {
        match radarr.add_movie(&add).await? {
            radarr_client::AddOutcome::Added(movie) => {
                println!("added {} as id {}", movie.title, movie.id);
            }
            radarr_client::AddOutcome::AlreadyExists => println!("already there"),
        }
    }
    println!("library: {} movies", radarr.movies().await?.len());
    println!(
        "tags on Arrival: {:?}",
        fake.movie_tag_labels(TmdbId(329865))
    );
    println!(
        "add requests seen by the fake: {}",
        fake.stats().count(op::ADD_MOVIE)
    );
    Ok(())
}
