//! Every endpoint against every role: each gets exactly what it should, and no unit or
//! district ever sees or changes another's data (403/404 or a refused mutation, never a 500).

use axum::http::{Method, StatusCode};
use integration::{Demo, Session, TestApp, mutation, op, valid_document};
use serde_json::{Value, json};
use uuid::Uuid;

struct Actors {
    anonymous: Session,
    loc_an: Session,
    other_unit: Session,
    reviewer: Session,
    other_reviewer: Session,
    other_district_unit: Session,
    admin: Session,
}

async fn actors(app: &TestApp) -> Actors {
    Actors {
        anonymous: Session::anonymous(),
        loc_an: app.login("loc-an").await,
        other_unit: app.login("thpt-loc-thanh").await,
        reviewer: app.login("bantochuc").await,
        other_reviewer: app.login("bantochuc-dilinh").await,
        other_district_unit: app.login("gia-hiep").await,
        admin: app.login("quantri").await,
    }
}

impl Actors {
    fn all(&self) -> [(&'static str, &Session); 7] {
        [
            ("anonymous", &self.anonymous),
            ("loc-an", &self.loc_an),
            ("other unit", &self.other_unit),
            ("reviewer", &self.reviewer),
            ("other district's reviewer", &self.other_reviewer),
            ("other district's unit", &self.other_district_unit),
            ("administrator", &self.admin),
        ]
    }
}

async fn lộc_an_plan(app: &TestApp, demo: &Demo, a: &Actors) -> Uuid {
    let id = Uuid::new_v4();
    let doc = valid_document(&demo.loc_an_cells);
    let res = app
        .push(
            &a.loc_an,
            Uuid::new_v4(),
            vec![mutation(
                id,
                0,
                op(
                    "create",
                    json!({"unit_id": demo.loc_an, "campaign_id": demo.campaign, "document": doc}),
                ),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    id
}

#[tokio::test]
async fn each_role_gets_exactly_its_status_on_every_endpoint() {
    let (app, demo) = TestApp::seeded().await;
    let a = actors(&app).await;
    let plan = lộc_an_plan(&app, &demo, &a).await;
    let some_user = Uuid::new_v4();
    // (method, uri, body, expected status per actor in `Actors::all` order)
    let campaign = |id: u128| integration::campaign_body(Uuid::from_u128(id));
    let new_user = |name: &str| json!({"username": name, "display_name": name, "role": "administrator", "password": "mat-khau-dai"});
    let table: Vec<(Method, String, Option<Value>, [u16; 7])> = vec![
        (
            Method::GET,
            "/api/v1/auth/me".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/sync/pull".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/sync/push".into(),
            Some(json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": []})),
            [401, 200, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/api/v1/campaigns".into(),
            Some(campaign(0xA1)),
            [401, 403, 403, 201, 201, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/admin/users".into(),
            None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/admin/users".into(),
            Some(new_user("nguoi-moi")),
            [401, 403, 403, 403, 403, 403, 201],
        ),
        (
            Method::POST,
            format!("/api/v1/admin/users/{some_user}/password"),
            Some(json!({"password": "mat-khau-moi-1"})),
            [401, 403, 403, 403, 403, 403, 404],
        ),
        (
            Method::PUT,
            format!("/api/v1/campaigns/{}/district-target", demo.campaign),
            Some(
                json!({"total": 80, "ethnic_minority": 30, "religious": 10, "youth_union": 50,
                "women": 40, "students": 5, "workers": 20}),
            ),
            [401, 403, 403, 200, 404, 403, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{plan}/versions"),
            None,
            [401, 200, 404, 200, 404, 404, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/plans/{plan}/diff?from=1&to=1"),
            None,
            [401, 200, 404, 200, 404, 404, 404],
        ),
        (Method::GET, "/api/v1/openapi.json".into(), None, [200; 7]),
        (Method::GET, "/healthz".into(), None, [200; 7]),
    ];
    // The Board's views of its campaign, as JSON and as files: its own district only.
    let mut table = table;
    for view in ["board", "totals", "achievement"] {
        for ext in ["", ".csv", ".xlsx"] {
            table.push((
                Method::GET,
                format!("/api/v1/campaigns/{}/{view}{ext}", demo.campaign),
                None,
                [401, 403, 403, 200, 404, 403, 403],
            ));
        }
    }
    for (method, uri, body, expected) in table {
        for ((who, session), want) in a.all().into_iter().zip(expected) {
            // A campaign id can be opened once per district; use a fresh one per actor.
            let body = match (&body, uri.as_str()) {
                (Some(_), "/api/v1/campaigns") => Some(integration::campaign_body(Uuid::new_v4())),
                _ => body.clone(),
            };
            let res = app
                .send(session.request(method.clone(), &uri, body.as_ref()))
                .await;
            assert_eq!(
                res.status.as_u16(),
                want,
                "{method} {uri} as {who}: {}",
                res.text()
            );
            if !res.status.is_success() {
                assert!(
                    res.json()["error"]["code"].is_string(),
                    "{method} {uri} as {who}: JSON error"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_plan_is_visible_only_to_its_unit_and_its_district() {
    let (app, demo) = TestApp::seeded().await;
    let a = actors(&app).await;
    let plan = lộc_an_plan(&app, &demo, &a).await;
    let comment = Uuid::new_v4();
    let res = app
        .push(&a.reviewer, Uuid::new_v4(), vec![mutation(plan, 1, op("comment", json!({"comment": {"id": comment, "path": "pool.total", "body": "Kiểm tra lại tổng nguồn."}})))])
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());

    let expectations = [
        ("loc-an", &a.loc_an, true),
        ("other unit", &a.other_unit, false),
        ("reviewer", &a.reviewer, true),
        ("other district's reviewer", &a.other_reviewer, false),
        ("other district's unit", &a.other_district_unit, false),
        ("administrator", &a.admin, false),
    ];
    for (who, session, sees) in expectations {
        let (changes, _) = app.pull_all(session, 0).await;
        let saw_plan = changes
            .iter()
            .any(|c| c["type"] == "plan" && c["data"]["id"] == json!(plan));
        let saw_comment = changes
            .iter()
            .any(|c| c["type"] == "comment" && c["data"]["id"] == json!(comment));
        assert_eq!(saw_plan, sees, "{who} and the plan");
        assert_eq!(saw_comment, sees, "{who} and the comment");
        let foreign_campaign = changes.iter().any(|c| {
            c["type"] == "campaign"
                && c["data"]["id"]
                    == json!(if who.starts_with("other district") {
                        demo.campaign
                    } else {
                        demo.other_campaign
                    })
        });
        if who != "administrator" {
            assert!(
                !foreign_campaign,
                "{who} sees only its own district's campaigns"
            );
        }
    }
}

#[tokio::test]
async fn no_one_else_can_change_a_units_plan() {
    let (app, demo) = TestApp::seeded().await;
    let a = actors(&app).await;
    let plan = lộc_an_plan(&app, &demo, &a).await;
    let edit = || {
        op(
            "edit",
            json!({"changes": [{"path": "pool.total", "base": 42, "value": 1}]}),
        )
    };
    let comment = || {
        op(
            "comment",
            json!({"comment": {"id": Uuid::new_v4(), "path": null, "body": "x"}}),
        )
    };
    let cases = [
        ("other unit", &a.other_unit, edit(), "plan.not_found"),
        (
            "other district's unit",
            &a.other_district_unit,
            edit(),
            "plan.not_found",
        ),
        (
            "other district's reviewer",
            &a.other_reviewer,
            edit(),
            "plan.not_found",
        ),
        (
            "other district's reviewer",
            &a.other_reviewer,
            comment(),
            "plan.not_found",
        ),
        ("administrator", &a.admin, edit(), "plan.not_found"),
        ("reviewer", &a.reviewer, edit(), "forbidden"),
    ];
    for (who, session, op, code) in cases {
        let res = app
            .push(session, Uuid::new_v4(), vec![mutation(plan, 1, op)])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.results()[0]["outcome"], "rejected", "{who}");
        assert_eq!(res.results()[0]["code"], code, "{who}");
        assert!(
            res.results()[0]["plan"].is_null() || who == "reviewer",
            "{who} learns nothing of the plan"
        );
    }
    // Creating a plan for someone else's unit, or for another district's campaign.
    let doc = valid_document(&[]);
    let res = app
        .push(
            &a.other_unit,
            Uuid::new_v4(),
            vec![mutation(
                Uuid::new_v4(),
                0,
                op(
                    "create",
                    json!({"unit_id": demo.loc_an, "campaign_id": demo.campaign, "document": doc}),
                ),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["code"], "forbidden");
    let res = app
        .push(&a.other_unit, Uuid::new_v4(), vec![mutation(Uuid::new_v4(), 0, op("create", json!({"unit_id": demo.thpt, "campaign_id": demo.other_campaign, "document": doc})))])
        .await;
    assert_eq!(res.results()[0]["code"], "campaign.not_for_unit");
    // A mutation id used by another account cannot be replayed to read its result.
    let id = Uuid::new_v4();
    let mut m = mutation(
        plan,
        1,
        op(
            "edit",
            json!({"changes": [{"path": "sections.notes", "base": "", "value": "x"}]}),
        ),
    );
    m["id"] = json!(id);
    app.push(&a.loc_an, Uuid::new_v4(), vec![m.clone()]).await;
    let res = app.push(&a.other_unit, Uuid::new_v4(), vec![m]).await;
    assert_eq!(res.results()[0]["code"], "mutation.id_taken");
    assert!(res.results()[0]["plan"].is_null());
    let _ = demo.other_district;
    let _ = demo.gia_hiep;
    let _ = demo.district;
}

/// A device far behind the head (new, or back after months) is served by seeking the user's
/// plans one by one instead of walking the sequence; both must pull exactly the same changes.
#[tokio::test]
async fn a_device_far_behind_the_head_pulls_exactly_what_one_near_it_pulls() {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use server::store::entities::sync_counter;

    let (app, demo) = TestApp::seeded().await;
    let a = actors(&app).await;
    let plan = lộc_an_plan(&app, &demo, &a).await;
    let submit = app
        .push(
            &a.loc_an,
            Uuid::new_v4(),
            vec![mutation(
                plan,
                1,
                op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"})),
            )],
        )
        .await;
    assert_eq!(
        submit.results()[0]["outcome"],
        "applied",
        "{}",
        submit.text()
    );
    let ret = app
        .push(&a.reviewer, Uuid::new_v4(), vec![mutation(plan, 2, op("return", json!({"comments": [{"id": Uuid::new_v4(), "path": "pool.total", "body": "Kiểm tra lại tổng nguồn."}]})))])
        .await;
    assert_eq!(ret.results()[0]["outcome"], "applied", "{}", ret.text());

    let mut near = Vec::new();
    for (_, session) in a.all().into_iter().skip(1) {
        near.push(app.pull_all(session, 0).await.0);
    }
    // Ten thousand numbers handed out elsewhere (other districts' years) put cursor 0 far
    // behind the head.
    app.db
        .execute(
            &Query::update()
                .table(sync_counter::Entity)
                .value(
                    sync_counter::Column::Value,
                    Expr::col(sync_counter::Column::Value).add(10_000),
                )
                .to_owned(),
        )
        .await
        .expect("move the head");
    for ((who, session), near) in a.all().into_iter().skip(1).zip(near) {
        let (far, _) = app.pull_all(session, 0).await;
        assert_eq!(far, near, "{who}: the same changes from far behind");
    }

    // A comment made after the gap reaches both users from their old cursors, far behind.
    let (_, editor_cursor) = app.pull_all(&a.loc_an, 0).await;
    let (_, reviewer_cursor) = app.pull_all(&a.reviewer, 0).await;
    let comment = Uuid::new_v4();
    let res = app
        .push(&a.reviewer, Uuid::new_v4(), vec![mutation(plan, 2, op("comment", json!({"comment": {"id": comment, "path": null, "body": "Bổ sung danh sách quần chúng ưu tú."}})))])
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    for (who, session, cursor) in [
        ("loc-an", &a.loc_an, editor_cursor),
        ("reviewer", &a.reviewer, reviewer_cursor),
    ] {
        let (changes, _) = app.pull_all(session, cursor).await;
        assert!(
            changes
                .iter()
                .any(|c| c["type"] == "comment" && c["data"]["id"] == json!(comment)),
            "{who} sees the new comment"
        );
    }
    let (other, _) = app.pull_all(&a.other_unit, 0).await;
    assert!(
        !other
            .iter()
            .any(|c| c["type"] == "comment" && c["data"]["id"] == json!(comment)),
        "a sibling unit does not"
    );
}

/// Pushes one mutation and checks what became of it.
async fn outcome(app: &TestApp, session: &Session, m: Value, expected: &str) {
    let res = app.push(session, Uuid::new_v4(), vec![m]).await;
    assert_eq!(res.results()[0]["outcome"], expected, "{}", res.text());
}

/// One account holding both roles at a committee with cells: it fills the committee's own plan
/// for the district's campaign, and opens a campaign for its cells and reviews their plans —
/// the commune's work since 2025. Nobody else sees those cell plans: not the district, which
/// reviews only the units directly under it, nor a sibling.
#[tokio::test]
async fn a_committee_fills_its_own_plan_and_reviews_its_cells() {
    let (app, demo) = TestApp::seeded().await;
    let a = actors(&app).await;
    let (cell, cell_name) = demo.loc_an_cells[0].clone();
    for body in [
        json!({"username": "vp-loc-an", "display_name": "Văn phòng Đảng ủy xã Lộc An", "roles": ["unit_editor", "district_reviewer"], "unit_id": demo.loc_an, "password": "mat-khau-dai"}),
        json!({"username": "chi-bo-1", "display_name": cell_name, "role": "unit_editor", "unit_id": cell, "password": "mat-khau-dai"}),
    ] {
        let res = app.post_json("/api/v1/admin/users", &a.admin, &body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    let both = app.login_with("vp-loc-an", "mat-khau-dai").await;
    let cell_editor = app.login_with("chi-bo-1", "mat-khau-dai").await;
    let me = app.get_as("/api/v1/auth/me", &both).await.json();
    assert_eq!(me["roles"], json!(["unit_editor", "district_reviewer"]));

    // Its own plan, for the district's campaign: as editor.
    let own = Uuid::new_v4();
    outcome(&app, &both, mutation(own, 0, op("create", json!({"unit_id": demo.loc_an, "campaign_id": demo.campaign, "document": valid_document(&demo.loc_an_cells)}))), "applied").await;
    let res = app
        .push(
            &both,
            Uuid::new_v4(),
            vec![mutation(
                own,
                1,
                op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"})),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    // …which it cannot approve: its reviewer is the district.
    let res = app
        .push(
            &both,
            Uuid::new_v4(),
            vec![mutation(own, 2, op("approve", json!({"comment": null})))],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "rejected", "{}", res.text());

    // A campaign for its cells, and a cell's plan through return and approval.
    let campaign = Uuid::new_v4();
    let res = app
        .post_json(
            "/api/v1/campaigns",
            &both,
            &integration::campaign_body(campaign),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let plan = Uuid::new_v4();
    outcome(
        &app,
        &cell_editor,
        mutation(
            plan,
            0,
            op(
                "create",
                json!({"unit_id": cell, "campaign_id": campaign, "document": valid_document(&[])}),
            ),
        ),
        "applied",
    )
    .await;
    let submit = |revision: u64| {
        mutation(
            plan,
            revision,
            op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"})),
        )
    };
    outcome(&app, &cell_editor, submit(1), "applied").await;
    outcome(&app, &both, mutation(plan, 2, op("return", json!({"comments": [{"id": Uuid::new_v4(), "path": "pool.total", "body": "Chi bộ rà soát lại nguồn."}]}))), "applied").await;
    // The commune reviews; it does not write the cell's plan.
    let res = app
        .push(
            &both,
            Uuid::new_v4(),
            vec![mutation(
                plan,
                3,
                op(
                    "edit",
                    json!({"changes": [{"path": "sections.notes", "base": "", "value": "sửa hộ"}]}),
                ),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "rejected", "{}", res.text());
    outcome(&app, &cell_editor, submit(3), "applied").await;
    let res = app
        .push(
            &both,
            Uuid::new_v4(),
            vec![mutation(plan, 4, op("approve", json!({"comment": null})))],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());

    // The commune's board lists its cells.
    let board = app
        .get_as(&format!("/api/v1/campaigns/{campaign}/board"), &both)
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text());
    assert!(board.text().contains(&cell.to_string()), "{}", board.text());

    // Who sees the cell's plan, and the commune's own.
    for (who, session, sees_cell_plan, sees_own) in [
        ("vp-loc-an", &both, true, true),
        ("chi-bo-1", &cell_editor, true, false),
        ("the district", &a.reviewer, false, true),
        ("a sibling unit", &a.other_unit, false, false),
        ("another district", &a.other_reviewer, false, false),
    ] {
        let (changes, _) = app.pull_all(session, 0).await;
        let saw = |id: Uuid| {
            changes
                .iter()
                .any(|c| c["type"] == "plan" && c["data"]["id"] == json!(id))
        };
        assert_eq!(saw(plan), sees_cell_plan, "{who} and the cell's plan");
        assert_eq!(saw(own), sees_own, "{who} and the commune's own plan");
        let history = app
            .get_as(&format!("/api/v1/plans/{plan}/versions"), session)
            .await;
        let expected = if sees_cell_plan {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            history.status, expected,
            "{who} and the cell plan's history"
        );
    }
    let board = app
        .get_as(&format!("/api/v1/campaigns/{campaign}/board"), &a.reviewer)
        .await;
    assert_eq!(
        board.status,
        StatusCode::NOT_FOUND,
        "the district does not run the commune's campaign"
    );
}
