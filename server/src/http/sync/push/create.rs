//! Creating a plan from a device (or finding the one another device created first).

use super::*;

pub(super) async fn create(
    batch: &mut Batch<'_>,
    m: &Mutation,
    unit_id: Uuid,
    campaign_id: Uuid,
    document: &PlanDocument,
) -> Result<Decided, ApiError> {
    // A device of the first release, or one whose outbox was written by it, sends a
    // version-1 document; it reads as version 2 (an unknown version stays, and is refused by
    // the rules below).
    let mut upgraded = document.clone();
    app::domain::plan::upgrade(&mut upgraded);
    let document = &upgraded;
    if !batch.user.has(Role::Editor) || batch.user.unit_id != Some(unit_id) {
        return Ok(Decided::rejected(
            "forbidden",
            "Tài khoản của bạn không được lập kế hoạch cho đơn vị này.",
            None,
        ));
    }
    let Some(campaign_row) = campaign::Entity::find_by_id(campaign_id)
        .one(batch.txn)
        .await?
    else {
        return Ok(Decided::retry_later(
            "campaign.not_found",
            "Không tìm thấy đợt đăng ký kế hoạch này.",
        ));
    };
    let campaign = records::campaign(&campaign_row)?;
    let (parent, profile) = unit_of(batch, unit_id).await?;
    let listed = crate::store::campaigns::units_of(batch.txn, &[campaign.id])
        .await?
        .remove(&campaign.id)
        .unwrap_or_default();
    if !campaign.asks(&listed, unit_id, parent) {
        return Ok(Decided::rejected(
            "campaign.not_for_unit",
            "Đợt đăng ký này không dành cho đơn vị của bạn.",
            None,
        ));
    }

    // One plan per unit and campaign: a plan created meanwhile (from another device) absorbs
    // this one as an edit from a blank plan, field by field.
    let existing = match plan::Entity::find_by_id(m.plan_id).one(batch.txn).await? {
        Some(p) if p.unit_id == unit_id && p.campaign_id == campaign_id => Some(p),
        Some(_) => {
            return Ok(Decided::rejected(
                "plan.id_taken",
                "Mã kế hoạch đã được dùng cho một kế hoạch khác. Hãy tải lại trang.",
                None,
            ));
        }
        None => {
            plan::Entity::find()
                .filter(plan::Column::UnitId.eq(unit_id))
                .filter(plan::Column::CampaignId.eq(campaign_id))
                .one(batch.txn)
                .await?
        }
    };
    if let Some(existing) = existing {
        let cells: Vec<(Uuid, String)> = profile
            .cells
            .iter()
            .map(|c| (c.id, c.name.clone()))
            .collect();
        let blank = PlanDocument::for_campaign(&campaign, &cells);
        let changes: Vec<FieldChange> = path::diff(&blank, document)
            .into_iter()
            .map(|d| FieldChange {
                path: d.path,
                base: d.old,
                value: d.new,
            })
            .collect();
        return edit(batch, m, existing, &changes).await;
    }

    let report = validate(
        document,
        PlanContext {
            campaign: &campaign,
            unit: &profile,
        },
    );
    let blocking: Vec<Finding> = report.blocking_save().cloned().collect();
    if let Some(first) = blocking.first() {
        return Ok(Decided::rejected_with(
            first.rule.code(),
            first.message.clone(),
            blocking,
            None,
        ));
    }
    let seq = seq::next(batch.txn).await?;
    let json = serde_json::to_string(document).map_err(|e| ApiError::Internal(e.to_string()))?;
    let row = plan::ActiveModel {
        id: Set(m.plan_id),
        unit_id: Set(unit_id),
        campaign_id: Set(campaign_id),
        revision: Set(1),
        status: Set(PlanStatus::Draft.code().to_owned()),
        document: Set(json),
        seq: Set(seq),
        created_at: Set(batch.now),
        updated_at: Set(batch.now),
        submitted_at_device: Set(None),
        received_at: Set(None),
    }
    .insert(batch.txn)
    .await?;
    record_version(batch, &row, Some(m.id)).await?;
    audit_plan(batch, "plan.create", row.id, None).await?;
    Ok(Decided::applied(row))
}
