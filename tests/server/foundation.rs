//! The skeleton: health check, shell, assets, API errors, body limits, migrations, demo seed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use integration::{CSS, EDITOR_CHUNK, JS, LOADER, TestApp, WASM};
use sea_orm::{EntityTrait, PaginatorTrait};
use server::store::entities::{org_unit, user_account};

#[tokio::test]
async fn healthz_reports_ok_when_the_database_answers() {
    let app = TestApp::new().await;
    let res = app.get("/healthz").await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "{} on {}",
        res.text(),
        app.backend
    );
    let body = res.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(res.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn healthz_reports_503_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.db.clone().close().await.expect("close the pool");
    let res = app.get("/healthz").await;
    assert_eq!(
        res.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["database"], "unreachable");
}

#[tokio::test]
async fn every_page_url_gets_the_same_vietnamese_shell_with_hashed_assets() {
    let app = TestApp::new().await;
    let first = app.get("/").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    assert!(
        first
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    let html = first.text();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains(r#"<html lang="vi">"#), "{html}");
    // The chunk loader beside the JS that imports it, and the editor's chunk, asked for at once
    // on a visit the service worker serves (a first visit fetches the app after the form).
    assert!(
        html.contains(&format!("link('modulepreload','/pkg/{LOADER}')")),
        "{html}"
    );
    assert!(html.contains(&format!("'/pkg/{EDITOR_CHUNK}'")), "{html}");
    // The login form is in the page itself, usable before the app has arrived.
    for part in [
        r#"<form id="login-form" novalidate>"#,
        r#"<label for="username">Tên đăng nhập</label>"#,
        r#"<label for="password">Mật khẩu</label>"#,
        "fetch('/api/v1/auth/login'",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    for asset in [JS, WASM, CSS] {
        assert!(
            html.contains(&format!("/pkg/{asset}")),
            "shell must link {asset}: {html}"
        );
    }
    assert!(html.contains("Đang tải Tạo Nguồn"), "{html}");
    // Nothing after the document: no server-rendering scripts a page that renders itself in
    // the browser would never use.
    assert!(html.trim_end().ends_with("</html>"), "{html}");
    assert!(!html.contains("__RESOLVED_RESOURCES"), "{html}");
    assert!(
        html.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#),
        "{html}"
    );

    for path in [
        "/ke-hoach",
        "/tong-hop",
        "/khong/co/trang/nay",
        "/ke-hoach?nam=2022",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(
            strip_nonce(&res.text()),
            strip_nonce(&html),
            "{path} must get the route-independent shell"
        );
    }
}

#[tokio::test]
async fn the_inline_boot_script_carries_a_fresh_nonce_per_response() {
    let app = TestApp::new().await;
    let a = nonce(&app.get("/").await.text());
    let b = nonce(&app.get("/").await.text());
    assert!(a.len() >= 16, "nonce too short: {a:?}");
    assert_ne!(a, b);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let app = TestApp::new().await;
    let res = app.get(&format!("/pkg/{JS}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let res = app
        .send(
            Request::get(format!("/pkg/{CSS}"))
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-encoding"), Some("br"));
    assert_eq!(res.body, b"brotli bytes");

    let missing = app.get("/pkg/tao-nguon-ffffffffffffffff.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

/// What a phone needs to add the app to its home screen: the manifest, in Vietnamese, opening
/// standalone inside the service worker's scope, with icons at the sizes launchers ask for.
#[tokio::test]
async fn the_web_app_manifest_makes_the_app_installable() {
    let app = TestApp::new().await;
    let res = app.get("/manifest.webmanifest").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        Some("application/manifest+json")
    );
    let manifest = res.json();
    assert_eq!(manifest["short_name"], "Tạo Nguồn");
    assert_eq!(manifest["lang"], "vi");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["scope"], "/");
    assert_eq!(manifest["theme_color"], "#a61b1b");
    let icons = manifest["icons"].as_array().expect("icons");
    for (size, purpose) in [
        (192, "any"),
        (512, "any"),
        (192, "maskable"),
        (512, "maskable"),
    ] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == format!("{size}x{size}") && i["purpose"] == purpose)
            .unwrap_or_else(|| panic!("a {size} px {purpose} icon"));
        let src = icon["src"].as_str().expect("src");
        let res = app.get(src).await;
        assert_eq!(res.status, StatusCode::OK, "{src}");
        assert_eq!(res.header("content-type"), Some("image/png"), "{src}");
        // The PNG's own header says its size (width and height at bytes 16–23).
        let png = res.body.clone();
        assert!(png.starts_with(b"\x89PNG"), "{src}");
        let side = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        assert_eq!((side(16), side(20)), (size, size), "{src}");
    }
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_404_not_the_shell() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/khong-co").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let body = res.json();
    assert_eq!(body["error"]["code"], "route_not_found");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("API")
    );
}

#[tokio::test]
async fn posting_to_a_page_url_is_refused_with_405() {
    let app = TestApp::new().await;
    let res = app
        .send(
            Request::post("/ke-hoach")
                .body(Body::from("x"))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json()["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413_before_being_read() {
    let app = TestApp::with_env(&[("TAONGUON_MAX_BODY_BYTES", "2048")]).await;
    let res = app
        .send(
            Request::post("/api/v1/anything")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, "4096")
                .body(Body::from(vec![b' '; 4096]))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    let body = res.json();
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("quá lớn")
    );
}

#[tokio::test]
async fn api_responses_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::new().await;
    let res = app
        .send(
            Request::get("/")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = TestApp::new().await;
    server::store::db::migrate(&app.db)
        .await
        .expect("second run is a no-op");
}

#[tokio::test]
async fn the_demo_seed_creates_bao_lam_once() {
    let app = TestApp::new().await;
    let first = server::seed::seed_demo(&app.db).await.expect("seed");
    let grassroots = org_unit::Entity::find()
        .all(&app.db)
        .await
        .expect("units")
        .into_iter()
        .filter(|u| u.level == "grassroots")
        .collect::<Vec<_>>();
    let communes_and_town = grassroots
        .iter()
        .filter(|u| matches!(u.kind.as_deref(), Some("commune" | "town")))
        .count();
    assert_eq!(communes_and_town, 14, "Lộc Thắng and the thirteen communes");
    for kind in ["agency", "public_service", "enterprise", "armed_forces"] {
        assert!(
            grassroots.iter().any(|u| u.kind.as_deref() == Some(kind)),
            "the demo has at least one {kind}"
        );
    }
    assert!(grassroots.iter().any(|u| u.name == "Đảng bộ xã B'Lá"));
    assert_eq!(
        first.units_created as u64,
        org_unit::Entity::find()
            .count(&app.db)
            .await
            .expect("count")
    );
    assert!(first.logins.iter().any(|l| l.username == "bantochuc"));

    let second = server::seed::seed_demo(&app.db).await.expect("seed again");
    assert_eq!(second.units_created, 0);
    assert_eq!(second.users_created, 0);
    assert_eq!(
        user_account::Entity::find()
            .count(&app.db)
            .await
            .expect("count") as usize,
        first.users_created
    );
}

#[tokio::test]
async fn the_demo_campaign_is_open_once_and_valid_whatever_the_date() {
    let app = TestApp::new().await;
    server::seed::seed_demo(&app.db).await.expect("seed");
    assert!(
        server::seed::seed_demo_campaign(&app.db)
            .await
            .expect("campaign")
    );
    assert!(
        !server::seed::seed_demo_campaign(&app.db)
            .await
            .expect("again")
    );
    // Seeded on any day of the coming decades, it is a valid campaign whose deadline is ahead.
    let district = uuid::Uuid::nil();
    for (y, m, d) in [
        (2026, 1, 1),
        (2026, 11, 27),
        (2029, 12, 31),
        (2030, 6, 1),
        (2041, 3, 9),
    ] {
        let today = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let campaign = server::seed::demo_campaign(district, today).expect("valid");
        assert!(campaign.deadline > today);
        assert!(!campaign.years.is_empty(), "{today}");
        assert!(
            campaign.years.iter().all(|&year| i32::from(year) >= y),
            "{today}: {:?}",
            campaign.years
        );
    }
}

fn nonce(html: &str) -> String {
    html.split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

fn strip_nonce(html: &str) -> String {
    html.replace(&nonce(html), "")
}
