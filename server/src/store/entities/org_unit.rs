//! Entity of table `org_unit` (migration m20261127_000001_create_org_units).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub level: String,
    pub kind: Option<String>,
    pub has_subordinate_cells: bool,
    pub member_count: i32,
    pub sort_order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Position in the change sequence (migration m20261127_000003).
    pub seq: i64,
    /// `app::domain::CommitteeKind` code; every row has one since the 2026-12-02 migration.
    pub committee: Option<String>,
    pub office_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
