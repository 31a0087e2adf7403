//! Searches TMDb for a title and prints the results.
//!
//! ```sh
//! TMDB_API_KEY=... cargo run -p tmdb-client --example search -- "Blade Runner" 1982
//! ```
//!
//! `TMDB_API_KEY` holds a v3 API key or a v4 read access token (from
//! <https://www.themoviedb.org/settings/api>). `TMDB_URL` replaces the API
//! root, for example to point at a fake server. A last argument of four
//! digits is taken as the release year.

use std::error::Error;
use std::process::ExitCode;

use curator_http::Secret;
use tmdb_client::{TmdbApi, TmdbClient};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Print the whole chain: the operation, then the causes.
            let mut text = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            println!("error: {text}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let mut words: Vec<String> = std::env::args().skip(1).collect();
    let year = match words.last() {
        Some(last) if words.len() > 1 && last.len() == 4 => last.parse::<i32>().ok(),
        _ => None,
    };
    if year.is_some() {
        words.pop();
    }
    let title = words.join(" ");
    if title.trim().is_empty() {
        return Err("usage: search <title> [year]".into());
    }
    let credential = std::env::var("TMDB_API_KEY")
        .map_err(|_| "set TMDB_API_KEY to a TMDb API key or read access token")?;

    let mut builder = TmdbClient::builder().credential(Secret::new(credential));
    if let Ok(url) = std::env::var("TMDB_URL") {
        builder = builder.base_url(url);
    }
    let tmdb = builder.build()?;

    let page = tmdb.search_movies(&title, year, 1).await?;
    println!(
        "{} result(s) for {title:?}{}",
        page.total_results,
        year.map(|y| format!(" ({y})")).unwrap_or_default()
    );
    for movie in &page.results {
        let year = movie
            .year
            .map_or_else(|| "????".to_owned(), |y| y.to_string());
        println!(
            "{:>8}  {year}  {:<40}  {:.1}/10 ({} votes)",
            movie.id, movie.title, movie.vote_average, movie.vote_count
        );
    }
    Ok(())
}
