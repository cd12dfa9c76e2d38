//! Plan documents move to version 2 (breakdowns by any category a campaign lists, and coverage
//! indicators), and a campaign names the coverage indicators its plans report: `coverage`, a
//! JSON list of indicator codes, NULL for none (every campaign stored before).
//!
//! A version-1 document says nothing version 2 cannot, so the stored documents of plans and of
//! their versions only change their number. The number is rewritten in place with one UPDATE
//! per table: serde writes `schema_version` as the first field of a document, and the same
//! characters inside any text a user typed would be escaped (`{\"schema_version\":1,`), so the
//! prefix is matched exactly and nowhere else. (The server also upgrades a version-1 document
//! whenever it reads one, so a row this missed would still read right.)

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Campaign {
    Table,
    Coverage,
}

#[derive(DeriveIden, Clone, Copy)]
enum Plan {
    Table,
    Document,
}

#[derive(DeriveIden, Clone, Copy)]
enum PlanVersion {
    Table,
    Document,
}

const FROM: &str = r#"{"schema_version":1,"#;
const TO: &str = r#"{"schema_version":2,"#;

/// `document = REPLACE(document, FROM, TO) WHERE document LIKE 'FROM%'`, and the way back,
/// which leaves documents with coverage figures at version 2: no earlier release reads them.
fn renumber<T: Iden + Copy + 'static>(
    table: T,
    column: T,
    from: &str,
    to: &str,
) -> UpdateStatement {
    let mut update = Query::update();
    update
        .table(table)
        .value(
            column,
            Func::cust(Alias::new("REPLACE")).args([
                Expr::col(column),
                Expr::val(from),
                Expr::val(to),
            ]),
        )
        .and_where(Expr::col(column).like(format!("{from}%")));
    if from == TO {
        update.and_where(Expr::col(column).not_like(r#"%"coverage":%"#));
    }
    update.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .add_column(text_null(Campaign::Coverage))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(renumber(Plan::Table, Plan::Document, FROM, TO))
            .await?;
        manager
            .exec_stmt(renumber(
                PlanVersion::Table,
                PlanVersion::Document,
                FROM,
                TO,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to what the previous release reads: version-1 numbers and no coverage column.
        // Documents with coverage figures stay at version 2: the previous release reports them
        // as written by a newer version instead of misreading them.
        manager
            .exec_stmt(renumber(Plan::Table, Plan::Document, TO, FROM))
            .await?;
        manager
            .exec_stmt(renumber(
                PlanVersion::Table,
                PlanVersion::Document,
                TO,
                FROM,
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .drop_column(Campaign::Coverage)
                    .to_owned(),
            )
            .await
    }
}
