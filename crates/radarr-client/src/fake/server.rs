//! The fake's state and its request routing.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use curator_http::fake::{FaultEffect, Faults, header, json, query, segments};
use curator_http::{RequestStats, TmdbId};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{RadarrSeed, RadarrVersion, SeedMovie};
use crate::model::{
    ApplyTags, MinimumAvailability, Movie, MovieEditor, MovieId, QualityProfile, QualityProfileId,
    RootFolder, Tag, TagId,
};
use crate::op;

/// Operation name for requests the fake does not know.
const UNKNOWN: &str = "radarr.unknown";
/// Operation name for commands other than `MoviesSearch`.
const OTHER_COMMAND: &str = "radarr.command";
/// A fixed clock: the fake's answers do not depend on when a test runs.
const NOW: &str = "2025-11-14T12:00:00Z";

/// A change another client makes right after the next movie list.
pub(super) enum ListChange {
    Insert(SeedMovie),
    Remove(TmdbId),
}

pub(super) struct State {
    pub(super) movies: Vec<Movie>,
    next_movie_id: i32,
    pub(super) tags: Vec<Tag>,
    pub(super) root_folders: Vec<RootFolder>,
    pub(super) quality_profiles: Vec<QualityProfile>,
    pub(super) catalogue: BTreeMap<TmdbId, SeedMovie>,
    pub(super) search_commands: Vec<Vec<MovieId>>,
    pub(super) searched_on_add: Vec<TmdbId>,
    pub(super) cover_reads: usize,
    pub(super) editor_requests: Vec<Vec<MovieId>>,
    pub(super) tag_requests: Vec<String>,
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
            tags: Vec::new(),
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
            tag_requests: Vec::new(),
            after_next_list: Vec::new(),
            cover_read_delay: seed.cover_read_delay,
            next_command_id: 1,
            version: seed.version,
        };
        for label in &seed.tags {
            state.tag_for(label);
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

    /// The tag with this label (ignoring case), created if missing. Radarr
    /// stores new labels in lower case. For seeding; requests go through
    /// [`State::create_tag`], which follows Radarr's exact-case rules.
    pub(super) fn tag_for(&mut self, label: &str) -> Tag {
        let label = label.trim();
        if let Some(tag) = self.tags.iter().find(|tag| tag.matches(label)) {
            return tag.clone();
        }
        let id = self.tags.iter().map(|tag| tag.id.0).max().unwrap_or(0) + 1;
        let tag = Tag::new(TagId(id), label.to_lowercase());
        self.tags.push(tag.clone());
        tag
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
            .map(|label| self.tag_for(label).id)
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
enum Route {
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
        let method = request.method.as_str();
        let parts = segments(request);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let Some(rest) = parts.strip_prefix(&["api", "v3"]) else {
            return (Self::Unknown, UNKNOWN);
        };
        let id = |text: &str| text.parse::<i32>().ok();
        match (method, rest) {
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
                let name = request
                    .body_json::<Value>()
                    .ok()
                    .and_then(|body| body.get("name").and_then(Value::as_str).map(str::to_owned));
                let op = if name.as_deref() == Some("MoviesSearch") {
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

/// The catch-all wiremock responder.
pub(super) struct Responder {
    pub(super) state: Arc<Mutex<State>>,
    pub(super) stats: RequestStats,
    pub(super) faults: Faults,
    pub(super) api_key: String,
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (route, op) = Route::of(request);
        self.stats.record(op);
        let delay = match self.faults.take(op).map(|fault| fault.apply()) {
            Some(FaultEffect::Respond(answer)) => return answer,
            Some(FaultEffect::Delay(delay)) => Some(delay),
            None => None,
        };
        let answer = if self.authorized(request) {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.handle(&route, request)
        } else {
            ResponseTemplate::new(401)
        };
        match delay {
            Some(delay) => answer.set_delay(delay),
            None => answer,
        }
    }
}

impl Responder {
    /// Radarr takes the key from the `X-Api-Key` header, the `apikey` query
    /// parameter or a bearer token.
    fn authorized(&self, request: &Request) -> bool {
        let given = header(request, "x-api-key")
            .or_else(|| query(request, "apikey"))
            .or_else(|| {
                header(request, "authorization")
                    .and_then(|value| value.strip_prefix("Bearer ").map(str::to_owned))
            });
        given.as_deref() == Some(self.api_key.as_str())
    }
}

/// A 400 answer listing validation failures, as Radarr's FluentValidation
/// sends them.
fn validation(failures: &[(&str, String, Value, &str)]) -> ResponseTemplate {
    let body: Vec<Value> = failures
        .iter()
        .map(|(property, message, attempted, code)| {
            json!({
                "propertyName": property,
                "errorMessage": message,
                "attemptedValue": attempted,
                "severity": "error",
                "errorCode": if code.is_empty() { Value::Null } else { json!(code) },
                "formattedMessagePlaceholderValues": {
                    "propertyName": property,
                    "propertyValue": attempted
                }
            })
        })
        .collect();
    json(400, &Value::Array(body))
}

/// An error answer as `RadarrErrorPipeline` writes it: the exception's
/// message, and its whole `ToString()` (type, message, stack trace) as the
/// description.
fn server_error(status: u16, text: &str, description: &str) -> ResponseTemplate {
    json(
        status,
        &json!({ "message": text, "description": description }),
    )
}

fn message(status: u16, text: &str) -> ResponseTemplate {
    json(status, &json!({ "message": text, "description": null }))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
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
    fn handle(&mut self, route: &Route, request: &Request) -> ResponseTemplate {
        match route {
            Route::SystemStatus => json(200, &self.system_status()),
            Route::Movies => {
                let exclude = query(request, "excludeLocalCovers")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
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
            Route::Tags => json(200, &to_json(&self.tags)),
            Route::CreateTag => self.create_tag(request),
            Route::RootFolders => {
                let folders: Vec<Value> = self
                    .root_folders
                    .iter()
                    .map(|folder| {
                        let mut value = to_json(folder);
                        value["unmappedFolders"] = json!([]);
                        value
                    })
                    .collect();
                json(200, &Value::Array(folders))
            }
            Route::QualityProfiles => {
                let profiles: Vec<Value> = self
                    .quality_profiles
                    .iter()
                    .map(|profile| {
                        let mut value = to_json(profile);
                        value["cutoff"] = json!(7);
                        value["items"] = json!([]);
                        value["minFormatScore"] = json!(0);
                        value["cutoffFormatScore"] = json!(0);
                        value["formatItems"] = json!([]);
                        value["language"] = json!({"id": 1, "name": "English"});
                        value
                    })
                    .collect();
                json(200, &Value::Array(profiles))
            }
            Route::Command => self.command(request),
            Route::Unknown => message(404, "NotFound"),
        }
    }

    fn system_status(&self) -> Value {
        json!({
            "appName": "Radarr",
            "instanceName": "Radarr",
            "version": self.version.version_string(),
            "buildTime": "2025-10-01T00:00:00Z",
            "isDebug": false,
            "isProduction": true,
            "isAdmin": false,
            "isUserInteractive": false,
            "startupPath": "/app/radarr/bin",
            "appData": "/config",
            "osName": "ubuntu",
            "osVersion": "24.04",
            "isNetCore": true,
            "isLinux": true,
            "isOsx": false,
            "isWindows": false,
            "isDocker": true,
            "mode": "console",
            "branch": "master",
            "databaseType": "sqLite",
            "databaseVersion": "3.46.1",
            "authentication": "forms",
            "migrationVersion": 241,
            "urlBase": "",
            "runtimeVersion": "8.0.12",
            "runtimeName": ".NET",
            "startTime": NOW,
            "packageUpdateMechanism": "docker"
        })
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
            let text = format!(
                "Expected query to return {} rows but returned {found}",
                edit.movie_ids.len()
            );
            return server_error(
                500,
                &text,
                &format!(
                    "System.ApplicationException: {text}\n   at NzbDrone.Core.Datastore.BasicRepository`1.Get(IEnumerable`1 ids) in ./Radarr.Core/Datastore/BasicRepository.cs:line 145\n   at NzbDrone.Core.Movies.MovieService.GetMovies(IEnumerable`1 movieIds) in ./Radarr.Core/Movies/MovieService.cs:line 86\n   at Radarr.Api.V3.Movies.MovieEditorController.SaveAll(MovieEditorResource resource) in ./Radarr.Api.V3/Movies/MovieEditorController.cs:line 48"
                ),
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

    /// `POST /api/v3/tag` as `TagController` and `TagService.Add` do it:
    /// the version's label rule, then a lookup by the exact label (an exact
    /// match answers with the existing tag), then an insert of the label
    /// lowercased, which the unique `Tags.Label` column refuses when only
    /// the case differed.
    fn create_tag(&mut self, request: &Request) -> ResponseTemplate {
        let label = request
            .body_json::<Map<String, Value>>()
            .ok()
            .and_then(|body| body.get("label").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        self.tag_requests.push(label.clone());
        if let Some((why, code)) = self.version.refuses_label(&label) {
            return validation(&[("Label", why.to_owned(), json!(label), code)]);
        }
        if let Some(tag) = self.tags.iter().find(|tag| tag.label == label) {
            return json(201, &to_json(tag));
        }
        let lower = label.to_lowercase();
        if self.tags.iter().any(|tag| tag.label == lower) {
            let text = "constraint failed\r\nUNIQUE constraint failed: Tags.Label";
            return server_error(
                409,
                text,
                &format!(
                    "code = Constraint (19), message = System.Data.SQLite.SQLiteException (0x800027AF): {text}\r\n   at System.Data.SQLite.SQLite3.Reset(SQLiteStatement stmt)\r\n   at NzbDrone.Core.Datastore.BasicRepository`1.Insert(TModel model) in ./Radarr.Core/Datastore/BasicRepository.cs:line 184\r\n   at NzbDrone.Core.Tags.TagService.Add(Tag tag) in ./Radarr.Core/Tags/TagService.cs:line 165"
                ),
            );
        }
        let id = self.tags.iter().map(|tag| tag.id.0).max().unwrap_or(0) + 1;
        let tag = Tag::new(TagId(id), lower);
        self.tags.push(tag.clone());
        json(201, &to_json(&tag))
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
        json(
            201,
            &json!({
                "id": id,
                "name": name,
                "commandName": if name == "MoviesSearch" { "Movies Search" } else { name },
                "body": {
                    "movieIds": movie_ids,
                    "sendUpdatesToClient": true,
                    "updateScheduledTask": true,
                    "requiresDiskAccess": false,
                    "isExclusive": false,
                    "name": name,
                    "trigger": "manual"
                },
                "priority": "normal",
                "status": "queued",
                "result": "unknown",
                "queued": NOW,
                "trigger": "manual",
                "stateChangeTime": NOW,
                "sendUpdatesToClient": true,
                "updateScheduledTask": true
            }),
        )
    }
}
