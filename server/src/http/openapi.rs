//! `GET /api/v1/openapi.json`: the API described for clients and for fuzzing tools.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Kept by hand next to the handlers; `tests/server/openapi.rs` checks that every documented
/// operation exists and every route is documented.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

pub async fn document() -> Response {
    let mut response = DOCUMENT.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
