//! The JSON API under `/api/v1`: its routes, its body and query extractors (which turn every
//! malformed request into a clear 4xx), and the guard against cross-site writes.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{admin, auth, campaigns, district, history, openapi, sync};

/// The routes of `/api/v1`.
pub fn v1() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/sync/push", post(sync::push::push))
        .route("/sync/pull", get(sync::pull::pull))
        .route("/campaigns", post(campaigns::open))
        .merge(district::routes())
        .route("/plans/{id}/versions", get(history::versions))
        .route("/plans/{id}/diff", get(history::diff))
        .route(
            "/admin/users",
            get(admin::list_users).post(admin::create_user),
        )
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/openapi.json", get(openapi::document))
        .method_not_allowed_fallback(method_not_allowed)
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// A JSON body. Every way a body can be wrong becomes an [`ApiError`] with a stable code.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::PayloadTooLarge {
                    limit: state.config.max_body_bytes,
                });
            }
            Err(e) => {
                return Err(ApiError::BadRequest {
                    code: "body.unreadable",
                    message: "Không đọc được dữ liệu gửi lên.".into(),
                    detail: Some(e.body_text()),
                });
            }
        };
        match Json::<T>::from_bytes(&bytes) {
            // Every body of this API is a JSON object. serde would also read an array into a
            // struct, field by field in order (found by fuzzing: `[null, null]` was taken as a
            // district target); no client sends that, so it is refused as the wrong shape.
            Ok(_) if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') => {
                Err(ApiError::BadRequest {
                    code: "json.invalid",
                    message: "Dữ liệu gửi lên phải là một đối tượng JSON {…}.".into(),
                    detail: None,
                })
            }
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::BadRequest {
                code: "json.invalid",
                message: "Dữ liệu gửi lên không đúng cấu trúc: thiếu trường, thừa trường hoặc sai kiểu dữ liệu.".into(),
                detail: Some(e.body_text()),
            }),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::BadRequest {
                code: "json.malformed",
                message: "Dữ liệu gửi lên không phải là JSON hợp lệ.".into(),
                detail: Some(e.body_text()),
            }),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::PayloadTooLarge {
                    limit: state.config.max_body_bytes,
                })
            }
            Err(other) => Err(ApiError::BadRequest {
                code: "body.unreadable",
                message: "Không đọc được dữ liệu gửi lên.".into(),
                detail: Some(other.body_text()),
            }),
        }
    }
}

/// `application/json` or a `+json` type, as axum's own `Json` accepts.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .is_some_and(|mime| {
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// Query-string parameters, with the same treatment of bad input.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e: QueryRejection| ApiError::BadRequest {
                code: "query.invalid",
                message: "Tham số trên địa chỉ không hợp lệ.".into(),
                detail: Some(e.body_text()),
            })
    }
}

/// The client's socket address, when the server runs on a real socket (not in tests).
pub struct PeerAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}

/// Refuses state-changing requests that a browser says come from another site. With the
/// SameSite=Strict session cookie and JSON-only bodies this closes cross-site request forgery;
/// the check also covers browsers that ignore SameSite.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|site| site != "same-origin" && site != "none") {
        return ApiError::CrossSite.into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = origin.split_once("://").map(|(_, rest)| rest);
        if origin == "null" || origin_host != host {
            return ApiError::CrossSite.into_response();
        }
    }
    next.run(request).await
}

/// A path parameter, with bad values (not a UUID…) answered as a clear 4xx.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|e| ApiError::BadRequest {
                code: "path.invalid",
                message: "Địa chỉ không hợp lệ.".into(),
                detail: Some(e.body_text()),
            })
    }
}
