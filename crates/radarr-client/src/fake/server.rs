//! The fake's state and its request routing.

use std::collections::BTreeMap;

use arr_common::fake::{
    FakeTags, NOW, Simulator, api_v3_path, command_name, command_queued, message, quality_profiles,
    root_folders, row_count_error, system_status, to_json, validation,
};
use curator_http::TmdbId;
use curator_http::fake::{json, query};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{RadarrSeed, RadarrVersion, SeedMovie};
use crate::model::{
    ApplyTags, MinimumAvailability, Movie, MovieEditor, MovieId, QualityProfile, QualityProfileId,
    RootFolder, TagId,
};
use crate::op;

/// Operation name for requests the fake does not know.
const UNKNOWN: &str = "radarr.unknown";
/// Operation name for commands other than `MoviesSearch`.
const OTHER_COMMAND: &str = "radarr.command";

/// A change another client makes right after the next movie list.
pub(super) enum ListChange {
    Insert(SeedMovie),
    Remove(TmdbId),
}

pub(super) struct State {
    pub(super) movies: Vec<Movie>,
    next_movie_id: i32,
    pub(super) tags: FakeTags,
    pub(super) root_folders: Vec<RootFolder>,
    pub(super) quality_profiles: Vec<QualityProfile>,
    pub(super) catalogue: BTreeMap<TmdbId, SeedMovie>,
    pub(super) search_commands: Vec<Vec<MovieId>>,
    pub(super) searched_on_add: Vec<TmdbId>,
    pub(super) cover_reads: usize,
    pub(super) editor_requests: Vec<Vec<MovieId>>,
    pub(super) after_next_list: Vec<ListChange>,
    cover_read_delay: Option<std::time::Duration>,
    next_command_id: i32,
    version: RadarrVersion,
}

impl State {
    pub(super) fn new(seed: &RadarrSeed) -> Self {
        let mut state = Self {
            movies: Vec::new(),
            next_movie_id: 1,
            tags: FakeTags::default(),
            root_folders: (1..)
                .zip(&seed.root_folders)
                .map(|(id, path)| {
                    let mut folder = RootFolder::new(id, path.clone());
                    folder.free_space = Some(4_000_000_000_000);
                    folder
                })
                .collect(),
            quality_profiles: seed
                .quality_profiles
                .iter()
                .map(|(id, name)| QualityProfile::new(QualityProfileId(*id), name.clone()))
                .collect(),
            catalogue: seed
                .catalogue
                .iter()
                .map(|movie| (movie.tmdb_id, movie.clone()))
                .collect(),
            search_commands: Vec::new(),
            searched_on_add: Vec::new(),
            cover_reads: 0,
            editor_requests: Vec::new(),
            after_next_list: Vec::new(),
            cover_read_delay: seed.cover_read_delay,
            next_command_id: 1,
            version: seed.version,
        };
        for label in &seed.tags {
            state.tags.tag_for(label);
        }
        for movie in &seed.library {
            state.insert_seed(movie);
        }
        state
    }

    pub(super) fn movie_by_tmdb(&self, tmdb_id: TmdbId) -> Option<&Movie> {
        self.movies.iter().find(|movie| movie.tmdb_id == tmdb_id)
    }

    pub(super) fn set_has_file(&mut self, tmdb_id: TmdbId, has_file: bool) -> bool {
        match self.movies.iter_mut().find(|m| m.tmdb_id == tmdb_id) {
            Some(movie) => {
                movie.has_file = has_file;
                true
            }
            None => false,
        }
    }

    pub(super) fn insert_seed(&mut self, seed: &SeedMovie) -> Movie {
        self.catalogue.insert(seed.tmdb_id, seed.clone());
        let root = self
            .root_folders
            .first()
            .map_or_else(|| "/movies".to_owned(), |folder| folder.path.clone());
        let profile = self
            .quality_profiles
            .first()
            .map_or(QualityProfileId(1), |profile| profile.id);
        let tags = seed
            .tags
            .iter()
            .map(|label| self.tags.tag_for(label).id)
            .collect();
        let mut movie = self.new_record(seed, &root, profile, MinimumAvailability::Released);
        movie.monitored = seed.monitored;
        movie.has_file = seed.has_file;
        movie.tags = tags;
        self.movies.retain(|m| m.tmdb_id != seed.tmdb_id);
        self.movies.push(movie.clone());
        movie
    }

    /// A library record with a fresh id and the extra fields a real Radarr
    /// sends.
    fn new_record(
        &mut self,
        seed: &SeedMovie,
        root: &str,
        profile: QualityProfileId,
        availability: MinimumAvailability,
    ) -> Movie {
        let id = MovieId(self.next_movie_id);
        self.next_movie_id += 1;
        let mut movie = lookup_record(seed);
        movie.id = id;
        movie.quality_profile_id = profile;
        movie.minimum_availability = availability;
        movie.root_folder_path = Some(root.to_owned());
        movie.path = Some(format!(
            "{}/{}",
            root.trim_end_matches('/'),
            folder_name(seed)
        ));
        movie.added = Some(NOW.to_owned());
        movie
    }
}

/// What a lookup of a catalogue movie answers: no id, no folder.
fn lookup_record(seed: &SeedMovie) -> Movie {
    let mut movie = Movie::new(MovieId(0), seed.tmdb_id, seed.title.clone(), seed.year);
    movie.imdb_id = seed.imdb_id.as_deref().and_then(crate::ImdbId::parse);
    movie.monitored = false;
    let slug: String = seed
        .title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let extra = json!({
        "originalTitle": seed.title,
        "originalLanguage": {"id": 1, "name": "English"},
        "sortTitle": seed.title.to_lowercase(),
        "sizeOnDisk": 0,
        "status": "released",
        "overview": format!("{} ({}), as the fake Radarr tells it.", seed.title, seed.year),
        "images": [],
        "website": "",
        "studio": "Fake Studios",
        "runtime": 120,
        "folderName": folder_name(seed),
        "cleanTitle": slug.replace('-', ""),
        "titleSlug": format!("{slug}-{}", seed.tmdb_id),
        "certification": "PG-13",
        "genres": ["Science Fiction"],
        "isAvailable": true,
        "movieFileId": 0,
        "popularity": 42.5,
        "ratings": {"tmdb": {"votes": 12000, "value": 7.8, "type": "user"}},
        "statistics": {"movieFileCount": 0, "sizeOnDisk": 0, "releaseGroups": []}
    });
    if let Value::Object(extra) = extra {
        movie.extra = extra;
    }
    movie
}

fn folder_name(seed: &SeedMovie) -> String {
    let title: String = seed
        .title
        .chars()
        .filter(|c| !matches!(c, ':' | '/' | '\\' | '?' | '*' | '"' | '<' | '>' | '|'))
        .collect();
    format!("{title} ({})", seed.year)
}

/// Which endpoint a request is for.
pub(super) enum Route {
    SystemStatus,
    Movies,
    MovieByTmdb(Option<u32>),
    Movie(i32),
    Lookup(Option<u32>),
    Add,
    Update(i32),
    Editor,
    Tags,
    CreateTag,
    RootFolders,
    QualityProfiles,
    Command,
    Unknown,
}

impl Route {
    fn of(request: &Request) -> (Self, &'static str) {
        let Some(rest) = api_v3_path(request) else {
            return (Self::Unknown, UNKNOWN);
        };
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let id = |text: &str| text.parse::<i32>().ok();
        match (request.method.as_str(), rest.as_slice()) {
            ("GET", ["system", "status"]) => (Self::SystemStatus, op::SYSTEM_STATUS),
            ("GET", ["movie"]) => match query(request, "tmdbId") {
                Some(tmdb) => (Self::MovieByTmdb(tmdb.parse().ok()), op::MOVIE_BY_TMDB),
                None => (Self::Movies, op::MOVIES),
            },
            ("GET", ["movie", "lookup", "tmdb"]) => (
                Self::Lookup(query(request, "tmdbId").and_then(|t| t.parse().ok())),
                op::LOOKUP_TMDB,
            ),
            ("GET", ["movie", movie]) if id(movie).is_some() => {
                (Self::Movie(id(movie).unwrap_or_default()), op::MOVIE)
            }
            ("POST", ["movie"]) => (Self::Add, op::ADD_MOVIE),
            ("PUT", ["movie", "editor"]) => (Self::Editor, op::EDIT_MOVIES),
            ("PUT", ["movie", movie]) if id(movie).is_some() => (
                Self::Update(id(movie).unwrap_or_default()),
                op::UPDATE_MOVIE,
            ),
            ("GET", ["tag"]) => (Self::Tags, op::TAGS),
            ("POST", ["tag"]) => (Self::CreateTag, op::CREATE_TAG),
            ("GET", ["rootfolder"]) => (Self::RootFolders, op::ROOT_FOLDERS),
            ("GET", ["qualityprofile"]) => (Self::QualityProfiles, op::QUALITY_PROFILES),
            ("POST", ["command"]) => {
                let op = if command_name(request).as_deref() == Some("MoviesSearch") {
                    op::SEARCH_MOVIES
                } else {
                    OTHER_COMMAND
                };
                (Self::Command, op)
            }
            _ => (Self::Unknown, UNKNOWN),
        }
    }
}

impl Simulator for State {
    type Route = Route;

    fn route(request: &Request) -> (Route, &'static str) {
        Route::of(request)
    }

    fn handle(&mut self, route: &Route, request: &Request) -> ResponseTemplate {
        match route {
            Route::SystemStatus => {
                system_status("Radarr", self.version.version_string(), "master", 241)
            }
            Route::Movies => self.movie_list(request),
            Route::MovieByTmdb(tmdb) => {
                let found: Vec<&Movie> = self
                    .movies
                    .iter()
                    .filter(|movie| Some(movie.tmdb_id.0) == *tmdb)
                    .collect();
                json(200, &to_json(&found))
            }
            Route::Movie(id) => match self.movies.iter().find(|m| m.id.0 == *id) {
                Some(movie) => json(200, &to_json(movie)),
                None => message(404, &format!("Movie with ID {id} does not exist")),
            },
            Route::Lookup(tmdb) => self.lookup(*tmdb),
            Route::Add => self.add(request),
            Route::Update(id) => self.update(*id, request),
            Route::Editor => self.edit(request),
            Route::Tags => json(200, &to_json(&self.tags.tags)),
            Route::CreateTag => {
                let version = self.version;
                self.tags.create(
                    request,
                    |label| version.refuses_label(label),
                    "   at System.Data.SQLite.SQLite3.Reset(SQLiteStatement stmt)\r\n   at NzbDrone.Core.Datastore.BasicRepository`1.Insert(TModel model) in ./Radarr.Core/Datastore/BasicRepository.cs:line 184\r\n   at NzbDrone.Core.Tags.TagService.Add(Tag tag) in ./Radarr.Core/Tags/TagService.cs:line 165",
                )
            }
            Route::RootFolders => root_folders(&self.root_folders),
            Route::QualityProfiles => quality_profiles(
                &self.quality_profiles,
                &json!({"cutoff": 7, "language": {"id": 1, "name": "English"}}),
            ),
            Route::Command => self.command(request),
            Route::Unknown => message(404, "NotFound"),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddRequest {
    tmdb_id: Option<u32>,
    quality_profile_id: Option<i32>,
    root_folder_path: Option<String>,
    monitored: Option<bool>,
    minimum_availability: Option<MinimumAvailability>,
    tags: Option<Vec<TagId>>,
    add_options: Option<AddRequestOptions>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddRequestOptions {
    search_for_movie: Option<bool>,
    monitor: Option<String>,
}

impl State {
    fn movie_list(&mut self, request: &Request) -> ResponseTemplate {
        let exclude =
            query(request, "excludeLocalCovers").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let answer = json(200, &to_json(&self.movies));
        for change in std::mem::take(&mut self.after_next_list) {
            match change {
                ListChange::Insert(movie) => {
                    self.insert_seed(&movie);
                }
                ListChange::Remove(tmdb) => self.movies.retain(|m| m.tmdb_id != tmdb),
            }
        }
        if exclude && self.version.honours_exclude_local_covers() {
            return answer;
        }
        self.cover_reads += 1;
        match self.cover_read_delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }

    fn lookup(&self, tmdb: Option<u32>) -> ResponseTemplate {
        let Some(tmdb) = tmdb.map(TmdbId) else {
            return message(400, "tmdbId is required");
        };
        if let Some(movie) = self.movie_by_tmdb(tmdb) {
            return json(200, &to_json(movie));
        }
        match self.catalogue.get(&tmdb) {
            Some(seed) => json(200, &to_json(&lookup_record(seed))),
            // What Radarr's MovieNotFoundException gives: a 500 with a message.
            None => message(
                500,
                &format!(
                    "Movie with tmdbId {tmdb} was not found, it may have been removed from TMDb."
                ),
            ),
        }
    }

    fn add(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(body) = request.body_json::<AddRequest>() else {
            return message(400, "the request body could not be read as a movie");
        };
        let tmdb = TmdbId(body.tmdb_id.unwrap_or(0));
        let root = body.root_folder_path.clone().unwrap_or_default();
        let profile = QualityProfileId(body.quality_profile_id.unwrap_or(0));
        let mut failures = Vec::new();
        if self.movie_by_tmdb(tmdb).is_some() {
            failures.push((
                "TmdbId",
                "This movie has already been added".to_owned(),
                json!(tmdb.0),
                "MovieExistsValidator",
            ));
        } else if !self.catalogue.contains_key(&tmdb) {
            // AddMovieService.AddSkyhookData: the add names the path it was
            // given, which is empty when only a root folder was sent.
            failures.push((
                "TmdbId",
                "A movie with this ID was not found. Path: ".to_owned(),
                json!(tmdb.0),
                "",
            ));
        }
        if !self.quality_profiles.iter().any(|p| p.id == profile) {
            failures.push((
                "QualityProfileId",
                "Quality Profile does not exist".to_owned(),
                json!(profile.0),
                "QualityProfileExistsValidator",
            ));
        }
        let known_root = self.root_folders.iter().any(|folder| {
            folder.path.trim_end_matches('/') == root.trim_end_matches('/') && !root.is_empty()
        });
        if !known_root {
            failures.push((
                "RootFolderPath",
                format!("Root folder '{root}' does not exist"),
                json!(root),
                "RootFolderExistsValidator",
            ));
        }
        if !failures.is_empty() {
            return validation(&failures);
        }
        let Some(seed) = self.catalogue.get(&tmdb).cloned() else {
            return message(500, "catalogue changed during add");
        };
        let options = body.add_options.as_ref();
        let monitored = body.monitored.unwrap_or(true)
            && options.and_then(|o| o.monitor.as_deref()) != Some("none");
        let mut movie = self.new_record(
            &seed,
            &root,
            profile,
            body.minimum_availability.clone().unwrap_or_default(),
        );
        movie.monitored = monitored;
        movie.tags = body.tags.clone().unwrap_or_default();
        if options.and_then(|o| o.search_for_movie) == Some(true) {
            self.searched_on_add.push(tmdb);
        }
        self.movies.push(movie.clone());
        json(201, &to_json(&movie))
    }

    fn update(&mut self, id: i32, request: &Request) -> ResponseTemplate {
        let Some(index) = self.movies.iter().position(|m| m.id.0 == id) else {
            return message(404, &format!("Movie with ID {id} does not exist"));
        };
        let Ok(mut movie) = request.body_json::<Movie>() else {
            return message(400, "the request body could not be read as a movie");
        };
        if !self
            .quality_profiles
            .iter()
            .any(|p| p.id == movie.quality_profile_id)
        {
            return validation(&[(
                "QualityProfileId",
                "Quality Profile does not exist".to_owned(),
                json!(movie.quality_profile_id.0),
                "QualityProfileExistsValidator",
            )]);
        }
        let current = &self.movies[index];
        // Radarr keeps what the client cannot change.
        movie.id = current.id;
        movie.tmdb_id = current.tmdb_id;
        movie.has_file = current.has_file;
        movie.added.clone_from(&current.added);
        self.movies[index] = movie.clone();
        json(202, &to_json(&movie))
    }

    fn edit(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(edit) = request.body_json::<MovieEditor>() else {
            return message(400, "the request body could not be read as a movie edit");
        };
        self.editor_requests.push(edit.movie_ids.clone());
        // BasicRepository.Get(ids): the rows found must number the ids sent,
        // so a repeated or unknown id fails the whole request.
        let found = self
            .movies
            .iter()
            .filter(|movie| edit.movie_ids.contains(&movie.id))
            .count();
        if found != edit.movie_ids.len() {
            return row_count_error(
                edit.movie_ids.len(),
                found,
                "   at NzbDrone.Core.Datastore.BasicRepository`1.Get(IEnumerable`1 ids) in ./Radarr.Core/Datastore/BasicRepository.cs:line 145\n   at NzbDrone.Core.Movies.MovieService.GetMovies(IEnumerable`1 movieIds) in ./Radarr.Core/Movies/MovieService.cs:line 86\n   at Radarr.Api.V3.Movies.MovieEditorController.SaveAll(MovieEditorResource resource) in ./Radarr.Api.V3/Movies/MovieEditorController.cs:line 48",
            );
        }
        let mut changed = Vec::new();
        for movie in &mut self.movies {
            if !edit.movie_ids.contains(&movie.id) {
                continue;
            }
            if let Some(monitored) = edit.monitored {
                movie.monitored = monitored;
            }
            if let Some(tags) = &edit.tags {
                edit.apply_tags
                    .unwrap_or(ApplyTags::Add)
                    .apply(&mut movie.tags, tags);
            }
            changed.push(to_json(&*movie));
        }
        json(202, &Value::Array(changed))
    }

    fn command(&mut self, request: &Request) -> ResponseTemplate {
        let Ok(body) = request.body_json::<Value>() else {
            return message(400, "the request body could not be read as a command");
        };
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.is_empty() {
            return message(400, "command name is required");
        }
        let movie_ids: Vec<MovieId> = body
            .get("movieIds")
            .cloned()
            .and_then(|ids| serde_json::from_value(ids).ok())
            .unwrap_or_default();
        if name == "MoviesSearch" {
            self.search_commands.push(movie_ids.clone());
        }
        let id = self.next_command_id;
        self.next_command_id += 1;
        let command_name = if name == "MoviesSearch" {
            "Movies Search"
        } else {
            name
        };
        command_queued(
            id,
            name,
            command_name,
            &json!({
                "movieIds": movie_ids,
                "sendUpdatesToClient": true,
                "updateScheduledTask": true,
                "requiresDiskAccess": false,
                "isExclusive": false,
                "name": name,
                "trigger": "manual"
            }),
        )
    }
}
