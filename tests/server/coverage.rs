//! Coverage indicators a campaign asks for, and document version 2: the plan's figures are
//! checked, added up and exported; a first-release device is sent only what it can read, and
//! what it sends in the first release's shape is taken.

use axum::http::StatusCode;
use integration::{TestApp, mutation, op};
use serde_json::{Value, json};
use uuid::Uuid;

/// The figures a plan gives for the three indicators of [`open_with_coverage`].
fn coverage(hamlets: (u32, u32), without_cell: (u32, u32), merged: (u32, u32)) -> Value {
    json!({
        "hamlets": {"now": hamlets.0, "target": hamlets.1},
        "hamlets_without_cell": {"now": without_cell.0, "target": without_cell.1},
        "merged_cells": {"now": merged.0, "target": merged.1},
    })
}

/// Opens a campaign of the district asking for the number of hamlets, those without a cell and
/// merged cells; returns its id.
async fn open_with_coverage(app: &TestApp, reviewer: &integration::Session) -> Uuid {
    let id = Uuid::new_v4();
    let mut body = integration::campaign_body(id);
    body["coverage"] = json!(["hamlets", "hamlets_without_cell", "merged_cells"]);
    let res = app.post_json("/api/v1/campaigns", reviewer, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(
        res.json()["campaign"]["coverage"],
        json!(["hamlets", "hamlets_without_cell", "merged_cells"])
    );
    id
}

#[tokio::test]
async fn coverage_indicators_are_checked_added_up_and_exported() {
    let (app, _) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    let id = open_with_coverage(&app, &reviewer).await;

    // A Chi bộ cơ sở fills the plan with its coverage figures.
    let unit = app.login("thpt-loc-thanh").await;
    let me = app.get_as("/api/v1/auth/me", &unit).await.json();
    let mut document = serde_json::to_value(integration::valid_document(&[])).expect("doc");
    document["coverage"] = coverage((6, 6), (2, 0), (1, 0));
    let plan = Uuid::new_v4();
    let create = op(
        "create",
        json!({"unit_id": me["unit_id"], "campaign_id": id, "document": document}),
    );
    let result = app.push_one(&unit, plan, 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");

    // More hamlets without a cell than hamlets: kept as a draft, named when submitting.
    let result = app
        .push_one(
            &unit,
            plan,
            1,
            integration::edit_one("coverage.hamlets_without_cell.now", json!(2), json!(9)),
        )
        .await;
    assert_eq!(result["outcome"], "applied", "{result}");
    let submit = op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"}));
    let result = app.push_one(&unit, plan, 2, submit.clone()).await;
    assert_eq!(result["outcome"], "rejected", "{result}");
    let findings = result["findings"].to_string();
    assert!(
        findings.contains("coverage.exceeds_hamlets")
            && findings.contains("Thôn, tổ dân phố chưa có chi bộ — hiện nay"),
        "{result}"
    );
    // A figure for an indicator the campaign does not ask for is refused by name, even in a
    // draft.
    let result = app
        .push_one(
            &unit,
            plan,
            2,
            integration::edit_one(
                "coverage.hamlet_heads_not_members.now",
                Value::Null,
                json!(3),
            ),
        )
        .await;
    assert_eq!(result["code"], "coverage.not_asked", "{result}");
    // And a name that is no indicator is no field of the plan.
    let result = app
        .push_one(
            &unit,
            plan,
            2,
            integration::edit_one("coverage.villages.now", Value::Null, json!(3)),
        )
        .await;
    assert_eq!(result["outcome"], "rejected", "{result}");
    assert!(
        result["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{result}"
    );

    let result = app
        .push_one(
            &unit,
            plan,
            2,
            integration::edit_one("coverage.hamlets_without_cell.now", json!(9), json!(2)),
        )
        .await;
    assert_eq!(result["outcome"], "applied", "{result}");
    let result = app.push_one(&unit, plan, 3, submit).await;
    assert_eq!(result["outcome"], "applied", "{result}");

    // The totals add the coverage up; the file has two columns per indicator.
    let totals = app
        .get_as(&format!("/api/v1/campaigns/{id}/totals"), &reviewer)
        .await;
    assert_eq!(totals.status, StatusCode::OK, "{}", totals.text());
    let overall = &totals.json()["district"]["coverage"];
    assert_eq!(
        overall["hamlets"],
        json!({"now": 6, "target": 6}),
        "{overall}"
    );
    assert_eq!(
        overall["merged_cells"],
        json!({"now": 1, "target": 0}),
        "{overall}"
    );
    let csv = app
        .get_as(&format!("/api/v1/campaigns/{id}/totals.csv"), &reviewer)
        .await
        .text();
    let header = csv
        .lines()
        .find(|l| l.contains("Nguồn — Tổng số"))
        .unwrap_or_default();
    for label in [
        "Số thôn, tổ dân phố — hiện nay",
        "Chi bộ ghép — đến cuối nhiệm kỳ",
    ] {
        assert!(header.contains(label), "{label} in {header}");
    }
}

#[tokio::test]
async fn a_list_of_indicators_that_cannot_be_used_is_refused_in_vietnamese() {
    let (app, _) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    for (list, code) in [
        (json!(["merged_cells"]), "coverage.hamlets_missing"),
        (
            json!(["hamlets", "merged_cells", "merged_cells"]),
            "coverage.twice",
        ),
        (
            json!([
                "hamlets", "hamlets", "hamlets", "hamlets", "hamlets", "hamlets"
            ]),
            "coverage.too_many",
        ),
    ] {
        let mut body = integration::campaign_body(Uuid::new_v4());
        body["coverage"] = list;
        let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        let fields = &res.json()["error"]["fields"];
        assert_eq!(fields[0]["field"], "coverage", "{}", res.text());
        assert_eq!(fields[0]["code"], code, "{}", res.text());
    }
    let mut body = integration::campaign_body(Uuid::new_v4());
    body["coverage"] = json!(["villages"]);
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text());
    assert!(res.json()["error"]["message"].is_string(), "{}", res.text());
}

/// Every page of a pull as a first-release device asks for it (no `schema`).
async fn pull_as_first_release(app: &TestApp, session: &integration::Session) -> Vec<Value> {
    let mut changes = Vec::new();
    let mut cursor = 0;
    loop {
        let res = app
            .get_as(
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=7"),
                session,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        changes.extend(res.changes());
        let page = res.json();
        cursor = page["next_cursor"].as_u64().expect("cursor");
        if page["has_more"] != Value::Bool(true) {
            return changes;
        }
    }
}

/// Pushes one operation as a device of an earlier release does (protocol 1).
async fn push_as_first_release(
    app: &TestApp,
    session: &integration::Session,
    plan: Uuid,
    base: u64,
    operation: Value,
) -> Value {
    let res = app
        .post_json(
            "/api/v1/sync/push",
            session,
            &json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [mutation(plan, base, operation)]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.results()[0].clone()
}

#[tokio::test]
async fn a_first_release_device_is_sent_only_what_it_can_read_and_its_documents_are_taken() {
    let (app, demo) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    let with_coverage = open_with_coverage(&app, &reviewer).await;
    let unit = app.login("thpt-loc-thanh").await;

    // A device of the first release creates a plan for 381-CV/HU with a version-1 document
    // (as its outbox holds it): taken, and stored at version 2.
    let mut old = serde_json::to_value(integration::valid_document(&[])).expect("doc");
    old["schema_version"] = json!(1);
    let classic_plan = Uuid::new_v4();
    let create = op(
        "create",
        json!({"unit_id": demo.thpt, "campaign_id": demo.campaign, "document": old}),
    );
    let result = push_as_first_release(&app, &unit, classic_plan, 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");
    // Answered in the shape it reads (its rules refuse any other version), stored at 2.
    assert_eq!(result["plan"]["document"]["schema_version"], 1, "{result}");
    // A second device of the same unit, also of the first release, creates the same plan
    // offline: it becomes an edit of the first, with no stray change of version.
    let mut again = old.clone();
    again["sections"]["notes"] = json!("Ghi chú từ máy thứ hai.");
    let create = op(
        "create",
        json!({"unit_id": demo.thpt, "campaign_id": demo.campaign, "document": again}),
    );
    let result = push_as_first_release(&app, &unit, Uuid::new_v4(), 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");
    assert_eq!(result["plan"]["id"], json!(classic_plan), "{result}");
    assert_eq!(result["plan"]["document"]["schema_version"], 1);
    assert_eq!(
        result["plan"]["document"]["sections"]["notes"],
        "Ghi chú từ máy thứ hai."
    );

    // A plan of the campaign with coverage, made by a device of this release.
    let mut new = serde_json::to_value(integration::valid_document(&[])).expect("doc");
    new["coverage"] = coverage((6, 6), (2, 0), (1, 0));
    let covered_plan = Uuid::new_v4();
    let create = op(
        "create",
        json!({"unit_id": demo.thpt, "campaign_id": with_coverage, "document": new}),
    );
    let result = app.push_one(&unit, covered_plan, 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");

    // A campaign of other categories, and a plan of it whose figures the first release could
    // hold (its other category left blank): still not sent to an old device, whose campaign
    // it would lack.
    let other = Uuid::new_v4();
    let mut body = integration::campaign_body(other);
    body["categories"] = json!([{"code": "women", "label": "Nữ"}, {"code": "military_pool", "label": "Nguồn tuyển quân, dân quân"}]);
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let blank_other = Uuid::new_v4();
    let create = op(
        "create",
        json!({"unit_id": demo.thpt, "campaign_id": other, "document": {"pool": {"total": 3, "women": 1}}}),
    );
    let result = app.push_one(&unit, blank_other, 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");

    // This release's device pulls every campaign and plan, at version 2.
    let (changes, _) = app.pull_all(&unit, 0).await;
    let has = |changes: &[Value], kind: &str, id: Uuid| {
        changes.iter().any(|c| {
            c["type"] == kind
                && (c["data"]["id"] == json!(id) || c["data"]["campaign"]["id"] == json!(id))
        })
    };
    assert!(has(&changes, "campaign", with_coverage));
    assert!(has(&changes, "plan", covered_plan));
    assert!(has(&changes, "plan", blank_other));
    let stored = changes
        .iter()
        .find(|c| c["type"] == "plan" && c["data"]["id"] == json!(classic_plan))
        .expect("the plan");
    assert_eq!(stored["data"]["document"]["schema_version"], 2);

    // The first-release device: the campaign with coverage and its plan are not sent, the rest
    // is, with documents at version 1 — each page decodes with the first release's types
    // (their `deny_unknown_fields` would refuse `coverage`).
    let old_changes = pull_as_first_release(&app, &unit).await;
    assert!(!has(&old_changes, "campaign", with_coverage));
    assert!(!has(&old_changes, "plan", covered_plan));
    assert!(!has(&old_changes, "campaign", other));
    assert!(!has(&old_changes, "plan", blank_other));
    assert!(has(&old_changes, "campaign", demo.campaign));
    let plan = old_changes
        .iter()
        .find(|c| c["type"] == "plan" && c["data"]["id"] == json!(classic_plan))
        .expect("the 381-CV/HU plan reaches the old device");
    let document = &plan["data"]["document"];
    assert_eq!(document["schema_version"], 1);
    assert!(document.get("coverage").is_none(), "{document}");
    let first_release_keys = [
        "total",
        "ethnic_minority",
        "religious",
        "youth_union",
        "women",
        "students",
        "workers",
    ];
    for (key, _) in document["pool"].as_object().expect("pool") {
        assert!(first_release_keys.contains(&key.as_str()), "{key}");
    }
    for change in &old_changes {
        if change["type"] == "campaign" {
            assert!(change["data"]["campaign"].get("categories").is_none());
            assert!(change["data"]["campaign"].get("coverage").is_none());
        }
    }
}
