//! The sync protocol: idempotency, ordering, merging, conflicts, status transitions, pulls.

use axum::http::StatusCode;
use integration::{Demo, TestApp, mutation, op, valid_document};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use server::store::entities::{applied_mutation, plan, plan_version};
use uuid::Uuid;

fn create_op(demo: &Demo, unit: Uuid, doc: &app::domain::PlanDocument) -> Value {
    op(
        "create",
        json!({"unit_id": unit, "campaign_id": demo.campaign, "document": doc }),
    )
}

fn edit_op(changes: &[(&str, Value, Value)]) -> Value {
    op(
        "edit",
        json!({"changes": changes.iter().map(|(p, b, v)| json!({"path": p, "base": b, "value": v})).collect::<Vec<_>>() }),
    )
}

/// Creates Lộc An's plan from one device; returns (app, demo, plan id, session).
async fn with_plan() -> (TestApp, Demo, Uuid, integration::Session) {
    let (app, demo) = TestApp::seeded().await;
    let session = app.login("loc-an").await;
    let plan_id = Uuid::new_v4();
    let doc = valid_document(&demo.loc_an_cells);
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(plan_id, 0, create_op(&demo, demo.loc_an, &doc))],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    (app, demo, plan_id, session)
}

fn outcome(res: &integration::TestResponse, i: usize) -> String {
    res.results()[i]["outcome"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_created_plan_is_a_draft_at_revision_one_and_is_pulled_back() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let (changes, cursor) = app.pull_all(&session, 0).await;
    let plans: Vec<&Value> = changes.iter().filter(|c| c["type"] == "plan").collect();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["data"]["id"], json!(plan_id));
    assert_eq!(plans[0]["data"]["status"], "draft");
    assert_eq!(plans[0]["data"]["revision"], 1);
    assert!(
        changes.iter().any(|c| c["type"] == "campaign"),
        "the campaign comes with the pull"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["type"] == "unit" && c["data"]["code"] == "XA-LOC-AN")
    );
    let (again, same_cursor) = app.pull_all(&session, cursor).await;
    assert!(again.is_empty(), "nothing new after the cursor");
    assert_eq!(same_cursor, cursor);
}

#[tokio::test]
async fn a_replayed_batch_returns_the_stored_results_and_changes_nothing() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let device = Uuid::new_v4();
    let batch = vec![
        mutation(plan_id, 1, edit_op(&[("pool.women", json!(14), json!(15))])),
        mutation(
            plan_id,
            1,
            edit_op(&[("sections.notes", json!(""), json!("Ghi chú"))]),
        ),
    ];
    let first = app.push(&session, device, batch.clone()).await;
    assert_eq!(outcome(&first, 0), "applied", "{}", first.text());
    assert_eq!(outcome(&first, 1), "applied");
    let revision = first.results()[1]["plan"]["revision"].clone();
    let stored = applied_mutation::Entity::find()
        .count(&app.db)
        .await
        .expect("count");

    // The reply was lost on a 2G link: the device sends the very same batch again.
    let second = app.push(&session, device, batch).await;
    assert_eq!(outcome(&second, 0), "applied");
    assert_eq!(outcome(&second, 1), "applied");
    assert_eq!(
        second.results()[1]["plan"]["revision"],
        revision,
        "no new revision"
    );
    assert_eq!(
        applied_mutation::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        stored
    );
    let row = plan::Entity::find_by_id(plan_id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("plan");
    assert_eq!(row.revision, 3, "create + two edits, each once");
}

#[tokio::test]
async fn an_edit_sent_before_its_create_waits_and_then_applies() {
    let (app, demo) = TestApp::seeded().await;
    let session = app.login("thpt-loc-thanh").await;
    let plan_id = Uuid::new_v4();
    let edit = mutation(
        plan_id,
        1,
        edit_op(&[("sections.notes", json!(""), json!("Sau khi tạo"))]),
    );
    let early = app.push(&session, Uuid::new_v4(), vec![edit.clone()]).await;
    let result = &early.results()[0];
    assert_eq!(result["outcome"], "rejected");
    assert_eq!(result["code"], "plan.not_found");
    assert_eq!(result["retryable"], true, "the device keeps it and retries");

    let doc = valid_document(&[]);
    let create = mutation(plan_id, 0, create_op(&demo, demo.thpt, &doc));
    let later = app.push(&session, Uuid::new_v4(), vec![create, edit]).await;
    assert_eq!(outcome(&later, 0), "applied");
    assert_eq!(outcome(&later, 1), "applied", "{}", later.text());
    assert_eq!(
        later.results()[1]["plan"]["document"]["sections"]["notes"],
        "Sau khi tạo"
    );
}

#[tokio::test]
async fn two_devices_editing_different_fields_both_survive() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let a = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[("header.place", json!("Lộc An"), json!("xã Lộc An"))]),
            )],
        )
        .await;
    assert_eq!(outcome(&a, 0), "applied");
    // Device B worked offline from revision 1 on another field.
    let b = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[(
                    "sections.assessment",
                    json!(""),
                    json!("Nguồn chủ yếu là đoàn viên."),
                )]),
            )],
        )
        .await;
    assert_eq!(outcome(&b, 0), "applied", "{}", b.text());
    let doc = &b.results()[0]["plan"]["document"];
    assert_eq!(doc["header"]["place"], "xã Lộc An");
    assert_eq!(doc["sections"]["assessment"], "Nguồn chủ yếu là đoàn viên.");
}

#[tokio::test]
async fn two_devices_editing_the_same_field_get_a_conflict_not_an_overwrite() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let a = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[("targets.2023.total", json!(14), json!(15))]),
            )],
        )
        .await;
    assert_eq!(outcome(&a, 0), "applied");
    let b = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[
                    ("targets.2023.total", json!(14), json!(16)),
                    ("sections.notes", json!(""), json!("B")),
                ]),
            )],
        )
        .await;
    let result = &b.results()[0];
    assert_eq!(result["outcome"], "conflict", "{}", b.text());
    assert_eq!(result["conflicts"][0]["path"], "targets.2023.total");
    assert_eq!(result["conflicts"][0]["mine"], 16);
    assert_eq!(result["conflicts"][0]["theirs"], 15);
    assert_eq!(result["conflicts"][0]["base"], 14);
    assert_eq!(result["applied"], json!(["sections.notes"]));
    assert_eq!(
        result["plan"]["document"]["targets"]["2023"]["total"], 15,
        "A's value kept"
    );
    assert_eq!(
        result["plan"]["document"]["sections"]["notes"], "B",
        "B's other field merged"
    );
}

#[tokio::test]
async fn the_same_value_from_two_devices_is_not_a_conflict() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let change = || {
        vec![mutation(
            plan_id,
            1,
            edit_op(&[("pool.total", json!(42), json!(43))]),
        )]
    };
    assert_eq!(
        outcome(&app.push(&session, Uuid::new_v4(), change()).await, 0),
        "applied"
    );
    assert_eq!(
        outcome(&app.push(&session, Uuid::new_v4(), change()).await, 0),
        "applied"
    );
}

#[tokio::test]
async fn a_second_device_creating_the_same_plan_merges_into_the_first() {
    let (app, demo, plan_id, session) = with_plan().await;
    let mut doc = valid_document(&demo.loc_an_cells);
    doc.sections.notes = "Từ máy thứ hai".into();
    let other_id = Uuid::new_v4();
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(other_id, 0, create_op(&demo, demo.loc_an, &doc))],
        )
        .await;
    let result = &res.results()[0];
    assert_eq!(result["outcome"], "applied", "{}", res.text());
    assert_eq!(
        result["plan"]["id"],
        json!(plan_id),
        "the device learns the real plan id"
    );
    assert_eq!(
        result["plan"]["document"]["sections"]["notes"],
        "Từ máy thứ hai"
    );
    assert_eq!(
        plan::Entity::find().count(&app.db).await.expect("count"),
        1,
        "one plan per unit"
    );
}

#[tokio::test]
async fn every_accepted_revision_is_kept_as_a_version() {
    let (app, _demo, plan_id, session) = with_plan().await;
    app.push(
        &session,
        Uuid::new_v4(),
        vec![mutation(
            plan_id,
            1,
            edit_op(&[("pool.total", json!(42), json!(43))]),
        )],
    )
    .await;
    let versions = plan_version::Entity::find()
        .all(&app.db)
        .await
        .expect("versions");
    let mut revisions: Vec<i64> = versions.iter().map(|v| v.revision).collect();
    revisions.sort_unstable();
    assert_eq!(revisions, [1, 2]);
}

#[tokio::test]
async fn submitting_needs_an_error_free_plan_and_records_both_times() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let broken = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[("pool.women", json!(14), json!(-1))]),
            )],
        )
        .await;
    assert_eq!(outcome(&broken, 0), "applied", "a draft may hold errors");
    let submit = op("submit", json!({"submitted_at": "2022-02-14T20:00:00Z"}));
    let refused = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(plan_id, 2, submit.clone())],
        )
        .await;
    let result = &refused.results()[0];
    assert_eq!(result["outcome"], "rejected");
    assert_eq!(result["code"], "plan.has_errors");
    assert_eq!(result["findings"][0]["rule"], "count.negative");
    assert_eq!(result["findings"][0]["path"], "pool.women");

    app.push(
        &session,
        Uuid::new_v4(),
        vec![mutation(
            plan_id,
            2,
            edit_op(&[("pool.women", json!(-1), json!(14))]),
        )],
    )
    .await;
    let accepted = app
        .push(&session, Uuid::new_v4(), vec![mutation(plan_id, 3, submit)])
        .await;
    let result = &accepted.results()[0];
    assert_eq!(result["outcome"], "applied", "{}", accepted.text());
    assert_eq!(result["plan"]["status"], "submitted");
    assert!(result["plan"]["received_at"].is_string());
    // The device said 2022; the campaign was opened today: the device time is kept within
    // bounds — not before the campaign existed, not after the server received it.
    let device: chrono::DateTime<chrono::Utc> = result["plan"]["submitted_at_device"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("device time");
    let created: chrono::DateTime<chrono::Utc> = result["plan"]["created_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("created");
    assert!(
        device.date_naive() == chrono::Utc::now().date_naive() && device <= created,
        "{device}"
    );
}

#[tokio::test]
async fn a_submitted_plan_refuses_edits_until_returned() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let now = chrono::Utc::now().to_rfc3339();
    app.push(
        &session,
        Uuid::new_v4(),
        vec![mutation(
            plan_id,
            1,
            op("submit", json!({"submitted_at": now})),
        )],
    )
    .await;
    let late_edit = mutation(
        plan_id,
        1,
        edit_op(&[("sections.notes", json!(""), json!("Sửa muộn"))]),
    );
    let refused = app.push(&session, Uuid::new_v4(), vec![late_edit]).await;
    assert_eq!(refused.results()[0]["code"], "plan.not_editable");

    let reviewer = app.login("bantochuc").await;
    let comment_id = Uuid::new_v4();
    let returned = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                2,
                op("return", json!({"comments": [{"id": comment_id, "path": "targets.2023.total", "body": "Chỉ tiêu năm 2023 cao so với nguồn."}]})),
            )],
        )
        .await;
    assert_eq!(outcome(&returned, 0), "applied", "{}", returned.text());
    assert_eq!(returned.results()[0]["plan"]["status"], "returned");

    // The unit's device was offline with an edit based on the submitted revision.
    let offline_edit = mutation(
        plan_id,
        2,
        edit_op(&[("targets.2023.total", json!(14), json!(12))]),
    );
    let applied = app.push(&session, Uuid::new_v4(), vec![offline_edit]).await;
    assert_eq!(outcome(&applied, 0), "applied", "{}", applied.text());

    let (changes, _) = app.pull_all(&session, 0).await;
    let comment = changes
        .iter()
        .find(|c| c["type"] == "comment")
        .expect("the comment reaches the unit");
    assert_eq!(comment["data"]["path"], "targets.2023.total");
    assert_eq!(comment["data"]["author_role"], "district_reviewer");
    let events: Vec<&Value> = changes
        .iter()
        .filter(|c| c["type"] == "review_event")
        .collect();
    assert_eq!(events.len(), 2, "submit and return");
}

#[tokio::test]
async fn only_the_district_returns_or_approves_and_only_the_unit_submits() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let approve_by_unit = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                op("approve", json!({"comment": null})),
            )],
        )
        .await;
    assert_eq!(
        approve_by_unit.results()[0]["code"],
        "transition.role_not_allowed"
    );
    let reviewer = app.login("bantochuc").await;
    let approve_draft = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                op("approve", json!({"comment": null})),
            )],
        )
        .await;
    assert_eq!(
        approve_draft.results()[0]["code"],
        "transition.wrong_status"
    );
    let submit_by_reviewer = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                op("submit", json!({"submitted_at": "2022-02-01T00:00:00Z"})),
            )],
        )
        .await;
    assert_eq!(
        submit_by_reviewer.results()[0]["code"],
        "transition.role_not_allowed"
    );
    let edit_by_reviewer = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[("pool.total", json!(42), json!(1))]),
            )],
        )
        .await;
    assert_eq!(edit_by_reviewer.results()[0]["code"], "forbidden");
    let return_without_comment = app
        .push(
            &reviewer,
            Uuid::new_v4(),
            vec![mutation(plan_id, 1, op("return", json!({"comments": []})))],
        )
        .await;
    assert_eq!(
        return_without_comment.results()[0]["code"],
        "return.comment_required"
    );
}

#[tokio::test]
async fn a_submit_right_after_a_conflict_in_the_same_batch_is_held_back() {
    let (app, _demo, plan_id, session) = with_plan().await;
    app.push(
        &session,
        Uuid::new_v4(),
        vec![mutation(
            plan_id,
            1,
            edit_op(&[("pool.total", json!(42), json!(44))]),
        )],
    )
    .await;
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![
                mutation(plan_id, 1, edit_op(&[("pool.total", json!(42), json!(45))])),
                mutation(
                    plan_id,
                    1,
                    op("submit", json!({"submitted_at": "2022-02-01T00:00:00Z"})),
                ),
            ],
        )
        .await;
    assert_eq!(outcome(&res, 0), "conflict");
    assert_eq!(res.results()[1]["code"], "submit.after_conflict");
}

#[tokio::test]
async fn hard_limits_refuse_the_change_and_keep_the_plan() {
    let (app, _demo, plan_id, session) = with_plan().await;
    let huge = "x".repeat(20_001);
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[("sections.notes", json!(""), json!(huge))]),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["code"], "text.too_long");
    let too_many: Vec<(String, Value, Value)> = (0..501)
        .map(|i| (format!("sections.notes{i}"), json!(null), json!(1)))
        .collect();
    let refs: Vec<(&str, Value, Value)> = too_many
        .iter()
        .map(|(p, b, v)| (p.as_str(), b.clone(), v.clone()))
        .collect();
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(plan_id, 1, edit_op(&refs))],
        )
        .await;
    assert_eq!(res.results()[0]["code"], "too_many_changes");
    for (path, code) in [
        // A category the campaign does not ask for is not stored, even in a draft.
        ("pool.men", "structure.not_asked"),
        ("pool.Nam", "path.unknown_field"),
        ("pool", "path.wrong_shape"),
        ("a..b", "path.syntax"),
    ] {
        let res = app
            .push(
                &session,
                Uuid::new_v4(),
                vec![mutation(
                    plan_id,
                    1,
                    edit_op(&[(path, json!(null), json!("x"))]),
                )],
            )
            .await;
        assert_eq!(res.results()[0]["code"], code, "{path}: {}", res.text());
    }
    let row = plan::Entity::find_by_id(plan_id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("plan");
    assert_eq!(row.revision, 1, "nothing was applied");
}

#[tokio::test]
async fn malformed_requests_get_clear_4xx_answers() {
    let (app, _demo, _plan_id, session) = with_plan().await;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": (0..101).map(|_| mutation(Uuid::new_v4(), 0, edit_op(&[]))).collect::<Vec<_>>()}),
            "batch_too_large",
        ),
        (
            json!({"protocol": 3, "device_id": Uuid::new_v4(), "mutations": []}),
            "protocol.unsupported",
        ),
        (
            json!({"protocol": 0, "device_id": Uuid::new_v4(), "mutations": []}),
            "protocol.unsupported",
        ),
        (
            json!({"protocol": 1, "device_id": "not-a-uuid", "mutations": []}),
            "json.invalid",
        ),
        (
            json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [], "extra": 1}),
            "json.invalid",
        ),
        (
            json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [{"id": Uuid::new_v4(), "plan_id": Uuid::new_v4(), "base_revision": -1, "created_at": "2022-01-01T00:00:00Z", "op": {"edit": {"changes": []}}}]}),
            "json.invalid",
        ),
        (
            json!({"protocol": 1, "device_id": Uuid::new_v4(), "mutations": [{"id": Uuid::new_v4(), "plan_id": Uuid::new_v4(), "base_revision": 0, "created_at": "2022-01-01T00:00:00Z", "op": {"delete": {}}}]}),
            "json.invalid",
        ),
    ];
    for (body, code) in cases {
        let res = app.post_json("/api/v1/sync/push", &session, &body).await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{code}: {}",
            res.text()
        );
        assert_eq!(res.json()["error"]["code"], code);
        assert!(
            !res.json()["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
    let raw = session.request(axum::http::Method::POST, "/api/v1/sync/push", None);
    let (parts, _) = raw.into_parts();
    let mut req =
        axum::http::Request::from_parts(parts, axum::body::Body::from("{\"protocol\": 1, "));
    req.headers_mut()
        .insert("content-type", "application/json".parse().expect("header"));
    let res = app.send(req).await;
    assert_eq!(res.json()["error"]["code"], "json.malformed");
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let raw = session.request(axum::http::Method::POST, "/api/v1/sync/push", None);
    let (parts, _) = raw.into_parts();
    let mut req = axum::http::Request::from_parts(parts, axum::body::Body::from(deep));
    req.headers_mut()
        .insert("content-type", "application/json".parse().expect("header"));
    assert_eq!(
        app.send(req).await.status,
        StatusCode::BAD_REQUEST,
        "deep nesting is refused, not a crash"
    );
    for query in [
        "cursor=-1",
        "cursor=abc",
        "limit=x",
        "bogus=1",
        "schema=hai",
    ] {
        let res = app
            .get_as(&format!("/api/v1/sync/pull?{query}"), &session)
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(res.json()["error"]["code"], "query.invalid");
    }
}

#[tokio::test]
async fn pulling_one_change_at_a_time_visits_every_change_once_in_order() {
    let (app, _demo, plan_id, session) = with_plan().await;
    for i in 0..5 {
        app.push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                1,
                edit_op(&[(
                    "sections.notes",
                    json!(if i == 0 {
                        String::new()
                    } else {
                        format!("v{}", i - 1)
                    }),
                    json!(format!("v{i}")),
                )]),
            )],
        )
        .await;
    }
    let (all, last) = app.pull_all(&session, 0).await;
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let res = app
            .get_as(
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=1&schema=2"),
                &session,
            )
            .await;
        let page = res.json();
        for change in res.changes() {
            let seq = change["data"]["seq"].as_u64().expect("seq");
            assert!(seq > cursor, "sequence numbers only grow");
            seen.push(change);
        }
        let next = page["next_cursor"].as_u64().expect("cursor");
        if page["has_more"] != json!(true) {
            assert_eq!(next, last);
            break;
        }
        cursor = next;
    }
    assert_eq!(seen, all);
}
