//! Opening the database and bringing its schema up to date.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbOpenError {
    #[error("không tạo được thư mục chứa cơ sở dữ liệu {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("không kết nối được cơ sở dữ liệu {url}: {source}")]
    Connect { url: String, source: DbErr },
    #[error("không nâng cấp được lược đồ cơ sở dữ liệu: {0}")]
    Migrate(DbErr),
}

/// Opens a connection pool for `url` (`sqlite:` or `postgres://`).
///
/// SQLite runs in WAL mode with `synchronous = FULL`: a write the server has acknowledged
/// survives a crash or power cut, which is the whole promise of the sync protocol.
///
/// # Errors
/// [`DbOpenError`] when the file's directory cannot be created or the database refuses us.
pub async fn connect(url: &str, redacted_url: &str) -> Result<DatabaseConnection, DbOpenError> {
    if url.starts_with("sqlite:") {
        ensure_sqlite_dir(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    if url.starts_with("postgres") {
        options.max_connections(16).min_connections(1);
    }
    Database::connect(options)
        .await
        .map_err(|source| DbOpenError::Connect {
            url: redacted_url.to_owned(),
            source,
        })
}

/// A pool for reads only. On SQLite it is a separate set of read-only connections: in WAL mode
/// they read while the single writer writes, so pulls and session checks do not queue behind
/// pushes. On PostgreSQL, the one pool serves both.
///
/// # Errors
/// [`DbOpenError::Connect`] when the database refuses the connections.
pub async fn connect_read(
    url: &str,
    redacted_url: &str,
    writer: &DatabaseConnection,
) -> Result<DatabaseConnection, DbOpenError> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") {
        return Ok(writer.clone());
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(4)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts: SqliteConnectOptions| {
            opts.read_only(true)
                .create_if_missing(false)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options)
        .await
        .map_err(|source| DbOpenError::Connect {
            url: redacted_url.to_owned(),
            source,
        })
}

/// Applies every pending migration.
///
/// # Errors
/// [`DbOpenError::Migrate`] when a migration fails; the failed migration is rolled back on
/// PostgreSQL (transactional DDL) and must be fixed before the server can start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbOpenError> {
    Migrator::up(db, None).await.map_err(DbOpenError::Migrate)
}

/// Runs a trivial query: the health check's proof that the database answers.
///
/// # Errors
/// The database error when it does not.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// `sqlite://data/x.db?mode=rwc` → makes sure `data/` exists, since SQLite creates files but
/// not directories.
fn ensure_sqlite_dir(url: &str) -> Result<(), DbOpenError> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| DbOpenError::CreateDir {
                path: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}
