//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::shell::Assets;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub assets: Arc<Assets>,
}
