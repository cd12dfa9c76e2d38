//! The route table: the shell for every page URL, the hashed assets, the health check and the
//! API. The one file that imports the handlers; everything else in `http` is imported by them.

use axum::Extension;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::ApiError;
use crate::http::{admin, auth, campaigns, extract, history, openapi, overview, pages, sync};
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

    let (root, v1, document) = api_v1();
    // Written as JSON once here, not on every request.
    let published = openapi::Published::new(&document);
    let v1 = v1
        .layer(Extension(published))
        .method_not_allowed_fallback(method_not_allowed);

    let api = Router::new()
        .nest("/v1", v1)
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

    root.nest("/api", api)
        .nest("/pkg", pkg)
        .route_service("/favicon.svg", ServeFile::new(site.join("favicon.svg")))
        // Not hashed: revalidated on each visit (the service worker caches them per version).
        .route_service(
            "/manifest.webmanifest",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/manifest+json"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                .service(ServeFile::new(site.join("manifest.webmanifest"))),
        )
        .nest_service(
            "/icons",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                .service(ServeDir::new(site.join("icons"))),
        )
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

/// The routes of `/api/v1`, each with its description: a handler is routed and documented
/// by the same line.
fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(sync::push::push))
        .routes(routes!(sync::pull::pull))
        .routes(routes!(campaigns::open))
        .routes(routes!(overview::board))
        .routes(routes!(overview::board_csv))
        .routes(routes!(overview::board_xlsx))
        .routes(routes!(overview::totals))
        .routes(routes!(overview::totals_csv))
        .routes(routes!(overview::totals_xlsx))
        .routes(routes!(overview::achievement))
        .routes(routes!(overview::achievement_csv))
        .routes(routes!(overview::achievement_xlsx))
        .routes(routes!(overview::set_own_target))
        .routes(routes!(history::versions))
        .routes(routes!(history::diff))
        .routes(routes!(admin::list_users, admin::create_user))
        .routes(routes!(admin::reset_password))
        .routes(routes!(openapi::document))
}

/// The API's routes and its OpenAPI document, made from the same table: the health check at
/// the root and everything under `/api/v1`.
fn api_v1() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (root, root_doc) = OpenApiRouter::with_openapi(openapi::Front::openapi())
        .routes(routes!(pages::healthz))
        .split_for_parts();
    let (v1, v1_doc) = v1().split_for_parts();
    (root, v1, root_doc.nest("/api/v1", v1_doc))
}

/// The OpenAPI document of this server, as `GET /api/v1/openapi.json` serves it (and
/// `tao-nguon openapi` prints it).
pub fn document() -> utoipa::openapi::OpenApi {
    api_v1().2
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
