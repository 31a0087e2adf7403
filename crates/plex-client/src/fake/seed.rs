//! What a fake server starts with: sections, movies, collections, settings.

use curator_http::{ImdbId, TmdbId};

use crate::model::{CollectionSort, SectionKind};

/// How a fake movie's guids look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Agent {
    /// The current Plex agent: `guid` is `plex://movie/<hex>` and, when asked
    /// with `includeGuids=1` (always on `/library/metadata/{key}`), a `Guid`
    /// array lists `imdb://...` and `tmdb://...`.
    #[default]
    Current,
    /// The legacy TMDb agent: only `com.plexapp.agents.themoviedb://{id}?lang=en`.
    LegacyTmdb,
    /// The legacy IMDb agent: only `com.plexapp.agents.imdb://{id}?lang=en`.
    LegacyImdb,
    /// The NFO agent (XBMCnfoMoviesImporter), which takes the id from the
    /// movie's `.nfo` file: `com.plexapp.agents.xbmcnfo://{imdb id}?lang=xn`.
    LegacyNfo,
}

/// A movie to put in a fake library.
///
/// ```
/// use plex_client::fake::{FakeMovie, FakeVersion};
///
/// let movie = FakeMovie::new("Inception", 2010)
///     .tmdb(27205)
///     .imdb("tt1375666")
///     .version(FakeVersion::new("1080").part("/movies/Inception (2010).mkv", 9_800_000_000))
///     .version(FakeVersion::new("4k").codec("hevc"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeMovie {
    pub(crate) rating_key: Option<String>,
    pub(crate) title: String,
    pub(crate) original_title: Option<String>,
    pub(crate) year: Option<u16>,
    pub(crate) added_at: Option<i64>,
    pub(crate) tmdb: Option<TmdbId>,
    pub(crate) imdb: Option<ImdbId>,
    pub(crate) agent: Agent,
    pub(crate) edition: Option<String>,
    pub(crate) versions: Vec<FakeVersion>,
}

impl FakeMovie {
    /// A movie with this title and year, current agent, no outside ids yet.
    /// Without any [`FakeMovie::version`], it gets one 1080p version.
    pub fn new(title: impl Into<String>, year: u16) -> Self {
        Self {
            rating_key: None,
            title: title.into(),
            original_title: None,
            year: Some(year),
            added_at: None,
            tmdb: None,
            imdb: None,
            agent: Agent::Current,
            edition: None,
            versions: Vec::new(),
        }
    }

    /// A fixed rating key (otherwise the fake hands out 1000, 1001, ... in
    /// the order items are added).
    pub fn rating_key(mut self, key: impl Into<String>) -> Self {
        self.rating_key = Some(key.into());
        self
    }

    /// No year at all.
    pub fn without_year(mut self) -> Self {
        self.year = None;
        self
    }

    /// The original-language title.
    pub fn original_title(mut self, title: impl Into<String>) -> Self {
        self.original_title = Some(title.into());
        self
    }

    /// When it was added (Unix seconds).
    pub fn added_at(mut self, at: i64) -> Self {
        self.added_at = Some(at);
        self
    }

    /// Its TMDb id.
    pub fn tmdb(mut self, id: u32) -> Self {
        self.tmdb = Some(TmdbId(id));
        self
    }

    /// Its IMDb id (`tt...`).
    ///
    /// # Panics
    /// When `id` is not an IMDb title id: seeds are test code.
    pub fn imdb(mut self, id: &str) -> Self {
        self.imdb = Some(ImdbId::parse(id).unwrap_or_else(|| panic!("not an IMDb id: {id}")));
        self
    }

    /// Which agent's guids it shows.
    pub fn agent(mut self, agent: Agent) -> Self {
        self.agent = agent;
        self
    }

    /// Makes it an edition (`editionTitle`, such as "Director's Cut"):
    /// Plex keeps each edition as its own item, sharing the film's ids.
    pub fn edition(mut self, title: impl Into<String>) -> Self {
        self.edition = Some(title.into());
        self
    }

    /// Adds a media version.
    pub fn version(mut self, version: FakeVersion) -> Self {
        self.versions.push(version);
        self
    }
}

/// A media version of a fake movie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeVersion {
    pub(crate) resolution: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) bitrate: u32,
    pub(crate) video_codec: String,
    pub(crate) audio_codec: String,
    pub(crate) container: String,
    pub(crate) duration: u64,
    pub(crate) parts: Vec<(String, u64)>,
    pub(crate) missing: bool,
    pub(crate) optimized: Option<String>,
}

impl FakeVersion {
    /// A version of this Plex resolution label (`"sd"`, `"480"`, `"720"`,
    /// `"1080"`, `"4k"`), with a frame size, bitrate and codecs to match.
    /// Without any [`FakeVersion::part`], it gets one file named after the movie.
    pub fn new(resolution: &str) -> Self {
        let (width, height, bitrate) = match resolution {
            "4k" => (3840, 2160, 42_000),
            "1080" => (1920, 1080, 10_500),
            "720" => (1280, 720, 4_800),
            "480" => (720, 480, 2_000),
            _ => (640, 360, 1_200),
        };
        Self {
            resolution: resolution.to_owned(),
            width,
            height,
            bitrate,
            video_codec: if resolution == "4k" { "hevc" } else { "h264" }.to_owned(),
            audio_codec: "ac3".to_owned(),
            container: "mkv".to_owned(),
            duration: 7_200_000,
            parts: Vec::new(),
            missing: false,
            optimized: None,
        }
    }

    /// An optimized version, as Plex's "Optimize" makes for a target
    /// (`"Optimized for TV"`, `"Mobile"`): listed as another `Media` of the
    /// same item with `proxyType` 42, its file in a `Plex Versions/`
    /// folder beside the movie (python-plexapi `Media.isOptimizedVersion`).
    #[must_use]
    pub fn optimized(mut self, target: &str) -> Self {
        self.optimized = Some(target.to_owned());
        self
    }

    /// Its files are gone from disk while Plex still lists the version:
    /// asked with `checkFiles=1`, the server reports them missing.
    #[must_use]
    pub fn missing(mut self) -> Self {
        self.missing = true;
        self
    }

    /// The frame size.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// The bitrate in kbit/s.
    pub fn bitrate(mut self, kbps: u32) -> Self {
        self.bitrate = kbps;
        self
    }

    /// The video codec.
    pub fn codec(mut self, codec: &str) -> Self {
        self.video_codec = codec.to_owned();
        self
    }

    /// The audio codec.
    pub fn audio_codec(mut self, codec: &str) -> Self {
        self.audio_codec = codec.to_owned();
        self
    }

    /// The container.
    pub fn container(mut self, container: &str) -> Self {
        self.container = container.to_owned();
        self
    }

    /// The running time in milliseconds.
    pub fn duration(mut self, ms: u64) -> Self {
        self.duration = ms;
        self
    }

    /// Adds a file.
    pub fn part(mut self, file: impl Into<String>, size: u64) -> Self {
        self.parts.push((file.into(), size));
        self
    }
}

/// A collection a fake library starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeCollection {
    pub(crate) rating_key: Option<String>,
    pub(crate) title: String,
    pub(crate) items: Vec<ItemRef>,
    pub(crate) sort: CollectionSort,
    pub(crate) smart: bool,
    pub(crate) summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemRef {
    Key(String),
    Title(String),
}

impl FakeCollection {
    /// An empty collection sorted by release date (Plex's default).
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            rating_key: None,
            title: title.into(),
            items: Vec::new(),
            sort: CollectionSort::ReleaseDate,
            smart: false,
            summary: String::new(),
        }
    }

    /// A fixed rating key.
    pub fn rating_key(mut self, key: impl Into<String>) -> Self {
        self.rating_key = Some(key.into());
        self
    }

    /// Items, by rating key, in this (custom) order.
    pub fn items<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.items
            .extend(keys.into_iter().map(|k| ItemRef::Key(k.into())));
        self
    }

    /// Items, by movie title (the first movie of the section with that
    /// title), in this (custom) order.
    pub fn items_by_title<I, S>(mut self, titles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.items
            .extend(titles.into_iter().map(|t| ItemRef::Title(t.into())));
        self
    }

    /// Its sort pref.
    pub fn sort(mut self, sort: CollectionSort) -> Self {
        self.sort = sort;
        self
    }

    /// Makes it a smart collection (items cannot be added, removed or moved).
    pub fn smart(mut self) -> Self {
        self.smart = true;
        self
    }

    /// Its summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

/// Everything a [`FakePlex`](super::FakePlex) starts with.
///
/// ```
/// use plex_client::CollectionSort;
/// use plex_client::fake::{Agent, FakeCollection, FakeMovie, PlexSeed};
///
/// let seed = PlexSeed::new()
///     .token("test-token")
///     .allow_media_deletion(true)
///     .movie_section("1", "Movies")
///     .movie("1", FakeMovie::new("Heat", 1995).tmdb(949))
///     .movie("1", FakeMovie::new("The Matrix", 1999).imdb("tt0133093").agent(Agent::LegacyImdb))
///     .collection(
///         "1",
///         FakeCollection::new("Favourites")
///             .items_by_title(["The Matrix", "Heat"])
///             .sort(CollectionSort::Custom),
///     );
/// ```
#[derive(Debug, Clone)]
pub struct PlexSeed {
    pub(crate) token: String,
    pub(crate) machine_identifier: String,
    pub(crate) version: String,
    pub(crate) friendly_name: String,
    pub(crate) allow_media_deletion: bool,
    pub(crate) max_page_size: Option<usize>,
    pub(crate) entries: Vec<SeedEntry>,
}

#[derive(Debug, Clone)]
pub(crate) enum SeedEntry {
    Section {
        key: String,
        title: String,
        kind: SectionKind,
    },
    Movie {
        section: String,
        movie: FakeMovie,
    },
    Collection {
        section: String,
        collection: FakeCollection,
    },
}

/// The token a [`PlexSeed::new`] fake accepts unless told otherwise.
pub const DEFAULT_TOKEN: &str = "fake-plex-token";

/// The machine identifier of a [`PlexSeed::new`] fake unless told otherwise.
pub const DEFAULT_MACHINE_IDENTIFIER: &str = "f4a2c0d18b9e4c3f8d7a6b5c4d3e2f1a0b9c8d7e";

impl Default for PlexSeed {
    fn default() -> Self {
        Self::new()
    }
}

impl PlexSeed {
    /// An empty server: no sections, token [`DEFAULT_TOKEN`], media
    /// deletion not allowed.
    pub fn new() -> Self {
        Self {
            token: DEFAULT_TOKEN.to_owned(),
            machine_identifier: DEFAULT_MACHINE_IDENTIFIER.to_owned(),
            version: "1.41.3.9314-a0bfb8370".to_owned(),
            friendly_name: "Fake Plex".to_owned(),
            allow_media_deletion: false,
            max_page_size: None,
            entries: Vec::new(),
        }
    }

    /// The token the server accepts in `X-Plex-Token`.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The server's machine identifier.
    pub fn machine_identifier(mut self, id: impl Into<String>) -> Self {
        self.machine_identifier = id.into();
        self
    }

    /// The server version it reports.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// The server's `allowMediaDeletion` setting.
    pub fn allow_media_deletion(mut self, allow: bool) -> Self {
        self.allow_media_deletion = allow;
        self
    }

    /// The most items the server puts in one page, whatever was asked
    /// (real servers may answer with shorter pages).
    pub fn max_page_size(mut self, size: usize) -> Self {
        self.max_page_size = Some(size.max(1));
        self
    }

    /// Adds a movie section.
    pub fn movie_section(self, key: impl Into<String>, title: impl Into<String>) -> Self {
        self.section(key, title, SectionKind::Movie)
    }

    /// Adds a section of any kind (only movie sections hold movies).
    pub fn section(
        mut self,
        key: impl Into<String>,
        title: impl Into<String>,
        kind: SectionKind,
    ) -> Self {
        self.entries.push(SeedEntry::Section {
            key: key.into(),
            title: title.into(),
            kind,
        });
        self
    }

    /// Adds a movie to a section added before.
    pub fn movie(mut self, section: impl Into<String>, movie: FakeMovie) -> Self {
        self.entries.push(SeedEntry::Movie {
            section: section.into(),
            movie,
        });
        self
    }

    /// Adds `count` generated movies ("Generated Movie 0001", years from
    /// 1950, TMDb ids from 900001, current agent, one 1080p version each):
    /// a big library for scale tests and benchmarks.
    pub fn generated_movies(mut self, section: impl Into<String>, count: usize) -> Self {
        let section = section.into();
        for i in 1..=count {
            let movie = FakeMovie::new(format!("Generated Movie {i:04}"), 1950 + (i % 75) as u16)
                .tmdb(900_000 + i as u32)
                .imdb(&format!("tt{:07}", 9_000_000 + i));
            self = self.movie(section.clone(), movie);
        }
        self
    }

    /// Adds a collection to a section; its items must be added before it.
    pub fn collection(mut self, section: impl Into<String>, collection: FakeCollection) -> Self {
        self.entries.push(SeedEntry::Collection {
            section: section.into(),
            collection,
        });
        self
    }
}
