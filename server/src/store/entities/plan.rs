//! Entity of table `plan` (migration m20261127_000003_create_sync_tables).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub campaign_id: Uuid,
    pub revision: i64,
    pub status: String,
    /// The `PlanDocument` as JSON text (portable across SQLite and PostgreSQL).
    #[sea_orm(column_type = "Text")]
    pub document: String,
    pub seq: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at_device: Option<DateTimeUtc>,
    pub received_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
