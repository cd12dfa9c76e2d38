//! The OpenAPI document describes the API that exists: it is generated from the handlers, every
//! documented operation is routed, and what it says of limits and shapes is what the server
//! enforces.

use app::domain::{rules, sync};
use axum::http::Method;
use integration::{Session, TestApp};
use serde_json::Value;

async fn document() -> Value {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    res.json()
}

#[tokio::test]
async fn every_documented_operation_exists() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 22, "{} paths", paths.len());
    for (path, item) in paths {
        for (method, _) in item.as_object().expect("path item") {
            let uri = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
            let method: Method = method.to_uppercase().parse().expect("method");
            let body = matches!(method, Method::POST | Method::PUT).then(|| serde_json::json!({}));
            let res = app
                .send(Session::anonymous().request(method.clone(), &uri, body.as_ref()))
                .await;
            let code = if res.status.is_success() {
                None
            } else {
                res.json()["error"]["code"].as_str().map(str::to_owned)
            };
            assert!(
                !matches!(
                    code.as_deref(),
                    Some("route_not_found" | "method_not_allowed")
                ),
                "{method} {uri} is documented but not routed"
            );
        }
    }
}

#[tokio::test]
async fn the_served_document_is_the_one_the_binary_prints() {
    let served = document().await;
    let printed = serde_json::to_value(server::http::routes::document()).expect("document");
    assert_eq!(served, printed);
}

/// Every operation has a unique id, and every one but the public ones names the session.
#[tokio::test]
async fn operations_have_unique_ids_and_name_the_session_they_need() {
    let doc = document().await;
    let public = ["health", "login", "logout", "openapi"];
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().expect("operationId").to_owned();
            assert!(ids.insert(id.clone()), "{id} twice");
            let secured = op["security"][0].get("session").is_some();
            assert_eq!(
                secured,
                !public.contains(&id.as_str()),
                "{method} {path}: security"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}: no responses"
            );
        }
    }
    assert!(
        doc["components"]["securitySchemes"]["session"]["name"] == "tn_session",
        "the session scheme is the cookie"
    );
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_resolves_and_map_keys_are_strings() {
    let doc = document().await;
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50, "{} references", all.len());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}: not a schema reference"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }
    // JSON object keys are strings: a year-keyed map documented with integer keys would make
    // every answer holding one fail its own schema.
    fn keys(value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                if let Some(names) = map.get("propertyNames") {
                    assert_eq!(names["type"], "string", "{at}: propertyNames {names}");
                }
                for (k, v) in map {
                    keys(v, &format!("{at}/{k}"));
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, at)),
            _ => {}
        }
    }
    keys(&doc, "");
}

/// The limits the document states are the server's own: the fuzzer sends one past each and
/// expects a refusal, so a document looser or stricter than the code is caught here first.
#[tokio::test]
async fn the_documented_limits_are_the_enforced_ones() {
    let doc = document().await;
    let schemas = &doc["components"]["schemas"];
    let prop = |schema: &str, field: &str, key: &str| -> u64 {
        schemas[schema]["properties"][field][key]
            .as_u64()
            .unwrap_or_else(|| panic!("{schema}.{field}: no {key}"))
    };
    let as_u64 = |n: usize| u64::try_from(n).expect("limit");
    let cases = [
        (
            ("LoginRequest", "username", "maxLength"),
            server::sessions::MAX_USERNAME,
        ),
        (
            ("LoginRequest", "password", "maxLength"),
            server::sessions::MAX_PASSWORD,
        ),
        (
            ("NewUser", "username", "maxLength"),
            server::sessions::MAX_USERNAME,
        ),
        (
            ("NewUser", "password", "maxLength"),
            server::sessions::MAX_PASSWORD,
        ),
        (
            ("NewUser", "display_name", "maxLength"),
            rules::MAX_SHORT_TEXT,
        ),
        (
            ("NewPassword", "password", "maxLength"),
            server::sessions::MAX_PASSWORD,
        ),
        (("NewComment", "body", "maxLength"), sync::MAX_COMMENT_LEN),
        (
            ("NewComment", "path", "maxLength"),
            app::domain::path::MAX_PATH_LEN,
        ),
        (
            ("FieldChange", "path", "maxLength"),
            app::domain::path::MAX_PATH_LEN,
        ),
        (("PushRequest", "mutations", "maxItems"), sync::MAX_BATCH),
        (
            ("NewCampaign", "letter_number", "maxLength"),
            rules::MAX_DOC_NUMBER,
        ),
        (("NewCampaign", "title", "maxLength"), rules::MAX_SHORT_TEXT),
        (
            ("NewCampaign", "years", "maxItems"),
            rules::MAX_TARGET_YEARS,
        ),
        (
            ("Header", "signer_name", "maxLength"),
            rules::MAX_SHORT_TEXT,
        ),
        (("CellPlan", "name", "maxLength"), rules::MAX_SHORT_TEXT),
        (("Sections", "solutions", "maxLength"), rules::MAX_LONG_TEXT),
        (
            ("Candidate", "full_name", "maxLength"),
            rules::MAX_SHORT_TEXT,
        ),
    ];
    for ((schema, field, key), limit) in cases {
        assert_eq!(
            prop(schema, field, key),
            as_u64(limit),
            "{schema}.{field} {key}"
        );
    }
    // The operations' own limits sit inside the tagged variants.
    let operation = schemas["Operation"]["oneOf"]
        .as_array()
        .expect("Operation variants");
    let variant = |tag: &str| {
        operation
            .iter()
            .find_map(|v| v["properties"].get(tag))
            .unwrap_or_else(|| panic!("no {tag} variant"))
    };
    assert_eq!(
        variant("edit")["properties"]["changes"]["maxItems"],
        as_u64(sync::MAX_CHANGES)
    );
    assert_eq!(
        variant("return")["properties"]["comments"]["maxItems"],
        as_u64(sync::MAX_COMMENTS)
    );
    // The codes of a closed set are its wire codes, not the Rust names.
    assert_eq!(
        schemas["Role"]["enum"],
        serde_json::json!(["unit_editor", "district_reviewer", "administrator"])
    );
    assert_eq!(
        schemas["PlanStatus"]["enum"],
        serde_json::json!(["draft", "submitted", "returned", "approved"])
    );
}

#[tokio::test]
async fn an_undocumented_api_route_is_a_json_404_and_a_wrong_method_a_json_405() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/sync/everything").await;
    assert_eq!(res.json()["error"]["code"], "route_not_found");
    let res = app.get("/api/v1/sync/push").await;
    assert_eq!(res.status, axum::http::StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json()["error"]["code"], "method_not_allowed");
    // A download that does not exist is not a route either.
    let res = app
        .get("/api/v1/campaigns/00000000-0000-0000-0000-000000000000/plans.csv")
        .await;
    assert_eq!(res.json()["error"]["code"], "route_not_found");
}
