//! Prints what a Radarr offers: its version, root folders, quality profiles
//! and tags.
//!
//! ```sh
//! RADARR_URL=http://127.0.0.1:7878 RADARR_API_KEY=... cargo run -p radarr-client --example status
//! ```

use std::process::ExitCode;

use radarr_client::{RadarrApi, RadarrClient};

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(url), Ok(key)) = (std::env::var("RADARR_URL"), std::env::var("RADARR_API_KEY")) else {
        println!("set RADARR_URL (such as http://127.0.0.1:7878) and RADARR_API_KEY");
        return ExitCode::from(2);
    };
    match run(&url, key).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            println!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str, key: String) -> radarr_client::Result<()> {
    let radarr = RadarrClient::builder(url, key).build()?;
    let status = radarr.system_status().await?;
    println!(
        "{} {} at {}",
        status.app_name,
        status.version,
        radarr.base_url()
    );
    println!("root folders:");
    for folder in radarr.root_folders().await? {
        let free = folder.free_space.map_or_else(
            || "unknown".to_owned(),
            |bytes| format!("{} GB", bytes / 1_000_000_000),
        );
        println!(
            "  {} (free: {free}, accessible: {})",
            folder.path, folder.accessible
        );
    }
    println!("quality profiles:");
    for profile in radarr.quality_profiles().await? {
        println!("  {:>3}  {}", profile.id, profile.name);
    }
    println!("tags:");
    for tag in radarr.tags().await? {
        println!("  {:>3}  {}", tag.id, tag.label);
    }
    println!("movies in the library: {}", radarr.movies().await?.len());
    Ok(())
}
