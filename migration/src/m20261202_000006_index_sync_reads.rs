//! A pull from far behind (a new device, or one back after months) reads a user's plans unit by
//! unit and their comments and review events plan by plan: with `(unit_id, seq)` and
//! `(plan_id, seq)` each is one seek to the rows after the cursor, however much history the
//! database holds (`scripts/bench-history.sh`). The single-column `plan_id` indexes are the new
//! ones' prefix, so they go.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Plan {
    Table,
    UnitId,
    Seq,
}

#[derive(DeriveIden)]
enum PlanComment {
    Table,
    PlanId,
    Seq,
}

#[derive(DeriveIden)]
enum ReviewEvent {
    Table,
    PlanId,
    Seq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_unit_seq")
                    .table(Plan::Table)
                    .col(Plan::UnitId)
                    .col(Plan::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_comment_plan_seq")
                    .table(PlanComment::Table)
                    .col(PlanComment::PlanId)
                    .col(PlanComment::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_review_event_plan_seq")
                    .table(ReviewEvent::Table)
                    .col(ReviewEvent::PlanId)
                    .col(ReviewEvent::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_plan_comment_plan")
                    .table(PlanComment::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_review_event_plan")
                    .table(ReviewEvent::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("idx_plan_comment_plan", PlanComment::Table.into_iden()),
            ("idx_review_event_plan", ReviewEvent::Table.into_iden()),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(Alias::new("plan_id"))
                        .to_owned(),
                )
                .await?;
        }
        for (name, table) in [
            ("idx_plan_unit_seq", Plan::Table.into_iden()),
            ("idx_plan_comment_plan_seq", PlanComment::Table.into_iden()),
            ("idx_review_event_plan_seq", ReviewEvent::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
