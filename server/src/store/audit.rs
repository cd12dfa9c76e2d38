//! The audit log: who did what, when, from where. Append-only.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use uuid::Uuid;

use crate::store::entities::audit_log;

/// Appends one entry, on `db` or inside the caller's transaction.
///
/// # Errors
/// The database error.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    user_id: Option<Uuid>,
    username: Option<&str>,
    action: &str,
    target: Option<String>,
    detail: Option<String>,
    ip: Option<&str>,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(Utc::now()),
        user_id: Set(user_id),
        username: Set(username.map(|u| u.chars().take(64).collect())),
        action: Set(action.chars().take(48).collect()),
        target: Set(target.map(|t| t.chars().take(80).collect())),
        detail: Set(detail),
        ip: Set(ip.map(str::to_owned)),
    }
    .insert(db)
    .await
    .map(|_| ())
}
