use super::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 24);

fn entry(title: &str, points: u32, status: EntryStatus, last: Date) -> PointsEntry {
    PointsEntry {
        title: title.to_owned(),
        year: Some(2000),
        rating_key: (status == EntryStatus::Active).then(|| format!("rk-{title}")),
        points,
        status,
        first_suggested: date!(2026 - 01 - 01),
        last_suggested: last,
    }
}

fn book(entries: &[(u32, PointsEntry)]) -> PointsBook {
    PointsBook {
        applied: Vec::new(),
        movies: entries
            .iter()
            .map(|(id, e)| (TmdbId(*id), e.clone()))
            .collect(),
    }
}

fn in_plex(id: u32, title: &str) -> Suggested {
    Suggested {
        tmdb_id: TmdbId(id),
        title: title.to_owned(),
        year: Some(2000),
        rating_key: Some(format!("rk-{title}")),
    }
}

fn missing(id: u32, title: &str) -> Suggested {
    Suggested {
        rating_key: None,
        ..in_plex(id, title)
    }
}

/// Points (or "pending") per id after the run, for compact expectations.
fn summary(book: &PointsBook) -> Vec<(u32, String)> {
    book.movies
        .iter()
        .map(|(id, e)| {
            let state = match e.status {
                EntryStatus::Active => e.points.to_string(),
                EntryStatus::Pending => "pending".to_owned(),
            };
            (id.0, state)
        })
        .collect()
}

struct Case {
    name: &'static str,
    before: Vec<(u32, PointsEntry)>,
    suggested: Vec<Suggested>,
    library: Vec<(u32, &'static str)>,
    settings: PointsSettings,
    after: Vec<(u32, &'static str)>,
}

#[test]
fn table() {
    let active = |t: &str, p| entry(t, p, EntryStatus::Active, date!(2026 - 11 - 01));
    let pending = |t: &str, last| entry(t, 0, EntryStatus::Pending, last);
    let cases = vec![
        Case {
            name: "a new suggestion in Plex gets max points",
            before: vec![],
            suggested: vec![in_plex(1, "A")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(1, "50")],
        },
        Case {
            name: "entries not suggested decay by one, suggested ones reset to max",
            before: vec![(1, active("A", 10)), (2, active("B", 30))],
            suggested: vec![in_plex(2, "B")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(1, "9"), (2, "50")],
        },
        Case {
            name: "an entry at one point leaves",
            before: vec![(1, active("A", 1)), (2, active("B", 2))],
            suggested: vec![],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(2, "1")],
        },
        Case {
            name: "a missing suggestion becomes pending and does not decay",
            before: vec![(3, pending("C", date!(2026 - 11 - 01)))],
            suggested: vec![missing(4, "D")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(3, "pending"), (4, "pending")],
        },
        Case {
            name: "a pending movie found in Plex later turns active with full points",
            before: vec![(3, pending("C", date!(2026 - 11 - 01)))],
            suggested: vec![],
            library: vec![(3, "rk-C")],
            settings: PointsSettings::default(),
            after: vec![(3, "50")],
        },
        Case {
            name: "a pending movie suggested again while now in Plex is active",
            before: vec![(3, pending("C", date!(2026 - 11 - 01)))],
            suggested: vec![in_plex(3, "C")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(3, "50")],
        },
        Case {
            name: "pending older than pending_days is dropped, younger kept",
            before: vec![
                (5, pending("E", date!(2026 - 08 - 25))),
                (6, pending("F", date!(2026 - 08 - 26))),
            ],
            suggested: vec![],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(6, "pending")],
        },
        Case {
            name: "an old pending movie suggested again is kept waiting",
            before: vec![(5, pending("E", date!(2025 - 01 - 01)))],
            suggested: vec![missing(5, "E")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(5, "pending")],
        },
        Case {
            name: "the same movie listed twice counts once, in-Plex wins",
            before: vec![],
            suggested: vec![missing(7, "G"), in_plex(7, "G"), missing(7, "G")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(7, "50")],
        },
        Case {
            name: "a suggestion Plex lost goes back to pending",
            before: vec![(8, active("H", 20))],
            suggested: vec![missing(8, "H")],
            library: vec![],
            settings: PointsSettings::default(),
            after: vec![(8, "pending")],
        },
        Case {
            name: "additive rule: +1 per suggestion, no decay",
            before: vec![(1, active("A", 3)), (2, active("B", 1))],
            suggested: vec![in_plex(1, "A"), in_plex(9, "I")],
            library: vec![],
            settings: PointsSettings::additive(),
            after: vec![(1, "4"), (2, "1"), (9, "1")],
        },
        Case {
            name: "additive rule respects a cap when set",
            before: vec![(1, active("A", 5))],
            suggested: vec![in_plex(1, "A")],
            library: vec![],
            settings: PointsSettings {
                max_points: 5,
                ..PointsSettings::additive()
            },
            after: vec![(1, "5")],
        },
        Case {
            name: "custom decay and max",
            before: vec![(1, active("A", 5)), (2, active("B", 3))],
            suggested: vec![in_plex(3, "C")],
            library: vec![],
            settings: PointsSettings {
                max_points: 10,
                decay_per_run: 3,
                ..PointsSettings::default()
            },
            after: vec![(1, "2"), (3, "10")],
        },
    ];
    for case in cases {
        let library = case
            .library
            .iter()
            .map(|(id, key)| (TmdbId(*id), (*key).to_owned()))
            .collect();
        let (after, _) = apply_run(
            &book(&case.before),
            &case.suggested,
            &library,
            &case.settings,
            TODAY,
        );
        let expected: Vec<(u32, String)> = case
            .after
            .iter()
            .map(|(id, s)| (*id, (*s).to_owned()))
            .collect();
        assert_eq!(summary(&after), expected, "{}", case.name);
    }
}

#[test]
fn changes_say_what_happened() {
    let before = book(&[
        (1, entry("A", 1, EntryStatus::Active, TODAY)),
        (2, entry("B", 20, EntryStatus::Active, TODAY)),
        (3, entry("C", 0, EntryStatus::Pending, TODAY)),
        (
            4,
            entry("D", 0, EntryStatus::Pending, date!(2026 - 01 - 01)),
        ),
    ]);
    let library = BTreeMap::from([(TmdbId(3), "300".to_owned())]);
    let (_, changes) = apply_run(
        &before,
        &[in_plex(2, "B"), missing(5, "E"), in_plex(6, "F")],
        &library,
        &PointsSettings::default(),
        TODAY,
    );
    assert_eq!(
        changes,
        vec![
            PointsChange::Left {
                tmdb_id: TmdbId(1),
                title: "A".into()
            },
            PointsChange::Boosted {
                tmdb_id: TmdbId(2),
                from: 20,
                to: 50
            },
            PointsChange::Arrived {
                tmdb_id: TmdbId(3),
                title: "C".into(),
                points: 50
            },
            PointsChange::Expired {
                tmdb_id: TmdbId(4),
                title: "D".into()
            },
            PointsChange::Pending {
                tmdb_id: TmdbId(5),
                title: "E".into()
            },
            PointsChange::Added {
                tmdb_id: TmdbId(6),
                title: "F".into(),
                points: 50
            },
        ]
    );
}

#[test]
fn rating_keys_follow_the_library_and_dates_are_kept() {
    let before = book(&[(
        1,
        entry("A", 10, EntryStatus::Active, date!(2026 - 11 - 01)),
    )]);
    let library = BTreeMap::from([(TmdbId(1), "new-key".to_owned())]);
    let (after, _) = apply_run(&before, &[], &library, &PointsSettings::default(), TODAY);
    let a = &after.movies[&TmdbId(1)];
    assert_eq!(a.rating_key.as_deref(), Some("new-key"));
    assert_eq!(a.first_suggested, date!(2026 - 01 - 01));
    assert_eq!(a.last_suggested, date!(2026 - 11 - 01));

    let (after, _) = apply_run(
        &after,
        &[in_plex(1, "A")],
        &library,
        &PointsSettings::default(),
        TODAY,
    );
    assert_eq!(after.movies[&TmdbId(1)].last_suggested, TODAY);
}

#[test]
fn active_lists_highest_points_first() {
    let b = book(&[
        (1, entry("Low", 2, EntryStatus::Active, TODAY)),
        (2, entry("High", 40, EntryStatus::Active, TODAY)),
        (3, entry("Wait", 0, EntryStatus::Pending, TODAY)),
    ]);
    let titles: Vec<_> = b.active().iter().map(|(_, e)| e.title.clone()).collect();
    assert_eq!(titles, ["High", "Low"]);
    assert_eq!(b.pending().count(), 1);
}

#[test]
fn the_rule_sets_say_what_they_do() {
    let standard = PointsSettings::default().describe();
    assert!(
        standard.starts_with("standard: a suggestion sets a movie to 50 points"),
        "{standard}"
    );
    assert!(
        standard.contains("loses 1 per run and leaves at 0"),
        "{standard}"
    );
    let classic = PointsSettings::classic();
    assert_eq!(
        (classic.decay_per_run, classic.on_suggest),
        (0, OnSuggest::Add(1))
    );
    let words = classic.describe();
    assert!(
        words.starts_with("classic: a suggestion adds 1 point(s)"),
        "{words}"
    );
    assert!(words.contains("no movie ever leaves"), "{words}");
    let custom = PointsSettings {
        decay_per_run: 2,
        ..PointsSettings::default()
    };
    assert!(
        custom.describe().starts_with("a suggestion sets"),
        "{}",
        custom.describe()
    );
    // Full points: the cap, or without one the entry's own points.
    assert_eq!(PointsSettings::default().full_points(2), 50);
    assert_eq!(classic.full_points(2), 2);
    assert_eq!(classic.full_points(0), 1);
}

/// The job ids counted in a book stay across runs (and the promotion of
/// arrivals), are recorded once each, and only the last
/// [`PointsBook::KEEP_APPLIED`] are kept; a file without them reads as
/// none and is written without them.
#[test]
fn counted_jobs_are_kept_once_each_and_bounded() {
    let mut b = book(&[(1, entry("A", 3, EntryStatus::Active, TODAY))]);
    assert!(!b.applied_by("j1"));
    b.mark_applied("j1");
    b.mark_applied("j1");
    assert_eq!(b.applied, ["j1"]);
    let settings = PointsSettings::default();
    let (next, _) = apply_run(&b, &[in_plex(1, "A")], &BTreeMap::new(), &settings, TODAY);
    assert!(next.applied_by("j1"));
    let (promoted, _) = promote_arrivals(&next, &BTreeMap::new(), &settings);
    assert!(promoted.applied_by("j1"));
    for n in 0..PointsBook::KEEP_APPLIED + 5 {
        b.mark_applied(&format!("k{n}"));
    }
    assert_eq!(b.applied.len(), PointsBook::KEEP_APPLIED);
    assert!(!b.applied_by("j1"), "the oldest go first");
    assert!(b.applied_by(&format!("k{}", PointsBook::KEEP_APPLIED + 4)));
    let old: PointsBook = serde_json::from_str(r#"{"movies": {}}"#).unwrap();
    assert!(old.applied.is_empty());
    let written = serde_json::to_string(&PointsBook::default()).unwrap();
    assert!(!written.contains("applied"), "{written}");
}
