//! Reading the demo's catalogue and LLM script. The reader is lenient
//! about shapes (a list or `{"movies": [...]}`, ids as `id` or `tmdb_id`,
//! years as numbers or dates, genres as ids or names), so the data files
//! can be written by hand.

use llm_recs::Suggestion;
use serde_json::Value;
use tmdb_client::GenreId;
use tmdb_client::fake::{FakeMovie as TmdbMovie, genre_list};

use curator_app::split_title_year;

/// A movie of the demo catalogue.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DemoMovie {
    pub(crate) id: u32,
    pub(crate) title: String,
    pub(crate) year: Option<i32>,
    pub(crate) in_plex: bool,
    pub(crate) imdb_id: Option<String>,
    pub(crate) genres: Vec<GenreId>,
    pub(crate) vote_average: f64,
    pub(crate) vote_count: u32,
    pub(crate) popularity: f64,
    pub(crate) overview: String,
    pub(crate) runtime: Option<u32>,
    pub(crate) original_title: Option<String>,
    pub(crate) original_language: Option<String>,
    pub(crate) release_date: Option<String>,
    pub(crate) recommendations: Vec<u32>,
    pub(crate) similar: Vec<u32>,
    /// Its files in Plex: more than one makes a duplicate for the cleaner.
    pub(crate) versions: Vec<DemoVersion>,
    /// Plex shows it with a legacy agent's guid (IMDb only when it has an
    /// IMDb id), as old libraries do.
    pub(crate) legacy_agent: bool,
    /// How many separate Plex items hold this movie (2: a duplicate item).
    pub(crate) duplicate_items: u32,
    /// Editions Plex holds as items of their own besides the movie
    /// ("The Final Cut"): not duplicates, the cleaner leaves them alone.
    pub(crate) editions: Vec<String>,
}

/// A file of a movie in Plex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DemoVersion {
    /// Plex's label: `"720"`, `"1080"`, `"4k"`.
    pub(crate) resolution: String,
    pub(crate) bitrate: Option<u32>,
    pub(crate) size: Option<u64>,
    pub(crate) file: Option<String>,
    pub(crate) codec: Option<String>,
    /// The target of an optimized version Plex made ("Optimized for TV"),
    /// when it is one: never a duplicate.
    pub(crate) optimized: Option<String>,
}

fn version(v: &Value) -> Option<DemoVersion> {
    let resolution = v
        .as_str()
        .map(str::to_owned)
        .or_else(|| v.as_u64().map(|n| n.to_string()))
        .or_else(|| text(v, &["resolution"]))?
        .trim_end_matches('p')
        .to_ascii_lowercase();
    Some(DemoVersion {
        resolution,
        bitrate: number(v, &["bitrate"]).map(|n| n as u32),
        size: number(v, &["size"]).map(|n| n as u64),
        file: text(v, &["file"]),
        codec: text(v, &["codec"]),
        optimized: text(v, &["optimized"]),
    })
}

impl DemoMovie {
    pub(crate) fn plex_year(&self) -> u16 {
        self.year
            .and_then(|y| u16::try_from(y).ok())
            .unwrap_or(2000)
    }

    fn to_tmdb(&self) -> TmdbMovie {
        let mut movie = TmdbMovie::new(self.id, &self.title, self.year.unwrap_or(0));
        if let Some(date) = &self.release_date {
            movie.release_date.clone_from(date);
        } else if self.year.is_none() {
            movie.release_date = String::new();
        }
        if let Some(original) = &self.original_title {
            movie.original_title.clone_from(original);
        }
        if let Some(language) = &self.original_language {
            movie.original_language.clone_from(language);
        }
        movie.genres.clone_from(&self.genres);
        movie.vote_average = self.vote_average;
        movie.vote_count = self.vote_count;
        movie.popularity = self.popularity;
        movie.imdb_id = self
            .imdb_id
            .as_deref()
            .and_then(curator_http::ImdbId::parse);
        movie.overview.clone_from(&self.overview);
        movie.runtime = self.runtime;
        movie.recommendations = self
            .recommendations
            .iter()
            .map(|&i| curator_http::TmdbId(i))
            .collect();
        movie.similar = self
            .similar
            .iter()
            .map(|&i| curator_http::TmdbId(i))
            .collect();
        movie
    }
}

/// The demo catalogue.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    pub(crate) movies: Vec<DemoMovie>,
}

/// One seed of the LLM script.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ScriptSeed {
    pub(crate) title: String,
    pub(crate) year: Option<i32>,
    pub(crate) similar: Vec<Suggestion>,
    pub(crate) contrast: Vec<Suggestion>,
    pub(crate) immaculate: Vec<Suggestion>,
}

impl ScriptSeed {
    pub(crate) fn label(&self) -> String {
        match self.year {
            Some(y) => format!("{} ({y})", self.title),
            None => self.title.clone(),
        }
    }
}

/// What the fake LLM answers, per seed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Script {
    pub(crate) seeds: Vec<ScriptSeed>,
}

fn field<'a>(v: &'a Value, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| v.get(*n).filter(|x| !x.is_null()))
}

fn text(v: &Value, names: &[&str]) -> Option<String> {
    field(v, names)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn number(v: &Value, names: &[&str]) -> Option<f64> {
    let x = field(v, names)?;
    x.as_f64().or_else(|| x.as_str()?.trim().parse().ok())
}

fn year_of(v: &Value) -> Option<i32> {
    if let Some(y) = number(v, &["year"]) {
        return Some(y as i32);
    }
    let date = text(v, &["release_date", "released"])?;
    date.get(..4)?.parse().ok()
}

fn ids(v: &Value, names: &[&str]) -> Vec<u32> {
    field(v, names)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|x| {
                    x.as_u64()
                        .or_else(|| x.get("id").and_then(Value::as_u64))
                        .or_else(|| x.get("tmdb_id").and_then(Value::as_u64))
                        .and_then(|n| u32::try_from(n).ok())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn genres(v: &Value) -> Vec<GenreId> {
    let known = genre_list();
    let list = field(v, &["genres", "genre_ids"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|g| {
            if let Some(id) = g.as_u64().or_else(|| g.get("id").and_then(Value::as_u64)) {
                return u32::try_from(id).ok().map(GenreId);
            }
            let name = g
                .as_str()
                .or_else(|| g.get("name").and_then(Value::as_str))?;
            known
                .iter()
                .find(|k| {
                    k.name.eq_ignore_ascii_case(name.trim())
                        || (name.eq_ignore_ascii_case("sci-fi") && k.id.0 == 878)
                })
                .map(|k| k.id)
        })
        .collect()
}

fn list_of(root: &Value, key: &str) -> Result<Vec<Value>, String> {
    match root {
        Value::Array(items) => Ok(items.clone()),
        Value::Object(map) => match map.get(key) {
            Some(Value::Array(items)) => Ok(items.clone()),
            _ => Err(format!("expected a list, or an object with a {key:?} list")),
        },
        _ => Err("expected a JSON list or object".into()),
    }
}

impl Catalog {
    /// Reads `catalog.json`.
    ///
    /// # Errors
    /// Not JSON, or a movie without an id or title.
    pub(crate) fn parse(json: &str) -> Result<Self, String> {
        let root: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut movies = Vec::new();
        for (n, v) in list_of(&root, "movies")?.iter().enumerate() {
            let id = number(v, &["tmdb_id", "id", "tmdb"])
                .filter(|id| *id >= 1.0)
                .ok_or_else(|| format!("movie {n} has no TMDb id"))? as u32;
            let title =
                text(v, &["title"]).ok_or_else(|| format!("movie {n} (id {id}) has no title"))?;
            let versions = field(v, &["versions", "plex_versions"])
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(version).collect())
                .unwrap_or_default();
            movies.push(DemoMovie {
                id,
                year: year_of(v),
                in_plex: field(v, &["in_plex", "plex"])
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                imdb_id: text(v, &["imdb_id", "imdb"]),
                genres: genres(v),
                vote_average: number(v, &["vote_average", "rating"]).unwrap_or(7.0),
                vote_count: number(v, &["vote_count", "votes"]).unwrap_or(1000.0) as u32,
                popularity: number(v, &["popularity"]).unwrap_or(10.0),
                overview: text(v, &["overview"]).unwrap_or_default(),
                runtime: number(v, &["runtime"]).map(|r| r as u32),
                original_title: text(v, &["original_title"]),
                original_language: text(v, &["original_language"]),
                release_date: text(v, &["release_date"]),
                recommendations: ids(v, &["recommendations", "recommends"]),
                similar: ids(v, &["similar"]),
                versions,
                legacy_agent: field(v, &["legacy_agent"])
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                duplicate_items: number(v, &["duplicate_items"]).map_or(1, |n| n as u32),
                editions: field(v, &["editions"])
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(|e| e.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                title,
            });
        }
        Ok(Self { movies })
    }

    /// The fake TMDb's catalogue.
    pub(crate) fn tmdb_movies(&self) -> Vec<TmdbMovie> {
        self.movies.iter().map(DemoMovie::to_tmdb).collect()
    }

    /// The movie with this title (and year, when given), ignoring case.
    pub(crate) fn find(&self, title: &str, year: Option<i32>) -> Option<&DemoMovie> {
        let wanted = curator_core::normalize_title(title);
        let matches = |m: &&DemoMovie| curator_core::normalize_title(&m.title) == wanted;
        match year {
            Some(_) => self
                .movies
                .iter()
                .filter(matches)
                .find(|m| m.year == year)
                .or_else(|| self.movies.iter().find(matches)),
            None => self.movies.iter().find(matches),
        }
    }
}

fn suggestions(v: &Value, names: &[&str]) -> Vec<Suggestion> {
    let Some(list) = field(v, names).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|item| {
            if let Some(line) = item.as_str() {
                let (title, year) = split_title_year(line);
                return Some(Suggestion::new(title, year));
            }
            let title = text(item, &["title"])?;
            let mut s = Suggestion::new(title, year_of(item));
            if let Some(reason) = text(item, &["reason"]) {
                s = s.with_reason(reason);
            }
            Some(s)
        })
        .collect()
}

fn script_seed(title_hint: Option<&str>, v: &Value) -> Option<ScriptSeed> {
    let raw = text(v, &["title", "seed"]).or_else(|| title_hint.map(str::to_owned))?;
    let (title, title_year) = split_title_year(&raw);
    Some(ScriptSeed {
        title,
        year: year_of(v).or(title_year),
        similar: suggestions(v, &["similar"]),
        contrast: suggestions(v, &["contrast"]),
        immaculate: suggestions(v, &["immaculate", "immaculate_taste"]),
    })
}

impl Script {
    /// Reads `llm_script.json`.
    ///
    /// # Errors
    /// Not JSON, or not a list of seeds.
    pub(crate) fn parse(json: &str) -> Result<Self, String> {
        let root: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let seeds = match &root {
            Value::Object(map) if !map.contains_key("seeds") => {
                let mut seeds: Vec<(usize, ScriptSeed)> = map
                    .iter()
                    .filter_map(|(title, v)| {
                        // Objects come back sorted by key; the file's order
                        // (the first seed is the default) is where each key is written.
                        let at = serde_json::to_string(title)
                            .ok()
                            .and_then(|quoted| json.find(&quoted))
                            .unwrap_or(usize::MAX);
                        Some((at, script_seed(Some(title), v)?))
                    })
                    .collect();
                seeds.sort_by_key(|(at, _)| *at);
                seeds.into_iter().map(|(_, seed)| seed).collect()
            }
            _ => list_of(&root, "seeds")?
                .iter()
                .filter_map(|v| script_seed(None, v))
                .collect(),
        };
        Ok(Self { seeds })
    }

    /// The seed with this title, ignoring case.
    pub(crate) fn find(&self, title: &str) -> Option<&ScriptSeed> {
        let wanted = curator_core::normalize_title(title);
        self.seeds
            .iter()
            .find(|s| curator_core::normalize_title(&s.title) == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_read_in_either_shape() {
        let a = Catalog::parse(
            r#"[{"id": 949, "title": "Heat", "year": 1995, "in_plex": true,
                 "genres": ["Crime", 53], "recommendations": [807], "versions": ["1080p", "720"]}]"#,
        )
        .unwrap();
        let b = Catalog::parse(
            r#"{"movies": [{"tmdb_id": "949", "title": "Heat", "release_date": "1995-12-15",
                 "genres": [{"id": 80, "name": "Crime"}, {"name": "Thriller"}], "recommends": [{"id": 807}], "plex": true,
                 "plex_versions": [{"resolution": "1080", "bitrate": 9800, "size": 11900000000, "file": "/m/Heat.mkv", "codec": "h264"}, "720"]}]}"#,
        )
        .unwrap();
        for c in [&a, &b] {
            let m = &c.movies[0];
            assert_eq!(
                (m.id, m.title.as_str(), m.year, m.in_plex),
                (949, "Heat", Some(1995), true)
            );
            assert_eq!(m.genres, [GenreId(80), GenreId(53)]);
            assert_eq!(m.recommendations, [807]);
            let resolutions: Vec<&str> = m.versions.iter().map(|v| v.resolution.as_str()).collect();
            assert_eq!(resolutions, ["1080", "720"]);
        }
        assert_eq!(b.movies[0].versions[0].size, Some(11_900_000_000));
        assert_eq!(b.movies[0].versions[0].file.as_deref(), Some("/m/Heat.mkv"));
        assert!(Catalog::parse(r#"[{"title": "No Id"}]"#).is_err());
        assert_eq!(a.find("heat", None).map(|m| m.id), Some(949));
    }

    #[test]
    fn scripts_read_in_any_shape() {
        let list = Script::parse(
            r#"{"seeds": [{"title": "Heat", "year": 1995,
                 "similar": [{"title": "Thief", "year": 1981, "reason": "same mood"}, "Ronin (1998)"],
                 "contrast": ["Paddington 2 (2017)"], "immaculate": []}]}"#,
        )
        .unwrap();
        let map = Script::parse(
            r#"{"Heat (1995)": {"similar": ["Thief (1981)", {"title": "Ronin", "year": 1998}],
                                 "contrast": [{"title": "Paddington 2", "year": 2017}]}}"#,
        )
        .unwrap();
        for script in [&list, &map] {
            let seed = script.find("HEAT").expect("found");
            assert_eq!(script.seeds[0].title, "Heat");
            assert_eq!(seed.year, Some(1995));
            assert_eq!(seed.similar.len(), 2);
            assert_eq!(seed.similar[1].title, "Ronin");
            assert_eq!(seed.similar[1].year, Some(1998));
            assert_eq!(seed.contrast[0].title, "Paddington 2");
        }
    }
}
