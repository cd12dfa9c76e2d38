//! The route table: the shell for every page URL, the hashed assets, the health check and the
//! API. The one file that imports the handlers; everything else in `http` is imported by them.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::http::error::ApiError;
use crate::http::{admin, auth, campaigns, district, extract, history, openapi, pages, sync};
use crate::state::AppState;

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
        .nest("/v1", v1())
        .fallback(api_not_found)
        .layer(middleware::from_fn(extract::same_origin_writes))
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
        .route("/healthz", get(pages::healthz))
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
        .fallback(pages::page)
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

/// The routes of `/api/v1`.
fn v1() -> Router<AppState> {
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
