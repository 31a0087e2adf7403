//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keeps three Plex collections fresh from what you watch: suggestions from
/// an LLM or TMDb, missing movies sent to Radarr, duplicates cleaned.
#[derive(Debug, Parser)]
#[command(
    name = "curator",
    version,
    about,
    max_term_width = 100,
    after_help = EXIT_CODES
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The exit codes, shown at the end of `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  done, or nothing to do
  1  config, lock or state problem (nothing changed)
  2  bad arguments
  3  finished, but a step failed or reported a problem with some movies or
     collections (the lines marked ✗ or ⚠); `check`: a problem found";

/// Flags every command takes.
#[derive(Debug, Clone, Args)]
pub(crate) struct Global {
    /// The config file [default: ./config/config.local.yaml, ./config/config.yaml,
    /// then ~/.config/curator/config.yaml]
    #[arg(long, global = true, env = "CURATOR_CONFIG", value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Where curator keeps its state files, lock and logs [default: ./data]
    /// (`demo`: a new temporary directory; $CURATOR_DATA_DIR is ignored)
    #[arg(long, global = true, env = "CURATOR_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,

    /// True when `--data-dir` was given on the command line (not taken from
    /// `$CURATOR_DATA_DIR`); set after parsing.
    #[arg(skip)]
    pub(crate) data_dir_on_command_line: bool,

    /// Read everything, change nothing, and print what would be done
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,

    /// More log output on stderr (-v: info, -vv: debug, -vvv: trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub(crate) verbose: u8,

    /// Only errors: no step-by-step output
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// Log format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,

    /// Also write the run's report as JSON to this file
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) report: Option<PathBuf>,
}

/// Log formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run every enabled step for a movie or an episode that was just
    /// watched (what Tautulli calls)
    Run(RunArgs),
    /// Write the collections to Plex again from the saved state
    Refresh(RefreshArgs),
    /// Delete lower-quality duplicate movie and episode files (the duplicate
    /// cleaners alone; each only when the config switches it on, or with
    /// --dry-run)
    Dedupe(DedupeArgs),
    /// Unmonitor Radarr movies and Sonarr episodes Plex already has (the
    /// monitor confirms alone)
    ConfirmMonitored,
    /// Print the suggestions for a movie and how each resolves, changing nothing
    Recommend(RecommendArgs),
    /// List the movies waiting for your approval (radarr.require_approval),
    /// or approve, reject, forget them
    Approvals(ApprovalsArgs),
    /// Load the config and reach every enabled service
    Check,
    /// Sum up the run history: runs by outcome, what was added and sent to
    /// Radarr, errors by cause, the services now
    Report(ReportArgs),
    /// The notification targets: `--test` sends each a test message
    Notify(NotifyArgs),
    /// Write a commented example config
    Init(InitArgs),
    /// Run the whole pipeline against built-in fake servers: no network, no keys
    #[cfg(feature = "demo")]
    Demo(DemoArgs),
    /// Run as a service: Plex and Tautulli webhooks, a job queue, schedules
    /// and a web page
    Serve(ServeArgs),
    /// Ask the running `curator serve` whether it answers (its /healthz):
    /// exit 0 when it does, 1 when not; for a container's HEALTHCHECK
    Healthcheck(ServeArgs),
    /// Manage curator's own collections in Plex
    #[command(subcommand)]
    Collections(CollectionsCommand),
    /// Print shell completions
    Completions(CompletionsArgs),
}

/// `curator collections ...`.
#[derive(Debug, Clone, Subcommand)]
pub(crate) enum CollectionsCommand {
    /// Unpin curator's collections from Home and Recommended and delete
    /// them (only the ones named in the config; the movies and shows stay),
    /// for when you stop using curator. Try it with --dry-run first.
    Remove(RemoveArgs),
}

/// `curator collections remove`.
#[derive(Debug, Clone, Args)]
pub(crate) struct RemoveArgs {
    /// Which library's collections
    #[arg(long, value_enum, default_value_t = KindArg::Movie)]
    pub(crate) kind: KindArg,
}

/// A library kind on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// The movie library
    Movie,
    /// The TV library
    Tv,
}

/// `curator run`.
///
/// Tautulli's arguments line (examples/tautulli/README.md): `"{title}"
/// {media_type}`, then `--year`, `--tmdb-id`, `--rating-key`, `--user`,
/// and for episodes `--show`, `--tvdb-id`. Empty values and unfilled
/// `{placeholders}` count as absent.
#[derive(Debug, Clone, Args)]
pub(crate) struct RunArgs {
    /// The movie's title ("Inception" or "Inception (2010)"), or an
    /// episode's full title ("Severance - Good News About Hell": the show is
    /// the text before the first " - "), at most 300 characters
    #[arg(allow_hyphen_values = true)]
    pub(crate) title: String,
    /// The media type: `movie`, `episode` (a run for its show, when
    /// plex.tv_library_name is set) or `show`; anything else is skipped;
    /// when empty, absent or an unfilled placeholder, a movie is assumed
    pub(crate) media_type: Option<String>,
    /// The movie's year, or the show's first year (Tautulli's {show_year})
    #[arg(long, value_name = "YEAR")]
    pub(crate) year: Option<String>,
    /// The movie's TMDb id, or the show's TMDb TV id
    #[arg(long, value_name = "ID")]
    pub(crate) tmdb_id: Option<String>,
    /// The movie's Plex rating key, or the show's (an episode's
    /// {grandparent_rating_key})
    #[arg(long, value_name = "KEY")]
    pub(crate) rating_key: Option<String>,
    /// The episode's show (Tautulli's {show_name}); wins over the title's
    #[arg(long, value_name = "TITLE", allow_hyphen_values = true)]
    pub(crate) show: Option<String>,
    /// The show's TVDB id (Tautulli's {thetvdb_id}); ignored for a movie
    #[arg(long, value_name = "ID")]
    pub(crate) tvdb_id: Option<String>,
    /// Who watched it (logged only)
    #[arg(long, value_name = "NAME")]
    pub(crate) user: Option<String>,
    /// Start the run in the background and return at once (Tautulli stops
    /// scripts after 30 seconds); output goes to logs/ in the data directory
    #[arg(long)]
    pub(crate) detach: bool,
    /// Set on the background process `--detach` starts.
    #[arg(long, hide = true)]
    pub(crate) detached_child: bool,
}

/// Which refresher `curator refresh` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RefreshOnly {
    /// "Based on your recently watched movie" and "Change of Taste" (and
    /// their TV counterparts when TV is on)
    RecentlyWatched,
    /// "Inspired by your Immaculate Taste" (and its TV counterpart when TV
    /// is on)
    ImmaculateTaste,
}

/// `curator refresh`.
#[derive(Debug, Clone, Args)]
pub(crate) struct RefreshArgs {
    /// Refresh only these collections
    #[arg(long, value_enum)]
    pub(crate) only: Option<RefreshOnly>,
}

/// What a title given on the command line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Kind {
    /// A movie, in the movie library
    Movie,
    /// A TV show, in the TV library (plex.tv_library_name)
    Show,
}

impl Kind {
    /// The kind as the core names it.
    pub(crate) fn media(self) -> curator_http::MediaKind {
        match self {
            Self::Movie => curator_http::MediaKind::Movie,
            Self::Show => curator_http::MediaKind::Show,
        }
    }
}

/// `curator dedupe`.
#[derive(Debug, Clone, Args)]
pub(crate) struct DedupeArgs {
    /// Clean only this library (both by default): movies
    /// (`run_plex_duplicate_cleaner`) or episodes (`run_sonarr_duplicate_cleaner`)
    #[arg(long, value_enum)]
    pub(crate) kind: Option<KindArg>,
}

/// `curator recommend`.
#[derive(Debug, Clone, Args)]
pub(crate) struct RecommendArgs {
    /// The title ("Heat" or "Heat (1995)"; a show's: "Severance")
    pub(crate) title: String,
    /// The year (a show's: the year it first aired)
    #[arg(long)]
    pub(crate) year: Option<i32>,
    /// A movie or a show
    #[arg(long, value_enum, default_value_t = Kind::Movie)]
    pub(crate) kind: Kind,
    /// Also ask for the immaculate-taste suggestions (a longer list)
    #[arg(long)]
    pub(crate) immaculate: bool,
}

/// `curator init`.
#[derive(Debug, Clone, Args)]
pub(crate) struct InitArgs {
    /// Where to write it
    #[arg(default_value = "config/config.yaml")]
    pub(crate) path: PathBuf,
    /// Replace an existing file
    #[arg(long)]
    pub(crate) force: bool,
}

/// `curator demo`.
///
/// It never uses the real data directory: its state goes to a new temporary
/// directory, or to `--data-dir DIR` given on its command line when DIR
/// holds no curator state.
#[cfg(feature = "demo")]
#[derive(Debug, Clone, Args)]
pub(crate) struct DemoArgs {
    /// The watched movie [default: the first seed of the demo script]
    pub(crate) title: Option<String>,
    /// Watch an episode of this show instead (the demo's TV library:
    /// "Severance", "Breaking Bad", "Shōgun", ...)
    #[arg(long, value_name = "TITLE", conflicts_with = "title")]
    pub(crate) show: Option<String>,
    /// Then keep the fakes running and serve the web page on the demo's
    /// data, as `curator serve` does (stop with Ctrl-C)
    #[arg(long)]
    pub(crate) serve: bool,
    /// With --serve: where to listen
    #[arg(
        long,
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:7979",
        requires = "serve"
    )]
    pub(crate) listen: String,
    /// Ask this real OpenAI-compatible server for the suggestions instead
    /// of the fake LLM (Plex, Radarr and TMDb stay simulated), e.g.
    /// `http://127.0.0.1:8080/v1`
    #[arg(long, value_name = "URL")]
    pub(crate) llm_url: Option<String>,
    /// With --llm-url: the model to ask for
    #[arg(
        long,
        value_name = "NAME",
        default_value = "local",
        requires = "llm_url"
    )]
    pub(crate) llm_model: String,
    /// Hold missing movies for approval instead of sending them to the
    /// fake Radarr (as `radarr.require_approval: true` does)
    #[arg(long)]
    pub(crate) require_approval: bool,
}

/// `curator approvals`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ApprovalsArgs {
    #[command(subcommand)]
    pub(crate) action: Option<ApprovalAction>,
}

/// What `curator approvals` does; without one it lists.
#[derive(Debug, Clone, Subcommand)]
pub(crate) enum ApprovalAction {
    /// Send these waiting movies to Radarr as a run would (tags, profile,
    /// search)
    Approve {
        /// Their ids, as `curator approvals` lists them (TMDb ids)
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        ids: Vec<String>,
        /// Every waiting movie
        #[arg(long)]
        all: bool,
    },
    /// Drop these waiting movies; later runs never offer them again
    Reject {
        /// Their ids, as `curator approvals` lists them
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Forget these rejections: later runs may offer the movies again
    Forget {
        /// Their ids, as `curator approvals` lists them
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

/// `curator serve`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ServeArgs {
    /// Where to listen [default: serve.listen in the config, else 127.0.0.1:7979]
    #[arg(long, env = "CURATOR_LISTEN", value_name = "HOST:PORT")]
    pub(crate) listen: Option<String>,
}

/// `curator report`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ReportArgs {
    /// The period to sum up, up to now: hours, days or weeks (36h, 7d, 2w)
    #[arg(long, default_value = "7d", value_name = "PERIOD")]
    pub(crate) since: String,
    /// Also send it to the notification targets that take the report
    #[arg(long)]
    pub(crate) send: bool,
}

/// `curator notify`.
#[derive(Debug, Clone, Args)]
pub(crate) struct NotifyArgs {
    /// Send a test message to every target
    #[arg(long)]
    pub(crate) test: bool,
}

/// `curator completions`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

impl Cli {
    /// Parses the process's arguments, exiting on an error or `--help`.
    pub(crate) fn parse_args() -> Self {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Self::command().get_matches();
        let mut cli = Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.global.data_dir_on_command_line = given_on_command_line(&matches, "data_dir");
        cli
    }

    /// The long help of a subcommand, as `curator <name> --help` prints it.
    #[cfg(test)]
    pub(crate) fn command_help(name: &str) -> String {
        use clap::CommandFactory;
        let mut command = Self::command();
        command
            .find_subcommand_mut(name)
            .map(|sub| sub.render_long_help().to_string())
            .unwrap_or_default()
    }
}

/// True when the (global) argument `id` came from the command line, before
/// or after the subcommand.
fn given_on_command_line(matches: &clap::ArgMatches, id: &str) -> bool {
    use clap::parser::ValueSource;
    let here = matches.value_source(id) == Some(ValueSource::CommandLine);
    here || matches
        .subcommand()
        .is_some_and(|(_, sub)| given_on_command_line(sub, id))
}

impl RunArgs {
    /// The watched movie as given, for `curator_app::read_watched`.
    pub(crate) fn watched(&self) -> curator_app::Watched {
        curator_app::Watched {
            title: self.title.clone(),
            media_type: self.media_type.clone(),
            year: self.year.clone(),
            tmdb_id: self.tmdb_id.clone(),
            rating_key: self.rating_key.clone(),
            user: self.user.clone(),
            show: self.show.clone(),
            tvdb_id: self.tvdb_id.clone(),
        }
    }
}

impl Global {
    /// The data directory (`./data` unless told otherwise).
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("./data"))
    }
}

#[cfg(test)]
mod tests {
    use curator_app::{RunInput, read_watched};

    use super::*;

    fn args(title: &str, media: Option<&str>) -> RunArgs {
        RunArgs {
            title: title.to_owned(),
            media_type: media.map(str::to_owned),
            year: None,
            tmdb_id: None,
            rating_key: None,
            show: None,
            tvdb_id: None,
            user: None,
            detach: false,
            detached_child: false,
        }
    }

    /// `--help` says an empty media type means a movie; so does the code.
    #[test]
    fn an_empty_media_type_is_a_movie_as_the_help_says() {
        let help = Cli::command_help("run");
        assert!(help.contains("when empty, absent"), "{help}");
        assert!(help.contains("a movie is assumed"), "{help}");
        for media in [Some(""), Some("  "), Some("{media_type}"), None] {
            assert!(
                matches!(
                    read_watched(&args("Heat", media).watched()),
                    Ok(RunInput::Movie { .. })
                ),
                "{media:?}"
            );
        }
        assert_eq!(
            read_watched(&args("Heat", Some("Movie")).watched()).unwrap(),
            read_watched(&args("Heat", None).watched()).unwrap()
        );
    }

    /// The arguments line of examples/tautulli/README.md.
    const TAUTULLI_LINE: &str = r#""{title}" {media_type} --user {username} <movie>--year {year} --tmdb-id {themoviedb_id} --rating-key {rating_key}</movie><episode>--show "{show_name}" --year {show_year} --tvdb-id {thetvdb_id} --tmdb-id {themoviedb_id} --rating-key {grandparent_rating_key}</episode>"#;

    /// What Tautulli makes of an arguments line (`plexpy/notification_handler.py`,
    /// `build_notify_text`): the other media types' `<tag>...</tag>` parts
    /// removed and this one's tags dropped, then the line split shell-style,
    /// then each argument's `{placeholders}` filled (unknown ones stay).
    fn as_tautulli_fills(line: &str, media: &str, values: &[(&str, &str)]) -> Vec<String> {
        let mut text = line.to_owned();
        for tag in [
            "movie", "show", "season", "episode", "artist", "album", "track",
        ] {
            let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
            if tag == media {
                text = text.replace(&open, "").replace(&close, "");
            } else {
                while let (Some(a), Some(b)) = (text.find(&open), text.find(&close)) {
                    text.replace_range(a..b + close.len(), "");
                }
            }
        }
        let mut args = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        let mut any = false;
        for c in text.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                ' ' if !quoted => {
                    if any {
                        args.push(std::mem::take(&mut current));
                    }
                    any = false;
                }
                c => {
                    current.push(c);
                    any = true;
                }
            }
        }
        if any {
            args.push(current);
        }
        args.into_iter()
            .map(|mut arg| {
                for (name, value) in values {
                    arg = arg.replace(&format!("{{{name}}}"), value);
                }
                arg
            })
            .collect()
    }

    fn run_args_of(args: Vec<String>) -> RunArgs {
        let cli = Cli::try_parse_from(
            ["curator".to_owned(), "run".to_owned()]
                .into_iter()
                .chain(args),
        )
        .unwrap();
        match cli.command {
            Command::Run(run) => run,
            other => panic!("not run: {other:?}"),
        }
    }

    /// The README's line, filled by Tautulli for an episode and for a
    /// movie, reads as the show and as the movie, with their own ids.
    #[test]
    fn the_readmes_tautulli_line_reads_an_episode_as_its_show_and_a_movie_as_before() {
        let readme = include_str!("../../../examples/tautulli/README.md");
        assert!(readme.contains(TAUTULLI_LINE), "the README's line changed");
        // Tautulli's values for an episode (placeholder names from
        // plexpy/common.py); {year} is the episode's, {rating_key} too.
        let episode = [
            ("title", "Severance - Good News About Hell"),
            ("media_type", "episode"),
            ("username", "alice"),
            ("year", "2022"),
            ("show_name", "Severance"),
            ("show_year", "2022"),
            ("thetvdb_id", "371980"),
            ("themoviedb_id", "95396"),
            ("rating_key", "4102"),
            ("grandparent_rating_key", "4100"),
        ];
        let args = as_tautulli_fills(TAUTULLI_LINE, "episode", &episode);
        let RunInput::Show { seed, user, .. } = read_watched(&run_args_of(args).watched()).unwrap()
        else {
            panic!("not a show")
        };
        assert_eq!(
            (
                seed.title.as_str(),
                seed.year,
                seed.tvdb_id,
                seed.tmdb_id,
                seed.rating_key.as_deref()
            ),
            (
                "Severance",
                Some(2022),
                Some(curator_http::TvdbId(371_980)),
                Some(curator_http::TmdbId(95396)),
                Some("4100")
            )
        );
        assert_eq!(user.as_deref(), Some("alice"));
        // A movie, with an unknown TMDb id left empty by Tautulli.
        let movie = [
            ("title", "Inception"),
            ("media_type", "movie"),
            ("username", "bob"),
            ("year", "2010"),
            ("themoviedb_id", ""),
            ("rating_key", "1936"),
        ];
        let args = as_tautulli_fills(TAUTULLI_LINE, "movie", &movie);
        assert!(
            !args.iter().any(|a| a == "--show" || a == "--tvdb-id"),
            "{args:?}"
        );
        let RunInput::Movie { seed, .. } = read_watched(&run_args_of(args).watched()).unwrap()
        else {
            panic!("not a movie")
        };
        assert_eq!(
            (
                seed.title.as_str(),
                seed.year,
                seed.tmdb_id,
                seed.rating_key.as_deref()
            ),
            ("Inception", Some(2010), None, Some("1936"))
        );
    }
}
