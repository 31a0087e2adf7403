//! The one seam between movies and shows on TMDb: the same questions
//! (search a title, a title's details, recommendations, similar titles,
//! discover) asked of the movie endpoints or the TV ones, with shows' answers
//! in the movies' shape, so suggestion and resolution code is written once.
//!
//! TMDb numbers shows apart from movies: a [`TmdbId`] from
//! [`Catalog::Shows`] is a TV id and only ever goes back to TV endpoints.

use curator_http::{MediaKind, TmdbId, TvdbId};
use tmdb_client::{
    DiscoverQuery, Genre, MovieSummary, Page, Result, ShowSummary, TmdbApi, TmdbTvApi,
};

/// TMDb for one kind of title.
#[derive(Clone, Copy)]
pub(crate) enum Catalog<'a> {
    /// `search/movie`, `movie/{id}`, ...
    Movies(&'a dyn TmdbApi),
    /// `search/tv`, `tv/{id}`, ...
    Shows(&'a dyn TmdbTvApi),
}

/// What the recommendation steps need of a title's details.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Details {
    pub(crate) id: TmdbId,
    pub(crate) year: Option<i32>,
    pub(crate) genres: Vec<Genre>,
    pub(crate) overview: String,
    /// A show's TVDB id (`external_ids.tvdb_id`); movies have none.
    pub(crate) tvdb_id: Option<TvdbId>,
}

/// A show as the movie code reads a title: its name as the title, its first
/// air year as the year.
pub(crate) fn as_title(show: ShowSummary) -> MovieSummary {
    MovieSummary {
        id: show.id,
        title: show.name,
        original_title: show.original_name,
        release_date: show.first_air_date,
        year: show.year,
        genre_ids: show.genre_ids,
        vote_average: show.vote_average,
        vote_count: show.vote_count,
        popularity: show.popularity,
        overview: show.overview,
    }
}

fn page_of_titles(page: Page<ShowSummary>) -> Page<MovieSummary> {
    Page {
        page: page.page,
        total_pages: page.total_pages,
        total_results: page.total_results,
        results: page.results.into_iter().map(as_title).collect(),
    }
}

impl Catalog<'_> {
    /// Which kind it answers for.
    pub(crate) fn kind(&self) -> MediaKind {
        match self {
            Self::Movies(_) => MediaKind::Movie,
            Self::Shows(_) => MediaKind::Show,
        }
    }

    /// Titles by name, optionally of one year (a movie's first release, a
    /// show's first air year). `page` starts at 1.
    pub(crate) async fn search(
        &self,
        query: &str,
        year: Option<i32>,
        page: u32,
    ) -> Result<Page<MovieSummary>> {
        match self {
            Self::Movies(tmdb) => tmdb.search_movies(query, year, page).await,
            Self::Shows(tmdb) => Ok(page_of_titles(tmdb.search_shows(query, year, page).await?)),
        }
    }

    /// A title's details; `None` when TMDb has no such id.
    pub(crate) async fn details(&self, id: TmdbId) -> Result<Option<Details>> {
        Ok(match self {
            Self::Movies(tmdb) => tmdb.movie(id).await?.map(|m| Details {
                id: m.id,
                year: m.year,
                genres: m.genres,
                overview: m.overview,
                tvdb_id: None,
            }),
            Self::Shows(tmdb) => tmdb.show(id).await?.map(|s| Details {
                id: s.id,
                year: s.year,
                genres: s.genres,
                overview: s.overview,
                tvdb_id: s.tvdb_id,
            }),
        })
    }

    /// TMDb's recommendations for a title.
    pub(crate) async fn recommendations(
        &self,
        id: TmdbId,
        page: u32,
    ) -> Result<Page<MovieSummary>> {
        match self {
            Self::Movies(tmdb) => tmdb.recommendations(id, page).await,
            Self::Shows(tmdb) => Ok(page_of_titles(tmdb.show_recommendations(id, page).await?)),
        }
    }

    /// Titles TMDb finds similar.
    pub(crate) async fn similar(&self, id: TmdbId, page: u32) -> Result<Page<MovieSummary>> {
        match self {
            Self::Movies(tmdb) => tmdb.similar(id, page).await,
            Self::Shows(tmdb) => Ok(page_of_titles(tmdb.similar_shows(id, page).await?)),
        }
    }

    /// Titles matching filters (the genre ids are the kind's own).
    pub(crate) async fn discover(&self, query: &DiscoverQuery) -> Result<Page<MovieSummary>> {
        match self {
            Self::Movies(tmdb) => tmdb.discover(query).await,
            Self::Shows(tmdb) => Ok(page_of_titles(tmdb.discover_shows(query).await?)),
        }
    }
}
