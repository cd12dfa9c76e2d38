//! Accounts and sessions: login, logout, "who am I", and the [`AuthUser`] extractor every
//! protected handler takes.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie. The database
//! keeps only an HMAC of it (keyed with `TAONGUON_SESSION_SECRET`), so a copy of the database
//! does not let anyone log in. Sessions last 30 days and slide with use: a unit that works a week
//! offline is still logged in when it comes back.

use std::net::IpAddr;

use app::domain::Role;
use app::domain::wire::{LoginRequest, Me};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::Sha256;
use uuid::Uuid;

use crate::api::ApiJson;
use crate::audit;
use crate::entities::{org_unit, user_account, user_session};
use crate::error::ApiError;
use crate::password;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "tn_session";
/// How long a session lives without being used.
pub const SESSION_DAYS: i64 = 30;
/// A session's expiry is pushed forward at most this often, to spare a write per request.
const SLIDE_EVERY_MINUTES: i64 = 60;
/// Longest username and password accepted (Argon2 would hash a megabyte; we do not).
pub const MAX_USERNAME: usize = 64;
pub const MAX_PASSWORD: usize = 256;

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The user's unit: a grassroots organisation for an editor, the district for a reviewer.
    pub unit_id: Option<Uuid>,
    /// The district the user belongs to (the unit itself for a reviewer).
    pub district_id: Option<Uuid>,
}

impl AuthUser {
    pub fn me(&self, unit_name: Option<String>) -> Me {
        Me {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            unit_id: self.unit_id,
            unit_name,
            district_id: self.district_id,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// How long a checked session is trusted without asking the database again.
const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(30);
/// Most sessions remembered; beyond this the cache starts over.
const CACHE_MAX: usize = 20_000;

/// Recently checked sessions, so that most requests skip the three database reads of a
/// session check. Logging out and resetting a password on this server take effect at once; a
/// session ended elsewhere (another app server, `tao-nguon reset-password`) stops working
/// within [`CACHE_TTL`].
#[derive(Default)]
pub struct SessionCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (AuthUser, std::time::Instant)>>,
}

impl SessionCache {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (AuthUser, std::time::Instant)>>
    {
        // A poisoned lock means a panic elsewhere mid-update of a plain map: still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, id: &str) -> Option<AuthUser> {
        let entries = self.lock();
        entries
            .get(id)
            .filter(|(_, at)| at.elapsed() < CACHE_TTL)
            .map(|(user, _)| user.clone())
    }

    fn put(&self, id: String, user: AuthUser) {
        let mut entries = self.lock();
        if entries.len() >= CACHE_MAX {
            entries.clear();
        }
        entries.insert(id, (user, std::time::Instant::now()));
    }

    fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Forgets every session of a user (password reset, account disabled).
    pub fn remove_user(&self, user_id: Uuid) {
        self.lock().retain(|_, (user, _)| user.id != user_id);
    }
}

/// The database key of a session token.
fn session_id(secret: &[u8], token: &str) -> Result<String, ApiError> {
    let mut mac = HmacSha256::new_from_slice(secret)
        .map_err(|e| ApiError::Internal(format!("session HMAC key: {e}")))?;
    mac.update(token.as_bytes());
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The session token from the request's cookies, if any.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
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
fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> Result<HeaderValue, ApiError> {
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

async fn load_auth_user(state: &AppState, user: user_account::Model) -> Result<AuthUser, ApiError> {
    let role = Role::from_code(&user.role).ok_or_else(|| {
        ApiError::Internal(format!("user {} has unknown role {}", user.id, user.role))
    })?;
    let district_id = match (role, user.unit_id) {
        (_, None) => None,
        (Role::UnitEditor, Some(unit)) => org_unit::Entity::find_by_id(unit)
            .one(&state.read)
            .await?
            .and_then(|u| u.parent_id),
        (_, Some(unit)) => Some(unit),
    };
    Ok(AuthUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role,
        unit_id: user.unit_id,
        district_id,
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

/// `POST /api/v1/auth/login`
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: crate::api::PeerAddr,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let username = body.username.trim().to_lowercase();
    if username.is_empty() || body.password.is_empty() {
        return Err(ApiError::InvalidCredentials);
    }
    if username.chars().count() > MAX_USERNAME || body.password.chars().count() > MAX_PASSWORD {
        return Err(ApiError::InvalidCredentials);
    }
    let ip = client_ip(&headers, peer.0, state.config.trust_proxy);
    state
        .login_throttle
        .check(&username, ip.as_deref())
        .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })?;

    let user = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(&username))
        .one(&state.db)
        .await?;
    // Hash even when the user does not exist, so timing does not tell which usernames do.
    let stored = user.as_ref().map_or_else(
        || password::DUMMY_HASH.to_owned(),
        |u| u.password_hash.clone(),
    );
    let matches = password::verify_async(body.password.clone(), stored)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            state.login_throttle.failed(&username, ip.as_deref());
            audit::record(
                &state.db,
                None,
                Some(&username),
                "login.failed",
                None,
                None,
                ip.as_deref(),
            )
            .await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    state.login_throttle.succeeded(&username, ip.as_deref());

    let token = new_token()?;
    let now = Utc::now();
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(200).collect::<String>());
    user_session::ActiveModel {
        id: Set(session_id(state.config.session_secret.as_bytes(), &token)?),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        last_seen_at: Set(now),
        user_agent: Set(user_agent),
    }
    .insert(&state.db)
    .await?;
    audit::record(
        &state.db,
        Some(user.id),
        Some(&user.username),
        "login",
        None,
        None,
        ip.as_deref(),
    )
    .await?;

    let auth = load_auth_user(&state, user).await?;
    let unit_name = unit_name(&state, auth.unit_id).await?;
    let cookie = session_cookie(&token, SESSION_DAYS * 86_400, is_https(&headers))?;
    let mut response = Json(auth.me(unit_name)).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /api/v1/auth/logout`: ends this session (a no-op without one) and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(&headers) {
        let id = session_id(state.config.session_secret.as_bytes(), &token)?;
        state.sessions.remove(&id);
        if let Some(session) = user_session::Entity::find_by_id(id.clone())
            .one(&state.db)
            .await?
        {
            user_session::Entity::delete_by_id(id)
                .exec(&state.db)
                .await?;
            audit::record(
                &state.db,
                Some(session.user_id),
                None,
                "logout",
                None,
                None,
                None,
            )
            .await?;
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, is_https(&headers))?,
    );
    Ok(response)
}

/// `GET /api/v1/auth/me`
pub async fn me(State(state): State<AppState>, user: AuthUser) -> Result<Json<Me>, ApiError> {
    let unit_name = unit_name(&state, user.unit_id).await?;
    Ok(Json(user.me(unit_name)))
}

async fn unit_name(state: &AppState, unit: Option<Uuid>) -> Result<Option<String>, ApiError> {
    let Some(unit) = unit else { return Ok(None) };
    Ok(org_unit::Entity::find_by_id(unit)
        .one(&state.db)
        .await?
        .map(|u| u.name))
}

/// Refuses unless the user has one of `roles`.
///
/// # Errors
/// [`ApiError::Forbidden`].
pub fn require(user: &AuthUser, roles: &[Role]) -> Result<(), ApiError> {
    if roles.contains(&user.role) {
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

    #[test]
    fn the_stored_session_key_is_not_the_token() {
        let token = new_token().expect("token");
        let id = session_id(b"0123456789abcdef0123456789abcdef", &token).expect("id");
        assert_ne!(id, token);
        assert_eq!(id.len(), 64);
        let other = session_id(b"another secret another secret!!!", &token).expect("id");
        assert_ne!(id, other, "the key depends on the secret");
    }
}
