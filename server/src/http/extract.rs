//! What handlers take from a request: the body, query and path extractors (which turn every
//! malformed request into a clear 4xx), the caller's address, the logged-in user (from the
//! session cookie), and the guard against cross-site writes.

use std::net::{IpAddr, SocketAddr};

use app::domain::{Role, Roles};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::de::DeserializeOwned;

use crate::http::error::ApiError;
use crate::sessions::{AuthUser, SESSION_DAYS, SLIDE_EVERY_MINUTES, session_id};
use crate::state::AppState;
use crate::store::entities::{org_unit, user_account, user_session};

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
            .map_err(|e: QueryRejection| query_refusal(&e))
    }
}

fn query_refusal(e: &QueryRejection) -> ApiError {
    ApiError::BadRequest {
        code: "query.invalid",
        message: "Tham số trên địa chỉ không hợp lệ.".into(),
        detail: Some(e.body_text()),
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

/// The session cookie's name.
pub const COOKIE: &str = "tn_session";

/// The session token from the request's cookies, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the request came over HTTPS (directly or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

pub fn session_cookie(
    token: &str,
    max_age_secs: i64,
    secure: bool,
) -> Result<HeaderValue, ApiError> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    ))
    .map_err(|e| ApiError::Internal(format!("cookie header: {e}")))
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let id = session_id(state.config.session_secret.as_bytes(), &token)?;
        if let Some(user) = state.sessions.get(&id) {
            return Ok(user);
        }
        let session = user_session::Entity::find_by_id(id.clone())
            .one(&state.read)
            .await?
            .ok_or(ApiError::SessionExpired)?;
        let now = Utc::now();
        if session.expires_at <= now {
            user_session::Entity::delete_by_id(session.id)
                .exec(&state.db)
                .await?;
            return Err(ApiError::SessionExpired);
        }
        let user = user_account::Entity::find_by_id(session.user_id)
            .one(&state.read)
            .await?
            .filter(|u| !u.disabled)
            .ok_or(ApiError::SessionExpired)?;
        if now - session.last_seen_at > Duration::minutes(SLIDE_EVERY_MINUTES) {
            let mut active: user_session::ActiveModel = session.into();
            active.last_seen_at = Set(now);
            active.expires_at = Set(now + Duration::days(SESSION_DAYS));
            active.update(&state.db).await?;
        }
        let user = load_auth_user(state, user).await?;
        state.sessions.put(id, user.clone());
        Ok(user)
    }
}

pub async fn load_auth_user(
    state: &AppState,
    user: user_account::Model,
) -> Result<AuthUser, ApiError> {
    let roles = Roles::from_codes(&user.roles).ok_or_else(|| {
        ApiError::Internal(format!("user {} has unknown roles {}", user.id, user.roles))
    })?;
    let parent_id = match user.unit_id {
        None => None,
        Some(unit) => org_unit::Entity::find_by_id(unit)
            .one(&state.read)
            .await?
            .and_then(|u| u.parent_id),
    };
    Ok(AuthUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        roles,
        unit_id: user.unit_id,
        parent_id,
    })
}

/// The client's address for the audit log and the login throttle.
pub fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return Some(first.trim().chars().take(64).collect());
    }
    peer.map(|ip| ip.to_string())
}

/// Refuses unless the user has one of `roles`.
///
/// # Errors
/// [`ApiError::Forbidden`].
pub fn require(user: &AuthUser, roles: &[Role]) -> Result<(), ApiError> {
    if roles.iter().any(|r| user.has(*r)) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_session_cookie_is_read() {
        let token = "a".repeat(64);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {COOKIE}={token}")).expect("header"),
        );
        assert_eq!(cookie_token(&headers), Some(token));
        headers.insert(header::COOKIE, HeaderValue::from_static("tn_session=short"));
        assert_eq!(cookie_token(&headers), None);
    }
}
