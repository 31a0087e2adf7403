//! Async client for The Movie Database (TMDb) v3 API with rate limiting and a file cache, with a fake server.
