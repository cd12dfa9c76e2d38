//! A campaign names the structure categories its plans are broken down by: the catalogue's
//! and the committee's own. Plans, totals and files follow it; campaigns stored without a list
//! (381-CV/HU) keep the first release's six and travel as they did.

use axum::http::StatusCode;
use integration::{TestApp, op};
use serde_json::{Value, json};
use uuid::Uuid;

/// Eight categories: six of the catalogue, in the committee's order, and two of its own.
fn eight(ids: [Uuid; 2]) -> Value {
    let own = |id: Uuid, label: &str| json!({"code": app::domain::category::Code::custom(id).to_string(), "label": label});
    json!([
        {"code": "women", "label": "Nữ"},
        {"code": "youth_union_members", "label": "Đoàn viên"},
        {"code": "ethnic_minority", "label": "Người dân tộc thiểu số"},
        {"code": "military_pool", "label": "Nguồn tuyển quân, dân quân"},
        {"code": "industrial_workers", "label": "Công nhân"},
        {"code": "business_owners", "label": "Chủ doanh nghiệp tư nhân"},
        own(ids[0], "Người hoạt động không chuyên trách"),
        own(ids[1], "Hội viên nông dân"),
    ])
}

#[tokio::test]
async fn a_campaign_with_its_own_categories_shapes_its_plans_totals_and_files() {
    let (app, demo) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    let own = [Uuid::new_v4(), Uuid::new_v4()];
    let id = Uuid::new_v4();
    let mut body = integration::campaign_body(id);
    body["categories"] = eight(own);
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["campaign"]["categories"], eight(own));

    // The unit's device receives the list with the campaign, and its plan follows it.
    let unit = app.login("loc-an").await;
    let (changes, _) = app.pull_all(&unit, 0).await;
    let pulled = changes
        .iter()
        .find(|c| c["type"] == "campaign" && c["data"]["campaign"]["id"] == json!(id))
        .expect("the campaign reaches the unit");
    assert_eq!(pulled["data"]["campaign"]["categories"], eight(own));
    // The first release's campaign travels without the field, as a first-release client
    // expects it.
    let classic = changes
        .iter()
        .find(|c| c["type"] == "campaign" && c["data"]["campaign"]["id"] == json!(demo.campaign))
        .expect("381-CV/HU");
    assert!(classic["data"]["campaign"].get("categories").is_none());

    let campaign: app::domain::Campaign =
        serde_json::from_value(pulled["data"]["campaign"].clone()).expect("campaign");
    let figures = app::domain::Figure::all(&campaign.categories);
    let breakdown = |total: u32| -> Value {
        let mut b = serde_json::Map::new();
        for f in &figures {
            let value = if *f == app::domain::Figure::Total {
                total
            } else {
                total / 2
            };
            b.insert(f.code().to_owned(), json!(value));
        }
        Value::Object(b)
    };
    let mut document =
        serde_json::to_value(integration::valid_document(&demo.loc_an_cells)).expect("document");
    // Only the unit's own figures in the eight categories; no cells (the plan is checked
    // against its cells' sums, which this test does not need).
    document["pool"] = breakdown(40);
    document["term_target"] = breakdown(40);
    for year in campaign.years.iter() {
        document["targets"][year.to_string()] = breakdown(10);
    }
    document["cells"] = json!({});
    let plan = Uuid::new_v4();
    let create = op(
        "create",
        json!({"unit_id": demo.loc_an, "campaign_id": id, "document": document}),
    );
    let result = app.push_one(&unit, plan, 0, create).await;
    assert_eq!(result["outcome"], "applied", "{result}");
    // A figure under a category this campaign does not ask for is refused by name.
    let religious = integration::edit_one("pool.religious", Value::Null, json!(3));
    let result = app.push_one(&unit, plan, 1, religious).await;
    assert_eq!(result["code"], "structure.not_asked", "{result}");
    assert!(
        result["message"]
            .as_str()
            .is_some_and(|m| m.contains("không hỏi cơ cấu")),
        "{result}"
    );
    // One of the committee's own, past its total, is the rule it breaks, with its label.
    let own_path = format!("pool.{}", app::domain::category::Code::custom(own[1]));
    let result = app
        .push_one(
            &unit,
            plan,
            1,
            integration::edit_one(&own_path, json!(20), json!(41)),
        )
        .await;
    assert_eq!(result["outcome"], "applied", "{result}");
    let submit = op("submit", json!({"submitted_at": "2022-02-10T08:00:00Z"}));
    let result = app.push_one(&unit, plan, 2, submit).await;
    let findings = result["findings"].to_string();
    assert!(
        findings.contains("Hội viên nông dân") && findings.contains("structure.exceeds_total"),
        "{result}"
    );
    let result = app
        .push_one(
            &unit,
            plan,
            2,
            integration::edit_one(&own_path, json!(41), json!(20)),
        )
        .await;
    assert_eq!(result["outcome"], "applied", "{result}");

    // Totals and their file: one column per figure of the campaign, in its order.
    let totals = app
        .get_as(
            &format!("/api/v1/campaigns/{id}/totals?include=ever_submitted"),
            &reviewer,
        )
        .await;
    assert_eq!(totals.status, StatusCode::OK, "{}", totals.text());
    assert_eq!(totals.json()["categories"], eight(own));
    let csv = app
        .get_as(&format!("/api/v1/campaigns/{id}/totals.csv"), &reviewer)
        .await
        .text();
    let header = csv
        .lines()
        .find(|l| l.contains("Nguồn — Tổng số"))
        .unwrap_or_default();
    for label in [
        "Nguồn — Đoàn viên",
        "Nguồn — Hội viên nông dân",
        "Cả nhiệm kỳ — Công nhân",
    ] {
        assert!(header.contains(label), "{label} in {header}");
    }
    assert!(!header.contains("Người có đạo"), "{header}");
}

#[tokio::test]
async fn a_list_of_categories_that_cannot_be_used_is_refused_in_vietnamese() {
    let (app, _) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    for (categories, code) in [
        (json!([]), "categories.empty"),
        (
            json!([{"code": "women", "label": "Nữ"}, {"code": "women", "label": "Nữ"}]),
            "categories.twice",
        ),
        (
            json!([{"code": "women", "label": "Phụ nữ"}]),
            "categories.catalogue_label",
        ),
        (
            json!([{"code": "x_0123456789ab", "label": " "}]),
            "categories.label",
        ),
    ] {
        let mut body = integration::campaign_body(Uuid::new_v4());
        body["categories"] = categories;
        let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            res.text()
        );
        let fields = &res.json()["error"]["fields"];
        assert_eq!(fields[0]["field"], "categories", "{}", res.text());
        assert_eq!(fields[0]["code"], code, "{}", res.text());
    }
    // A code that is no code at all does not parse: the body is refused as malformed.
    let mut body = integration::campaign_body(Uuid::new_v4());
    body["categories"] = json!([{"code": "Nữ", "label": "Nữ"}]);
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text());
    let too_many: Vec<Value> = (0..=app::domain::category::MAX_CATEGORIES)
        .map(|n| {
            json!({"code": app::domain::category::Code::custom(Uuid::from_u128(n as u128 + 1)).to_string(), "label": format!("Cơ cấu {n}")})
        })
        .collect();
    let mut body = integration::campaign_body(Uuid::new_v4());
    body["categories"] = Value::Array(too_many);
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert!(res.text().contains("categories.too_many"), "{}", res.text());
}
