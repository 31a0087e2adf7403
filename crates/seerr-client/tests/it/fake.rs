//! The real client against the fake Seerr, in each of its profiles: the
//! fake keeps requests and answers repeats as Overseerr and Jellyseerr do.

use seerr_client::fake::{FakeSeerr, Fault, SeerrFlavor, SeerrSeed};
use seerr_client::{
    Error, MediaKind, MediaStatus, NewRequest, Permissions, RequestOutcome, RequestStatus, Seasons,
    SeerrApi, SeerrClient, TmdbId, op,
};

const INCEPTION: TmdbId = TmdbId(27205);
const BREAKING_BAD: TmdbId = TmdbId(1396);

async fn start(seed: SeerrSeed) -> (FakeSeerr, SeerrClient) {
    let fake = FakeSeerr::start(seed).await;
    let client = fake.client_builder().build().unwrap();
    (fake, client)
}

fn seasons(outcome: &RequestOutcome) -> Vec<u32> {
    match outcome {
        RequestOutcome::Created(created) => {
            created.seasons.iter().map(|s| s.season_number).collect()
        }
        other => panic!("expected a created request, got {other:?}"),
    }
}

#[tokio::test]
async fn a_movie_requested_twice_is_kept_once_in_every_profile() {
    // MediaRequest.request: a movie with a request that was not declined
    // -> DuplicateMediaRequestError -> 409.
    for flavor in SeerrFlavor::ALL {
        let (fake, seerr) = start(SeerrSeed::new().flavor(flavor)).await;

        let first = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();
        let second = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();

        assert!(first.was_created(), "{flavor:?}");
        assert_eq!(
            second,
            RequestOutcome::AlreadyRequested("Request for this media already exists.".into()),
            "{flavor:?}"
        );
        assert_eq!(fake.requested(MediaKind::Movie), [INCEPTION]);
        assert_eq!(fake.stats().count(op::REQUEST), 2);
        assert_eq!(
            fake.media_status(MediaKind::Movie, INCEPTION),
            Some(MediaStatus::Pending)
        );
        assert_eq!(fake.requests()[0].body["mediaType"], "movie");
        assert_eq!(
            seerr.status().await.unwrap().version,
            flavor.version_string()
        );
    }
}

#[tokio::test]
async fn all_seasons_include_the_specials_on_overseerr_only() {
    // Overseerr maps "all" to TMDb's seasons; Jellyseerr drops season 0
    // unless enableSpecialEpisodes is on.
    for (flavor, expected) in [
        (SeerrFlavor::Overseerr, vec![0, 1, 2, 3, 4, 5]),
        (SeerrFlavor::Jellyseerr, vec![1, 2, 3, 4, 5]),
    ] {
        let (fake, seerr) = start(
            SeerrSeed::new()
                .flavor(flavor)
                .show(BREAKING_BAD, &[0, 1, 2, 3, 4, 5]),
        )
        .await;

        let first = seerr
            .request(&NewRequest::show(BREAKING_BAD))
            .await
            .unwrap();
        let again = seerr
            .request(&NewRequest::show(BREAKING_BAD))
            .await
            .unwrap();

        assert_eq!(seasons(&first), expected, "{flavor:?}");
        assert_eq!(
            again,
            RequestOutcome::NothingToRequest("No seasons available to request".into())
        );
        assert_eq!(fake.requests().len(), 1);
        assert_eq!(fake.requests()[0].body["seasons"], "all");
    }
}

#[tokio::test]
async fn a_later_show_request_is_cut_to_the_seasons_nobody_requested() {
    let (fake, seerr) = start(SeerrSeed::new().show(BREAKING_BAD, &[1, 2, 3])).await;

    let first = seerr
        .request(&NewRequest::show(BREAKING_BAD).with_seasons(Seasons::Numbers(vec![1])))
        .await
        .unwrap();
    let rest = seerr
        .request(&NewRequest::show(BREAKING_BAD))
        .await
        .unwrap();

    assert_eq!(seasons(&first), [1]);
    assert_eq!(seasons(&rest), [2, 3]);
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn available_titles_answer_as_the_real_server_does() {
    // A show whose seasons are all available: 202. A movie that is
    // available but was never requested: MediaRequest.request checks only
    // earlier requests, so it creates one.
    let (fake, seerr) = start(
        SeerrSeed::new()
            .show(BREAKING_BAD, &[1, 2])
            .available(MediaKind::Show, BREAKING_BAD)
            .available(MediaKind::Movie, INCEPTION),
    )
    .await;

    let show = seerr
        .request(&NewRequest::show(BREAKING_BAD))
        .await
        .unwrap();
    let movie = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();

    assert!(matches!(show, RequestOutcome::NothingToRequest(_)));
    assert!(movie.was_created());
    assert_eq!(fake.requested(MediaKind::Movie), [INCEPTION]);
    assert_eq!(
        fake.media_status(MediaKind::Movie, INCEPTION),
        Some(MediaStatus::Available)
    );
}

#[tokio::test]
async fn a_declined_movie_may_be_requested_again() {
    let (fake, seerr) = start(SeerrSeed::new()).await;
    let RequestOutcome::Created(first) =
        seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap()
    else {
        panic!("expected a created request");
    };

    assert!(fake.decline(first.id));
    let again = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();

    assert!(again.was_created());
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn a_user_without_auto_approve_gets_pending_requests_and_no_shows() {
    let (fake, seerr) = start(SeerrSeed::new().permissions(Permissions::REQUEST_MOVIE)).await;

    let movie = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();
    let show = seerr
        .request(&NewRequest::show(BREAKING_BAD))
        .await
        .unwrap_err();

    let RequestOutcome::Created(movie) = movie else {
        panic!("expected a created request");
    };
    assert_eq!(movie.status, RequestStatus::Pending);
    assert!(
        matches!(&show, Error::Forbidden { message, .. } if message == "You do not have permission to make series requests."),
        "{show:?}"
    );
    assert_eq!(fake.requests().len(), 1);
    let me = seerr.me().await.unwrap();
    assert!(!me.permissions.may_request(MediaKind::Show));
}

#[tokio::test]
async fn a_used_up_quota_refuses_the_next_request() {
    let (fake, seerr) = start(SeerrSeed::new().quota(MediaKind::Movie, 1)).await;

    seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();
    let error = seerr
        .request(&NewRequest::movie(TmdbId(603)))
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::QuotaExceeded { message, .. } if message == "Movie Quota exceeded.")
    );
    assert_eq!(fake.requested(MediaKind::Movie), [INCEPTION]);
}

#[tokio::test]
async fn jellyseerr_refuses_a_blacklisted_title_and_overseerr_has_no_blacklist() {
    for (flavor, refused) in [
        (SeerrFlavor::Jellyseerr, true),
        (SeerrFlavor::Overseerr, false),
    ] {
        let (fake, seerr) = start(
            SeerrSeed::new()
                .flavor(flavor)
                .blacklisted(MediaKind::Movie, INCEPTION),
        )
        .await;

        let result = seerr.request(&NewRequest::movie(INCEPTION)).await;

        match result {
            Err(Error::Forbidden { message, .. }) => {
                assert!(refused, "{flavor:?}");
                assert_eq!(message, "This media is blacklisted.");
            }
            Ok(outcome) => assert!(!refused && outcome.was_created(), "{flavor:?}"),
            Err(other) => panic!("{flavor:?}: {other:?}"),
        }
        assert_eq!(fake.requests().len(), usize::from(!refused));
    }
}

#[tokio::test]
async fn unknown_ids_and_shows_without_seasons_fail_with_the_servers_500() {
    let (fake, seerr) = start(SeerrSeed::new().unknown(MediaKind::Movie, TmdbId(999_999))).await;
    let mut without_seasons = NewRequest::show(BREAKING_BAD);
    without_seasons.seasons = None;

    let unknown = seerr
        .request(&NewRequest::movie(TmdbId(999_999)))
        .await
        .unwrap_err();
    let seasonless = seerr.request(&without_seasons).await.unwrap_err();

    assert!(
        matches!(&unknown, Error::Api { status: 500, message, .. } if message.starts_with("[TMDB] Failed to fetch movie details"))
    );
    assert_eq!(seasonless.status(), Some(500));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_wrong_key_is_refused_but_the_status_stays_public() {
    let fake = FakeSeerr::start(SeerrSeed::new()).await;
    let seerr = SeerrClient::builder(fake.uri(), "not-the-key")
        .build()
        .unwrap();

    let status = seerr.status().await;
    let me = seerr.me().await.unwrap_err();
    let request = seerr
        .request(&NewRequest::movie(INCEPTION))
        .await
        .unwrap_err();

    assert!(status.is_ok());
    assert!(me.is_unauthorized() && request.is_unauthorized());
    assert_eq!(me.status(), Some(403));
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn an_injected_503_creates_nothing_and_is_not_retried() {
    let (fake, seerr) = start(SeerrSeed::new()).await;
    fake.faults().inject(op::REQUEST, Fault::Status(503), 1);

    let error = seerr
        .request(&NewRequest::movie(INCEPTION))
        .await
        .unwrap_err();
    let next = seerr.request(&NewRequest::movie(INCEPTION)).await.unwrap();

    assert_eq!(error.status(), Some(503));
    assert!(next.was_created());
    assert_eq!(fake.stats().count(op::REQUEST), 2);
    assert_eq!(fake.requests().len(), 1);
}
