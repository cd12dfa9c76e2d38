//! The error type of the HTTP boundary. Each variant knows its status, its stable code and its
//! Vietnamese message; internal causes are logged, never sent to the client.

use app::domain::wire::{ErrorBody, ErrorDetail, FieldError};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such API route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("malformed request: {code}")]
    BadRequest {
        code: &'static str,
        message: String,
        detail: Option<String>,
    },
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("invalid fields")]
    Validation {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("not logged in")]
    Unauthenticated,
    #[error("session expired")]
    SessionExpired,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many login attempts")]
    TooManyAttempts { retry_after: u64 },
    #[error("forbidden")]
    Forbidden,
    #[error("cross-site request refused")]
    CrossSite,
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("conflict: {code}")]
    Conflict { code: &'static str, message: String },
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => ApiError::DatabaseUnavailable(err),
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match err {
            StoreError::Db(e) => e.into(),
            StoreError::Corrupt(what) => ApiError::Internal(what),
            StoreError::NotFound(what) => ApiError::NotFound(what),
        }
    }
}

impl From<crate::accounts::AccountError> for ApiError {
    fn from(err: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError;
        match err {
            AccountError::Invalid { message, fields } => ApiError::Validation {
                code: "user.invalid",
                message,
                fields,
            },
            AccountError::UsernameTaken(message) => ApiError::Conflict {
                code: "user.username_taken",
                message,
            },
            AccountError::NotFound => ApiError::NotFound("tài khoản"),
            AccountError::Db(e) => e.into(),
            AccountError::Hash(e) => ApiError::Internal(e),
        }
    }
}

impl From<crate::sessions::SessionError> for ApiError {
    fn from(err: crate::sessions::SessionError) -> Self {
        ApiError::Internal(err.0)
    }
}

impl From<crate::export::ExportError> for ApiError {
    fn from(err: crate::export::ExportError) -> Self {
        ApiError::Internal(err.0)
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::RouteNotFound | ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated | ApiError::SessionExpired | ApiError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Forbidden | ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::RouteNotFound => "route_not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::BadRequest { code, .. }
            | ApiError::Validation { code, .. }
            | ApiError::Conflict { code, .. } => code,
            ApiError::UnsupportedMediaType => "json.content_type",
            ApiError::Unauthenticated => "auth.required",
            ApiError::SessionExpired => "auth.session_expired",
            ApiError::InvalidCredentials => "auth.invalid_credentials",
            ApiError::TooManyAttempts { .. } => "auth.too_many_attempts",
            ApiError::Forbidden => "forbidden",
            ApiError::CrossSite => "csrf.cross_site",
            ApiError::NotFound(_) => "not_found",
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
            ApiError::BadRequest { message, .. }
            | ApiError::Validation { message, .. }
            | ApiError::Conflict { message, .. } => message.clone(),
            ApiError::UnsupportedMediaType => {
                "Dữ liệu phải được gửi dưới dạng JSON (Content-Type: application/json).".into()
            }
            ApiError::Unauthenticated => "Bạn cần đăng nhập để tiếp tục.".into(),
            ApiError::SessionExpired => "Phiên đăng nhập đã hết hạn, hãy đăng nhập lại. Các thay đổi chưa đồng bộ vẫn được giữ trên máy.".into(),
            ApiError::InvalidCredentials => "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
            ApiError::TooManyAttempts { retry_after } => format!(
                "Đăng nhập sai quá nhiều lần. Hãy thử lại sau {} phút.",
                retry_after.div_ceil(60)
            ),
            ApiError::Forbidden => "Tài khoản của bạn không có quyền thực hiện thao tác này.".into(),
            ApiError::CrossSite => "Yêu cầu đến từ một trang khác nên bị từ chối.".into(),
            ApiError::NotFound(what) => format!("Không tìm thấy {what}."),
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
        let (detail, fields) = match &self {
            ApiError::BadRequest { detail, .. } => (detail.clone(), Vec::new()),
            ApiError::Validation { fields, .. } => (None, fields.clone()),
            _ => (None, Vec::new()),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.message(),
                detail,
                fields,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
