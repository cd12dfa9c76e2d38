//! Field edits: checked against the document's shape, merged three ways, validated, written.

use super::*;

pub(super) async fn edit(
    batch: &mut Batch<'_>,
    m: &Mutation,
    plan: plan::Model,
    changes: &[FieldChange],
) -> Result<Decided, ApiError> {
    if acting_as(batch, &plan).await? != Some(Role::Editor) {
        return Ok(forbidden(Some(plan)));
    }
    let status = records::status(&plan)?;
    // The yearly report of actual admissions goes on after submission and approval.
    let report_only = !changes.is_empty()
        && changes
            .iter()
            .all(|c| app::domain::plan::is_report_path(&c.path));
    if !status.is_editable() && !report_only {
        return Ok(Decided::rejected(
            "plan.not_editable",
            format!(
                "Kế hoạch đang ở trạng thái «{}» nên không sửa được. Thay đổi này được giữ lại để bạn nhập lại khi kế hoạch được trả lại.",
                status.label()
            ),
            Some(plan),
        ));
    }
    let current = records::document(&plan)?;
    // Every change must fit the document's shape, whether or not it conflicts: a conflict shown
    // to the user must offer a value that could be kept.
    for change in changes {
        if let Err(e) = path::check(&change.path) {
            return Ok(path_refusal(&e, &change.path, plan));
        }
    }
    if let Err(e) = path::apply(
        &current,
        changes.iter().map(|c| (c.path.as_str(), &c.value)),
    ) {
        let at = match &e {
            PathError::NoSuchField(p) | PathError::WrongShape { path: p, .. } => p.clone(),
            PathError::BadSyntax => String::new(),
        };
        return Ok(path_refusal(&e, &at, plan));
    }
    let current_json: Value =
        serde_json::to_value(&current).map_err(|e| ApiError::Internal(e.to_string()))?;

    let FieldMerge {
        write,
        applied: applied_paths,
        conflicts,
    } = merge_changes(&current_json, changes);

    let updated = match path::apply(&current, write.iter().map(|(p, v)| (p.as_str(), v))) {
        Ok(doc) => doc,
        // Each value fits on its own (checked above); together with the server's values they
        // may not (a whole section replaced while a field inside it conflicts).
        Err(e) => return Ok(path_refusal(&e, "", plan)),
    };
    let campaign = campaign_of(batch, &plan).await?;
    let (_, profile) = unit_of(batch, plan.unit_id).await?;
    let report = validate(
        &updated,
        PlanContext {
            campaign: &campaign,
            unit: &profile,
        },
    );
    let mut blocking: Vec<Finding> = report.blocking_save().cloned().collect();
    if report_only && !status.is_editable() {
        // After submission only the yearly report changes, and it must be right as it is
        // saved: there is no later submission to check it.
        blocking.extend(
            report
                .errors()
                .filter(|f| app::domain::plan::is_report_path(&f.path))
                .cloned(),
        );
    }
    if let Some(first) = blocking.first() {
        return Ok(Decided::rejected_with(
            first.rule.code(),
            first.message.clone(),
            blocking,
            Some(plan),
        ));
    }

    let plan = if updated == current {
        plan
    } else {
        let json =
            serde_json::to_string(&updated).map_err(|e| ApiError::Internal(e.to_string()))?;
        let seq = seq::next(batch.txn).await?;
        let mut active: plan::ActiveModel = plan.into();
        active.document = Set(json);
        active.revision = Set(active.revision.take().unwrap_or(0) + 1);
        active.seq = Set(seq);
        active.updated_at = Set(batch.now);
        let row = active.update(batch.txn).await?;
        record_version(batch, &row, Some(m.id)).await?;
        audit_plan(
            batch,
            "plan.edit",
            row.id,
            Some(format!("{} trường", write.len())),
        )
        .await?;
        row
    };
    if conflicts.is_empty() {
        Ok(Decided::applied(plan))
    } else {
        Ok(Decided {
            stored: Stored::Conflict {
                applied: applied_paths,
                conflicts,
            },
            plan: Some(plan),
            retryable: false,
        })
    }
}

fn path_refusal(e: &PathError, at: &str, plan: plan::Model) -> Decided {
    let message = match e {
        PathError::BadSyntax => "Đường dẫn trường không hợp lệ.".to_owned(),
        PathError::NoSuchField(_) => format!("Kế hoạch không có trường «{at}»."),
        PathError::WrongShape { .. } => {
            format!("Giá trị của trường «{at}» không đúng kiểu dữ liệu.")
        }
    };
    Decided::rejected(e.code(), message, Some(plan))
}
