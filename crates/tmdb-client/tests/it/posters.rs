//! Posters from TMDb's image host: `{secure_base_url}{size}{poster_path}`
//! (TMDb's "Image Basics": `https://image.tmdb.org/t/p/w500/1E5baAaEse26fej7uHcjOgEE2t2.jpg`;
//! `poster_sizes` of `GET /configuration`: w92 .. w780, original), sent
//! without the API credential.

use tmdb_client::{DEFAULT_IMAGE_BASE_URL, Error, PosterSize, TmdbApi, TmdbClient, ops};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{KEY, TOKEN, builder};

#[test]
fn the_default_image_host_is_tmdbs_secure_base_url() {
    assert_eq!(DEFAULT_IMAGE_BASE_URL, "https://image.tmdb.org/t/p");
    let names: Vec<_> = PosterSize::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        ["w92", "w154", "w185", "w342", "w500", "w780", "original"]
    );
}

#[tokio::test]
async fn a_poster_is_fetched_from_the_image_host_without_the_credential() {
    for credential in [KEY, TOKEN] {
        let api = MockServer::start().await;
        let images = MockServer::start().await;
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 9, 9];
        Mock::given(method("GET"))
            .and(path("/t/p/w185/d5NXSklXo0qyIYkgV94XAgMIckC.jpg"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(jpeg.clone(), "image/jpeg"))
            .named("image host")
            .expect(1)
            .mount(&images)
            .await;
        let tmdb: TmdbClient = builder(&api, credential)
            .image_base_url(format!("{}/t/p/", images.uri()))
            .build()
            .unwrap();
        let poster = tmdb
            .poster("/d5NXSklXo0qyIYkgV94XAgMIckC.jpg", PosterSize::W185)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(poster.content_type, "image/jpeg");
        assert_eq!(poster.bytes, jpeg);

        let sent = &images.received_requests().await.unwrap()[0];
        assert_eq!(sent.url.query(), None, "{}", sent.url);
        assert!(sent.headers.get("authorization").is_none());
        assert_eq!(sent.headers.get("accept").unwrap(), "image/*");
        assert!(!format!("{sent:?}").contains(credential));
        assert!(api.received_requests().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_missing_poster_is_none_and_bad_paths_are_not_sent() {
    let images = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/t/p/w92/gone.jpg"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&images)
        .await;
    Mock::given(method("GET"))
        .and(path("/t/p/w92/page.jpg"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>a portal</html>"))
        .expect(1)
        .mount(&images)
        .await;
    let tmdb = builder(&images, KEY)
        .image_base_url(format!("{}/t/p", images.uri()))
        .build()
        .unwrap();
    assert!(
        tmdb.poster("/gone.jpg", PosterSize::W92)
            .await
            .unwrap()
            .is_none()
    );
    let not_image = tmdb.poster("/page.jpg", PosterSize::W92).await.unwrap_err();
    assert_eq!(not_image.op(), Some(ops::POSTER));
    for bad in [
        "",
        "/",
        "gone.jpg",
        "/../x.jpg",
        "/a/b.jpg",
        "/x.jpg?api_key=1",
        "/.hidden",
    ] {
        let error = tmdb.poster(bad, PosterSize::W92).await.unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{bad}: {error}");
        assert!(error.to_string().contains(ops::POSTER), "{error}");
    }
    assert_eq!(images.received_requests().await.unwrap().len(), 2);
}
