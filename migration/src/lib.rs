//! Database migrations, applied in order at server start-up and by `server migrate`.
//!
//! Every migration is written with sea-query's schema builder, never raw SQL, so the same
//! files create the same schema on SQLite (the embedded default) and PostgreSQL (production,
//! and Postgres-compatible distributed databases). A migration is never edited once it has
//! been applied anywhere: changes come as a new file named `mYYYYMMDD_HHMMSS_verb_noun.rs`.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_org_units;
mod m20261127_000002_create_user_accounts;
mod m20261127_000003_create_sync_tables;
mod m20261127_000004_add_district_target;
mod m20261202_000005_add_committee_kind;
mod m20261202_000006_index_sync_reads;
mod m20261202_000007_account_roles;
mod m20261203_000008_campaign_units;
mod m20261203_000009_campaign_categories;
mod m20261204_000010_document_version_2;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_org_units::Migration),
            Box::new(m20261127_000002_create_user_accounts::Migration),
            Box::new(m20261127_000003_create_sync_tables::Migration),
            Box::new(m20261127_000004_add_district_target::Migration),
            Box::new(m20261202_000005_add_committee_kind::Migration),
            Box::new(m20261202_000006_index_sync_reads::Migration),
            Box::new(m20261202_000007_account_roles::Migration),
            Box::new(m20261203_000008_campaign_units::Migration),
            Box::new(m20261203_000009_campaign_categories::Migration),
            Box::new(m20261204_000010_document_version_2::Migration),
        ]
    }
}
