//! The points books on the page: movies and, with TV, shows. Each is
//! sorted and searched on the server from the page's query (`sort`, `dir`,
//! `q` for movies; `tv_sort`, `tv_dir`, `tv_q` for shows), through header
//! links (with `aria-sort`) and a plain GET form, so it needs no script.

use std::fmt::Write as _;

use curator_core::{EntryStatus, LoadedPoints, PointsBook, PointsEntry};
use curator_http::MediaKind;
use curator_http::TmdbId;
use serde::Deserialize;

use crate::html::{badge, esc};
use crate::shared::Shared;

/// The page's query: how each book is sorted and searched.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct BookQuery {
    sort: Option<String>,
    dir: Option<String>,
    q: Option<String>,
    tv_sort: Option<String>,
    tv_dir: Option<String>,
    tv_q: Option<String>,
}

/// A column a book sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Title,
    Year,
    State,
    Points,
    Last,
    First,
}

impl Column {
    const ALL: [Self; 6] = [
        Self::Title,
        Self::Year,
        Self::State,
        Self::Points,
        Self::Last,
        Self::First,
    ];

    /// Its name in the query.
    fn key(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Year => "year",
            Self::State => "state",
            Self::Points => "points",
            Self::Last => "last",
            Self::First => "first",
        }
    }

    /// Its header.
    fn label(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Year => "year",
            Self::State => "state",
            Self::Points => "points",
            Self::Last => "last change",
            Self::First => "first suggested",
        }
    }

    /// The column named `key` (`status`, the earlier name, is `state`).
    fn parse(key: &str) -> Option<Self> {
        match key {
            "status" => Some(Self::State),
            key => Self::ALL.into_iter().find(|c| c.key() == key),
        }
    }

    /// Numbers and days read best highest (latest) first.
    fn descending_first(self) -> bool {
        matches!(self, Self::Points | Self::Last | Self::First)
    }
}

/// How one book is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct View {
    sort: Column,
    descending: bool,
    /// Titles containing this (any case); empty for all.
    search: String,
}

/// One book's names and words.
struct Book {
    kind: MediaKind,
    /// The section's id (the links' fragment).
    id: &'static str,
    heading: &'static str,
    /// Its query keys: sort, dir, search.
    keys: [&'static str; 3],
    unit: &'static str,
    pending: &'static str,
}

const MOVIES: Book = Book {
    kind: MediaKind::Movie,
    id: "points",
    heading: "Points book: movies",
    keys: ["sort", "dir", "q"],
    unit: "movies",
    pending: "sent to Radarr or waiting for approval, not in Plex yet",
};

const SHOWS: Book = Book {
    kind: MediaKind::Show,
    id: "points-tv",
    heading: "Points book: TV",
    keys: ["tv_sort", "tv_dir", "tv_q"],
    unit: "shows",
    pending: "sent to Sonarr, not in Plex yet",
};

impl BookQuery {
    /// The query's pairs, in a fixed order, without empty ones; `changes`
    /// replace (an empty value drops) what the query holds.
    fn pairs(&self, changes: &[(&str, &str)]) -> Vec<(&'static str, String)> {
        [
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("q", &self.q),
            ("tv_sort", &self.tv_sort),
            ("tv_dir", &self.tv_dir),
            ("tv_q", &self.tv_q),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            let value = match changes.iter().find(|(c, _)| *c == k) {
                Some((_, changed)) => Some(*changed),
                None => v.as_deref(),
            };
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (k, v.to_owned()))
        })
        .collect()
    }

    /// How `book` is to be shown.
    fn view(&self, book: &Book) -> View {
        let (sort, dir, search) = match book.kind {
            MediaKind::Movie => (&self.sort, &self.dir, &self.q),
            MediaKind::Show => (&self.tv_sort, &self.tv_dir, &self.tv_q),
        };
        let sort = sort
            .as_deref()
            .and_then(Column::parse)
            .unwrap_or(Column::Points);
        View {
            sort,
            descending: dir
                .as_deref()
                .map_or(sort.descending_first(), |d| d == "desc"),
            search: search.as_deref().unwrap_or_default().trim().to_owned(),
        }
    }
}

/// The entries of `book` to show for `view`: the search's matches, sorted
/// (ties by title, then id).
fn rows<'a>(book: &'a PointsBook, view: &View) -> Vec<(&'a TmdbId, &'a PointsEntry)> {
    let needle = view.search.to_lowercase();
    let mut rows: Vec<_> = book
        .movies
        .iter()
        .filter(|(_, e)| needle.is_empty() || e.title.to_lowercase().contains(&needle))
        .collect();
    rows.sort_by(|(a_id, a), (b_id, b)| {
        let by_title = a.title.to_lowercase().cmp(&b.title.to_lowercase());
        let order = match view.sort {
            Column::Title => by_title,
            Column::Year => a.year.cmp(&b.year),
            Column::State => state(a).cmp(state(b)),
            Column::Points => a.points.cmp(&b.points),
            Column::Last => a.last_suggested.cmp(&b.last_suggested),
            Column::First => a.first_suggested.cmp(&b.first_suggested),
        };
        let order = if view.descending {
            order.reverse()
        } else {
            order
        };
        order.then(by_title).then(a_id.cmp(b_id))
    });
    rows
}

fn state(e: &PointsEntry) -> &'static str {
    match e.status {
        EntryStatus::Active => "active",
        EntryStatus::Pending => "pending",
    }
}

/// The page's address with `query`, `changes` set (an empty value drops
/// the key) and `fragment`.
fn link(shared: &Shared, query: &BookQuery, changes: &[(&str, &str)], fragment: &str) -> String {
    let pairs = query.pairs(changes);
    let mut to = shared.href("/");
    if !pairs.is_empty() {
        to.push('?');
        to.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
    }
    format!("{to}#{fragment}")
}

/// Both books: movies, and shows when TV is on or a TV book exists.
pub(crate) fn sections(h: &mut String, shared: &Shared, query: &BookQuery) {
    section(h, shared, query, &MOVIES);
    let tv_book = !matches!(
        shared.data.load_points_of(MediaKind::Show),
        Ok(LoadedPoints::Missing)
    );
    if shared.config.settings.tv.is_some() || tv_book {
        section(h, shared, query, &SHOWS);
    }
}

fn section(h: &mut String, shared: &Shared, query: &BookQuery, book: &Book) {
    let _ = write!(
        h,
        "<section class=\"wide\" id=\"{}\"><h2>{}</h2>",
        book.id, book.heading
    );
    let points = match shared.data.load_points_of(book.kind) {
        Ok(LoadedPoints::Current(points)) => points,
        Ok(LoadedPoints::Missing) => PointsBook::default(),
        Ok(LoadedPoints::Legacy(_)) => {
            h.push_str("<p class=\"muted\">the points file is the previous tool's; the next run converts it</p></section>");
            return;
        }
        Err(e) => {
            let _ = write!(h, "<p class=\"fail\">{}</p></section>", esc(&e.to_string()));
            return;
        }
    };
    if points.movies.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">empty: a watched {} fills it</p></section>",
            if book.kind == MediaKind::Movie {
                "movie"
            } else {
                "episode"
            }
        );
        return;
    }
    let view = query.view(book);
    let [sort_key, dir_key, search_key] = book.keys;
    let active = points
        .movies
        .values()
        .filter(|e| e.status == EntryStatus::Active)
        .count();
    let _ = write!(
        h,
        "<p class=\"muted\">{active} active, {} pending ({})</p>",
        points.movies.len() - active,
        book.pending
    );

    // The search: a GET form keeping every other part of the query.
    let _ = write!(
        h,
        "<form class=\"search\" method=\"get\" role=\"search\" action=\"{}\">",
        esc(&format!("{}#{}", shared.href("/"), book.id))
    );
    for (key, value) in query.pairs(&[]) {
        if key != search_key {
            let _ = write!(
                h,
                "<input type=\"hidden\" name=\"{key}\" value=\"{}\">",
                esc(&value)
            );
        }
    }
    let _ = write!(
        h,
        "<label>Title <input type=\"search\" name=\"{search_key}\" value=\"{}\" maxlength=\"200\"></label> \
         <button>Search {}</button>",
        esc(&view.search),
        book.unit
    );
    if !view.search.is_empty() {
        let _ = write!(
            h,
            " <a href=\"{}\">show all</a>",
            esc(&link(shared, query, &[(search_key, "")], book.id))
        );
    }
    h.push_str("</form>");

    let shown = rows(&points, &view);
    if shown.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">no title holds “{}”</p></section>",
            esc(&view.search)
        );
        return;
    }
    if !view.search.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">{} of {} {} hold “{}”</p>",
            shown.len(),
            points.movies.len(),
            book.unit,
            esc(&view.search)
        );
    }
    let _ = write!(
        h,
        "<div class=\"scroll\"><table class=\"book\"><caption class=\"muted\">sorted by {}, {}</caption><thead><tr>",
        view.sort.label(),
        if view.descending {
            "descending"
        } else {
            "ascending"
        }
    );
    for column in Column::ALL {
        let current = column == view.sort;
        // A click on the current column turns it round; on another, sorts
        // by it in its natural order.
        let descending = if current {
            !view.descending
        } else {
            column.descending_first()
        };
        let to = link(
            shared,
            query,
            &[
                (sort_key, column.key()),
                (dir_key, if descending { "desc" } else { "asc" }),
            ],
            book.id,
        );
        let (aria, arrow) = match (current, view.descending) {
            (true, true) => (" aria-sort=\"descending\"", " ↓"),
            (true, false) => (" aria-sort=\"ascending\"", " ↑"),
            _ => ("", ""),
        };
        let _ = write!(
            h,
            "<th scope=\"col\"{aria}><a href=\"{}\">{}{arrow}</a></th>",
            esc(&to),
            column.label()
        );
    }
    h.push_str("</tr></thead><tbody>");
    for (_, e) in shown {
        let state = state(e);
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.title),
            e.year.map_or_else(String::new, |y| y.to_string()),
            badge(if state == "active" { "ok" } else { "pending" }, state),
            e.points,
            e.last_suggested,
            e.first_suggested
        );
    }
    h.push_str("</tbody></table></div></section>");
}

#[cfg(test)]
mod tests {
    use super::{BookQuery, Column, MOVIES, SHOWS, View, rows};
    use curator_core::{EntryStatus, PointsBook, PointsEntry};
    use curator_http::TmdbId;

    fn entry(title: &str, points: u32, status: EntryStatus, last: u8) -> PointsEntry {
        let day = |d: u8| time::Date::from_calendar_date(2026, time::Month::March, d).unwrap();
        PointsEntry {
            title: title.into(),
            year: Some(2000 + i32::from(last)),
            rating_key: None,
            points,
            status,
            first_suggested: day(1),
            last_suggested: day(last),
        }
    }

    fn book() -> PointsBook {
        let mut book = PointsBook::default();
        for (id, e) in [
            (1, entry("Tenet", 3, EntryStatus::Active, 5)),
            (2, entry("inception", 7, EntryStatus::Active, 2)),
            (3, entry("Interstellar", 0, EntryStatus::Pending, 9)),
            (4, entry("The Prestige", 7, EntryStatus::Active, 1)),
        ] {
            book.movies.insert(TmdbId(id), e);
        }
        book
    }

    fn titles(view: &View) -> Vec<String> {
        let book = book();
        rows(&book, view)
            .into_iter()
            .map(|(_, e)| e.title.clone())
            .collect()
    }

    fn view(sort: Column, descending: bool, search: &str) -> View {
        View {
            sort,
            descending,
            search: search.into(),
        }
    }

    #[test]
    fn a_book_sorts_by_each_column_ties_by_title() {
        assert_eq!(
            titles(&view(Column::Points, true, "")),
            ["inception", "The Prestige", "Tenet", "Interstellar"]
        );
        assert_eq!(
            titles(&view(Column::Title, false, "")),
            ["inception", "Interstellar", "Tenet", "The Prestige"]
        );
        assert_eq!(
            titles(&view(Column::Title, true, "")),
            ["The Prestige", "Tenet", "Interstellar", "inception"]
        );
        assert_eq!(
            titles(&view(Column::State, false, "")),
            ["inception", "Tenet", "The Prestige", "Interstellar"]
        );
        assert_eq!(
            titles(&view(Column::Last, true, "")),
            ["Interstellar", "Tenet", "inception", "The Prestige"]
        );
    }

    #[test]
    fn a_search_keeps_titles_holding_it_in_any_case() {
        assert_eq!(
            titles(&view(Column::Title, false, "IN")),
            ["inception", "Interstellar"]
        );
        assert_eq!(
            titles(&view(Column::Points, true, "the ")),
            ["The Prestige"]
        );
        assert!(titles(&view(Column::Points, true, "Memento")).is_empty());
    }

    #[test]
    fn each_book_reads_its_own_keys_with_natural_defaults() {
        let query = BookQuery {
            sort: Some("title".into()),
            q: Some(" ten ".into()),
            tv_sort: Some("status".into()),
            tv_dir: Some("desc".into()),
            ..BookQuery::default()
        };
        assert_eq!(query.view(&MOVIES), view(Column::Title, false, "ten"));
        assert_eq!(query.view(&SHOWS), view(Column::State, true, ""));
        let none = BookQuery::default();
        assert_eq!(none.view(&MOVIES), view(Column::Points, true, ""));
        let unknown = BookQuery {
            sort: Some("<script>".into()),
            ..BookQuery::default()
        };
        assert_eq!(unknown.view(&MOVIES), view(Column::Points, true, ""));
    }
}
