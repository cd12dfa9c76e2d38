//! A database a released server left upgrades in place: this server's migrations apply to it
//! and every plan, version, remark, review event, account and audit entry is still there and
//! still works. The file is made by `tests/fixtures/make-release-db.mjs` with that release's
//! binary, through the public API only; `<name>.json` beside it says what was put in.

use std::path::PathBuf;

use axum::http::StatusCode;
use integration::TestApp;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

fn fixture(name: &str) -> (PathBuf, Value) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let manifest = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("manifest");
    (
        dir.join(format!("{name}.sqlite")),
        serde_json::from_str(&manifest).expect("manifest JSON"),
    )
}

async fn count(app: &TestApp, table: &str) -> u64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count")
        .expect("a row");
    let n: i64 = row.try_get("", "n").expect("n");
    u64::try_from(n).expect("count")
}

#[tokio::test]
async fn the_2026_12_02_release_database_upgrades_with_nothing_lost() {
    let (file, made) = fixture("release-2026-12-02");
    let app = TestApp::from_sqlite_file(&file).await;

    // No row is lost (the upgrade may add, never remove).
    for (table, before) in made["rows"].as_object().expect("rows") {
        let before = before.as_u64().expect("count");
        let after = count(&app, table).await;
        assert!(
            after >= before,
            "{table}: {before} rows before, {after} after"
        );
    }

    // The district reviewer keeps reviewing: the board shows the three plans as they were.
    let reviewer = app.login_with("bantochuc", "taonguon2022").await;
    let campaign = made["campaign_id"].as_str().expect("campaign");
    let board = app
        .get_as(&format!("/api/v1/campaigns/{campaign}/board"), &reviewer)
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text());
    let board = board.json();
    let status_of = |unit: &Value| {
        board["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["unit_id"] == *unit)
            .map(|r| r["status"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(status_of(&made["approved_plan"]["unit_id"]), "approved");
    assert_eq!(status_of(&made["submitted_plan"]["unit_id"]), "on_time");
    assert_eq!(status_of(&made["draft_plan"]["unit_id"]), "drafting");

    // Every version of the approved plan is kept, with its history readable.
    let plan = made["approved_plan"]["id"].as_str().expect("plan");
    let versions = app
        .get_as(&format!("/api/v1/plans/{plan}/versions"), &reviewer)
        .await;
    assert_eq!(versions.status, StatusCode::OK, "{}", versions.text());
    let versions = versions.json();
    let last = versions
        .as_array()
        .and_then(|v| v.last())
        .expect("versions");
    assert_eq!(last["revision"], made["approved_plan"]["revision"]);
    assert_eq!(last["status"], "approved");
    let diff = app
        .get_as(&format!("/api/v1/plans/{plan}/diff?from=1&to=4"), &reviewer)
        .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.text());

    // What a reviewer's device pulls: the remarks, the review events, the district's target,
    // the draft's per-cell figures.
    let (changes, _) = app.pull_all(&reviewer, 0).await;
    let of = |kind: &'static str| {
        changes
            .iter()
            .filter(move |c| c["type"] == kind)
            .map(|c| &c["data"])
    };
    let comments = of("comment").count();
    let events = of("review_event").count();
    assert_eq!(comments, 3);
    assert_eq!(events, 5);
    let record = of("campaign").next().expect("the campaign");
    assert_eq!(record["district_target"], made["district_target"]);
    // Migration 000008: the campaign keeps its opener under the first release's wire name and
    // lists no units, so it still asks every unit of the district (a first-release device reads
    // it unchanged).
    assert_eq!(
        record["campaign"]["district_id"],
        json!(district_of(&app).await)
    );
    assert_eq!(record["units"], json!([]));
    // Migration 000009: a campaign stored without categories asks the first release's six,
    // and travels without the field as it did.
    assert!(record["campaign"].get("categories").is_none(), "{record}");
    let stored: app::domain::Campaign =
        serde_json::from_value(record["campaign"].clone()).expect("the campaign reads");
    assert!(stored.categories.is_classic());
    let board = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/board",
                record["campaign"]["id"].as_str().unwrap_or_default()
            ),
            &reviewer,
        )
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text());
    assert_eq!(
        board.json()["rows"].as_array().map(Vec::len),
        Some(units_under_district(&app).await),
        "every unit of the district is on the board"
    );
    let draft = of("plan")
        .find(|p| p["id"] == made["draft_plan"]["id"])
        .expect("the draft");
    let cell = made["draft_plan"]["cell_id"].as_str().expect("cell");
    assert_eq!(draft["document"]["cells"][cell]["pool"]["total"], 2);

    // Every unit got the kind of committee its level meant, and the district's office is the
    // one the screens named before.
    let units: Vec<&Value> = of("unit").collect();
    let kind_of = |id: &Value| {
        units
            .iter()
            .find(|u| u["id"] == *id)
            .map(|u| u["committee"].clone())
            .unwrap_or(Value::Null)
    };
    let district = units
        .iter()
        .find(|u| u["level"] == "district")
        .expect("the district");
    assert_eq!(district["committee"], "district");
    let record: app::domain::sync::UnitRecord =
        serde_json::from_value((*district).clone()).expect("a unit record");
    assert_eq!(record.office(), "Ban Tổ chức Huyện ủy");
    assert_eq!(
        kind_of(&made["approved_plan"]["unit_id"]),
        "grassroots_cell"
    );
    assert_eq!(
        kind_of(&made["draft_plan"]["unit_id"]),
        "grassroots_committee"
    );
    assert_eq!(kind_of(&made["draft_plan"]["cell_id"]), "subordinate_cell");
    assert!(
        units.iter().all(|u| u["committee"].is_string()),
        "every unit has its kind"
    );

    // The unit keeps editing its plan; the account the administrator made still logs in.
    let unit = app.login_with("thpt-loc-thanh", "taonguon2022").await;
    let (mine, _) = app.pull_all(&unit, 0).await;
    assert!(
        mine.iter()
            .any(|c| c["type"] == "plan" && c["data"]["id"] == made["submitted_plan"]["id"])
    );
    // Each account keeps the one role it had, now as its set of roles (migration 000007).
    for (username, password, roles) in [
        ("can-bo-moi", "matkhau-moi-2022", json!(["unit_editor"])),
        ("bantochuc", "taonguon2022", json!(["district_reviewer"])),
        ("quantri", "taonguon2022", json!(["administrator"])),
    ] {
        let session = app.login_with(username, password).await;
        let me = app.get_as("/api/v1/auth/me", &session).await.json();
        assert_eq!(me["roles"], roles, "{username}");
        assert_eq!(
            me["role"], roles[0],
            "{username}: the one role a first-release client reads"
        );
    }
}

async fn district_of(app: &TestApp) -> uuid::Uuid {
    integration::unit_id(&app.db, "HU-BAO-LAM").await
}

async fn units_under_district(app: &TestApp) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let district = district_of(app).await;
    let count = server::store::entities::org_unit::Entity::find()
        .filter(server::store::entities::org_unit::Column::ParentId.eq(district))
        .count(&app.db)
        .await
        .expect("count");
    usize::try_from(count).unwrap_or(0)
}

/// The release of 2026-12-03 (the first with campaigns of their own categories) wrote version-1
/// documents; migration 000010 renumbers every stored plan and version to 2 and nothing else
/// changes: the eight-category plan keeps its figures, its history still reads, and the
/// campaign asks for no coverage indicators.
#[tokio::test]
async fn the_2026_12_03_release_database_moves_to_document_version_2_with_nothing_lost() {
    let (file, made) = fixture("release-2026-12-03");
    let app = TestApp::from_sqlite_file(&file).await;
    for (table, before) in made["rows"].as_object().expect("rows") {
        let before = before.as_u64().expect("count");
        let after = count(&app, table).await;
        assert!(
            after >= before,
            "{table}: {before} rows before, {after} after"
        );
    }
    // Every stored document, of plans and of their versions, is at version 2.
    for table in ["plan", "plan_version"] {
        let old = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE document NOT LIKE '{{\"schema_version\":2,%'"
                ),
            ))
            .await
            .expect("count")
            .expect("a row");
        let n: i64 = old.try_get("", "n").expect("n");
        assert_eq!(n, 0, "{table}: documents not at version 2");
    }

    let eight = &made["eight_categories"];
    let reviewer = app.login_with("bantochuc", "taonguon2022").await;
    let (changes, _) = app.pull_all(&reviewer, 0).await;
    let plan = changes
        .iter()
        .find(|c| c["type"] == "plan" && c["data"]["id"] == eight["plan_id"])
        .expect("the eight-category plan");
    assert_eq!(plan["data"]["status"], "submitted");
    let document = &plan["data"]["document"];
    assert_eq!(document["schema_version"], 2);
    for (code, value) in eight["pool"].as_object().expect("pool") {
        assert_eq!(document["pool"][code], *value, "pool.{code}");
    }
    let campaign = changes
        .iter()
        .find(|c| c["type"] == "campaign" && c["data"]["campaign"]["id"] == eight["campaign_id"])
        .expect("the campaign");
    let stored: app::domain::Campaign =
        serde_json::from_value(campaign["data"]["campaign"].clone()).expect("the campaign reads");
    assert_eq!(stored.categories.len(), 8);
    assert!(stored.coverage.is_empty());
    // The history of the approved plan reads across the renumbering without a false change.
    let approved = made["approved_plan"]["id"].as_str().expect("plan");
    let diff = app
        .get_as(
            &format!("/api/v1/plans/{approved}/diff?from=1&to=2"),
            &reviewer,
        )
        .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.text());
    assert!(!diff.text().contains("schema_version"), "{}", diff.text());
    // The unit keeps working on its plan: an edit and the totals with its categories.
    let totals = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/totals",
                eight["campaign_id"].as_str().unwrap_or_default()
            ),
            &reviewer,
        )
        .await;
    assert_eq!(totals.status, StatusCode::OK, "{}", totals.text());
    assert_eq!(totals.json()["district"]["pool"][0], 4);
}
