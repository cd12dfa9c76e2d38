//! Moving a plan through the workflow (submit, return, approve) and storing reviewers' remarks.

use super::*;

pub(super) async fn transition(
    batch: &mut Batch<'_>,
    m: &Mutation,
    plan: plan::Model,
    action: PlanAction,
    comments: &[NewComment],
    submitted_at: Option<DateTime<Utc>>,
) -> Result<Decided, ApiError> {
    let from = records::status(&plan)?;
    let Some(role) = acting_as(batch, &plan).await? else {
        return Ok(forbidden(Some(plan)));
    };
    let to = match workflow::next_status(from, action, role) {
        Ok(to) => to,
        Err(e) => return Ok(Decided::rejected(e.code(), e.message(action), Some(plan))),
    };
    if let Some(refusal) = check_comments(batch, comments).await? {
        return Ok(Decided {
            plan: Some(plan),
            ..refusal
        });
    }
    if action == PlanAction::Submit {
        if batch.conflicted.contains(&plan.id) {
            return Ok(Decided::rejected(
                "submit.after_conflict",
                "Kế hoạch có thay đổi bị xung đột với bản trên máy chủ. Hãy xem và chọn giá trị đúng trước khi gửi.",
                Some(plan),
            ));
        }
        let campaign = campaign_of(batch, &plan).await?;
        let (_, profile) = unit_of(batch, plan.unit_id).await?;
        let document = records::document(&plan)?;
        let report = validate(
            &document,
            PlanContext {
                campaign: &campaign,
                unit: &profile,
            },
        );
        let errors: Vec<Finding> = report.errors().cloned().collect();
        if !errors.is_empty() {
            return Ok(Decided::rejected_with(
                "plan.has_errors",
                format!(
                    "Kế hoạch còn {} lỗi nên chưa gửi được. Hãy sửa các lỗi được đánh dấu rồi gửi lại.",
                    errors.len()
                ),
                errors,
                Some(plan),
            ));
        }
    }

    let revision = plan.revision + 1;
    let plan_id = plan.id;
    let seq = seq::next(batch.txn).await?;
    let first_submission = plan.submitted_at_device.is_none();
    // A plan written and submitted offline reaches the server with its create: the campaign's
    // opening, not the plan's arrival, is the earliest a submission can honestly be.
    let opened = campaign::Entity::find_by_id(plan.campaign_id)
        .one(batch.txn)
        .await?
        .map_or(plan.created_at, |c| c.created_at);
    let mut active: plan::ActiveModel = plan.into();
    active.status = Set(to.code().to_owned());
    active.revision = Set(revision);
    active.seq = Set(seq);
    active.updated_at = Set(batch.now);
    if let Some(device_time) = submitted_at
        && first_submission
    {
        // Only the first submission counts: a resubmission after the district's return is
        // not late.
        let counted = workflow::submission_time(device_time, batch.now, opened);
        active.submitted_at_device = Set(Some(counted));
        active.received_at = Set(Some(batch.now));
    }
    let row = active.update(batch.txn).await?;
    record_version(batch, &row, Some(m.id)).await?;
    review_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        plan_id: Set(plan_id),
        action: Set(action.code().to_owned()),
        from_status: Set(from.code().to_owned()),
        to_status: Set(to.code().to_owned()),
        revision: Set(revision),
        actor_id: Set(batch.user.id),
        at: Set(batch.now),
        seq: Set(seq::next(batch.txn).await?),
    }
    .insert(batch.txn)
    .await?;
    insert_comments(batch, plan_id, comments).await?;
    audit_plan(
        batch,
        &format!("plan.{}", action.code()),
        plan_id,
        Some(format!("{} → {}", from.code(), to.code())),
    )
    .await?;
    Ok(Decided::applied(row))
}

pub(super) async fn check_comments(
    batch: &Batch<'_>,
    comments: &[NewComment],
) -> Result<Option<Decided>, ApiError> {
    if let Err(refusal) = app::domain::sync::check_comments(comments) {
        return Ok(Some(Decided::rejected(refusal.code, refusal.message, None)));
    }
    let ids: Vec<Uuid> = comments.iter().map(|c| c.id).collect();
    let taken = !ids.is_empty()
        && plan_comment::Entity::find()
            .filter(plan_comment::Column::Id.is_in(ids))
            .count(batch.txn)
            .await?
            > 0;
    if taken {
        return Ok(Some(Decided::rejected(
            "comment.id_taken",
            "Mã nhận xét đã được dùng. Hãy tải lại trang.",
            None,
        )));
    }
    Ok(None)
}

pub(super) async fn insert_comments(
    batch: &Batch<'_>,
    plan_id: Uuid,
    comments: &[NewComment],
) -> Result<(), ApiError> {
    for c in comments {
        plan_comment::ActiveModel {
            id: Set(c.id),
            plan_id: Set(plan_id),
            path: Set(c.path.clone()),
            body: Set(c.body.trim().to_owned()),
            author_id: Set(batch.user.id),
            created_at: Set(batch.now),
            seq: Set(seq::next(batch.txn).await?),
        }
        .insert(batch.txn)
        .await?;
    }
    Ok(())
}
