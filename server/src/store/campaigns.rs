//! Campaign rows and the units each asks (the API's "open a campaign" and the demo seed share
//! the writing; pull, push and the review views the reading).

use std::collections::BTreeMap;

use app::domain::Campaign;
use app::domain::sync::CampaignRecord;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::store::entities::{campaign, campaign_unit, org_unit};
use crate::store::{StoreError, records, seq};

/// Writes a new campaign row, taking the next number of the change sequence, asking the
/// `chosen` units (none: every unit directly under the opener). The caller holds the sequence
/// lock in its transaction and has checked that the units are directly under the opener.
pub async fn insert<C: ConnectionTrait>(
    txn: &C,
    campaign: &Campaign,
    chosen: &[Uuid],
    now: chrono::DateTime<Utc>,
) -> Result<campaign::Model, DbErr> {
    // The first release's six stay NULL, as every campaign stored before them is.
    let categories = if campaign.categories.is_classic() {
        None
    } else {
        Some(
            serde_json::to_string(&campaign.categories)
                .map_err(|e| DbErr::Custom(e.to_string()))?,
        )
    };
    let coverage = if campaign.coverage.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&campaign.coverage).map_err(|e| DbErr::Custom(e.to_string()))?)
    };
    let row = campaign::ActiveModel {
        id: Set(campaign.id),
        opener_id: Set(campaign.opener_id),
        letter_number: Set(campaign.letter_number.clone()),
        letter_date: Set(campaign.letter_date),
        title: Set(campaign.title.clone()),
        term_start: Set(i32::from(campaign.term.start_year())),
        term_end: Set(i32::from(campaign.term.end_year())),
        years: Set(records::years_column(&campaign.years)),
        deadline: Set(campaign.deadline),
        term_total_rule: Set(campaign.term_total_rule.code().to_owned()),
        own_target: Set(None),
        categories: Set(categories),
        coverage: Set(coverage),
        seq: Set(seq::next(txn).await?),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    // Bounded by the opener's units (the caller checked each one), so one statement.
    if !chosen.is_empty() {
        campaign_unit::Entity::insert_many(chosen.iter().map(|unit| campaign_unit::ActiveModel {
            campaign_id: Set(campaign.id),
            unit_id: Set(*unit),
        }))
        .exec(txn)
        .await?;
    }
    Ok(row)
}

/// The units each of `campaigns` lists, in the order of the units' `sort_order`: none for a
/// campaign that asks every unit under its opener.
pub async fn units_of<C: ConnectionTrait>(
    db: &C,
    campaigns: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Uuid>>, DbErr> {
    let mut out: BTreeMap<Uuid, Vec<Uuid>> = campaigns.iter().map(|c| (*c, Vec::new())).collect();
    if campaigns.is_empty() {
        return Ok(out);
    }
    // SELECT campaign_unit.campaign_id, campaign_unit.unit_id FROM campaign_unit
    //   JOIN org_unit ON org_unit.id = campaign_unit.unit_id
    //   WHERE campaign_id IN (…) ORDER BY org_unit.sort_order, org_unit.code
    let stmt = Query::select()
        .column((campaign_unit::Entity, campaign_unit::Column::CampaignId))
        .column((campaign_unit::Entity, campaign_unit::Column::UnitId))
        .from(campaign_unit::Entity)
        .inner_join(
            org_unit::Entity,
            Expr::col((org_unit::Entity, org_unit::Column::Id))
                .equals((campaign_unit::Entity, campaign_unit::Column::UnitId)),
        )
        .and_where(
            Expr::col((campaign_unit::Entity, campaign_unit::Column::CampaignId))
                .is_in(campaigns.iter().copied()),
        )
        .order_by(
            (org_unit::Entity, org_unit::Column::SortOrder),
            sea_orm::Order::Asc,
        )
        .order_by(
            (org_unit::Entity, org_unit::Column::Code),
            sea_orm::Order::Asc,
        )
        .to_owned();
    for row in db.query_all(&stmt).await? {
        let campaign: Uuid = row.try_get("", "campaign_id")?;
        let unit: Uuid = row.try_get("", "unit_id")?;
        out.entry(campaign).or_default().push(unit);
    }
    Ok(out)
}

/// The units directly under `opener`, in its order: those a campaign it opens may ask.
pub async fn units_under<C: ConnectionTrait>(db: &C, opener: Uuid) -> Result<Vec<Uuid>, DbErr> {
    org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Id)
        .filter(org_unit::Column::ParentId.eq(opener))
        .order_by_asc(org_unit::Column::SortOrder)
        .order_by_asc(org_unit::Column::Code)
        .into_tuple()
        .all(db)
        .await
}

/// The units `campaign` asks, in display order: those it lists, or every unit under its opener.
pub async fn asked<C: ConnectionTrait>(
    db: &C,
    record: &CampaignRecord,
) -> Result<Vec<Uuid>, DbErr> {
    if record.units.is_empty() {
        units_under(db, record.campaign.opener_id).await
    } else {
        Ok(record.units.clone())
    }
}

/// The records of `rows`, each with the units it asks.
pub async fn records<C: ConnectionTrait>(
    db: &C,
    rows: &[campaign::Model],
) -> Result<Vec<CampaignRecord>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut units = units_of(db, &ids).await?;
    rows.iter()
        .map(|row| records::campaign_record(row, units.remove(&row.id).unwrap_or_default()))
        .collect()
}

/// The record of one campaign row, with the units it asks.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    row: &campaign::Model,
) -> Result<CampaignRecord, StoreError> {
    let units = units_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    records::campaign_record(row, units)
}
