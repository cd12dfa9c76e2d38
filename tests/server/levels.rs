//! The 2025 shape (`seed-demo --shape 2025`): a province reviews its communes, a commune fills
//! its own plan and reviews its cells', and a campaign asks all the units under its opener or
//! only those it chose. Nobody sees a sibling's or a cousin's plans.

use axum::http::StatusCode;
use integration::{Session, TestApp, mutation, op, valid_document_2025};
use serde_json::{Value, json};
use server::seed::DEMO_PASSWORD;
use server::seed_2025::{commune_campaign_id, province_campaign_id};
use uuid::Uuid;

async fn login(app: &TestApp, username: &str) -> Session {
    app.login_with(username, DEMO_PASSWORD).await
}

/// Pushes one mutation and returns its outcome and code.
async fn push_one(app: &TestApp, session: &Session, m: Value) -> (String, String) {
    let res = app.push(session, Uuid::new_v4(), vec![m]).await;
    let result = &res.results()[0];
    if result["outcome"] != "applied" {
        eprintln!("not applied: {result}");
    }
    (
        result["outcome"].as_str().unwrap_or_default().to_owned(),
        result["code"].as_str().unwrap_or_default().to_owned(),
    )
}

fn create(plan: Uuid, unit: Uuid, campaign: Uuid, cells: &[(Uuid, String)]) -> Value {
    mutation(
        plan,
        0,
        op(
            "create",
            json!({"unit_id": unit, "campaign_id": campaign, "document": valid_document_2025(campaign, cells)}),
        ),
    )
}

fn submit(plan: Uuid, revision: u64) -> Value {
    mutation(
        plan,
        revision,
        op("submit", json!({"submitted_at": "2026-03-01T08:00:00Z"})),
    )
}

/// What `session` pulls from the start: the plans and campaigns by id.
async fn seen(app: &TestApp, session: &Session) -> (Vec<Value>, Vec<Value>) {
    let (changes, _) = app.pull_all(session, 0).await;
    let of = |kind: &str, id: &dyn Fn(&Value) -> Value| {
        changes
            .iter()
            .filter(|c| c["type"] == kind)
            .map(|c| id(&c["data"]))
            .collect::<Vec<_>>()
    };
    (
        of("plan", &|d| d["id"].clone()),
        of("campaign", &|d| d["campaign"]["id"].clone()),
    )
}

#[tokio::test]
async fn the_2025_demo_runs_the_review_cycle_at_province_and_commune() {
    let app = TestApp::new().await;
    let first = server::seed_2025::seed(&app.db).await.expect("seed");
    assert!(
        first.units_created > 40 && first.users_created > 15,
        "{first:?}"
    );
    let again = server::seed_2025::seed(&app.db).await.expect("seed again");
    assert_eq!((again.units_created, again.users_created), (0, 0));

    let commune = integration::unit_id(&app.db, "XA-BAO-LAM-1").await;
    let commune_cells = integration::cells_of(&app.db, commune).await;
    let (cell, _) = commune_cells[0].clone();
    let province_campaign = province_campaign_id();
    let commune_campaign = commune_campaign_id("XA-BAO-LAM-1");

    let province = login(&app, "tinhuy").await;
    let staff = login(&app, "baolam1").await;
    let cell_editor = login(&app, "baolam1-cb1").await;
    let sibling_cell = login(&app, "baolam1-cb2").await;
    let other_commune = login(&app, "baolam2").await;
    let me = app.get_as("/api/v1/auth/me", &staff).await.json();
    assert_eq!(me["roles"], json!(["unit_editor", "district_reviewer"]));

    // The cell fills and submits; the commune returns it with a comment, then approves it.
    let cell_plan = Uuid::new_v4();
    assert_eq!(
        push_one(
            &app,
            &cell_editor,
            create(cell_plan, cell, commune_campaign, &[])
        )
        .await
        .0,
        "applied"
    );
    assert_eq!(
        push_one(&app, &cell_editor, submit(cell_plan, 1)).await.0,
        "applied"
    );
    let returned = mutation(
        cell_plan,
        2,
        op(
            "return",
            json!({"comments": [{"id": Uuid::new_v4(), "path": "pool.total", "body": "Chi bộ rà soát lại nguồn."}]}),
        ),
    );
    assert_eq!(push_one(&app, &staff, returned).await.0, "applied");
    assert_eq!(
        push_one(&app, &cell_editor, submit(cell_plan, 3)).await.0,
        "applied"
    );
    let approve = |revision| mutation(cell_plan, revision, op("approve", json!({"comment": null})));
    assert_eq!(
        push_one(&app, &province, approve(4)).await.0,
        "rejected",
        "the province does not review cells"
    );
    assert_eq!(push_one(&app, &staff, approve(4)).await.0, "applied");

    // The commune's own plan goes to the province, which sees it on its board and approves it
    // but cannot write it.
    let own = Uuid::new_v4();
    assert_eq!(
        push_one(
            &app,
            &staff,
            create(own, commune, province_campaign, &commune_cells)
        )
        .await
        .0,
        "applied"
    );
    assert_eq!(push_one(&app, &staff, submit(own, 1)).await.0, "applied");
    let board = app
        .get_as(
            &format!("/api/v1/campaigns/{province_campaign}/board"),
            &province,
        )
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text());
    let rows = board.json()["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 7, "five communes and two block committees");
    let row = rows
        .iter()
        .find(|r| r["unit_id"] == json!(commune))
        .cloned()
        .unwrap_or_default();
    assert_eq!(row["status"], "on_time", "{row}");
    let edit = mutation(
        own,
        2,
        op(
            "edit",
            json!({"changes": [{"path": "sections.notes", "base": "", "value": "sửa hộ"}]}),
        ),
    );
    assert_eq!(push_one(&app, &province, edit).await.0, "rejected");
    let approve_own = mutation(own, 2, op("approve", json!({"comment": null})));
    assert_eq!(push_one(&app, &province, approve_own).await.0, "applied");

    // Each sees exactly its level's plans and campaigns.
    let id = |u: Uuid| json!(u);
    for (who, session, plans, campaigns) in [
        (
            "the province",
            &province,
            vec![own],
            vec![province_campaign],
        ),
        (
            "the commune",
            &staff,
            vec![cell_plan, own],
            vec![province_campaign, commune_campaign],
        ),
        (
            "the cell",
            &cell_editor,
            vec![cell_plan],
            vec![commune_campaign],
        ),
        (
            "a sibling cell",
            &sibling_cell,
            vec![],
            vec![commune_campaign],
        ),
        (
            "another commune",
            &other_commune,
            vec![],
            vec![province_campaign],
        ),
    ] {
        let (saw_plans, saw_campaigns) = seen(&app, session).await;
        let mut want: Vec<Value> = plans.into_iter().map(id).collect();
        let mut got = saw_plans;
        want.sort_by_key(Value::to_string);
        got.sort_by_key(Value::to_string);
        assert_eq!(got, want, "{who}: plans");
        let mut want: Vec<Value> = campaigns.into_iter().map(id).collect();
        let mut got = saw_campaigns;
        want.sort_by_key(Value::to_string);
        got.sort_by_key(Value::to_string);
        assert_eq!(got, want, "{who}: campaigns");
    }
    // Another level's views answer 404: the province does not run the commune's campaign, nor
    // one commune another's.
    for session in [&province, &other_commune, &cell_editor] {
        let res = app
            .get_as(
                &format!("/api/v1/campaigns/{commune_campaign}/totals"),
                session,
            )
            .await;
        assert!(
            matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{}",
            res.status
        );
    }
    let history = app
        .get_as(&format!("/api/v1/plans/{cell_plan}/versions"), &province)
        .await;
    assert_eq!(history.status, StatusCode::NOT_FOUND);
}

/// Bảo Lâm 5 asked only the cells that still have people to propose: a cell left out neither
/// receives the campaign nor can start a plan for it, and is not on the board.
#[tokio::test]
async fn a_campaign_that_chose_its_units_asks_only_those() {
    let app = TestApp::new().await;
    server::seed_2025::seed(&app.db).await.expect("seed");
    let commune = integration::unit_id(&app.db, "XA-BAO-LAM-5").await;
    let cells = integration::cells_of(&app.db, commune).await;
    let (left_out, left_out_name) = cells.last().cloned().unwrap_or_default();
    let (asked, _) = cells[0].clone();
    server::accounts::create_user(
        &app.db,
        server::accounts::NewUser {
            username: "chi-bo-tram-y-te".into(),
            display_name: left_out_name,
            roles: vec![app::domain::Role::Editor],
            role: None,
            unit_id: Some(left_out),
            password: DEMO_PASSWORD.into(),
        },
    )
    .await
    .expect("account");
    let campaign = commune_campaign_id("XA-BAO-LAM-5");
    let outsider = login(&app, "chi-bo-tram-y-te").await;
    let inside = login(&app, "baolam5-cb1").await;

    let (_, campaigns) = seen(&app, &outsider).await;
    assert!(!campaigns.contains(&json!(campaign)), "{campaigns:?}");
    let (_, campaigns) = seen(&app, &inside).await;
    assert!(campaigns.contains(&json!(campaign)), "{campaigns:?}");
    let (outcome, code) = push_one(
        &app,
        &outsider,
        create(Uuid::new_v4(), left_out, campaign, &[]),
    )
    .await;
    assert_eq!(
        (outcome.as_str(), code.as_str()),
        ("rejected", "campaign.not_for_unit")
    );
    assert_eq!(
        push_one(&app, &inside, create(Uuid::new_v4(), asked, campaign, &[]))
            .await
            .0,
        "applied"
    );

    let staff = login(&app, "baolam5").await;
    let board = app
        .get_as(&format!("/api/v1/campaigns/{campaign}/board"), &staff)
        .await
        .json();
    let on_board: Vec<Value> = board["rows"]
        .as_array()
        .map(|rows| rows.iter().map(|r| r["unit_id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(on_board.len(), cells.len() - 2);
    assert!(!on_board.contains(&json!(left_out)));
}

/// Opening a campaign for chosen units: only units directly under the reviewer's unit, at
/// least one, none twice; each refusal a 422 naming the field, in Vietnamese.
#[tokio::test]
async fn a_campaign_may_only_choose_units_under_its_opener() {
    let app = TestApp::new().await;
    server::seed_2025::seed(&app.db).await.expect("seed");
    let staff = login(&app, "baolam1").await;
    let commune = integration::unit_id(&app.db, "XA-BAO-LAM-1").await;
    let own_cell = integration::cells_of(&app.db, commune).await[0].0;
    let cousin =
        integration::cells_of(&app.db, integration::unit_id(&app.db, "XA-BAO-LAM-2").await).await
            [0]
        .0;
    for (units, code) in [
        (json!([]), "campaign.no_units"),
        (json!([own_cell, cousin]), "campaign.unit_not_under"),
        (json!([own_cell, own_cell]), "campaign.unit_twice"),
    ] {
        let mut body = integration::campaign_body(Uuid::new_v4());
        body["units"] = units;
        let res = app.post_json("/api/v1/campaigns", &staff, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        let fields = res.json()["error"]["fields"].clone();
        assert!(
            fields
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["field"] == "units" && f["code"] == code)),
            "{fields}"
        );
    }
    let id = Uuid::new_v4();
    let mut body = integration::campaign_body(id);
    body["units"] = json!([own_cell]);
    let res = app.post_json("/api/v1/campaigns", &staff, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["units"], json!([own_cell]));
    // The same request again answers as the first time; the same id for other units is refused.
    let again = app.post_json("/api/v1/campaigns", &staff, &body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    body["units"] = Value::Null;
    let other = app.post_json("/api/v1/campaigns", &staff, &body).await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.text());
}

/// An administrator at a unit manages the accounts of its subtree only: a commune's its own and
/// its cells', never another commune's or the province's. Outside it: 403 to create, 404 to
/// reset, absent from the list and from its pulls.
#[tokio::test]
async fn an_administrator_manages_only_its_subtree() {
    let app = TestApp::new().await;
    server::seed_2025::seed(&app.db).await.expect("seed");
    let commune = integration::unit_id(&app.db, "XA-BAO-LAM-1").await;
    let own_cell = integration::cells_of(&app.db, commune).await[0].0;
    let cousin =
        integration::cells_of(&app.db, integration::unit_id(&app.db, "XA-BAO-LAM-2").await).await
            [0]
        .0;
    let admin = login(&app, "baolam1-quantri").await;

    let list = app.get_as("/api/v1/admin/users", &admin).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let mut names: Vec<String> = list
        .json()
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["username"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "baolam1",
            "baolam1-cb1",
            "baolam1-cb2",
            "baolam1-cb3",
            "baolam1-quantri"
        ]
    );

    let body = |username: &str, unit: Option<Uuid>| json!({"username": username, "display_name": "Chi bộ thôn 1", "roles": ["unit_editor"], "unit_id": unit, "password": "mat-khau-dai"});
    let made = app
        .post_json(
            "/api/v1/admin/users",
            &admin,
            &body("thon1-moi", Some(own_cell)),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
    for (what, unit) in [
        ("a cousin cell", Some(cousin)),
        ("no unit (the whole tree)", None),
    ] {
        let res = app
            .post_json("/api/v1/admin/users", &admin, &body("ngoai-pham-vi", unit))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: {}", res.text());
        assert!(
            res.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let id_of = |username: &str| server::seed::demo_id_of_user(username);
    let (app_ref, admin_ref) = (&app, &admin);
    let reset = |id: Uuid| async move {
        app_ref
            .post_json(
                &format!("/api/v1/admin/users/{id}/password"),
                admin_ref,
                &json!({"password": "mat-khau-moi-dai"}),
            )
            .await
            .status
    };
    assert_eq!(reset(id_of("baolam2")).await, StatusCode::NOT_FOUND);
    assert_eq!(reset(id_of("tinhuy")).await, StatusCode::NOT_FOUND);
    assert_eq!(reset(id_of("baolam1-cb2")).await, StatusCode::NO_CONTENT);

    // Its pulls carry its subtree's units and campaigns, nothing else.
    let (changes, _) = app.pull_all(&admin, 0).await;
    let units: Vec<Value> = changes
        .iter()
        .filter(|c| c["type"] == "unit")
        .map(|c| c["data"]["id"].clone())
        .collect();
    assert_eq!(units.len(), 1 + 7, "the commune and its seven cells");
    assert!(units.contains(&json!(commune)) && !units.contains(&json!(cousin)));
    let campaigns: Vec<Value> = changes
        .iter()
        .filter(|c| c["type"] == "campaign")
        .map(|c| c["data"]["campaign"]["id"].clone())
        .collect();
    assert_eq!(campaigns, vec![json!(commune_campaign_id("XA-BAO-LAM-1"))]);
    assert!(!changes.iter().any(|c| c["type"] == "plan"));

    // The province's administrator manages everything below the province.
    let province_admin = login(&app, "tinhuy-quantri").await;
    let all = app
        .get_as("/api/v1/admin/users", &province_admin)
        .await
        .json();
    assert!(
        all.as_array()
            .is_some_and(|a| a.iter().any(|u| u["username"] == "baolam2-quantri"))
    );
    let res = app
        .post_json(
            "/api/v1/admin/users",
            &province_admin,
            &body("thon-bl2", Some(cousin)),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
}
