//! The district's views of a campaign — submission board, totals, CSV and XLSX exports —
//! against figures computed by hand on a seeded district.

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use integration::{Demo, Session, TestApp, mutation, op, valid_document};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use server::store::entities::{org_unit, plan};
use uuid::Uuid;

async fn unit_id(app: &TestApp, code: &str) -> Uuid {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("unit {code}"))
        .id
}

/// Creates a plan as `login` and returns its id and revision.
async fn create(
    app: &TestApp,
    login: &str,
    unit: Uuid,
    campaign: Uuid,
    doc: &app::domain::PlanDocument,
) -> (Uuid, Session, u64) {
    let session = app.login(login).await;
    let plan_id = Uuid::new_v4();
    let res = app
        .push(
            &session,
            Uuid::new_v4(),
            vec![mutation(
                plan_id,
                0,
                op(
                    "create",
                    json!({"unit_id": unit, "campaign_id": campaign, "document": doc}),
                ),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    (plan_id, session, 1)
}

async fn push_ok(
    app: &TestApp,
    session: &Session,
    plan_id: Uuid,
    revision: u64,
    operation: serde_json::Value,
) -> u64 {
    let res = app
        .push(
            session,
            Uuid::new_v4(),
            vec![mutation(plan_id, revision, operation)],
        )
        .await;
    let result = &res.results()[0];
    assert_eq!(result["outcome"], "applied", "{}", res.text());
    result["plan"]["revision"].as_u64().expect("revision")
}

fn submit() -> serde_json::Value {
    op("submit", json!({"submitted_at": "2022-02-01T00:00:00Z"}))
}

/// Sets when a plan was submitted on the device and received, as if it had happened then.
async fn set_times(app: &TestApp, plan_id: Uuid, device: &str, received: &str) {
    let row = plan::Entity::find_by_id(plan_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("plan");
    let mut active: plan::ActiveModel = row.into();
    active.submitted_at_device = Set(Some(device.parse().expect("time")));
    active.received_at = Set(Some(received.parse().expect("time")));
    active.update(&app.db).await.expect("update");
}

/// The seeded district with plans in every state:
/// - Lộc An (14 cells): submitted at 23:00 local on the deadline day, received the next morning;
/// - THPT Lộc Thanh: submitted 3 days late;
/// - MTTQ: submitted, then returned with a comment;
/// - THPT Bảo Lâm: submitted, then approved;
/// - Lộc Bảo: a draft; every other unit: nothing.
async fn district_with_plans() -> (TestApp, Demo) {
    let (app, demo) = TestApp::seeded().await;
    let campaign = demo.campaign;
    let reviewer = app.login("bantochuc").await;

    let (loc_an, s, r) = create(
        &app,
        "loc-an",
        demo.loc_an,
        campaign,
        &valid_document(&demo.loc_an_cells),
    )
    .await;
    push_ok(&app, &s, loc_an, r, submit()).await;
    set_times(&app, loc_an, "2022-02-15T16:00:00Z", "2022-02-16T01:30:00Z").await;

    let (thpt, s, r) = create(
        &app,
        "thpt-loc-thanh",
        demo.thpt,
        campaign,
        &valid_document(&[]),
    )
    .await;
    push_ok(&app, &s, thpt, r, submit()).await;
    set_times(&app, thpt, "2022-02-18T03:00:00Z", "2022-02-18T03:00:05Z").await;

    let mttq_unit = unit_id(&app, "CB-MTTQ").await;
    let (mttq, s, r) = create(&app, "mttq", mttq_unit, campaign, &valid_document(&[])).await;
    let r = push_ok(&app, &s, mttq, r, submit()).await;
    set_times(&app, mttq, "2022-02-10T03:00:00Z", "2022-02-10T03:00:00Z").await;
    push_ok(
        &app,
        &reviewer,
        mttq,
        r,
        op("return", json!({"comments": [{"id": Uuid::new_v4(), "path": "pool.total", "body": "Rà soát lại nguồn."}]})),
    )
    .await;

    let bao_lam_unit = unit_id(&app, "CB-THPT-BAO-LAM").await;
    let (bao_lam, s, r) = create(
        &app,
        "thpt-bao-lam",
        bao_lam_unit,
        campaign,
        &valid_document(&[]),
    )
    .await;
    let r = push_ok(&app, &s, bao_lam, r, submit()).await;
    set_times(
        &app,
        bao_lam,
        "2022-02-11T03:00:00Z",
        "2022-02-11T03:00:00Z",
    )
    .await;
    push_ok(
        &app,
        &reviewer,
        bao_lam,
        r,
        op("approve", json!({"comment": null})),
    )
    .await;

    let loc_bao = unit_id(&app, "XA-LOC-BAO").await;
    let blank = app::domain::PlanDocument::blank(
        &[2022, 2023, 2024, 2025],
        &[],
        &app::domain::Categories::classic(),
    );
    create(&app, "loc-bao", loc_bao, campaign, &blank).await;
    (app, demo)
}

fn row<'a>(board: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    board["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["unit_code"] == code)
        .unwrap_or_else(|| panic!("row {code}"))
}

#[tokio::test]
async fn the_board_lists_every_grassroots_unit_with_status_and_timeliness() {
    let (app, demo) = district_with_plans().await;
    let reviewer = app.login("bantochuc").await;
    let res = app
        .get_as(
            &format!("/api/v1/campaigns/{}/board", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let board = res.json();
    let grassroots = org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(demo.district))
        .filter(org_unit::Column::Level.eq("grassroots"))
        .all(&app.db)
        .await
        .expect("units")
        .len();
    assert_eq!(board["rows"].as_array().expect("rows").len(), grassroots);
    assert_eq!(
        grassroots, 23,
        "the demo district's grassroots organisations"
    );
    assert_eq!(board["deadline_end"], "2022-02-15T17:00:00Z");

    let loc_an = row(&board, "XA-LOC-AN");
    assert_eq!(
        loc_an["status"], "on_time",
        "pressed submit before the deadline, offline"
    );
    assert_eq!(loc_an["received_after_deadline"], true);
    assert_eq!(loc_an["days_late"], 0);
    let thpt = row(&board, "CB-THPT-LOC-THANH");
    assert_eq!(thpt["status"], "late");
    assert_eq!(thpt["days_late"], 3);
    assert_eq!(row(&board, "CB-MTTQ")["status"], "returned");
    assert_eq!(row(&board, "CB-THPT-BAO-LAM")["status"], "approved");
    assert_eq!(row(&board, "XA-LOC-BAO")["status"], "drafting");
    let idle = row(&board, "XA-LOC-NAM");
    assert_eq!(idle["status"], "not_started");
    assert!(idle["plan_id"].is_null());

    let counts: Vec<(String, u64)> = board["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c[0].as_str().expect("code").to_owned(),
                c[1].as_u64().expect("n"),
            )
        })
        .collect();
    let count = |code: &str| counts.iter().find(|(c, _)| c == code).map(|(_, n)| *n);
    assert_eq!(count("on_time"), Some(1));
    assert_eq!(count("late"), Some(1));
    assert_eq!(count("returned"), Some(1));
    assert_eq!(count("approved"), Some(1));
    assert_eq!(count("drafting"), Some(1));
    assert_eq!(count("not_started"), Some(18));
}

#[tokio::test]
async fn totals_match_hand_computed_sums() {
    let (app, demo) = district_with_plans().await;
    let reviewer = app.login("bantochuc").await;
    let res = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let t = res.json();
    // valid_document: per cell (or per cell-less unit) pool 3,1,1,2,1,0,1 and a yearly target of
    // 1,0,0,1,1,0,0; the term target is four years of it. Counted: Lộc An (14 cells), THPT Lộc
    // Thanh (submitted late: still counted), THPT Bảo Lâm (approved) = 16 shares. MTTQ was
    // returned and Lộc Bảo is a draft: not counted.
    assert_eq!(t["district"]["plans"], 3);
    assert_eq!(t["district"]["pool"], json!([48, 16, 16, 32, 16, 0, 16]));
    for year in ["2022", "2023", "2024", "2025"] {
        assert_eq!(
            t["district"]["targets"][year],
            json!([16, 0, 0, 16, 16, 0, 0]),
            "{year}"
        );
    }
    assert_eq!(
        t["district"]["term_target"],
        json!([64, 0, 0, 64, 64, 0, 0])
    );
    assert_eq!(
        t["district"]["members"],
        286 + 27 + 31,
        "members of the counted units"
    );

    let kind = |code: &str| {
        t["by_kind"]
            .as_array()
            .expect("kinds")
            .iter()
            .find(|k| k[0] == code)
            .map(|k| k[1].clone())
            .unwrap_or_else(|| panic!("kind {code}"))
    };
    assert_eq!(kind("commune")["pool"][0], 42, "Lộc An's 14 cells × 3");
    assert_eq!(kind("commune")["units"], 13);
    assert_eq!(kind("public_service")["pool"][0], 6);
    assert_eq!(
        kind("agency")["plans"],
        0,
        "MTTQ's returned plan is not counted"
    );

    let members: i64 = org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(demo.district))
        .filter(org_unit::Column::Level.eq("grassroots"))
        .all(&app.db)
        .await
        .expect("units")
        .iter()
        .map(|u| i64::from(u.member_count))
        .sum();
    assert_eq!(t["guideline"]["members"], members);
    assert_eq!(t["guideline"]["yearly_low"], (members * 3 + 99) / 100);
    assert_eq!(t["guideline"]["yearly_high"], members * 4 / 100);

    let approved = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/totals?include=approved",
                demo.campaign
            ),
            &reviewer,
        )
        .await
        .json();
    assert_eq!(approved["district"]["plans"], 1);
    assert_eq!(approved["district"]["pool"], json!([3, 1, 1, 2, 1, 0, 1]));
}

#[tokio::test]
async fn only_the_districts_reviewers_see_its_views() {
    let (app, demo) = TestApp::seeded().await;
    let paths = [
        "board",
        "totals",
        "board.csv",
        "board.xlsx",
        "totals.csv",
        "totals.xlsx",
    ];
    for (who, status) in [
        ("loc-an", StatusCode::FORBIDDEN),
        ("quantri", StatusCode::FORBIDDEN),
        ("bantochuc-dilinh", StatusCode::NOT_FOUND),
    ] {
        let session = app.login(who).await;
        for p in paths {
            let res = app
                .get_as(
                    &format!("/api/v1/campaigns/{}/{p}", demo.campaign),
                    &session,
                )
                .await;
            assert_eq!(res.status, status, "{who} {p}: {}", res.text());
            assert!(res.json()["error"]["message"].is_string());
        }
    }
    for p in paths {
        let res = app
            .get_as(
                &format!("/api/v1/campaigns/{}/{p}", demo.campaign),
                &Session::anonymous(),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{p}");
    }
    let reviewer = app.login("bantochuc").await;
    let unknown = app
        .get_as(
            &format!("/api/v1/campaigns/{}/board", Uuid::new_v4()),
            &reviewer,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.json()["error"]["message"],
        "Không tìm thấy đợt đăng ký kế hoạch."
    );
    let bad = app
        .get_as("/api/v1/campaigns/not-a-uuid/board", &reviewer)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
    let bad = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals?include=all", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
}

#[tokio::test]
async fn exports_have_vietnamese_headers_numbers_as_numbers_and_no_formulas() {
    let (app, demo) = district_with_plans().await;
    // A unit whose name a spreadsheet would run as a formula.
    server::import::import_units(
        &app.db,
        "code,name,level,kind,parent_code,member_count\n\
         DN-HACK,\"=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\",grassroots,enterprise,HU-BAO-LAM,5\n",
    )
    .await
    .expect("import");
    let reviewer = app.login("bantochuc").await;

    let csv = app
        .get_as(
            &format!("/api/v1/campaigns/{}/board.csv", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        csv.header("content-disposition")
            .is_some_and(|d| d.contains("tinh-hinh-nop-381-CV-HU.csv"))
    );
    let text = csv.text();
    assert!(
        text.starts_with('\u{feff}'),
        "a BOM so spreadsheets read UTF-8"
    );
    assert!(
        text.contains("\"STT\",\"Mã đơn vị\",\"Tên tổ chức cơ sở đảng\",\"Loại hình\",\"Số đảng viên\",\"Tình trạng\""),
        "{text}"
    );
    assert!(text.contains("\"XA-LOC-AN\",\"Đảng bộ xã Lộc An\",\"Xã\",286,\"Đã nộp đúng hạn\",\"23:00 15/02/2022\",\"08:30 16/02/2022\",0,\"Có\""), "{text}");
    assert!(
        text.contains(",\"'=HYPERLINK("),
        "formula neutralised: {text}"
    );

    let xlsx = app
        .get_as(
            &format!("/api/v1/campaigns/{}/board.xlsx", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body.to_vec())).expect("an XLSX file");
    let sheet = book.worksheet_range("Tình hình nộp").expect("sheet");
    assert_eq!(
        sheet.get_value((2, 2)),
        Some(&Data::String("Tên tổ chức cơ sở đảng".into()))
    );
    let loc_an_row = (3..sheet.height() as u32)
        .find(|r| sheet.get_value((*r, 1)) == Some(&Data::String("XA-LOC-AN".into())))
        .expect("Lộc An's row");
    assert_eq!(
        sheet.get_value((loc_an_row, 4)),
        Some(&Data::Float(286.0)),
        "a number, not text"
    );
    assert_eq!(
        sheet.get_value((loc_an_row, 5)),
        Some(&Data::String("Đã nộp đúng hạn".into()))
    );
    let hack_row = (3..sheet.height() as u32)
        .find(|r| sheet.get_value((*r, 1)) == Some(&Data::String("DN-HACK".into())))
        .expect("the odd unit's row");
    assert!(
        matches!(sheet.get_value((hack_row, 2)), Some(Data::String(s)) if s.starts_with("=HYPERLINK"))
    );
    let formulas = book.worksheet_formula("Tình hình nộp").expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );

    let totals = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals.xlsx", demo.campaign),
            &reviewer,
        )
        .await;
    assert_eq!(totals.status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(totals.body.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range("Tổng hợp").expect("sheet");
    assert_eq!(
        sheet.get_value((3, 0)),
        Some(&Data::String("Toàn huyện".into()))
    );
    assert_eq!(
        sheet.get_value((2, 4)),
        Some(&Data::String("Nguồn — Tổng số".into()))
    );
    assert_eq!(sheet.get_value((3, 4)), Some(&Data::Float(48.0)));
    let totals_csv = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals.csv", demo.campaign),
            &reviewer,
        )
        .await;
    assert!(
        totals_csv
            .text()
            .contains("\"Toàn huyện\",24,3,344,48,16,16,32,16,0,16"),
        "{}",
        totals_csv.text()
    );
}

#[tokio::test]
async fn the_history_shows_each_status_and_what_changed_after_a_return() {
    let (app, _demo) = district_with_plans().await;
    let mttq_unit = unit_id(&app, "CB-MTTQ").await;
    let plan = plan::Entity::find()
        .filter(plan::Column::UnitId.eq(mttq_unit))
        .one(&app.db)
        .await
        .expect("query")
        .expect("MTTQ's plan");
    let unit = app.login("mttq").await;
    let revision = u64::try_from(plan.revision).expect("revision");
    let r = push_ok(
        &app,
        &unit,
        plan.id,
        revision,
        op(
            "edit",
            json!({"changes": [{"path": "pool.total", "base": 3, "value": 7}]}),
        ),
    )
    .await;
    push_ok(&app, &unit, plan.id, r, submit()).await;

    let reviewer = app.login("bantochuc").await;
    let res = app
        .get_as(&format!("/api/v1/plans/{}/versions", plan.id), &reviewer)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let versions = res.json();
    let statuses: Vec<&str> = versions
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["draft", "submitted", "returned", "submitted"]);
    let returned = versions[2]["revision"].as_i64().expect("revision");
    let latest = versions[3]["revision"].as_i64().expect("revision");
    assert_eq!(versions[2]["author"], "Ban Tổ chức Huyện ủy Bảo Lâm");

    let res = app
        .get_as(
            &format!("/api/v1/plans/{}/diff?from={returned}&to={latest}", plan.id),
            &reviewer,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.json()["changes"],
        json!([{"path": "pool.total", "old": 3, "new": 7}]),
        "only what the unit changed"
    );

    // Others: another unit and another district's reviewer get 404; bad input a clear 400/404.
    for who in ["loc-an", "bantochuc-dilinh"] {
        let session = app.login(who).await;
        let res = app
            .get_as(&format!("/api/v1/plans/{}/versions", plan.id), &session)
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{who}");
    }
    let res = app
        .get_as(&format!("/api/v1/plans/{}/diff?from=1", plan.id), &reviewer)
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text());
    let res = app
        .get_as(
            &format!("/api/v1/plans/{}/diff?from=1&to=999", plan.id),
            &reviewer,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        res.json()["error"]["message"],
        "Không tìm thấy phiên bản kế hoạch."
    );
}

#[tokio::test]
async fn actual_admissions_are_reported_after_approval_and_ranked_by_the_shown_formula() {
    let (app, demo) = district_with_plans().await;
    let loc_an = plan::Entity::find()
        .filter(plan::Column::UnitId.eq(demo.loc_an))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Lộc An's plan");
    let unit = app.login("loc-an").await;
    let revision = u64::try_from(loc_an.revision).expect("revision");
    // The submitted plan is frozen…
    let frozen = app
        .push(
            &unit,
            Uuid::new_v4(),
            vec![mutation(
                loc_an.id,
                revision,
                op(
                    "edit",
                    json!({"changes": [{"path": "pool.total", "base": 42, "value": 50}]}),
                ),
            )],
        )
        .await;
    assert_eq!(frozen.results()[0]["code"], "plan.not_editable");
    // …but the yearly report of what was achieved goes on.
    push_ok(
        &app,
        &unit,
        loc_an.id,
        revision,
        op(
            "edit",
            json!({"changes": [
                {"path": "actuals.2022.total", "base": null, "value": 10},
                {"path": "actuals.2022.youth_union", "base": null, "value": 7},
                {"path": "actuals.2022.women", "base": null, "value": 10}
            ]}),
        ),
    )
    .await;

    let reviewer = app.login("bantochuc").await;
    let res = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/achievement?period=2022",
                demo.campaign
            ),
            &reviewer,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let a = res.json();
    let rows = a["rows"].as_array().expect("rows");
    // Lộc An: target 14 (youth 14, women 14), admitted 10 (youth 7, women 10), on time:
    // (30 × 1 + 40 × 10/14 + 30 × (7/14 + 10/14)/2) = 76.79 → 76.8.
    assert_eq!(rows[0]["unit_name"], "Đảng bộ xã Lộc An");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["score"], 76.8);
    assert_eq!(rows[0]["target_rate"], 71.4);
    assert_eq!(rows[0]["structure_rate"], 60.7);
    // THPT Bảo Lâm (approved, on time, nothing admitted yet): 30; THPT Lộc Thanh (3 days
    // late: timeliness 0.9, nothing admitted): 27.
    assert_eq!(rows[1]["unit_name"], "Chi bộ Trường THPT Bảo Lâm");
    assert_eq!(rows[1]["score"], 30.0);
    assert_eq!(rows[2]["unit_name"], "Chi bộ Trường THPT Lộc Thanh");
    assert_eq!(rows[2]["score"], 27.0);
    assert_eq!(a["actual"][0], 10);
    assert_eq!(a["target"][0], 16);
    assert!(
        a["formula"]
            .as_str()
            .is_some_and(|f| f.contains("30 × đúng hạn + 40 × đạt chỉ tiêu + 30 × đạt cơ cấu"))
    );

    let weighted = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/achievement?period=term&w_time=100&w_target=0&w_structure=0",
                demo.campaign
            ),
            &reviewer,
        )
        .await
        .json();
    assert_eq!(weighted["rows"][0]["score"], 100.0);
    for bad in [
        "period=2031",
        "period=abc",
        "w_time=101",
        "w_time=0&w_target=0&w_structure=0",
        "x=1",
    ] {
        let res = app
            .get_as(
                &format!("/api/v1/campaigns/{}/achievement?{bad}", demo.campaign),
                &reviewer,
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad}: {}", res.text());
        assert!(res.json()["error"]["message"].is_string());
    }
    let xlsx = app
        .get_as(
            &format!(
                "/api/v1/campaigns/{}/achievement.xlsx?period=2022",
                demo.campaign
            ),
            &reviewer,
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range("Kết quả và xếp hạng").expect("sheet");
    assert_eq!(sheet.get_value((2, 9)), Some(&Data::String("Điểm".into())));
    assert_eq!(sheet.get_value((3, 9)), Some(&Data::Float(76.8)));
}

#[tokio::test]
async fn the_boards_own_term_target_is_kept_compared_in_the_totals_and_synced() {
    let (app, demo) = district_with_plans().await;
    let uri = format!("/api/v1/campaigns/{}/district-target", demo.campaign);
    let put = |session: &Session, body: serde_json::Value| {
        app.send(session.request(axum::http::Method::PUT, &uri, Some(&body)))
    };
    let target = json!({"total": 80, "ethnic_minority": 30, "religious": 10, "youth_union": 50,
        "women": 40, "students": 5, "workers": 20});

    let unit = app.login("loc-an").await;
    assert_eq!(
        put(&unit, target.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let other = app.login("bantochuc-dilinh").await;
    assert_eq!(
        put(&other, target.clone()).await.status,
        StatusCode::NOT_FOUND
    );

    let reviewer = app.login("bantochuc").await;
    let bad = put(&reviewer, json!({"total": 10, "women": 12, "students": -1})).await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
    let fields: Vec<String> = bad.json()["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["students", "women"]);
    // A category the campaign does not ask for, by its code; a key that is no code at all.
    let unknown = put(&reviewer, json!({"total": 10, "elderly": 2})).await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.text()
    );
    assert_eq!(unknown.json()["error"]["fields"][0]["field"], "elderly");
    let garbage = put(&reviewer, json!({"total": 10, "Người cao tuổi": 2})).await;
    assert_eq!(
        garbage.status,
        StatusCode::BAD_REQUEST,
        "{}",
        garbage.text()
    );

    let ok = put(&reviewer, target.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(ok.json()["district_target"]["total"], 80);

    let totals = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals", demo.campaign),
            &reviewer,
        )
        .await
        .json();
    assert_eq!(
        totals["district_target"],
        json!([80, 30, 10, 50, 40, 5, 20])
    );
    assert_eq!(
        totals["district"]["term_target"][0], 64,
        "the plans' term targets, beside it"
    );
    let csv = app
        .get_as(
            &format!("/api/v1/campaigns/{}/totals.csv", demo.campaign),
            &reviewer,
        )
        .await
        .text();
    assert!(
        csv.contains(
            "Nghị quyết Đại hội Đảng bộ huyện Bảo Lâm: 80; tổng chỉ tiêu cả nhiệm kỳ của các kế hoạch: 64"
        ),
        "{csv}"
    );

    // Every reviewer device learns it by sync.
    let (changes, _) = app.pull_all(&reviewer, 0).await;
    let record = changes
        .iter()
        .find(|c| c["type"] == "campaign" && c["data"]["campaign"]["id"] == json!(demo.campaign))
        .expect("the campaign in the pull");
    assert_eq!(record["data"]["district_target"]["total"], 80);
}

#[tokio::test]
async fn a_plan_written_and_submitted_offline_keeps_its_device_time_and_its_first_submission() {
    let (app, demo) = TestApp::seeded().await;
    let reviewer = app.login("bantochuc").await;
    let campaign = Uuid::new_v4();
    let today = chrono::Utc::now().date_naive();
    let mut body = integration::campaign_body(campaign);
    body["letter_date"] = json!(today);
    body["deadline"] = json!(today + chrono::Days::new(10));
    let res = app.post_json("/api/v1/campaigns", &reviewer, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    // Written and submitted offline: the create and the submit arrive together, and the
    // device pressed submit before the server ever saw the plan.
    let pressed = chrono::Utc::now() - chrono::Duration::milliseconds(800);
    let unit = app.login("thpt-loc-thanh").await;
    let plan_id = Uuid::new_v4();
    let res = app
        .push(
            &unit,
            Uuid::new_v4(),
            vec![
                mutation(
                    plan_id,
                    0,
                    op(
                        "create",
                        json!({"unit_id": demo.thpt, "campaign_id": campaign, "document": valid_document(&[])}),
                    ),
                ),
                mutation(plan_id, 1, op("submit", json!({"submitted_at": pressed}))),
            ],
        )
        .await;
    let results = res.results();
    assert_eq!(results[1]["outcome"], "applied", "{}", res.text());
    let stored = |row: &plan::Model| row.submitted_at_device.expect("device time");
    let row = plan::Entity::find_by_id(plan_id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("plan");
    assert!(
        (stored(&row) - pressed).num_milliseconds().abs() < 5,
        "the device's time is kept, not the plan's arrival: {} vs {pressed}",
        stored(&row)
    );
    let first = stored(&row);

    // Returned and resubmitted later: the first submission still decides timeliness.
    let revision = results[1]["plan"]["revision"].as_u64().expect("revision");
    let r = push_ok(
        &app,
        &reviewer,
        plan_id,
        revision,
        op("return", json!({"comments": [{"id": Uuid::new_v4(), "path": null, "body": "Bổ sung giải pháp."}]})),
    )
    .await;
    push_ok(
        &app,
        &unit,
        plan_id,
        r,
        op("submit", json!({"submitted_at": chrono::Utc::now()})),
    )
    .await;
    let row = plan::Entity::find_by_id(plan_id)
        .one(&app.db)
        .await
        .expect("q")
        .expect("plan");
    assert_eq!(stored(&row), first);
}

#[tokio::test]
async fn the_yearly_report_after_submission_must_be_valid_when_saved() {
    let (app, demo) = district_with_plans().await;
    let row = plan::Entity::find()
        .filter(plan::Column::UnitId.eq(demo.loc_an))
        .one(&app.db)
        .await
        .expect("q")
        .expect("plan");
    let unit = app.login("loc-an").await;
    let revision = u64::try_from(row.revision).expect("revision");
    for (path, value) in [
        ("actuals.2022.women", json!(-1)),
        ("actuals.2031.total", json!(3)),
    ] {
        let res = app
            .push(
                &unit,
                Uuid::new_v4(),
                vec![mutation(
                    row.id,
                    revision,
                    op(
                        "edit",
                        json!({"changes": [{"path": path, "base": null, "value": value}]}),
                    ),
                )],
            )
            .await;
        let result = &res.results()[0];
        assert_eq!(result["outcome"], "rejected", "{path}: {}", res.text());
        assert!(
            result["findings"][0]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("actuals."))
        );
    }
}
