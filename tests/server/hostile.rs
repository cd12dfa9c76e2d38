//! Hostile input and security headers: injection strings in every text field, broken bodies
//! (deeply nested, invalid UTF-8, huge numbers), thousands of random bodies on every JSON
//! endpoint (never a 5xx, nothing half-written), session fixation, and the headers that let
//! the WebAssembly run while nothing injected can.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use integration::{Demo, Rng, Session, TestApp, mutation, op, valid_document};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use server::store::entities::{applied_mutation, campaign, plan, plan_comment, plan_version};
use uuid::Uuid;

/// Strings that have broken other systems: SQL, markup, spreadsheet formulas, control and
/// direction characters, a lone surrogate's replacement, emoji, Vietnamese with diacritics.
const NASTY: [&str; 10] = [
    "'; DROP TABLE plan; --",
    "Robert'); DELETE FROM user_account WHERE ('1'='1",
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://evil.example\",\"bấm vào\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\u{202e}gnp.exe\u{0007}\t\r\n",
    "Đảng viên 🇻🇳 \u{fffd}",
    "%s%n%x {{7*7}} ${7*7} \\u0000",
];

async fn counts(app: &TestApp) -> [u64; 5] {
    [
        plan::Entity::find().count(&app.db).await.expect("count"),
        plan_version::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        applied_mutation::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        plan_comment::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        campaign::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
    ]
}

fn create(demo: &Demo, plan_id: Uuid, doc: &app::domain::PlanDocument) -> Value {
    mutation(
        plan_id,
        0,
        op(
            "create",
            json!({"unit_id": demo.thpt, "campaign_id": demo.campaign, "document": doc}),
        ),
    )
}

#[tokio::test]
async fn injection_strings_in_every_text_field_are_stored_verbatim_and_harm_nothing() {
    let (app, demo) = TestApp::seeded().await;
    let unit = app.login("thpt-loc-thanh").await;
    let reviewer = app.login("bantochuc").await;
    let plan_id = Uuid::new_v4();
    let mut doc = valid_document(&[]);
    doc.header.place = NASTY[0].into();
    doc.header.signer_name = NASTY[1].into();
    doc.header.signer_title = NASTY[2].into();
    // (The document number has a format the rules check: it refuses such strings anyway.)
    doc.sections.assessment = NASTY[4].into();
    doc.sections.solutions = NASTY[5].into();
    doc.sections.notes = [NASTY[3]]
        .iter()
        .chain(&NASTY[6..])
        .copied()
        .collect::<Vec<_>>()
        .join(" | ");
    let res = app
        .push(&unit, Uuid::new_v4(), vec![create(&demo, plan_id, &doc)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());

    // Each string again as an edit, and as the Board's comment on a field.
    let mut revision = 1;
    let mut current = json!(doc.sections.notes);
    for nasty in NASTY {
        let res = app
            .push(
                &unit,
                Uuid::new_v4(),
                vec![mutation(
                    plan_id,
                    revision,
                    op(
                        "edit",
                        json!({"changes": [{"path": "sections.notes", "base": current, "value": nasty}]}),
                    ),
                )],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{nasty}: {}", res.text());
        let result = &res.results()[0];
        assert_ne!(result["outcome"], "rejected", "{nasty}: {result}");
        revision = result["plan"]["revision"].as_u64().expect("revision");
        assert_eq!(result["plan"]["document"]["sections"]["notes"], nasty);
        current = json!(nasty);
    }
    let res = app
        .push(
            &unit,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                revision,
                op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"})),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    let comments: Vec<Value> = NASTY
        .iter()
        .map(|body| json!({"id": Uuid::new_v4(), "path": "sections.notes", "body": body}))
        .collect();
    let res = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                revision + 1,
                op("return", json!({ "comments": comments })),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());

    // Pulled back exactly as written, by the unit and by the Board.
    for session in [&unit, &reviewer] {
        let (changes, _) = app.pull_all(session, 0).await;
        let latest = changes
            .iter()
            .rfind(|c| c["type"] == "plan" && c["data"]["id"] == json!(plan_id))
            .expect("the plan is pulled");
        let header = &latest["data"]["document"]["header"];
        assert_eq!(header["place"], NASTY[0]);
        assert_eq!(header["signer_name"], NASTY[1]);
        assert_eq!(header["signer_title"], NASTY[2]);
        let bodies: Vec<&Value> = changes
            .iter()
            .filter(|c| c["type"] == "comment")
            .map(|c| &c["data"]["body"])
            .collect();
        for nasty in NASTY {
            // Comments are kept as written, less surrounding whitespace.
            assert!(
                bodies.contains(&&json!(nasty.trim())),
                "comment {nasty:?} lost: {bodies:?}"
            );
        }
    }
    // The tables the SQL strings aimed at are intact.
    assert!(app.login("loc-an").await.cookie.is_some());
    let [plans, ..] = counts(&app).await;
    assert_eq!(plans, 1);

    // A spreadsheet opening the Board's exports runs nothing; the JSON is not a document.
    for path in ["board.csv", "totals.csv", "achievement.csv"] {
        let res = app
            .get_as(
                &format!("/api/v1/campaigns/{}/{path}", demo.campaign),
                &reviewer,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        for line in res.text().lines() {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(
                    !cell.starts_with(['=', '+', '@']),
                    "{path}: a cell a spreadsheet would run: {cell}"
                );
            }
        }
    }
}

#[tokio::test]
async fn broken_bodies_get_a_clear_400_and_change_nothing() {
    let (app, demo) = TestApp::seeded().await;
    let unit = app.login("thpt-loc-thanh").await;
    let before = counts(&app).await;

    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!(
        "{{\"protocol\":1,\"device_id\":\"{}\",\"mutations\":[{}{}]}}",
        Uuid::new_v4(),
        "{\"a\":".repeat(5_000),
        "1}".repeat(5_000)
    );
    let valid = json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [
        create(&demo, Uuid::new_v4(), &valid_document(&[]))
    ]})
    .to_string();
    let mut invalid_utf8 = valid.clone().into_bytes();
    // Inside a string, where a decoder that trusted its input would build a broken `str`.
    let at = valid.find("\"protocol\"").map_or(2, |i| i + 2);
    invalid_utf8[at] = 0xFF;
    invalid_utf8[at + 1] = 0xFE;
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("nested arrays", nested.into_bytes()),
        ("nested objects", deep_object.into_bytes()),
        ("invalid UTF-8", invalid_utf8),
        (
            "a number past u64",
            valid
                .replacen("\"base_revision\":0", "\"base_revision\":1e400", 1)
                .into_bytes(),
        ),
        (
            "a negative revision",
            valid
                .replacen("\"base_revision\":0", "\"base_revision\":-1", 1)
                .into_bytes(),
        ),
        ("truncated", valid.as_bytes()[..valid.len() / 2].to_vec()),
        ("NUL bytes", vec![0u8; 64]),
        (
            // serde reads an array into a struct by position; found by the API fuzzer.
            "an array where an object belongs",
            format!("[1, \"{}\", []]", Uuid::new_v4()).into_bytes(),
        ),
        ("empty", Vec::new()),
        (
            "a duplicated key",
            valid
                .replacen("\"protocol\":1", "\"protocol\":1,\"protocol\":2", 1)
                .into_bytes(),
        ),
    ];
    for (what, body) in bodies {
        let mut req = Request::post("/api/v1/sync/push")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request");
        if let Some(cookie) = &unit.cookie {
            req.headers_mut()
                .insert("cookie", cookie.parse().expect("cookie"));
        }
        let res = app.send(req).await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{what}: {}",
            res.text()
        );
        let error = &res.json()["error"];
        assert!(
            error["code"].as_str().is_some_and(|c| !c.is_empty()),
            "{what}"
        );
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.chars().count() > 10),
            "{what}: a message a person can read: {error}"
        );
    }
    assert_eq!(counts(&app).await, before, "nothing was written");
}

/// A random JSON value, from the kinds of things that break decoders.
fn random_value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 3 { 7 } else { 10 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next_u64()),
        3 => json!(-(i64::try_from(rng.below(1000)).unwrap_or(0)) - 1),
        4 => json!(f64::from(u32::try_from(rng.below(1000)).unwrap_or(0)) / 7.0),
        5 => json!(NASTY[rng.below(NASTY.len())]),
        6 => json!(
            [
                "2022-02-15".to_owned(),
                "x".repeat(rng.below(5_000)),
                Uuid::new_v4().to_string(),
                String::new(),
            ][rng.below(4)]
        ),
        7 | 8 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "edit",
                "create",
                "submit",
                "return",
                "changes",
                "path",
                "value",
                "id",
                "mutations",
                "protocol",
                "x",
            ];
            Value::Object(
                (0..rng.below(4))
                    .map(|_| {
                        (
                            keys[rng.below(keys.len())].to_owned(),
                            random_value(rng, depth + 1),
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// Replaces a random node of `value`.
fn mutate(value: &mut Value, rng: &mut Rng) {
    let choice = rng.below(4);
    match value {
        Value::Object(map) if !map.is_empty() && choice != 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            if choice == 1 {
                map.remove(key);
            } else if let Some(child) = map.get_mut(key) {
                mutate(child, rng);
            }
        }
        Value::Array(items) if !items.is_empty() && choice != 0 => {
            let i = rng.below(items.len());
            mutate(&mut items[i], rng);
        }
        _ => *value = random_value(rng, 0),
    }
}

#[tokio::test]
async fn thousands_of_random_bodies_on_every_json_endpoint_never_get_a_5xx() {
    let (app, demo) = TestApp::seeded().await;
    let unit = app.login("thpt-loc-thanh").await;
    let reviewer = app.login("bantochuc").await;
    let admin = app.login("quantri").await;
    let anonymous = Session::anonymous();
    let plan_id = Uuid::new_v4();
    let res = app
        .push(
            &unit,
            Uuid::new_v4(),
            vec![create(&demo, plan_id, &valid_document(&[]))],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied");

    let push = json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [
        mutation(plan_id, 1, op("edit", json!({"changes": [{"path": "pool.total", "base": 4, "value": 5}]}))),
        mutation(plan_id, 1, op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"}))),
        mutation(plan_id, 1, op("comment", json!({"comment": {"id": Uuid::new_v4(), "path": null, "body": "Ý kiến"}}))),
    ]});
    let target = json!({"total": 100, "ethnic_minority": 20, "religious": 5, "youth_union": 60, "women": 40, "students": 0, "workers": 10});
    let endpoints: Vec<(Method, String, &Session, Value)> = vec![
        (Method::POST, "/api/v1/sync/push".into(), &unit, push),
        (
            Method::POST,
            "/api/v1/campaigns".into(),
            &reviewer,
            integration::campaign_body(Uuid::new_v4()),
        ),
        (
            Method::PUT,
            format!("/api/v1/campaigns/{}/district-target", demo.campaign),
            &reviewer,
            target,
        ),
        (
            Method::POST,
            "/api/v1/admin/users".into(),
            &admin,
            json!({"username": "moi", "display_name": "Người mới", "role": "unit_editor", "unit_id": demo.thpt, "password": "mat-khau-dai-du"}),
        ),
        (
            Method::POST,
            "/api/v1/auth/login".into(),
            &anonymous,
            json!({"username": "khong-co", "password": "x"}),
        ),
    ];
    let rounds: usize = std::env::var("HOSTILE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x7A0_2026);
    let mut sent = 0usize;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for round in 0..rounds {
        for (method, uri, session, valid) in &endpoints {
            let mut body = valid.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut body, &mut rng);
            }
            let before = counts(&app).await;
            let res = app
                .send(session.request(method.clone(), uri, Some(&body)))
                .await;
            sent += 1;
            *statuses.entry(res.status.as_u16()).or_default() += 1;
            assert!(
                !res.status.is_server_error(),
                "round {round}: {method} {uri} answered {} to {body}: {}",
                res.status,
                res.text()
            );
            if res.status.is_client_error() {
                let error = res.json();
                assert!(error["error"]["message"].is_string(), "{uri}: {error}");
                assert_eq!(
                    counts(&app).await,
                    before,
                    "{uri}: a refused request wrote something"
                );
            }
        }
        // Random queries on the read endpoints too.
        let q = random_value(&mut rng, 3).to_string();
        let encoded: String = q
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        for uri in [
            format!("/api/v1/sync/pull?cursor={encoded}&limit={encoded}"),
            format!(
                "/api/v1/campaigns/{}/totals?include={encoded}",
                demo.campaign
            ),
            format!(
                "/api/v1/campaigns/{}/achievement?from={encoded}",
                demo.campaign
            ),
            format!("/api/v1/plans/{plan_id}/diff?from={encoded}&to=1"),
            format!("/api/v1/plans/{encoded}/versions"),
        ] {
            let res = app.get_as(&uri, &reviewer).await;
            sent += 1;
            *statuses.entry(res.status.as_u16()).or_default() += 1;
            assert!(!res.status.is_server_error(), "{uri}: {}", res.text());
        }
    }
    println!(
        "random bodies on {}: {sent} requests, statuses {statuses:?}",
        app.backend
    );
}

#[tokio::test]
async fn a_session_id_chosen_before_login_is_never_the_one_after_it() {
    let (app, _demo) = TestApp::seeded().await;
    // An attacker plants a cookie in the victim's browser, then waits for the login.
    let planted = app.login("loc-an").await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &planted,
            &json!({"username": "thpt-loc-thanh", "password": integration::PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let fresh = res
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a new cookie")
        .to_owned();
    assert_ne!(Some(&fresh), planted.cookie.as_ref(), "a fresh session id");
    let me = app
        .get_as(
            "/api/v1/auth/me",
            &Session {
                cookie: Some(fresh),
            },
        )
        .await;
    assert_eq!(me.json()["username"], "thpt-loc-thanh");
    // The planted session is still only what it was: it never became the victim's.
    let old = app.get_as("/api/v1/auth/me", &planted).await;
    assert_ne!(old.json()["username"], "thpt-loc-thanh");

    // A made-up cookie value is refused, not adopted.
    let forged = Session {
        cookie: Some("tn_session=attacker-chosen-value".into()),
    };
    assert_eq!(
        app.get_as("/api/v1/auth/me", &forged).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_shell_has_a_nonce_csp_that_lets_only_our_scripts_and_wasm_run() {
    let app = TestApp::new().await;
    let res = app.get("/ke-hoach").await;
    let csp = res
        .header("content-security-policy")
        .expect("the shell has a CSP")
        .to_owned();
    let html = res.text();
    let nonce = html
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the boot script has a nonce");
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    assert!(
        csp.contains("'wasm-unsafe-eval'"),
        "WebAssembly may compile: {csp}"
    );
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{csp}");
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive}: {csp}");
    }
    // The boot script, and the few leptos_axum adds after the page, all carry this nonce.
    assert_eq!(
        html.matches("<script").count(),
        html.matches(&format!("<script nonce=\"{nonce}\"")).count()
            + html
                .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                .count(),
        "every script carries the nonce: {html}"
    );
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.header("x-frame-options"), Some("DENY"));
    assert_eq!(res.header("referrer-policy"), Some("same-origin"));

    // API answers (JSON, exports) are data: opened as a page, nothing runs.
    let api = app.get("/api/v1/auth/me").await;
    let csp = api.header("content-security-policy").expect("API CSP");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    // The service worker keeps the right to fetch and cache the app.
    let sw = app.get("/sw.js").await;
    assert!(
        sw.header("content-security-policy")
            .is_none_or(|c| !c.contains("default-src 'none'")),
        "the service worker must not be locked out of fetch"
    );
}
