//! The fake's shows, TMDb's TV genre list, and a sample TV catalogue.

use curator_http::{ImdbId, TmdbId, TvdbId};

use crate::model::{Genre, GenreId, Keyword, KeywordId, year_of};

/// A show in the fake's catalogue. Build one with [`FakeShow::new`] and the
/// chained setters, or fill the fields directly.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeShow {
    /// The TMDb TV id (TMDb numbers shows apart from movies).
    pub id: TmdbId,
    /// The (English) name.
    pub name: String,
    /// The original name.
    pub original_name: String,
    /// The original language, ISO 639-1.
    pub original_language: String,
    /// Where it was made, ISO 3166-1.
    pub origin_country: Vec<String>,
    /// `YYYY-MM-DD`, or `""` when unknown (as TMDb sends it): what
    /// `first_air_date_year` matches.
    pub first_air_date: String,
    /// The last aired episode's date, `YYYY-MM-DD` or `""`.
    pub last_air_date: String,
    /// The years episodes aired in, which `year` matches (TMDb: "the first
    /// air date and all episode air dates"). Every year from the first to
    /// the last air date unless set with [`FakeShow::aired_in`].
    pub air_years: Vec<i32>,
    /// The TV genres.
    pub genres: Vec<GenreId>,
    /// The average vote, 0 to 10.
    pub vote_average: f64,
    /// How many votes.
    pub vote_count: u32,
    /// The popularity score; search and discover rank by it.
    pub popularity: f64,
    /// The IMDb id.
    pub imdb_id: Option<ImdbId>,
    /// The TVDB id; `None` is sent as `"tvdb_id": null`, as TMDb does for
    /// shows it has no TVDB id for.
    pub tvdb_id: Option<TvdbId>,
    /// The plot summary.
    pub overview: String,
    /// TMDb's status: `"Ended"`, `"Returning Series"`, ...
    pub status: String,
    /// Seasons and episodes.
    pub seasons: u32,
    /// Episodes in all.
    pub episodes: u32,
    /// The keywords.
    pub keywords: Vec<Keyword>,
    /// What `/tv/{id}/recommendations` lists, in order.
    pub recommendations: Vec<TmdbId>,
    /// What `/tv/{id}/similar` lists, in order.
    pub similar: Vec<TmdbId>,
}

impl FakeShow {
    /// A show first aired on January 1st of `year`, ended that day, from
    /// the US, with no genres, ids, votes or links yet.
    pub fn new(id: u32, name: &str, year: i32) -> Self {
        let date = format!("{year:04}-01-01");
        Self {
            id: TmdbId(id),
            name: name.to_owned(),
            original_name: name.to_owned(),
            original_language: "en".to_owned(),
            origin_country: vec!["US".to_owned()],
            first_air_date: date.clone(),
            last_air_date: date,
            air_years: vec![year],
            genres: Vec::new(),
            vote_average: 0.0,
            vote_count: 0,
            popularity: 1.0,
            imdb_id: None,
            tvdb_id: None,
            overview: String::new(),
            status: "Ended".to_owned(),
            seasons: 1,
            episodes: 1,
            keywords: Vec::new(),
            recommendations: Vec::new(),
            similar: Vec::new(),
        }
    }

    /// The first-air year, from the first air date.
    pub fn year(&self) -> Option<i32> {
        year_of(&self.first_air_date)
    }

    /// Sets the first and last air dates (`YYYY-MM-DD`, or `""` for
    /// unknown), and the air years to every year between them.
    pub fn aired(mut self, first: &str, last: &str) -> Self {
        self.first_air_date = first.to_owned();
        self.last_air_date = last.to_owned();
        self.air_years = match (year_of(first), year_of(last)) {
            (Some(from), Some(to)) => (from..=to.max(from)).collect(),
            (Some(from), None) => vec![from],
            _ => Vec::new(),
        };
        self
    }

    /// Sets the years episodes aired in, for a show with a gap (Twin Peaks
    /// aired in 1990-1991, then in 2017).
    pub fn aired_in(mut self, years: &[i32]) -> Self {
        self.air_years = years.to_vec();
        self
    }

    /// Marks the show as still running (`"Returning Series"`).
    pub fn returning(mut self) -> Self {
        self.status = "Returning Series".to_owned();
        self
    }

    /// Sets the original name and language.
    pub fn original(mut self, name: &str, language: &str) -> Self {
        self.original_name = name.to_owned();
        self.original_language = language.to_owned();
        self
    }

    /// Sets the origin countries.
    pub fn country(mut self, codes: &[&str]) -> Self {
        self.origin_country = codes.iter().map(|c| (*c).to_owned()).collect();
        self
    }

    /// Sets the TV genres.
    pub fn genres(mut self, ids: &[u32]) -> Self {
        self.genres = ids.iter().copied().map(GenreId).collect();
        self
    }

    /// Sets the vote average and count.
    pub fn votes(mut self, average: f64, count: u32) -> Self {
        self.vote_average = average;
        self.vote_count = count;
        self
    }

    /// Sets the popularity.
    pub fn popularity(mut self, popularity: f64) -> Self {
        self.popularity = popularity;
        self
    }

    /// Sets the IMDb id.
    ///
    /// # Panics
    /// When `id` is not of the `tt1234567` form (a bug in the seed).
    pub fn imdb(mut self, id: &str) -> Self {
        self.imdb_id = Some(ImdbId::parse(id).expect("an IMDb id like tt0903747"));
        self
    }

    /// Sets the TVDB id.
    pub fn tvdb(mut self, id: u32) -> Self {
        self.tvdb_id = Some(TvdbId(id));
        self
    }

    /// Sets the seasons and episodes.
    pub fn size(mut self, seasons: u32, episodes: u32) -> Self {
        self.seasons = seasons;
        self.episodes = episodes;
        self
    }

    /// Sets the overview.
    pub fn overview(mut self, text: &str) -> Self {
        self.overview = text.to_owned();
        self
    }

    /// Sets the keywords.
    pub fn keywords(mut self, keywords: &[(u32, &str)]) -> Self {
        self.keywords = keywords
            .iter()
            .map(|(id, name)| Keyword {
                id: KeywordId(*id),
                name: (*name).to_owned(),
            })
            .collect();
        self
    }

    /// Sets the recommendations, in order.
    pub fn recommends(mut self, ids: &[u32]) -> Self {
        self.recommendations = ids.iter().copied().map(TmdbId).collect();
        self
    }

    /// Sets the similar shows, in order.
    pub fn similar_to(mut self, ids: &[u32]) -> Self {
        self.similar = ids.iter().copied().map(TmdbId).collect();
        self
    }
}

/// TMDb's TV genres (English names), as `/genre/tv/list` lists them. They
/// differ from the movie genres: no Science Fiction (878) or Thriller (53),
/// but Sci-Fi & Fantasy (10765), Action & Adventure (10759), War & Politics
/// (10768) and others (TMDb docs, genre-tv-list).
pub fn tv_genre_list() -> Vec<Genre> {
    [
        (ACTION_ADVENTURE, "Action & Adventure"),
        (ANIMATION, "Animation"),
        (COMEDY, "Comedy"),
        (CRIME, "Crime"),
        (DOCUMENTARY, "Documentary"),
        (DRAMA, "Drama"),
        (FAMILY, "Family"),
        (KIDS, "Kids"),
        (MYSTERY, "Mystery"),
        (NEWS, "News"),
        (REALITY, "Reality"),
        (SCI_FI_FANTASY, "Sci-Fi & Fantasy"),
        (SOAP, "Soap"),
        (TALK, "Talk"),
        (WAR_POLITICS, "War & Politics"),
        (WESTERN, "Western"),
    ]
    .into_iter()
    .map(|(id, name)| Genre {
        id: GenreId(id),
        name: name.to_owned(),
    })
    .collect()
}

const ACTION_ADVENTURE: u32 = 10759;
const ANIMATION: u32 = 16;
const COMEDY: u32 = 35;
const CRIME: u32 = 80;
const DOCUMENTARY: u32 = 99;
const DRAMA: u32 = 18;
const FAMILY: u32 = 10751;
const KIDS: u32 = 10762;
const MYSTERY: u32 = 9648;
const NEWS: u32 = 10763;
const REALITY: u32 = 10764;
const SCI_FI_FANTASY: u32 = 10765;
const SOAP: u32 = 10766;
const TALK: u32 = 10767;
const WAR_POLITICS: u32 = 10768;
const WESTERN: u32 = 37;

/// Keywords from TMDb's own example (tv-series-keywords, Game of Thrones).
const BASED_ON_NOVEL: (u32, &str) = (818, "based on novel or book");

/// Twenty-six real shows with their real TMDb TV ids, TVDB and IMDb ids,
/// first air dates and TV genres, plausible votes and popularity (made up),
/// linked by recommendations and similar lists.
///
/// Same-name pairs for matching tests: "Shōgun" (1980 and 2024),
/// "Battlestar Galactica" (1978, the 2003 miniseries and the 2004 series),
/// "The Office" (UK 2001 and US 2005). Non-English originals: Dark (de),
/// Money Heist ("La casa de papel", es), Squid Game ("오징어 게임", ko). The
/// 2003 Battlestar Galactica miniseries has no TVDB id, as on TMDb some
/// shows have none.
///
/// Where the ids come from: TMDb's own documentation examples (Breaking Bad
/// 1396, Game of Thrones 1399 with TVDB 121361 and tt0944947), and fixtures
/// of other projects' tests that agree with each other (Trakt-shaped ids,
/// Sonarr series resources). Not confirmed from two sources, and so only
/// believed: the TVDB ids of Shōgun (2024) 392573, Fleabag 318229,
/// Battlestar Galactica (1978) 71173, True Detective 270633, Squid Game
/// 383275 and Money Heist 327417; the TMDb ids of
/// Battlestar Galactica (1978) 501 and Shōgun (1980) 13862 (whose TVDB id
/// is left out, being unknown: the fake sends `null` for it); the IMDb ids
/// of The Office (UK), both Shōgun, Battlestar Galactica 1978 and 2003,
/// Dark, Squid Game and Money Heist; and that TMDb has no TVDB id for the 2003 miniseries (TheTVDB
/// files it as specials of the 2004 series).
pub fn sample_tv_catalog() -> Vec<FakeShow> {
    vec![
        FakeShow::new(1396, "Breaking Bad", 2008)
            .aired("2008-01-20", "2013-09-29")
            .genres(&[DRAMA, CRIME])
            .votes(8.9, 14_600)
            .popularity(298.9)
            .imdb("tt0903747")
            .tvdb(81189)
            .size(5, 62)
            .overview("A chemistry teacher diagnosed with cancer turns to making methamphetamine.")
            .recommends(&[60059, 1438, 1398, 62560, 46648])
            .similar_to(&[60059, 1438]),
        FakeShow::new(60059, "Better Call Saul", 2015)
            .aired("2015-02-08", "2022-08-15")
            .genres(&[CRIME, DRAMA])
            .votes(8.7, 5_200)
            .popularity(120.4)
            .imdb("tt3032476")
            .tvdb(273181)
            .size(6, 63)
            .recommends(&[1396, 1438, 76331])
            .similar_to(&[1396]),
        FakeShow::new(1399, "Game of Thrones", 2011)
            .aired("2011-04-17", "2019-05-19")
            .genres(&[SCI_FI_FANTASY, DRAMA, ACTION_ADVENTURE])
            .votes(8.4, 21_390)
            .popularity(346.1)
            .imdb("tt0944947")
            .tvdb(121361)
            .size(8, 73)
            .keywords(&[
                BASED_ON_NOVEL,
                (4152, "kingdom"),
                (12554, "dragon"),
                (13084, "king"),
                (34038, "intrigue"),
            ])
            .recommends(&[126_308, 63639, 1972])
            .similar_to(&[126_308]),
        FakeShow::new(95396, "Severance", 2022)
            .aired("2022-02-18", "2025-03-21")
            .returning()
            .genres(&[DRAMA, MYSTERY, SCI_FI_FANTASY])
            .votes(8.4, 2_400)
            .popularity(160.2)
            .imdb("tt11280740")
            .tvdb(371980)
            .size(2, 19)
            .recommends(&[70523, 62560, 87108, 42009])
            .similar_to(&[70523]),
        FakeShow::new(2316, "The Office", 2005)
            .aired("2005-03-24", "2013-05-16")
            .genres(&[COMEDY])
            .votes(8.6, 4_300)
            .popularity(210.5)
            .imdb("tt0386676")
            .tvdb(73244)
            .size(9, 201)
            .recommends(&[2996, 97546, 67070])
            .similar_to(&[2996]),
        FakeShow::new(2996, "The Office", 2001)
            .aired("2001-07-09", "2003-12-27")
            .country(&["GB"])
            .genres(&[COMEDY])
            .votes(7.9, 900)
            .popularity(35.7)
            .imdb("tt0290978")
            .tvdb(78107)
            .size(2, 14)
            .recommends(&[2316, 67070]),
        FakeShow::new(126_308, "Shōgun", 2024)
            .aired("2024-02-27", "2024-04-23")
            .returning()
            .genres(&[DRAMA, WAR_POLITICS])
            .votes(8.5, 1_800)
            .popularity(140.3)
            .imdb("tt2788316")
            .tvdb(392573)
            .size(1, 10)
            .keywords(&[BASED_ON_NOVEL])
            .overview("In Japan in the year 1600, Lord Yoshii Toranaga fights for his life.")
            .recommends(&[1399, 13862])
            .similar_to(&[13862]),
        FakeShow::new(13862, "Shōgun", 1980)
            .aired("1980-09-15", "1980-09-19")
            .genres(&[ACTION_ADVENTURE, DRAMA, WAR_POLITICS])
            .votes(7.7, 150)
            .popularity(12.4)
            .imdb("tt0080274")
            .size(1, 5)
            .keywords(&[BASED_ON_NOVEL])
            .recommends(&[126_308]),
        FakeShow::new(1972, "Battlestar Galactica", 2004)
            .aired("2004-10-18", "2009-03-20")
            .genres(&[ACTION_ADVENTURE, DRAMA, SCI_FI_FANTASY])
            .votes(8.2, 1_500)
            .popularity(60.8)
            .imdb("tt0407362")
            .tvdb(73545)
            .size(4, 73)
            .recommends(&[63639, 71365, 501, 1399])
            .similar_to(&[501, 71365]),
        FakeShow::new(501, "Battlestar Galactica", 1978)
            .aired("1978-09-17", "1979-04-29")
            .genres(&[ACTION_ADVENTURE, SCI_FI_FANTASY])
            .votes(7.0, 300)
            .popularity(20.1)
            .imdb("tt0076984")
            .tvdb(71173)
            .size(1, 24)
            .recommends(&[1972]),
        FakeShow::new(71365, "Battlestar Galactica", 2003)
            .aired("2003-12-08", "2003-12-09")
            .genres(&[ACTION_ADVENTURE, DRAMA, SCI_FI_FANTASY])
            .votes(7.8, 400)
            .popularity(18.3)
            .imdb("tt0314979")
            .size(1, 2)
            .recommends(&[1972]),
        FakeShow::new(1438, "The Wire", 2002)
            .aired("2002-06-02", "2008-03-09")
            .genres(&[CRIME, DRAMA])
            .votes(8.6, 2_300)
            .popularity(80.2)
            .imdb("tt0306414")
            .tvdb(79126)
            .size(5, 60)
            .recommends(&[1398, 1396, 46648]),
        FakeShow::new(70523, "Dark", 2017)
            .aired("2017-12-01", "2020-06-27")
            .original("Dark", "de")
            .country(&["DE"])
            .genres(&[CRIME, DRAMA, SCI_FI_FANTASY, MYSTERY])
            .votes(8.4, 6_900)
            .popularity(75.4)
            .imdb("tt5753856")
            .tvdb(334824)
            .size(3, 26)
            .recommends(&[66732, 95396, 42009])
            .similar_to(&[95396]),
        FakeShow::new(67070, "Fleabag", 2016)
            .aired("2016-07-21", "2019-04-08")
            .country(&["GB"])
            .genres(&[COMEDY, DRAMA])
            .votes(8.1, 1_900)
            .popularity(40.6)
            .imdb("tt5687612")
            .tvdb(318229)
            .size(2, 12)
            .recommends(&[97546, 2996, 76331]),
        FakeShow::new(97546, "Ted Lasso", 2020)
            .aired("2020-08-14", "2023-05-31")
            .returning()
            .genres(&[COMEDY, DRAMA])
            .votes(8.4, 1_600)
            .popularity(70.9)
            .imdb("tt10986410")
            .tvdb(383203)
            .size(3, 34)
            .recommends(&[2316, 67070]),
        FakeShow::new(76331, "Succession", 2018)
            .aired("2018-06-03", "2023-05-28")
            .genres(&[DRAMA])
            .votes(8.3, 2_600)
            .popularity(95.1)
            .imdb("tt7660850")
            .tvdb(338186)
            .size(4, 39)
            .recommends(&[60059, 1398, 95396]),
        FakeShow::new(62560, "Mr. Robot", 2015)
            .aired("2015-06-24", "2019-12-22")
            .genres(&[CRIME, DRAMA, MYSTERY])
            .votes(8.3, 4_100)
            .popularity(55.5)
            .imdb("tt4158110")
            .tvdb(289590)
            .size(4, 45)
            .recommends(&[95396, 42009, 1396]),
        FakeShow::new(1920, "Twin Peaks", 1990)
            .aired("1990-04-08", "2017-09-03")
            .aired_in(&[1990, 1991, 2017])
            .genres(&[DRAMA, MYSTERY, CRIME])
            .votes(8.1, 1_700)
            .popularity(45.3)
            .imdb("tt0098936")
            .tvdb(70533)
            .size(3, 48)
            .recommends(&[46648, 70523]),
        FakeShow::new(63639, "The Expanse", 2015)
            .aired("2015-12-14", "2022-01-14")
            .genres(&[DRAMA, SCI_FI_FANTASY, MYSTERY])
            .votes(8.2, 2_700)
            .popularity(85.7)
            .imdb("tt3230854")
            .tvdb(280619)
            .size(6, 62)
            .keywords(&[BASED_ON_NOVEL])
            .recommends(&[1972, 1399, 95396])
            .similar_to(&[1972]),
        FakeShow::new(87108, "Chernobyl", 2019)
            .aired("2019-05-06", "2019-06-03")
            .genres(&[DRAMA])
            .votes(8.7, 5_600)
            .popularity(50.2)
            .imdb("tt7366338")
            .tvdb(360893)
            .size(1, 5)
            .recommends(&[1438, 95396]),
        FakeShow::new(1398, "The Sopranos", 1999)
            .aired("1999-01-10", "2007-06-10")
            .genres(&[DRAMA, CRIME])
            .votes(8.6, 2_500)
            .popularity(90.4)
            .imdb("tt0141842")
            .tvdb(75299)
            .size(6, 86)
            .recommends(&[1438, 1396, 76331]),
        FakeShow::new(66732, "Stranger Things", 2016)
            .aired("2016-07-15", "2022-07-01")
            .returning()
            .genres(&[DRAMA, SCI_FI_FANTASY, MYSTERY])
            .votes(8.6, 17_000)
            .popularity(250.7)
            .imdb("tt4574334")
            .tvdb(305288)
            .size(4, 34)
            .recommends(&[70523, 42009]),
        FakeShow::new(46648, "True Detective", 2014)
            .aired("2014-01-12", "2024-02-18")
            .returning()
            .genres(&[DRAMA, CRIME, MYSTERY])
            .votes(8.3, 3_000)
            .popularity(65.0)
            .imdb("tt2356777")
            .tvdb(270633)
            .size(4, 30)
            .recommends(&[1920, 1438, 1396]),
        FakeShow::new(93405, "Squid Game", 2021)
            .aired("2021-09-17", "2025-06-27")
            .original("오징어 게임", "ko")
            .country(&["KR"])
            .genres(&[ACTION_ADVENTURE, MYSTERY, DRAMA])
            .votes(7.8, 15_000)
            .popularity(180.6)
            .imdb("tt10919420")
            .tvdb(383275)
            .size(3, 22)
            .recommends(&[71446, 42009]),
        FakeShow::new(71446, "Money Heist", 2017)
            .aired("2017-05-02", "2021-12-03")
            .original("La casa de papel", "es")
            .country(&["ES"])
            .genres(&[CRIME, DRAMA])
            .votes(8.2, 19_000)
            .popularity(110.8)
            .imdb("tt6468322")
            .tvdb(327417)
            .size(5, 41)
            .recommends(&[93405, 1396]),
        FakeShow::new(42009, "Black Mirror", 2011)
            .aired("2011-12-04", "2025-04-10")
            .returning()
            .country(&["GB"])
            .genres(&[SCI_FI_FANTASY, DRAMA, MYSTERY])
            .votes(8.3, 5_300)
            .popularity(100.1)
            .imdb("tt2085059")
            .tvdb(253463)
            .size(7, 33)
            .recommends(&[95396, 70523, 62560]),
    ]
}
