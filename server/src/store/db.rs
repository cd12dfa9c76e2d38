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
    match pool_shape(url) {
        PoolShape::Default => {}
        PoolShape::Server => {
            options.max_connections(16).min_connections(1);
        }
        PoolShape::OneForever => {
            options
                .max_connections(1)
                .min_connections(1)
                .max_lifetime(None::<Duration>)
                .idle_timeout(None::<Duration>);
        }
    }
    Database::connect(options)
        .await
        .map_err(|source| DbOpenError::Connect {
            url: redacted_url.to_owned(),
            source,
        })
}

/// How the pool for a database URL is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PoolShape {
    /// The driver's defaults (a SQLite file: one writer at a time anyway).
    Default,
    /// A database server: several connections, one kept open.
    Server,
    /// An in-memory SQLite database lives exactly as long as its connection: one connection,
    /// never retired nor closed when idle (the pool's default retires connections after 30
    /// minutes, and the fresh one would open a new, empty database).
    OneForever,
}

fn pool_shape(url: &str) -> PoolShape {
    if url.starts_with("postgres") {
        PoolShape::Server
    } else if url.starts_with("sqlite:")
        && (url.contains(":memory:") || url.contains("mode=memory"))
    {
        PoolShape::OneForever
    } else {
        PoolShape::Default
    }
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
    if !url.starts_with("sqlite:") || pool_shape(url) == PoolShape::OneForever {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_in_memory_database_keeps_its_one_connection() {
        assert_eq!(pool_shape("sqlite::memory:"), PoolShape::OneForever);
        assert_eq!(
            pool_shape("sqlite:file:x?mode=memory&cache=shared"),
            PoolShape::OneForever
        );
        assert_eq!(
            pool_shape("sqlite://data/tao-nguon.db?mode=rwc"),
            PoolShape::Default
        );
        assert_eq!(
            pool_shape("postgres://postgres@127.0.0.1/test"),
            PoolShape::Server
        );
    }

    #[tokio::test]
    async fn an_in_memory_database_is_the_same_on_every_query() {
        let db = connect("sqlite::memory:", "sqlite::memory:")
            .await
            .expect("opens");
        db.execute_unprepared("CREATE TABLE kept (n INTEGER)")
            .await
            .expect("create");
        for _ in 0..20 {
            db.execute_unprepared("INSERT INTO kept VALUES (1)")
                .await
                .expect("the table is still there");
        }
    }
}
