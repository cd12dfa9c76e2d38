//! The error type of the HTTP boundary. Each variant knows its status, its stable code and its
//! Vietnamese message; internal causes are logged, never sent to the client.

use app::domain::wire::{ErrorBody, ErrorDetail};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(sea_orm::DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::DatabaseUnavailable(_) => "database_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// What the user reads. Never contains internal detail.
    pub fn message(&self) -> String {
        match self {
            ApiError::RouteNotFound => "Không có địa chỉ API này.".into(),
            ApiError::MethodNotAllowed => "Phương thức không được hỗ trợ tại địa chỉ này.".into(),
            ApiError::PayloadTooLarge { limit } => format!(
                "Dữ liệu gửi lên quá lớn (tối đa {} KB). Hãy gửi ít thay đổi hơn mỗi lần.",
                limit / 1024
            ),
            ApiError::DatabaseUnavailable(_) => {
                "Máy chủ tạm thời không truy cập được cơ sở dữ liệu. Dữ liệu của bạn vẫn được giữ trên máy; hãy thử lại sau.".into()
            }
            ApiError::Internal(_) => {
                "Máy chủ gặp lỗi ngoài dự kiến. Dữ liệu của bạn vẫn được giữ trên máy; hãy thử lại sau.".into()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, code = self.code(), "request failed");
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.message(),
            },
        };
        (status, Json(body)).into_response()
    }
}
