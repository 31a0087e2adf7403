//! Prints the collections of every movie section of a Plex server.
//!
//! ```sh
//! PLEX_URL=http://192.168.1.10:32400 PLEX_TOKEN=xxxxxxxx \
//!     cargo run -p plex-client --example list_collections
//! ```

use plex_client::{PlexApi, PlexClient, Secret};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("PLEX_URL").map_err(|_| "set PLEX_URL, e.g. http://127.0.0.1:32400")?;
    let token = std::env::var("PLEX_TOKEN").map_err(|_| "set PLEX_TOKEN to your Plex token")?;
    let plex = PlexClient::builder(url, Secret::new(token)).build()?;

    for section in plex.sections().await?.iter().filter(|s| s.is_movie()) {
        println!("{} (section {})", section.title, section.key);
        for collection in plex.collections(&section.key).await? {
            let smart = if collection.smart { ", smart" } else { "" };
            println!(
                "  {} [{}]: {} items{smart}",
                collection.title, collection.rating_key, collection.child_count
            );
        }
    }
    Ok(())
}
