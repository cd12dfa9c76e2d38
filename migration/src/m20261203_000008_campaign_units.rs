//! A campaign is opened by any committee with units under it, for all of them or for those it
//! chooses: the letter asks only the organisations that still have a pool of outstanding
//! people. The opener's column loses the name it had when the opener was always a district,
//! and so does its own target; `campaign_unit` lists the units of a campaign that chose them.
//!
//! A campaign with no rows there asks every unit directly under its opener, then and later
//! (a unit imported after the campaign opened is asked too): what every campaign stored before
//! did, so they need no rows and keep their boards as they were.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaign {
    Table,
    Id,
    DistrictId,
    OpenerId,
    DistrictTarget,
    OwnTarget,
}

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CampaignUnit {
    Table,
    CampaignId,
    UnitId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for (from, to) in [
            (Campaign::DistrictId, Campaign::OpenerId),
            (Campaign::DistrictTarget, Campaign::OwnTarget),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaign::Table)
                        .rename_column(from, to)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CampaignUnit::Table)
                    .col(uuid(CampaignUnit::CampaignId))
                    .col(uuid(CampaignUnit::UnitId))
                    .primary_key(
                        Index::create()
                            .col(CampaignUnit::CampaignId)
                            .col(CampaignUnit::UnitId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_unit_campaign")
                            .from(CampaignUnit::Table, CampaignUnit::CampaignId)
                            .to(Campaign::Table, Campaign::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_unit_unit")
                            .from(CampaignUnit::Table, CampaignUnit::UnitId)
                            .to(OrgUnit::Table, OrgUnit::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // "Which campaigns ask this unit": an editor's pull.
        manager
            .create_index(
                Index::create()
                    .name("idx_campaign_unit_unit")
                    .table(CampaignUnit::Table)
                    .col(CampaignUnit::UnitId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CampaignUnit::Table).to_owned())
            .await?;
        for (from, to) in [
            (Campaign::OpenerId, Campaign::DistrictId),
            (Campaign::OwnTarget, Campaign::DistrictTarget),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaign::Table)
                        .rename_column(from, to)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
