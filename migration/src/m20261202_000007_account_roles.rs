//! An account holds a set of roles at its unit (editor, reviewer, administrator) instead of one:
//! a commune's staff fill the commune's plan and review its cells'. `roles` holds the role
//! codes joined by commas; every account keeps the one role it had (the codes are unchanged),
//! then the single-role column goes.

use sea_orm_migration::sea_orm::{ConnectionTrait, prelude::Uuid};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Role,
    Roles,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(string_len(UserAccount::Roles, 96).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(UserAccount::Table)
                    .value(UserAccount::Roles, Expr::col(UserAccount::Role))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .drop_column(UserAccount::Role)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(string_len(UserAccount::Role, 24).default(""))
                    .to_owned(),
            )
            .await?;
        // One role back: the first stored (an account with several keeps its first).
        let accounts = manager
            .get_connection()
            .query_all(
                &Query::select()
                    .columns([Alias::new("id"), Alias::new("roles")])
                    .from(UserAccount::Table)
                    .to_owned(),
            )
            .await?;
        for row in accounts {
            let id: Uuid = row.try_get("", "id")?;
            let roles: String = row.try_get("", "roles")?;
            let first = roles.split(',').next().unwrap_or_default().to_owned();
            manager
                .exec_stmt(
                    Query::update()
                        .table(UserAccount::Table)
                        .value(UserAccount::Role, first)
                        .and_where(Expr::col(Alias::new("id")).eq(id))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .drop_column(UserAccount::Roles)
                    .to_owned(),
            )
            .await
    }
}
