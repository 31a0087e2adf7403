//! The one config value whose meaning changed on the way from the previous
//! tool: `plex.delete_preference`.
//!
//! The previous tool documented the value as the copy to delete, but its
//! code sorted the copies by it and deleted the last one, which is the
//! opposite (`plex_duplicate_cleaner.py`, `sort_files` then
//! `sorted_files[-1]`: `smallest_file` sorted smallest first and deleted
//! the largest). curator does what the name says, so a user moving over
//! with the cleaner on is told once, loudly, before it deletes anything.

use std::path::Path;

use curator_core::{DeletePreference, write_atomic};

/// The marker that says the notice was shown, in the data directory.
const SHOWN: &str = ".delete-preference-notice-shown";

/// What the previous tool deleted with this preference.
fn what_the_old_tool_deleted(preference: DeletePreference) -> Option<(&'static str, &'static str)> {
    // (what it deleted, the value that deletes that in curator)
    match preference {
        DeletePreference::KeepBest => None,
        DeletePreference::SmallestFile => Some(("the largest copy", "largest_file")),
        DeletePreference::LargestFile => Some(("the smallest copy", "smallest_file")),
        DeletePreference::Newest => Some(("the oldest copy", "oldest")),
        DeletePreference::Oldest => Some(("the newest copy", "newest")),
    }
}

fn what_curator_deletes(preference: DeletePreference) -> &'static str {
    match preference {
        DeletePreference::KeepBest => "every copy but the best",
        DeletePreference::SmallestFile => "the smallest copy",
        DeletePreference::LargestFile => "the largest copy",
        DeletePreference::Newest => "the newest copy",
        DeletePreference::Oldest => "the oldest copy",
    }
}

/// The notice for a config that switches the cleaner on and sets
/// `delete_preference` to one of the previous tool's values (`keep_best`
/// is curator's own, and needs none).
pub(super) fn delete_preference_notice(preference: DeletePreference, raw: &str) -> Option<String> {
    let (old, same_as_old) = what_the_old_tool_deleted(preference)?;
    let rule = "!".repeat(76);
    Some(format!(
        "{rule}\n\
         !! the duplicate cleaner's delete_preference means the opposite of before\n\
         {rule}\n\
         Your config switches the duplicate cleaner on with plex.delete_preference: {raw}.\n\
         The previous tool's code deleted the opposite of what that name says: with\n\
         {raw} it deleted {old}. curator does what the name says: it deletes\n\
         {}. To go on deleting what the previous tool deleted, set\n\
         delete_preference: {same_as_old}.\n\
         Review what the cleaner would delete, changing nothing:\n\
         \n    curator --dry-run dedupe\n\n\
         (shown once for this data directory)\n\
         {rule}",
        what_curator_deletes(preference),
    ))
}

/// Shows `notice` unless it was shown before for the data directory at
/// `root`, and remembers it (not in a dry run, which writes nothing).
/// Returns whether it was shown.
pub fn show_delete_preference_notice(
    notice: &str,
    root: &Path,
    dry_run: bool,
    show: impl FnOnce(&str),
) -> bool {
    let marker = root.join(SHOWN);
    if marker.exists() {
        return false;
    }
    show(notice);
    if !dry_run && let Err(error) = write_atomic(&marker, b"shown\n") {
        tracing::debug!(%error, "could not remember that the delete_preference notice was shown");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_says_what_each_old_value_deleted() {
        let notice =
            delete_preference_notice(DeletePreference::SmallestFile, "smallest_file").unwrap();
        assert!(
            notice.contains("with\nsmallest_file it deleted the largest copy"),
            "{notice}"
        );
        assert!(notice.contains("it deletes\nthe smallest copy"), "{notice}");
        assert!(
            notice.contains("delete_preference: largest_file"),
            "{notice}"
        );
        assert!(notice.contains("curator --dry-run dedupe"), "{notice}");
        let newest = delete_preference_notice(DeletePreference::Newest, "newest").unwrap();
        assert!(newest.contains("it deleted the oldest copy"), "{newest}");
        assert!(delete_preference_notice(DeletePreference::KeepBest, "keep_best").is_none());
    }

    #[test]
    fn the_notice_is_shown_once_and_a_dry_run_does_not_use_it_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut shown = Vec::new();
        let mut was = Vec::new();
        for dry_run in [true, false, false] {
            was.push(show_delete_preference_notice(
                "n",
                dir.path(),
                dry_run,
                |n| {
                    shown.push(n.to_owned());
                },
            ));
        }
        assert_eq!(was, [true, true, false]);
        assert_eq!(shown, ["n", "n"]);
    }
}
