//! A campaign names the structure categories its plans break the pool and targets down by:
//! `categories`, a JSON list of `{code, label}`. NULL is the first release's six (ethnic
//! minority, religious, Youth Union age, women, studying, working), which is what every
//! campaign stored before asked for: no stored row needs a value, and their plans keep meaning
//! what they meant.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaign {
    Table,
    Categories,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .add_column(text_null(Campaign::Categories))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .drop_column(Campaign::Categories)
                    .to_owned(),
            )
            .await
    }
}
