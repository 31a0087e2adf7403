//! Tags: the resource, the label rule, and find-or-create.

use std::fmt;
use std::future::Future;

use serde::{Deserialize, Serialize};

use crate::model::null_as_default;

/// The id of a tag; Radarr movies and Sonarr series carry tag ids, not
/// labels.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct TagId(pub i32);

impl fmt::Display for TagId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A tag (`TagResource`, the same in Radarr and Sonarr).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Tag {
    /// Its id.
    pub id: TagId,
    /// Its label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub label: String,
}

/// How a bulk edit's tags combine with the tags each item already has
/// (`ApplyTags`, the same in Radarr's `MovieEditorController` and Sonarr's
/// `SeriesEditorController`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ApplyTags {
    /// Add these tags to each item's own.
    Add,
    /// Remove these tags from each item.
    Remove,
    /// Replace each item's tags with these.
    Replace,
}

impl ApplyTags {
    /// Changes `own` as the editor does: a union, a difference, or a
    /// replacement (for the fakes, and for callers that predict the result).
    pub fn apply(self, own: &mut Vec<TagId>, tags: &[TagId]) {
        match self {
            Self::Add => {
                for tag in tags {
                    if !own.contains(tag) {
                        own.push(*tag);
                    }
                }
            }
            Self::Remove => own.retain(|tag| !tags.contains(tag)),
            Self::Replace => *own = tags.to_vec(),
        }
    }
}

impl Tag {
    /// A tag.
    pub fn new(id: TagId, label: impl Into<String>) -> Self {
        Self {
            id,
            label: label.into(),
        }
    }

    /// True when `label` names this tag: compared trimmed and ignoring case,
    /// as the web UIs do.
    pub fn matches(&self, label: &str) -> bool {
        self.label.trim().to_lowercase() == label.trim().to_lowercase()
    }
}

/// A tag label as every Radarr and Sonarr version accepts it: lowercase
/// ASCII letters, digits and `-`.
///
/// Radarr v6 and Sonarr v5 refuse other labels with a 400 (their
/// `TagController`s: the label must match `^[a-z0-9-]+$`, "Allowed
/// characters a-z, 0-9 and -"), and every version of both stores labels
/// lowercased and looks them up by exact case (`TagService.Add`). So
/// letters are lowercased, spaces and underscores become `-`, other
/// characters are dropped, runs of `-` are collapsed and trimmed from the
/// ends. `None` when nothing is left.
///
/// ```
/// use arr_common::normalize_tag_label;
///
/// assert_eq!(normalize_tag_label("Due To Previously_Watched").as_deref(), Some("due-to-previously-watched"));
/// assert_eq!(normalize_tag_label("Sci-Fi & Fantasy!").as_deref(), Some("sci-fi-fantasy"));
/// assert_eq!(normalize_tag_label("  ★  "), None);
/// ```
pub fn normalize_tag_label(label: &str) -> Option<String> {
    let mut out = String::with_capacity(label.len());
    for c in label.trim().chars() {
        let c = match c {
            ' ' | '_' | '-' => '-',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => continue,
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// Why a label got no tag in [`resolve_tags`].
#[derive(Debug)]
#[non_exhaustive]
pub enum TagFailure<E> {
    /// Nothing of the label is left once normalised ("★"), so it cannot be
    /// a tag on any version.
    Unusable {
        /// The label as given.
        given: String,
    },
    /// Creating the tag failed.
    Create {
        /// The normalised label.
        label: String,
        /// Why.
        error: E,
    },
}

/// What [`resolve_tags`] found: the tags, and the labels that got none.
#[derive(Debug)]
#[non_exhaustive]
pub struct TagResolution<E> {
    /// One tag per distinct label, in the order the labels were first given.
    pub tags: Vec<Tag>,
    /// The labels that got no tag, in order.
    pub failures: Vec<TagFailure<E>>,
}

/// The tags for `labels`, given the tags the server has (`known`) and a way
/// to create one: `create` is called once per label no tag matches, and
/// each tag it creates is added to `known`, so `known` can be kept as a
/// cache for the rest of a run.
///
/// Labels are first put in the form every version accepts
/// ([`normalize_tag_label`]: "Sci Fi" becomes "sci-fi"). A label with
/// nothing left, or whose creation fails, is reported in
/// [`TagResolution::failures`] and does not stop the others. Both clients'
/// `ensure_tags` and curator's engine are this function.
///
/// ```
/// use arr_common::{Tag, TagId, resolve_tags};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut known = vec![Tag::new(TagId(1), "curator")];
/// let found = resolve_tags(&["Curator", "Sci Fi", "★"], &mut known, |label: String| async move {
///     Ok::<_, std::convert::Infallible>(Tag::new(TagId(2), label))
/// })
/// .await;
/// assert_eq!(found.tags, vec![Tag::new(TagId(1), "curator"), Tag::new(TagId(2), "sci-fi")]);
/// assert_eq!(found.failures.len(), 1);
/// assert_eq!(known.len(), 2);
/// # });
/// ```
pub async fn resolve_tags<S, E, F, Fut>(
    labels: &[S],
    known: &mut Vec<Tag>,
    mut create: F,
) -> TagResolution<E>
where
    S: AsRef<str>,
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<Tag, E>>,
{
    let mut tags: Vec<Tag> = Vec::new();
    let mut failures = Vec::new();
    for given in labels {
        let given = given.as_ref();
        let Some(label) = normalize_tag_label(given) else {
            failures.push(TagFailure::Unusable {
                given: given.to_owned(),
            });
            continue;
        };
        if tags.iter().any(|tag| tag.matches(&label)) {
            continue;
        }
        let tag = match known.iter().find(|tag| tag.matches(&label)) {
            Some(tag) => tag.clone(),
            None => match create(label.clone()).await {
                Ok(tag) => {
                    known.push(tag.clone());
                    tag
                }
                Err(error) => {
                    failures.push(TagFailure::Create { label, error });
                    continue;
                }
            },
        };
        if !tags.iter().any(|t| t.id == tag.id) {
            tags.push(tag);
        }
    }
    TagResolution { tags, failures }
}

/// The tags for `labels`, given the tags the server has (`known`) and a way
/// to create one: [`resolve_tags`], where labels that are unusable are
/// skipped and the first creation that failed is the error.
///
/// # Errors
/// The first error `create` returned; the tags created meanwhile stay.
///
/// ```
/// use arr_common::{Tag, TagId, ensure_tags};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let known = vec![Tag::new(TagId(1), "curator")];
/// let tags = ensure_tags(&["Curator", "Sci Fi"], known, |label: String| async move {
///     Ok::<_, std::convert::Infallible>(Tag::new(TagId(2), label))
/// })
/// .await
/// .unwrap();
/// assert_eq!(tags, vec![Tag::new(TagId(1), "curator"), Tag::new(TagId(2), "sci-fi")]);
/// # });
/// ```
pub async fn ensure_tags<E, F, Fut>(
    labels: &[&str],
    mut known: Vec<Tag>,
    create: F,
) -> Result<Vec<Tag>, E>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<Tag, E>>,
{
    let found = resolve_tags(labels, &mut known, create).await;
    let first_error = found
        .failures
        .into_iter()
        .find_map(|failure| match failure {
            TagFailure::Create { error, .. } => Some(error),
            TagFailure::Unusable { .. } => None,
        });
    match first_error {
        Some(error) => Err(error),
        None => Ok(found.tags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_tags_adds_once_removes_and_replaces() {
        let mut own = vec![TagId(1), TagId(2)];
        ApplyTags::Add.apply(&mut own, &[TagId(2), TagId(3)]);
        assert_eq!(own, [TagId(1), TagId(2), TagId(3)]);
        ApplyTags::Remove.apply(&mut own, &[TagId(1), TagId(9)]);
        assert_eq!(own, [TagId(2), TagId(3)]);
        ApplyTags::Replace.apply(&mut own, &[TagId(7)]);
        assert_eq!(own, [TagId(7)]);
        assert_eq!(serde_json::to_value(ApplyTags::Replace).unwrap(), "replace");
    }

    #[test]
    fn tags_match_trimmed_and_ignoring_case() {
        let tag = Tag::new(TagId(3), "Curator");
        assert!(tag.matches(" curator "));
        assert!(tag.matches("CURATOR"));
        assert!(!tag.matches("curators"));
    }

    #[test]
    fn labels_are_normalised_to_what_the_strictest_version_accepts() {
        for (given, expected) in [
            ("movies", Some("movies")),
            (
                "Due To Previously Watched",
                Some("due-to-previously-watched"),
            ),
            ("change_of_taste", Some("change-of-taste")),
            ("4K  HDR", Some("4k-hdr")),
            ("Amélie's", Some("amlies")),
            ("--", None),
            ("", None),
        ] {
            assert_eq!(normalize_tag_label(given).as_deref(), expected, "{given:?}");
        }
    }

    #[tokio::test]
    async fn ensure_tags_creates_each_missing_label_once_and_reports_the_first_error() {
        let known = vec![Tag::new(TagId(1), "curator"), Tag::new(TagId(2), "4k")];
        let mut created = Vec::new();
        let tags = ensure_tags(
            &["Curator", " from plex ", "4K", "FROM_PLEX", "  ", "★"],
            known.clone(),
            |label: String| {
                created.push(label.clone());
                async move { Ok::<_, String>(Tag::new(TagId(3), label)) }
            },
        )
        .await
        .unwrap();
        let ids: Vec<TagId> = tags.iter().map(|tag| tag.id).collect();
        assert_eq!(ids, vec![TagId(1), TagId(3), TagId(2)]);
        assert_eq!(created, vec!["from-plex"]);

        let failed = ensure_tags(
            &["new", "other"],
            known.clone(),
            |label: String| async move { Err::<Tag, _>(format!("refused {label}")) },
        )
        .await;
        assert_eq!(failed, Err("refused new".to_owned()));

        // One refused label does not drop the others, and the cache grows.
        let mut cache = known;
        let found = resolve_tags(
            &["bad", "good", "★", "curator"],
            &mut cache,
            |label: String| async move {
                if label == "bad" {
                    Err("refused".to_owned())
                } else {
                    Ok(Tag::new(TagId(7), label))
                }
            },
        )
        .await;
        let labels: Vec<&str> = found.tags.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["good", "curator"]);
        assert!(matches!(
            found.failures.as_slice(),
            [TagFailure::Create { label, .. }, TagFailure::Unusable { given }] if label == "bad" && given == "★"
        ));
        assert_eq!(cache.len(), 3);
    }
}
