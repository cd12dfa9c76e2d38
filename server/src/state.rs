//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::sessions::SessionCache;
use crate::shell::Assets;
use crate::throttle::LoginThrottle;

#[derive(Clone)]
pub struct AppState {
    /// Every write, and reads that must see the writer's latest state.
    pub db: DatabaseConnection,
    /// Reads that may run beside writes (pulls, session checks); see [`crate::store::db::connect_read`].
    pub read: DatabaseConnection,
    pub config: Arc<Config>,
    pub assets: Arc<Assets>,
    pub login_throttle: Arc<LoginThrottle>,
    pub sessions: Arc<SessionCache>,
    /// Pushes serialise on the change counter anyway; letting only a few wait for it inside the
    /// database keeps the other pool connections free for pulls and logins.
    pub push_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        read: DatabaseConnection,
        config: Config,
        assets: Assets,
    ) -> AppState {
        AppState {
            db,
            read,
            config: Arc::new(config),
            assets: Arc::new(assets),
            login_throttle: Arc::new(LoginThrottle::default()),
            sessions: Arc::new(SessionCache::default()),
            push_slots: Arc::new(tokio::sync::Semaphore::new(2)),
        }
    }
}
