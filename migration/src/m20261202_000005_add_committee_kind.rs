//! The kind of committee each unit is (Tỉnh ủy, Huyện ủy, Đảng ủy xã, Đảng bộ cơ sở, Chi bộ
//! cơ sở, Chi bộ trực thuộc, …) and, where it is not the usual one for its kind, the name of
//! the office that reviews for it: the first step from three fixed levels to a tree of any
//! depth (the 2025 province → commune structure next to the 2022 district).
//!
//! Units stored before get the kind their level meant: the district is a Huyện ủy; a grassroots
//! organisation with cells a Đảng bộ cơ sở, without cells a Chi bộ cơ sở; a cell a Chi bộ trực
//! thuộc (the same rule as `app::domain::CommitteeKind::of_level`, which devices apply to
//! records they stored before this change).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrgUnit {
    Table,
    Level,
    HasSubordinateCells,
    Committee,
    OfficeName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .add_column(string_null(OrgUnit::Committee))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .add_column(string_null(OrgUnit::OfficeName))
                    .to_owned(),
            )
            .await?;
        let kinds: [(&str, Option<bool>, &str); 4] = [
            ("district", None, "district"),
            ("grassroots", Some(true), "grassroots_committee"),
            ("grassroots", Some(false), "grassroots_cell"),
            ("subordinate_cell", None, "subordinate_cell"),
        ];
        for (level, with_cells, committee) in kinds {
            let mut update = Query::update();
            update
                .table(OrgUnit::Table)
                .value(OrgUnit::Committee, committee)
                .and_where(Expr::col(OrgUnit::Level).eq(level))
                .and_where(Expr::col(OrgUnit::Committee).is_null());
            if let Some(cells) = with_cells {
                update.and_where(Expr::col(OrgUnit::HasSubordinateCells).eq(cells));
            }
            manager.exec_stmt(update.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [OrgUnit::OfficeName, OrgUnit::Committee] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OrgUnit::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
