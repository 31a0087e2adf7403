//! What a fake server starts with: sections, movies, shows, collections,
//! settings.

use curator_http::{ImdbId, TmdbId, TvdbId};

use crate::model::{CollectionSort, SectionKind};

/// How a fake movie's or show's guids look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Agent {
    /// The current Plex agent: `guid` is `plex://movie/<hex>` (or
    /// `plex://show/<hex>`) and, when asked with `includeGuids=1`, a `Guid`
    /// array lists `imdb://...`, `tmdb://...` (and `tvdb://...` for shows).
    #[default]
    Current,
    /// The legacy TMDb agent: only `com.plexapp.agents.themoviedb://{id}?lang=en`.
    LegacyTmdb,
    /// The legacy IMDb agent: only `com.plexapp.agents.imdb://{id}?lang=en`.
    LegacyImdb,
    /// The NFO agent (XBMCnfoMoviesImporter), which takes the id from the
    /// movie's `.nfo` file: `com.plexapp.agents.xbmcnfo://{imdb id}?lang=xn`.
    LegacyNfo,
    /// The legacy TheTVDB agent, for shows: only
    /// `com.plexapp.agents.thetvdb://{id}?lang=en`, and
    /// `.../{id}/{season}/{episode}?lang=en` on its episodes (plex-api.rs
    /// `tests/mocks/server/media/tv_library.json`, `tv_episodes.json`).
    LegacyTvdb,
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

/// A TV show to put in a fake library, with its episodes.
///
/// ```
/// use plex_client::fake::{Agent, FakeEpisode, FakeShow, FakeVersion};
///
/// let show = FakeShow::new("Breaking Bad", 2008)
///     .tvdb(81189)
///     .tmdb(1396)
///     .agent(Agent::LegacyTvdb)
///     .episode(
///         FakeEpisode::new(1, 1, "Pilot")
///             .version(FakeVersion::new("1080"))
///             .version(FakeVersion::new("720")),
///     )
///     .season(1, 7)
///     .season(0, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeShow {
    pub(crate) rating_key: Option<String>,
    pub(crate) title: String,
    pub(crate) original_title: Option<String>,
    pub(crate) year: Option<u16>,
    pub(crate) added_at: Option<i64>,
    pub(crate) tmdb: Option<TmdbId>,
    pub(crate) tvdb: Option<TvdbId>,
    pub(crate) imdb: Option<ImdbId>,
    pub(crate) agent: Agent,
    pub(crate) episodes: Vec<FakeEpisode>,
}

impl FakeShow {
    /// A show first aired in `year`, current agent, no outside ids and no
    /// episodes yet.
    pub fn new(title: impl Into<String>, year: u16) -> Self {
        Self {
            rating_key: None,
            title: title.into(),
            original_title: None,
            year: Some(year),
            added_at: None,
            tmdb: None,
            tvdb: None,
            imdb: None,
            agent: Agent::Current,
            episodes: Vec::new(),
        }
    }

    /// A fixed rating key.
    pub fn rating_key(mut self, key: impl Into<String>) -> Self {
        self.rating_key = Some(key.into());
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

    /// Its TMDb TV id.
    pub fn tmdb(mut self, id: u32) -> Self {
        self.tmdb = Some(TmdbId(id));
        self
    }

    /// Its TheTVDB id.
    pub fn tvdb(mut self, id: u32) -> Self {
        self.tvdb = Some(TvdbId(id));
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

    /// Which agent's guids it shows: [`Agent::Current`],
    /// [`Agent::LegacyTvdb`] or [`Agent::LegacyTmdb`] (others show no id).
    pub fn agent(mut self, agent: Agent) -> Self {
        self.agent = agent;
        self
    }

    /// Adds an episode.
    pub fn episode(mut self, episode: FakeEpisode) -> Self {
        self.episodes.push(episode);
        self
    }

    /// Adds the episodes of `season` (0 for specials) not added yet, up to
    /// `count`: "Episode 1", "Episode 2", ..., one 1080p version each.
    pub fn season(mut self, season: u32, count: u32) -> Self {
        for index in 1..=count {
            if !self
                .episodes
                .iter()
                .any(|e| e.season == season && e.index == index)
            {
                self.episodes
                    .push(FakeEpisode::new(season, index, format!("Episode {index}")));
            }
        }
        self
    }
}

/// An episode of a fake show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeEpisode {
    pub(crate) rating_key: Option<String>,
    pub(crate) season: u32,
    pub(crate) index: u32,
    pub(crate) title: String,
    pub(crate) versions: Vec<FakeVersion>,
}

impl FakeEpisode {
    /// Episode `index` of `season` (0 for specials). Without any
    /// [`FakeEpisode::version`], it gets one 45-minute 1080p version.
    pub fn new(season: u32, index: u32, title: impl Into<String>) -> Self {
        Self {
            rating_key: None,
            season,
            index,
            title: title.into(),
            versions: Vec::new(),
        }
    }

    /// A fixed rating key.
    pub fn rating_key(mut self, key: impl Into<String>) -> Self {
        self.rating_key = Some(key.into());
        self
    }

    /// Adds a media version (several make duplicates; see also
    /// [`FakeVersion::optimized`]).
    pub fn version(mut self, version: FakeVersion) -> Self {
        self.versions.push(version);
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

    /// Items, by title (the first movie or show of the section with that
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
    Show {
        section: String,
        show: FakeShow,
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

    /// Adds a TV show section.
    pub fn show_section(self, key: impl Into<String>, title: impl Into<String>) -> Self {
        self.section(key, title, SectionKind::Show)
    }

    /// Adds a section of any kind (only movie sections hold movies, only
    /// show sections hold shows).
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

    /// Adds a show, with its episodes, to a show section added before.
    pub fn show(mut self, section: impl Into<String>, show: FakeShow) -> Self {
        self.entries.push(SeedEntry::Show {
            section: section.into(),
            show,
        });
        self
    }

    /// Adds a small TV library of real shows with their real TMDb, TVDB and
    /// IMDb ids, in all three agent styles, with specials, duplicate
    /// episode versions and an optimized version:
    ///
    /// | show | agent | TMDb | TVDB | what else |
    /// | --- | --- | --- | --- | --- |
    /// | Severance (2022) | current | 95396 | 371980 | S01E01 in 1080p, 4K and optimized for TV |
    /// | Breaking Bad (2008) | legacy TheTVDB | 1396 | 81189 | S01E01 in 1080p and 720p; a special |
    /// | The Office (US) (2005) | legacy TMDb | 2316 | 73244 | |
    /// | Shōgun (2024) | current | 126308 | 392573 | |
    /// | Battlestar Galactica (2004) | legacy TheTVDB | 1972 | 73545 | two specials |
    ///
    /// The ids were checked against public sources except Shōgun's TVDB
    /// id and Battlestar Galactica's IMDb id (`tt0407362`), which are
    /// from memory. Episode titles other than the pilots are made up.
    pub fn sample_shows(self, section: impl Into<String>) -> Self {
        let section = section.into();
        let severance = FakeShow::new("Severance", 2022)
            .tmdb(95396)
            .tvdb(371980)
            .imdb("tt11280740")
            .episode(
                FakeEpisode::new(1, 1, "Good News About Hell")
                    .version(FakeVersion::new("1080").duration(3_420_000))
                    .version(FakeVersion::new("4k").duration(3_420_000))
                    .version(
                        FakeVersion::new("720")
                            .duration(3_420_000)
                            .optimized("Optimized for TV"),
                    ),
            )
            .season(1, 9)
            .season(2, 3);
        let breaking_bad = FakeShow::new("Breaking Bad", 2008)
            .tmdb(1396)
            .tvdb(81189)
            .imdb("tt0903747")
            .agent(Agent::LegacyTvdb)
            .episode(
                FakeEpisode::new(1, 1, "Pilot")
                    .version(FakeVersion::new("1080").duration(3_480_000))
                    .version(FakeVersion::new("720").duration(3_480_000)),
            )
            .season(1, 7)
            .season(0, 1);
        let office = FakeShow::new("The Office (US)", 2005)
            .tmdb(2316)
            .tvdb(73244)
            .imdb("tt0386676")
            .agent(Agent::LegacyTmdb)
            .episode(FakeEpisode::new(1, 1, "Pilot"))
            .season(1, 6);
        let shogun = FakeShow::new("Shōgun", 2024)
            .original_title("SHōGUN")
            .tmdb(126308)
            .tvdb(392573)
            .imdb("tt2788316")
            .episode(FakeEpisode::new(1, 1, "Anjin"))
            .season(1, 10);
        let galactica = FakeShow::new("Battlestar Galactica", 2004)
            .tmdb(1972)
            .tvdb(73545)
            .imdb("tt0407362")
            .agent(Agent::LegacyTvdb)
            .episode(FakeEpisode::new(1, 1, "33"))
            .season(1, 13)
            .season(0, 2);
        [severance, breaking_bad, office, shogun, galactica]
            .into_iter()
            .fold(self, |seed, show| seed.show(section.clone(), show))
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
