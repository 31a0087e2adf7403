//! Reading a watched movie as Tautulli passes it (to `curator run`'s
//! arguments or a webhook): empty values and unfilled `{placeholders}`
//! mean "not given", and a title may carry its year.

use curator_core::Seed;
use curator_http::TmdbId;

use crate::error::Error;

/// What was said about a watched movie, as text, as it came: every value
/// may be empty or an unfilled placeholder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watched {
    /// The title, perhaps with its year: `Inception (2010)`.
    pub title: String,
    /// Tautulli's `{media_type}`; anything but `movie` is not acted on.
    pub media_type: Option<String>,
    /// The year.
    pub year: Option<String>,
    /// The TMDb id.
    pub tmdb_id: Option<String>,
    /// The Plex rating key.
    pub rating_key: Option<String>,
    /// Who watched it.
    pub user: Option<String>,
}

/// The longest title accepted. The longest real film titles are around 200
/// characters; anything longer is a wrong argument (a whole log line, a
/// description), and would go to TMDb searches and the LLM's prompt.
pub const MAX_TITLE_CHARS: usize = 300;

/// A value, unless it is empty or a literal placeholder such as `{year}`.
pub fn given(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    let placeholder = value.starts_with('{') && value.ends_with('}');
    (!value.is_empty() && !placeholder).then(|| value.to_owned())
}

/// Splits `Inception (2010)` into the title and the year.
pub fn split_title_year(title: &str) -> (String, Option<i32>) {
    let title = title.trim();
    if let Some(rest) = title.strip_suffix(')')
        && let Some(open) = rest.rfind(" (")
        && let Ok(year) = rest[open + 2..].parse::<i32>()
        && (1870..=2200).contains(&year)
    {
        return (rest[..open].trim().to_owned(), Some(year));
    }
    (title.to_owned(), None)
}

/// What `curator run` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunInput {
    /// A movie was watched.
    Movie {
        /// The movie.
        seed: Seed,
        /// Who watched it.
        user: Option<String>,
    },
    /// Something else was watched: nothing to do.
    NotAMovie(String),
}

fn year(value: &str, what: &str) -> Result<i32, Error> {
    match value.parse::<i32>() {
        Ok(year) if (1870..=2200).contains(&year) => Ok(year),
        _ => Err(Error::Usage(format!(
            "{what} {value:?} is not a year (expected something like 2010)"
        ))),
    }
}

/// Reads what was said about a watched movie.
///
/// # Errors
/// [`Error::Usage`] for a missing title or a malformed year or id.
pub fn read(args: &Watched) -> Result<RunInput, Error> {
    let media_type = given(args.media_type.as_deref());
    if let Some(kind) = &media_type
        && !kind.eq_ignore_ascii_case("movie")
    {
        return Ok(RunInput::NotAMovie(kind.clone()));
    }
    let Some(raw_title) = given(Some(&args.title)) else {
        return Err(Error::Usage(format!(
            "no movie title was given (got {:?}); pass the title as the first argument, as Tautulli's \"{{title}}\"",
            args.title
        )));
    };
    let length = raw_title.chars().count();
    if length > MAX_TITLE_CHARS {
        let start: String = raw_title.chars().take(40).collect();
        return Err(Error::Usage(format!(
            "the title is {length} characters long (it starts {start:?}); a title has at most {MAX_TITLE_CHARS}: pass the title as the first argument, as Tautulli's \"{{title}}\""
        )));
    }
    let (title, title_year) = split_title_year(&raw_title);
    if title.is_empty() {
        return Err(Error::Usage(format!("{raw_title:?} has no title")));
    }
    let year = match given(args.year.as_deref()) {
        Some(y) => Some(year(&y, "--year")?),
        None => title_year,
    };
    let tmdb_id = match given(args.tmdb_id.as_deref()) {
        Some(id) => match id.parse::<u32>() {
            Ok(n) if n > 0 => Some(TmdbId(n)),
            _ => {
                return Err(Error::Usage(format!(
                    "--tmdb-id {id:?} is not a TMDb id (a positive number)"
                )));
            }
        },
        None => None,
    };
    Ok(RunInput::Movie {
        seed: Seed {
            title,
            year,
            tmdb_id,
            rating_key: given(args.rating_key.as_deref()),
            ..Seed::default()
        },
        user: given(args.user.as_deref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(title: &str, media: Option<&str>) -> Watched {
        Watched {
            title: title.to_owned(),
            media_type: media.map(str::to_owned),
            ..Watched::default()
        }
    }

    #[test]
    fn placeholders_and_empty_values_are_absent() {
        assert_eq!(given(Some("{year}")), None);
        assert_eq!(given(Some("")), None);
        assert_eq!(given(Some("  ")), None);
        assert_eq!(given(None), None);
        assert_eq!(given(Some(" 2010 ")).as_deref(), Some("2010"));
    }

    #[test]
    fn a_title_carries_its_year_unless_one_is_given() {
        assert_eq!(
            split_title_year("Inception (2010)"),
            ("Inception".into(), Some(2010))
        );
        assert_eq!(split_title_year("Heat"), ("Heat".into(), None));
        assert_eq!(
            split_title_year("Se7en (aka Seven)"),
            ("Se7en (aka Seven)".into(), None)
        );
        let mut a = args("Inception (2010)", Some("movie"));
        a.year = Some("{year}".into());
        a.tmdb_id = Some(String::new());
        a.rating_key = Some("{rating_key}".into());
        a.user = Some("alice".into());
        let RunInput::Movie { seed, user } = read(&a).unwrap() else {
            panic!("a movie")
        };
        assert_eq!(seed.title, "Inception");
        assert_eq!(seed.year, Some(2010));
        assert_eq!(seed.tmdb_id, None);
        assert_eq!(seed.rating_key, None);
        assert_eq!(user.as_deref(), Some("alice"));
        a.year = Some("2011".into());
        a.tmdb_id = Some("27205".into());
        let RunInput::Movie { seed, .. } = read(&a).unwrap() else {
            panic!("a movie")
        };
        assert_eq!((seed.year, seed.tmdb_id), (Some(2011), Some(TmdbId(27205))));
    }

    #[test]
    fn other_media_types_are_not_movies_and_bad_values_are_usage_errors() {
        assert_eq!(
            read(&args("Pilot", Some("episode"))).unwrap(),
            RunInput::NotAMovie("episode".into())
        );
        assert!(matches!(
            read(&args("Heat", Some("{media_type}"))),
            Ok(RunInput::Movie { .. })
        ));
        assert!(matches!(
            read(&args("{title}", Some("movie"))),
            Err(Error::Usage(_))
        ));
        assert!(matches!(read(&args("", None)), Err(Error::Usage(_))));
        let mut a = args("Heat", None);
        a.year = Some("next year".into());
        assert!(matches!(read(&a), Err(Error::Usage(_))));
        a.year = None;
        a.tmdb_id = Some("tt0113277".into());
        assert!(matches!(read(&a), Err(Error::Usage(_))));
    }

    #[test]
    fn a_title_longer_than_300_characters_is_a_usage_error() {
        let at_limit = "é".repeat(MAX_TITLE_CHARS);
        assert!(matches!(
            read(&args(&at_limit, Some("movie"))),
            Ok(RunInput::Movie { .. })
        ));
        let long = format!("{at_limit}x");
        let Err(Error::Usage(message)) = read(&args(&long, Some("movie"))) else {
            panic!("a usage error")
        };
        assert!(message.contains("301 characters"), "{message}");
        assert!(message.contains("at most 300"), "{message}");
        assert!(message.len() < 300, "{message}");
    }
}
