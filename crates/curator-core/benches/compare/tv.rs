//! A show run (an episode watched) against the fake servers, beside the
//! movie runs above: the same pipeline with the other kind. The replaced
//! tool's TV pipeline is not replayed (it did only the long-lived TV
//! collection), so this scenario has one side.

use std::sync::Arc;

use curator_core::{
    DataDir, Quiet, RunContext, RunRequest, Seed, Services, Settings, SonarrSettings, TvSettings,
    run,
};
use curator_http::TvdbId;
use llm_recs::fake::{FakeLlm, FakeLlmSeed};
use llm_recs::{Suggestion, SuggestionKind};
use plex_client::fake::{FakePlex, PlexSeed};
use sonarr_client::fake::{FakeSonarr, SeedSeries, SonarrSeed};
use time::macros::date;
use tmdb_client::fake::{FakeTmdb, sample_catalog, sample_tv_catalog};

/// Requests per service of one show run, in service order.
pub(crate) struct ShowRun {
    pub(crate) suggested: usize,
    pub(crate) requests: Vec<(&'static str, u64)>,
}

/// An episode of Severance watched: three TV collections, missing shows to
/// Sonarr, the TV points book.
pub(crate) async fn show_run() -> ShowRun {
    let plex = FakePlex::start(
        PlexSeed::new()
            .show_section("2", "TV Shows")
            .sample_shows("2"),
    )
    .await;
    let tmdb = FakeTmdb::start_with(sample_catalog(), sample_tv_catalog()).await;
    let sonarr = FakeSonarr::start(
        SonarrSeed::new()
            .root_folder("/tv")
            .quality_profile(1, "Any")
            .series(
                SeedSeries::new(TvdbId(79126), "The Wire", 2002)
                    .tmdb(1438)
                    .seasons(&[13, 12]),
            )
            .catalogue(
                SeedSeries::new(TvdbId(334824), "Dark", 2017)
                    .tmdb(70523)
                    .seasons(&[10, 8, 8]),
            )
            .catalogue(
                SeedSeries::new(TvdbId(383203), "Ted Lasso", 2020)
                    .tmdb(97546)
                    .seasons(&[10, 12, 12]),
            ),
    )
    .await;
    let llm = FakeLlm::start(FakeLlmSeed::new()).await;
    let s = |t: &str, y| Suggestion::new(t, Some(y));
    let similar = vec![
        s("Breaking Bad", 2008),
        s("Shōgun", 2024),
        s("Dark", 2017),
        s("The Wire", 2002),
        s("Battlestar Galactica", 2004),
        s("Mr. Robot", 2015),
        s("Black Mirror", 2011),
        s("Chernobyl", 2019),
    ];
    let contrast = vec![
        s("The Office", 2005),
        s("Ted Lasso", 2020),
        s("Fleabag", 2016),
    ];
    let suggested = similar.len() + contrast.len();
    llm.script_shows("Severance", SuggestionKind::Similar, similar);
    llm.script_shows("Severance", SuggestionKind::Contrast, contrast);

    let tmdb_client = Arc::new(tmdb.client());
    let services = Services {
        plex: Some(Arc::new(plex.client().expect("plex"))),
        radarr: None,
        tmdb: Some(tmdb_client.clone()),
        llm: Some(Arc::new(llm.client_builder("bench").build().expect("llm"))),
        sonarr: Some(Arc::new(sonarr.client_builder().build().expect("sonarr"))),
        tmdb_tv: Some(tmdb_client),
        seerr: None,
    };
    let mut settings = Settings {
        tv: Some(TvSettings {
            sonarr: Some(SonarrSettings {
                auto_download: true,
                ..SonarrSettings::new("/tv", sonarr_client::QualityProfileId(1))
            }),
            ..TvSettings::default()
        }),
        ..Settings::default()
    };
    settings.refresh.seed = Some(7);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = RunContext::new(
        services,
        settings,
        DataDir::new(dir.path()),
        date!(2026 - 12 - 01),
    );
    let request = RunRequest {
        seed: Some(Seed {
            year: Some(2022),
            ..Seed::show("Severance")
        }),
        only: None,
    };
    run(&mut ctx, &request, &Quiet).await.expect("show run");
    ShowRun {
        suggested,
        requests: vec![
            ("Plex", plex.stats().total()),
            ("TMDb", tmdb.stats().total()),
            ("Sonarr", sonarr.stats().total()),
            ("LLM", llm.request_count() as u64),
        ],
    }
}
