//! The district's own whole-term admission target (from its Congress resolution), entered by
//! the Organisation Board on a campaign and compared with the units' plans in the totals.
//! Stored as the JSON of a `Breakdown` (total and structure), portable across databases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaign {
    Table,
    DistrictTarget,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .add_column(text_null(Campaign::DistrictTarget))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .drop_column(Campaign::DistrictTarget)
                    .to_owned(),
            )
            .await
    }
}
