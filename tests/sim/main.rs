//! Deterministic simulation of the sync protocol: the real server (its whole router, on SQLite
//! or PostgreSQL) and the real device model (`app::domain::device`, which the browser app
//! drives the same way), joined by a simulated network that loses, delays, duplicates and
//! reorders messages, and loses replies after the server has committed. The server also
//! "crashes" (restarts over the same database, losing what it held in memory) and devices
//! reload (their state goes through JSON, as it does through IndexedDB).
//!
//! Every seed is one independent run of its lane's campaigns (one per reviewing level): random
//! users' edits, submissions and reviews interleaved with network faults; then the network
//! heals and every device syncs until it has nothing left to send. Then:
//!
//! * every device's copy of every plan equals the server's (revision, status, document), its
//!   outbox is empty and what its user sees is that copy;
//! * every mutation a device sent got an answer, the same outcome every time it was replayed,
//!   and it is decided on the server exactly once; refusals are on the device's attention list,
//!   never dropped;
//! * every account pulls exactly its own unit's plans and those of the campaigns it reviews;
//! * every accepted revision on the server comes from one mutation, no mutation made two
//!   revisions, and the fields an accepted edit changed hold its values in that revision.
//!
//! Seeds run in three lanes at once, each a reviewing committee and the units under it, with
//! its own server instances: the 2022 districts of Bảo Lâm and Di Linh (a district reviews its
//! units), and the 2025 shape (Tỉnh ủy Lâm Đồng reviews the commune Bảo Lâm 1, whose staff fill
//! the commune's plan and, on the same account, review the plans of its cells — three levels
//! and reviewers at two of them). No lane sees another's changes, so a seed's run depends only
//! on its number. Within a lane, every request goes to one of two app servers over the one
//! database (stateless servers behind a load balancer), and either may crash and restart.
//!
//! A failing seed prints itself; `SIM_SEED=<n>` replays exactly that one. `SIM_SEEDS` sets how
//! many seeds run (default 2000).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use app::domain::PlanStatus;
use app::domain::device::Device;
use app::domain::sync::{
    Mutation, MutationResult, NewComment, Operation, PROTOCOL_VERSION, PullPage, PushRequest,
    PushResponse,
};
use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, TimeZone, Utc};
use integration::{
    Rng, Session, TestApp, campaign_body, cells_of, send_to, unit_id, valid_document,
    valid_document_in,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use server::store::entities::{applied_mutation, plan, plan_version, sync_counter};
use uuid::Uuid;

/// An account of a lane: editor of one of the lane's units, reviewer of some of the seed's
/// campaigns, or both (a commune's staff since 2025).
struct Account {
    session: Session,
    /// Index in `Lane::units` of the unit whose plan this account fills.
    edits: Option<usize>,
    /// Indexes of the seed's campaigns (`Lane::openers`) this account reviews.
    reviews: Vec<usize>,
}

/// A unit of a lane whose editor fills a plan, and the campaign (index in `Lane::openers`)
/// that asks for it.
struct LaneUnit {
    id: Uuid,
    cells: Vec<(Uuid, String)>,
    campaign: usize,
}

/// One reviewing committee and its people: seeds of one lane never see another lane's data.
struct Lane {
    units: Vec<LaneUnit>,
    accounts: Vec<Account>,
    /// Per campaign of a seed, the account that opens it; campaign 0 is opened first (a
    /// commune's cells wait for the province's campaign no more than they do in life).
    openers: Vec<usize>,
    /// Per device of a seed, whose account it is logged in with.
    devices: Vec<usize>,
}

struct SimDevice {
    /// Index in `Lane::accounts`.
    account: usize,
    session: Session,
    device: Device,
    /// The clock of this device: hours wrong, as cheap phones' clocks are.
    skew: Duration,
    /// The push this device waits for an answer to (one at a time, as in the browser).
    awaiting: Option<u64>,
    /// Every mutation this device sent, by id.
    sent: BTreeMap<Uuid, Mutation>,
    /// Every answer received, by mutation id (replays answer again).
    answers: BTreeMap<Uuid, Vec<MutationResult>>,
}

enum Request {
    Push {
        from: usize,
        id: u64,
        body: PushRequest,
    },
    Pull {
        from: usize,
        cursor: u64,
        limit: u32,
    },
}

enum Reply {
    Push {
        id: u64,
        results: Vec<MutationResult>,
    },
    Pull(PullPage),
}

/// What the whole run shares across seeds (logins are slow on purpose: argon2, so they are
/// made once).
struct World {
    app: TestApp,
    lanes: [Lane; LANES],
}

const LANES: usize = 3;

/// What happened in one seed, for the summary.
#[derive(Default, Clone, Copy)]
struct Tally {
    mutations: usize,
    lost_requests: usize,
    lost_replies: usize,
    duplicates: usize,
    restarts: usize,
    reloads: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, t: Tally) {
        self.mutations += t.mutations;
        self.lost_requests += t.lost_requests;
        self.lost_replies += t.lost_replies;
        self.duplicates += t.duplicates;
        self.restarts += t.restarts;
        self.reloads += t.reloads;
    }
}

const TEXT_FIELDS: [&str; 3] = ["sections.notes", "sections.assessment", "header.place"];
const COUNT_FIELDS: [&str; 3] = ["pool.total", "pool.women", "targets.2023.total"];

/// Runs without the test harness (`harness = false`) so that the count it prints shows in
/// `cargo test`'s output, which captures what passing harness tests print.
fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(the_sync_protocol_converges_under_a_hostile_network());
}

async fn the_sync_protocol_converges_under_a_hostile_network() {
    let world = Arc::new(world().await);
    let backend = world.app.backend;
    let seeds: Vec<u64> = match std::env::var("SIM_SEED") {
        Ok(one) => vec![one.parse().expect("SIM_SEED is a number")],
        Err(_) => {
            let n: u64 = std::env::var("SIM_SEEDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(2000);
            (1..=n).collect()
        }
    };
    let started = std::time::Instant::now();
    let lanes: Vec<_> = (0..LANES)
        .map(|lane| {
            let world = world.clone();
            let mine: Vec<u64> = seeds
                .iter()
                .copied()
                .filter(|s| lane_of(*s) == lane)
                .collect();
            tokio::spawn(async move {
                let mut total = Tally::default();
                for seed in mine {
                    total += SEED.scope(seed, run_seed(&world, seed)).await;
                }
                total
            })
        })
        .collect();
    let mut total = Tally::default();
    for lane in lanes {
        total += lane
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    }
    println!(
        "simulation on {backend}: {} seeds passed in {:.1} s — {} mutations, {} requests lost, \
         {} replies lost after commit, {} duplicated deliveries, {} server restarts, {} device reloads",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        total.mutations,
        total.lost_requests,
        total.lost_replies,
        total.duplicates,
        total.restarts,
        total.reloads,
    );
}

tokio::task_local! {
    /// The seed being run, so that every helper names it on an unexpected answer.
    static SEED: u64;
}

/// "seed 17 (replay with SIM_SEED=17)", for failure messages.
fn seed_note() -> String {
    SEED.try_with(|s| format!("seed {s} (replay with SIM_SEED={s})"))
        .unwrap_or_else(|_| "outside a seed".to_owned())
}

fn lane_of(seed: u64) -> usize {
    usize::try_from(seed % LANES as u64).unwrap_or(0)
}

/// The demo districts, a second unit without cells in Di Linh, and everyone logged in once.
async fn world() -> World {
    let (app, demo) = TestApp::seed(TestApp::in_memory().await).await;
    server::import::import_units(
        &app.db,
        "code,name,level,kind,parent_code,member_count\n\
         CB-THPT-DI-LINH,Chi bộ Trường THPT Di Linh,grassroots,public_service,HU-DI-LINH,30\n",
    )
    .await
    .expect("import a second Di Linh unit");
    let thpt_di_linh = unit_id(&app.db, "CB-THPT-DI-LINH").await;
    server::accounts::create_user(
        &app.db,
        server::accounts::NewUser {
            username: "thpt-di-linh".into(),
            display_name: "THPT Di Linh".into(),
            roles: vec![app::domain::Role::Editor],
            role: None,
            unit_id: Some(thpt_di_linh),
            password: integration::PASSWORD.into(),
        },
    )
    .await
    .expect("create user");
    let gia_hiep_cells = cells_of(&app.db, demo.gia_hiep).await;
    // A district lane: two units of the district's campaign, the first on two devices.
    let district = |units: [EditedUnit; 2], reviewer: Session| {
        let [(a, a_cells, a_session), (b, b_cells, b_session)] = units;
        Lane {
            units: vec![
                LaneUnit {
                    id: a,
                    cells: a_cells,
                    campaign: 0,
                },
                LaneUnit {
                    id: b,
                    cells: b_cells,
                    campaign: 0,
                },
            ],
            accounts: vec![
                Account {
                    session: a_session,
                    edits: Some(0),
                    reviews: Vec::new(),
                },
                Account {
                    session: b_session,
                    edits: Some(1),
                    reviews: Vec::new(),
                },
                Account {
                    session: reviewer,
                    edits: None,
                    reviews: vec![0],
                },
            ],
            openers: vec![2],
            devices: vec![0, 0, 1, 2],
        }
    };
    let bao_lam = district(
        [
            (
                demo.loc_an,
                demo.loc_an_cells.clone(),
                app.login("loc-an").await,
            ),
            (demo.thpt, Vec::new(), app.login("thpt-loc-thanh").await),
        ],
        app.login("bantochuc").await,
    );
    let di_linh = district(
        [
            (demo.gia_hiep, gia_hiep_cells, app.login("gia-hiep").await),
            (thpt_di_linh, Vec::new(), app.login("thpt-di-linh").await),
        ],
        app.login("bantochuc-dilinh").await,
    );
    World {
        lanes: [bao_lam, di_linh, province_lane(&app).await],
        app,
    }
}

/// A unit, its cells, and its editor's session.
type EditedUnit = (Uuid, Vec<(Uuid, String)>, Session);

/// The 2025 lane: the province reviews the commune's plan (campaign 0); the commune's staff
/// fill it and review their cells' plans (campaign 1) on one account, from two devices.
async fn province_lane(app: &TestApp) -> Lane {
    server::seed_2025::seed(&app.db)
        .await
        .expect("seed the 2025 shape");
    let commune = unit_id(&app.db, "XA-BAO-LAM-1").await;
    let cells = cells_of(&app.db, commune).await;
    let cell = |n: usize| LaneUnit {
        id: cells[n].0,
        cells: Vec::new(),
        campaign: 1,
    };
    let login = |name: &'static str| app.login_with(name, server::seed::DEMO_PASSWORD);
    Lane {
        units: vec![
            LaneUnit {
                id: commune,
                cells: cells.clone(),
                campaign: 0,
            },
            cell(0),
            cell(1),
        ],
        accounts: vec![
            Account {
                session: login("tinhuy").await,
                edits: None,
                reviews: vec![0],
            },
            Account {
                session: login("baolam1").await,
                edits: Some(0),
                reviews: vec![1],
            },
            Account {
                session: login("baolam1-cb1").await,
                edits: Some(1),
                reviews: Vec::new(),
            },
            Account {
                session: login("baolam1-cb2").await,
                edits: Some(2),
                reviews: Vec::new(),
            },
        ],
        openers: vec![0, 1],
        devices: vec![0, 1, 1, 2, 3],
    }
}

/// The last number of the server's change sequence: where a seed's devices start pulling.
async fn sequence_now(world: &World) -> u64 {
    sync_counter::Entity::find()
        .all(&world.app.db)
        .await
        .unwrap_or_else(|e| panic!("{}: read the counter: {e}", seed_note()))
        .iter()
        .map(|c| u64::try_from(c.value).unwrap_or(0))
        .max()
        .unwrap_or(0)
}

async fn pull(server: &Router, session: &Session, cursor: u64, limit: u32) -> PullPage {
    let uri = format!("/api/v1/sync/pull?cursor={cursor}&limit={limit}&schema=2");
    let res = send_to(server, session.request(axum::http::Method::GET, &uri, None)).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "{}: pull: {}",
        seed_note(),
        res.text()
    );
    serde_json::from_slice(&res.body)
        .unwrap_or_else(|e| panic!("{}: not a pull page: {e}", seed_note()))
}

async fn push(server: &Router, session: &Session, body: &PushRequest) -> Vec<MutationResult> {
    let json = serde_json::to_value(body).expect("serialise a push");
    let request = session.request(axum::http::Method::POST, "/api/v1/sync/push", Some(&json));
    let res = send_to(server, request).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "{}: push: {}",
        seed_note(),
        res.text()
    );
    let response: PushResponse = serde_json::from_slice(&res.body)
        .unwrap_or_else(|e| panic!("{}: not a push response: {e}", seed_note()));
    assert_eq!(
        response.results.len(),
        body.mutations.len(),
        "{}: one answer per mutation",
        seed_note()
    );
    response.results
}

#[allow(clippy::too_many_lines)]
async fn run_seed(world: &World, seed: u64) -> Tally {
    let lane = &world.lanes[lane_of(seed)];
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    // Two app servers over the one database; each request goes to either.
    let mut servers = [world.app.instance().await, world.app.instance().await];
    let start = sequence_now(world).await;
    let mut campaigns = Vec::with_capacity(lane.openers.len());
    for &opener in &lane.openers {
        let campaign = rng.uuid();
        let res = send_to(
            &servers[0],
            lane.accounts[opener].session.request(
                axum::http::Method::POST,
                "/api/v1/campaigns",
                Some(&campaign_body(campaign)),
            ),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{}: campaign: {}",
            seed_note(),
            res.text()
        );
        campaigns.push(campaign);
    }

    let mut devices: Vec<SimDevice> = lane
        .devices
        .iter()
        .map(|&account| {
            let mut device = Device::new(rng.uuid());
            device.meta.cursor = start;
            let hours = i64::try_from(rng.below(49)).unwrap_or(0) - 24;
            SimDevice {
                account,
                session: lane.accounts[account].session.clone(),
                device,
                skew: Duration::hours(hours),
                awaiting: None,
                sent: BTreeMap::new(),
                answers: BTreeMap::new(),
            }
        })
        .collect();

    let mut to_server: Vec<Request> = Vec::new();
    let mut to_devices: Vec<(usize, Reply)> = Vec::new();
    let mut clock = Utc
        .with_ymd_and_hms(2022, 2, 1, 1, 0, 0)
        .single()
        .unwrap_or_default();
    let mut next_request = 0u64;
    let mut typed = 0u64;

    let steps = 40 + rng.below(60);
    for _ in 0..steps {
        clock += Duration::seconds(i64::try_from(rng.below(600)).unwrap_or(0));
        let d = rng.below(devices.len());
        match rng.below(100) {
            // A user does something on device `d`.
            0..=34 => {
                let now = clock + devices[d].skew;
                user_acts(
                    lane,
                    &mut devices[d],
                    d,
                    &campaigns,
                    now,
                    &mut rng,
                    &mut typed,
                );
            }
            // Device `d` starts a push, if it is not waiting for one.
            35..=49 => {
                let dev = &mut devices[d];
                if dev.awaiting.is_none() && dev.device.pending() > 0 {
                    let batch = dev.device.take_batch(1 + rng.below(5));
                    remember_sent(dev, &batch, seed);
                    next_request += 1;
                    dev.awaiting = Some(next_request);
                    to_server.push(Request::Push {
                        from: d,
                        id: next_request,
                        body: PushRequest {
                            protocol: PROTOCOL_VERSION,
                            device_id: dev.device.meta.device_id,
                            mutations: batch,
                        },
                    });
                }
            }
            // Device `d` asks for changes.
            50..=57 => {
                let cursor = devices[d].device.meta.cursor;
                let limit = u32::try_from(1 + rng.below(20)).unwrap_or(1);
                to_server.push(Request::Pull {
                    from: d,
                    cursor,
                    limit,
                });
            }
            // The network delivers some request (any of them: reordering), maybe twice, and
            // may lose the reply after the server has committed.
            58..=77 => {
                if to_server.is_empty() {
                    continue;
                }
                let i = rng.below(to_server.len());
                let duplicate = rng.chance(10);
                let request = if duplicate {
                    tally.duplicates += 1;
                    match &to_server[i] {
                        Request::Push { from, id, body } => Request::Push {
                            from: *from,
                            id: *id,
                            body: body.clone(),
                        },
                        Request::Pull {
                            from,
                            cursor,
                            limit,
                        } => Request::Pull {
                            from: *from,
                            cursor: *cursor,
                            limit: *limit,
                        },
                    }
                } else {
                    to_server.remove(i)
                };
                let server = &servers[rng.below(servers.len())];
                let (from, reply) = serve(server, &devices, request).await;
                if rng.chance(15) {
                    tally.lost_replies += 1;
                } else {
                    to_devices.push((from, reply));
                }
            }
            // The network loses a request.
            78..=81 => {
                if !to_server.is_empty() {
                    let i = rng.below(to_server.len());
                    to_server.remove(i);
                    tally.lost_requests += 1;
                }
            }
            // A reply reaches its device (any of them: reordering).
            82..=93 => {
                if to_devices.is_empty() {
                    continue;
                }
                let i = rng.below(to_devices.len());
                let (to, reply) = to_devices.remove(i);
                receive(&mut devices[to], reply, clock);
            }
            // Device `d` gives up waiting (time-out): the request may still arrive later.
            94..=96 => {
                let dev = &mut devices[d];
                if dev.awaiting.take().is_some() {
                    dev.device.push_failed();
                }
            }
            // An app server crashes and comes back over the same database.
            97 => {
                let i = rng.below(servers.len());
                servers[i] = world.app.instance().await;
                tally.restarts += 1;
            }
            // Device `d` is closed and opened again: its state comes back from storage.
            _ => {
                reload(&mut devices[d]);
                tally.reloads += 1;
            }
        }
    }

    // The network heals. Requests still travelling arrive (late), their replies are lost.
    for request in std::mem::take(&mut to_server) {
        let _ = serve(&servers[0], &devices, request).await;
    }
    to_devices.clear();
    heal(&servers[1], &mut devices, clock, seed).await;

    tally.mutations = devices.iter().map(|d| d.sent.len()).sum();
    check(world, lane, &servers[0], &devices, &campaigns, start, seed).await;
    tally
}

/// A user's action on a device, as the app would let them do it: an account with both roles
/// works on its own plan or reviews, one or the other each time.
fn user_acts(
    lane: &Lane,
    dev: &mut SimDevice,
    index: usize,
    campaigns: &[Uuid],
    now: DateTime<Utc>,
    rng: &mut Rng,
    typed: &mut u64,
) {
    let account = &lane.accounts[dev.account];
    match account.edits {
        Some(n) if account.reviews.is_empty() || rng.chance(50) => {
            let unit = &lane.units[n];
            edit_own_plan(dev, unit, campaigns[unit.campaign], index, now, rng, typed);
        }
        _ => {
            let reviewed: Vec<Uuid> = account.reviews.iter().map(|&c| campaigns[c]).collect();
            review(dev, &reviewed, now, rng);
        }
    }
}

/// An editor starts its unit's plan, types into it or submits it.
fn edit_own_plan(
    dev: &mut SimDevice,
    unit: &LaneUnit,
    campaign: Uuid,
    index: usize,
    now: DateTime<Utc>,
    rng: &mut Rng,
    typed: &mut u64,
) {
    let existing = dev
        .device
        .plans
        .values()
        .find(|p| p.unit_id == unit.id && p.campaign_id == campaign)
        .map(|p| p.id);
    let Some(plan_id) = existing else {
        // The plan of the campaign as the device knows it (its categories and coverage), as
        // the app starts one; the first release's shape before the device has pulled it.
        let document = match dev.device.reference.campaigns.get(&campaign) {
            Some(known) => valid_document_in(known, &unit.cells),
            None => valid_document(&unit.cells),
        };
        dev.device
            .start_plan(rng.uuid(), unit.id, campaign, document, rng.uuid(), now);
        return;
    };
    let status = dev.device.status(plan_id);
    let editable = matches!(status, PlanStatus::Draft | PlanStatus::Returned);
    if editable && rng.chance(12) && !dev.device.submit_pending(plan_id) {
        dev.device.submit(plan_id, rng.uuid(), now);
        return;
    }
    *typed += 1;
    let (field, value) = if rng.chance(75) {
        let field = TEXT_FIELDS[rng.below(TEXT_FIELDS.len())];
        (field, json!(format!("thiết bị {index} – lần gõ {typed}")))
    } else {
        let field = COUNT_FIELDS[rng.below(COUNT_FIELDS.len())];
        (field, json!(rng.below(60)))
    };
    dev.device
        .edit(plan_id, field, value, rng.uuid(), now)
        .unwrap_or_else(|e| panic!("{}: the simulated fields exist: {e}", seed_note()));
}

/// A reviewer returns or approves one of the submitted plans of the campaigns it reviews.
fn review(dev: &mut SimDevice, campaigns: &[Uuid], now: DateTime<Utc>, rng: &mut Rng) {
    let submitted: Vec<Uuid> = dev
        .device
        .plans
        .values()
        .filter(|p| campaigns.contains(&p.campaign_id))
        .filter(|p| dev.device.status(p.id) == PlanStatus::Submitted)
        .map(|p| p.id)
        .collect();
    if submitted.is_empty() {
        return;
    }
    let plan_id = submitted[rng.below(submitted.len())];
    let comment = NewComment {
        id: rng.uuid(),
        path: Some("sections.notes".into()),
        body: "Đề nghị bổ sung giải pháp".into(),
    };
    let op = if rng.chance(60) {
        Operation::Return {
            comments: vec![comment],
        }
    } else {
        Operation::Approve {
            comment: Some(comment),
        }
    };
    dev.device.queue(plan_id, op, rng.uuid(), now);
}

/// Records what a device sends. An id is the server's idempotency key: sending a different
/// change under an id already sent would be silently ignored by the server. (The plan id may
/// change: when the server merged this device's new plan into another device's, pending
/// mutations follow the plan to its server id.)
fn remember_sent(dev: &mut SimDevice, batch: &[Mutation], seed: u64) {
    for m in batch {
        if let Some(earlier) = dev.sent.get(&m.id) {
            assert_eq!(
                (&earlier.op, earlier.base_revision, earlier.created_at),
                (&m.op, m.base_revision, m.created_at),
                "seed {seed}: mutation {} was sent again with different content \
                 (replay with SIM_SEED={seed})",
                m.id
            );
        }
        dev.sent.insert(m.id, m.clone());
    }
}

/// The server handles one request; returns who asked and the reply.
async fn serve(server: &Router, devices: &[SimDevice], request: Request) -> (usize, Reply) {
    match request {
        Request::Push { from, id, body } => {
            let results = push(server, &devices[from].session, &body).await;
            (from, Reply::Push { id, results })
        }
        Request::Pull {
            from,
            cursor,
            limit,
        } => {
            let page = pull(server, &devices[from].session, cursor, limit).await;
            (from, Reply::Pull(page))
        }
    }
}

fn receive(dev: &mut SimDevice, reply: Reply, now: DateTime<Utc>) {
    match reply {
        Reply::Push { id, results } => {
            // An answer to a push the device gave up on is not read (the fetch was aborted);
            // its mutations are still in the outbox and will be sent again.
            if dev.awaiting != Some(id) {
                return;
            }
            dev.awaiting = None;
            record_answers(dev, &results);
            dev.device.push_answered(results, now);
        }
        Reply::Pull(page) => dev.device.pulled(page, now),
    }
}

fn record_answers(dev: &mut SimDevice, results: &[MutationResult]) {
    for r in results {
        dev.answers
            .entry(r.mutation_id())
            .or_default()
            .push(r.clone());
    }
}

/// The device is closed and reopened: only what is stored survives.
fn reload(dev: &mut SimDevice) {
    let stored = serde_json::to_string(&dev.device)
        .unwrap_or_else(|e| panic!("{}: the device state serialises: {e}", seed_note()));
    dev.device = serde_json::from_str(&stored)
        .unwrap_or_else(|e| panic!("{}: the device state reads back: {e}", seed_note()));
    dev.awaiting = None;
}

/// A reliable network: every device pushes until its outbox is empty, then pulls to the end.
async fn heal(server: &Router, devices: &mut [SimDevice], now: DateTime<Utc>, seed: u64) {
    for dev in devices.iter_mut() {
        dev.awaiting = None;
        dev.device.push_failed();
    }
    for round in 0.. {
        assert!(round < 20, "seed {seed}: outboxes never emptied");
        let mut sent_any = false;
        for dev in devices.iter_mut() {
            while dev.device.pending() > 0 {
                let batch = dev.device.take_batch(50);
                remember_sent(dev, &batch, seed);
                let body = PushRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: dev.device.meta.device_id,
                    mutations: batch,
                };
                let results = push(server, &dev.session, &body).await;
                record_answers(dev, &results);
                dev.device.push_answered(results, now);
                sent_any = true;
            }
        }
        for dev in devices.iter_mut() {
            loop {
                let page = pull(server, &dev.session, dev.device.meta.cursor, 50).await;
                let more = page.has_more;
                dev.device.pulled(page, now);
                if !more {
                    break;
                }
            }
        }
        if !sent_any {
            break;
        }
    }
}

#[allow(clippy::too_many_lines)]
async fn check(
    world: &World,
    lane: &Lane,
    server: &Router,
    devices: &[SimDevice],
    campaigns: &[Uuid],
    start: u64,
    seed: u64,
) {
    let db = &world.app.db;
    let fail = |what: String| -> ! { panic!("seed {seed}: {what} (replay with SIM_SEED={seed})") };

    // What the server holds, as a device of each account that never lost a message sees it.
    let mut truths = Vec::new();
    for account in &lane.accounts {
        let mut truth = Device::new(Uuid::nil());
        truth.meta.cursor = start;
        loop {
            let page = pull(server, &account.session, truth.meta.cursor, 500).await;
            let more = page.has_more;
            truth.pulled(page, Utc::now());
            if !more {
                break;
            }
        }
        truths.push(truth);
    }
    let server_plans = plan::Entity::find()
        .filter(plan::Column::CampaignId.is_in(campaigns.iter().copied()))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{}: read plans: {e}", seed_note()));

    // An account sees its own unit's plans and the plans of the campaigns it reviews: nothing
    // of a sibling, nothing of the level below the one it reviews, nothing of its own reviewer.
    for (a, (account, truth)) in lane.accounts.iter().zip(&truths).enumerate() {
        for p in &server_plans {
            let own = account.edits.is_some_and(|n| lane.units[n].id == p.unit_id);
            let reviewed = account
                .reviews
                .iter()
                .any(|&c| campaigns[c] == p.campaign_id);
            let sees = truth.plans.get(&p.id).is_some_and(|l| l.base.is_some());
            if sees != (own || reviewed) {
                fail(format!(
                    "account {a} {} plan {} of unit {}",
                    if sees { "can pull" } else { "cannot pull" },
                    p.id,
                    p.unit_id
                ));
            }
        }
    }

    for (i, dev) in devices.iter().enumerate() {
        if dev.device.pending() != 0 {
            fail(format!(
                "device {i} still has {} pending",
                dev.device.pending()
            ));
        }
        let truth = &truths[dev.account];
        for p in &server_plans {
            let server_copy = truth.plans.get(&p.id).and_then(|l| l.base.as_ref());
            let local = dev.device.plans.get(&p.id);
            let base = local.and_then(|l| l.base.as_ref());
            if base != server_copy {
                fail(format!(
                    "device {i} disagrees with the server on plan {}: revision {:?} vs {:?}",
                    p.id,
                    base.map(|b| b.revision),
                    server_copy.map(|b| b.revision)
                ));
            }
            if let (Some(local), Some(base)) = (local, base)
                && local.working != base.document
            {
                fail(format!(
                    "device {i} shows something else than plan {}",
                    p.id
                ));
            }
        }
        for (id, local) in &dev.device.plans {
            if campaigns.contains(&local.campaign_id) && !server_plans.iter().any(|p| p.id == *id) {
                fail(format!(
                    "device {i} holds plan {id} the server does not have"
                ));
            }
        }
    }

    // Every mutation sent was answered, the same way each time, and decided once.
    // Looked up by id (the table's key, as the server does): a scan by plan would make each
    // seed slower than the last. Revisions from a mutation no device sent are caught below.
    let sent_ids: Vec<Uuid> = devices
        .iter()
        .flat_map(|d| d.sent.keys().copied())
        .collect();
    let decided: BTreeMap<Uuid, applied_mutation::Model> = applied_mutation::Entity::find()
        .filter(applied_mutation::Column::Id.is_in(sent_ids))
        .all(db)
        .await
        .unwrap_or_else(|e| panic!("{}: read decided mutations: {e}", seed_note()))
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut all_sent: BTreeMap<Uuid, &Mutation> = BTreeMap::new();
    for (i, dev) in devices.iter().enumerate() {
        let attention: BTreeSet<Uuid> = dev
            .device
            .meta
            .attention
            .iter()
            .map(|a| a.mutation.id)
            .collect();
        for (id, m) in &dev.sent {
            all_sent.insert(*id, m);
            let Some(answers) = dev.answers.get(id) else {
                fail(format!("device {i}: mutation {id} was never answered"));
            };
            let last = answers.last().map(outcome_of);
            let retry_exhausted = answers.iter().all(is_retryable);
            if !retry_exhausted
                && answers
                    .iter()
                    .filter(|a| !is_retryable(a))
                    .any(|a| Some(outcome_of(a)) != last)
            {
                fail(format!("device {i}: mutation {id} got different outcomes"));
            }
            let final_refusal = answers
                .last()
                .is_some_and(|a| matches!(a, MutationResult::Rejected { .. }));
            if final_refusal != attention.contains(id) {
                fail(format!(
                    "device {i}: refused mutation {id} is {} the attention list",
                    if final_refusal {
                        "missing from"
                    } else {
                        "wrongly on"
                    }
                ));
            }
            if !retry_exhausted {
                let Some(row) = decided.get(id) else {
                    fail(format!("mutation {id} was answered but not recorded"));
                };
                if Some(row.outcome.as_str()) != last {
                    fail(format!(
                        "mutation {id}: the device was told {last:?}, the server stored {}",
                        row.outcome
                    ));
                }
            }
        }
    }

    // Every revision comes from exactly one mutation, and holds what it changed.
    for p in &server_plans {
        let versions = plan_version::Entity::find()
            .filter(plan_version::Column::PlanId.eq(p.id))
            .order_by_asc(plan_version::Column::Revision)
            .all(db)
            .await
            .unwrap_or_else(|e| panic!("{}: read versions: {e}", seed_note()));
        let revisions: Vec<i64> = versions.iter().map(|v| v.revision).collect();
        let expected: Vec<i64> = (1..=p.revision).collect();
        if revisions != expected {
            fail(format!("plan {}: revisions {revisions:?}", p.id));
        }
        let documents: Vec<Value> = versions
            .iter()
            .map(|v| {
                serde_json::from_str(&v.document)
                    .unwrap_or_else(|e| panic!("{}: stored document: {e}", seed_note()))
            })
            .collect();
        let mut seen = BTreeSet::new();
        for (v, doc) in versions.iter().zip(&documents) {
            let Some(mid) = v.mutation_id else { continue };
            if !seen.insert(mid) {
                fail(format!(
                    "mutation {mid} made two revisions of plan {}",
                    p.id
                ));
            }
            let Some(row) = decided.get(&mid) else {
                fail(format!(
                    "revision {} comes from a mutation no device sent or the server never decided",
                    v.revision
                ));
            };
            if row.outcome == "rejected" {
                fail(format!(
                    "revision {} comes from a refused mutation",
                    v.revision
                ));
            }
            let Some(m) = all_sent.get(&mid) else {
                continue;
            };
            if let Operation::Edit { changes } = &m.op {
                let conflicted: BTreeSet<String> = serde_json::from_str::<Value>(&row.result)
                    .ok()
                    .and_then(|r| r.get("conflicts").cloned())
                    .and_then(|c| c.as_array().cloned())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|c| c.get("path").and_then(Value::as_str).map(str::to_owned))
                    .collect();
                for c in changes.iter().filter(|c| !conflicted.contains(&c.path)) {
                    if app::domain::path::get(doc, &c.path) != c.value {
                        fail(format!(
                            "revision {} of plan {} lacks {} = {} from mutation {mid}",
                            v.revision, p.id, c.path, c.value
                        ));
                    }
                }
            }
        }
        // Each accepted edit that changed something is one revision: none missing.
        for (id, row) in &decided {
            if row.plan_id == p.id
                && row.outcome == "applied"
                && matches!(
                    all_sent.get(id).map(|m| &m.op),
                    Some(Operation::Edit { .. })
                )
                && !seen.contains(id)
                && changed_something(all_sent[id], &documents)
            {
                fail(format!(
                    "accepted edit {id} is in no revision of plan {}",
                    p.id
                ));
            }
        }
    }
}

/// Whether an edit would have changed the plan at the revision it was applied to: an edit
/// setting values already there applies without a new revision.
fn changed_something(m: &Mutation, documents: &[Value]) -> bool {
    let Operation::Edit { changes } = &m.op else {
        return false;
    };
    // The edit held at least one value that no revision ever had for its field.
    changes.iter().any(|c| {
        !documents
            .iter()
            .any(|doc| app::domain::path::get(doc, &c.path) == c.value)
    })
}

fn outcome_of(r: &MutationResult) -> &'static str {
    match r {
        MutationResult::Applied { .. } => "applied",
        MutationResult::Conflict { .. } => "conflict",
        MutationResult::Rejected { .. } => "rejected",
    }
}

fn is_retryable(r: &MutationResult) -> bool {
    matches!(
        r,
        MutationResult::Rejected {
            retryable: true,
            ..
        }
    )
}
