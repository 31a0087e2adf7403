//! Operation names, shared by the client's errors and counters and the fake
//! server's counters.

/// `GET /api/v1/status`.
pub const STATUS: &str = "seerr.status";
/// `GET /api/v1/auth/me`.
pub const ME: &str = "seerr.me";
/// `POST /api/v1/request`.
pub const REQUEST: &str = "seerr.request";
