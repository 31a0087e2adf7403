//! The file cache: hits, expiry, persistence, corrupt files.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde_json::json;
use tmdb_client::{
    CACHE_SCHEMA_VERSION, CacheStats, CachedTmdb, DiscoverQuery, DiscoverSort, Error, Genre,
    GenreId, ImdbId, ManualClock, MovieDetails, MovieSummary, Page, Result, ShowDetails,
    ShowSummary, TmdbApi, TmdbId, TmdbTvApi, TvdbId,
};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// An in-memory TMDb that counts calls and can be told to fail.
#[derive(Debug, Default)]
struct Counting {
    calls: Mutex<BTreeMap<&'static str, u32>>,
    fail_next: Mutex<bool>,
}

impl Counting {
    fn calls(&self, op: &'static str) -> u32 {
        self.calls.lock().unwrap().get(op).copied().unwrap_or(0)
    }

    fn total(&self) -> u32 {
        self.calls.lock().unwrap().values().sum()
    }

    fn call(&self, op: &'static str) -> Result<()> {
        *self.calls.lock().unwrap().entry(op).or_default() += 1;
        if std::mem::take(&mut *self.fail_next.lock().unwrap()) {
            return Err(Error::NotFound { op });
        }
        Ok(())
    }
}

fn page_of(ids: &[u32]) -> Page<MovieSummary> {
    Page {
        page: 1,
        results: ids
            .iter()
            .map(|id| MovieSummary::new(TmdbId(*id), format!("Movie {id}"), Some(2000)))
            .collect(),
        total_pages: 1,
        total_results: ids.len() as u32,
    }
}

#[async_trait]
impl TmdbApi for Counting {
    async fn search_movies(
        &self,
        query: &str,
        year: Option<i32>,
        _: u32,
    ) -> Result<Page<MovieSummary>> {
        self.call("search")?;
        let mut page = page_of(&[1, 2]);
        page.results[0].title = format!("{query} {year:?}");
        Ok(page)
    }
    async fn movie(&self, id: TmdbId) -> Result<Option<MovieDetails>> {
        self.call("movie")?;
        if id.0 == 404 {
            return Ok(None);
        }
        Ok(Some(MovieDetails {
            id,
            title: "Heat".into(),
            original_title: "Heat".into(),
            original_language: Some("en".into()),
            release_date: Some("1995-12-15".into()),
            year: Some(1995),
            genres: vec![Genre {
                id: GenreId(80),
                name: "Crime".into(),
            }],
            vote_average: 7.9,
            vote_count: 7300,
            popularity: 34.8,
            overview: "A heist.".into(),
            runtime: Some(170),
            imdb_id: ImdbId::parse("tt0113277"),
            poster_path: Some("/heat.jpg".into()),
        }))
    }
    async fn recommendations(&self, _: TmdbId, _: u32) -> Result<Page<MovieSummary>> {
        self.call("recommendations")?;
        Ok(page_of(&[3]))
    }
    async fn similar(&self, _: TmdbId, _: u32) -> Result<Page<MovieSummary>> {
        self.call("similar")?;
        Ok(page_of(&[4]))
    }
    async fn discover(&self, _: &DiscoverQuery) -> Result<Page<MovieSummary>> {
        self.call("discover")?;
        Ok(page_of(&[5, 6]))
    }
    async fn find_by_imdb(&self, _: &ImdbId) -> Result<Option<MovieSummary>> {
        self.call("find")?;
        Ok(Some(MovieSummary::new(TmdbId(7), "Found", None)))
    }
    async fn genres(&self) -> Result<Vec<Genre>> {
        self.call("genres")?;
        Ok(vec![Genre {
            id: GenreId(18),
            name: "Drama".into(),
        }])
    }
}

fn show_page_of(ids: &[u32]) -> Page<ShowSummary> {
    Page {
        page: 1,
        results: ids
            .iter()
            .map(|id| ShowSummary::new(TmdbId(*id), format!("Show {id}"), Some(2010)))
            .collect(),
        total_pages: 1,
        total_results: ids.len() as u32,
    }
}

#[async_trait]
impl TmdbTvApi for Counting {
    async fn search_shows(
        &self,
        query: &str,
        year: Option<i32>,
        _: u32,
    ) -> Result<Page<ShowSummary>> {
        self.call("search_shows")?;
        if query == "nothing" {
            return Ok(Page::empty());
        }
        let mut page = show_page_of(&[1, 2]);
        page.results[0].name = format!("{query} {year:?}");
        Ok(page)
    }
    async fn show(&self, id: TmdbId) -> Result<Option<ShowDetails>> {
        self.call("show")?;
        if id.0 == 404 {
            return Ok(None);
        }
        let summary = ShowSummary::new(id, "Breaking Bad", Some(2008));
        Ok(Some(ShowDetails {
            id,
            name: summary.name.clone(),
            original_name: summary.original_name,
            original_language: Some("en".into()),
            first_air_date: summary.first_air_date,
            year: summary.year,
            last_air_date: Some("2013-09-29".into()),
            origin_country: vec!["US".into()],
            genres: vec![Genre {
                id: GenreId(18),
                name: "Drama".into(),
            }],
            status: Some("Ended".into()),
            number_of_seasons: Some(5),
            number_of_episodes: Some(62),
            vote_average: 8.9,
            vote_count: 14_600,
            popularity: 298.9,
            overview: String::new(),
            imdb_id: ImdbId::parse("tt0903747"),
            tvdb_id: Some(TvdbId(81189)),
            poster_path: None,
            keywords: Vec::new(),
            recommendations: show_page_of(&[60059]),
            similar: show_page_of(&[]),
        }))
    }
    async fn show_recommendations(&self, _: TmdbId, _: u32) -> Result<Page<ShowSummary>> {
        self.call("show_recommendations")?;
        Ok(show_page_of(&[3]))
    }
    async fn similar_shows(&self, _: TmdbId, _: u32) -> Result<Page<ShowSummary>> {
        self.call("similar_shows")?;
        Ok(show_page_of(&[4]))
    }
    async fn discover_shows(&self, _: &DiscoverQuery) -> Result<Page<ShowSummary>> {
        self.call("discover_shows")?;
        Ok(show_page_of(&[5, 6]))
    }
    async fn find_show_by_tvdb(&self, tvdb_id: TvdbId) -> Result<Option<ShowSummary>> {
        self.call("find_show_by_tvdb")?;
        Ok((tvdb_id.0 != 404).then(|| ShowSummary::new(TmdbId(1396), "Found", None)))
    }
    async fn find_show_by_imdb(&self, _: &ImdbId) -> Result<Option<ShowSummary>> {
        self.call("find_show_by_imdb")?;
        Ok(Some(ShowSummary::new(TmdbId(8), "Found", None)))
    }
    async fn tv_genres(&self) -> Result<Vec<Genre>> {
        self.call("tv_genres")?;
        Ok(vec![Genre {
            id: GenreId(10765),
            name: "Sci-Fi & Fantasy".into(),
        }])
    }
}

fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_750_000_000)
}

fn cache_in(dir: &tempfile::TempDir) -> (CachedTmdb<Counting>, ManualClock) {
    let clock = ManualClock::new(start());
    let cache = CachedTmdb::open(Counting::default(), dir.path().join("tmdb_cache.json"))
        .with_clock(clock.clone());
    (cache, clock)
}

/// Calls every operation once.
async fn call_everything(tmdb: &dyn TmdbApi) {
    let imdb = ImdbId::parse("tt0113277").unwrap();
    tmdb.search_movies("Heat", Some(1995), 1).await.unwrap();
    tmdb.movie(TmdbId(949)).await.unwrap();
    tmdb.movie(TmdbId(404)).await.unwrap();
    tmdb.recommendations(TmdbId(949), 1).await.unwrap();
    tmdb.similar(TmdbId(949), 1).await.unwrap();
    tmdb.discover(&DiscoverQuery::default()).await.unwrap();
    tmdb.find_by_imdb(&imdb).await.unwrap();
    tmdb.genres().await.unwrap();
}

#[tokio::test]
async fn second_calls_are_served_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = cache_in(&dir);
    call_everything(&cache).await;
    assert_eq!(cache.inner().total(), 8);
    call_everything(&cache).await;
    assert_eq!(cache.inner().total(), 8, "nothing fetched twice");
    assert_eq!(cache.stats(), CacheStats { hits: 8, misses: 8 });

    // Same answers, including a cached "not found".
    assert_eq!(cache.movie(TmdbId(404)).await.unwrap(), None);
    assert_eq!(
        cache.movie(TmdbId(949)).await.unwrap().unwrap().runtime,
        Some(170)
    );
    // Case and spacing of a query do not matter; year and page do.
    let page = cache.search_movies("  heat ", Some(1995), 1).await.unwrap();
    assert_eq!(page.results[0].title, "Heat Some(1995)");
    cache.search_movies("Heat", None, 1).await.unwrap();
    cache.search_movies("Heat", Some(1995), 2).await.unwrap();
    assert_eq!(cache.inner().calls("search"), 3);
}

#[tokio::test]
async fn a_second_call_makes_no_http_request() {
    let server = MockServer::start().await;
    Mock::given(path("/genre/movie/list"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"genres": [{"id": 37, "name": "Western"}]})),
        )
        .named("genres once")
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cache = CachedTmdb::open(client(&server), dir.path().join("cache.json"));
    let first = cache.genres().await.unwrap();
    let second = cache.genres().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(second[0].name, "Western");
}

#[tokio::test]
async fn entries_expire_after_their_ttl() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, clock) = cache_in(&dir);
    call_everything(&cache).await;

    clock.advance(6 * DAY);
    call_everything(&cache).await;
    // All fresh after 6 days but the "not found" (one day).
    assert_eq!(cache.inner().total(), 9);
    assert_eq!(cache.inner().calls("movie"), 3);

    // Past 7 days details and lists are fetched again; search and genres
    // (30 days) are not.
    clock.advance(2 * DAY);
    call_everything(&cache).await;
    assert_eq!(cache.inner().calls("movie"), 5);
    for op in ["recommendations", "similar", "discover", "find"] {
        assert_eq!(cache.inner().calls(op), 2, "{op}");
    }
    assert_eq!(cache.inner().calls("search"), 1);
    assert_eq!(cache.inner().calls("genres"), 1);

    clock.advance(23 * DAY);
    cache.search_movies("Heat", Some(1995), 1).await.unwrap();
    cache.genres().await.unwrap();
    assert_eq!(cache.inner().calls("search"), 2);
    assert_eq!(cache.inner().calls("genres"), 2);
}

#[tokio::test]
async fn errors_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = cache_in(&dir);
    *cache.inner().fail_next.lock().unwrap() = true;
    assert!(cache.genres().await.is_err());
    assert!(!cache.is_dirty());
    assert_eq!(cache.genres().await.unwrap()[0].name, "Drama");
    assert_eq!(cache.inner().calls("genres"), 2);
}

#[tokio::test]
async fn the_cache_is_saved_and_loaded_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data").join("tmdb_cache.json");
    let clock = ManualClock::new(start());
    let cache = CachedTmdb::open(Counting::default(), &file).with_clock(clock.clone());
    call_everything(&cache).await;
    assert!(cache.is_dirty());
    cache.save().await.unwrap();
    assert!(!cache.is_dirty());

    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["schema"], CACHE_SCHEMA_VERSION);
    assert_eq!(saved["entries"].as_object().unwrap().len(), 8);
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

    let reopened = CachedTmdb::open(Counting::default(), &file).with_clock(clock.clone());
    assert_eq!(reopened.len(), 8);
    call_everything(&reopened).await;
    assert_eq!(reopened.inner().total(), 0, "all served from the file");
    let movie = reopened.movie(TmdbId(949)).await.unwrap().unwrap();
    assert_eq!(movie.imdb_id.unwrap().as_str(), "tt0113277");
    assert_eq!(movie.poster_path.as_deref(), Some("/heat.jpg"));

    // Details cached before posters were kept still read, without one.
    fn drop_posters(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("poster_path");
                map.values_mut().for_each(drop_posters);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(drop_posters),
            _ => {}
        }
    }
    let older = dir.path().join("older.json");
    let mut text: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    drop_posters(&mut text);
    std::fs::write(&older, text.to_string()).unwrap();
    let old = CachedTmdb::open(Counting::default(), &older).with_clock(clock.clone());
    let movie = old.movie(TmdbId(949)).await.unwrap().unwrap();
    assert_eq!((movie.title.as_str(), movie.poster_path), ("Heat", None));
    assert_eq!(old.inner().total(), 0, "served from the older file");

    // Expiry survives the round trip: stale entries are dropped on save.
    clock.advance(8 * DAY);
    reopened.movie(TmdbId(949)).await.unwrap();
    reopened.save().await.unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let keys: Vec<_> = saved["entries"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["genres", "movie:949", "search:1995:1:heat"]);
}

#[tokio::test]
async fn a_corrupt_file_is_left_alone_at_open_and_moved_aside_on_save() {
    const CORRUPT: &[u8] = b"{\"schema\": 1, \"entries\": {\"genres\": tru";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    let aside = dir.path().join("tmdb_cache.json.corrupt");
    std::fs::write(&file, CORRUPT).unwrap();

    // Opening (as a dry run does) and using the cache writes nothing.
    let cache = CachedTmdb::open(Counting::default(), &file);
    assert!(cache.is_empty());
    cache.genres().await.unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), CORRUPT);
    assert!(!aside.exists());

    // Saving moves it aside, then writes the new cache.
    cache.save().await.unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), CORRUPT);
    let reopened = CachedTmdb::open(Counting::default(), &file);
    assert_eq!(reopened.len(), 1);
}

#[tokio::test]
async fn a_file_of_a_newer_schema_version_is_ignored_and_never_replaced() {
    const NEWER: &[u8] = br#"{"schema": 999, "entries": {"whatever": 1}}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    std::fs::write(&file, NEWER).unwrap();
    let cache = CachedTmdb::open(Counting::default(), &file);
    assert!(cache.is_empty());
    cache.genres().await.unwrap();
    cache.save().await.unwrap();
    assert_eq!(std::fs::read(&file).unwrap(), NEWER, "kept as it was");
    assert!(!dir.path().join("tmdb_cache.json.corrupt").exists());
    assert!(cache.is_dirty(), "nothing was saved");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

#[tokio::test]
async fn a_file_of_an_older_schema_version_is_ignored_and_replaced_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    std::fs::write(&file, br#"{"schema": 0, "entries": {"whatever": 1}}"#).unwrap();
    let cache = CachedTmdb::open(Counting::default(), &file);
    assert!(cache.is_empty());
    cache.genres().await.unwrap();
    cache.save().await.unwrap();
    assert!(!cache.is_dirty());
    assert!(!dir.path().join("tmdb_cache.json.corrupt").exists());
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["schema"], CACHE_SCHEMA_VERSION);
    assert_eq!(CachedTmdb::open(Counting::default(), &file).len(), 1);
}

#[tokio::test]
async fn a_failed_save_is_an_error_and_keeps_the_cache_dirty() {
    let dir = tempfile::tempdir().unwrap();
    // The cache path is a directory: the rename over it fails.
    let file = dir.path().join("taken");
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("inside"), b"x").unwrap();
    let cache = CachedTmdb::open(Counting::default(), &file);
    cache.genres().await.unwrap();
    let err = cache.save().await.unwrap_err();
    assert!(matches!(err, Error::CacheWrite { .. }), "{err:?}");
    assert!(err.to_string().contains("taken"), "{err}");
    assert!(cache.is_dirty());
}

#[tokio::test]
async fn saving_an_unchanged_cache_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    let cache = CachedTmdb::open(Counting::default(), &file);
    cache.save().await.unwrap();
    assert!(!file.exists());
}

#[tokio::test]
async fn wraps_a_shared_trait_object() {
    let dir = tempfile::tempdir().unwrap();
    let counting = Arc::new(Counting::default());
    let inner: Arc<dyn TmdbApi> = counting.clone();
    let cache: Arc<dyn TmdbApi> = Arc::new(CachedTmdb::open(inner, dir.path().join("c.json")));
    call_everything(cache.as_ref()).await;
    call_everything(cache.as_ref()).await;
    assert_eq!(counting.total(), 8);
}

/// A search that found nothing and a 404 are kept one day, not 30 and 7:
/// new films reach TMDb every day.
#[tokio::test]
async fn empty_answers_and_not_found_expire_after_a_day() {
    let server = MockServer::start().await;
    Mock::given(path("/search/movie"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"page": 1, "results": [], "total_pages": 1, "total_results": 0}),
            ),
        )
        .named("empty search")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/movie/999999"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "status_code": 34, "status_message": "The resource you requested could not be found."}),
        ))
        .named("unknown movie")
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(start());
    let cache =
        CachedTmdb::open(client(&server), dir.path().join("cache.json")).with_clock(clock.clone());
    for _ in 0..2 {
        assert!(
            cache
                .search_movies("Zzyzx Road", Some(2006), 1)
                .await
                .unwrap()
                .results
                .is_empty()
        );
        assert_eq!(cache.movie(TmdbId(999_999)).await.unwrap(), None);
    }
    clock.advance(DAY + Duration::from_secs(1));
    cache
        .search_movies("Zzyzx Road", Some(2006), 1)
        .await
        .unwrap();
    cache.movie(TmdbId(999_999)).await.unwrap();
}

/// Two clients of different languages share a cache file without sharing
/// answers.
#[tokio::test]
async fn the_key_includes_the_language() {
    let server = MockServer::start().await;
    for (language, title) in [("de-DE", "Der Pate"), ("fr-FR", "Le Parrain")] {
        Mock::given(path("/search/movie"))
            .and(wiremock::matchers::query_param("language", language))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "page": 1, "total_pages": 1, "total_results": 1,
                "results": [{"id": 238, "title": title, "release_date": "1972-03-14"}]
            })))
            .named(language)
            .expect(1)
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cache.json");
    let german = CachedTmdb::open(
        crate::builder(&server, crate::KEY)
            .language("de-DE")
            .build()
            .unwrap(),
        &file,
    );
    assert_eq!(german.language(), Some("de-DE"));
    let page = german.search_movies("godfather", None, 1).await.unwrap();
    assert_eq!(page.results[0].title, "Der Pate");
    german.save().await.unwrap();
    let french = CachedTmdb::open(
        crate::builder(&server, crate::KEY)
            .language("fr-FR")
            .build()
            .unwrap(),
        &file,
    );
    let page = french.search_movies("godfather", None, 1).await.unwrap();
    assert_eq!(page.results[0].title, "Le Parrain");
}

/// Calls every TV operation once, with the same ids and arguments the
/// movie calls use.
async fn call_every_tv_operation(tmdb: &dyn TmdbTvApi) {
    let imdb = ImdbId::parse("tt0113277").unwrap();
    tmdb.search_shows("Heat", Some(1995), 1).await.unwrap();
    tmdb.show(TmdbId(949)).await.unwrap();
    tmdb.show(TmdbId(404)).await.unwrap();
    tmdb.show_recommendations(TmdbId(949), 1).await.unwrap();
    tmdb.similar_shows(TmdbId(949), 1).await.unwrap();
    tmdb.discover_shows(&DiscoverQuery::default())
        .await
        .unwrap();
    tmdb.find_show_by_tvdb(TvdbId(949)).await.unwrap();
    tmdb.find_show_by_imdb(&imdb).await.unwrap();
    tmdb.tv_genres().await.unwrap();
}

/// Show 949 and movie 949 are different titles: every TV answer has its
/// own entry beside the movie one, in the same file, and neither is served
/// for the other, before and after a save.
#[tokio::test]
async fn shows_and_movies_with_the_same_ids_never_share_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    let clock = ManualClock::new(start());
    let cache = CachedTmdb::open(Counting::default(), &file).with_clock(clock.clone());
    call_everything(&cache).await;
    call_every_tv_operation(&cache).await;
    assert_eq!(
        cache.inner().total(),
        17,
        "no TV call was served a movie answer"
    );
    assert_eq!(cache.len(), 17);

    // Each served from its own entry.
    let movie = cache.movie(TmdbId(949)).await.unwrap().unwrap();
    let show = cache.show(TmdbId(949)).await.unwrap().unwrap();
    assert_eq!(
        (movie.title.as_str(), show.name.as_str()),
        ("Heat", "Breaking Bad")
    );
    let movies = cache.search_movies("heat", Some(1995), 1).await.unwrap();
    let shows = cache.search_shows("heat", Some(1995), 1).await.unwrap();
    assert_eq!(movies.results[0].id, TmdbId(1));
    assert_eq!(shows.results[0].name, "Heat Some(1995)");
    assert_eq!(cache.tv_genres().await.unwrap()[0].id, GenreId(10765));
    assert_eq!(cache.genres().await.unwrap()[0].id, GenreId(18));
    assert_eq!(cache.inner().total(), 17);

    cache.save().await.unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["schema"], 2, "shows did not change the layout");
    let keys: Vec<_> = saved["entries"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for key in [
        "movie:949",
        "tv.show:949",
        "genres",
        "tv.genres",
        "find:tt0113277",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
    }
    assert!(keys.iter().any(|k| k == "tv.find:tvdb:949"), "{keys:?}");
    assert_eq!(
        keys.iter().filter(|k| k.starts_with("tv.")).count(),
        9,
        "{keys:?}"
    );

    let reopened = CachedTmdb::open(Counting::default(), &file).with_clock(clock);
    call_everything(&reopened).await;
    call_every_tv_operation(&reopened).await;
    assert_eq!(reopened.inner().total(), 0, "all served from the file");
    let show = reopened.show(TmdbId(949)).await.unwrap().unwrap();
    assert_eq!(show.tvdb_id, Some(TvdbId(81189)));
    assert_eq!(show.recommendations.results[0].id, TmdbId(60059));
}

/// A show TMDb does not know, a search that found none, and a TVDB id no
/// show has are kept one day, as for movies; found answers their full time.
#[tokio::test]
async fn empty_tv_answers_expire_after_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, clock) = cache_in(&dir);
    let calls = || async {
        cache.show(TmdbId(404)).await.unwrap();
        cache.search_shows("nothing", None, 1).await.unwrap();
        cache.find_show_by_tvdb(TvdbId(404)).await.unwrap();
        cache.show(TmdbId(1396)).await.unwrap();
        cache.search_shows("Dark", None, 1).await.unwrap();
        cache.find_show_by_tvdb(TvdbId(81189)).await.unwrap();
    };
    calls().await;
    calls().await;
    assert_eq!(cache.inner().total(), 6);
    clock.advance(DAY + Duration::from_secs(1));
    calls().await;
    for op in ["show", "search_shows", "find_show_by_tvdb"] {
        assert_eq!(cache.inner().calls(op), 3, "{op}: the empty one again");
    }
    // Past 7 days the details and the find go; the search stays 30.
    clock.advance(7 * DAY);
    calls().await;
    assert_eq!(cache.inner().calls("show"), 5);
    assert_eq!(cache.inner().calls("find_show_by_tvdb"), 5);
    assert_eq!(cache.inner().calls("search_shows"), 4);
}

/// Discover keys hold the TV sort value, so a TV and a movie discover of
/// the same query are two entries, and TV sorts two.
#[tokio::test]
async fn tv_discover_keys_follow_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let (cache, _) = cache_in(&dir);
    let newest = DiscoverQuery {
        sort_by: DiscoverSort::ReleaseDateDesc,
        ..DiscoverQuery::default()
    };
    for query in [&DiscoverQuery::default(), &newest] {
        for _ in 0..2 {
            cache.discover_shows(query).await.unwrap();
            cache.discover(query).await.unwrap();
        }
    }
    assert_eq!(cache.inner().calls("discover_shows"), 2);
    assert_eq!(cache.inner().calls("discover"), 2);
}

/// A cache file written before shows existed (schema 2, movie entries
/// only, in the layout of that version) loads and serves as before.
#[tokio::test]
async fn a_cache_written_before_shows_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tmdb_cache.json");
    let far = 4_000_000_000_u64;
    let old = serde_json::json!({
        "schema": 2,
        "entries": {
            "movie:949": {"fetched_at": 1_750_000_000_u64, "expires_at": far, "value": {
                "kind": "movie", "data": {
                    "id": 949, "title": "Heat", "original_title": "Heat",
                    "original_language": "en", "release_date": "1995-12-15", "year": 1995,
                    "genres": [{"id": 80, "name": "Crime"}], "vote_average": 7.9,
                    "vote_count": 7300, "popularity": 34.8, "overview": "",
                    "runtime": 170, "imdb_id": "tt0113277"}}},
            "genres": {"fetched_at": 1_750_000_000_u64, "expires_at": far, "value": {
                "kind": "genres", "data": [{"id": 18, "name": "Drama"}]}}
        }
    });
    std::fs::write(&file, old.to_string()).unwrap();
    let (cache, _) = {
        let clock = ManualClock::new(start());
        (
            CachedTmdb::open(Counting::default(), &file).with_clock(clock.clone()),
            clock,
        )
    };
    assert_eq!(cache.len(), 2);
    assert_eq!(
        cache.movie(TmdbId(949)).await.unwrap().unwrap().runtime,
        Some(170)
    );
    cache.genres().await.unwrap();
    // The TV genre list is not the movie one.
    assert_eq!(cache.tv_genres().await.unwrap()[0].id, GenreId(10765));
    assert_eq!(cache.inner().total(), 1);
    assert_eq!(cache.inner().calls("tv_genres"), 1);
    cache.save().await.unwrap();
    assert_eq!(CachedTmdb::open(Counting::default(), &file).len(), 3);
}
