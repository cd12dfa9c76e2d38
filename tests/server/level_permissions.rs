//! Every route against every role at every level of the 2025 tree (Tỉnh ủy → communes →
//! cells): each account gets exactly the status it should, a reviewer reviews only the level
//! directly under it and writes none of it, nobody reaches a sibling's or a cousin's plans, and
//! a scoped administrator manages its subtree only. Refusals are 401/403/404 or a refused
//! mutation with its code, never a 500. (`permissions.rs` does the same on the 2022 district.)

use axum::http::Method;
use integration::{Session, TestApp, mutation, op, valid_document_2025};
use serde_json::{Value, json};
use server::seed::DEMO_PASSWORD;
use server::seed_2025::{commune_campaign_id, province_campaign_id};
use uuid::Uuid;

/// The actors, in the order of every expectation row below.
const ACTORS: [&str; 9] = [
    "anonymous",
    "tinhuy",
    "tinhuy-quantri",
    "baolam1",
    "baolam1-quantri",
    "baolam1-cb1",
    "baolam1-cb2",
    "baolam2",
    "baolam5-cb1",
];
const N: usize = ACTORS.len();

struct World {
    app: TestApp,
    sessions: Vec<Session>,
    /// Bảo Lâm 1's own plan for the province's campaign, submitted.
    commune_plan: Uuid,
    /// The first cell's plan for Bảo Lâm 1's campaign, submitted.
    cell_plan: Uuid,
    commune: Uuid,
    commune_cell: Uuid,
    other_commune_cell: Uuid,
}

const YEARS: [u16; 5] = [2026, 2027, 2028, 2029, 2030];

async fn applied(app: &TestApp, session: &Session, m: Value) {
    let res = app.push(session, Uuid::new_v4(), vec![m]).await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
}

async fn world() -> World {
    let app = TestApp::new().await;
    server::seed_2025::seed(&app.db).await.expect("seed");
    let mut sessions = vec![Session::anonymous()];
    for name in &ACTORS[1..] {
        sessions.push(app.login_with(name, DEMO_PASSWORD).await);
    }
    let commune = integration::unit_id(&app.db, "XA-BAO-LAM-1").await;
    let cells = integration::cells_of(&app.db, commune).await;
    let other = integration::unit_id(&app.db, "XA-BAO-LAM-2").await;
    let other_commune_cell = integration::cells_of(&app.db, other).await[0].0;
    let (commune_plan, cell_plan) = (Uuid::new_v4(), Uuid::new_v4());
    let submit = |plan| {
        mutation(
            plan,
            1,
            op("submit", json!({"submitted_at": "2026-03-01T08:00:00Z"})),
        )
    };
    for (session, plan, unit, campaign, cells) in [
        (
            &sessions[3],
            commune_plan,
            commune,
            province_campaign_id(),
            &cells[..],
        ),
        (
            &sessions[5],
            cell_plan,
            cells[0].0,
            commune_campaign_id("XA-BAO-LAM-1"),
            &[][..],
        ),
    ] {
        let document = valid_document_2025(campaign, cells);
        applied(
            &app,
            session,
            mutation(
                plan,
                0,
                op(
                    "create",
                    json!({"unit_id": unit, "campaign_id": campaign, "document": document}),
                ),
            ),
        )
        .await;
        applied(&app, session, submit(plan)).await;
    }
    World {
        commune_cell: cells[0].0,
        app,
        sessions,
        commune_plan,
        cell_plan,
        commune,
        other_commune_cell,
    }
}

/// A campaign for the 2025–2030 term, as any reviewing committee opens it.
fn campaign_2025() -> Value {
    json!({
        "id": Uuid::new_v4(),
        "letter_number": "12-CV/BXDĐ",
        "letter_date": "2026-01-05",
        "title": "Kế hoạch tạo nguồn phát triển đảng viên nhiệm kỳ 2025–2030",
        "term": { "start_year": 2025, "end_year": 2030 },
        "years": YEARS,
        "deadline": "2026-02-15",
        "term_total_rule": "at_least"
    })
}

#[tokio::test]
async fn every_route_answers_each_role_at_each_level() {
    let w = world().await;
    let province_campaign = province_campaign_id();
    let commune_campaign = commune_campaign_id("XA-BAO-LAM-1");
    let target = json!({"total": 80, "women": 40, "youth_union_members": 50,
        "ethnic_minority": 30, "religious": 10, "industrial_workers": 20});
    // (method, uri, body, expected status per actor in `ACTORS` order). A body of `null` on
    // POST /campaigns or /admin/users is made fresh per actor (ids and usernames are unique).
    #[rustfmt::skip]
    let mut table: Vec<(Method, String, Option<Value>, [u16; N])> = vec![
        //                                                    anon tinhuy t-qt  bl1  bl1-qt cb1  cb2  bl2  bl5cb1
        (Method::GET, "/api/v1/auth/me".into(), None,          [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Method::GET, "/api/v1/sync/pull".into(), None,        [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        (Method::POST, "/api/v1/sync/push".into(),
            Some(json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": []})),
                                                               [401, 200, 200, 200, 200, 200, 200, 200, 200]),
        // Any reviewing committee opens campaigns for the units under it; a cell has none.
        (Method::POST, "/api/v1/campaigns".into(), Some(Value::Null),
                                                               [401, 201, 403, 201, 403, 403, 403, 201, 403]),
        (Method::GET, "/api/v1/admin/users".into(), None,      [401, 403, 200, 403, 200, 403, 403, 403, 403]),
        // An account for a cell of Bảo Lâm 1: inside both administrators' subtrees.
        (Method::POST, format!("/api/v1/admin/users#{}", w.commune_cell), Some(Value::Null),
                                                               [401, 403, 201, 403, 201, 403, 403, 403, 403]),
        // …and one for a cell of Bảo Lâm 2: outside the commune administrator's.
        (Method::POST, format!("/api/v1/admin/users#{}", w.other_commune_cell), Some(Value::Null),
                                                               [401, 403, 201, 403, 403, 403, 403, 403, 403]),
        // The province's own target: its campaign only; another reviewer does not find it.
        (Method::PUT, format!("/api/v1/campaigns/{province_campaign}/district-target"), Some(target.clone()),
                                                               [401, 200, 403, 404, 403, 403, 403, 404, 403]),
        (Method::PUT, format!("/api/v1/campaigns/{commune_campaign}/district-target"), Some(target),
                                                               [401, 404, 403, 200, 403, 403, 403, 404, 403]),
        // The cell's plan: its cell and its commune; not the province, which reviews communes.
        (Method::GET, format!("/api/v1/plans/{}/versions", w.cell_plan), None,
                                                               [401, 404, 404, 200, 404, 200, 404, 404, 404]),
        (Method::GET, format!("/api/v1/plans/{}/diff?from=1&to=2", w.cell_plan), None,
                                                               [401, 404, 404, 200, 404, 200, 404, 404, 404]),
        // The commune's plan: the commune and the province; not the commune's own cells.
        (Method::GET, format!("/api/v1/plans/{}/versions", w.commune_plan), None,
                                                               [401, 200, 404, 200, 404, 404, 404, 404, 404]),
        (Method::GET, format!("/api/v1/plans/{}/diff?from=1&to=2", w.commune_plan), None,
                                                               [401, 200, 404, 200, 404, 404, 404, 404, 404]),
        (Method::GET, "/api/v1/openapi.json".into(), None,     [200; N]),
        (Method::GET, "/healthz".into(), None,                 [200; N]),
    ];
    // Each campaign's views, as JSON and as files: its opener's reviewers only. Another
    // reviewer does not find it; an account with no reviewer role is refused.
    for view in ["board", "totals", "achievement"] {
        for ext in ["", ".csv", ".xlsx"] {
            table.push((
                Method::GET,
                format!("/api/v1/campaigns/{province_campaign}/{view}{ext}"),
                None,
                [401, 200, 403, 404, 403, 403, 403, 404, 403],
            ));
            table.push((
                Method::GET,
                format!("/api/v1/campaigns/{commune_campaign}/{view}{ext}"),
                None,
                [401, 404, 403, 200, 403, 403, 403, 404, 403],
            ));
        }
    }
    // Password resets last: a reset ends the account's sessions. Neither account is an actor.
    let cell_account = integration::user_id(&w.app.db, "baolam1-cb3").await;
    let cousin_account = integration::user_id(&w.app.db, "baolam5-cb2").await;
    let password = json!({"password": "mat-khau-moi-1"});
    table.push((
        Method::POST,
        format!("/api/v1/admin/users/{cell_account}/password"),
        Some(password.clone()),
        [401, 403, 204, 403, 204, 403, 403, 403, 403],
    ));
    table.push((
        Method::POST,
        format!("/api/v1/admin/users/{cousin_account}/password"),
        Some(password),
        [401, 403, 204, 403, 404, 403, 403, 403, 403],
    ));

    let mut accounts = 0;
    for (method, uri, body, expected) in table {
        let (uri, unit) = match uri.split_once('#') {
            Some((uri, unit)) => (uri.to_owned(), Some(unit.to_owned())),
            None => (uri, None),
        };
        for ((who, session), want) in ACTORS.iter().zip(&w.sessions).zip(expected) {
            let body = match (&body, uri.as_str()) {
                (Some(Value::Null), "/api/v1/campaigns") => Some(campaign_2025()),
                (Some(Value::Null), _) => {
                    accounts += 1;
                    Some(json!({"username": format!("chi-bo-moi-{accounts}"),
                        "display_name": "Bí thư chi bộ", "roles": ["unit_editor"],
                        "unit_id": unit, "password": "mat-khau-dai"}))
                }
                _ => body.clone(),
            };
            let res = w
                .app
                .send(session.request(method.clone(), &uri, body.as_ref()))
                .await;
            assert_eq!(
                res.status.as_u16(),
                want,
                "{method} {uri} {} as {who} on {}: {}",
                unit.as_deref().unwrap_or(""),
                w.app.backend,
                res.text()
            );
            if !res.status.is_success() {
                assert!(
                    res.json()["error"]["code"].is_string(),
                    "{method} {uri} as {who}: a JSON error"
                );
            }
        }
    }
}

/// What each account may do to a submitted plan one level below it, two levels below it, or
/// at its own level: the reviewer directly above decides, nobody else touches it.
#[tokio::test]
async fn only_the_level_directly_above_decides_and_nobody_else_writes() {
    let w = world().await;
    let edit = || {
        op(
            "edit",
            json!({"changes": [{"path": "sections.notes", "base": "", "value": "sửa hộ"}]}),
        )
    };
    let comment = || {
        op(
            "comment",
            json!({"comment": {"id": Uuid::new_v4(), "path": null, "body": "Góp ý"}}),
        )
    };
    let approve = || op("approve", json!({"comment": null}));
    let give_back = || {
        op(
            "return",
            json!({"comments": [{"id": Uuid::new_v4(), "path": "pool.total", "body": "Rà soát lại."}]}),
        )
    };
    let (cell, commune) = (w.cell_plan, w.commune_plan);
    #[rustfmt::skip]
    let refusals: Vec<(usize, Uuid, Value, &str)> = vec![
        // The province reviews communes: their cells' plans do not exist for it.
        (1, cell, approve(), "plan.not_found"),
        (1, cell, comment(), "plan.not_found"),
        // …and it reviews the commune's plan without writing it.
        (1, commune, edit(), "forbidden"),
        // The commune reviews its cell without writing it, and cannot decide its own plan.
        (3, cell, edit(), "forbidden"),
        (3, commune, approve(), "transition.role_not_allowed"),
        (3, commune, give_back(), "transition.role_not_allowed"),
        // A cell cannot reach its commune's plan, nor a sibling's.
        (5, commune, comment(), "plan.not_found"),
        (6, cell, edit(), "plan.not_found"),
        (6, cell, comment(), "plan.not_found"),
        // Another commune, a cousin cell, and the administrators reach neither.
        (7, cell, approve(), "plan.not_found"),
        (7, commune, approve(), "plan.not_found"),
        (8, cell, comment(), "plan.not_found"),
        (2, commune, edit(), "plan.not_found"),
        (4, cell, edit(), "plan.not_found"),
    ];
    for (actor, plan, op, code) in refusals {
        let res = w
            .app
            .push(
                &w.sessions[actor],
                Uuid::new_v4(),
                vec![mutation(plan, 2, op)],
            )
            .await;
        let result = &res.results()[0];
        assert_eq!(
            (result["outcome"].as_str(), result["code"].as_str()),
            (Some("rejected"), Some(code)),
            "{} on {}: {result}",
            ACTORS[actor],
            if plan == cell {
                "the cell's plan"
            } else {
                "the commune's plan"
            }
        );
        if code == "plan.not_found" {
            assert!(
                result["plan"].is_null(),
                "{} learns nothing of the plan",
                ACTORS[actor]
            );
        }
    }
    // A cell cannot start a plan for its commune, nor for a campaign that does not ask it.
    let document = valid_document_2025(province_campaign_id(), &[]);
    for (unit, campaign, code) in [
        (w.commune, province_campaign_id(), "forbidden"),
        (
            w.commune_cell,
            province_campaign_id(),
            "campaign.not_for_unit",
        ),
        (
            w.commune_cell,
            commune_campaign_id("XA-BAO-LAM-5"),
            "campaign.not_for_unit",
        ),
    ] {
        let res = w
            .app
            .push(
                &w.sessions[5],
                Uuid::new_v4(),
                vec![mutation(
                    Uuid::new_v4(),
                    0,
                    op(
                        "create",
                        json!({"unit_id": unit, "campaign_id": campaign, "document": document}),
                    ),
                )],
            )
            .await;
        assert_eq!(res.results()[0]["code"], code, "{}", res.text());
    }
    // The level directly above decides: the province returns the commune's plan, the commune
    // approves its cell's.
    applied(&w.app, &w.sessions[1], mutation(commune, 2, give_back())).await;
    applied(&w.app, &w.sessions[3], mutation(cell, 2, approve())).await;
}
