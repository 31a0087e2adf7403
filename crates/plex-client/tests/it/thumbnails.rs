//! Posters read through the photo transcoder (python-plexapi
//! `PlexServer.transcodeImage` builds `/photo/:/transcode` with `url`,
//! `height`, `width`, `minSize=1` and `upscale=1`; `thumbUrl` reads the
//! item's `thumb` attribute), and collection items with their poster paths.

use plex_client::{Error, PlexApi, RatingKey, ops};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{TOKEN, client};

const THUMB: &str = "/library/metadata/1036/thumb/1712345678";

#[tokio::test]
async fn a_thumbnail_is_asked_of_the_transcoder_with_the_token_in_the_header() {
    let server = MockServer::start().await;
    let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    Mock::given(method("GET"))
        .and(path("/photo/:/transcode"))
        .and(query_param("url", THUMB))
        .and(query_param("width", "240"))
        .and(query_param("height", "360"))
        .and(query_param("minSize", "1"))
        .and(query_param("upscale", "1"))
        .and(header("X-Plex-Token", TOKEN))
        .and(header("Accept", "image/*"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(jpeg.clone(), "image/jpeg"))
        .named("photo transcode")
        .expect(1)
        .mount(&server)
        .await;
    let plex = client(&server);
    let thumb = plex.thumbnail(THUMB, 240, 360).await.unwrap().unwrap();
    assert_eq!(thumb.content_type, "image/jpeg");
    assert_eq!(thumb.bytes, jpeg);
    assert!(!format!("{thumb:?}").contains("255"), "{thumb:?}");

    let requests = server.received_requests().await.unwrap();
    let url = requests[0].url.as_str();
    assert!(!url.contains(TOKEN), "the token travels in the URL: {url}");
    // The poster path travels encoded, as one query value.
    assert!(
        url.contains("url=%2Flibrary%2Fmetadata%2F1036%2Fthumb%2F1712345678"),
        "{url}"
    );
}

#[tokio::test]
async fn a_missing_image_is_none_and_other_failures_name_the_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/photo/:/transcode"))
        .and(query_param("url", "/library/metadata/1/thumb/2"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/photo/:/transcode"))
        .and(query_param("url", "/library/metadata/3/thumb/4"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>a login page</html>"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/photo/:/transcode"))
        .and(query_param("url", "/library/metadata/5/thumb/6"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let plex = client(&server);
    assert!(
        plex.thumbnail("/library/metadata/1/thumb/2", 10, 15)
            .await
            .unwrap()
            .is_none()
    );
    let not_image = plex
        .thumbnail("/library/metadata/3/thumb/4", 10, 15)
        .await
        .unwrap_err();
    assert!(
        matches!(not_image, Error::UnexpectedResponse { .. }),
        "{not_image}"
    );
    assert_eq!(not_image.op(), Some(ops::THUMBNAIL));
    let failed = plex
        .thumbnail("/library/metadata/5/thumb/6", 10, 15)
        .await
        .unwrap_err();
    assert_eq!(failed.op(), Some(ops::THUMBNAIL));
    assert_eq!(failed.status(), Some(500));
    assert!(!failed.to_string().contains(&server.uri()), "{failed}");
}

#[tokio::test]
async fn only_paths_on_the_server_are_asked_for() {
    let server = MockServer::start().await;
    let plex = client(&server);
    for thumb in [
        "https://elsewhere.example/poster.jpg",
        "//elsewhere.example/poster.jpg",
        "library/metadata/1/thumb/2",
        "/library/metadata/1/thumb/2 x",
        "/library/metadata/1/thumb/2\n",
    ] {
        let error = plex.thumbnail(thumb, 10, 15).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidInput { .. }),
            "{thumb}: {error}"
        );
        assert_eq!(error.op(), Some(ops::THUMBNAIL));
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn collection_items_carry_their_poster_paths_in_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/library/collections/77/children"))
        .and(header("X-Plex-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "MediaContainer": {"size": 2, "totalSize": 2, "Metadata": [
                {"ratingKey": "12", "type": "movie", "title": "Zodiac", "year": 2007,
                 "thumb": "/library/metadata/12/thumb/1700000001"},
                {"ratingKey": "4", "type": "show", "title": "Dark", "year": "2017",
                 "thumb": "/library/metadata/4/thumb/1700000002"},
                {"ratingKey": "9", "type": "movie", "title": "No Poster"}
            ]}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let items = client(&server)
        .collection_items(&RatingKey::from("77"))
        .await
        .unwrap();
    let seen: Vec<_> = items
        .iter()
        .map(|i| {
            (
                i.rating_key.as_str(),
                i.title.as_str(),
                i.year,
                i.thumb.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "12",
                "Zodiac",
                Some(2007),
                Some("/library/metadata/12/thumb/1700000001")
            ),
            (
                "4",
                "Dark",
                Some(2017),
                Some("/library/metadata/4/thumb/1700000002")
            ),
            ("9", "No Poster", None, None),
        ]
    );
}
