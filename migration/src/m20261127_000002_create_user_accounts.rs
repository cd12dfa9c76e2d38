use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_org_units::OrgUnit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserAccount::Table)
                    .if_not_exists()
                    .col(uuid(UserAccount::Id).primary_key())
                    .col(string_len_uniq(UserAccount::Username, 64))
                    .col(string_len(UserAccount::DisplayName, 200))
                    .col(string_len(UserAccount::PasswordHash, 255))
                    .col(string_len(UserAccount::Role, 24))
                    .col(uuid_null(UserAccount::UnitId))
                    .col(boolean(UserAccount::Disabled).default(false))
                    .col(timestamp_with_time_zone(UserAccount::CreatedAt))
                    .col(timestamp_with_time_zone(UserAccount::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_account_unit")
                            .from(UserAccount::Table, UserAccount::UnitId)
                            .to(OrgUnit::Table, OrgUnit::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UserAccount::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum UserAccount {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    UnitId,
    Disabled,
    CreatedAt,
    UpdatedAt,
}
