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
