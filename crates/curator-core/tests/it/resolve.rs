//! Title resolution against the fake TMDb, which matches `year` on any
//! release date and `primary_release_year` on the first, as TMDb does.

use curator_core::resolve_title;
use curator_http::TmdbId;
use tmdb_client::fake::{FakeMovie, FakeTmdb};
use tmdb_client::ops;

async fn tmdb() -> FakeTmdb {
    FakeTmdb::start(vec![
        // A same-title pair: the older one is more popular and was
        // re-released the year after the newer one came out.
        FakeMovie::new(593, "Solaris", 1972)
            .released("1972-03-20")
            .rereleased("2003-02-07")
            .popularity(30.0),
        FakeMovie::new(2103, "Solaris", 2002)
            .released("2002-11-27")
            .popularity(12.0),
        FakeMovie::new(
            935,
            "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
            1964,
        )
        .popularity(20.0),
        FakeMovie::new(
            194_662,
            "Birdman or (The Unexpected Virtue of Ignorance)",
            2014,
        )
        .popularity(25.0),
        FakeMovie::new(438_631, "Dune", 2021).popularity(90.0),
        FakeMovie::new(841, "Dune", 1984).popularity(20.0),
    ])
    .await
}

#[tokio::test]
async fn a_same_title_pair_resolves_by_first_release_year_in_one_request() {
    let fake = tmdb().await;
    let client = fake.client();
    for (title, year, id) in [
        ("Solaris", 2002, 2103),
        ("Solaris", 1972, 593),
        ("Dune", 2021, 438_631),
        ("Dune", 1984, 841),
    ] {
        fake.stats().reset();
        let found = resolve_title(&client, title, Some(year)).await.unwrap();
        assert_eq!(found.id, TmdbId(id), "{title} ({year})");
        assert_eq!(
            fake.stats().count(ops::SEARCH_MOVIES),
            1,
            "{title} ({year})"
        );
    }
    // With the right year: exactly one request.
    fake.stats().reset();
    let found = resolve_title(&client, "Solaris", Some(2002)).await.unwrap();
    assert_eq!(found.id, TmdbId(2103));
    assert_eq!(fake.stats().count(ops::SEARCH_MOVIES), 1);
}

/// A year one off (the US release rather than the premiere) still finds the
/// film, and never a namesake decades away that shares a release date.
#[tokio::test]
async fn a_year_one_off_finds_the_film_not_a_namesakes_rerelease() {
    let fake = tmdb().await;
    let client = fake.client();
    // 2003: Solaris (1972) has a release that year, Solaris (2002) is the
    // film within a year.
    let found = resolve_title(&client, "Solaris", Some(2003)).await.unwrap();
    assert_eq!(found.id, TmdbId(2103));
    // Ten years off matches nothing.
    assert!(resolve_title(&client, "Solaris", Some(1982)).await.is_err());
}

#[tokio::test]
async fn alternate_titles_match_on_a_word_prefix_when_the_year_agrees() {
    let fake = tmdb().await;
    let client = fake.client();
    let found = resolve_title(&client, "Dr. Strangelove", Some(1964))
        .await
        .unwrap();
    assert_eq!(found.id, TmdbId(935));
    let found = resolve_title(&client, "Birdman", Some(2014)).await.unwrap();
    assert_eq!(found.id, TmdbId(194_662));
    // Without the year's word, a prefix is not enough.
    assert!(resolve_title(&client, "Birdman", None).await.is_err());
    assert!(
        resolve_title(&client, "Dr. Strangelove", Some(1990))
            .await
            .is_err()
    );
}
