//! The messages sent to the model.

use std::fmt::Write as _;

use crate::api::{SuggestionKind, SuggestionRequest};

/// At most this many avoided titles are written into the prompt; the
/// answer is filtered against all of them anyway.
pub(crate) const MAX_AVOID_IN_PROMPT: usize = 150;

/// The system message: who the model is and how to answer.
pub(crate) fn system_message() -> String {
    "You are a film curator with a deep knowledge of world cinema, from studio \
     hits to festival discoveries. You recommend real, released feature films \
     only, never invented ones. Answer with JSON only, no commentary, in this \
     shape: {\"suggestions\": [{\"title\": \"...\", \"year\": 1999, \"reason\": \
     \"one short sentence\"}]}"
        .to_owned()
}

/// The user message for one request.
pub(crate) fn user_message(request: &SuggestionRequest) -> String {
    let seed = &request.seed;
    let n = request.count;
    let named = match seed.year {
        Some(year) => format!("{} ({year})", seed.title),
        None => seed.title.clone(),
    };
    let mut text = format!("The movie: {named}\n");
    if !seed.genres.is_empty() {
        let _ = writeln!(text, "Genres: {}", seed.genres.join(", "));
    }
    if let Some(overview) = seed.overview.as_deref().filter(|o| !o.trim().is_empty()) {
        let _ = writeln!(text, "Plot: {}", overview.trim());
    }
    text.push('\n');
    match request.kind {
        SuggestionKind::Similar => {
            let _ = writeln!(
                text,
                "Suggest exactly {n} films for someone who loved {named} and wants more \
                 like it. Look past the genre label: match its tone, themes, atmosphere \
                 and cinematic style. Mix mainstream titles with independent, \
                 international and arthouse films."
            );
        }
        SuggestionKind::Contrast => {
            let _ = writeln!(
                text,
                "Suggest exactly {n} films that would be a palate cleanser after {named}: \
                 deliberately the opposite in tone, genre, pacing and style. They should \
                 still be films worth watching, not picked at random."
            );
        }
    }
    let _ = write!(
        text,
        "\nRules:\n\
         - Give each film's title as it is best known in English and its original release year.\n\
         - Exactly {n} different films, each listed once.\n\
         - Do not include {named} itself.\n"
    );
    if !request.avoid.is_empty() {
        text.push_str("- Do not include any of these films:\n");
        for title in request.avoid.iter().take(MAX_AVOID_IN_PROMPT) {
            let _ = writeln!(text, "  - {}", title.trim());
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SeedMovie;

    #[test]
    fn similar_and_contrast_prompts_say_what_they_want() {
        let seed = SeedMovie::new("Heat")
            .with_year(1995)
            .with_genres(["Crime", "Drama"])
            .with_overview("A thief and a detective.");
        let similar = user_message(
            &SuggestionRequest::similar(seed.clone(), 12).with_avoid(["Thief (1981)"]),
        );
        for needle in [
            "The movie: Heat (1995)",
            "Genres: Crime, Drama",
            "Plot: A thief and a detective.",
            "exactly 12 films",
            "tone, themes, atmosphere",
            "international and arthouse",
            "Do not include Heat (1995) itself",
            "  - Thief (1981)",
        ] {
            assert!(
                similar.contains(needle),
                "{needle:?} missing from:\n{similar}"
            );
        }
        assert!(!similar.contains("palate cleanser"));

        let contrast = user_message(&SuggestionRequest::contrast(SeedMovie::new("Heat"), 5));
        assert!(contrast.contains("palate cleanser"));
        assert!(contrast.contains("opposite in tone, genre, pacing and style"));
        assert!(!contrast.contains("Genres:"));
        assert!(!contrast.contains("Do not include any of these"));
    }

    #[test]
    fn long_avoid_lists_are_cut_in_the_prompt() {
        let avoid: Vec<String> = (0..400).map(|i| format!("Film {i}")).collect();
        let text =
            user_message(&SuggestionRequest::similar(SeedMovie::new("Heat"), 5).with_avoid(avoid));
        assert_eq!(text.matches("  - Film ").count(), MAX_AVOID_IN_PROMPT);
    }
}
