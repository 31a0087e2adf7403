//! Async client for the Radarr v3 API, with a stateful fake server.
