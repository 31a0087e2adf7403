//! Prints the shows of every TV section of a Plex server with their TVDB and
//! TMDb ids, and how many media versions their episodes have (more versions
//! than episodes means duplicates or optimized versions).
//!
//! ```sh
//! PLEX_URL=http://192.168.1.10:32400 PLEX_TOKEN=xxxxxxxx \
//!     cargo run -p plex-client --example list_shows
//! ```

use std::collections::HashMap;

use plex_client::{PlexApi, PlexClient, Secret};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("PLEX_URL").map_err(|_| "set PLEX_URL, e.g. http://127.0.0.1:32400")?;
    let token = std::env::var("PLEX_TOKEN").map_err(|_| "set PLEX_TOKEN to your Plex token")?;
    let plex = PlexClient::builder(url, Secret::new(token)).build()?;

    for section in plex.sections().await?.iter().filter(|s| s.is_show()) {
        println!("{} (section {})", section.title, section.key);
        // One paged listing for the whole section, not a request per show.
        let mut versions: HashMap<String, (usize, usize)> = HashMap::new();
        for episode in plex.section_episodes(&section.key).await? {
            let entry = versions.entry(episode.show.rating_key.0).or_default();
            entry.0 += 1;
            entry.1 += episode.media.len();
        }
        for show in plex.shows(&section.key).await? {
            let (episodes, media) = versions
                .get(show.rating_key.as_str())
                .copied()
                .unwrap_or_default();
            println!(
                "  {} ({:?}) tvdb={:?} tmdb={:?}: {episodes} episodes, {media} versions",
                show.title, show.year, show.tvdb_id, show.tmdb_id
            );
        }
    }
    Ok(())
}
