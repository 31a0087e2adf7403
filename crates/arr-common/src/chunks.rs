//! Bulk edits in chunks.
//!
//! Radarr's `movie/editor`, Sonarr's `series/editor` and Sonarr's
//! `episode/monitor` load their records with `BasicRepository.Get(ids)`,
//! which fails the whole request with a 500 ("Expected query to return N
//! rows but returned M") when an id repeats or is unknown. So ids go sorted,
//! once each, in chunks, and a failed chunk does not stop the others.

use std::fmt;
use std::future::Future;

/// The most ids one bulk request carries.
pub const EDITOR_CHUNK: usize = 100;

/// `ids` sorted, each once.
pub fn unique_sorted<Id: Ord + Clone>(ids: &[Id]) -> Vec<Id> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One bulk request that failed, and the ids it carried.
#[derive(Debug)]
#[non_exhaustive]
pub struct FailedChunk<Id, E> {
    /// The ids it carried, sorted.
    pub ids: Vec<Id>,
    /// Why it failed.
    pub error: Box<E>,
}

/// Sends `ids` (already [`unique_sorted`]) in chunks of at most `size`, one
/// `send` per chunk, one after the other; returns the chunks that failed.
/// Sends nothing for no ids.
pub async fn send_in_chunks<Id, E, F, Fut>(
    ids: &[Id],
    size: usize,
    mut send: F,
) -> Vec<FailedChunk<Id, E>>
where
    Id: Clone,
    F: FnMut(Vec<Id>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
{
    let mut failed = Vec::new();
    for chunk in ids.chunks(size.max(1)) {
        if let Err(error) = send(chunk.to_vec()).await {
            failed.push(FailedChunk {
                ids: chunk.to_vec(),
                error: Box::new(error),
            });
        }
    }
    failed
}

/// Shows failed chunks as `ids 1,2,3 (why); ids 7 (why)`, leaving out the
/// operation name `op` the inner errors start with, so it is said once.
#[derive(Debug)]
pub struct FailedChunks<'a, Id, E> {
    /// The operation the errors name.
    pub op: &'a str,
    /// The failed chunks.
    pub failed: &'a [FailedChunk<Id, E>],
}

impl<Id: fmt::Display, E: fmt::Display> fmt::Display for FailedChunks<'_, Id, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, failed) in self.failed.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str("ids ")?;
            for (j, id) in failed.ids.iter().enumerate() {
                if j > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{id}")?;
            }
            let inner = failed.error.to_string();
            let inner = inner
                .strip_prefix(self.op)
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&inner);
            write!(f, " ({inner})")?;
        }
        Ok(())
    }
}

impl<Id, E> FailedChunk<Id, E> {
    /// How many ids the failed chunks carried together.
    pub fn count(failed: &[Self]) -> usize {
        failed.iter().map(|f| f.ids.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_are_sent_in_order_and_failures_keep_their_ids() {
        let ids = unique_sorted(&[5, 1, 3, 3, 2, 4, 1]);
        let mut sent = Vec::new();
        let failed = send_in_chunks(&ids, 2, |chunk: Vec<i32>| {
            sent.push(chunk.clone());
            async move {
                if chunk.contains(&4) {
                    Err(format!("op.edit: refused {chunk:?}"))
                } else {
                    Ok(())
                }
            }
        })
        .await;
        assert_eq!(sent, vec![vec![1, 2], vec![3, 4], vec![5]]);
        assert_eq!(failed.len(), 1);
        assert_eq!(FailedChunk::count(&failed), 2);
        let shown = FailedChunks {
            op: "op.edit",
            failed: &failed,
        }
        .to_string();
        assert_eq!(shown, "ids 3,4 (refused [3, 4])");
    }

    #[tokio::test]
    async fn nothing_is_sent_for_no_ids() {
        let mut calls = 0;
        let failed = send_in_chunks(&[] as &[i32], EDITOR_CHUNK, |_chunk: Vec<i32>| {
            calls += 1;
            async { Ok::<(), String>(()) }
        })
        .await;
        assert!(failed.is_empty());
        assert_eq!(calls, 0);
    }
}
