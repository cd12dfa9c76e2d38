//! Campaigns, plans and everything the sync protocol keeps: versions, review events,
//! comments, applied mutations, the global change sequence; plus sessions and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261127_000001_create_org_units::OrgUnit;
use crate::m20261127_000002_create_user_accounts::UserAccount;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One global sequence: every change a device can pull takes the next number, in the
        // transaction that makes the change.
        manager
            .create_table(
                Table::create()
                    .table(SyncCounter::Table)
                    .if_not_exists()
                    .col(string_len(SyncCounter::Name, 32).primary_key())
                    .col(big_integer(SyncCounter::Value))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(SyncCounter::Table)
                    .columns([SyncCounter::Name, SyncCounter::Value])
                    .values_panic(["global".into(), 1i64.into()])
                    .to_owned(),
            )
            .await?;

        // Units made before this migration get sequence number 1, so a device pulling from
        // cursor 0 receives them.
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .add_column(big_integer(OrgUnitSeq::Seq).default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_org_unit_seq", OrgUnit::Table, &["seq"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Campaign::Table)
                    .if_not_exists()
                    .col(uuid(Campaign::Id).primary_key())
                    .col(uuid(Campaign::DistrictId))
                    .col(string_len(Campaign::LetterNumber, 40))
                    .col(date(Campaign::LetterDate))
                    .col(string_len(Campaign::Title, 200))
                    .col(integer(Campaign::TermStart))
                    .col(integer(Campaign::TermEnd))
                    .col(string_len(Campaign::Years, 64))
                    .col(date(Campaign::Deadline))
                    .col(string_len(Campaign::TermTotalRule, 16))
                    .col(big_integer(Campaign::Seq))
                    .col(timestamp_with_time_zone(Campaign::CreatedAt))
                    .col(timestamp_with_time_zone(Campaign::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_campaign_district",
                        (Campaign::Table, Campaign::DistrictId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_campaign_district",
                Campaign::Table,
                &["district_id"],
            ))
            .await?;
        manager
            .create_index(index("idx_campaign_seq", Campaign::Table, &["seq"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Plan::Table)
                    .if_not_exists()
                    .col(uuid(Plan::Id).primary_key())
                    .col(uuid(Plan::UnitId))
                    .col(uuid(Plan::CampaignId))
                    .col(big_integer(Plan::Revision))
                    .col(string_len(Plan::Status, 16))
                    .col(text(Plan::Document))
                    .col(big_integer(Plan::Seq))
                    .col(timestamp_with_time_zone(Plan::CreatedAt))
                    .col(timestamp_with_time_zone(Plan::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Plan::SubmittedAtDevice))
                    .col(timestamp_with_time_zone_null(Plan::ReceivedAt))
                    .foreign_key(&mut fk(
                        "fk_plan_unit",
                        (Plan::Table, Plan::UnitId),
                        (OrgUnit::Table, OrgUnit::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_plan_campaign",
                        (Plan::Table, Plan::CampaignId),
                        (Campaign::Table, Campaign::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_plan_unit_campaign",
                    Plan::Table,
                    &["unit_id", "campaign_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_plan_seq", Plan::Table, &["seq"]))
            .await?;
        manager
            .create_index(index("idx_plan_campaign", Plan::Table, &["campaign_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanVersion::Table)
                    .if_not_exists()
                    .col(uuid(PlanVersion::PlanId))
                    .col(big_integer(PlanVersion::Revision))
                    .col(string_len(PlanVersion::Status, 16))
                    .col(text(PlanVersion::Document))
                    .col(uuid_null(PlanVersion::MutationId))
                    .col(uuid_null(PlanVersion::AuthorId))
                    .col(timestamp_with_time_zone(PlanVersion::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PlanVersion::PlanId)
                            .col(PlanVersion::Revision),
                    )
                    .foreign_key(&mut fk(
                        "fk_plan_version_plan",
                        (PlanVersion::Table, PlanVersion::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_plan_version_author",
                        (PlanVersion::Table, PlanVersion::AuthorId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReviewEvent::Table)
                    .if_not_exists()
                    .col(uuid(ReviewEvent::Id).primary_key())
                    .col(uuid(ReviewEvent::PlanId))
                    .col(string_len(ReviewEvent::Action, 16))
                    .col(string_len(ReviewEvent::FromStatus, 16))
                    .col(string_len(ReviewEvent::ToStatus, 16))
                    .col(big_integer(ReviewEvent::Revision))
                    .col(uuid(ReviewEvent::ActorId))
                    .col(timestamp_with_time_zone(ReviewEvent::At))
                    .col(big_integer(ReviewEvent::Seq))
                    .foreign_key(&mut fk(
                        "fk_review_event_plan",
                        (ReviewEvent::Table, ReviewEvent::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_review_event_actor",
                        (ReviewEvent::Table, ReviewEvent::ActorId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_review_event_plan",
                ReviewEvent::Table,
                &["plan_id"],
            ))
            .await?;
        manager
            .create_index(index("idx_review_event_seq", ReviewEvent::Table, &["seq"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanComment::Table)
                    .if_not_exists()
                    .col(uuid(PlanComment::Id).primary_key())
                    .col(uuid(PlanComment::PlanId))
                    .col(string_len_null(PlanComment::Path, 160))
                    .col(text(PlanComment::Body))
                    .col(uuid(PlanComment::AuthorId))
                    .col(timestamp_with_time_zone(PlanComment::CreatedAt))
                    .col(big_integer(PlanComment::Seq))
                    .foreign_key(&mut fk(
                        "fk_plan_comment_plan",
                        (PlanComment::Table, PlanComment::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_plan_comment_author",
                        (PlanComment::Table, PlanComment::AuthorId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_plan_comment_plan",
                PlanComment::Table,
                &["plan_id"],
            ))
            .await?;
        manager
            .create_index(index("idx_plan_comment_seq", PlanComment::Table, &["seq"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppliedMutation::Table)
                    .if_not_exists()
                    .col(uuid(AppliedMutation::Id).primary_key())
                    .col(uuid(AppliedMutation::UserId))
                    .col(uuid(AppliedMutation::DeviceId))
                    .col(uuid(AppliedMutation::PlanId))
                    .col(string_len(AppliedMutation::Outcome, 16))
                    .col(text(AppliedMutation::Result))
                    .col(timestamp_with_time_zone(AppliedMutation::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_applied_mutation_user",
                        (AppliedMutation::Table, AppliedMutation::UserId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserSession::Table)
                    .if_not_exists()
                    .col(string_len(UserSession::Id, 64).primary_key())
                    .col(uuid(UserSession::UserId))
                    .col(timestamp_with_time_zone(UserSession::CreatedAt))
                    .col(timestamp_with_time_zone(UserSession::ExpiresAt))
                    .col(timestamp_with_time_zone(UserSession::LastSeenAt))
                    .col(string_len_null(UserSession::UserAgent, 200))
                    .foreign_key(&mut fk(
                        "fk_user_session_user",
                        (UserSession::Table, UserSession::UserId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_user_session_user",
                UserSession::Table,
                &["user_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(uuid(AuditLog::Id).primary_key())
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::UserId))
                    .col(string_len_null(AuditLog::Username, 64))
                    .col(string_len(AuditLog::Action, 48))
                    .col(string_len_null(AuditLog::Target, 80))
                    .col(text_null(AuditLog::Detail))
                    .col(string_len_null(AuditLog::Ip, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_audit_log_at", AuditLog::Table, &["at"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            UserSession::Table.into_iden(),
            AppliedMutation::Table.into_iden(),
            PlanComment::Table.into_iden(),
            ReviewEvent::Table.into_iden(),
            PlanVersion::Table.into_iden(),
            Plan::Table.into_iden(),
            Campaign::Table.into_iden(),
            SyncCounter::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_org_unit_seq")
                    .table(OrgUnit::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrgUnit::Table)
                    .drop_column(OrgUnitSeq::Seq)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum OrgUnitSeq {
    Seq,
}

#[derive(DeriveIden)]
pub enum SyncCounter {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden)]
pub enum Campaign {
    Table,
    Id,
    DistrictId,
    LetterNumber,
    LetterDate,
    Title,
    TermStart,
    TermEnd,
    Years,
    Deadline,
    TermTotalRule,
    Seq,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Plan {
    Table,
    Id,
    UnitId,
    CampaignId,
    Revision,
    Status,
    Document,
    Seq,
    CreatedAt,
    UpdatedAt,
    SubmittedAtDevice,
    ReceivedAt,
}

#[derive(DeriveIden)]
pub enum PlanVersion {
    Table,
    PlanId,
    Revision,
    Status,
    Document,
    MutationId,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum ReviewEvent {
    Table,
    Id,
    PlanId,
    Action,
    FromStatus,
    ToStatus,
    Revision,
    ActorId,
    At,
    Seq,
}

#[derive(DeriveIden)]
pub enum PlanComment {
    Table,
    Id,
    PlanId,
    Path,
    Body,
    AuthorId,
    CreatedAt,
    Seq,
}

#[derive(DeriveIden)]
pub enum AppliedMutation {
    Table,
    Id,
    UserId,
    DeviceId,
    PlanId,
    Outcome,
    Result,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum UserSession {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
    UserAgent,
}

#[derive(DeriveIden)]
pub enum AuditLog {
    Table,
    Id,
    At,
    UserId,
    Username,
    Action,
    Target,
    Detail,
    Ip,
}
