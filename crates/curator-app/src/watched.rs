//! Reading a watched movie or episode as Tautulli passes it (to `curator
//! run`'s arguments or a webhook): empty values and unfilled
//! `{placeholders}` mean "not given", a title may carry its year, and an
//! episode's full title ("Show - Episode") names its show.

use curator_core::{Seed, Settings};
use curator_http::{MediaKind, TmdbId, TvdbId};

use crate::error::Error;

/// What was said about a watched movie or episode, as text, as it came:
/// every value may be empty or an unfilled placeholder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watched {
    /// The title, perhaps with its year: `Inception (2010)`; for an episode
    /// Tautulli's full title, `Severance - Good News About Hell`.
    pub title: String,
    /// Tautulli's `{media_type}`: `movie`, `episode` (or `show`, a whole
    /// show); anything else is not acted on.
    pub media_type: Option<String>,
    /// The year (a show's: the year it first aired, Tautulli's
    /// `{show_year}`).
    pub year: Option<String>,
    /// The TMDb id (a show's TMDb TV id, Tautulli's `{themoviedb_id}`).
    pub tmdb_id: Option<String>,
    /// The Plex rating key (for an episode, its show's: Tautulli's
    /// `{grandparent_rating_key}`).
    pub rating_key: Option<String>,
    /// Who watched it.
    pub user: Option<String>,
    /// The show's title (Tautulli's `{show_name}`); wins over the one in an
    /// episode's full title.
    pub show: Option<String>,
    /// The show's TVDB id (Tautulli's `{thetvdb_id}`).
    pub tvdb_id: Option<String>,
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
    /// An episode (or a whole show) was watched: the run is for its show.
    Show {
        /// The show (`seed.kind` is [`MediaKind::Show`]).
        seed: Seed,
        /// Who watched it.
        user: Option<String>,
        /// The media type as given (`episode` or `show`), for the message
        /// when TV is off.
        media_type: String,
    },
    /// Something else was watched: nothing to do.
    NotAMovie(String),
}

impl RunInput {
    /// Why this input makes no run under `settings`: a media type curator
    /// does not act on, or an episode while TV is off (no
    /// `plex.tv_library_name`). Without TV the words are the ones curator
    /// said before it knew shows.
    pub fn skip_reason(&self, settings: &Settings) -> Option<String> {
        self.skip_reason_with(settings.tv.is_some())
    }

    /// [`RunInput::skip_reason`], for a caller that knows only whether TV
    /// is on.
    pub fn skip_reason_with(&self, tv_on: bool) -> Option<String> {
        match self {
            Self::Movie { .. } => None,
            Self::Show { .. } if tv_on => None,
            Self::Show { media_type, .. } => Some(not_acted_on(media_type, false)),
            Self::NotAMovie(kind) => Some(not_acted_on(kind, tv_on)),
        }
    }
}

/// "media type \"track\" is not a movie; curator only acts on movies", or
/// with TV on, "... not a movie or an episode; curator acts on movies and
/// episodes".
fn not_acted_on(kind: &str, tv_on: bool) -> String {
    if tv_on {
        format!(
            "media type \"{kind}\" is not a movie or an episode; curator acts on movies and episodes"
        )
    } else {
        format!("media type \"{kind}\" is not a movie; curator only acts on movies")
    }
}

fn year(value: &str, what: &str) -> Result<i32, Error> {
    match value.parse::<i32>() {
        Ok(year) if (1870..=2200).contains(&year) => Ok(year),
        _ => Err(Error::Usage(format!(
            "{what} {value:?} is not a year (expected something like 2010)"
        ))),
    }
}

/// The show in an episode's full title: Tautulli's `{title}` for an
/// episode is "Show - Episode" (`pmsconnect.py`, `full_title` of an
/// episode: `grandparentTitle - title`), so the show is the text before the
/// first " - ". A title without one is the show's own.
fn show_of_episode_title(title: &str) -> &str {
    title
        .split_once(" - ")
        .map_or(title, |(show, _)| show)
        .trim()
}

fn positive_id(value: &str, flag: &str, what: &str) -> Result<u32, Error> {
    match value.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::Usage(format!(
            "{flag} {value:?} is not {what} (a positive number)"
        ))),
    }
}

/// Reads what was said about a watched movie or episode.
///
/// # Errors
/// [`Error::Usage`] for a missing title or a malformed year or id.
pub fn read(args: &Watched) -> Result<RunInput, Error> {
    let media_type = given(args.media_type.as_deref());
    let kind = match media_type
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("movie") => MediaKind::Movie,
        Some("episode" | "show") => MediaKind::Show,
        Some(_) => return Ok(RunInput::NotAMovie(media_type.unwrap_or_default())),
    };
    let raw_title = given(Some(&args.title));
    let show = given(args.show.as_deref());
    let what = match kind {
        MediaKind::Movie => "movie",
        MediaKind::Show => "show",
    };
    if raw_title.is_none() && show.is_none() {
        let also = match kind {
            MediaKind::Movie => "",
            MediaKind::Show => " (or --show, as Tautulli's \"{show_name}\")",
        };
        return Err(Error::Usage(format!(
            "no {what} title was given (got {:?}); pass the title as the first argument, as Tautulli's \"{{title}}\"{also}",
            args.title
        )));
    }
    for text in [&raw_title, &show].into_iter().flatten() {
        let length = text.chars().count();
        if length > MAX_TITLE_CHARS {
            let start: String = text.chars().take(40).collect();
            return Err(Error::Usage(format!(
                "the title is {length} characters long (it starts {start:?}); a title has at most {MAX_TITLE_CHARS}: pass the title as the first argument, as Tautulli's \"{{title}}\""
            )));
        }
    }
    let episode = media_type
        .as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("episode"));
    let named = match (kind, show, raw_title) {
        (MediaKind::Show, Some(show), _) => show,
        (MediaKind::Show, None, Some(title)) if episode => show_of_episode_title(&title).to_owned(),
        (_, _, Some(title)) => title,
        (MediaKind::Movie, Some(_), None) => {
            return Err(Error::Usage(
                "--show is for an episode; pass the movie's title as the first argument".into(),
            ));
        }
        (_, None, None) => unreachable!("one of them is given, checked above"),
    };
    let (title, title_year) = split_title_year(&named);
    if title.is_empty() {
        return Err(Error::Usage(format!("{named:?} has no title")));
    }
    let year = match given(args.year.as_deref()) {
        Some(y) => Some(year(&y, "--year")?),
        None => title_year,
    };
    let tmdb_id = given(args.tmdb_id.as_deref())
        .map(|id| positive_id(&id, "--tmdb-id", "a TMDb id").map(TmdbId))
        .transpose()?;
    let tvdb_id = given(args.tvdb_id.as_deref())
        .map(|id| positive_id(&id, "--tvdb-id", "a TVDB id").map(TvdbId))
        .transpose()?;
    // Tautulli fills {thetvdb_id} for some movies too; a movie goes by its
    // TMDb id, so one arguments line serves both kinds.
    let tvdb_id = tvdb_id.filter(|_| kind == MediaKind::Show);
    let seed = Seed {
        title,
        year,
        tmdb_id,
        rating_key: given(args.rating_key.as_deref()),
        kind,
        tvdb_id,
    };
    let user = given(args.user.as_deref());
    Ok(match kind {
        MediaKind::Movie => RunInput::Movie { seed, user },
        MediaKind::Show => RunInput::Show {
            seed,
            user,
            media_type: media_type.unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(input: RunInput) -> (Seed, Option<String>, String) {
        match input {
            RunInput::Show {
                seed,
                user,
                media_type,
            } => (seed, user, media_type),
            other => panic!("not a show: {other:?}"),
        }
    }

    /// Tautulli's `{title}` of an episode is "Show - Episode"
    /// (Tautulli `plexpy/pmsconnect.py`, an episode's `full_title`); its
    /// `{show_name}`, `{thetvdb_id}`, `{themoviedb_id}` (the show's, from
    /// `grandparent_guids`), `{grandparent_rating_key}` and `{show_year}`
    /// (`plexpy/common.py`, NOTIFICATION_PARAMETERS) arrive as flags.
    #[test]
    fn an_episode_is_a_run_for_its_show() {
        let (seed, user, media) =
            show(read(&args("Severance - Good News About Hell", Some("episode"))).unwrap());
        assert_eq!(
            (seed.title.as_str(), seed.kind),
            ("Severance", MediaKind::Show)
        );
        assert_eq!((seed.year, seed.tmdb_id, seed.tvdb_id), (None, None, None));
        assert_eq!((user, media.as_str()), (None, "episode"));
        // Only the first " - " splits; a show's own year is taken off.
        let (seed, ..) =
            show(read(&args("Doctor Who (2005) - Blink - Part 1", Some("Episode"))).unwrap());
        assert_eq!((seed.title.as_str(), seed.year), ("Doctor Who", Some(2005)));
        // The better inputs: --show wins over the full title, the ids are
        // the show's.
        let mut a = args("Mr. Robot - eps1.0_hellofriend.mov", Some("episode"));
        a.show = Some("Mr. Robot".into());
        a.tvdb_id = Some("289590".into());
        a.tmdb_id = Some("62560".into());
        a.rating_key = Some("5012".into());
        a.year = Some("2015".into());
        a.user = Some("alice".into());
        let (seed, user, _) = show(read(&a).unwrap());
        assert_eq!(
            seed,
            Seed {
                title: "Mr. Robot".into(),
                year: Some(2015),
                tmdb_id: Some(TmdbId(62560)),
                rating_key: Some("5012".into()),
                kind: MediaKind::Show,
                tvdb_id: Some(TvdbId(289590)),
            }
        );
        assert_eq!(user.as_deref(), Some("alice"));
        // --show alone is enough when Tautulli left {title} unfilled.
        let mut a = args("{title}", Some("episode"));
        a.show = Some("The Bear".into());
        assert_eq!(show(read(&a).unwrap()).0.title, "The Bear");
        a.show = Some("{show_name}".into());
        let Err(Error::Usage(message)) = read(&a) else {
            panic!("a usage error")
        };
        assert!(message.contains("--show"), "{message}");
        // A bad TVDB id is the caller's mistake.
        let mut a = args("Severance - Hello, Ms. Cobel", Some("episode"));
        a.tvdb_id = Some("tt11280740".into());
        let Err(Error::Usage(message)) = read(&a) else {
            panic!("a usage error")
        };
        assert!(
            message.contains("--tvdb-id \"tt11280740\" is not a TVDB id"),
            "{message}"
        );
    }

    #[test]
    fn a_whole_show_is_read_like_an_episode_and_its_title_is_kept_whole() {
        // Tautulli's {title} of a show is the show's own title: nothing to
        // split off.
        let (seed, _, media) =
            show(read(&args("Avatar - The Last Airbender (2005)", Some("show"))).unwrap());
        assert_eq!(
            (seed.title.as_str(), seed.year, seed.kind, media.as_str()),
            (
                "Avatar - The Last Airbender",
                Some(2005),
                MediaKind::Show,
                "show"
            )
        );
    }

    #[test]
    fn a_movie_ignores_a_tvdb_id_and_episodes_are_skipped_as_before_while_tv_is_off() {
        let mut a = args("Heat (1995)", Some("movie"));
        a.tvdb_id = Some("1234".into());
        let RunInput::Movie { seed, .. } = read(&a).unwrap() else {
            panic!("a movie")
        };
        assert_eq!((seed.kind, seed.tvdb_id), (MediaKind::Movie, None));

        let off = Settings::default();
        assert!(off.tv.is_none());
        let episode = read(&args("Severance - Pilot", Some("episode"))).unwrap();
        // The words curator said about episodes before it knew shows.
        assert_eq!(
            episode.skip_reason(&off).as_deref(),
            Some("media type \"episode\" is not a movie; curator only acts on movies")
        );
        let on = Settings {
            tv: Some(curator_core::TvSettings::default()),
            ..Settings::default()
        };
        assert_eq!(episode.skip_reason(&on), None);
        let track = read(&args("Song", Some("track"))).unwrap();
        assert_eq!(
            track.skip_reason(&on).as_deref(),
            Some(
                "media type \"track\" is not a movie or an episode; curator acts on movies and episodes"
            )
        );
        assert!(
            track
                .skip_reason(&off)
                .unwrap()
                .contains("only acts on movies")
        );
        assert_eq!(read(&args("Heat", None)).unwrap().skip_reason(&off), None);
    }

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
        for kind in ["track", "clip", "season"] {
            assert_eq!(
                read(&args("Pilot", Some(kind))).unwrap(),
                RunInput::NotAMovie(kind.into())
            );
        }
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
