//! The [`Recommender`] trait and the types it speaks.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Result;

/// What kind of suggestions to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionKind {
    /// Titles close to the seed in tone, themes, atmosphere and style.
    Similar,
    /// Titles deliberately unlike the seed: a palate cleanser.
    Contrast,
}

impl SuggestionKind {
    /// A short lowercase name, for logs and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Similar => "similar",
            Self::Contrast => "contrast",
        }
    }
}

impl fmt::Display for SuggestionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Films or TV series: what a list holds, or what a seed is. One enum for
/// the whole workspace (`curator_http::MediaKind`); what a kind means to
/// the LLM (the answer's year field) is [`MediaKindExt`].
pub use curator_http::MediaKind;

/// What a [`MediaKind`] means to the prompt and the answer.
pub trait MediaKindExt {
    /// The answer's year field for this kind, as the prompt and the JSON
    /// schema name it: `year` for films, `first_air_year` for series.
    /// The parser reads both (and `year` for series) whatever was asked.
    fn year_field(self) -> &'static str;
}

impl MediaKindExt for MediaKind {
    fn year_field(self) -> &'static str {
        match self {
            Self::Movie => "year",
            Self::Show => "first_air_year",
        }
    }
}

/// The plural the prompt uses: `films`, `TV series`.
pub(crate) fn plural(media: MediaKind) -> &'static str {
    match media {
        MediaKind::Movie => "films",
        MediaKind::Show => "TV series",
    }
}

/// The title the suggestions start from (usually the one just watched): a
/// movie, or with [`MediaKind::Show`] a TV series.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeedMovie {
    /// The title, as the library shows it.
    pub title: String,
    /// The release year (for a series, its first-air year), when known; it
    /// tells remakes apart.
    pub year: Option<i32>,
    /// Genre names, such as `"Drama"`.
    pub genres: Vec<String>,
    /// A plot summary, when known.
    pub overview: Option<String>,
    /// A movie (the default) or a TV series: the prompt names it so.
    pub media: MediaKind,
}

impl SeedMovie {
    /// A movie seed with only a title.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// A TV series seed with only a title; its year is the first-air year.
    pub fn show(title: impl Into<String>) -> Self {
        Self::new(title).with_media(MediaKind::Show)
    }

    /// Sets whether the seed is a movie or a TV series.
    #[must_use]
    pub fn with_media(mut self, media: MediaKind) -> Self {
        self.media = media;
        self
    }

    /// Sets the release year.
    #[must_use]
    pub fn with_year(mut self, year: i32) -> Self {
        self.year = Some(year);
        self
    }

    /// Sets the genres.
    #[must_use]
    pub fn with_genres<I, S>(mut self, genres: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.genres = genres.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the plot summary.
    #[must_use]
    pub fn with_overview(mut self, overview: impl Into<String>) -> Self {
        self.overview = Some(overview.into());
        self
    }
}

/// One request for suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionRequest {
    /// Similar or contrasting titles.
    pub kind: SuggestionKind,
    /// Movies (the default) or TV series.
    pub media: MediaKind,
    /// The movie to start from.
    pub seed: SeedMovie,
    /// How many suggestions to ask for; the answer holds at most this many.
    pub count: usize,
    /// Titles not to suggest (already suggested, already in the collection).
    /// Plain titles or `"Title (Year)"`; they are also filtered out of the
    /// answer, since models do not always listen.
    pub avoid: Vec<String>,
}

impl SuggestionRequest {
    /// A request for `count` movie suggestions of `kind` for `seed`,
    /// avoiding nothing ([`with_media`](Self::with_media) asks for series).
    pub fn new(kind: SuggestionKind, seed: SeedMovie, count: usize) -> Self {
        Self {
            kind,
            media: MediaKind::Movie,
            seed,
            count,
            avoid: Vec::new(),
        }
    }

    /// A request for `count` movies similar to `seed`.
    pub fn similar(seed: SeedMovie, count: usize) -> Self {
        Self::new(SuggestionKind::Similar, seed, count)
    }

    /// A request for `count` movies contrasting with `seed`.
    pub fn contrast(seed: SeedMovie, count: usize) -> Self {
        Self::new(SuggestionKind::Contrast, seed, count)
    }

    /// Asks for movies or TV series.
    #[must_use]
    pub fn with_media(mut self, media: MediaKind) -> Self {
        self.media = media;
        self
    }

    /// Sets the titles to avoid.
    #[must_use]
    pub fn with_avoid<I, S>(mut self, avoid: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.avoid = avoid.into_iter().map(Into::into).collect();
        self
    }
}

/// One list of a [`ListsRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpec {
    /// The list's key in the answer, such as `"similar"`: lowercase letters
    /// and underscores.
    pub name: String,
    /// Similar or contrasting titles.
    pub kind: SuggestionKind,
    /// Movies (the default) or TV series. One request may mix lists of both.
    pub media: MediaKind,
    /// How many suggestions to ask for.
    pub count: usize,
}

impl ListSpec {
    /// A list named `name` of `count` movie suggestions of `kind`.
    pub fn new(name: impl Into<String>, kind: SuggestionKind, count: usize) -> Self {
        Self {
            name: name.into(),
            kind,
            media: MediaKind::Movie,
            count,
        }
    }

    /// A list named `name` of `count` TV series suggestions of `kind`.
    ///
    /// ```no_run
    /// use llm_recs::{ListSpec, ListsRequest, LlmClient, Recommender, SeedMovie, SuggestionKind};
    ///
    /// # async fn shows(client: &LlmClient) -> llm_recs::Result<()> {
    /// let seed = SeedMovie::show("Breaking Bad").with_year(2008);
    /// let request = ListsRequest::new(
    ///     seed,
    ///     vec![
    ///         ListSpec::shows("similar", SuggestionKind::Similar, 10),
    ///         ListSpec::shows("contrast", SuggestionKind::Contrast, 5),
    ///         ListSpec::new("films", SuggestionKind::Similar, 10), // films, same request
    ///     ],
    /// )
    /// // A run covers every year a model may name the series by.
    /// .with_avoid(["Breaking Bad (2008–2013)", "Better Call Saul (2015–2022)"]);
    /// for list in client.suggest_lists(&request).await? {
    ///     for show in list.result?.items {
    ///         println!("{}: {show}", list.name); // "similar: The Wire (2002)"
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn shows(name: impl Into<String>, kind: SuggestionKind, count: usize) -> Self {
        Self::new(name, kind, count).with_media(MediaKind::Show)
    }

    /// Asks this list for movies or TV series.
    #[must_use]
    pub fn with_media(mut self, media: MediaKind) -> Self {
        self.media = media;
        self
    }
}

/// Several lists for one seed, asked for in one round trip when the
/// server can answer them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListsRequest {
    /// The movie to start from.
    pub seed: SeedMovie,
    /// The lists, in the order they are asked for.
    pub lists: Vec<ListSpec>,
    /// Titles no list may hold (see [`SuggestionRequest::avoid`]).
    pub avoid: Vec<String>,
}

impl ListsRequest {
    /// A request for these lists, avoiding nothing.
    pub fn new(seed: SeedMovie, lists: Vec<ListSpec>) -> Self {
        Self {
            seed,
            lists,
            avoid: Vec::new(),
        }
    }

    /// Sets the titles to avoid.
    #[must_use]
    pub fn with_avoid<I, S>(mut self, avoid: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.avoid = avoid.into_iter().map(Into::into).collect();
        self
    }

    /// The single request for one of the lists.
    pub fn single(&self, list: &ListSpec) -> SuggestionRequest {
        SuggestionRequest {
            kind: list.kind,
            media: list.media,
            seed: self.seed.clone(),
            count: list.count,
            avoid: self.avoid.clone(),
        }
    }
}

/// The answer for one list of a [`ListsRequest`].
#[derive(Debug)]
pub struct ListAnswer {
    /// The list's name.
    pub name: String,
    /// Its suggestions, or why there are none.
    pub result: Result<Suggestions>,
}

/// One suggested movie or TV series.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// The title, as the model wrote it (trimmed, markup removed).
    pub title: String,
    /// The release year (for a series, the year it first aired: the start
    /// of a range such as `2008–2013`), when the model gave one.
    pub year: Option<i32>,
    /// Why the model suggests it, when it said.
    pub reason: Option<String>,
}

impl Suggestion {
    /// A suggestion without a reason.
    pub fn new(title: impl Into<String>, year: Option<i32>) -> Self {
        Self {
            title: title.into(),
            year,
            reason: None,
        }
    }

    /// Sets the reason.
    #[must_use]
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{} ({year})", self.title),
            None => f.write_str(&self.title),
        }
    }
}

/// How the suggestions were read from the model's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParsePath {
    /// A complete JSON document (possibly inside a code fence or prose).
    Json,
    /// Complete `{...}` items rescued from JSON that was cut off.
    PartialJson,
    /// Numbered, bulleted or plain lines such as `Title (Year)`.
    Lines,
}

impl ParsePath {
    /// A short lowercase name, for logs and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::PartialJson => "partial-json",
            Self::Lines => "lines",
        }
    }
}

impl fmt::Display for ParsePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The answer to a [`SuggestionRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestions {
    /// The suggestions, in the model's order: de-duplicated, without the
    /// seed or avoided titles, at most the requested count.
    pub items: Vec<Suggestion>,
    /// True when the model stopped at its token limit, so the list may be
    /// shorter than asked.
    pub truncated: bool,
    /// How the answer was read.
    pub parse_path: ParsePath,
}

impl Suggestions {
    /// A complete answer read as JSON; handy in hand-written fakes.
    pub fn new(items: Vec<Suggestion>) -> Self {
        Self {
            items,
            truncated: false,
            parse_path: ParsePath::Json,
        }
    }

    /// The number of suggestions.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Something that suggests movies or TV series for a seed title.
///
/// [`LlmClient`](crate::LlmClient) asks any OpenAI-compatible server; tests
/// and the engine's own fakes can implement it in a few lines. The trait is
/// object-safe: hold it as `Arc<dyn Recommender>`.
#[async_trait]
pub trait Recommender: Send + Sync {
    /// Asks for suggestions.
    ///
    /// # Errors
    /// [`Error`](crate::Error) when the server cannot be reached, refuses the
    /// request (bad key, no credit left, unknown model), refuses to answer,
    /// or answers with nothing that reads as a list of titles.
    async fn suggest(&self, request: &SuggestionRequest) -> Result<Suggestions>;

    /// Asks for several lists. [`LlmClient`](crate::LlmClient) asks for all
    /// of them in one request and asks separately only for the lists an
    /// answer lacks; this default asks for each list on its own. The
    /// answers come in the order of `request.lists`.
    ///
    /// # Errors
    /// An [`Error`](crate::Error) that would fail every list (the server
    /// cannot be reached, refuses the key...); a problem with one list is in
    /// its [`ListAnswer`].
    async fn suggest_lists(&self, request: &ListsRequest) -> Result<Vec<ListAnswer>> {
        let mut answers = Vec::with_capacity(request.lists.len());
        for list in &request.lists {
            answers.push(ListAnswer {
                name: list.name.clone(),
                result: self.suggest(&request.single(list)).await,
            });
        }
        Ok(answers)
    }
}

#[async_trait]
impl<T: Recommender + ?Sized> Recommender for Arc<T> {
    async fn suggest(&self, request: &SuggestionRequest) -> Result<Suggestions> {
        (**self).suggest(request).await
    }
    async fn suggest_lists(&self, request: &ListsRequest) -> Result<Vec<ListAnswer>> {
        (**self).suggest_lists(request).await
    }
}

#[async_trait]
impl<T: Recommender + ?Sized> Recommender for &T {
    async fn suggest(&self, request: &SuggestionRequest) -> Result<Suggestions> {
        (**self).suggest(request).await
    }
    async fn suggest_lists(&self, request: &ListsRequest) -> Result<Vec<ListAnswer>> {
        (**self).suggest_lists(request).await
    }
}
