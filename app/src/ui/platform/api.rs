//! Talking to the server: `fetch` with JSON, and the few outcomes the app must tell apart —
//! no network, a session to renew, a refusal with a Vietnamese message, or an answer.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, Response};

use crate::domain::sync::{PROTOCOL_VERSION, PullPage, PushRequest, PushResponse};
use crate::domain::wire::{ErrorBody, Me};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, server down, connection cut. Try again later.
    Network,
    /// The session is gone: log in again (the outbox is kept).
    Unauthorized { message: String },
    /// The server is in trouble (5xx): try again later.
    Server { message: String },
    /// The server refused the request (4xx) with a reason to show.
    Refused { code: String, message: String },
    /// This device's storage refused (before anything was sent).
    Storage(String),
}

impl ApiError {
    pub fn message(&self) -> String {
        match self {
            ApiError::Network => {
                "Không kết nối được máy chủ. Dữ liệu vẫn được giữ trên máy.".into()
            }
            ApiError::Unauthorized { message }
            | ApiError::Server { message }
            | ApiError::Refused { message, .. } => message.clone(),
            ApiError::Storage(err) => {
                format!("Không lưu được vào bộ nhớ của máy ({err}); chưa gửi gì lên máy chủ.")
            }
        }
    }
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<&B>,
) -> Result<Option<T>, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| ApiError::Network)?;
    headers
        .set("accept", "application/json")
        .map_err(|_| ApiError::Network)?;
    if let Some(body) = body {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Refused {
            code: "client.serialise".into(),
            message: e.to_string(),
        })?;
        headers
            .set("content-type", "application/json")
            .map_err(|_| ApiError::Network)?;
        init.set_body(&json.into());
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| ApiError::Network)?;
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into()
        .map_err(|_| ApiError::Network)?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        if text.is_empty() {
            return Ok(None);
        }
        return serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| ApiError::Server {
                message: format!("Máy chủ trả lời không đúng dạng ({e})."),
            });
    }
    let error = serde_json::from_str::<ErrorBody>(&text)
        .ok()
        .map(|b| b.error);
    let message = error
        .as_ref()
        .map(|e| e.message.clone())
        .unwrap_or_else(|| format!("Máy chủ trả lời mã {status}."));
    Err(match status {
        401 => ApiError::Unauthorized { message },
        // A proxy or a restarting server: not an answer about this request.
        502..=504 | 500 => ApiError::Server { message },
        _ => ApiError::Refused {
            code: error.map(|e| e.code).unwrap_or_default(),
            message,
        },
    })
}

pub async fn logout() -> Result<(), ApiError> {
    call::<(), serde_json::Value>("POST", "/api/v1/auth/logout", Some(&()))
        .await
        .map(|_| ())
}

/// One account, as `GET /api/v1/admin/users` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Account {
    pub id: uuid::Uuid,
    pub username: String,
    pub display_name: String,
    /// Role codes; read as text so that a code this client does not know shows as such
    /// instead of hiding the whole list.
    pub roles: Vec<String>,
    pub unit_id: Option<uuid::Uuid>,
    pub disabled: bool,
}

/// The accounts an administrator manages.
pub async fn accounts() -> Result<Vec<Account>, ApiError> {
    call::<(), _>("GET", "/api/v1/admin/users", None)
        .await?
        .ok_or(ApiError::Network)
}

pub async fn me() -> Result<Me, ApiError> {
    call::<(), Me>("GET", "/api/v1/auth/me", None)
        .await?
        .ok_or(ApiError::Network)
}

pub async fn push(request: &PushRequest) -> Result<PushResponse, ApiError> {
    debug_assert_eq!(request.protocol, PROTOCOL_VERSION);
    call("POST", "/api/v1/sync/push", Some(request))
        .await?
        .ok_or(ApiError::Network)
}

pub async fn pull(cursor: u64) -> Result<PullPage, ApiError> {
    call::<(), PullPage>(
        "GET",
        // `schema`: this client reads every document the server has (without it, the server
        // sends only what a first-release client can read).
        &format!(
            "/api/v1/sync/pull?cursor={cursor}&limit=200&schema={}",
            crate::domain::plan::SCHEMA_VERSION
        ),
        None,
    )
    .await?
    .ok_or(ApiError::Network)
}

pub async fn versions(
    plan_id: uuid::Uuid,
) -> Result<Vec<crate::domain::wire::VersionSummary>, ApiError> {
    call::<(), _>("GET", &format!("/api/v1/plans/{plan_id}/versions"), None)
        .await?
        .ok_or(ApiError::Network)
}

pub async fn diff(
    plan_id: uuid::Uuid,
    from: i64,
    to: i64,
) -> Result<crate::domain::wire::PlanDiff, ApiError> {
    call::<(), _>(
        "GET",
        &format!("/api/v1/plans/{plan_id}/diff?from={from}&to={to}"),
        None,
    )
    .await?
    .ok_or(ApiError::Network)
}

pub async fn open_campaign(
    campaign: &crate::domain::wire::NewCampaign,
) -> Result<crate::domain::sync::CampaignRecord, ApiError> {
    call("POST", "/api/v1/campaigns", Some(campaign))
        .await?
        .ok_or(ApiError::Network)
}

pub async fn set_own_target(
    campaign_id: uuid::Uuid,
    target: &crate::domain::Breakdown,
) -> Result<crate::domain::sync::CampaignRecord, ApiError> {
    call(
        "PUT",
        &format!("/api/v1/campaigns/{campaign_id}/district-target"),
        Some(target),
    )
    .await?
    .ok_or(ApiError::Network)
}
