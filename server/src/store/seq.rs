//! The global change sequence.
//!
//! Every writing transaction first locks the one counter row ([`lock`]), then takes numbers
//! from it ([`next`]). Holding the lock to commit serialises writers at that row, so numbers
//! become visible in the order they were taken: a device that pulled up to N can never later
//! find a change numbered below N committed after it looked. Locking first, before any other
//! row, also gives every writer the same lock order, so writers cannot deadlock.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::store::entities::sync_counter;

const GLOBAL: &str = "global";

/// Takes the counter's row lock for the rest of the transaction.
///
/// # Errors
/// The database error.
pub async fn lock<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    let stmt = Query::update()
        .table(sync_counter::Entity)
        .value(
            sync_counter::Column::Value,
            Expr::col(sync_counter::Column::Value),
        )
        .and_where(Expr::col(sync_counter::Column::Name).eq(GLOBAL))
        .to_owned();
    txn.execute(&stmt).await.map(|_| ())
}

/// The next sequence number.
///
/// # Errors
/// The database error, or [`DbErr::RecordNotFound`] if the counter row is missing (a
/// database not migrated).
pub async fn next<C: ConnectionTrait>(txn: &C) -> Result<i64, DbErr> {
    let stmt = Query::update()
        .table(sync_counter::Entity)
        .value(
            sync_counter::Column::Value,
            Expr::col(sync_counter::Column::Value).add(1),
        )
        .and_where(Expr::col(sync_counter::Column::Name).eq(GLOBAL))
        .returning_col(sync_counter::Column::Value)
        .to_owned();
    let row = txn
        .query_one(&stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("sync_counter".into()))?;
    row.try_get::<i64>("", "value")
}

/// The last number handed out: where a device that has read everything stands.
///
/// # Errors
/// The database error, or [`DbErr::RecordNotFound`] if the counter row is missing.
pub async fn head<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    let stmt = Query::select()
        .column(sync_counter::Column::Value)
        .from(sync_counter::Entity)
        .and_where(Expr::col(sync_counter::Column::Name).eq(GLOBAL))
        .to_owned();
    let row = db
        .query_one(&stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("sync_counter".into()))?;
    row.try_get::<i64>("", "value")
}
