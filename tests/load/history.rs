//! Does a sync round cost more on a database that holds years of history? Push and pull timed
//! on a fresh database and on one holding a million history rows.
//!
//!   cargo run --release -p integration --bin historybench -- 0 1000000
//!   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p integration --bin historybench -- 0 1000000
//!
//! For each size it builds a fresh database: the bench district (100 grassroots units, a
//! reviewer, one unit editor) and, for a size above 0, that many history rows written straight
//! into the tables the way years of use leave them — districts of 100 units with 10 past
//! campaigns each, every plan with 11 kept versions, 8 applied mutations, 3 review events,
//! 2 comments and an audit row (25 rows a plan). The bench district is the first of those
//! districts, so its own reviewer and editor have a past too.
//!
//! Then, through the whole router (no socket: the server's own cost), the editor pushes one
//! edit and both users pull from where they were, 60 times after 5 warm-up rounds; and each
//! pulls everything it may see from cursor 0, as a new device does, in pages of 200. Prints a
//! Markdown row per size. Run by `scripts/bench-history.sh`.

use std::time::{Duration, Instant};

use app::domain::{CommitteeKind, PlanStatus, Role, UnitKind, UnitLevel};
use axum::http::StatusCode;
use chrono::{NaiveDate, TimeZone, Utc};
use integration::{Session, TestApp, campaign_body, mutation, op, valid_document};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};
use serde_json::{Value, json};
use server::store::entities::{
    applied_mutation, audit_log, campaign, org_unit, plan, plan_comment, plan_version,
    review_event, sync_counter,
};
use uuid::Uuid;

const UNITS: usize = 100;
const PAST_CAMPAIGNS: usize = 10;
const VERSIONS: i64 = 11;
const APPLIED: usize = 8;
const ROWS_PER_PLAN: usize = 25;
const ROUNDS: usize = 60;
const WARM_UP: usize = 5;
const CHUNK: usize = 400;

fn pct(xs: &mut [Duration], p: usize) -> Duration {
    xs.sort();
    xs.get((xs.len() * p / 100).min(xs.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Hands out change-sequence numbers the way the server's counter would.
struct Seq(i64);

impl Seq {
    fn take(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

fn unit_row(
    id: Uuid,
    parent: Option<Uuid>,
    code: String,
    level: UnitLevel,
    seq: i64,
) -> org_unit::ActiveModel {
    let now = Utc::now();
    let kind = (level == UnitLevel::Grassroots).then_some(UnitKind::Agency);
    org_unit::ActiveModel {
        id: Set(id),
        parent_id: Set(parent),
        name: Set(format!("Đơn vị {code}")),
        code: Set(code),
        level: Set(level.code().to_owned()),
        kind: Set(kind.map(|k| k.code().to_owned())),
        has_subordinate_cells: Set(false),
        committee: Set(Some(
            CommitteeKind::of_level(level, false).code().to_owned(),
        )),
        office_name: Set(None),
        member_count: Set(60),
        sort_order: Set(i32::try_from(seq % 10_000).unwrap_or(0)),
        created_at: Set(now),
        updated_at: Set(now),
        seq: Set(seq),
    }
}

/// A district with its units; returns the district and the units' ids.
async fn district<C: ConnectionTrait>(db: &C, code: &str, seq: &mut Seq) -> (Uuid, Vec<Uuid>) {
    let id = Uuid::new_v4();
    org_unit::Entity::insert(unit_row(
        id,
        None,
        code.to_owned(),
        UnitLevel::District,
        seq.take(),
    ))
    .exec(db)
    .await
    .expect("district");
    let units: Vec<Uuid> = (0..UNITS).map(|_| Uuid::new_v4()).collect();
    org_unit::Entity::insert_many(units.iter().enumerate().map(|(i, u)| {
        unit_row(
            *u,
            Some(id),
            format!("{code}-{i:03}"),
            UnitLevel::Grassroots,
            seq.take(),
        )
    }))
    .exec(db)
    .await
    .expect("units");
    (id, units)
}

async fn insert_chunked<C, A, I>(db: &C, rows: I)
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait,
    I: IntoIterator<Item = A>,
{
    let rows: Vec<A> = rows.into_iter().collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec(db)
            .await
            .expect("history rows");
    }
}

/// Ten past campaigns of one district, every unit with a plan and its history.
async fn past<C: ConnectionTrait>(
    db: &C,
    district: Uuid,
    units: &[Uuid],
    actor: Uuid,
    document: &str,
    seq: &mut Seq,
) {
    let at = Utc
        .with_ymd_and_hms(2021, 2, 10, 3, 0, 0)
        .single()
        .expect("time");
    for c in 0..PAST_CAMPAIGNS {
        let year = 2012 + i32::try_from(c).unwrap_or(0);
        let campaign_id = Uuid::new_v4();
        campaign::Entity::insert(campaign::ActiveModel {
            id: Set(campaign_id),
            opener_id: Set(district),
            letter_number: Set(format!("{c}-CV/HU")),
            letter_date: Set(NaiveDate::from_ymd_opt(year, 1, 10).expect("date")),
            title: Set(format!("Kế hoạch tạo nguồn năm {year}")),
            term_start: Set(year),
            term_end: Set(year + 3),
            years: Set(format!("{year},{},{},{}", year + 1, year + 2, year + 3)),
            deadline: Set(NaiveDate::from_ymd_opt(year, 2, 15).expect("date")),
            term_total_rule: Set("at_least".into()),
            own_target: Set(None),
            categories: Set(None),
            coverage: Set(None),
            seq: Set(seq.take()),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .exec(db)
        .await
        .expect("campaign");
        let plans: Vec<Uuid> = units.iter().map(|_| Uuid::new_v4()).collect();
        insert_chunked(
            db,
            plans.iter().zip(units).map(|(p, u)| plan::ActiveModel {
                id: Set(*p),
                unit_id: Set(*u),
                campaign_id: Set(campaign_id),
                revision: Set(VERSIONS),
                status: Set(PlanStatus::Approved.code().to_owned()),
                document: Set(document.to_owned()),
                seq: Set(seq.take()),
                created_at: Set(at),
                updated_at: Set(at),
                submitted_at_device: Set(Some(at)),
                received_at: Set(Some(at)),
            }),
        )
        .await;
        insert_chunked(
            db,
            plans.iter().flat_map(|p| {
                (1..=VERSIONS).map(move |revision| plan_version::ActiveModel {
                    plan_id: Set(*p),
                    revision: Set(revision),
                    status: Set(PlanStatus::Draft.code().to_owned()),
                    document: Set(document.to_owned()),
                    mutation_id: Set(Some(Uuid::new_v4())),
                    author_id: Set(Some(actor)),
                    created_at: Set(at),
                })
            }),
        )
        .await;
        insert_chunked(
            db,
            plans.iter().flat_map(|p| {
                (0..APPLIED).map(move |_| applied_mutation::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    user_id: Set(actor),
                    device_id: Set(Uuid::new_v4()),
                    plan_id: Set(*p),
                    outcome: Set("applied".into()),
                    result: Set("\"applied\"".into()),
                    created_at: Set(at),
                })
            }),
        )
        .await;
        let mut events = Vec::new();
        let mut comments = Vec::new();
        let mut audits = Vec::new();
        for p in &plans {
            for (action, from, to) in [
                ("submit", "draft", "submitted"),
                ("return", "submitted", "returned"),
                ("approve", "submitted", "approved"),
            ] {
                events.push(review_event::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    plan_id: Set(*p),
                    action: Set(action.into()),
                    from_status: Set(from.into()),
                    to_status: Set(to.into()),
                    revision: Set(VERSIONS),
                    actor_id: Set(actor),
                    at: Set(at),
                    seq: Set(seq.take()),
                });
            }
            for path in [None, Some("targets.2022.total")] {
                comments.push(plan_comment::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    plan_id: Set(*p),
                    path: Set(path.map(str::to_owned)),
                    body: Set("Đề nghị rà soát lại chỉ tiêu năm đầu nhiệm kỳ.".into()),
                    author_id: Set(actor),
                    created_at: Set(at),
                    seq: Set(seq.take()),
                });
            }
            audits.push(audit_log::ActiveModel {
                id: Set(Uuid::new_v4()),
                at: Set(at),
                user_id: Set(Some(actor)),
                username: Set(Some("bench".into())),
                action: Set("plan.approve".into()),
                target: Set(Some(p.to_string())),
                detail: Set(None),
                ip: Set(None),
            });
        }
        insert_chunked(db, events).await;
        insert_chunked(db, comments).await;
        insert_chunked(db, audits).await;
    }
}

struct Bench {
    app: TestApp,
    reviewer: Session,
    editor: Session,
    plan: Uuid,
    fill: Duration,
}

async fn build(history: usize) -> Bench {
    let app = TestApp::new().await;
    let mut seq = Seq(1);
    let (bench_district, bench_units) = district(&app.db, "HU-BENCH", &mut seq).await;
    let account = |username: &str, role: Role, unit: Uuid| server::accounts::NewUser {
        username: username.into(),
        display_name: username.into(),
        roles: vec![role],
        role: None,
        unit_id: Some(unit),
        password: integration::PASSWORD.into(),
    };
    let actor =
        server::accounts::create_user(&app.db, account("bench", Role::Reviewer, bench_district))
            .await
            .expect("reviewer");
    server::accounts::create_user(&app.db, account("editor", Role::Editor, bench_units[0]))
        .await
        .expect("editor");

    let document = serde_json::to_string(&valid_document(&[])).expect("document");
    let started = Instant::now();
    let districts = history.div_ceil(UNITS * PAST_CAMPAIGNS * ROWS_PER_PLAN);
    for d in 0..districts {
        let txn = app.db.begin().await.expect("begin");
        let (id, units) = if d == 0 {
            (bench_district, bench_units.clone())
        } else {
            district(&txn, &format!("HU-{d:04}"), &mut seq).await
        };
        past(&txn, id, &units, actor.id, &document, &mut seq).await;
        txn.commit().await.expect("commit");
    }
    app.db
        .execute(
            &Query::update()
                .table(sync_counter::Entity)
                .value(sync_counter::Column::Value, Expr::val(seq.0))
                .to_owned(),
        )
        .await
        .expect("counter");
    // Years of use leave PostgreSQL's planner statistics current (autovacuum analyses a table
    // after a tenth of it changes); a fill of minutes does not, and without them it plans the
    // pull's queries for empty tables. SQLite keeps no statistics unless asked, nor does the
    // server ask, so it is measured as it runs.
    if app.backend == "postgres" {
        // Only this run's tables (the search path's schema), not every test schema beside it.
        app.db
            .execute_unprepared(
                "ANALYZE org_unit, campaign, plan, plan_version, applied_mutation, \
                 review_event, plan_comment, audit_log, user_account",
            )
            .await
            .expect("analyze");
    }
    let fill = started.elapsed();

    let reviewer = app.login("bench").await;
    let editor = app.login("editor").await;
    let campaign_id = Uuid::new_v4();
    let res = app
        .post_json("/api/v1/campaigns", &reviewer, &campaign_body(campaign_id))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let plan = Uuid::new_v4();
    let res = app
        .push(
            &editor,
            Uuid::new_v4(),
            vec![mutation(
                plan,
                0,
                op(
                    "create",
                    json!({"unit_id": bench_units[0], "campaign_id": campaign_id,
                           "document": {"sections": {"notes": ""}}}),
                ),
            )],
        )
        .await;
    assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
    Bench {
        app,
        reviewer,
        editor,
        plan,
        fill,
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("count")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

async fn history_rows(app: &TestApp) -> i64 {
    let mut n = 0;
    for table in [
        "plan",
        "plan_version",
        "applied_mutation",
        "review_event",
        "plan_comment",
        "audit_log",
        "campaign",
    ] {
        n += count(app, &format!("SELECT COUNT(*) FROM {table}")).await;
    }
    n
}

/// One pull page; returns its changes' count, next cursor and whether more follow.
async fn pull(app: &TestApp, who: &Session, cursor: u64) -> (usize, u64, bool) {
    let res = app
        .get_as(
            &format!("/api/v1/sync/pull?cursor={cursor}&limit=200&schema=2"),
            who,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let page: Value = res.json();
    (
        page["changes"].as_array().map_or(0, Vec::len),
        page["next_cursor"].as_u64().expect("cursor"),
        page["has_more"] == json!(true),
    )
}

/// Everything a new device of `who` downloads: time, changes, pages, last cursor.
async fn first_pull(app: &TestApp, who: &Session) -> (Duration, usize, usize, u64) {
    let started = Instant::now();
    let (mut changes, mut pages, mut cursor) = (0, 0, 0);
    loop {
        let (n, next, more) = pull(app, who, cursor).await;
        changes += n;
        pages += 1;
        cursor = next;
        if !more {
            return (started.elapsed(), changes, pages, cursor);
        }
    }
}

struct Figures {
    push: Vec<Duration>,
    editor_pull: Vec<Duration>,
    reviewer_pull: Vec<Duration>,
}

async fn rounds(b: &Bench, editor_cursor: u64, reviewer_cursor: u64) -> Figures {
    let mut f = Figures {
        push: Vec::new(),
        editor_pull: Vec::new(),
        reviewer_pull: Vec::new(),
    };
    let device = Uuid::new_v4();
    let (mut ec, mut rc) = (editor_cursor, reviewer_cursor);
    let mut notes = String::new();
    for round in 0..ROUNDS + WARM_UP {
        let next = format!("ghi chú lần {round}");
        let edit = op(
            "edit",
            json!({"changes": [{"path": "sections.notes", "base": notes, "value": next}]}),
        );
        let started = Instant::now();
        let res = b
            .app
            .push(&b.editor, device, vec![mutation(b.plan, 1, edit)])
            .await;
        let took = started.elapsed();
        assert_eq!(res.results()[0]["outcome"], "applied", "{}", res.text());
        notes = next;

        let started = Instant::now();
        let (n, cursor, _) = pull(&b.app, &b.editor, ec).await;
        let editor_took = started.elapsed();
        assert!(n >= 1, "the editor's pull after its push brings its plan");
        ec = cursor;

        let started = Instant::now();
        let (n, cursor, _) = pull(&b.app, &b.reviewer, rc).await;
        let reviewer_took = started.elapsed();
        assert!(n >= 1, "the reviewer's pull brings the edited plan");
        rc = cursor;

        if round >= WARM_UP {
            f.push.push(took);
            f.editor_pull.push(editor_took);
            f.reviewer_pull.push(reviewer_took);
        }
    }
    f
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .unwrap_or_else(|_| panic!("not a number of history rows: {a}"))
        })
        .collect();
    let sizes = if sizes.is_empty() {
        vec![0, 1_000_000]
    } else {
        sizes
    };
    let backend = if integration::postgres_url().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut table = vec![
        "| database | history rows | push p50 | push p95 | editor pull p50 | editor pull p95 | reviewer pull p50 | reviewer pull p95 | editor first pull | reviewer first pull |".to_owned(),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|".to_owned(),
    ];
    for size in sizes {
        let b = build(size).await;
        let rows = history_rows(&b.app).await;
        // For a look at the query plans afterwards (`sqlite3 FILE "EXPLAIN QUERY PLAN …"`).
        if let (Ok(dir), "SQLite") = (std::env::var("HISTORYBENCH_SAVE"), backend) {
            let file = format!("{dir}/history-{size}.db");
            let _ = std::fs::remove_file(&file);
            b.app
                .db
                .execute_unprepared(&format!("VACUUM INTO '{file}'"))
                .await
                .expect("save the database");
            eprintln!("saved {file}");
        }
        eprintln!(
            "{backend}: {rows} history rows written in {:.1} s",
            b.fill.as_secs_f64()
        );
        let (editor_first, editor_changes, editor_pages, ec) = first_pull(&b.app, &b.editor).await;
        let (reviewer_first, reviewer_changes, reviewer_pages, rc) =
            first_pull(&b.app, &b.reviewer).await;
        let mut f = rounds(&b, ec, rc).await;
        table.push(format!(
            "| {backend} | {rows} | {} | {} | {} | {} | {} | {} | {} ({editor_changes} changes, {editor_pages} pages) | {} ({reviewer_changes} changes, {reviewer_pages} pages) |",
            ms(pct(&mut f.push, 50)),
            ms(pct(&mut f.push, 95)),
            ms(pct(&mut f.editor_pull, 50)),
            ms(pct(&mut f.editor_pull, 95)),
            ms(pct(&mut f.reviewer_pull, 50)),
            ms(pct(&mut f.reviewer_pull, 95)),
            ms(editor_first),
            ms(reviewer_first),
        ));
    }
    for line in table {
        println!("{line}");
    }
}
