//! The OpenAPI document describes the API that exists: every documented operation is routed,
//! and the document is valid JSON naming its version.

use axum::http::Method;
use integration::{Session, TestApp};

#[tokio::test]
async fn every_documented_operation_exists() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    let doc = res.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 9);
    for (path, item) in paths {
        for (method, _) in item.as_object().expect("path item") {
            let uri = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
            let method: Method = method.to_uppercase().parse().expect("method");
            let body = (method == Method::POST).then(|| serde_json::json!({}));
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
async fn an_undocumented_api_route_is_a_json_404_and_a_wrong_method_a_json_405() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/sync/everything").await;
    assert_eq!(res.json()["error"]["code"], "route_not_found");
    let res = app.get("/api/v1/sync/push").await;
    assert_eq!(res.status, axum::http::StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json()["error"]["code"], "method_not_allowed");
}
