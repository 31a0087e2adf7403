//! Prints what an Overseerr or Jellyseerr says about itself and about the
//! API key's user: its version, and what the user may request.
//!
//! ```sh
//! SEERR_URL=http://127.0.0.1:5055 SEERR_API_KEY=... cargo run -p seerr-client --example seerr_status
//! ```

use std::process::ExitCode;

use seerr_client::{MediaKind, SeerrApi, SeerrClient};

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(url), Ok(key)) = (std::env::var("SEERR_URL"), std::env::var("SEERR_API_KEY")) else {
        println!("set SEERR_URL (such as http://127.0.0.1:5055) and SEERR_API_KEY");
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

async fn run(url: &str, key: String) -> seerr_client::Result<()> {
    let seerr = SeerrClient::builder(url, key).build()?;
    let status = seerr.status().await?;
    println!("Seerr {} at {}", status.version, seerr.base_url());
    let me = seerr.me().await?;
    println!("the api key acts as {} (user {})", me.name(), me.id);
    for kind in MediaKind::ALL {
        println!(
            "  {kind}: may request {}, approved at once {}",
            me.permissions.may_request(kind),
            me.permissions.auto_approves(kind)
        );
    }
    Ok(())
}
