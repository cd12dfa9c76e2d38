use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrgUnit::Table)
                    .if_not_exists()
                    .col(uuid(OrgUnit::Id).primary_key())
                    .col(uuid_null(OrgUnit::ParentId))
                    .col(string_len_uniq(OrgUnit::Code, 40))
                    .col(string_len(OrgUnit::Name, 200))
                    .col(string_len(OrgUnit::Level, 24))
                    .col(string_len_null(OrgUnit::Kind, 24))
                    .col(boolean(OrgUnit::HasSubordinateCells).default(false))
                    .col(integer(OrgUnit::MemberCount).default(0))
                    .col(integer(OrgUnit::SortOrder).default(0))
                    .col(timestamp_with_time_zone(OrgUnit::CreatedAt))
                    .col(timestamp_with_time_zone(OrgUnit::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_org_unit_parent")
                            .from(OrgUnit::Table, OrgUnit::ParentId)
                            .to(OrgUnit::Table, OrgUnit::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_org_unit_parent")
                    .table(OrgUnit::Table)
                    .col(OrgUnit::ParentId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrgUnit::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum OrgUnit {
    Table,
    Id,
    ParentId,
    Code,
    Name,
    Level,
    Kind,
    HasSubordinateCells,
    MemberCount,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}
