//! Starts a fake Overseerr, requests a movie and a show through the real
//! client twice, and shows that the second time creates nothing.
//!
//! ```sh
//! cargo run -p seerr-client --features fake --example fake_seerr
//! ```

use seerr_client::fake::{FakeSeerr, SeerrSeed};
use seerr_client::{NewRequest, RequestOutcome, SeerrApi, TmdbId, op};

#[tokio::main]
async fn main() -> seerr_client::Result<()> {
    let breaking_bad = TmdbId(1396);
    let fake = FakeSeerr::start(SeerrSeed::new().show(breaking_bad, &[0, 1, 2, 3, 4, 5])).await;
    let seerr = fake.client_builder().build()?;
    println!(
        "fake Seerr {} at {}",
        seerr.status().await?.version,
        fake.uri()
    );

    let wanted = [
        NewRequest::movie(TmdbId(27205)),
        NewRequest::show(breaking_bad),
    ];
    for _ in 0..2 {
        for request in &wanted {
            match seerr.request(request).await? {
                RequestOutcome::Created(created) => println!(
                    "created request {} ({:?}, seasons {:?})",
                    created.id,
                    created.status,
                    created
                        .seasons
                        .iter()
                        .map(|s| s.season_number)
                        .collect::<Vec<_>>()
                ),
                other => println!("nothing new: {}", other.message().unwrap_or_default()),
            }
        }
    }
    println!(
        "requests kept: {}, posted: {}",
        fake.requests().len(),
        fake.stats().count(op::REQUEST)
    );
    Ok(())
}
