//! Title normalisation for matching titles from different sources.
//!
//! An LLM writes "Amelie", TMDb says "Amélie", Plex has "Amélie"; one source
//! writes "The Good, the Bad and the Ugly", another "Good, The Bad & The Ugly".
//! [`normalize_title`] maps all of those to one key.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Leading articles dropped from a title (English, French, Spanish, German,
/// Italian), as libraries sort and agents file titles with or without them.
const ARTICLES: &[&str] = &[
    "the", "a", "an", "le", "la", "les", "l", "el", "los", "las", "die", "der", "das", "il", "lo",
];

/// Folds case, accents, punctuation, leading articles and `&`/`and`.
///
/// The result is lowercase ASCII-ish words joined by single spaces. A title
/// that is only an article keeps it ("A" stays "a").
///
/// ```
/// use curator_core::normalize_title;
///
/// assert_eq!(normalize_title("Amélie"), normalize_title("AMELIE"));
/// assert_eq!(normalize_title("The Lord of the Rings: The Two Towers"), "lord of the rings the two towers");
/// assert_eq!(normalize_title("Fast & Furious"), normalize_title("Fast and Furious"));
/// ```
pub fn normalize_title(title: &str) -> String {
    // "Matrix, The" is how some libraries file titles: drop the trailing
    // article the way a leading one is dropped.
    let title = match title.trim_end().rsplit_once(',') {
        Some((head, tail)) if ARTICLES.contains(&tail.trim().to_lowercase().as_str()) => head,
        _ => title,
    };
    let mut folded = String::with_capacity(title.len());
    let chars = title
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase);
    for c in chars {
        match c {
            '&' => folded.push_str(" and "),
            // Apostrophes join ("Schindler's" -> "schindlers"); other marks split.
            '\'' | '\u{2019}' | '`' => {}
            c if c.is_alphanumeric() => folded.push(c),
            _ => folded.push(' '),
        }
    }
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.len() > 1 && ARTICLES.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_the_forms_sources_disagree_on() {
        let same = [
            ("Amélie", "amelie"),
            ("AMELIE", "amelie"),
            ("The Matrix", "matrix"),
            ("Matrix, The", "matrix"),
            (
                "Good, the Bad and the Ugly, The",
                "good the bad and the ugly",
            ),
            ("Fast & Furious", "fast and furious"),
            ("Fast&Furious", "fast and furious"),
            ("Fast and Furious", "fast and furious"),
            ("Schindler's List", "schindlers list"),
            ("Schindler’s List", "schindlers list"),
            ("Spider-Man: No Way Home", "spider man no way home"),
            ("  Léon:   The Professional ", "leon the professional"),
            ("A", "a"),
            (
                "An American Werewolf in London",
                "american werewolf in london",
            ),
            (
                "Le Fabuleux Destin d'Amélie Poulain",
                "fabuleux destin damelie poulain",
            ),
            ("WALL·E", "wall e"),
            ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
            ("", ""),
            ("!!!", ""),
        ];
        for (input, expected) in same {
            assert_eq!(normalize_title(input), expected, "{input}");
        }
    }

    #[test]
    fn keeps_different_titles_apart() {
        assert_ne!(normalize_title("Alien"), normalize_title("Aliens"));
        assert_ne!(normalize_title("Heat"), normalize_title("The Heat Is On"));
    }
}
