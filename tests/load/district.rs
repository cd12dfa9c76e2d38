//! Response times of the district's board and totals for districts of growing size.
//!
//!   cargo run --release -p integration --bin districtbench -- 60 2000 10000
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p integration --bin districtbench -- 60 2000
//!
//! For each size it builds a fresh database with one district of that many grassroots units
//! (70 % submitted plans, 20 % drafts, 10 % nothing), then calls `GET …/board` and
//! `GET …/totals` through the whole router (no socket: the server's own cost) 20 times after
//! 3 warm-up calls, and prints the median and the slowest as a Markdown row. Run by
//! `scripts/bench-district.sh`.

use std::time::{Duration, Instant};

use app::domain::{PlanStatus, Role, UnitKind, UnitLevel};
use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use integration::{TestApp, campaign_body, valid_document};
use sea_orm::{ActiveValue::Set, EntityTrait};
use server::store::entities::{org_unit, plan};
use uuid::Uuid;

const RUNS: usize = 20;
const CHUNK: usize = 500;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn build(units: usize) -> (TestApp, Uuid, integration::Session) {
    let app = TestApp::new().await;
    let now = Utc::now();
    let district = Uuid::new_v4();
    let unit_row = |id: Uuid,
                    parent: Option<Uuid>,
                    code: String,
                    level: UnitLevel,
                    kind: Option<UnitKind>,
                    order: i32| org_unit::ActiveModel {
        id: Set(id),
        parent_id: Set(parent),
        code: Set(code.clone()),
        name: Set(format!("Đơn vị {code}")),
        level: Set(level.code().to_owned()),
        kind: Set(kind.map(|k| k.code().to_owned())),
        has_subordinate_cells: Set(false),
        committee: Set(Some(
            app::domain::CommitteeKind::of_level(level, false)
                .code()
                .to_owned(),
        )),
        office_name: Set(None),
        member_count: Set(40 + order % 200),
        sort_order: Set(order),
        created_at: Set(now),
        updated_at: Set(now),
        seq: Set(i64::from(order) + 1),
    };
    org_unit::Entity::insert(unit_row(
        district,
        None,
        "HU-BENCH".into(),
        UnitLevel::District,
        None,
        0,
    ))
    .exec(&app.db)
    .await
    .expect("district");
    let ids: Vec<Uuid> = (0..units).map(|_| Uuid::new_v4()).collect();
    for (c, chunk) in ids.chunks(CHUNK).enumerate() {
        let rows = chunk.iter().enumerate().map(|(i, id)| {
            let n = i32::try_from(c * CHUNK + i + 1).unwrap_or(i32::MAX);
            let kind = UnitKind::ALL[usize::try_from(n).unwrap_or(0) % UnitKind::ALL.len()];
            unit_row(
                *id,
                Some(district),
                format!("U{n:06}"),
                UnitLevel::Grassroots,
                Some(kind),
                n,
            )
        });
        org_unit::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("units");
    }
    server::accounts::create_user(
        &app.db,
        server::accounts::NewUser {
            username: "bench".into(),
            display_name: "Ban Tổ chức".into(),
            roles: vec![Role::Reviewer],
            role: None,
            unit_id: Some(district),
            password: integration::PASSWORD.into(),
        },
    )
    .await
    .expect("reviewer");
    let reviewer = app.login("bench").await;
    let campaign = Uuid::new_v4();
    let res = app
        .post_json("/api/v1/campaigns", &reviewer, &campaign_body(campaign))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    let document = serde_json::to_string(&valid_document(&[])).expect("document");
    let submitted = Utc
        .with_ymd_and_hms(2022, 2, 10, 3, 0, 0)
        .single()
        .expect("time");
    let with_plans: Vec<(usize, Uuid)> = ids
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| i % 10 != 9)
        .collect();
    for chunk in with_plans.chunks(CHUNK) {
        let rows = chunk.iter().map(|(i, unit)| {
            let status = if i % 10 < 7 {
                PlanStatus::Submitted
            } else {
                PlanStatus::Draft
            };
            let sent = (status == PlanStatus::Submitted).then_some(submitted);
            plan::ActiveModel {
                id: Set(Uuid::new_v4()),
                unit_id: Set(*unit),
                campaign_id: Set(campaign),
                revision: Set(2),
                status: Set(status.code().to_owned()),
                document: Set(document.clone()),
                seq: Set(1_000_000 + i64::try_from(*i).unwrap_or(0)),
                created_at: Set(now),
                updated_at: Set(now),
                submitted_at_device: Set(sent),
                received_at: Set(sent),
            }
        });
        plan::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .expect("plans");
    }
    (app, campaign, reviewer)
}

async fn time(
    app: &TestApp,
    session: &integration::Session,
    uri: &str,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for i in 0..RUNS + 3 {
        let start = Instant::now();
        let res = app.get_as(uri, session).await;
        let took = start.elapsed();
        assert_eq!(res.status, StatusCode::OK, "{uri}: {}", res.text());
        bytes = res.body.len();
        if i >= 3 {
            times.push(took);
        }
    }
    let slowest = times.iter().max().copied().unwrap_or_default();
    (median(times), slowest, bytes)
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .unwrap_or_else(|_| panic!("not a number of units: {a}"))
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![60, 2_000]
    } else {
        sizes
    };
    let backend = if integration::postgres_url().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "| database | units | board p50 | board max | board JSON | totals p50 | totals max | totals JSON |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for units in sizes {
        let (app, campaign, reviewer) = build(units).await;
        let (b50, bmax, bbytes) = time(
            &app,
            &reviewer,
            &format!("/api/v1/campaigns/{campaign}/board"),
        )
        .await;
        let (t50, tmax, tbytes) = time(
            &app,
            &reviewer,
            &format!("/api/v1/campaigns/{campaign}/totals"),
        )
        .await;
        println!(
            "| {backend} | {units} | {} | {} | {} KB | {} | {} | {} KB |",
            ms(b50),
            ms(bmax),
            bbytes / 1024,
            ms(t50),
            ms(tmax),
            tbytes / 1024
        );
    }
}
