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
use server::{AppState, db};
use tempfile::TempDir;
use tower::ServiceExt;

/// Names of the fake client files every test site contains.
pub const JS: &str = "tao-nguon-0123456789abcdef.js";
pub const WASM: &str = "tao-nguon-0123456789abcdef_bg.wasm";
pub const CSS: &str = "tao-nguon-0123456789abcdef.css";

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
        let _ = any_spawner::Executor::init_tokio();
        let dir = tempfile::tempdir().expect("temporary directory");
        write_site(dir.path());
        let (db, backend, url) = match postgres_url() {
            Some(url) => (fresh_postgres_schema(&url).await, "postgres", url),
            None => {
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
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
        let config = Arc::new(config);
        let state = AppState {
            db: db.clone(),
            config: config.clone(),
            assets: Arc::new(assets),
        };
        TestApp {
            router: server::app(state),
            db,
            config,
            backend,
            _dir: dir,
        }
    }

    /// Sends one request through the whole router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        TestResponse::read(response).await
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }
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
}

/// A built-client lookalike: a manifest naming hashed files, and a precompressed copy.
fn write_site(root: &Path) {
    let pkg = root.join("site").join("pkg");
    std::fs::create_dir_all(&pkg).expect("create site");
    std::fs::write(pkg.join(JS), "export default async function init() {}\n").expect("js");
    std::fs::write(pkg.join(WASM), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(pkg.join(CSS), "body{margin:0}\n").expect("css");
    std::fs::write(pkg.join(format!("{CSS}.br")), b"brotli bytes").expect("br");
    let manifest = serde_json::json!({ "js": JS, "wasm": WASM, "css": CSS });
    std::fs::write(pkg.join("manifest.json"), manifest.to_string()).expect("manifest");
    std::fs::write(root.join("site").join("favicon.svg"), "<svg/>").expect("favicon");
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
