//! Entity of table `applied_mutation` (migration m20261127_000003_create_sync_tables).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applied_mutation")]
pub struct Model {
    /// The mutation id the device made.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub plan_id: Uuid,
    pub outcome: String,
    /// The stored result as JSON text, returned again if the mutation is replayed.
    #[sea_orm(column_type = "Text")]
    pub result: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
