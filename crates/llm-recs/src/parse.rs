//! The tolerant reader of model answers.
//!
//! Models answer in many shapes whatever they are asked for: strict JSON,
//! JSON in a code fence after a sentence of prose, JSON cut off at the token
//! limit, numbered lists with bold titles, Markdown tables. The reader tries
//! the strictest reading first and falls back step by step:
//!
//! 1. a complete JSON document: the whole answer, a fenced block, or the span
//!    from the first `{`/`[` to the last `}`/`]`;
//! 2. for JSON that was cut off, the complete `{...}` items (or string
//!    items) before the cut;
//! 3. lines: numbered or bulleted items, `Title (Year)`, `Title - Year`,
//!    `**Title** (Year) - reason`, tables, `Title:`/`Year:` blocks.
//!
//! TV series come in the same shapes with their own habits: a year range
//! (`Breaking Bad (2008–2013)`, `Severance (2022-)`, `(2022–present)`),
//! IMDb's `(TV Series 2008–2013)`, a country in the title (`The Office (US)
//! (2005)`), `first_air_year` or TMDb's `name`/`first_air_date` in JSON. The
//! year read is always the first (the year the series first aired).
//!
//! Whatever the path, the items are then cleaned the same way: absurd titles
//! and years dropped, excluded titles dropped, duplicates removed, and the
//! list capped.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::api::{ParsePath, Suggestion};

/// The earliest release year taken seriously (the first films date from the
/// late 1880s).
pub const MIN_YEAR: i32 = 1870;

/// The most characters a title may have before the line is taken for prose.
const MAX_TITLE_CHARS: usize = 150;
/// The most words a title may have before the line is taken for prose.
const MAX_TITLE_WORDS: usize = 16;
/// Lines longer than this are prose, not list items.
const MAX_LINE_CHARS: usize = 1000;

/// What [`parse_suggestions`] read from an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAnswer {
    /// The suggestions, in the answer's order, cleaned and capped.
    pub suggestions: Vec<Suggestion>,
    /// How they were read. [`ParsePath::Lines`] when nothing was found.
    pub path: ParsePath,
}

/// Reads movie or TV series suggestions from a model's answer, in whatever
/// shape it came.
///
/// Never panics, and returns at most `max` suggestions, de-duplicated
/// case-insensitively on title and year. Lines that are not movies
/// (headings, prose, lines without letters, years outside
/// 1870..=this year + 5) are dropped.
///
/// ```
/// use llm_recs::{ParsePath, parse_suggestions};
///
/// let answer = "Here are 2 films:\n1. **Heat** (1995) - a cop and a thief\n2. Ronin (1998)";
/// let parsed = parse_suggestions(answer, 10);
/// assert_eq!(parsed.path, ParsePath::Lines);
/// assert_eq!(parsed.suggestions[0].title, "Heat");
/// assert_eq!(parsed.suggestions[1].year, Some(1998));
///
/// // Series: a year range gives the first-air year.
/// let shows = parse_suggestions("1. Breaking Bad (2008–2013)\n2. Severance (2022-)", 10);
/// assert_eq!(shows.suggestions[0].year, Some(2008));
/// assert_eq!(shows.suggestions[1].title, "Severance");
/// ```
pub fn parse_suggestions(text: &str, max: usize) -> ParsedAnswer {
    parse_suggestions_excluding(text, max, &[])
}

/// Like [`parse_suggestions`], and also drops the `exclude`d titles (the
/// seed, titles the request asked to avoid). An excluded entry is a title,
/// `"Title (Year)"` or a series' run `"Title (2008–2013)"` (`"Title
/// (2022–)"` while it runs); with years, only a title of those years is
/// dropped, so a remake of another year stays.
pub fn parse_suggestions_excluding(text: &str, max: usize, exclude: &[String]) -> ParsedAnswer {
    let exclusions: Vec<Exclusion> = exclude
        .iter()
        .filter_map(|entry| exclusion_key(entry))
        .collect();
    let text = strip_think(text);
    for (path, raw) in [
        (ParsePath::Json, read_json(&text)),
        (ParsePath::PartialJson, salvage_json(&text)),
        (ParsePath::Lines, Some(read_lines(&text))),
    ] {
        let wrapper = path == ParsePath::Json && holds_wrapper(&text);
        let raw = match raw {
            Some(raw) => raw,
            None if wrapper => Vec::new(),
            None => continue,
        };
        let suggestions = clean(raw, max, &exclusions);
        // A complete JSON list wrapper is the whole answer, even with
        // nothing usable in it: reading its pieces again as cut-off JSON or
        // lines would take its title or its fields for suggestions.
        if !suggestions.is_empty() || wrapper {
            return ParsedAnswer { suggestions, path };
        }
    }
    ParsedAnswer {
        suggestions: Vec::new(),
        path: ParsePath::Lines,
    }
}

/// Reads several named lists from one answer: a JSON object with one
/// array per name (as asked), the arrays of a cut-off object up to the cut,
/// or lines under a heading naming each list. `lists` holds each name and
/// its cap; the result holds, per list in that order, what was read, or
/// `None` when the answer has no such list (it is then asked for alone).
pub(crate) fn parse_lists(
    text: &str,
    lists: &[(&str, usize)],
    exclude: &[String],
) -> Vec<Option<ParsedAnswer>> {
    let exclusions: Vec<Exclusion> = exclude
        .iter()
        .filter_map(|entry| exclusion_key(entry))
        .collect();
    let text = strip_think(text);
    let whole = json_candidates(&text).into_iter().find_map(|candidate| {
        match serde_json::from_str::<Value>(candidate).ok()? {
            Value::Object(object) => Some(object),
            _ => None,
        }
    });
    let sections = if whole.is_none() {
        heading_sections(&text, lists)
    } else {
        Vec::new()
    };
    lists
        .iter()
        .enumerate()
        .map(|(at, (name, max))| {
            let (path, raw) = if let Some(object) = &whole {
                let items = lookup(object, name).and_then(items_from_value)?;
                (ParsePath::Json, items)
            } else if let Some(items) = salvage_list(&text, name, lists) {
                (ParsePath::PartialJson, items)
            } else {
                (ParsePath::Lines, read_lines(sections.get(at)?.as_deref()?))
            };
            let suggestions = clean(raw, *max, &exclusions);
            (!suggestions.is_empty()).then_some(ParsedAnswer { suggestions, path })
        })
        .collect()
}

/// Where `"name":` starts in a JSON text.
fn key_position(text: &str, name: &str) -> Option<usize> {
    let quoted = format!("\"{name}\"");
    let mut from = 0;
    while let Some(found) = text[from..].find(&quoted) {
        let at = from + found;
        let after = text[at + quoted.len()..].trim_start();
        if after.starts_with(':') {
            return Some(at);
        }
        from = at + quoted.len();
    }
    None
}

/// The complete items of one list in JSON that was cut off (or is not
/// valid as a whole): from its key to the next list's key.
fn salvage_list(text: &str, name: &str, lists: &[(&str, usize)]) -> Option<Vec<Suggestion>> {
    let start = key_position(text, name)?;
    let end = lists
        .iter()
        .filter_map(|(other, _)| key_position(text, other))
        .filter(|at| *at > start)
        .min()
        .unwrap_or(text.len());
    let segment = &text[start..end];
    let objects: Vec<Suggestion> = complete_objects(segment)
        .into_iter()
        .filter_map(|slice| match serde_json::from_str::<Value>(slice).ok()? {
            Value::Object(object) => item_from_object(&object),
            _ => None,
        })
        .collect();
    if !objects.is_empty() {
        return Some(objects);
    }
    let after_key = &segment[segment.find(':').map_or(0, |i| i + 1)..];
    let strings: Vec<Suggestion> = complete_string_items(after_key)
        .into_iter()
        .filter_map(|s| parse_line(&s, true))
        .collect();
    (!strings.is_empty()).then_some(strings)
}

/// The lines under each list's heading ("Similar:", "## contrast",
/// "**Immaculate**"), per list in order; `None` for a list without one.
fn heading_sections(text: &str, lists: &[(&str, usize)]) -> Vec<Option<String>> {
    let heading_of = |line: &str| -> Option<usize> {
        let bare: String = line
            .trim()
            .trim_matches(|c: char| matches!(c, '#' | '*' | '_' | '"' | ':' | ' ' | '`'))
            .to_lowercase();
        lists
            .iter()
            .position(|(name, _)| bare == *name || bare == name.replace('_', " "))
    };
    let mut sections: Vec<Option<String>> = vec![None; lists.len()];
    let mut current = None;
    for line in text.lines() {
        if let Some(at) = heading_of(line) {
            current = Some(at);
            sections[at].get_or_insert_with(String::new);
            continue;
        }
        if let Some(at) = current
            && let Some(section) = sections[at].as_mut()
        {
            section.push_str(line);
            section.push('\n');
        }
    }
    sections
}

/// The latest release year taken seriously: films are announced a few years
/// ahead.
pub fn max_year() -> i32 {
    time::OffsetDateTime::now_utc().year() + 5
}

fn year_in_range(year: i64) -> bool {
    (i64::from(MIN_YEAR)..=i64::from(max_year())).contains(&year)
}

// ---------------------------------------------------------------------------
// Cleaning

/// A title as compared: lowercase, single spaces, no quotes or trailing
/// punctuation.
fn normalize(title: &str) -> String {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| {
            matches!(
                c,
                '"' | '\'' | '“' | '”' | '‘' | '’' | ',' | ';' | ':' | '.'
            )
        })
        .to_owned()
}

type Key = (String, Option<i32>);

/// An excluded title and the years it covers: one year, a series' run
/// (`Breaking Bad (2008–2013)`, `Severance (2022–)`), or every year.
type Exclusion = (String, Option<(i32, i32)>);

fn exclusion_key(entry: &str) -> Option<Exclusion> {
    let item = parse_line(entry, true)?;
    let years = item
        .year
        .map(|first| (first, range_end(entry, first).unwrap_or(first)));
    Some((bare(&normalize(&item.title)).to_owned(), years))
}

/// The last year of a range that starts with `first` in `entry`: `–2013`,
/// `-13`, an open `–` or `– present` (no end yet).
fn range_end(entry: &str, first: i32) -> Option<i32> {
    let at = entry.find(&first.to_string())? + 4;
    let rest = entry[at..].trim_start();
    let end = rest.strip_prefix(['-', '–', '—'])?.trim_start();
    let digits: String = end.chars().take_while(char::is_ascii_digit).collect();
    match digits.len() {
        4 => digits.parse().ok(),
        // "2008-13": the end in the same century as the start.
        2 => digits
            .parse::<i32>()
            .ok()
            .map(|short| first - first % 100 + short)
            .map(|end| if end < first { end + 100 } else { end }),
        0 if end.is_empty()
            || end.starts_with([')', ']'])
            || end.to_lowercase().starts_with("present")
            || end.to_lowercase().starts_with("now") =>
        {
            Some(max_year())
        }
        _ => None,
    }
}

/// A normalised title without the decorations models put around a film
/// or series they name: "Inception (movie)", "The movie: Inception",
/// "Film: Inception", "The series: Dark", and the country that tells
/// namesake series apart ("The Office (US)": the year does that here).
fn bare(title: &str) -> &str {
    let mut title = title.trim();
    for prefix in [
        "the movie:",
        "the film:",
        "movie:",
        "film:",
        "the tv series:",
        "the series:",
        "the show:",
        "tv series:",
        "series:",
        "show:",
    ] {
        if let Some(rest) = title.strip_prefix(prefix) {
            title = rest.trim_start();
        }
    }
    for suffix in [
        "(the movie)",
        "(the film)",
        "(movie)",
        "(film)",
        "(us)",
        "(uk)",
        "(u.s.)",
        "(u.k.)",
    ] {
        if let Some(rest) = title.strip_suffix(suffix) {
            title = rest.trim_end();
        }
    }
    title
}

fn is_excluded(key: &Key, exclusions: &[Exclusion]) -> bool {
    let title = bare(&key.0);
    exclusions.iter().any(|(excluded, years)| {
        excluded == title
            && match (years, key.1) {
                (Some((first, last)), Some(year)) => (*first..=*last).contains(&year),
                _ => true,
            }
    })
}

fn clean(raw: Vec<Suggestion>, max: usize, exclusions: &[Exclusion]) -> Vec<Suggestion> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for mut item in raw {
        if out.len() >= max {
            break;
        }
        item.title = item.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if !plausible_title(&item.title, item.year) {
            continue;
        }
        if item.year.is_some_and(|y| !year_in_range(i64::from(y))) {
            continue;
        }
        item.reason = item
            .reason
            .map(|r| r.trim().to_owned())
            .filter(|r| r.chars().any(char::is_alphanumeric));
        let key = (normalize(&item.title), item.year);
        if is_excluded(&key, exclusions) || !seen.insert(key) {
            continue;
        }
        out.push(item);
    }
    out
}

/// Titles are short, have a letter (or are a number with a year, like
/// "1917 (2019)"), and are not table headers or prose.
fn plausible_title(title: &str, year: Option<i32>) -> bool {
    let has_letter = title.chars().any(char::is_alphabetic);
    let is_number = !title.is_empty() && title.chars().all(|c| c.is_ascii_digit());
    if !(has_letter || (is_number && year.is_some())) {
        return false;
    }
    if title.chars().count() > MAX_TITLE_CHARS || title.split_whitespace().count() > MAX_TITLE_WORDS
    {
        return false;
    }
    let lower = normalize(title);
    if matches!(
        lower.as_str(),
        "title"
            | "movie"
            | "film"
            | "name"
            | "year"
            | "reason"
            | "movies"
            | "films"
            | "show"
            | "shows"
            | "series"
            | "tv series"
            | "tv shows"
            | "none"
            | "n/a"
    ) {
        return false;
    }
    !is_prose(&lower)
}

/// Sentences models put around their lists.
fn is_prose(lower: &str) -> bool {
    const OPENERS: [&str; 24] = [
        "here are",
        "here is",
        "here's",
        "sure",
        "certainly",
        "of course",
        "absolutely",
        "below are",
        "the following",
        "based on",
        "if you",
        "i hope",
        "i've",
        "i have",
        "i'd",
        "hope you",
        "enjoy",
        "note",
        "these films",
        "these shows",
        "these series",
        "there is no",
        "there are no",
        "there is not",
    ];
    let words = lower.split_whitespace().count();
    words >= 4 && OPENERS.iter().any(|opener| lower.starts_with(opener))
        || lower.contains(" similar to ")
        || lower.contains("recommendations")
}

// ---------------------------------------------------------------------------
// Reasoning models

/// Drops `<think>...</think>` blocks (reasoning models served by Ollama and
/// llama.cpp put them before the answer). An unclosed block hides the rest.
/// A lone `</think>` (a reasoning template served without a reasoning
/// parser leaves the opening tag in the prompt) drops everything before it.
fn strip_think(text: &str) -> String {
    let text = strip_paired_think(text);
    match text.rfind("</think>") {
        Some(end) => text[end + "</think>".len()..].to_owned(),
        None => text,
    }
}

fn strip_paired_think(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<think>") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</think>") {
            Some(end) => rest = &rest[start + end + "</think>".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------
// JSON

/// The places a JSON document may sit in an answer, most likely first.
fn json_candidates(text: &str) -> Vec<&str> {
    let mut candidates = vec![text.trim()];
    candidates.extend(fenced_blocks(text));
    let open = text.find(['{', '[']);
    let close = text.rfind(['}', ']']);
    if let (Some(open), Some(close)) = (open, close)
        && open < close
    {
        candidates.push(&text[open..=close]);
    }
    candidates
}

/// The contents of each ``` block, the language tag removed. An unclosed
/// block (cut off) runs to the end.
fn fenced_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        // The language tag runs to the end of the line.
        let body_start = after.find('\n').map_or(after.len(), |i| i + 1);
        let tag = &after[..body_start];
        let (body, next) = if tag.contains("```") {
            // A one-line block: ```[...]```.
            let end = after.find("```").unwrap_or(after.len());
            (&after[..end], &after[(end + 3).min(after.len())..])
        } else {
            let body = &after[body_start..];
            match body.find("```") {
                Some(end) => (&body[..end], &body[end + 3..]),
                None => (body, ""),
            }
        };
        let body = body.trim();
        let body = body.strip_prefix("json").map_or(body, str::trim_start);
        blocks.push(body);
        rest = next;
    }
    blocks
}

fn read_json(text: &str) -> Option<Vec<Suggestion>> {
    json_candidates(text).into_iter().find_map(|candidate| {
        let value: Value = serde_json::from_str(candidate).ok()?;
        let items = items_from_value(&value)?;
        (!items.is_empty()).then_some(items)
    })
}

/// Keys under which models put their list, most likely first.
const LIST_KEYS: [&str; 14] = [
    "suggestions",
    "movies",
    "shows",
    "series",
    "tv_shows",
    "tv_series",
    "recommendations",
    "films",
    "results",
    "items",
    "titles",
    "similar",
    "contrast",
    "data",
];

fn items_from_value(value: &Value) -> Option<Vec<Suggestion>> {
    match value {
        Value::Array(items) => Some(items.iter().filter_map(item_from_value).collect()),
        Value::Object(object) => {
            // A list under a known key wins over a title: {"title": "Films
            // like Heat", "movies": [...]} is a list, not one film.
            let listed = LIST_KEYS.iter().filter_map(|key| lookup(object, key));
            if let Some(items) = non_empty_items(listed) {
                return Some(items);
            }

            if title_of(object).is_some() {
                return item_from_object(object).map(|item| vec![item]);
            }
            non_empty_items(object.values())
        }
        _ => None,
    }
}

fn non_empty_items<'a>(values: impl Iterator<Item = &'a Value>) -> Option<Vec<Suggestion>> {
    values
        .filter(|v| v.is_array() || v.is_object())
        .find_map(|v| items_from_value(v).filter(|items| !items.is_empty()))
}

/// `object[key]`, the key compared case-insensitively.
fn lookup<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn first_of<'a>(object: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .find_map(|key| lookup(object, key))
        .filter(|v| !v.is_null())
}

fn title_of(object: &Map<String, Value>) -> Option<&str> {
    first_of(
        object,
        &[
            "title",
            "name",
            "movie",
            "film",
            "show",
            "series",
            "movie_title",
            "show_title",
            "series_title",
            "original_title",
            "original_name",
        ],
    )?
    .as_str()
}

fn item_from_value(value: &Value) -> Option<Suggestion> {
    match value {
        Value::String(text) => parse_line(text, true),
        Value::Object(object) => item_from_object(object),
        _ => None,
    }
}

/// True for an object holding a list under a [`LIST_KEYS`] key: a
/// wrapper, never one suggestion, even when its list is empty or
/// unreadable (its title names the list or echoes the seed). Seen from
/// llama-cpp-python + SmolLM2: `[{"title": "Breaking Bad (2008) 1",
/// "suggestions": [{"genre": ...}]}]`.
fn is_wrapper(object: &Map<String, Value>) -> bool {
    LIST_KEYS
        .iter()
        .any(|key| lookup(object, key).is_some_and(Value::is_array))
}

/// True when the answer is a complete JSON document that is a list
/// wrapper, or an array holding one.
fn holds_wrapper(text: &str) -> bool {
    json_candidates(text).into_iter().any(|candidate| {
        match serde_json::from_str::<Value>(candidate) {
            Ok(Value::Object(object)) => is_wrapper(&object),
            Ok(Value::Array(items)) => items
                .iter()
                .any(|item| item.as_object().is_some_and(is_wrapper)),
            _ => false,
        }
    })
}

fn item_from_object(object: &Map<String, Value>) -> Option<Suggestion> {
    if is_wrapper(object) {
        return None;
    }
    let (title, title_year) = title_and_year(title_of(object)?)?;
    let year = match first_of(
        object,
        &[
            // Asked for series (`MediaKind::year_field`); TMDb's own name next.
            "first_air_year",
            "firstAirYear",
            "first_air_date",
            "year",
            "release_year",
            "releaseYear",
            "released",
            "release_date",
            "first_aired",
            "start_year",
            "years",
        ],
    ) {
        Some(Value::Number(n)) => n
            .as_i64()
            .filter(|y| *y > 0)
            .map(|y| i32::try_from(y).unwrap_or(i32::MAX)),
        Some(Value::String(s)) => leading_year(s.trim()).map(|(y, _)| y),
        _ => None,
    };
    let reason = first_of(
        object,
        &[
            "reason",
            "why",
            "explanation",
            "rationale",
            "description",
            "note",
        ],
    )
    .and_then(Value::as_str)
    .map(str::to_owned);
    Some(Suggestion {
        title,
        // The year written with the title wins over a field that says
        // otherwise: small models copy the seed's "Heat (1995)" and fill the
        // field with another year (seen from llama-cpp-python + SmolLM2).
        year: title_year.or(year),
        reason,
    })
}

/// A JSON title, with a trailing `(Year)` split off: `"Heat (1995)"`.
/// Also an unclosed `"Sabrina (2021-2022"` (seen from llama-cpp-python +
/// SmolLM2).
fn title_and_year(text: &str) -> Option<(String, Option<i32>)> {
    match split_year(text) {
        Some((title, year, rest))
            if rest.trim().is_empty()
                && (text.trim_end().ends_with([')', ']'])
                    || text[title.len()..].starts_with(['(', '['])) =>
        {
            Some((clean_title(title)?, Some(year)))
        }
        _ => Some((clean_title(text)?, None)),
    }
}

/// Rescues the complete items of JSON cut off at the token limit.
fn salvage_json(text: &str) -> Option<Vec<Suggestion>> {
    let start = json_candidates(text)
        .into_iter()
        .filter(|c| c.starts_with(['{', '[']))
        .map(|c| c.as_ptr() as usize - text.as_ptr() as usize)
        .min()?;
    let json = &text[start..];
    let objects: Vec<Suggestion> = complete_objects(json)
        .into_iter()
        .filter_map(|slice| match serde_json::from_str::<Value>(slice).ok()? {
            Value::Object(object) => item_from_object(&object),
            _ => None,
        })
        .collect();
    if !objects.is_empty() {
        return Some(objects);
    }
    let strings: Vec<Suggestion> = complete_string_items(json)
        .into_iter()
        .filter_map(|s| parse_line(&s, true))
        .collect();
    (!strings.is_empty()).then_some(strings)
}

/// Every balanced `{...}` span, innermost first, braces inside strings ignored.
fn complete_objects(json: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut opens = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in json.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => opens.push(i),
            '}' => {
                if let Some(open) = opens.pop() {
                    spans.push(&json[open..=i]);
                }
            }
            _ => {}
        }
    }
    spans
}

/// String literals that are whole array elements (followed by `,`, `]` or
/// the end), not keys and not cut off.
fn complete_string_items(json: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, c) in json.char_indices() {
        match start {
            Some(open) => match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    start = None;
                    let after = json[i + 1..].trim_start();
                    if (after.is_empty() || after.starts_with([',', ']']))
                        && let Ok(s) = serde_json::from_str::<String>(&json[open..=i])
                    {
                        items.push(s);
                    }
                }
                _ => {}
            },
            None if c == '"' => start = Some(i),
            None => {}
        }
    }
    items
}

// ---------------------------------------------------------------------------
// Lines

fn read_lines(text: &str) -> Vec<Suggestion> {
    let mut items: Vec<Suggestion> = Vec::new();
    // True while the last item came from a `Title:` label, so that `Year:`
    // and `Reason:` lines belong to it.
    let mut labelled = false;
    for line in text.lines() {
        if line.chars().count() > MAX_LINE_CHARS {
            labelled = false;
            continue;
        }
        let (body, listed) = strip_list_marker(line.trim());
        let body = body.trim();
        if body.starts_with('|') {
            labelled = false;
            items.extend(parse_table_row(body));
            continue;
        }
        match label(body) {
            Some(("title" | "movie" | "film" | "series" | "show" | "tv series", value)) => {
                labelled = true;
                items.extend(parse_line(value, true));
                continue;
            }
            Some((
                "year" | "release year" | "released" | "first aired" | "first air year" | "aired",
                value,
            )) if labelled => {
                if let Some(last) = items.last_mut()
                    && last.year.is_none()
                {
                    last.year = leading_year(value.trim()).map(|(y, _)| y);
                }
                continue;
            }
            Some(("reason" | "why" | "description" | "explanation", value)) => {
                // Also after a plain item: "1. Heat (1995)" then "   Why: ...".
                if let Some(last) = items.last_mut()
                    && (labelled || last.reason.is_none())
                {
                    last.reason = Some(value.trim().to_owned());
                }
                continue;
            }
            _ => labelled = false,
        }
        if let Some(item) = parse_line(body, listed) {
            items.push(item);
        }
    }
    items
}

/// `Label: value` for a one- or two-word label, markup removed.
fn label(line: &str) -> Option<(&'static str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let value = value.trim_start_matches(['*', '_']);
    const LABELS: [&str; 16] = [
        "title",
        "movie",
        "film",
        "series",
        "show",
        "tv series",
        "year",
        "release year",
        "released",
        "first aired",
        "first air year",
        "aired",
        "reason",
        "why",
        "description",
        "explanation",
    ];
    LABELS
        .iter()
        .find(|l| l.eq_ignore_ascii_case(name))
        .map(|l| (*l, value))
}

/// Removes a leading bullet (`-`, `*`, `•`, ...) or number (`1.`, `1)`,
/// `(1)`, `[1]`, `#1`) and Markdown heading marks. Returns the rest and
/// whether there was a list marker.
fn strip_list_marker(line: &str) -> (&str, bool) {
    let line = line.trim_start_matches('#').trim_start();
    let mut chars = line.char_indices();
    let Some((_, first)) = chars.next() else {
        return (line, false);
    };
    // Bullets must be followed by a space, so that "*Heat*" stays italic.
    if matches!(
        first,
        '-' | '*' | '•' | '+' | '–' | '—' | '·' | '▪' | '►' | '◦' | '‣'
    ) && let Some((i, c)) = chars.next()
        && c.is_whitespace()
    {
        return (&line[i..], true);
    }
    // "(1)", "[1]", "#1" already lost its '#'.
    if matches!(first, '(' | '[') {
        let close = if first == '(' { ')' } else { ']' };
        let digits: String = line[1..].chars().take_while(char::is_ascii_digit).collect();
        if (1..=3).contains(&digits.len()) && line[1 + digits.len()..].starts_with(close) {
            return (&line[2 + digits.len()..], true);
        }
        return (line, false);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        if let Some(after) = rest.strip_prefix(['.', ')', ':'])
            && !after.starts_with(|c: char| c.is_ascii_digit())
        {
            return (after, true);
        }
    }
    (line, false)
}

/// A Markdown table row: `| 1 | Heat | 1995 | a heist |`.
fn parse_table_row(row: &str) -> Option<Suggestion> {
    let cells: Vec<&str> = row
        .split('|')
        .map(|c| c.trim().trim_matches(['*', '_']).trim())
        .filter(|c| !c.is_empty())
        .collect();
    if cells
        .iter()
        .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    {
        return None;
    }
    let year = cells.iter().find_map(|c| match leading_year(c) {
        Some((y, len)) if is_range_tail(&c[len..]) => Some(y),
        _ => None,
    });
    let title_at = cells
        .iter()
        .position(|c| c.chars().any(char::is_alphabetic))?;
    let mut item = parse_line(cells[title_at], true)?;
    if item.year.is_none() {
        item.year = year;
    }
    if item.reason.is_none() {
        item.reason = cells[title_at + 1..]
            .iter()
            .find(|c| c.chars().any(char::is_alphabetic))
            .map(|c| (*c).to_owned());
    }
    Some(item)
}

/// Reads one item: `Title (Year) - reason`, `**Title** (Year): reason`,
/// `Title - Year`, `Title, Year`, `"Title" [Year]`. Without a year, the line
/// is taken only when `bare_ok` (a list item or a JSON string).
fn parse_line(line: &str, bare_ok: bool) -> Option<Suggestion> {
    let line = line.trim();
    if line.is_empty() || line.ends_with(':') {
        return None;
    }
    // A leading bold span is the title, whatever follows it.
    if let Some((bold, rest)) = leading_emphasis(line) {
        let (title, year, reason) = match split_year(bold) {
            Some((title, year, inner_rest)) => {
                let reason = if inner_rest.trim().is_empty() {
                    rest
                } else {
                    inner_rest
                };
                (title, Some(year), reason)
            }
            None => bold_tail(rest).map_or((bold, None, rest), |(year, after)| {
                (bold, Some(year), after)
            }),
        };
        if year.is_none() && !bare_ok {
            return None;
        }
        return Some(Suggestion {
            title: clean_title(title)?,
            year,
            reason: clean_reason(reason),
        });
    }
    let plain = line.replace("**", "").replace("__", "").replace('`', "");
    if let Some((title, year, rest)) = split_year(&plain) {
        return Some(Suggestion {
            title: clean_title(title)?,
            year: Some(year),
            reason: clean_reason(rest),
        });
    }
    if !bare_ok {
        return None;
    }
    let (title, reason) = split_reason(&plain);
    Some(Suggestion {
        title: clean_title(title)?,
        year: None,
        reason: clean_reason(reason),
    })
}

/// The year right after a bold title: `(1995) - reason`, `- 1995: reason`,
/// or `by Michael Mann (1995)` (a few words, then the year).
fn bold_tail(rest: &str) -> Option<(i32, &str)> {
    let stripped = rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | ',' | '|')
    });
    if let Some((year, len)) = leading_year(stripped) {
        return Some((year, skip_range_end(&stripped[len..])));
    }
    match split_year(rest) {
        Some((before, year, after)) if before.split_whitespace().count() <= 5 => {
            Some((year, after))
        }
        _ => None,
    }
}

/// `**text** rest` or `__text__ rest`.
fn leading_emphasis(line: &str) -> Option<(&str, &str)> {
    let marker = ["**", "__"].into_iter().find(|m| line.starts_with(m))?;
    let inner = &line[2..];
    let end = inner.find(marker)?;
    Some((&inner[..end], &inner[end + 2..]))
}

/// Finds the year: first as `(Year)` / `[Year]` (also `(Year, Director)`),
/// then after a separator: `Title - Year`, `Title – Year`, `Title, Year`.
/// Returns the text before, the year, and the text after.
fn split_year(text: &str) -> Option<(&str, i32, &str)> {
    for (i, c) in text.char_indices() {
        if !matches!(c, '(' | '[') {
            continue;
        }
        let inside = &text[i + 1..];
        let trimmed = skip_tv_label(inside.trim_start());
        let Some((year, len)) = leading_year(trimmed) else {
            continue;
        };
        let after_year = &trimmed[len..];
        if !after_year.trim_start().is_empty()
            && !after_year
                .trim_start()
                .starts_with([')', ']', ',', ';', '-', '–', '/'])
        {
            continue;
        }
        let rest = after_year
            .find([')', ']'])
            .map_or("", |close| &after_year[close + 1..]);
        return Some((&text[..i], year, rest));
    }
    for sep in [" - ", " – ", " — ", ", ", " | ", " / "] {
        let mut from = 0;
        while let Some(found) = text[from..].find(sep) {
            let at = from + found;
            let after = text[at + sep.len()..].trim_start();
            if let Some((year, len)) = leading_year(after)
                && !text[..at].trim().is_empty()
            {
                return Some((&text[..at], year, skip_range_end(&after[len..])));
            }
            from = at + sep.len();
        }
    }
    None
}

/// What IMDb and models write before a series' years inside the
/// parentheses: `(TV Series 2008–2013)`, `(TV Mini Series, 2019)`,
/// `(miniseries 2019)`. Longest first.
const TV_LABELS: [&str; 9] = [
    "tv mini-series",
    "tv mini series",
    "tv miniseries",
    "limited series",
    "mini-series",
    "miniseries",
    "tv series",
    "tv show",
    "series",
];

/// `text` after a leading [`TV_LABELS`] entry and its `,`/`:`, or all of it.
fn skip_tv_label(text: &str) -> &str {
    TV_LABELS
        .iter()
        .find_map(|label| {
            let head = text.get(..label.len())?;
            let rest = &text[label.len()..];
            (head.eq_ignore_ascii_case(label) && !rest.starts_with(char::is_alphanumeric))
                .then(|| rest.trim_start_matches([',', ':']).trim_start())
        })
        .unwrap_or(text)
}

/// True for what may follow a year in a table cell: nothing, or the rest
/// of a range (`–2013`, `-13`, `- present`, `–`).
fn is_range_tail(rest: &str) -> bool {
    let rest = rest.trim();
    if rest.is_empty() {
        return true;
    }
    let Some(end) = rest.strip_prefix(['-', '–', '—']).map(str::trim) else {
        return false;
    };
    end.is_empty()
        || end.eq_ignore_ascii_case("present")
        || end.eq_ignore_ascii_case("now")
        || ((end.len() == 2 || end.len() == 4) && end.bytes().all(|b| b.is_ascii_digit()))
}

/// `rest` after the end of a year range it starts with (`–2013`, `-13`,
/// `- present`), so that the end year is not read as a reason.
fn skip_range_end(rest: &str) -> &str {
    let Some(end) = rest.trim_start().strip_prefix(['-', '–', '—']) else {
        return rest;
    };
    let end = end.trim_start();
    let digits = end.bytes().take_while(u8::is_ascii_digit).count();
    let word = ["present", "now"].into_iter().find(|w| {
        end.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
    });
    let len = match (digits, word) {
        (2 | 4, _) => digits,
        (0, Some(word)) => word.len(),
        _ => return rest,
    };
    if end[len..].starts_with(char::is_alphanumeric) {
        return rest;
    }
    &end[len..]
}

/// Four digits at the start of `text`, not followed by another digit or a
/// letter ("2010s" is a decade).
fn leading_year(text: &str) -> Option<(i32, usize)> {
    let digits = text.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text[4..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    // Out-of-range years are kept here so that `clean` drops the whole
    // line: "Top Gun (3025)" is not a film with an unknown year.
    digits.parse().ok().map(|year| (year, 4))
}

/// Splits `Title - a reason of several words`; short tails stay in the
/// title ("Star Wars: Episode IV – A New Hope").
fn split_reason(text: &str) -> (&str, &str) {
    for sep in [" - ", " – ", " — "] {
        if let Some((title, reason)) = text.split_once(sep)
            && reason.split_whitespace().count() >= 4
        {
            return (title, reason);
        }
    }
    (text, "")
}

fn clean_title(title: &str) -> Option<String> {
    let mut title = title.trim();
    for label in ["title:", "movie:", "film:", "series:", "show:"] {
        if title.len() >= label.len()
            && title.is_char_boundary(label.len())
            && title[..label.len()].eq_ignore_ascii_case(label)
        {
            title = title[label.len()..].trim_start();
        }
    }
    let title = title
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '“'
                        | '”'
                        | '«'
                        | '»'
                        | '{'
                        | '}'
                        | '*'
                        | '_'
                        | '`'
                        | ','
                        | ';'
                        | ':'
                        | '-'
                        | '–'
                        | '—'
                )
        })
        .trim();
    // Single quotes only when they wrap the whole title ("'Heat'"), since
    // titles end in apostrophes ("Ocean's", "Summers'").
    let title = title
        .strip_prefix(['\'', '‘'])
        .and_then(|t| t.strip_suffix(['\'', '’']))
        .unwrap_or(title)
        .trim();
    let title = strip_tv_decoration(title);
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// A title without a trailing `(TV series)`, `(miniseries)`, `(TV)`: what
/// a model says of a series, never a part of its name. A country (`The
/// Office (US)`) stays: it is how TVDB, Sonarr and Plex name namesakes.
fn strip_tv_decoration(title: &str) -> &str {
    let trimmed = title.trim_end();
    let Some(inner) = trimmed
        .strip_suffix(')')
        .and_then(|t| t.rfind('(').map(|at| (at, &t[at + 1..])))
    else {
        return title;
    };
    let (at, inner) = inner;
    let label = inner.trim();
    let is_decoration =
        label.eq_ignore_ascii_case("tv") || TV_LABELS.iter().any(|l| label.eq_ignore_ascii_case(l));
    if is_decoration && at > 0 {
        trimmed[..at].trim_end()
    } else {
        title
    }
}

fn clean_reason(reason: &str) -> Option<String> {
    let reason = reason
        .trim_start_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '-' | '–' | '—' | ':' | '|' | ',' | '.' | '*' | '_' | ')' | ']'
                )
        })
        .trim_end();
    let reason = reason.replace("**", "");
    (reason.chars().any(char::is_alphanumeric)).then(|| reason.trim().to_owned())
}

#[cfg(test)]
mod tests;
