//! `GET /api/v1/openapi.json`: the API described for clients and for fuzzing tools.
//!
//! The document is generated, not written: each handler carries its own `#[utoipa::path]`
//! (method, address, parameters, body, answers) next to its code, the request and answer types
//! derive their schemas where they are defined (`app::domain`, feature `openapi`), and
//! `routes.rs` builds the route table and the document from the same list, so a route cannot
//! exist without its description. This module holds what the handlers share: the document's
//! front matter, the session cookie scheme, the sets of refusals, and the handler that serves
//! the finished document.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::domain::wire::ErrorBody;
use axum::Extension;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

use crate::http::error::ApiError;
use crate::http::extract::COOKIE;

/// The document's front matter; `routes.rs` adds every path.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tạo Nguồn API",
        version = "1",
        description = "JSON API of Tạo Nguồn. Errors are {\"error\": {\"code\", \"message\", \
                       \"detail\"?, \"fields\"?}} with a stable code and a Vietnamese message. \
                       Writes need the session cookie (SameSite=Strict) and must not come from \
                       another site. See docs/SYNC.md for the sync protocol."
    ),
    servers((url = "/")),
    components(schemas(ErrorBody)),
    modifiers(&SessionCookie)
)]
pub struct Front;

/// The `session` security scheme the operations name: the cookie a login sets.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(COOKIE))),
        );
    }
}

/// One refusal: its status, what it means, with the codes a client may meet there.
fn refusals(list: &[(u16, &str)]) -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
    list.iter()
        .map(|(status, description)| {
            let body = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content("application/json", body)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}

/// Defines a set of refusals a handler lists in its `responses(...)`.
macro_rules! refusal_set {
    ($(#[$doc:meta])* $name:ident: $(($status:literal, $description:literal)),+ $(,)?) => {
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
                refusals(&[$(($status, $description)),+])
            }
        }
    };
}

refusal_set! {
    /// 400: the request itself is malformed.
    Malformed: (400, "Malformed request (json.malformed, json.invalid, body.unreadable, \
                      batch_too_large, protocol.unsupported, query.invalid, path.invalid)")
}

refusal_set! {
    /// 401: no session, or it expired.
    NeedsLogin: (401, "Not logged in or session expired (auth.required, auth.session_expired)")
}

refusal_set! {
    /// 403: the role may not do this, or a write came from another site.
    NotAllowed: (403, "Not allowed for this role (forbidden) or cross-site (csrf.cross_site)")
}

refusal_set! {
    /// 403 for writes that need no role: only the cross-site guard refuses them.
    CrossSite: (403, "Cross-site write refused (csrf.cross_site)")
}

refusal_set! {
    /// 404: nothing of that id that the user may see (another district's is "not found" too,
    /// so its existence does not leak).
    Missing: (404, "No such record that this user may see (not_found)")
}

refusal_set! {
    /// 413 and 415: a body too large or not JSON.
    BodyRefused:
        (413, "Body too large (payload_too_large)"),
        (415, "Body is not JSON (json.content_type)"),
}

refusal_set! {
    /// 409: the id or name is already taken by something else.
    Taken: (409, "Already exists with other content (e.g. user.exists, campaign.exists)")
}

refusal_set! {
    /// 422: well-formed, but the rules refuse it; `fields` says which and why.
    Invalid: (422, "Refused by the rules; `fields` lists each problem (e.g. user.invalid, \
                    campaign.invalid, district_target.invalid)")
}

refusal_set! {
    /// 429: too many failed logins from this device or for this account.
    Throttled: (429, "Too many failed attempts (auth.too_many_attempts); see Retry-After")
}

/// 200 of a CSV download.
pub struct CsvFile;

impl IntoResponses for CsvFile {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        file(
            "text/csv",
            "CSV, UTF-8 with a byte-order mark; Vietnamese headers",
        )
    }
}

/// 200 of an Excel download.
pub struct XlsxFile;

impl IntoResponses for XlsxFile {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        file(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX workbook",
        )
    }
}

fn file(
    content_type: &str,
    description: &str,
) -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
    let binary = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)));
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            content_type,
            ContentBuilder::new().schema(Some(binary)).build(),
        )
        .build();
    BTreeMap::from([("200".to_owned(), RefOr::T(response))])
}

/// The finished document as JSON, made once when the route table is built. (Writing it cannot
/// fail for a document of string-keyed maps; were it to, the route answers a 500 and says why
/// in the log rather than stopping the server.)
#[derive(Clone)]
pub struct Published(Result<Arc<str>, Arc<str>>);

impl Published {
    pub fn new(document: &utoipa::openapi::OpenApi) -> Published {
        Published(
            document
                .to_json()
                .map(Arc::from)
                .map_err(|e| Arc::from(e.to_string())),
        )
    }
}

/// `GET /api/v1/openapi.json`
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    summary = "This document",
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn document(Extension(published): Extension<Published>) -> Result<Response, ApiError> {
    let json = published
        .0
        .map_err(|e| ApiError::Internal(format!("OpenAPI document: {e}")))?;
    let mut response = json.to_string().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
