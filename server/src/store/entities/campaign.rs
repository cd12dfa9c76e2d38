//! Entity of table `campaign` (migration m20261127_000003_create_sync_tables).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The committee that opened it (migration 000008 renamed it from `district_id`).
    pub opener_id: Uuid,
    pub letter_number: String,
    pub letter_date: Date,
    pub title: String,
    pub term_start: i32,
    pub term_end: i32,
    /// Comma-separated years, ascending: `2022,2023,2024,2025`.
    pub years: String,
    pub deadline: Date,
    pub term_total_rule: String,
    /// The opener's own term target, a `Breakdown` as JSON (migration 000004, renamed by
    /// 000008).
    #[sea_orm(column_type = "Text", nullable)]
    pub own_target: Option<String>,
    /// The structure categories its plans use, a JSON list of `{code, label}`; NULL for the
    /// first release's six (migration 000009).
    #[sea_orm(column_type = "Text", nullable)]
    pub categories: Option<String>,
    /// JSON list of coverage indicator codes; NULL for none.
    #[sea_orm(column_type = "Text", nullable)]
    pub coverage: Option<String>,
    pub seq: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
