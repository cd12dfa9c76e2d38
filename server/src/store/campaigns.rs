//! Writing campaign rows (the API's "open a campaign" and the demo seed share it).

use app::domain::Campaign;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};

use crate::store::entities::campaign;
use crate::store::{records, seq};

/// Writes a new campaign row, taking the next number of the change sequence. The caller holds
/// the sequence lock in its transaction.
pub async fn insert<C: sea_orm::ConnectionTrait>(
    txn: &C,
    campaign: &Campaign,
    now: chrono::DateTime<Utc>,
) -> Result<campaign::Model, sea_orm::DbErr> {
    campaign::ActiveModel {
        id: Set(campaign.id),
        district_id: Set(campaign.district_id),
        letter_number: Set(campaign.letter_number.clone()),
        letter_date: Set(campaign.letter_date),
        title: Set(campaign.title.clone()),
        term_start: Set(i32::from(campaign.term.start_year())),
        term_end: Set(i32::from(campaign.term.end_year())),
        years: Set(records::years_column(&campaign.years)),
        deadline: Set(campaign.deadline),
        term_total_rule: Set(campaign.term_total_rule.code().to_owned()),
        district_target: Set(None),
        seq: Set(seq::next(txn).await?),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
}
