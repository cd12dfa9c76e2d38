//! The router: the shell for every page URL, the hashed assets, the health check and the API.

use std::time::Duration;

use app::domain::wire::Health;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, shell};

/// Hashed assets never change under the same name: cache them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Builds the whole application. Tests call this directly, without a socket.
pub fn app(state: AppState) -> Router {
    let site = state.config.site_dir.clone();
    let max_body = state.config.max_body_bytes;

    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(site.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(IMMUTABLE),
        ));

    let api = Router::new()
        .nest("/v1", crate::api::v1())
        .fallback(api_not_found)
        .layer(middleware::from_fn(crate::api::same_origin_writes))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // API answers are data, never a document: should one be opened as a page (an export,
        // a crafted link), nothing in it runs. (The shell sets its own policy, with a nonce;
        // the service worker's script keeps the default so it may fetch and cache.)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
        ));

    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api", api)
        .nest("/pkg", pkg)
        .route_service("/favicon.svg", ServeFile::new(site.join("favicon.svg")))
        .route_service(
            "/sw.js",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                .service(ServeFile::new(site.join("sw.js"))),
        )
        .fallback(page)
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn(move |req, next| {
            reject_oversized(max_body, req, next)
        }))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("handler panicked".into()).into_response()
        }))
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    let version = env!("CARGO_PKG_VERSION").to_owned();
    let ping = tokio::time::timeout(Duration::from_secs(3), db::ping(&state.db)).await;
    let (status, database) = match ping {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "unreachable")
        }
        Err(_) => {
            tracing::warn!("health check: database timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "unreachable")
        }
    };
    let body = Health {
        status: if status == StatusCode::OK {
            "ok"
        } else {
            "error"
        }
        .into(),
        database: database.into(),
        version,
    };
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Every page URL gets the same shell; the app's router decides what to draw (including its
/// own Vietnamese 404 page).
async fn page(State(state): State<AppState>, request: Request) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return ApiError::MethodNotAllowed.into_response();
    }
    shell::render(state.assets.clone(), request).await
}

async fn api_not_found() -> ApiError {
    ApiError::RouteNotFound
}

/// Refuses a body announced as too large before reading any of it. Bodies without a length
/// (chunked) are bounded by `DefaultBodyLimit` in the extractors.
async fn reject_oversized(limit: usize, request: Request<Body>, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(len) if len > limit as u64 => ApiError::PayloadTooLarge { limit }.into_response(),
        _ => next.run(request).await,
    }
}
