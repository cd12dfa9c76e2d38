//! Types that cross the network between the browser and the server.

use serde::{Deserialize, Serialize};

/// The body of every error response of the JSON API: a stable machine-readable `code`
/// (what the client branches on) and a Vietnamese `message` (what the user reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// What `GET /healthz` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` or `error`.
    pub status: String,
    /// `ok` or `unreachable`.
    pub database: String,
    /// The server's version (the workspace version).
    pub version: String,
}
