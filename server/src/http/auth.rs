//! `/api/v1/auth`: logging in and out, and "who am I".

use app::domain::wire::{LoginRequest, Me};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::http::extract::{
    ApiJson, PeerAddr, client_ip, cookie_token, is_https, load_auth_user, session_cookie,
};
use crate::http::openapi::{BodyRefused, CrossSite, Malformed, NeedsLogin, Throttled};
use crate::password;
use crate::sessions::{AuthUser, MAX_PASSWORD, MAX_USERNAME, SESSION_DAYS, new_token, session_id};
use crate::state::AppState;
use crate::store::audit;
use crate::store::entities::{org_unit, user_account, user_session};

/// `POST /api/v1/auth/login`
#[utoipa::path(
    post,
    path = "/auth/login",
    operation_id = "login",
    summary = "Log in; sets the session cookie",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = Me),
        Malformed,
        (status = 401, description = "Wrong username or password (auth.invalid_credentials)", body = app::domain::wire::ErrorBody),
        CrossSite,
        BodyRefused,
        Throttled,
    )
)]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
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
    // The session and its audit entry together, or neither.
    let txn = state.db.begin().await?;
    user_session::ActiveModel {
        id: Set(session_id(state.config.session_secret.as_bytes(), &token)?),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        last_seen_at: Set(now),
        user_agent: Set(user_agent),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        Some(&user.username),
        "login",
        None,
        None,
        ip.as_deref(),
    )
    .await?;
    txn.commit().await?;

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
#[utoipa::path(
    post,
    path = "/auth/logout",
    operation_id = "logout",
    summary = "Log out: ends this session and clears the cookie",
    responses(
        (status = 204, description = "Logged out (also without a session)"),
        CrossSite,
        (status = 413, description = "Body too large (payload_too_large)", body = app::domain::wire::ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie_token(&headers) {
        let id = session_id(state.config.session_secret.as_bytes(), &token)?;
        state.sessions.remove(&id);
        // The session's end and its audit entry together, or neither.
        let txn = state.db.begin().await?;
        if let Some(session) = user_session::Entity::find_by_id(id.clone())
            .one(&txn)
            .await?
        {
            user_session::Entity::delete_by_id(id).exec(&txn).await?;
            audit::record(
                &txn,
                Some(session.user_id),
                None,
                "logout",
                None,
                None,
                None,
            )
            .await?;
        }
        txn.commit().await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, is_https(&headers))?,
    );
    Ok(response)
}

/// `GET /api/v1/auth/me`
#[utoipa::path(
    get,
    path = "/auth/me",
    operation_id = "me",
    summary = "Who is logged in",
    security(("session" = [])),
    responses((status = 200, description = "The logged-in user", body = Me), NeedsLogin)
)]
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
