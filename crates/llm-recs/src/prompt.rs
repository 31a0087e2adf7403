//! The messages sent to the model.

use std::fmt::Write as _;

use crate::api::{ListsRequest, MediaKind, MediaKindExt, SuggestionKind};

/// At most this many avoided titles are written into the prompt; the
/// answer is filtered against all of them anyway.
pub(crate) const MAX_AVOID_IN_PROMPT: usize = 150;

/// Which kinds a request's lists hold: (films, series).
fn kinds(media: impl Iterator<Item = MediaKind>) -> (bool, bool) {
    media.fold((false, false), |(movies, shows), m| {
        (
            movies || m == MediaKind::Movie,
            shows || m == MediaKind::Show,
        )
    })
}

/// What the rules call the titles of lists holding these kinds.
fn noun((movies, shows): (bool, bool)) -> &'static str {
    match (movies, shows) {
        (false, true) => "series",
        (true, true) => "titles",
        _ => "films",
    }
}

/// The system message: who the model is and how to answer, with one
/// array per list name (its year field named for its kind).
pub(crate) fn system_message(lists: &[(&str, MediaKind)]) -> String {
    let shape: Vec<String> = lists
        .iter()
        .map(|(name, media)| {
            let example = match media {
                MediaKind::Movie => 1999,
                MediaKind::Show => 2008,
            };
            format!(
                "\"{name}\": [{{\"title\": \"...\", \"{}\": {example}}}]",
                media.year_field()
            )
        })
        .collect();
    let who = match kinds(lists.iter().map(|(_, media)| *media)) {
        (false, true) => {
            "You are a television curator with a deep knowledge of TV series from \
             around the world, from network hits to prestige dramas and international \
             discoveries. You recommend real TV series that have aired, never invented \
             ones, and never films."
        }
        (true, true) => {
            "You are a film and television curator with a deep knowledge of world \
             cinema and of TV series from around the world. You recommend real, \
             released feature films and real TV series that have aired, never invented \
             ones, each list holding only the kind it asks for."
        }
        _ => {
            "You are a film curator with a deep knowledge of world cinema, from studio \
             hits to festival discoveries. You recommend real, released feature films \
             only, never invented ones."
        }
    };
    format!(
        "{who} Answer with JSON only, no commentary, in this shape: {{{}}}",
        shape.join(", ")
    )
}

/// What a list of `kind` and `media` should hold, as the sentence that
/// asks for it.
fn ask(kind: SuggestionKind, media: MediaKind, n: usize, named: &str) -> String {
    match (kind, media) {
        (SuggestionKind::Similar, MediaKind::Movie) => format!(
            "exactly {n} films for someone who loved {named} and wants more \
             like it. Look past the genre label: match its tone, themes, atmosphere \
             and cinematic style. Mix mainstream titles with independent, \
             international and arthouse films."
        ),
        (SuggestionKind::Contrast, MediaKind::Movie) => format!(
            "exactly {n} films that would be a palate cleanser after {named}: \
             deliberately the opposite in tone, genre, pacing and style. They should \
             still be films worth watching, not picked at random."
        ),
        (SuggestionKind::Similar, MediaKind::Show) => format!(
            "exactly {n} TV series for someone who loved {named} and wants more \
             like it. Look past the genre label: match its tone, themes, atmosphere \
             and storytelling. Mix well-known series with cult, international and \
             limited series."
        ),
        (SuggestionKind::Contrast, MediaKind::Show) => format!(
            "exactly {n} TV series that would be a palate cleanser after {named}: \
             deliberately the opposite in tone, genre, pacing and style. They should \
             still be series worth watching, not picked at random."
        ),
    }
}

/// The rule on titles and years for each kind the lists hold.
fn title_rules(movies: bool, shows: bool) -> String {
    let mut rules = String::new();
    if movies {
        rules.push_str(
            "- Give each film's title as it is best known in English and its original release year.\n",
        );
    }
    if shows {
        rules.push_str(
            "- Give each series' title as it is best known in English and the year its first season aired (one year, not a range).\n\
             - Name each series once, not its seasons or episodes.\n",
        );
    }
    rules
}

/// The user message for one request: one list asked for in a sentence, or
/// several, one line per list naming its key.
pub(crate) fn user_message(request: &ListsRequest) -> String {
    let seed = &request.seed;
    let named = match seed.year {
        Some(year) => format!("{} ({year})", seed.title),
        None => seed.title.clone(),
    };
    let label = match seed.media {
        MediaKind::Movie => "The movie",
        MediaKind::Show => "The TV series",
    };
    let mut text = format!("{label}: {named}\n");
    if !seed.genres.is_empty() {
        let _ = writeln!(text, "Genres: {}", seed.genres.join(", "));
    }
    if let Some(overview) = seed.overview.as_deref().filter(|o| !o.trim().is_empty()) {
        let _ = writeln!(text, "Plot: {}", overview.trim());
    }
    text.push('\n');
    let (movies, shows) = kinds(request.lists.iter().map(|l| l.media));
    match request.lists.as_slice() {
        [list] => {
            let _ = writeln!(
                text,
                "Suggest {}",
                ask(list.kind, list.media, list.count, &named)
            );
            let _ = write!(
                text,
                "\nRules:\n{}\
                 - Exactly {} different {}, each listed once.\n\
                 - Do not include {named} itself.\n",
                title_rules(movies, shows),
                list.count,
                crate::api::plural(list.media),
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
                    ask(list.kind, list.media, list.count, &named)
                );
            }
            let what = noun((movies, shows));
            let _ = write!(
                text,
                "\nRules:\n{}\
                 - Each list holds the number of different {what} it asks for, each listed once.\n\
                 - Do not include {named} itself.\n",
                title_rules(movies, shows),
            );
        }
    }
    if !request.avoid.is_empty() {
        let what = noun((movies, shows));
        let _ = writeln!(text, "- Do not include any of these {what}:");
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
            lists: vec![
                ListSpec::new("suggestions", request.kind, request.count).with_media(request.media),
            ],
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
        let system = system_message(&[
            ("similar", MediaKind::Movie),
            ("contrast", MediaKind::Movie),
        ]);
        assert!(system.contains("{\"similar\": [{\"title\""), "{system}");
        assert!(system.contains("\"contrast\": ["), "{system}");
    }

    #[test]
    fn show_lists_speak_of_tv_series_and_first_air_years() {
        let seed = SeedMovie::show("Breaking Bad")
            .with_year(2008)
            .with_genres(["Drama", "Crime"]);
        let request = SuggestionRequest::similar(seed.clone(), 8)
            .with_media(MediaKind::Show)
            .with_avoid(["Better Call Saul (2015)"]);
        let text = one(&request);
        for needle in [
            "The TV series: Breaking Bad (2008)",
            "Suggest exactly 8 TV series for someone who loved Breaking Bad (2008)",
            "the year its first season aired (one year, not a range)",
            "Name each series once, not its seasons",
            "Exactly 8 different TV series",
            "Do not include Breaking Bad (2008) itself",
            "- Do not include any of these series:\n  - Better Call Saul (2015)",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        for absent in ["film", "movie", "cinematic", "release year"] {
            assert!(
                !text.to_lowercase().contains(absent),
                "{absent:?} in:\n{text}"
            );
        }
        let contrast = one(&SuggestionRequest::contrast(seed, 4).with_media(MediaKind::Show));
        assert!(contrast.contains("exactly 4 TV series that would be a palate cleanser"));
        assert!(contrast.contains("series worth watching"));

        let system = system_message(&[("suggestions", MediaKind::Show)]);
        assert!(system.contains("television curator"), "{system}");
        assert!(system.contains("never films"), "{system}");
        assert!(
            system.contains("{\"suggestions\": [{\"title\": \"...\", \"first_air_year\": 2008}]}"),
            "{system}"
        );
        assert!(!system.contains("\"year\""), "{system}");
    }

    #[test]
    fn a_movie_seed_can_ask_for_series_and_lists_can_mix() {
        let request = ListsRequest::new(
            SeedMovie::new("Heat").with_year(1995),
            vec![
                ListSpec::new("similar", SuggestionKind::Similar, 10),
                ListSpec::shows("similar_shows", SuggestionKind::Similar, 6),
            ],
        )
        .with_avoid(["Thief (1981)"]);
        let text = user_message(&request);
        for needle in [
            "The movie: Heat (1995)",
            "- \"similar\": exactly 10 films for someone who loved Heat (1995)",
            "- \"similar_shows\": exactly 6 TV series for someone who loved Heat (1995)",
            "original release year",
            "the year its first season aired",
            "number of different titles it asks for",
            "- Do not include any of these titles:",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
        }
        let system = system_message(&[
            ("similar", MediaKind::Movie),
            ("similar_shows", MediaKind::Show),
        ]);
        assert!(system.contains("film and television curator"), "{system}");
        assert!(
            system.contains("\"similar\": [{\"title\": \"...\", \"year\": 1999}], \"similar_shows\": [{\"title\": \"...\", \"first_air_year\": 2008}]"),
            "{system}"
        );
    }
}
