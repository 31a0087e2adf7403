//! The fake's movies, the genre list, and a sample catalogue.

use curator_http::{ImdbId, TmdbId};

use crate::model::{Genre, GenreId};

/// A movie in the fake's catalogue. Build one with [`FakeMovie::new`] and
/// the chained setters, or fill the fields directly.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeMovie {
    /// The TMDb id.
    pub id: TmdbId,
    /// The (English) title.
    pub title: String,
    /// The original title.
    pub original_title: String,
    /// The original language, ISO 639-1.
    pub original_language: String,
    /// `YYYY-MM-DD`, or `""` when unknown (as TMDb sends it): the first
    /// release, what `primary_release_year` matches.
    pub release_date: String,
    /// Later release dates (`YYYY-MM-DD`: re-releases, other countries),
    /// which `year` matches as well as the first.
    pub other_releases: Vec<String>,
    /// The genres.
    pub genres: Vec<GenreId>,
    /// The average vote, 0 to 10.
    pub vote_average: f64,
    /// How many votes.
    pub vote_count: u32,
    /// The popularity score; search and discover rank by it.
    pub popularity: f64,
    /// The IMDb id.
    pub imdb_id: Option<ImdbId>,
    /// The plot summary.
    pub overview: String,
    /// Running time in minutes.
    pub runtime: Option<u32>,
    /// What `/movie/{id}/recommendations` lists, in order.
    pub recommendations: Vec<TmdbId>,
    /// What `/movie/{id}/similar` lists, in order.
    pub similar: Vec<TmdbId>,
}

impl FakeMovie {
    /// A movie released on January 1st of `year`, with no genres, votes or
    /// links yet.
    pub fn new(id: u32, title: &str, year: i32) -> Self {
        Self {
            id: TmdbId(id),
            title: title.to_owned(),
            original_title: title.to_owned(),
            original_language: "en".to_owned(),
            release_date: format!("{year:04}-01-01"),
            other_releases: Vec::new(),
            genres: Vec::new(),
            vote_average: 0.0,
            vote_count: 0,
            popularity: 1.0,
            imdb_id: None,
            overview: String::new(),
            runtime: None,
            recommendations: Vec::new(),
            similar: Vec::new(),
        }
    }

    /// The release year, from the release date.
    pub fn year(&self) -> Option<i32> {
        crate::model::year_of(&self.release_date)
    }

    /// Sets the original title and language.
    pub fn original(mut self, title: &str, language: &str) -> Self {
        self.original_title = title.to_owned();
        self.original_language = language.to_owned();
        self
    }

    /// Sets the release date (`YYYY-MM-DD`, or `""` for unknown).
    pub fn released(mut self, date: &str) -> Self {
        self.release_date = date.to_owned();
        self
    }

    /// Adds a later release date (a re-release, another country's
    /// premiere), `YYYY-MM-DD`.
    pub fn rereleased(mut self, date: &str) -> Self {
        self.other_releases.push(date.to_owned());
        self
    }

    /// The years of every release date, the first one included.
    pub fn release_years(&self) -> Vec<i32> {
        std::iter::once(&self.release_date)
            .chain(&self.other_releases)
            .filter_map(|d| crate::model::year_of(d))
            .collect()
    }

    /// Sets the genres.
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
        self.imdb_id = Some(ImdbId::parse(id).expect("an IMDb id like tt1375666"));
        self
    }

    /// Sets the overview.
    pub fn overview(mut self, text: &str) -> Self {
        self.overview = text.to_owned();
        self
    }

    /// Sets the running time in minutes.
    pub fn runtime(mut self, minutes: u32) -> Self {
        self.runtime = Some(minutes);
        self
    }

    /// Sets the recommendations, in order.
    pub fn recommends(mut self, ids: &[u32]) -> Self {
        self.recommendations = ids.iter().copied().map(TmdbId).collect();
        self
    }

    /// Sets the similar movies, in order.
    pub fn similar_to(mut self, ids: &[u32]) -> Self {
        self.similar = ids.iter().copied().map(TmdbId).collect();
        self
    }
}

/// TMDb's movie genres (English names).
pub fn genre_list() -> Vec<Genre> {
    [
        (28, "Action"),
        (12, "Adventure"),
        (16, "Animation"),
        (35, "Comedy"),
        (80, "Crime"),
        (99, "Documentary"),
        (18, "Drama"),
        (10751, "Family"),
        (14, "Fantasy"),
        (36, "History"),
        (27, "Horror"),
        (10402, "Music"),
        (9648, "Mystery"),
        (10749, "Romance"),
        (878, "Science Fiction"),
        (10770, "TV Movie"),
        (53, "Thriller"),
        (10752, "War"),
        (37, "Western"),
    ]
    .into_iter()
    .map(|(id, name)| Genre {
        id: GenreId(id),
        name: name.to_owned(),
    })
    .collect()
}

const ACTION: u32 = 28;
const ADVENTURE: u32 = 12;
const ANIMATION: u32 = 16;
const COMEDY: u32 = 35;
const CRIME: u32 = 80;
const DRAMA: u32 = 18;
const FAMILY: u32 = 10751;
const FANTASY: u32 = 14;
const HORROR: u32 = 27;
const MYSTERY: u32 = 9648;
const ROMANCE: u32 = 10749;
const SCI_FI: u32 = 878;
const THRILLER: u32 = 53;

/// About thirty well-known movies with real ids, IMDb ids and genres, and
/// plausible votes and popularity, linked by recommendations and similar
/// lists. Includes same-title pairs from different years (Dune 1984/2021,
/// The Thing 1982/2011, Total Recall 1990/2012) and non-English originals
/// (Amélie, Spirited Away, Parasite, Oldboy) for matching tests.
pub fn sample_catalog() -> Vec<FakeMovie> {
    vec![
        FakeMovie::new(27205, "Inception", 2010)
            .released("2010-07-15")
            .genres(&[ACTION, SCI_FI, ADVENTURE])
            .votes(8.4, 37_000)
            .popularity(95.2)
            .imdb("tt1375666")
            .runtime(148)
            .overview(
                "A thief who steals secrets through dreams is offered a chance at redemption.",
            )
            .recommends(&[157_336, 155, 1124, 603, 577_922, 77])
            .similar_to(&[603, 577_922, 329_865]),
        FakeMovie::new(157_336, "Interstellar", 2014)
            .released("2014-11-05")
            .genres(&[ADVENTURE, DRAMA, SCI_FI])
            .votes(8.4, 36_000)
            .popularity(140.7)
            .imdb("tt0816692")
            .runtime(169)
            .overview("Explorers travel through a wormhole in search of a new home for humanity.")
            .recommends(&[27205, 329_865, 49047, 438_631, 335_984])
            .similar_to(&[49047, 329_865]),
        FakeMovie::new(155, "The Dark Knight", 2008)
            .released("2008-07-16")
            .genres(&[DRAMA, ACTION, CRIME, THRILLER])
            .votes(8.5, 33_000)
            .popularity(110.3)
            .imdb("tt0468569")
            .runtime(152)
            .recommends(&[27205, 1124, 949, 807])
            .similar_to(&[949]),
        FakeMovie::new(603, "The Matrix", 1999)
            .released("1999-03-31")
            .genres(&[ACTION, SCI_FI])
            .votes(8.2, 26_000)
            .popularity(80.1)
            .imdb("tt0133093")
            .runtime(136)
            .recommends(&[604, 605, 27205, 78, 264_660])
            .similar_to(&[604, 861]),
        FakeMovie::new(604, "The Matrix Reloaded", 2003)
            .released("2003-05-15")
            .genres(&[ADVENTURE, ACTION, THRILLER, SCI_FI])
            .votes(7.0, 11_000)
            .popularity(40.5)
            .imdb("tt0234215")
            .recommends(&[605, 603]),
        FakeMovie::new(605, "The Matrix Revolutions", 2003)
            .released("2003-11-05")
            .genres(&[ADVENTURE, ACTION, THRILLER, SCI_FI])
            .votes(6.7, 10_000)
            .popularity(35.9)
            .imdb("tt0242653")
            .recommends(&[604, 603]),
        FakeMovie::new(1124, "The Prestige", 2006)
            .released("2006-10-17")
            .genres(&[DRAMA, MYSTERY, SCI_FI])
            .votes(8.2, 16_000)
            .popularity(45.0)
            .imdb("tt0482571")
            .recommends(&[27205, 77, 155]),
        FakeMovie::new(77, "Memento", 2000)
            .released("2000-10-11")
            .genres(&[MYSTERY, THRILLER])
            .votes(8.2, 14_000)
            .popularity(30.2)
            .imdb("tt0209144")
            .recommends(&[1124, 807]),
        FakeMovie::new(577_922, "Tenet", 2020)
            .released("2020-08-22")
            .genres(&[ACTION, THRILLER, SCI_FI])
            .votes(7.2, 10_000)
            .popularity(60.4)
            .imdb("tt6723592")
            .recommends(&[27205, 157_336]),
        FakeMovie::new(329_865, "Arrival", 2016)
            .released("2016-11-10")
            .genres(&[DRAMA, SCI_FI, MYSTERY])
            .votes(7.6, 18_000)
            .popularity(50.8)
            .imdb("tt2543164")
            .recommends(&[335_984, 157_336, 264_660, 438_631]),
        FakeMovie::new(335_984, "Blade Runner 2049", 2017)
            .released("2017-10-04")
            .genres(&[SCI_FI, DRAMA])
            .votes(7.6, 13_000)
            .popularity(55.3)
            .imdb("tt1856101")
            .recommends(&[78, 329_865, 438_631]),
        FakeMovie::new(78, "Blade Runner", 1982)
            .released("1982-06-25")
            .genres(&[SCI_FI, DRAMA, THRILLER])
            .votes(7.9, 13_500)
            .popularity(42.0)
            .imdb("tt0083658")
            .recommends(&[335_984, 348, 603]),
        FakeMovie::new(438_631, "Dune", 2021)
            .released("2021-09-15")
            .genres(&[SCI_FI, ADVENTURE])
            .votes(7.8, 11_000)
            .popularity(120.6)
            .imdb("tt1160419")
            .runtime(155)
            .recommends(&[335_984, 329_865, 157_336])
            .similar_to(&[841]),
        FakeMovie::new(841, "Dune", 1984)
            .released("1984-12-14")
            .genres(&[ACTION, SCI_FI, ADVENTURE])
            .votes(6.3, 2_900)
            .popularity(25.1)
            .imdb("tt0087182")
            .runtime(137)
            .recommends(&[438_631, 78]),
        FakeMovie::new(348, "Alien", 1979)
            .released("1979-05-25")
            .genres(&[HORROR, SCI_FI])
            .votes(8.2, 15_000)
            .popularity(48.7)
            .imdb("tt0078748")
            .recommends(&[679, 1091, 78])
            .similar_to(&[679, 1091]),
        FakeMovie::new(679, "Aliens", 1986)
            .released("1986-07-18")
            .genres(&[ACTION, THRILLER, SCI_FI])
            .votes(7.9, 9_800)
            .popularity(38.4)
            .imdb("tt0090605")
            .recommends(&[348, 1091]),
        FakeMovie::new(1091, "The Thing", 1982)
            .released("1982-06-25")
            .genres(&[HORROR, MYSTERY, SCI_FI])
            .votes(8.1, 7_100)
            .popularity(33.3)
            .imdb("tt0084787")
            .recommends(&[348, 679])
            .similar_to(&[60935]),
        FakeMovie::new(60935, "The Thing", 2011)
            .released("2011-10-12")
            .genres(&[HORROR, MYSTERY, SCI_FI])
            .votes(6.2, 3_300)
            .popularity(18.9)
            .imdb("tt0905372")
            .recommends(&[1091]),
        FakeMovie::new(861, "Total Recall", 1990)
            .released("1990-06-01")
            .genres(&[ACTION, ADVENTURE, SCI_FI])
            .votes(7.3, 6_500)
            .popularity(28.6)
            .imdb("tt0100802")
            .recommends(&[603, 679]),
        FakeMovie::new(64635, "Total Recall", 2012)
            .released("2012-08-02")
            .genres(&[ACTION, SCI_FI, ADVENTURE])
            .votes(6.0, 6_000)
            .popularity(22.4)
            .imdb("tt1386703")
            .recommends(&[861]),
        FakeMovie::new(264_660, "Ex Machina", 2015)
            .released("2015-01-21")
            .genres(&[DRAMA, SCI_FI])
            .votes(7.6, 13_000)
            .popularity(36.0)
            .imdb("tt0470752")
            .recommends(&[329_865, 335_984]),
        FakeMovie::new(49047, "Gravity", 2013)
            .released("2013-10-03")
            .genres(&[SCI_FI, THRILLER, DRAMA])
            .votes(7.2, 14_000)
            .popularity(31.5)
            .imdb("tt1454468")
            .recommends(&[157_336]),
        FakeMovie::new(76341, "Mad Max: Fury Road", 2015)
            .released("2015-05-13")
            .genres(&[ACTION, ADVENTURE, SCI_FI])
            .votes(7.6, 22_000)
            .popularity(65.2)
            .imdb("tt1392190")
            .recommends(&[603, 438_631]),
        FakeMovie::new(949, "Heat", 1995)
            .released("1995-12-15")
            .genres(&[CRIME, DRAMA, ACTION])
            .votes(7.9, 7_300)
            .popularity(34.8)
            .imdb("tt0113277")
            .recommends(&[155, 807, 680]),
        FakeMovie::new(807, "Se7en", 1995)
            .released("1995-09-22")
            .genres(&[CRIME, MYSTERY, THRILLER])
            .votes(8.4, 21_000)
            .popularity(52.6)
            .imdb("tt0114369")
            .recommends(&[550, 77, 949]),
        FakeMovie::new(550, "Fight Club", 1999)
            .released("1999-10-15")
            .genres(&[DRAMA])
            .votes(8.4, 30_000)
            .popularity(70.9)
            .imdb("tt0137523")
            .recommends(&[807, 680, 603]),
        FakeMovie::new(680, "Pulp Fiction", 1994)
            .released("1994-09-10")
            .genres(&[THRILLER, CRIME])
            .votes(8.5, 28_000)
            .popularity(68.1)
            .imdb("tt0110912")
            .recommends(&[550, 949, 278]),
        FakeMovie::new(278, "The Shawshank Redemption", 1994)
            .released("1994-09-23")
            .genres(&[DRAMA, CRIME])
            .votes(8.7, 27_000)
            .popularity(99.4)
            .imdb("tt0111161")
            .recommends(&[238, 680, 13]),
        FakeMovie::new(238, "The Godfather", 1972)
            .released("1972-03-14")
            .genres(&[DRAMA, CRIME])
            .votes(8.7, 20_000)
            .popularity(88.0)
            .imdb("tt0068646")
            .recommends(&[278, 949]),
        FakeMovie::new(13, "Forrest Gump", 1994)
            .released("1994-06-23")
            .genres(&[COMEDY, DRAMA, ROMANCE])
            .votes(8.5, 27_500)
            .popularity(75.5)
            .imdb("tt0109830")
            .recommends(&[278, 194]),
        FakeMovie::new(194, "Amélie", 2001)
            .original("Le Fabuleux Destin d'Amélie Poulain", "fr")
            .released("2001-04-25")
            .genres(&[COMEDY, ROMANCE])
            .votes(7.9, 11_000)
            .popularity(26.7)
            .imdb("tt0211915")
            .recommends(&[13, 129]),
        FakeMovie::new(129, "Spirited Away", 2001)
            .original("千と千尋の神隠し", "ja")
            .released("2001-07-20")
            .genres(&[ANIMATION, FAMILY, FANTASY])
            .votes(8.5, 16_000)
            .popularity(85.3)
            .imdb("tt0245429")
            .recommends(&[194, 496_243]),
        FakeMovie::new(496_243, "Parasite", 2019)
            .original("기생충", "ko")
            .released("2019-05-30")
            .genres(&[COMEDY, THRILLER, DRAMA])
            .votes(8.5, 18_000)
            .popularity(72.2)
            .imdb("tt6751668")
            .recommends(&[670, 550, 680]),
        FakeMovie::new(670, "Oldboy", 2003)
            .original("올드보이", "ko")
            .released("2003-11-21")
            .genres(&[DRAMA, THRILLER, MYSTERY, ACTION])
            .votes(8.3, 8_700)
            .popularity(29.9)
            .imdb("tt0364569")
            .recommends(&[496_243, 807]),
    ]
}
