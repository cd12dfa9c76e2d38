//! Tables sent as files to download (CSV, XLSX), with the headers that make a browser save
//! them under a safe name and never cache them.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::export::{Sheet, to_csv, to_xlsx};
use crate::http::error::ApiError;

fn attachment(
    bytes: Vec<u8>,
    content_type: &'static str,
    file_name: &str,
) -> Result<Response, ApiError> {
    // The name is built from ASCII by the caller; anything else is dropped to be safe.
    let safe: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .map_err(|e| ApiError::Internal(format!("header: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

pub fn csv_response(sheet: &Sheet, file_name: &str) -> Result<Response, ApiError> {
    attachment(to_csv(sheet)?, "text/csv; charset=utf-8", file_name)
}

pub fn xlsx_response(sheet: &Sheet, file_name: &str) -> Result<Response, ApiError> {
    attachment(
        to_xlsx(sheet)?,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name,
    )
}
