//! Hub management (the rows of Home and the Recommended tab) and artwork
//! uploads: the wire format against wiremock, and the fake's rules.
//!
//! Paths and parameters: python-plexapi `plexapi/library.py`
//! (`LibrarySection.managedHubs`, `ManagedHub.move`, `.remove`,
//! `.updateVisibility`), `plexapi/collection.py` (`Collection.visibility`,
//! identifier `custom.collection.{section}.{ratingKey}`), Kometa
//! `modules/plex.py` (`collection_visibility_update`,
//! `sort_collection_hubs`), and `plex-api-spec.yaml`
//! (`/hubs/sections/{sectionId}/manage`).

use plex_client::{Error, HubVisibility, Image, ImageSlot, PlexApi, RatingKey, SectionKey, ops};
use serde_json::json;
use wiremock::matchers::{body_bytes, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{TOKEN, client};

const SHOWN: HubVisibility = HubVisibility {
    recommended: true,
    own_home: true,
    shared_home: false,
};

#[tokio::test]
async fn managed_hubs_are_read_in_order_with_their_flags() {
    let server = MockServer::start().await;
    // Booleans as JSON booleans and as 0/1 strings; `deletable` absent on
    // the collection hub (python-plexapi reads it as true then).
    Mock::given(method("GET"))
        .and(path("/hubs/sections/1/manage"))
        .and(header("X-Plex-Token", TOKEN))
        .and(header("Accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "MediaContainer": {"size": 2, "Hub": [
                {"identifier": "movie.recentlyadded", "title": "Recently Added Movies",
                 "recommendationsVisibility": "all", "homeVisibility": "all",
                 "promotedToRecommended": true, "promotedToOwnHome": true,
                 "promotedToSharedHome": true, "deletable": false},
                {"identifier": "custom.collection.1.5012", "title": "Change of Taste",
                 "promotedToRecommended": "1", "promotedToOwnHome": "0",
                 "promotedToSharedHome": 0}
            ]}
        })))
        .expect(1)
        .named("managed hubs")
        .mount(&server)
        .await;
    let hubs = client(&server)
        .managed_hubs(&SectionKey::from("1"))
        .await
        .unwrap();
    assert_eq!(hubs.len(), 2);
    assert!(hubs[0].is_built_in() && !hubs[0].deletable);
    assert_eq!(hubs[0].collection(), None);
    assert_eq!(hubs[1].collection(), Some(RatingKey::from("5012")));
    assert!(hubs[1].deletable);
    assert_eq!(
        hubs[1].visibility,
        HubVisibility {
            recommended: true,
            own_home: false,
            shared_home: false
        }
    );
}

#[tokio::test]
async fn hub_writes_send_the_paths_and_flags_real_clients_send() {
    let server = MockServer::start().await;
    // Kometa `collection_visibility_update`: POST with metadataItemId and
    // the three flags as 1/0.
    Mock::given(method("POST"))
        .and(path("/hubs/sections/1/manage"))
        .and(query_param("metadataItemId", "5012"))
        .and(query_param("promotedToRecommended", "1"))
        .and(query_param("promotedToOwnHome", "1"))
        .and(query_param("promotedToSharedHome", "0"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("promote")
        .mount(&server)
        .await;
    // python-plexapi `ManagedHub.updateVisibility` on a promoted hub: PUT.
    Mock::given(method("PUT"))
        .and(path("/hubs/sections/1/manage/custom.collection.1.5012"))
        .and(query_param("promotedToRecommended", "0"))
        .and(query_param("promotedToOwnHome", "1"))
        .and(query_param("promotedToSharedHome", "1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("update")
        .mount(&server)
        .await;
    // python-plexapi `ManagedHub.move`: `after` names the hub before it.
    Mock::given(method("PUT"))
        .and(path(
            "/hubs/sections/1/manage/custom.collection.1.5012/move",
        ))
        .and(query_param("after", "custom.collection.1.5011"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("move after")
        .mount(&server)
        .await;
    // ... and without it the hub goes first.
    Mock::given(method("PUT"))
        .and(path(
            "/hubs/sections/1/manage/custom.collection.1.5011/move",
        ))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("move first")
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/hubs/sections/1/manage/custom.collection.1.5012"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("remove")
        .mount(&server)
        .await;
    let plex = client(&server);
    let section = SectionKey::from("1");
    plex.promote_collection_hub(&section, &RatingKey::from("5012"), SHOWN)
        .await
        .unwrap();
    let everywhere_but_recommended = HubVisibility {
        recommended: false,
        own_home: true,
        shared_home: true,
    };
    plex.update_hub(
        &section,
        "custom.collection.1.5012",
        everywhere_but_recommended,
    )
    .await
    .unwrap();
    plex.move_hub(
        &section,
        "custom.collection.1.5012",
        Some("custom.collection.1.5011"),
    )
    .await
    .unwrap();
    plex.move_hub(&section, "custom.collection.1.5011", None)
        .await
        .unwrap();
    plex.remove_hub(&section, "custom.collection.1.5012")
        .await
        .unwrap();
}

/// Without a Plex Pass the server refuses hub management. Whether it
/// answers 401 or 403 is unconfirmed: both read as "needs Plex Pass", are
/// sent once (no retry), and never mark Plex down for the run.
#[tokio::test]
async fn a_refusal_of_hub_management_means_plex_pass_and_leaves_plex_usable() {
    for status in [401u16, 403] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/hubs/sections/1/manage"))
            .respond_with(ResponseTemplate::new(status).set_body_string("<html>no</html>"))
            .expect(1)
            .named("refused hub list")
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/hubs/sections/1/manage"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .named("refused promote")
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/library/sections"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"MediaContainer": {"size": 0}})),
            )
            .expect(1)
            .named("sections afterwards")
            .mount(&server)
            .await;
        let breaker = curator_http::Breaker::new();
        let plex = super::builder(&server)
            .breaker(breaker.clone())
            .build()
            .unwrap();
        let section = SectionKey::from("1");
        let err = plex.managed_hubs(&section).await.unwrap_err();
        assert!(err.needs_plex_pass(), "{status}: {err}");
        assert_eq!(err.status(), Some(status));
        assert!(err.to_string().contains("Plex Pass"), "{err}");
        assert_eq!(err.op(), Some(ops::MANAGED_HUBS));
        let err = plex
            .promote_collection_hub(&section, &RatingKey::from("7"), SHOWN)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::PlexPassRequired {
                    op: ops::PROMOTE_HUB,
                    ..
                }
            ),
            "{err}"
        );
        assert!(breaker.down().is_none(), "{status} marked Plex down");
        assert!(plex.sections().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn images_go_as_bytes_or_as_a_url_to_posters_and_arts() {
    let server = MockServer::start().await;
    let png = b"\x89PNG\r\n\x1a\n tiny".to_vec();
    Mock::given(method("POST"))
        .and(path("/library/metadata/5012/arts"))
        .and(header("Content-Type", "image/png"))
        .and(body_bytes(png.clone()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("art bytes")
        .mount(&server)
        .await;
    // python-plexapi `uploadPoster(url=..)`: the server fetches the URL.
    Mock::given(method("POST"))
        .and(path("/library/metadata/5012/posters"))
        .and(query_param("url", "https://img.example/p.jpg?w=1&h=2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .named("poster url")
        .mount(&server)
        .await;
    let plex = client(&server);
    let key = RatingKey::from("5012");
    plex.upload_image(&key, ImageSlot::Background, &Image::Bytes(png))
        .await
        .unwrap();
    plex.upload_image(
        &key,
        ImageSlot::Poster,
        &Image::Url("https://img.example/p.jpg?w=1&h=2".into()),
    )
    .await
    .unwrap();
}
