//! Async client for the Plex Media Server API.
