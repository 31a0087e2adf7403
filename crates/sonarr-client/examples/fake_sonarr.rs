//! Starts the fake Sonarr with its demo library, adds a series to it
//! through the real client, and shows what Sonarr monitors.
//!
//! ```sh
//! cargo run -p sonarr-client --features fake --example fake_sonarr
//! ```

use sonarr_client::fake::{FakeSonarr, SonarrSeed};
use sonarr_client::{AddOutcome, AddSeries, MonitorType, SonarrApi, TvdbId, op};

#[tokio::main]
async fn main() -> sonarr_client::Result<()> {
    let fake = FakeSonarr::start(SonarrSeed::demo()).await;
    let sonarr = fake.client_builder().build()?;
    println!("fake Sonarr at {}", fake.uri());

    let folder = sonarr.root_folders().await?.remove(0);
    let profile = sonarr.quality_profiles().await?.remove(1);
    let tags = sonarr.ensure_tags(&["curator", "suggested"]).await?;
    let expanse = TvdbId(280619);
    let add = AddSeries::new(expanse, "The Expanse", profile.id, folder.path)
        .with_monitor(MonitorType::FirstSeason)
        .with_tags(tags.iter().map(|tag| tag.id).collect());
    for _ in 0..2 {
        match sonarr.add_series(&add).await? {
            AddOutcome::Added(series) => println!("added {} as id {}", series.title, series.id),
            AddOutcome::AlreadyExists => println!("already there"),
        }
    }
    println!("library: {} series", sonarr.series_list().await?.len());
    println!("monitored seasons: {:?}", fake.monitored_seasons(expanse));
    println!(
        "monitored episodes: {}",
        fake.monitored_episodes(expanse).len()
    );
    println!("tags on it: {:?}", fake.series_tag_labels(expanse));
    println!(
        "add requests seen by the fake: {}",
        fake.stats().count(op::ADD_SERIES)
    );
    Ok(())
}
