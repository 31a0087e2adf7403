//! Prints what a Sonarr offers: its version, root folders, quality profiles
//! and tags.
//!
//! ```sh
//! SONARR_URL=http://127.0.0.1:8989 SONARR_API_KEY=... cargo run -p sonarr-client --example sonarr_status
//! ```

use std::process::ExitCode;

use sonarr_client::{SonarrApi, SonarrClient};

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(url), Ok(key)) = (std::env::var("SONARR_URL"), std::env::var("SONARR_API_KEY")) else {
        println!("set SONARR_URL (such as http://127.0.0.1:8989) and SONARR_API_KEY");
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

async fn run(url: &str, key: String) -> sonarr_client::Result<()> {
    let sonarr = SonarrClient::builder(url, key).build()?;
    let status = sonarr.system_status().await?;
    println!(
        "{} {} at {}",
        status.app_name,
        status.version,
        sonarr.base_url()
    );
    println!("root folders:");
    for folder in sonarr.root_folders().await? {
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
    for profile in sonarr.quality_profiles().await? {
        println!("  {:>3}  {}", profile.id, profile.name);
    }
    println!("tags:");
    for tag in sonarr.tags().await? {
        println!("  {:>3}  {}", tag.id, tag.label);
    }
    let series = sonarr.series_list().await?;
    let monitored = series.iter().filter(|s| s.monitored).count();
    println!(
        "series in the library: {} ({monitored} monitored)",
        series.len()
    );
    Ok(())
}
