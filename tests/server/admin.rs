//! Administration: accounts through the API, units through CSV import.

use axum::http::StatusCode;
use integration::{PASSWORD, Session, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::store::entities::{org_unit, user_account};

#[tokio::test]
async fn an_administrator_creates_an_editor_who_can_then_log_in() {
    let (app, demo) = TestApp::seeded().await;
    let admin = app.login("quantri").await;
    let res = app
        .post_json(
            "/api/v1/admin/users",
            &admin,
            &json!({"username": "loc-an-2", "display_name": "Văn phòng Đảng ủy xã Lộc An", "role": "unit_editor", "unit_id": demo.loc_an, "password": "mot-mat-khau"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-an-2", "password": "mot-mat-khau"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.json()["unit_id"], json!(demo.loc_an));
}

#[tokio::test]
async fn invalid_accounts_are_refused_field_by_field() {
    let (app, _) = TestApp::seeded().await;
    let admin = app.login("quantri").await;
    let res = app
        .post_json(
            "/api/v1/admin/users",
            &admin,
            &json!({"username": "Có Dấu", "display_name": "", "role": "district_reviewer", "unit_id": uuid::Uuid::new_v4(), "password": "ngan"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["username", "display_name", "password", "unit_id"]);
    let taken = app
        .post_json("/api/v1/admin/users", &admin, &json!({"username": "loc-an", "display_name": "x", "role": "administrator", "password": "mat-khau-dai"}))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["error"]["code"], "user.username_taken");
}

#[tokio::test]
async fn resetting_a_password_ends_the_old_sessions() {
    let (app, _demo) = TestApp::seeded().await;
    let unit = app.login("loc-bao").await;
    let admin = app.login("quantri").await;
    let id = user_account::Entity::find()
        .filter(user_account::Column::Username.eq("loc-bao"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("user")
        .id;
    let res = app
        .post_json(
            &format!("/api/v1/admin/users/{id}/password"),
            &admin,
            &json!({"password": "mat-khau-moi"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    assert_eq!(
        app.get_as("/api/v1/auth/me", &unit).await.status,
        StatusCode::UNAUTHORIZED
    );
    let old = app
        .post_json(
            "/api/v1/auth/login",
            &Session::anonymous(),
            &json!({"username": "loc-bao", "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let bad = app
        .post_json(
            "/api/v1/admin/users/not-a-uuid/password",
            &admin,
            &json!({"password": "mat-khau-moi"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "path.invalid");
}

async fn unit(app: &TestApp, code: &str) -> org_unit::Model {
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("unit {code}"))
}

/// The 2025 tree from a file, four levels deep: a province over a commune, over a grassroots
/// committee with a cell and a grassroots cell. Each keeps its kind of committee and office,
/// and a commune's plan breaks down by what is directly under it.
#[tokio::test]
async fn a_csv_import_builds_a_tree_of_any_depth_with_kinds_and_offices() {
    let app = TestApp::new().await;
    let csv = "code,name,committee,kind,parent_code,member_count,office_name\n\
               TU-X,Tỉnh ủy X,province,,,5000,Ban Tổ chức Tỉnh ủy\n\
               XA-Y,Đảng ủy xã Y,commune,commune,TU-X,400,Ban Xây dựng Đảng\n\
               DB-THPT,Đảng bộ Trường THPT Y,grassroots_committee,public_service,XA-Y,60,\n\
               DB-THPT-CB1,Chi bộ giáo viên,subordinate_cell,,DB-THPT,30,\n\
               CB-THON-1,Chi bộ thôn 1,grassroots_cell,,XA-Y,20,\n";
    let report = server::import::import_units(&app.db, csv)
        .await
        .expect("import");
    assert_eq!((report.created, report.updated), (5, 0));
    let commune = unit(&app, "XA-Y").await;
    assert_eq!(commune.committee.as_deref(), Some("commune"));
    assert_eq!(commune.office_name.as_deref(), Some("Ban Xây dựng Đảng"));
    assert_eq!(commune.parent_id, Some(unit(&app, "TU-X").await.id));
    let school = unit(&app, "DB-THPT").await;
    assert!(school.has_subordinate_cells);
    assert_eq!(school.parent_id, Some(commune.id));
    assert_eq!(
        unit(&app, "DB-THPT-CB1").await.parent_id,
        Some(school.id),
        "four levels"
    );
    let profile = server::store::records::unit_profile(&app.db, commune.id)
        .await
        .expect("profile");
    let under: Vec<&str> = profile.cells.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(under, ["Đảng bộ Trường THPT Y", "Chi bộ thôn 1"]);

    let again = server::import::import_units(&app.db, csv)
        .await
        .expect("again");
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5));
    // A first-release file (levels, no offices) keeps what it does not name.
    let old = "code,name,level,kind,parent_code,member_count\n\
               XA-Y,Đảng ủy xã Y,grassroots,commune,TU-X,410\n";
    let report = server::import::import_units(&app.db, old)
        .await
        .expect("old file");
    assert_eq!(report.updated, 1);
    let commune = unit(&app, "XA-Y").await;
    assert_eq!(
        (
            commune.member_count,
            commune.committee.as_deref(),
            commune.office_name.as_deref()
        ),
        (410, Some("commune"), Some("Ban Xây dựng Đảng"))
    );

    let bad = "code,name,committee,level,parent_code\n\
               TU-X,Tỉnh ủy X,province,,DB-THPT\n\
               XA-Z,Đảng ủy xã Z,commune,,XA-Z\n\
               CB-LE,Chi bộ lẻ,subordinate_cell,,\n\
               CB-DUOI,Chi bộ dưới chi bộ,subordinate_cell,,DB-THPT-CB1\n\
               TU-X,Tỉnh ủy X,province,grassroots,\n\
               XA-W,Đảng ủy xã W,commune,,TU-X\n";
    let err = server::import::import_units(&app.db, bad)
        .await
        .expect_err("bad rows");
    let text = err.to_string();
    for needle in [
        "dòng 2 (TU-X): đặt dưới «DB-THPT» thì đơn vị sẽ nằm dưới chính nó",
        "dòng 3 (XA-Z): một đơn vị không thể là cấp trên của chính nó",
        "dòng 4 (CB-LE): chi bộ trực thuộc phải có đơn vị cấp trên",
        "dòng 5 (CB-DUOI): «DB-THPT-CB1» là chi bộ trực thuộc",
        "dòng 6 (TU-X): Tỉnh ủy không ở cấp",
    ] {
        assert!(text.contains(needle), "{needle} missing in: {text}");
    }
    assert!(!text.contains("dòng 7"), "{text}");
    assert!(
        org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq("XA-W"))
            .one(&app.db)
            .await
            .expect("q")
            .is_none(),
        "nothing from a bad file is written"
    );
    assert_eq!(unit(&app, "TU-X").await.parent_id, None);
}

#[tokio::test]
async fn a_csv_import_adds_and_updates_units_and_reports_every_bad_row() {
    let app = TestApp::new().await;
    let csv = "code,name,level,kind,parent_code,member_count\n\
               HU-X,Đảng bộ huyện X,district,,,1000\n\
               XA-A,Đảng bộ xã A,grassroots,commune,HU-X,120\n\
               XA-A-CB01,Chi bộ thôn 1,subordinate_cell,,XA-A,30\n";
    let report = server::import::import_units(&app.db, csv)
        .await
        .expect("import");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (3, 0, 0)
    );
    let a = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq("XA-A"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("unit");
    assert!(
        a.has_subordinate_cells,
        "a unit with cells is a Đảng bộ cơ sở"
    );

    let again =
        server::import::import_units(&app.db, &csv.replace("Đảng bộ xã A,", "Đảng bộ xã A mới,"))
            .await
            .expect("import");
    assert_eq!((again.created, again.updated, again.unchanged), (0, 1, 2));

    let bad = "code,name,level,kind,parent_code,member_count\n\
               XA-B,Đảng bộ xã B,grassroots,village,HU-X,10\n\
               XA-C,Đảng bộ xã C,grassroots,commune,KHONG-CO,10\n\
               XA-D,Đảng bộ xã D,grassroots,commune,HU-X,nhiều\n\
               XA-E,Đảng bộ xã E,grassroots,commune,HU-X,5\n";
    let err = server::import::import_units(&app.db, bad)
        .await
        .expect_err("bad rows");
    let text = err.to_string();
    for needle in ["dòng 2", "dòng 3", "dòng 4", "village", "KHONG-CO", "nhiều"] {
        assert!(text.contains(needle), "{needle} missing in: {text}");
    }
    let e = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq("XA-E"))
        .one(&app.db)
        .await
        .expect("q");
    assert!(
        e.is_none(),
        "nothing from a bad file is written, not even its good rows"
    );
}
