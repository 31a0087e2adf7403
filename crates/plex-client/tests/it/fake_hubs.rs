//! The fake's "Manage Recommendations" lists, driven through the client:
//! the rules python-plexapi's tests pin against a real server
//! (`tests/test_library.py` `test_library_MovieSection_managedHubs`,
//! `tests/test_collection.py` `test_Collection_visibility`).
#![cfg(feature = "fake")]

use plex_client::fake::{FakeCollection, FakeMovie, FakePlex, PlexSeed};
use plex_client::{
    HubVisibility, Image, ImageSlot, PlexApi, RatingKey, SectionKey, SectionKind,
    collection_hub_identifier, ops,
};

const PINNED: HubVisibility = HubVisibility {
    recommended: true,
    own_home: true,
    shared_home: false,
};

fn films() -> SectionKey {
    SectionKey::from("1")
}

async fn fake() -> FakePlex {
    FakePlex::start(
        PlexSeed::new()
            .movie_section("1", "Films")
            .section("2", "Series", SectionKind::Show)
            .movie("1", FakeMovie::new("Heat", 1995).tmdb(949))
            .movie("1", FakeMovie::new("Alien", 1979).tmdb(348))
            .collection("1", FakeCollection::new("Tonight").items_by_title(["Heat"]))
            .collection("1", FakeCollection::new("Later").items_by_title(["Alien"])),
    )
    .await
}

fn ids(hubs: &[plex_client::ManagedHub]) -> Vec<&str> {
    hubs.iter().map(|h| h.identifier.as_str()).collect()
}

#[tokio::test]
async fn collections_become_hubs_after_the_built_in_ones_and_keep_their_place() {
    let fake = fake().await;
    let plex = fake.client().unwrap();
    let built_in = plex.managed_hubs(&films()).await.unwrap();
    assert!(!built_in.is_empty());
    assert!(built_in.iter().all(|h| h.is_built_in() && !h.deletable));
    assert!(ids(&built_in).contains(&"movie.recentlyadded"));
    // A TV section has its own.
    let tv = plex.managed_hubs(&SectionKey::from("2")).await.unwrap();
    assert!(ids(&tv).contains(&"tv.recentlyadded"), "{:?}", ids(&tv));

    let tonight = fake.collection_key("Tonight").unwrap();
    let later = fake.collection_key("Later").unwrap();
    plex.promote_collection_hub(&films(), &tonight, PINNED)
        .await
        .unwrap();
    plex.promote_collection_hub(&films(), &later, PINNED)
        .await
        .unwrap();
    let hubs = plex.managed_hubs(&films()).await.unwrap();
    let tonight_id = collection_hub_identifier(&films(), &tonight);
    let later_id = collection_hub_identifier(&films(), &later);
    assert_eq!(ids(&hubs)[..built_in.len()], ids(&built_in)[..]);
    assert_eq!(
        ids(&hubs)[built_in.len()..],
        [tonight_id.as_str(), later_id.as_str()]
    );
    assert_eq!(hubs[built_in.len()].title, "Tonight");
    assert_eq!(hubs[built_in.len()].visibility, PINNED);
    assert!(hubs[built_in.len()].deletable);

    // Promoting again changes the flags, not the place.
    let everywhere = HubVisibility {
        shared_home: true,
        ..PINNED
    };
    plex.promote_collection_hub(&films(), &tonight, everywhere)
        .await
        .unwrap();
    let hubs = fake.hubs(&films());
    assert_eq!(ids(&hubs)[built_in.len()], tonight_id);
    assert_eq!(hubs[built_in.len()].visibility, everywhere);

    // Moves: first without `after`, then after a named hub.
    plex.move_hub(&films(), &later_id, None).await.unwrap();
    assert_eq!(ids(&fake.hubs(&films()))[0], later_id);
    plex.move_hub(&films(), &tonight_id, Some(&later_id))
        .await
        .unwrap();
    assert_eq!(
        ids(&fake.hubs(&films()))[..2],
        [later_id.as_str(), tonight_id.as_str()]
    );
    assert_eq!(fake.stats().count(ops::MOVE_HUB), 2);

    // A hidden collection hub stays listed; PUT changes only what it names.
    plex.update_hub(&films(), &tonight_id, HubVisibility::default())
        .await
        .unwrap();
    let hub = fake
        .hubs(&films())
        .into_iter()
        .find(|h| h.identifier == tonight_id)
        .unwrap();
    assert!(hub.visibility.is_hidden());
}

#[tokio::test]
async fn only_collection_hubs_can_be_removed_and_deleting_a_collection_removes_its_hub() {
    let fake = fake().await;
    let plex = fake.client().unwrap();
    let tonight = fake.collection_key("Tonight").unwrap();
    let later = fake.collection_key("Later").unwrap();
    plex.promote_collection_hub(&films(), &tonight, PINNED)
        .await
        .unwrap();
    plex.promote_collection_hub(&films(), &later, PINNED)
        .await
        .unwrap();

    let err = plex
        .remove_hub(&films(), "movie.recentlyadded")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let id = collection_hub_identifier(&films(), &tonight);
    plex.remove_hub(&films(), &id).await.unwrap();
    let err = plex.remove_hub(&films(), &id).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(!ids(&fake.hubs(&films())).contains(&id.as_str()));
    assert!(fake.collection(&tonight).is_some(), "the collection stays");

    plex.delete_collection(&later).await.unwrap();
    assert!(fake.hubs(&films()).iter().all(|h| h.collection().is_none()));

    // Only a collection of this section can become a hub.
    let heat = fake.movie_key("Heat").unwrap();
    let err = plex
        .promote_collection_hub(&films(), &heat, PINNED)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let err = plex
        .promote_collection_hub(&films(), &RatingKey::from("999999"), PINNED)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn without_plex_pass_every_hub_request_is_refused_and_the_rest_works() {
    for status in [401, 403] {
        let fake = fake().await;
        fake.set_hub_refusal(Some(status));
        let plex = fake.client().unwrap();
        let tonight = fake.collection_key("Tonight").unwrap();
        let err = plex.managed_hubs(&films()).await.unwrap_err();
        assert!(err.needs_plex_pass(), "{err}");
        let err = plex
            .promote_collection_hub(&films(), &tonight, PINNED)
            .await
            .unwrap_err();
        assert!(err.needs_plex_pass(), "{err}");
        assert!(
            fake.hubs(&films())
                .iter()
                .all(plex_client::ManagedHub::is_built_in)
        );
        // Sent once each, and the library still answers.
        assert_eq!(fake.stats().count(ops::MANAGED_HUBS), 1);
        assert_eq!(fake.stats().count(ops::PROMOTE_HUB), 1);
        assert_eq!(plex.collections(&films()).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn uploaded_posters_and_backgrounds_are_kept_per_collection() {
    let fake = fake().await;
    let plex = fake.client().unwrap();
    let tonight = fake.collection_key("Tonight").unwrap();
    let png = b"\x89PNG\r\n\x1a\n poster".to_vec();
    plex.upload_image(&tonight, ImageSlot::Poster, &Image::Bytes(png.clone()))
        .await
        .unwrap();
    let url = Image::Url("https://img.example/bg.jpg".into());
    plex.upload_image(&tonight, ImageSlot::Background, &url)
        .await
        .unwrap();
    assert_eq!(fake.poster(&tonight), Some(png));
    assert_eq!(fake.image(&tonight, ImageSlot::Background), Some(url));
    assert_eq!(fake.stats().count(ops::UPLOAD_POSTER), 1);
    assert_eq!(fake.stats().count(ops::UPLOAD_ART), 1);
}
