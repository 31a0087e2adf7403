//! The Plex library index: one pass over the movie section, then lookups
//! by TMDb id, IMDb id and normalised title + year.

use std::collections::HashMap;

use curator_http::{ImdbId, MediaKind, TmdbId, TvdbId};
use plex_client::{Movie, RatingKey, SectionKey, Show};

use crate::normalize::normalize_title;

/// Every movie (or show) of one Plex section, indexed. A show section's
/// shows are held as items of the same shape (title, year, TMDb TV id,
/// IMDb id, rating key; no media), with their TVDB ids beside them.
#[derive(Debug, Clone)]
pub struct LibraryIndex {
    section: SectionKey,
    kind: MediaKind,
    movies: Vec<Movie>,
    by_tvdb: HashMap<TvdbId, Vec<usize>>,
    by_tmdb: HashMap<TmdbId, Vec<usize>>,
    by_imdb: HashMap<ImdbId, Vec<usize>>,
    by_title_year: HashMap<(String, Option<u16>), Vec<usize>>,
    by_rating_key: HashMap<RatingKey, usize>,
    imdb_only: usize,
}

impl LibraryIndex {
    /// Indexes the movies of `section`.
    pub fn new(section: SectionKey, movies: Vec<Movie>) -> Self {
        let mut index = Self {
            section,
            kind: MediaKind::Movie,
            movies: Vec::new(),
            by_tvdb: HashMap::new(),
            by_tmdb: HashMap::new(),
            by_imdb: HashMap::new(),
            by_title_year: HashMap::new(),
            by_rating_key: HashMap::new(),
            imdb_only: 0,
        };
        for (i, movie) in movies.iter().enumerate() {
            if let Some(id) = movie.tmdb_id {
                index.by_tmdb.entry(id).or_default().push(i);
            }
            if let Some(id) = &movie.imdb_id {
                index.by_imdb.entry(id.clone()).or_default().push(i);
                if movie.tmdb_id.is_none() {
                    index.imdb_only += 1;
                }
            }
            index
                .by_title_year
                .entry((normalize_title(&movie.title), movie.year))
                .or_default()
                .push(i);
            index.by_rating_key.insert(movie.rating_key.clone(), i);
        }
        index.movies = movies;
        index
    }

    /// Indexes the shows of a TV `section`: by TMDb TV id, TVDB id, IMDb
    /// id, title and first-air year, rating key.
    pub fn from_shows(section: SectionKey, shows: Vec<Show>) -> Self {
        let tvdb: Vec<Option<TvdbId>> = shows.iter().map(|s| s.tvdb_id).collect();
        let items = shows.into_iter().map(show_as_item).collect();
        let mut index = Self::new(section, items);
        index.kind = MediaKind::Show;
        for (i, id) in tvdb.into_iter().enumerate() {
            if let Some(id) = id {
                index.by_tvdb.entry(id).or_default().push(i);
            }
        }
        index
    }

    /// Movies or shows.
    pub fn kind(&self) -> MediaKind {
        self.kind
    }

    /// Every show carrying this TVDB id (none in a movie library).
    pub fn by_tvdb(&self, id: TvdbId) -> Vec<&Movie> {
        self.lookup(self.by_tvdb.get(&id))
    }

    /// The TVDB id of the show with this rating key, when Plex gave one.
    pub fn tvdb_of(&self, key: &RatingKey) -> Option<TvdbId> {
        let i = *self.by_rating_key.get(key)?;
        self.by_tvdb
            .iter()
            .find(|(_, items)| items.contains(&i))
            .map(|(id, _)| *id)
    }

    /// The items that carry no TMDb id but an id TMDb can find them by
    /// (IMDb for movies, TVDB for shows): legacy-agent items.
    pub fn without_tmdb(&self) -> Vec<(&Movie, Option<TvdbId>)> {
        let mut tvdb: HashMap<usize, TvdbId> = HashMap::new();
        for (id, items) in &self.by_tvdb {
            for &i in items {
                tvdb.insert(i, *id);
            }
        }
        self.movies
            .iter()
            .enumerate()
            .filter(|(i, m)| m.tmdb_id.is_none() && (m.imdb_id.is_some() || tvdb.contains_key(i)))
            .map(|(i, m)| (m, tvdb.get(&i).copied()))
            .collect()
    }

    /// Gives the items with these rating keys the TMDb id TMDb found for
    /// them (legacy-agent items: see [`LibraryIndex::without_tmdb`]), so
    /// every lookup by TMDb id finds them.
    pub fn with_found_tmdb_ids(mut self, found: &[(RatingKey, TmdbId)]) -> Self {
        for (key, id) in found {
            if let Some(&i) = self.by_rating_key.get(key)
                && self.movies[i].tmdb_id.is_none()
            {
                self.movies[i].tmdb_id = Some(*id);
                self.by_tmdb.entry(*id).or_default().push(i);
                if self.movies[i].imdb_id.is_some() {
                    self.imdb_only = self.imdb_only.saturating_sub(1);
                }
            }
        }
        self
    }

    /// The section these movies belong to.
    pub fn section(&self) -> &SectionKey {
        &self.section
    }

    /// Every movie, in library order.
    pub fn movies(&self) -> &[Movie] {
        &self.movies
    }

    /// How many movies.
    pub fn len(&self) -> usize {
        self.movies.len()
    }

    /// True when the section holds no movie.
    pub fn is_empty(&self) -> bool {
        self.movies.is_empty()
    }

    /// The movie with this rating key.
    pub fn by_rating_key(&self, key: &RatingKey) -> Option<&Movie> {
        self.by_rating_key.get(key).map(|&i| &self.movies[i])
    }

    /// Every item carrying this TMDb id (more than one for duplicates).
    pub fn by_tmdb(&self, id: TmdbId) -> Vec<&Movie> {
        self.lookup(self.by_tmdb.get(&id))
    }

    /// Every item carrying this IMDb id.
    pub fn by_imdb(&self, id: &ImdbId) -> Vec<&Movie> {
        self.lookup(self.by_imdb.get(id))
    }

    /// The items of a movie known by both its ids, as Radarr knows every
    /// movie: by TMDb id, else by IMDb id among the items that carry no
    /// TMDb id. Libraries on Plex's legacy IMDb agent
    /// (`com.plexapp.agents.imdb://tt…`) carry only the IMDb id; an item
    /// with a TMDb id is that movie and no other, even when its IMDb id is
    /// the one asked for (two TMDb movies can share an IMDb id, and a wrong
    /// match in Plex can give an item another film's IMDb id).
    pub fn by_ids(&self, tmdb_id: TmdbId, imdb_id: Option<&ImdbId>) -> Vec<&Movie> {
        let by_tmdb = self.by_tmdb(tmdb_id);
        if !by_tmdb.is_empty() {
            return by_tmdb;
        }
        imdb_id.map(|id| self.by_imdb_only(id)).unwrap_or_default()
    }

    /// The items carrying this IMDb id and no TMDb id (legacy IMDb agent).
    pub fn by_imdb_only(&self, id: &ImdbId) -> Vec<&Movie> {
        self.by_imdb(id)
            .into_iter()
            .filter(|m| m.tmdb_id.is_none())
            .collect()
    }

    /// True when Plex has the movie with this TMDb id or this IMDb id.
    pub fn has_ids(&self, tmdb_id: TmdbId, imdb_id: Option<&ImdbId>) -> bool {
        !self.by_ids(tmdb_id, imdb_id).is_empty()
    }

    /// True when some items have an IMDb id but no TMDb id, so looking a
    /// movie up by IMDb id can find something the TMDb id cannot.
    pub fn has_imdb_only_items(&self) -> bool {
        self.imdb_only > 0
    }

    /// Items without any external id whose normalised title and year match.
    pub fn by_title_year_without_ids(&self, title: &str, year: Option<i32>) -> Vec<&Movie> {
        let year = year.and_then(|y| u16::try_from(y).ok());
        self.lookup(self.by_title_year.get(&(normalize_title(title), year)))
            .into_iter()
            .filter(|m| m.tmdb_id.is_none() && m.imdb_id.is_none())
            .collect()
    }

    /// Finds the Plex item for a TMDb movie: by TMDb id, then IMDb id, then
    /// title and year among items that carry no ids.
    pub fn find(
        &self,
        tmdb_id: TmdbId,
        imdb_id: Option<&ImdbId>,
        title: &str,
        year: Option<i32>,
    ) -> Option<&Movie> {
        if let Some(movie) = self.by_tmdb(tmdb_id).into_iter().next() {
            return Some(movie);
        }
        if let Some(movie) = imdb_id.and_then(|id| self.by_imdb(id).into_iter().next()) {
            return Some(movie);
        }
        self.by_title_year_without_ids(title, year)
            .into_iter()
            .next()
    }

    /// TMDb id -> rating key of every item that has one (the first item
    /// when there are duplicates).
    pub fn tmdb_keys(&self) -> std::collections::BTreeMap<TmdbId, String> {
        self.by_tmdb
            .iter()
            .map(|(id, items)| (*id, self.movies[items[0]].rating_key.0.clone()))
            .collect()
    }

    /// [`LibraryIndex::tmdb_keys`], plus the items known only by IMDb id
    /// (and no TMDb id) for every `(TMDb id, IMDb id)` pair in `known`
    /// (such as Radarr's movie list), so a movie waiting by its TMDb id is
    /// found when it arrives in a legacy-agent library. Leave out of
    /// `known` the IMDb ids several of its movies share.
    pub fn tmdb_keys_with<'a>(
        &self,
        known: impl IntoIterator<Item = (TmdbId, &'a ImdbId)>,
    ) -> std::collections::BTreeMap<TmdbId, String> {
        let mut keys = self.tmdb_keys();
        for (tmdb, imdb) in known {
            if keys.contains_key(&tmdb) {
                continue;
            }
            if let Some(movie) = self.by_imdb_only(imdb).into_iter().next() {
                keys.insert(tmdb, movie.rating_key.0.clone());
            }
        }
        keys
    }

    fn lookup(&self, hits: Option<&Vec<usize>>) -> Vec<&Movie> {
        hits.map(|v| v.iter().map(|&i| &self.movies[i]).collect())
            .unwrap_or_default()
    }
}

/// A show as the library index and the refreshers hold an item: title,
/// first-air year, TMDb TV id, IMDb id, rating key; no media.
pub(crate) fn show_as_item(show: Show) -> Movie {
    Movie {
        rating_key: show.rating_key,
        title: show.title,
        original_title: show.original_title,
        year: show.year,
        added_at: show.added_at,
        guid: show.guid,
        tmdb_id: show.tmdb_id,
        imdb_id: show.imdb_id,
        edition: None,
        section: show.section,
        media: Vec::new(),
    }
}
