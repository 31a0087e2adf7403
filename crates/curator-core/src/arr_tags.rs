//! Radarr's and Sonarr's tags for a hand-off: one mechanism for both.

use std::fmt::Display;
use std::future::Future;

use arr_common::{Tag, TagFailure, TagId, resolve_tags};
use tokio::sync::Mutex;

/// Which *arr a hand-off tags in, for its messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arr {
    /// `radarr`, `sonarr`.
    pub(crate) key: &'static str,
    /// `Radarr`, `Sonarr`.
    pub(crate) name: &'static str,
    /// What it adds: `movies`, `shows`.
    pub(crate) items: &'static str,
}

/// The ids of `labels` in the server's tags, read once per run into
/// `cache`, only the missing ones created ([`resolve_tags`]: labels are
/// normalised to what every version accepts, and one label that fails
/// never drops the others), with a sentence per label that could not be
/// used. A failed read leaves the cache empty, so a later add tries again.
pub(crate) async fn ensure_tags<ReadE, CreateE, Read, Create, Created>(
    arr: Arr,
    cache: &Mutex<Option<Vec<Tag>>>,
    labels: &[String],
    read: impl FnOnce() -> Read,
    create: Create,
) -> (Vec<TagId>, Vec<String>)
where
    ReadE: Display,
    CreateE: Display,
    Read: Future<Output = Result<Vec<Tag>, ReadE>>,
    Create: FnMut(String) -> Created,
    Created: Future<Output = Result<Tag, CreateE>>,
{
    let Arr { key, name, items } = arr;
    let mut cache = cache.lock().await;
    if cache.is_none() {
        match read().await {
            Ok(tags) => *cache = Some(tags),
            Err(error) => {
                let failure =
                    format!("{key} tags {labels:?}: {error:#}; {items} added without them");
                return (Vec::new(), vec![failure]);
            }
        }
    }
    let known = cache.get_or_insert_with(Vec::new);
    let found = resolve_tags(labels, known, create).await;
    let failures = found
        .failures
        .into_iter()
        .map(|failure| match failure {
            TagFailure::Unusable { given } => {
                format!("{key} tag {given:?} has no letter or digit {name} accepts; not used")
            }
            TagFailure::Create { label, error } => {
                format!("{key} tag {label:?}: {error:#}; {items} added without it")
            }
            _ => format!("{key} tag: not used"),
        })
        .collect();
    (found.tags.iter().map(|tag| tag.id).collect(), failures)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    const SONARR: Arr = Arr {
        key: "sonarr",
        name: "Sonarr",
        items: "shows",
    };

    /// A tag as the server's JSON gives it (the type is non-exhaustive).
    fn tag(id: i32, label: &str) -> Tag {
        serde_json::from_value(serde_json::json!({ "id": id, "label": label })).unwrap()
    }

    /// The list is read once per run however many adds tag; a label that
    /// normalises to nothing is named with the server and the kind; a failed
    /// read tags nothing, says so, and the next add reads again.
    #[tokio::test]
    async fn tags_are_read_once_and_failures_name_the_server() {
        let cache = Mutex::new(None);
        let reads = Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            async { Ok::<_, String>(vec![tag(1, "tv")]) }
        };
        let create = |label: String| async move { Ok::<_, String>(tag(2, &label)) };
        let labels = ["TV".to_owned(), "★".to_owned(), "Sci Fi".to_owned()];
        let (ids, failures) = ensure_tags(SONARR, &cache, &labels, read, create).await;
        assert_eq!(ids, [TagId(1), TagId(2)]);
        assert_eq!(
            failures,
            ["sonarr tag \"★\" has no letter or digit Sonarr accepts; not used"]
        );
        let (ids, _) = ensure_tags(SONARR, &cache, &labels[..1], read, create).await;
        assert_eq!(ids, [TagId(1)]);
        assert_eq!(reads.get(), 1, "read once per run");

        let empty = Mutex::new(None);
        let down = || async { Err::<Vec<Tag>, _>("503 Service Unavailable".to_owned()) };
        let (ids, failures) = ensure_tags(SONARR, &empty, &labels[..1], down, create).await;
        assert!(ids.is_empty());
        assert_eq!(
            failures,
            ["sonarr tags [\"TV\"]: 503 Service Unavailable; shows added without them"]
        );
        assert!(empty.lock().await.is_none(), "the next add reads again");
    }
}
