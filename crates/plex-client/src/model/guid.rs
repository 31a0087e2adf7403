//! Reading TMDb, IMDb and TVDB ids out of Plex guids.

use curator_http::{ImdbId, TmdbId, TvdbId};

/// An outside id named by a Plex guid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExternalId {
    /// A The Movie Database id.
    Tmdb(TmdbId),
    /// An IMDb id.
    Imdb(ImdbId),
    /// A TheTVDB id.
    Tvdb(TvdbId),
}

impl ExternalId {
    /// Reads a guid of either agent style.
    ///
    /// Current agents list `tmdb://27205` and `imdb://tt1375666` in the
    /// `Guid` array; legacy agents put one id in the item's own guid,
    /// `com.plexapp.agents.themoviedb://27205?lang=en` or
    /// `com.plexapp.agents.imdb://tt1375666?lang=en`; the NFO agent
    /// (`com.plexapp.agents.xbmcnfo://tt1375666?lang=xn`) and HAMA
    /// (`com.plexapp.agents.hama://tmdb-27205`) are read too. TV agents
    /// name shows the same ways: `tvdb://81189` in the `Guid` array,
    /// `com.plexapp.agents.thetvdb://81189?lang=en` (legacy TheTVDB agent),
    /// `com.plexapp.agents.themoviedb://1396?lang=en` (legacy TMDb agent, a
    /// TMDb *TV* id in a show section), `com.plexapp.agents.hama://tvdb-81189`.
    /// Other guids (`plex://movie/...`, `local://...`) give `None`.
    ///
    /// A legacy guid of a season or an episode
    /// (`com.plexapp.agents.thetvdb://81189/1/3?lang=en`) names its show's
    /// id: read ids from the show, or from an episode's
    /// [`ShowRef`](crate::ShowRef), never from an episode's own guid.
    ///
    /// ```
    /// use plex_client::{ExternalId, TmdbId};
    ///
    /// assert_eq!(
    ///     ExternalId::parse("com.plexapp.agents.themoviedb://27205?lang=en"),
    ///     Some(ExternalId::Tmdb(TmdbId(27205)))
    /// );
    /// assert_eq!(ExternalId::parse("plex://movie/5d776830f59e58002189813a"), None);
    /// ```
    pub fn parse(guid: &str) -> Option<Self> {
        let (scheme, rest) = guid.trim().split_once("://")?;
        let value = rest.split(['?', '/', '#']).next().unwrap_or_default();
        match scheme.to_ascii_lowercase().as_str() {
            "tmdb" | "com.plexapp.agents.themoviedb" | "com.plexapp.agents.tmdb" => {
                // An IMDb-shaped value is read as one, a number as a TMDb id.
                match ImdbId::parse(value) {
                    Some(imdb) => Some(Self::Imdb(imdb)),
                    None => value.parse().ok().map(Self::Tmdb),
                }
            }
            "imdb" | "com.plexapp.agents.imdb" => ImdbId::parse(value).map(Self::Imdb),
            "tvdb" | "com.plexapp.agents.thetvdb" => value.parse().ok().map(Self::Tvdb),
            // The NFO agents (XBMCnfoMoviesImporter) carry whatever id the
            // .nfo file had: trusted only when it is shaped like an IMDb id,
            // as a bare number may be from any database.
            "com.plexapp.agents.xbmcnfo" | "com.plexapp.agents.xbmcnfotv" => {
                ImdbId::parse(value).map(Self::Imdb)
            }
            // HAMA names its source: `tmdb-603`, `imdb-tt0133093`, `tvdb-81189`.
            "com.plexapp.agents.hama" => match value.split_once('-')? {
                ("tmdb", id) => id.parse().ok().map(Self::Tmdb),
                ("imdb", id) => ImdbId::parse(id).map(Self::Imdb),
                ("tvdb", id) => id.parse().ok().map(Self::Tvdb),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The outside ids among an item's guids.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ExternalIds {
    pub(crate) tmdb: Option<TmdbId>,
    pub(crate) imdb: Option<ImdbId>,
    pub(crate) tvdb: Option<TvdbId>,
}

/// The TMDb, IMDb and TVDB ids among an item's guids (first of each wins).
pub(crate) fn external_ids<'a>(guids: impl IntoIterator<Item = &'a str>) -> ExternalIds {
    let mut ids = ExternalIds::default();
    for id in guids.into_iter().filter_map(ExternalId::parse) {
        match id {
            ExternalId::Tmdb(id) => {
                ids.tmdb.get_or_insert(id);
            }
            ExternalId::Imdb(id) => {
                ids.imdb.get_or_insert(id);
            }
            ExternalId::Tvdb(id) => {
                ids.tvdb.get_or_insert(id);
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_agent_styles() {
        let imdb = |s: &str| Some(ExternalId::Imdb(ImdbId::parse(s).unwrap()));
        let cases = [
            ("tmdb://27205", Some(ExternalId::Tmdb(TmdbId(27205)))),
            ("imdb://tt1375666", imdb("tt1375666")),
            (
                "com.plexapp.agents.themoviedb://603?lang=en",
                Some(ExternalId::Tmdb(TmdbId(603))),
            ),
            (
                "com.plexapp.agents.imdb://tt0133093?lang=en",
                imdb("tt0133093"),
            ),
            ("com.plexapp.agents.imdb://tt0133093", imdb("tt0133093")),
            (
                "com.plexapp.agents.xbmcnfo://tt0133093?lang=xn",
                imdb("tt0133093"),
            ),
            ("com.plexapp.agents.xbmcnfo://603?lang=xn", None),
            ("com.plexapp.agents.xbmcnfo://AA196?lang=xn", None),
            (
                "com.plexapp.agents.hama://tmdb-603?lang=en",
                Some(ExternalId::Tmdb(TmdbId(603))),
            ),
            (
                "com.plexapp.agents.hama://imdb-tt0133093",
                imdb("tt0133093"),
            ),
            ("com.plexapp.agents.hama://anidb-1", None),
            (
                "com.plexapp.agents.themoviedb://tt0133093?lang=en",
                imdb("tt0133093"),
            ),
            ("tvdb://1709", Some(ExternalId::Tvdb(TvdbId(1709)))),
            // Shows: the legacy TheTVDB and TMDb agents (plex-api.rs
            // tests/mocks/server/media/tv_library.json), HAMA, and a
            // legacy episode guid, which names its show.
            (
                "com.plexapp.agents.thetvdb://121361?lang=en",
                Some(ExternalId::Tvdb(TvdbId(121361))),
            ),
            (
                "com.plexapp.agents.thetvdb://268592/1/1?lang=en",
                Some(ExternalId::Tvdb(TvdbId(268592))),
            ),
            (
                "com.plexapp.agents.themoviedb://1396?lang=en",
                Some(ExternalId::Tmdb(TmdbId(1396))),
            ),
            (
                "com.plexapp.agents.hama://tvdb-81797?lang=en",
                Some(ExternalId::Tvdb(TvdbId(81797))),
            ),
            ("com.plexapp.agents.thetvdb://?lang=en", None),
            ("plex://show/5d9c08254eefaa001f5d6dcb", None),
            ("plex://movie/5d776830f59e58002189813a", None),
            ("local://4411", None),
            ("com.plexapp.agents.none://abc?lang=xn", None),
            ("tmdb://", None),
            ("tmdb://abc", None),
            ("imdb://nm0000138", None),
            ("no scheme", None),
        ];
        for (guid, expected) in cases {
            assert_eq!(ExternalId::parse(guid), expected, "{guid}");
        }
    }

    #[test]
    fn first_of_each_kind_wins() {
        let ids = external_ids([
            "plex://movie/x",
            "imdb://tt0253556",
            "tmdb://6278",
            "tmdb://1",
            "tvdb://1709",
        ]);
        assert_eq!(ids.tmdb, Some(TmdbId(6278)));
        assert_eq!(ids.imdb.unwrap().as_str(), "tt0253556");
        assert_eq!(ids.tvdb, Some(TvdbId(1709)));
    }
}
