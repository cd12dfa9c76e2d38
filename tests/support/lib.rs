//! Test support: a server [`TestApp`] on a fresh database, called without a socket.
//!
//! The database is SQLite in a temporary file by default. When `TEST_DATABASE_URL` names a
//! PostgreSQL server, each test gets its own schema there instead, so the very same tests
//! prove the server on both databases (`scripts/test-all.sh` runs them both ways).

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use server::config::Config;
use server::shell::Assets;
use server::{AppState, store::db};
use tempfile::TempDir;
use tower::ServiceExt;

/// Names of the fake client files every test site contains.
pub const JS: &str = "b-0123456789abcdef/tao-nguon.js";
pub const WASM: &str = "b-0123456789abcdef/tao-nguon_bg.wasm";
pub const CSS: &str = "b-0123456789abcdef/tao-nguon.css";
pub const LOADER: &str = "b-0123456789abcdef/__wasm_split.js";
pub const EDITOR_CHUNK: &str = "b-0123456789abcdef/split_editor.wasm";

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// Which database the test runs on, for messages.
    pub backend: &'static str,
    /// Keeps the SQLite file and the site directory alive for the test's duration.
    _dir: TempDir,
}

/// Which database URL the tests use: PostgreSQL when `TEST_DATABASE_URL` is set.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

impl TestApp {
    /// A migrated, empty database and a router over it.
    pub async fn new() -> TestApp {
        Self::with_env(&[]).await
    }

    /// Like [`TestApp::new`], with extra configuration variables.
    pub async fn with_env(vars: &[(&str, &str)]) -> TestApp {
        Self::build(vars, false).await
    }

    /// Like [`TestApp::new`], but SQLite lives in memory: for tests of logic that send
    /// thousands of requests (the sync simulation), where waiting for the disk on every commit
    /// would only slow them down. Durability is proved elsewhere, with a real file and a real
    /// crash. PostgreSQL, when configured, is used as usual.
    pub async fn in_memory() -> TestApp {
        Self::build(&[], true).await
    }

    /// A copy of an SQLite database file (one a released server left, say), upgraded by this
    /// server's migrations, and a router over it. Always SQLite, whatever `TEST_DATABASE_URL`.
    pub async fn from_sqlite_file(file: &std::path::Path) -> TestApp {
        Self::build_on(&[], false, Some(file)).await
    }

    async fn build(vars: &[(&str, &str)], memory: bool) -> TestApp {
        Self::build_on(vars, memory, None).await
    }

    async fn build_on(
        vars: &[(&str, &str)],
        memory: bool,
        from: Option<&std::path::Path>,
    ) -> TestApp {
        let _ = any_spawner::Executor::init_tokio();
        let dir = tempfile::tempdir().expect("temporary directory");
        write_site(dir.path());
        let postgres = if from.is_some() { None } else { postgres_url() };
        let (db, backend, url) = match (postgres, from) {
            (Some(url), _) => (fresh_postgres_schema(&url).await, "postgres", url),
            (None, Some(file)) => {
                let copy = dir.path().join("upgraded.db");
                std::fs::copy(file, &copy).expect("copy the database file");
                let url = format!("sqlite://{}?mode=rw", copy.display());
                let db = db::connect(&url, &url).await.expect("open the copy");
                (db, "sqlite", url)
            }
            (None, None) => {
                let url = if memory {
                    "sqlite::memory:".to_owned()
                } else {
                    format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
                };
                let db = db::connect(&url, &url).await.expect("open SQLite");
                (db, "sqlite", url)
            }
        };
        db::migrate(&db).await.expect("migrations apply");
        let site = dir.path().join("site").display().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), url),
            ("TAONGUON_SITE_DIR".into(), site),
        ];
        env.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        let config = Config::from_lookup(|name| {
            env.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .expect("test configuration is valid");
        let assets = Assets::load(&config.site_dir).expect("test site has a manifest");
        let read = db::connect_read(&config.database_url, "test", &db)
            .await
            .expect("read pool");
        let state = AppState::new(db.clone(), read, config, assets);
        TestApp {
            router: server::app(state.clone()),
            db,
            config: state.config.clone(),
            backend,
            _dir: dir,
        }
    }

    /// Sends one request through the whole router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send_to(&self.router, request).await
    }

    /// Another server process over the same database, as a second app server behind a load
    /// balancer, or this one after a crash: it shares nothing in memory (session cache, login
    /// throttle, push slots) with the others; the database is the same.
    pub async fn instance(&self) -> Router {
        let config = (*self.config).clone();
        let assets = Assets::load(&config.site_dir).expect("test site has a manifest");
        let read = db::connect_read(&config.database_url, "test", &self.db)
            .await
            .expect("read pool");
        server::app(AppState::new(self.db.clone(), read, config, assets))
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }
}

/// Sends one request through `router` (one of [`TestApp::instance`]'s, say).
pub async fn send_to(router: &Router, request: Request<Body>) -> TestResponse {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    TestResponse::read(response).await
}

/// A response with its body read.
pub struct TestResponse {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    async fn read(response: Response<Body>) -> TestResponse {
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .expect("body can be read")
            .to_bytes()
            .to_vec();
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("body is not JSON ({err}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A push's results, each flattened to `{"outcome": "applied", "mutation_id": …, …}` so that
    /// tests read outcome and fields alike (on the wire: `{"applied": {…}}`).
    pub fn results(&self) -> Vec<serde_json::Value> {
        self.json()["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|r| untag(r, "outcome", None))
            .collect()
    }

    /// A pull page's changes as `{"type": "plan", "data": {…}}` (on the wire: `{"plan": {…}}`).
    pub fn changes(&self) -> Vec<serde_json::Value> {
        self.json()["changes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|c| untag(c, "type", Some("data")))
            .collect()
    }
}

/// `{"tag": {fields}}` → `{"<key>": "tag", fields}` (or, with `nest`, `{"<key>": "tag", "<nest>": {fields}}`).
fn untag(value: serde_json::Value, key: &str, nest: Option<&str>) -> serde_json::Value {
    let Some((tag, inner)) = value
        .as_object()
        .and_then(|m| m.iter().next())
        .map(|(k, v)| (k.clone(), v.clone()))
    else {
        return value;
    };
    match nest {
        Some(field) => serde_json::json!({ key: tag, field: inner }),
        None => {
            let mut out = inner.as_object().cloned().unwrap_or_default();
            out.insert(key.to_owned(), serde_json::Value::String(tag));
            serde_json::Value::Object(out)
        }
    }
}

/// An edit of one field, from `base` to `value`.
pub fn edit_one(
    path: &str,
    base: serde_json::Value,
    value: serde_json::Value,
) -> serde_json::Value {
    op(
        "edit",
        serde_json::json!({"changes": [{"path": path, "base": base, "value": value}]}),
    )
}

/// An operation as JSON: `op("edit", json!({"changes": …}))` → `{"edit": {"changes": …}}`.
pub fn op(kind: &str, body: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ kind: body })
}

/// A built-client lookalike: a manifest naming one build's files, and a precompressed copy.
fn write_site(root: &Path) {
    let pkg = root.join("site").join("pkg");
    std::fs::create_dir_all(pkg.join("b-0123456789abcdef")).expect("create site");
    std::fs::write(pkg.join(JS), "export default async function init() {}\n").expect("js");
    std::fs::write(pkg.join(WASM), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(pkg.join(CSS), "body{margin:0}\n").expect("css");
    std::fs::write(pkg.join(format!("{CSS}.br")), b"brotli bytes").expect("br");
    std::fs::write(pkg.join(LOADER), "export {};\n").expect("loader");
    std::fs::write(pkg.join(EDITOR_CHUNK), b"\0asm\x01\0\0\0").expect("chunk");
    let manifest = serde_json::json!({
        "js": JS, "wasm": WASM, "css": CSS, "loader": LOADER, "chunks": [EDITOR_CHUNK],
    });
    std::fs::write(pkg.join("manifest.json"), manifest.to_string()).expect("manifest");
    std::fs::write(root.join("site").join("favicon.svg"), "<svg/>").expect("favicon");
    // The real manifest and icons, as `scripts/build-client.sh` copies them.
    std::fs::write(
        root.join("site").join("manifest.webmanifest"),
        include_str!("../../frontend/manifest.webmanifest"),
    )
    .expect("web app manifest");
    let icons = root.join("site").join("icons");
    std::fs::create_dir_all(&icons).expect("icons");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/icons");
    for entry in std::fs::read_dir(&source).expect("style/icons") {
        let entry = entry.expect("icon");
        std::fs::copy(entry.path(), icons.join(entry.file_name())).expect("copy icon");
    }
}

/// Creates a schema of its own for one test on the PostgreSQL server at `url`.
///
/// Schemas are named `t_<unix seconds>_<random>`; those of runs older than an hour are dropped
/// on the way, so the shared test database does not fill up with leftovers.
async fn fresh_postgres_schema(url: &str) -> DatabaseConnection {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let schema = format!("t_{now}_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("create test schema");
    let old = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'".to_owned(),
        ))
        .await
        .unwrap_or_default();
    for row in old {
        let Ok(name) = row.try_get::<String>("", "nspname") else {
            continue;
        };
        let created = name.split('_').nth(1).and_then(|s| s.parse::<u64>().ok());
        if created.is_some_and(|t| t + 3600 < now) {
            // Another run may be dropping it too; failure here is harmless.
            let _ = admin
                .execute_unprepared(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                .await;
        }
    }
    admin.close().await.ok();
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .set_schema_search_path(schema)
        .max_connections(4)
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .expect("connect to the test schema")
}

/// The demo password of every seeded account.
pub const PASSWORD: &str = server::seed::DEMO_PASSWORD;

/// Ids of the demo data the tests use.
pub struct Demo {
    pub district: uuid::Uuid,
    pub campaign: uuid::Uuid,
    /// Đảng bộ xã Lộc An: a Đảng bộ cơ sở with cells; login `loc-an`.
    pub loc_an: uuid::Uuid,
    /// Its cells, in order.
    pub loc_an_cells: Vec<(uuid::Uuid, String)>,
    /// Chi bộ Trường THPT Lộc Thanh: a Chi bộ cơ sở; login `thpt-loc-thanh`.
    pub thpt: uuid::Uuid,
    /// A second district (Di Linh) with one commune (login `gia-hiep`) and a reviewer
    /// (`bantochuc-dilinh`), to prove districts never see each other.
    pub other_district: uuid::Uuid,
    pub gia_hiep: uuid::Uuid,
    pub other_campaign: uuid::Uuid,
}

impl TestApp {
    /// The demo district, a campaign for letter 381-CV/HU in it, and a second district with its
    /// own campaign.
    pub async fn seeded() -> (TestApp, Demo) {
        Self::seed(TestApp::new().await).await
    }

    /// Seeds `app` like [`TestApp::seeded`].
    pub async fn seed(app: TestApp) -> (TestApp, Demo) {
        server::seed::seed_demo(&app.db).await.expect("seed");
        server::import::import_units(
            &app.db,
            "code,name,level,kind,parent_code,member_count\n\
             HU-DI-LINH,Đảng bộ huyện Di Linh,district,,,3000\n\
             XA-GIA-HIEP,Đảng bộ xã Gia Hiệp,grassroots,commune,HU-DI-LINH,210\n\
             XA-GIA-HIEP-CB01,Chi bộ thôn Hàng Hải,subordinate_cell,,XA-GIA-HIEP,40\n",
        )
        .await
        .expect("import a second district");
        let district = unit_id(&app.db, "HU-BAO-LAM").await;
        let loc_an = unit_id(&app.db, "XA-LOC-AN").await;
        let thpt = unit_id(&app.db, "CB-THPT-LOC-THANH").await;
        let other_district = unit_id(&app.db, "HU-DI-LINH").await;
        let gia_hiep = unit_id(&app.db, "XA-GIA-HIEP").await;
        let loc_an_cells = cells_of(&app.db, loc_an).await;
        for (username, role, unit) in [
            ("gia-hiep", app::domain::Role::Editor, gia_hiep),
            (
                "bantochuc-dilinh",
                app::domain::Role::Reviewer,
                other_district,
            ),
        ] {
            server::accounts::create_user(
                &app.db,
                server::accounts::NewUser {
                    username: username.into(),
                    display_name: username.into(),
                    roles: vec![role],
                    role: None,
                    unit_id: Some(unit),
                    password: PASSWORD.into(),
                },
            )
            .await
            .expect("create user");
        }
        let campaign = uuid::Uuid::from_u128(0x381);
        let other_campaign = uuid::Uuid::from_u128(0x999);
        let reviewer = app.login("bantochuc").await;
        let res = app
            .post_json("/api/v1/campaigns", &reviewer, &campaign_body(campaign))
            .await;
        assert_eq!(
            res.status,
            axum::http::StatusCode::CREATED,
            "{}",
            res.text()
        );
        let other = app.login("bantochuc-dilinh").await;
        let res = app
            .post_json("/api/v1/campaigns", &other, &campaign_body(other_campaign))
            .await;
        assert_eq!(
            res.status,
            axum::http::StatusCode::CREATED,
            "{}",
            res.text()
        );
        (
            app,
            Demo {
                district,
                campaign,
                loc_an,
                loc_an_cells,
                thpt,
                other_district,
                gia_hiep,
                other_campaign,
            },
        )
    }

    /// Logs in with the demo password; returns the session cookie.
    pub async fn login(&self, username: &str) -> Session {
        self.login_with(username, PASSWORD).await
    }

    /// Logs in with `password`; returns the session cookie.
    pub async fn login_with(&self, username: &str, password: &str) -> Session {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                &Session::anonymous(),
                &serde_json::json!({ "username": username, "password": password }),
            )
            .await;
        assert_eq!(
            res.status,
            axum::http::StatusCode::OK,
            "login {username}: {}",
            res.text()
        );
        let cookie = res
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_owned();
        Session {
            cookie: Some(cookie),
        }
    }

    pub async fn post_json(
        &self,
        uri: &str,
        session: &Session,
        body: &serde_json::Value,
    ) -> TestResponse {
        self.send(session.request(axum::http::Method::POST, uri, Some(body)))
            .await
    }

    pub async fn get_as(&self, uri: &str, session: &Session) -> TestResponse {
        self.send(session.request(axum::http::Method::GET, uri, None))
            .await
    }

    /// Pushes mutations as `session`'s user from a device.
    pub async fn push(
        &self,
        session: &Session,
        device: uuid::Uuid,
        mutations: Vec<serde_json::Value>,
    ) -> TestResponse {
        self.post_json(
            "/api/v1/sync/push",
            session,
            &serde_json::json!({ "protocol": app::domain::sync::PROTOCOL_VERSION, "device_id": device, "mutations": mutations }),
        )
        .await
    }

    /// Pushes one operation on `plan` at `base` from a new device and returns its result.
    pub async fn push_one(
        &self,
        session: &Session,
        plan: uuid::Uuid,
        base: u64,
        operation: serde_json::Value,
    ) -> serde_json::Value {
        let res = self
            .push(
                session,
                uuid::Uuid::new_v4(),
                vec![mutation(plan, base, operation)],
            )
            .await;
        assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
        res.results()[0].clone()
    }

    /// Pulls every page after `cursor`.
    pub async fn pull_all(
        &self,
        session: &Session,
        mut cursor: u64,
    ) -> (Vec<serde_json::Value>, u64) {
        let mut changes = Vec::new();
        loop {
            let res = self
                .get_as(
                    &format!("/api/v1/sync/pull?cursor={cursor}&limit=50&schema=2"),
                    session,
                )
                .await;
            assert_eq!(res.status, axum::http::StatusCode::OK, "{}", res.text());
            changes.extend(res.changes());
            let page = res.json();
            cursor = page["next_cursor"].as_u64().expect("cursor");
            if page["has_more"] != serde_json::Value::Bool(true) {
                return (changes, cursor);
            }
        }
    }
}

/// The id of the unit with this code (which the test knows exists).
pub async fn unit_id(db: &DatabaseConnection, code: &str) -> uuid::Uuid {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::store::entities::org_unit;
    org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(code))
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("unit {code}"))
        .id
}

/// The id of the account with this username.
pub async fn user_id(db: &DatabaseConnection, username: &str) -> uuid::Uuid {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::store::entities::user_account;
    user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("account {username}"))
        .id
}

/// A unit's subordinate cells, in order, as `valid_document` takes them.
pub async fn cells_of(db: &DatabaseConnection, parent: uuid::Uuid) -> Vec<(uuid::Uuid, String)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use server::store::entities::org_unit;
    org_unit::Entity::find()
        .filter(org_unit::Column::ParentId.eq(parent))
        .order_by_asc(org_unit::Column::SortOrder)
        .all(db)
        .await
        .expect("cells")
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect()
}

/// SplitMix64: a tiny generator that gives the same numbers for a seed on every machine, so a
/// randomised test replays exactly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n.max(1) as u64)).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn uuid(&mut self) -> uuid::Uuid {
        uuid::Uuid::from_u64_pair(self.next_u64(), self.next_u64())
    }
}

/// Letter 381-CV/HU as a campaign body.
pub fn campaign_body(id: uuid::Uuid) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "letter_number": "381-CV/HU",
        "letter_date": "2022-01-10",
        "title": "Kế hoạch tạo nguồn phát triển đảng viên năm 2022 và nhiệm kỳ 2020–2025",
        "term": { "start_year": 2020, "end_year": 2025 },
        "years": [2022, 2023, 2024, 2025],
        "deadline": "2022-02-15",
        "term_total_rule": "at_least"
    })
}

/// A session cookie (or none).
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: Option<String>,
}

impl Session {
    pub fn anonymous() -> Session {
        Session { cookie: None }
    }

    pub fn request(
        &self,
        method: axum::http::Method,
        uri: &str,
        body: Option<&serde_json::Value>,
    ) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &self.cookie {
            builder = builder.header("cookie", cookie);
        }
        match body {
            Some(json) => builder
                .header("content-type", "application/json")
                .body(Body::from(json.to_string()))
                .expect("request"),
            None => builder.body(Body::empty()).expect("request"),
        }
    }
}

/// A mutation as JSON.
pub fn mutation(plan: uuid::Uuid, base_revision: u64, op: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "id": uuid::Uuid::new_v4(),
        "plan_id": plan,
        "base_revision": base_revision,
        "created_at": "2022-02-01T08:00:00Z",
        "op": op
    })
}

/// A complete, valid plan for Lộc An (two figures per cell) or for a unit without cells.
pub fn valid_document(cells: &[(uuid::Uuid, String)]) -> app::domain::PlanDocument {
    valid_document_for(&[2022, 2023, 2024, 2025], cells)
}

/// [`valid_document`] for a campaign asking `years`.
pub fn valid_document_for(
    years: &[u16],
    cells: &[(uuid::Uuid, String)],
) -> app::domain::PlanDocument {
    valid_document_with(years, cells, &app::domain::Categories::classic(), &[])
}

/// A complete, valid plan for a campaign of the 2025 demo (`server::seed_2025`): the years
/// 2026–2030, its eight categories and, for the province's campaign, its coverage indicators.
pub fn valid_document_2025(
    campaign: uuid::Uuid,
    cells: &[(uuid::Uuid, String)],
) -> app::domain::PlanDocument {
    let coverage: &[app::domain::Indicator] =
        if campaign == server::seed_2025::province_campaign_id() {
            &server::seed_2025::PROVINCE_COVERAGE
        } else {
            &[]
        };
    valid_document_with(
        &[2026, 2027, 2028, 2029, 2030],
        cells,
        &server::seed_2025::categories_2025(),
        coverage,
    )
}

/// A complete, valid plan for a campaign: its years, categories and coverage indicators.
pub fn valid_document_in(
    campaign: &app::domain::Campaign,
    cells: &[(uuid::Uuid, String)],
) -> app::domain::PlanDocument {
    valid_document_with(
        &campaign.years,
        cells,
        &campaign.categories,
        &campaign.coverage,
    )
}

/// [`valid_document`] for `years`, `categories` and `coverage`: the first release's six keep
/// their figures; any other category counts one of each cell's three and none of its targets;
/// coverage is six hamlets, one of them without a member, a cell, a head who is a member, and
/// one merged cell, all brought to none by the end of the term.
pub fn valid_document_with(
    years: &[u16],
    cells: &[(uuid::Uuid, String)],
    categories: &app::domain::Categories,
    coverage: &[app::domain::Indicator],
) -> app::domain::PlanDocument {
    use app::domain::plan::{Breakdown, CellPlan};
    use app::domain::{Count, CoverageFigures, Figure, Indicator};
    let years = years.to_vec();
    let mut doc = app::domain::PlanDocument::blank(&years, &[], categories);
    let n = u32::try_from(cells.len()).unwrap_or(0);
    // Per figure of the campaign, in `Figure::all` order: the classic values by code.
    let classic_pool = [3, 1, 1, 2, 1, 0, 1];
    let classic_target = [1, 0, 0, 1, 1, 0, 0];
    let per = |classic: [u32; 7], other: u32| -> Vec<u32> {
        Figure::all(categories)
            .into_iter()
            .map(|f| {
                Figure::all(&app::domain::Categories::classic())
                    .iter()
                    .position(|c| *c == f)
                    .map_or(other, |i| classic[i])
            })
            .collect()
    };
    let per_cell_pool = per(classic_pool, 1);
    let per_cell_target = per(classic_target, 0);
    let scale = |v: &[u32], k: u32| v.iter().map(|x| x * k).collect::<Vec<u32>>();
    let b = |values: &[u32]| Breakdown::from_values(categories, values);
    for (id, name) in cells {
        doc.cells.insert(
            *id,
            CellPlan {
                name: name.clone(),
                pool: b(&per_cell_pool),
                targets: years.iter().map(|y| (*y, b(&per_cell_target))).collect(),
            },
        );
    }
    let k = n.max(1);
    doc.pool = b(&scale(&per_cell_pool, k));
    for y in &years {
        doc.targets.insert(*y, b(&scale(&per_cell_target, k)));
    }
    let term_years = u32::try_from(years.len()).unwrap_or(4);
    doc.term_target = b(&scale(&per_cell_target, term_years * k));
    for indicator in coverage {
        let (now, target) = if *indicator == Indicator::Hamlets {
            (6, 6)
        } else {
            (1, 0)
        };
        doc.coverage.insert(
            *indicator,
            CoverageFigures {
                now: Count::Value(now),
                target: Count::Value(target),
            },
        );
    }
    doc.header.document_number = "05-KH/ĐU".into();
    doc.header.issued_on = format!("{}-01-25", years.first().copied().unwrap_or(2022));
    doc.header.place = "Lộc An".into();
    doc.header.signer_name = "K' Điểu".into();
    doc.header.signer_title = "Bí thư".into();
    doc.sections.solutions =
        "Giao chỉ tiêu cho từng chi bộ; mở lớp bồi dưỡng nhận thức về Đảng.".into();
    doc.screening.members = Count::Value(286);
    doc
}
