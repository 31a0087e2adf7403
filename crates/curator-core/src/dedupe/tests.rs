use super::*;
use curator_http::{ImdbId, TmdbId};
use plex_client::MediaPart;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn version(id: u64, resolution: &str, bitrate: u32, size: u64, file: &str) -> MediaVersion {
    MediaVersion {
        id: MediaId(id),
        video_resolution: Some(resolution.into()),
        bitrate: Some(bitrate),
        width: None,
        height: None,
        video_codec: None,
        audio_codec: None,
        container: None,
        duration: None,
        optimized: false,
        parts: vec![MediaPart {
            id,
            file: file.into(),
            size,
            duration: None,
            available: Some(true),
        }],
    }
}

fn movie(rk: &str, tmdb: Option<u32>, added: i64, media: Vec<MediaVersion>) -> Movie {
    Movie {
        rating_key: RatingKey(rk.into()),
        title: format!("Movie {rk}"),
        original_title: None,
        year: Some(2000),
        added_at: Some(added),
        guid: String::new(),
        tmdb_id: tmdb.map(TmdbId),
        imdb_id: None,
        edition: None,
        section: None,
        media,
    }
}

fn deleted(plan: &DedupePlan) -> Vec<u64> {
    let mut ids: Vec<u64> = plan.deletions.iter().map(|d| d.media_id.0).collect();
    ids.sort_unstable();
    ids
}

fn settings(preference: DeletePreference, preserve: &[&str]) -> DedupeSettings {
    DedupeSettings {
        delete_preference: preference,
        preserve_quality: preserve.iter().map(|s| (*s).to_owned()).collect(),
        max_deletions_per_run: 10,
    }
}

/// One item with three versions and a second item of the same film.
fn library() -> Vec<Movie> {
    vec![
        movie(
            "1",
            Some(27205),
            100,
            vec![
                version(11, "1080", 10_000, 14_000_000_000, "/m/Inception.1080p.mkv"),
                version(
                    12,
                    "4k",
                    40_000,
                    60_000_000_000,
                    "/m/Inception.2160p.REMUX.mkv",
                ),
                version(13, "720", 4_000, 4_000_000_000, "/m/Inception.720p.mkv"),
            ],
        ),
        movie(
            "2",
            Some(27205),
            200,
            vec![version(
                21,
                "sd",
                1_500,
                1_500_000_000,
                "/m/Inception.dvdrip.avi",
            )],
        ),
        movie(
            "3",
            Some(603),
            50,
            vec![version(31, "1080", 9_000, 9_000_000_000, "/m/Matrix.mkv")],
        ),
    ]
}

#[test]
fn each_preference_means_what_it_says() {
    let cases = [
        // (preference, versions deleted)
        (DeletePreference::KeepBest, vec![11, 13, 21]),
        // Smallest files go: the 60 GB 4K stays.
        (DeletePreference::SmallestFile, vec![11, 13, 21]),
        // Largest files go: the 1.5 GB SD copy stays.
        (DeletePreference::LargestFile, vec![11, 12, 13]),
        // Newest go: item 1 (added at 100) is older; its first version stays.
        (DeletePreference::Newest, vec![12, 13, 21]),
        // Oldest go: item 2 (added at 200) stays.
        (DeletePreference::Oldest, vec![11, 12, 13]),
    ];
    for (preference, expected) in cases {
        let plan = plan_dedupe(&library(), &settings(preference, &[]));
        assert_eq!(deleted(&plan), expected, "{preference:?}");
        assert_eq!(plan.groups, 1);
    }
}

#[test]
fn preserve_terms_match_plex_resolutions_and_file_names() {
    let lib = library();
    // "1080p" matches Plex's "1080"; "remux" a file name.
    let plan = plan_dedupe(
        &lib,
        &settings(DeletePreference::LargestFile, &["1080p", "REMUX"]),
    );
    assert_eq!(deleted(&plan), [13]);
    assert_eq!(plan.protected, 2);
    // "4K" matches "4k" and "2160p" too.
    for term in ["4K", "2160p", "uhd"] {
        let plan = plan_dedupe(&lib, &settings(DeletePreference::LargestFile, &[term]));
        assert_eq!(deleted(&plan), [11, 13], "{term}");
    }
    let plan = plan_dedupe(&lib, &settings(DeletePreference::LargestFile, &["SD"]));
    assert!(!deleted(&plan).contains(&21));
}

#[test]
fn a_copy_missing_from_disk_is_never_the_one_kept() {
    // The 4K file is gone (Plex still lists it): the 1080p copy must stay.
    let mut lib = library();
    lib[0].media[1].parts[0].available = Some(false);
    let plan = plan_dedupe(&lib, &settings(DeletePreference::KeepBest, &[]));
    assert_eq!(deleted(&plan), [13, 21]);
    assert_eq!(plan.unavailable, 1);
    // Nothing on disk at all: the group is left alone.
    let mut lib = library();
    for m in &mut lib[..2] {
        for v in &mut m.media {
            v.parts[0].available = Some(false);
        }
    }
    let plan = plan_dedupe(&lib, &settings(DeletePreference::KeepBest, &[]));
    assert!(plan.deletions.is_empty());
    assert!(plan.conflicts[0].contains("no copy is known to be on disk"));
}

#[test]
fn two_listings_of_one_file_are_not_deleted() {
    let mut lib = library();
    // Item 2 lists the very file item 1's best copy uses.
    lib[1].media[0].parts[0].file = "/m/Inception.2160p.REMUX.mkv".into();
    let plan = plan_dedupe(&lib, &settings(DeletePreference::KeepBest, &[]));
    assert_eq!(deleted(&plan), [11, 13]);
}

#[test]
fn items_that_disagree_on_ids_are_left_alone() {
    let mut lib = library();
    lib[0].imdb_id = ImdbId::parse("tt1375666");
    lib[1].imdb_id = ImdbId::parse("tt0000001");
    let plan = plan_dedupe(&lib, &settings(DeletePreference::KeepBest, &[]));
    assert!(plan.deletions.is_empty());
    assert_eq!(plan.conflicts.len(), 1);
    assert!(
        plan.conflicts[0].contains("tt0000001"),
        "{}",
        plan.conflicts[0]
    );
}

#[test]
fn a_deletion_says_what_it_removes_and_what_stays() {
    let plan = plan_dedupe(&library(), &settings(DeletePreference::KeepBest, &[]));
    let d = plan
        .deletions
        .iter()
        .find(|d| d.media_id == MediaId(21))
        .unwrap();
    assert_eq!(d.files, ["/m/Inception.dvdrip.avi"]);
    assert_eq!(d.size, 1_500_000_000);
    assert_eq!(d.rating_key, RatingKey("2".into()));
    assert!(
        d.kept.starts_with("4k Inception.2160p.REMUX.mkv"),
        "{}",
        d.kept
    );
}

/// An optimized version of a movie (as Plex's "Optimize" makes them).
fn optimized(id: u64, size: u64, file: &str) -> MediaVersion {
    let mut v = version(id, "720", 4_000, size, file);
    v.optimized = true;
    v
}

#[test]
fn optimized_versions_are_never_duplicates_kept_or_deleted() {
    // Each item has its original and an optimized copy: no duplicates.
    let lib = vec![
        movie(
            "1",
            Some(27205),
            100,
            vec![
                version(11, "1080", 10_000, 14_000_000_000, "/m/Inception.mkv"),
                optimized(
                    12,
                    2_000_000_000,
                    "/m/Plex Versions/Optimized for TV/Inception.mp4",
                ),
            ],
        ),
        movie(
            "3",
            Some(603),
            50,
            vec![
                // The optimized copy is the larger one and has the higher id.
                version(31, "720", 3_000, 3_000_000_000, "/m/Matrix.mkv"),
                optimized(32, 9_000_000_000, "/m/Plex Versions/Original/Matrix.mkv"),
            ],
        ),
    ];
    for preference in [
        DeletePreference::KeepBest,
        DeletePreference::SmallestFile,
        DeletePreference::LargestFile,
        DeletePreference::Newest,
        DeletePreference::Oldest,
    ] {
        let plan = plan_dedupe(&lib, &settings(preference, &[]));
        assert!(plan.deletions.is_empty(), "{preference:?}: {plan:#?}");
        assert_eq!(plan.groups, 0);
        assert_eq!(plan.optimized, 2);
    }
    // A real duplicate beside an optimized copy: the optimized copy is
    // neither kept in the original's place nor deleted.
    let mut lib = lib;
    lib[0]
        .media
        .push(version(13, "sd", 1_000, 1_000_000_000, "/m/Inception.avi"));
    let plan = plan_dedupe(&lib, &settings(DeletePreference::LargestFile, &[]));
    assert_eq!(deleted(&plan), [11]);
    assert!(
        plan.deletions[0].kept.contains("Inception.avi"),
        "{}",
        plan.deletions[0].kept
    );
    assert!(!plan.deletions[0].whole_item);
}

#[test]
fn editions_are_grouped_apart() {
    let mut cut = movie(
        "2",
        Some(78),
        200,
        vec![version(
            21,
            "1080",
            9_000,
            9_000_000_000,
            "/m/Blade Runner {edition-Final Cut}.mkv",
        )],
    );
    cut.edition = Some("Final Cut".into());
    let mut cut_again = movie(
        "3",
        Some(78),
        300,
        vec![version(
            31,
            "720",
            4_000,
            4_000_000_000,
            "/m/Blade Runner Final Cut 720p.mkv",
        )],
    );
    cut_again.edition = Some("final cut ".into());
    let theatrical = movie(
        "1",
        Some(78),
        100,
        vec![version(
            11,
            "sd",
            1_500,
            1_500_000_000,
            "/m/Blade Runner.avi",
        )],
    );
    let plan = plan_dedupe(
        &[theatrical.clone(), cut.clone()],
        &settings(DeletePreference::KeepBest, &[]),
    );
    // An item without an edition and one with it are different editions.
    assert!(plan.deletions.is_empty(), "{plan:#?}");
    assert_eq!(plan.groups, 0);
    assert_eq!(plan.editions, 1);
    // Two copies of one edition are duplicates (the title's case and
    // spacing do not matter); the theatrical cut is not touched.
    let plan = plan_dedupe(
        &[theatrical, cut, cut_again],
        &settings(DeletePreference::KeepBest, &[]),
    );
    assert_eq!(deleted(&plan), [31]);
    assert_eq!(plan.groups, 1);
    assert!(
        plan.deletions[0].title.contains("[final cut ]"),
        "{}",
        plan.deletions[0].title
    );
    // The item has no other media: the item itself goes.
    assert!(plan.deletions[0].whole_item);
}

prop_compose! {
    fn arb_version(id: u64)(
        res in prop::sample::select(vec!["sd", "480", "720", "1080", "4k", "2160"]),
        bitrate in 500u32..60_000,
        size in 0u64..80_000_000_000,
        tag in prop::sample::select(vec!["", ".REMUX", ".HDR", ".x265"]),
        available in prop::sample::select(vec![Some(true), Some(true), Some(false), None]),
        shared in prop::bool::weighted(0.1),
        is_optimized in prop::bool::weighted(0.25),
    ) -> MediaVersion {
        // Now and then two versions list the same file.
        let file = if shared { "/m/shared.mkv".to_owned() } else { format!("/m/{id}{tag}.mkv") };
        let mut v = version(id, res, bitrate, size, &file);
        v.parts[0].available = available;
        v.optimized = is_optimized;
        v
    }
}

prop_compose! {
    fn arb_movie(index: u64)(
        tmdb in prop::option::of(1u32..6),
        edition in prop::sample::select(vec![None, None, Some("Director's Cut"), Some("director's cut"), Some("Extended")]),
        added in 0i64..1000,
        versions in prop::collection::vec(0u64..1, 1..4)
            .prop_flat_map(move |v| {
                let n = v.len() as u64;
                (0..n).map(|i| arb_version(index * 10 + i)).collect::<Vec<_>>()
            }),
    ) -> Movie {
        let mut m = movie(&index.to_string(), tmdb, added, versions);
        m.edition = edition.map(str::to_owned);
        m
    }
}

fn arb_library() -> impl Strategy<Value = Vec<Movie>> {
    (1usize..12).prop_flat_map(|n| (0..n as u64).map(arb_movie).collect::<Vec<_>>())
}

fn arb_preference() -> impl Strategy<Value = DeletePreference> {
    prop::sample::select(vec![
        DeletePreference::KeepBest,
        DeletePreference::SmallestFile,
        DeletePreference::LargestFile,
        DeletePreference::Newest,
        DeletePreference::Oldest,
    ])
}

proptest! {
    #[test]
    fn never_the_last_copy_never_a_protected_one_only_duplicates(
        lib in arb_library(),
        preference in arb_preference(),
        preserve in prop::collection::vec(prop::sample::select(vec!["1080p", "4K", "remux", "720", "hdr"]), 0..3),
    ) {
        let terms: Vec<&str> = preserve.clone();
        let plan = plan_dedupe(&lib, &settings(preference, &terms));
        // The film's copies, by hand: TMDb id plus edition (case and
        // spacing aside), optimized versions not counted.
        let group_of = |m: &Movie| match m.tmdb_id {
            Some(t) => format!(
                "tmdb:{t}/{}",
                m.edition.as_deref().unwrap_or("").trim().to_lowercase()
            ),
            None => format!("item:{}", m.rating_key),
        };
        let mut copies: BTreeMap<String, usize> = BTreeMap::new();
        for m in &lib {
            *copies.entry(group_of(m)).or_default() += m.media.iter().filter(|v| !v.optimized).count();
        }
        let mut deleted_per_group: BTreeMap<String, usize> = BTreeMap::new();
        for d in &plan.deletions {
            let m = lib.iter().find(|m| m.rating_key == d.rating_key).unwrap();
            let v = m.media.iter().find(|v| v.id == d.media_id).unwrap();
            // Optimized versions are never deleted.
            prop_assert!(!v.optimized, "optimized version {} deleted", v.id);
            // Only grouped duplicates.
            prop_assert!(copies[&group_of(m)] >= 2);
            // Protected copies survive.
            prop_assert!(!is_protected(v, &preserve.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()));
            // The whole item goes only when this is its only media.
            prop_assert_eq!(d.whole_item, m.media.len() == 1);
            *deleted_per_group.entry(group_of(m)).or_default() += 1;
        }
        let optimized_seen = lib.iter().flat_map(|m| &m.media).filter(|v| v.optimized).count();
        prop_assert_eq!(plan.optimized, optimized_seen);
        // Each movie (each edition) keeps at least one copy of its own, not
        // an optimized one, and one that is on disk.
        for (group, n) in deleted_per_group {
            prop_assert!(n < copies[&group], "{group} loses all {n} copies");
            let survivors: Vec<&MediaVersion> = lib
                .iter()
                .filter(|m| group_of(m) == group)
                .flat_map(|m| m.media.iter())
                .filter(|v| !plan.deletions.iter().any(|d| d.media_id == v.id))
                .collect();
            prop_assert!(
                survivors.iter().any(|v| !v.optimized && on_disk(v)),
                "{group} keeps nothing of its own on disk"
            );
            // No deleted file is a file that stays.
            for d in plan.deletions.iter().filter(|d| {
                lib.iter().any(|m| m.rating_key == d.rating_key && group_of(m) == group)
            }) {
                for f in &d.files {
                    prop_assert!(
                        !survivors.iter().any(|v| v.parts.iter().any(|p| &p.file == f)),
                        "{f} is deleted but also kept"
                    );
                }
            }
        }
        // No version is planned twice.
        let mut ids: Vec<_> = plan.deletions.iter().map(|d| (d.rating_key.clone(), d.media_id)).collect();
        let before = ids.len();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(before, ids.len());
    }
}

fn episode(
    rk: &str,
    show: &str,
    numbers: Option<(u32, u32)>,
    guid: &str,
    added: i64,
    media: Vec<MediaVersion>,
) -> Episode {
    Episode {
        rating_key: RatingKey(rk.into()),
        title: format!("Episode {rk}"),
        guid: guid.into(),
        show: plex_client::ShowRef {
            rating_key: RatingKey(show.into()),
            guid: format!("plex://show/{show}"),
            title: format!("Show {show}"),
            tmdb_id: None,
            tvdb_id: None,
        },
        season_key: None,
        season: numbers.map(|n| n.0),
        episode: numbers.map(|n| n.1),
        year: Some(2020),
        added_at: Some(added),
        section: None,
        media,
    }
}

/// An episode's copies are its own versions and those of another item of
/// the same show, season and number; the optimized one is never counted,
/// and a special is planned like any other episode.
#[test]
fn episodes_are_grouped_by_show_season_and_number() {
    let mut optimized = version(4, "720", 2_000, 1_000, "/tv/Plex Versions/a.mp4");
    optimized.optimized = true;
    let episodes = vec![
        episode(
            "10",
            "1",
            Some((1, 1)),
            "plex://episode/a",
            100,
            vec![
                version(1, "1080", 8_000, 3_000, "/tv/a.1080.mkv"),
                version(2, "4k", 30_000, 9_000, "/tv/a.2160.mkv"),
                optimized,
            ],
        ),
        // The same numbers in another show: not a copy.
        episode(
            "20",
            "2",
            Some((1, 1)),
            "plex://episode/b",
            100,
            vec![version(5, "720", 3_000, 1_000, "/tv/b.mkv")],
        ),
        // A second item of show 1's S01E01 with the same guid: a copy.
        episode(
            "11",
            "1",
            Some((1, 1)),
            "plex://episode/a",
            200,
            vec![version(3, "720", 3_000, 1_000, "/tv/a.720.mkv")],
        ),
        // A special with two versions.
        episode(
            "12",
            "1",
            Some((0, 1)),
            "plex://episode/s",
            100,
            vec![
                version(6, "1080", 8_000, 3_000, "/tv/s.1080.mkv"),
                version(7, "480", 1_000, 500, "/tv/s.480.mkv"),
            ],
        ),
    ];
    let plan = plan_dedupe(&episodes, &settings(DeletePreference::KeepBest, &[]));
    assert_eq!(deleted(&plan), [1, 3, 7]);
    assert_eq!(plan.groups, 2);
    assert_eq!(plan.optimized, 1);
    let whole: Vec<bool> = plan.deletions.iter().map(|d| d.whole_item).collect();
    assert_eq!(
        whole.iter().filter(|w| **w).count(),
        1,
        "item 11 goes whole: {plan:#?}"
    );
    assert!(plan.deletions.iter().all(|d| d.tmdb_id.is_none()));
    assert!(
        plan.deletions
            .iter()
            .any(|d| d.title == "Show 1 S01E01 Episode 10"),
        "{plan:#?}"
    );
}

/// Two items of one show's S01E01 that Plex matched to different episodes
/// are not sure to be copies: left alone and reported.
#[test]
fn episodes_with_different_guids_are_left_alone() {
    let episodes = vec![
        episode(
            "10",
            "1",
            Some((1, 1)),
            "plex://episode/a",
            100,
            vec![version(1, "1080", 8_000, 3_000, "/tv/a.mkv")],
        ),
        episode(
            "11",
            "1",
            Some((1, 1)),
            "plex://episode/z",
            100,
            vec![version(2, "720", 3_000, 1_000, "/tv/z.mkv")],
        ),
    ];
    let plan = plan_dedupe(&episodes, &settings(DeletePreference::KeepBest, &[]));
    assert!(plan.deletions.is_empty());
    assert_eq!(plan.conflicts.len(), 1, "{plan:#?}");
    assert!(
        plan.conflicts[0].contains("plex://episode/a"),
        "{}",
        plan.conflicts[0]
    );
}

prop_compose! {
    fn arb_episode(index: u64)(
        show in 1u32..3,
        numbers in prop::option::weighted(0.9, (0u32..2, 1u32..3)),
        guid in prop::sample::select(vec!["same", "same", "same", "other"]),
        added in 0i64..1000,
        versions in prop::collection::vec(0u64..1, 1..4)
            .prop_flat_map(move |v| {
                let n = v.len() as u64;
                (0..n).map(|i| arb_version(index * 10 + i)).collect::<Vec<_>>()
            }),
    ) -> Episode {
        // Items of one episode share its guid, now and then one differs.
        let guid = match numbers {
            Some((s, e)) => format!("plex://episode/{show}-{s}-{e}-{guid}"),
            None => String::new(),
        };
        episode(&index.to_string(), &show.to_string(), numbers, &guid, added, versions)
    }
}

fn arb_episodes() -> impl Strategy<Value = Vec<Episode>> {
    (1usize..14).prop_flat_map(|n| (0..n as u64).map(arb_episode).collect::<Vec<_>>())
}

proptest! {
    /// No episode loses its last copy: whatever the library, the
    /// preference and the protected terms, every episode the plan deletes
    /// from keeps a version of its own (not an optimized one) that is on
    /// disk, optimized versions are never deleted, and a version is never
    /// planned twice.
    #[test]
    fn no_episode_loses_its_last_copy(
        lib in arb_episodes(),
        preference in arb_preference(),
        preserve in prop::collection::vec(prop::sample::select(vec!["1080p", "4K", "remux", "720"]), 0..3),
    ) {
        let plan = plan_dedupe(&lib, &settings(preference, &preserve));
        // The episode an item is, by hand: show, season and number.
        let episode_of = |e: &Episode| match (e.season, e.episode) {
            (Some(s), Some(n)) => format!("{}/{s}/{n}", e.show.rating_key),
            _ => format!("item:{}", e.rating_key),
        };
        let deleted: BTreeSet<(RatingKey, MediaId)> = plan
            .deletions
            .iter()
            .map(|d| (d.rating_key.clone(), d.media_id))
            .collect();
        prop_assert_eq!(deleted.len(), plan.deletions.len());
        for d in &plan.deletions {
            let e = lib.iter().find(|e| e.rating_key == d.rating_key).unwrap();
            let v = e.media.iter().find(|v| v.id == d.media_id).unwrap();
            prop_assert!(!v.optimized, "optimized version {} deleted", v.id);
            let survivors: Vec<&MediaVersion> = lib
                .iter()
                .filter(|o| episode_of(o) == episode_of(e))
                .flat_map(|o| o.media.iter().map(move |v| (o, v)))
                .filter(|(o, v)| !deleted.contains(&(o.rating_key.clone(), v.id)))
                .map(|(_, v)| v)
                .collect();
            prop_assert!(
                survivors.iter().any(|v| !v.optimized && on_disk(v)),
                "{} loses its last copy on disk", episode_of(e)
            );
        }
    }
}
