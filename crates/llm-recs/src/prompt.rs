//! The messages sent to the model.

use std::fmt::Write as _;

use crate::api::{ListsRequest, SuggestionKind};

/// At most this many avoided titles are written into the prompt; the
/// answer is filtered against all of them anyway.
pub(crate) const MAX_AVOID_IN_PROMPT: usize = 150;

/// The system message: who the model is and how to answer, with one
/// array per list name.
pub(crate) fn system_message(names: &[&str]) -> String {
    let shape: Vec<String> = names
        .iter()
        .map(|name| format!("\"{name}\": [{{\"title\": \"...\", \"year\": 1999}}]"))
        .collect();
    format!(
        "You are a film curator with a deep knowledge of world cinema, from studio \
         hits to festival discoveries. You recommend real, released feature films \
         only, never invented ones. Answer with JSON only, no commentary, in this \
         shape: {{{}}}",
        shape.join(", ")
    )
}

/// What a list of `kind` should hold, as the sentence that asks for it.
fn ask(kind: SuggestionKind, n: usize, named: &str) -> String {
    match kind {
        SuggestionKind::Similar => format!(
            "exactly {n} films for someone who loved {named} and wants more \
             like it. Look past the genre label: match its tone, themes, atmosphere \
             and cinematic style. Mix mainstream titles with independent, \
             international and arthouse films."
        ),
        SuggestionKind::Contrast => format!(
            "exactly {n} films that would be a palate cleanser after {named}: \
             deliberately the opposite in tone, genre, pacing and style. They should \
             still be films worth watching, not picked at random."
        ),
    }
}

/// The user message for one request: one list asked for in a sentence, or
/// several, one line per list naming its key.
pub(crate) fn user_message(request: &ListsRequest) -> String {
    let seed = &request.seed;
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
    match request.lists.as_slice() {
        [list] => {
            let _ = writeln!(text, "Suggest {}", ask(list.kind, list.count, &named));
            let _ = write!(
                text,
                "\nRules:\n\
                 - Give each film's title as it is best known in English and its original release year.\n\
                 - Exactly {} different films, each listed once.\n\
                 - Do not include {named} itself.\n",
                list.count
            );
        }
        lists => {
            let _ = writeln!(
                text,
                "Answer with one JSON object holding {} lists, under these keys:",
                lists.len()
            );
            for list in lists {
                let _ = writeln!(
                    text,
                    "- \"{}\": {}",
                    list.name,
                    ask(list.kind, list.count, &named)
                );
            }
            let _ = write!(
                text,
                "\nRules:\n\
                 - Give each film's title as it is best known in English and its original release year.\n\
                 - Each list holds the number of different films it asks for, each listed once.\n\
                 - Do not include {named} itself.\n"
            );
        }
    }
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
    use crate::api::{ListSpec, SeedMovie, SuggestionRequest};

    fn one(request: &SuggestionRequest) -> String {
        user_message(&ListsRequest {
            seed: request.seed.clone(),
            lists: vec![ListSpec::new("suggestions", request.kind, request.count)],
            avoid: request.avoid.clone(),
        })
    }

    #[test]
    fn similar_and_contrast_prompts_say_what_they_want() {
        let seed = SeedMovie::new("Heat")
            .with_year(1995)
            .with_genres(["Crime", "Drama"])
            .with_overview("A thief and a detective.");
        let similar =
            one(&SuggestionRequest::similar(seed.clone(), 12).with_avoid(["Thief (1981)"]));
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

        let contrast = one(&SuggestionRequest::contrast(SeedMovie::new("Heat"), 5));
        assert!(contrast.contains("palate cleanser"));
        assert!(contrast.contains("opposite in tone, genre, pacing and style"));
        assert!(!contrast.contains("Genres:"));
        assert!(!contrast.contains("Do not include any of these"));
    }

    #[test]
    fn long_avoid_lists_are_cut_in_the_prompt() {
        let avoid: Vec<String> = (0..400).map(|i| format!("Film {i}")).collect();
        let text = one(&SuggestionRequest::similar(SeedMovie::new("Heat"), 5).with_avoid(avoid));
        assert_eq!(text.matches("  - Film ").count(), MAX_AVOID_IN_PROMPT);
    }

    #[test]
    fn several_lists_are_asked_for_under_their_keys() {
        let request = ListsRequest::new(
            SeedMovie::new("Heat").with_year(1995),
            vec![
                ListSpec::new("similar", SuggestionKind::Similar, 15),
                ListSpec::new("contrast", SuggestionKind::Contrast, 15),
                ListSpec::new("immaculate", SuggestionKind::Similar, 50),
            ],
        );
        let text = user_message(&request);
        for needle in [
            "holding 3 lists",
            "- \"similar\": exactly 15 films for someone who loved Heat (1995)",
            "- \"contrast\": exactly 15 films that would be a palate cleanser",
            "- \"immaculate\": exactly 50 films",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        let system = system_message(&["similar", "contrast"]);
        assert!(system.contains("{\"similar\": [{\"title\""), "{system}");
        assert!(system.contains("\"contrast\": ["), "{system}");
    }
}
