//! Prints suggestions for a movie (or, with `--show`, a TV series) from a
//! real server.
//!
//! ```text
//! LLM_BASE_URL=http://localhost:11434/v1 LLM_MODEL=llama3.1:8b \
//!     cargo run -p llm-recs --example suggest -- "Heat" 1995
//! LLM_BASE_URL=https://api.openai.com/v1 LLM_API_KEY=sk-... LLM_MODEL=gpt-4o-mini \
//!     cargo run -p llm-recs --example suggest -- --contrast "Heat"
//! LLM_BASE_URL=http://localhost:11434/v1 LLM_MODEL=llama3.1:8b \
//!     cargo run -p llm-recs --example suggest -- --show "Breaking Bad" 2008
//! ```

use std::process::ExitCode;

use llm_recs::{LlmClient, MediaKind, Recommender, SeedMovie, SuggestionKind, SuggestionRequest};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            println!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut flag = |name: &str| match args.iter().position(|a| a == name) {
        Some(at) => {
            args.remove(at);
            true
        }
        None => false,
    };
    let kind = if flag("--contrast") {
        SuggestionKind::Contrast
    } else {
        SuggestionKind::Similar
    };
    let media = if flag("--show") {
        MediaKind::Show
    } else {
        MediaKind::Movie
    };
    let Some(title) = args.first() else {
        return Err("usage: suggest [--contrast] [--show] <title> [year]".to_owned());
    };
    let mut seed = SeedMovie::new(title.as_str()).with_media(media);
    if let Some(year) = args.get(1).and_then(|y| y.parse().ok()) {
        seed = seed.with_year(year);
    }

    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let base_url = env("LLM_BASE_URL").unwrap_or_else(|| llm_recs::OLLAMA_BASE_URL.to_owned());
    let model =
        env("LLM_MODEL").ok_or("set LLM_MODEL (and LLM_BASE_URL, LLM_API_KEY if needed)")?;
    let client = LlmClient::builder(base_url, model)
        .api_key_opt(env("LLM_API_KEY").map(Into::into))
        .build()
        .map_err(|e| format!("{e:#}"))?;

    let request = SuggestionRequest::new(kind, seed, 10).with_media(media);
    let answer = client.suggest(&request).await.map_err(|e| e.to_string())?;
    println!(
        "{} {kind} suggestions (read as {}{}):",
        answer.len(),
        answer.parse_path,
        if answer.truncated { ", cut off" } else { "" }
    );
    for (i, title) in answer.items.iter().enumerate() {
        match &title.reason {
            Some(reason) => println!("{:>2}. {title} - {reason}", i + 1),
            None => println!("{:>2}. {title}", i + 1),
        }
    }
    Ok(())
}
