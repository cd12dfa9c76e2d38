//! Accounts and sessions.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use integration::{PASSWORD, Session, TestApp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use server::store::entities::{audit_log, user_account, user_session};

async fn seeded() -> TestApp {
    let app = TestApp::new().await;
    server::seed::seed_demo(&app.db).await.expect("seed");
    app
}

#[tokio::test]
async fn login_sets_an_http_only_strict_cookie_and_me_answers() {
    let app = seeded().await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-an", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let cookie = res.header("set-cookie").expect("cookie").to_owned();
    for part in [
        "tn_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on a laptop: no Secure flag"
    );
    assert_eq!(res.json()["role"], "unit_editor");
    assert_eq!(res.json()["unit_name"], "Đảng bộ xã Lộc An");

    let session = app.login("loc-an").await;
    let me = app.get_as("/api/v1/auth/me", &session).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["username"], "loc-an");
    assert!(me.json()["district_id"].is_string());
}

#[tokio::test]
async fn usernames_are_case_insensitive_and_trimmed() {
    let app = seeded().await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "  Loc-An ", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let app = seeded().await;
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(
            json!({"username": "loc-an", "password": PASSWORD}).to_string(),
        ))
        .expect("request");
    let res = app.send(req).await;
    assert!(
        res.header("set-cookie")
            .unwrap_or_default()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = seeded().await;
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-an", "password": "sai-mat-khau"}),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "khong-co", "password": "sai-mat-khau"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json(), unknown.json());
    assert_eq!(wrong.json()["error"]["code"], "auth.invalid_credentials");
    assert!(wrong.header("set-cookie").is_none());
    let failures = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("login.failed"))
        .all(&app.db)
        .await
        .expect("audit");
    assert_eq!(failures.len(), 2, "failed logins are audited");
}

#[tokio::test]
async fn the_sixth_wrong_password_in_a_row_is_throttled_even_if_right() {
    let app = seeded().await;
    for _ in 0..5 {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                &Session::anonymous(),
                &json!({"username": "loc-an", "password": "doan-bua"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-an", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text());
    assert_eq!(res.json()["error"]["code"], "auth.too_many_attempts");
    let wait: u64 = res
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=900).contains(&wait));
    // Another unit is not locked out by it.
    app.login("loc-bao").await;
}

/// A login request as if it came from `address` (the socket's peer).
fn login_from(
    address: [u8; 4],
    username: &str,
    password: &str,
) -> axum::http::Request<axum::body::Body> {
    let mut request = Session::anonymous().request(
        axum::http::Method::POST,
        "/api/v1/auth/login",
        Some(&json!({"username": username, "password": password})),
    );
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            address, 40000,
        ))));
    request
}

#[tokio::test]
async fn a_strangers_wrong_passwords_do_not_lock_the_owner_out() {
    let app = seeded().await;
    let stranger = [203, 0, 113, 7];
    for _ in 0..5 {
        let res = app
            .send(login_from(stranger, "bantochuc", "doan-bua"))
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .send(login_from(stranger, "bantochuc", "doan-tiep"))
        .await;
    assert_eq!(
        res.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the stranger is slowed"
    );
    // The Board's own office, the day before the deadline: logs in as usual.
    let res = app
        .send(login_from([10, 0, 0, 1], "bantochuc", PASSWORD))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

#[tokio::test]
async fn logout_ends_the_session_for_good() {
    let app = seeded().await;
    let session = app.login("bantochuc").await;
    let res = app
        .post_json("/api/v1/auth/logout", &session, &json!({}))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(
        res.header("set-cookie")
            .unwrap_or_default()
            .contains("Max-Age=0")
    );
    let me = app.get_as("/api/v1/auth/me", &session).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.json()["error"]["code"], "auth.session_expired");
    assert!(
        me.json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("đăng nhập lại")
    );
}

#[tokio::test]
async fn without_a_cookie_protected_routes_answer_401() {
    let app = seeded().await;
    for uri in ["/api/v1/auth/me", "/api/v1/sync/pull"] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(res.json()["error"]["code"], "auth.required");
    }
    let forged = Session {
        cookie: Some(format!("tn_session={}", "ab".repeat(32))),
    };
    let res = app.get_as("/api/v1/auth/me", &forged).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_is_refused_and_deleted() {
    let app = seeded().await;
    let session = app.login("loc-an").await;
    let row = user_session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    let mut active: user_session::ActiveModel = row.clone().into();
    active.expires_at = Set(Utc::now() - Duration::minutes(1));
    active.update(&app.db).await.expect("expire");
    let res = app.get_as("/api/v1/auth/me", &session).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"]["code"], "auth.session_expired");
    assert!(
        user_session::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .expect("query")
            .is_none()
    );
}

#[tokio::test]
async fn a_used_session_slides_forward() {
    let app = seeded().await;
    let session = app.login("loc-an").await;
    let row = user_session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    let mut active: user_session::ActiveModel = row.clone().into();
    active.last_seen_at = Set(Utc::now() - Duration::days(6));
    active.expires_at = Set(Utc::now() + Duration::days(24));
    active.update(&app.db).await.expect("age");
    assert_eq!(
        app.get_as("/api/v1/auth/me", &session).await.status,
        StatusCode::OK
    );
    let row = user_session::Entity::find_by_id(row.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("session");
    assert!(
        row.expires_at > Utc::now() + Duration::days(29),
        "a week offline later, 30 days again"
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_nor_use_its_session() {
    let app = seeded().await;
    let session = app.login("loc-an").await;
    let user = user_account::Entity::find()
        .filter(user_account::Column::Username.eq("loc-an"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    let mut active: user_account::ActiveModel = user.into();
    active.disabled = Set(true);
    active.update(&app.db).await.expect("disable");
    assert_eq!(
        app.get_as("/api/v1/auth/me", &session).await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-an", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = seeded().await;
    let session = app.login("loc-an").await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("origin", "null"),
    ] {
        let mut req = session.request(
            axum::http::Method::POST,
            "/api/v1/auth/logout",
            Some(&json!({})),
        );
        req.headers_mut()
            .insert(header, value.parse().expect("header"));
        req.headers_mut()
            .insert("host", "127.0.0.1:3000".parse().expect("header"));
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{header}: {value}");
        assert_eq!(res.json()["error"]["code"], "csrf.cross_site");
    }
    let mut req = session.request(
        axum::http::Method::POST,
        "/api/v1/auth/logout",
        Some(&json!({})),
    );
    req.headers_mut()
        .insert("origin", "http://127.0.0.1:3000".parse().expect("header"));
    req.headers_mut()
        .insert("host", "127.0.0.1:3000".parse().expect("header"));
    req.headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().expect("header"));
    assert_eq!(
        app.send(req).await.status,
        StatusCode::NO_CONTENT,
        "same origin is fine"
    );
}

#[tokio::test]
async fn login_input_is_bounded_and_typed() {
    let app = seeded().await;
    let long = "x".repeat(300);
    let cases = [
        (
            json!({"username": "loc-an", "password": long}),
            StatusCode::UNAUTHORIZED,
        ),
        (json!({"username": "loc-an"}), StatusCode::BAD_REQUEST),
        (
            json!({"username": 5, "password": "x"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"username": "loc-an", "password": "x", "admin": true}),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (body, status) in cases {
        let res = app
            .post_json("/api/v1/auth/login", &Session::anonymous(), &body)
            .await;
        assert_eq!(res.status, status, "{body}: {}", res.text());
    }
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "text/plain")
        .body(Body::from("username=loc-an"))
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(res.json()["error"]["code"], "json.content_type");
}
