//! `POST /api/v1/sync/push`: applies a batch of mutations (see `docs/SYNC.md`).
//!
//! The whole batch runs in one transaction that first locks the change counter, so batches
//! are applied one after another and every check below sees a database no one else is
//! changing. Each mutation decides whether it applies *before* it writes anything, so a
//! refused mutation leaves nothing behind while the others in the batch still apply. Every
//! decided result is stored under the mutation's id in the same transaction, and a replayed id
//! gets that result back.

use std::collections::{HashMap, HashSet};

use app::domain::path::{self, PathError};
use app::domain::rules::{Finding, UnitProfile};
use app::domain::sync::{
    FieldChange, FieldConflict, MAX_BATCH, MAX_CHANGES, MAX_COMMENT_LEN, MAX_COMMENTS, Mutation,
    MutationResult, NewComment, Operation, PROTOCOL_VERSION, PushRequest, PushResponse,
};
use app::domain::workflow::{self, PlanAction, TransitionError};
use app::domain::{Campaign, PlanContext, PlanDocument, PlanStatus, Role, validate};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::api::{ApiJson, PeerAddr};
use crate::audit;
use crate::auth::{AuthUser, client_ip};
use crate::entities::{
    applied_mutation, campaign, org_unit, plan, plan_comment, plan_version, review_event,
};
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::{records, seq};

/// A result as stored: the plan is left out (it is read fresh on replay, so a replaying device
/// learns the plan as it is now).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum Stored {
    Applied,
    Conflict {
        applied: Vec<String>,
        conflicts: Vec<FieldConflict>,
    },
    Rejected {
        code: String,
        message: String,
        findings: Vec<Finding>,
    },
}

/// A decided mutation.
struct Decided {
    stored: Stored,
    /// The plan the result is about (after the change), if the user may see it.
    plan: Option<plan::Model>,
    /// Refusals that may succeed later are not stored.
    retryable: bool,
}

impl Decided {
    fn applied(plan: plan::Model) -> Decided {
        Decided {
            stored: Stored::Applied,
            plan: Some(plan),
            retryable: false,
        }
    }

    fn rejected(code: &str, message: impl Into<String>, plan: Option<plan::Model>) -> Decided {
        Decided {
            stored: Stored::Rejected {
                code: code.to_owned(),
                message: message.into(),
                findings: Vec::new(),
            },
            plan,
            retryable: false,
        }
    }

    fn rejected_with(
        code: &str,
        message: impl Into<String>,
        findings: Vec<Finding>,
        plan: Option<plan::Model>,
    ) -> Decided {
        Decided {
            stored: Stored::Rejected {
                code: code.to_owned(),
                message: message.into(),
                findings,
            },
            plan,
            retryable: false,
        }
    }

    fn retry_later(code: &str, message: impl Into<String>) -> Decided {
        Decided {
            stored: Stored::Rejected {
                code: code.to_owned(),
                message: message.into(),
                findings: Vec::new(),
            },
            plan: None,
            retryable: true,
        }
    }
}

/// What one request knows while it applies its batch.
struct Batch<'a> {
    txn: &'a DatabaseTransaction,
    user: &'a AuthUser,
    device_id: Uuid,
    ip: Option<String>,
    now: DateTime<Utc>,
    /// Plans for which an earlier mutation of this batch met a conflict: submitting them now
    /// would send values the user has not seen.
    conflicted: HashSet<Uuid>,
    /// Results already stored for this batch's mutation ids (read in one query up front, and
    /// added to as the batch goes, so an id repeated within the batch is answered once).
    stored: HashMap<Uuid, applied_mutation::Model>,
    /// Units and campaigns read once per batch: a device's outbox is mostly edits of one plan.
    units: HashMap<Uuid, (Option<Uuid>, UnitProfile)>,
    campaigns: HashMap<Uuid, Campaign>,
}

pub async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
    user: AuthUser,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(ApiError::BadRequest {
            code: "protocol.unsupported",
            message: "Ứng dụng trên máy này đã cũ so với máy chủ. Hãy tải lại trang để cập nhật; các thay đổi chưa đồng bộ vẫn được giữ.".into(),
            detail: Some(format!("protocol {} (server speaks {PROTOCOL_VERSION})", request.protocol)),
        });
    }
    if request.mutations.len() > MAX_BATCH {
        return Err(ApiError::BadRequest {
            code: "batch_too_large",
            message: format!("Mỗi lần chỉ gửi tối đa {MAX_BATCH} thay đổi."),
            detail: Some(format!("{} mutations", request.mutations.len())),
        });
    }
    let _slot = state
        .push_slots
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(format!("push slots closed: {e}")))?;
    let txn = state.db.begin().await?;
    seq::lock(&txn).await?;
    let mut batch = Batch {
        txn: &txn,
        user: &user,
        device_id: request.device_id,
        ip: client_ip(&headers, peer.0, state.config.trust_proxy),
        now: Utc::now(),
        conflicted: HashSet::new(),
        stored: applied_mutation::Entity::find()
            .filter(applied_mutation::Column::Id.is_in(request.mutations.iter().map(|m| m.id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect(),
        units: HashMap::new(),
        campaigns: HashMap::new(),
    };
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        results.push(apply_one(&mut batch, mutation).await?);
    }
    txn.commit().await?;
    Ok(Json(PushResponse {
        results,
        server_time: Utc::now(),
    }))
}

async fn apply_one(batch: &mut Batch<'_>, m: &Mutation) -> Result<MutationResult, ApiError> {
    if let Some(stored) = batch.stored.get(&m.id).cloned() {
        if stored.user_id != batch.user.id {
            // Another account's id: answer without revealing anything about it.
            return Ok(MutationResult::Rejected {
                mutation_id: m.id,
                code: "mutation.id_taken".into(),
                message: "Mã thay đổi đã được dùng. Hãy tải lại trang.".into(),
                findings: Vec::new(),
                retryable: false,
                plan: None,
            });
        }
        let decided: Stored = serde_json::from_str(&stored.result)
            .map_err(|e| ApiError::Internal(format!("stored result of {}: {e}", m.id)))?;
        let plan = visible_plan(batch, stored.plan_id).await?;
        return to_result(m.id, decided, plan.as_ref(), false);
    }

    let decided = decide(batch, m).await?;
    if !decided.retryable {
        let outcome = match &decided.stored {
            Stored::Applied => "applied",
            Stored::Conflict { .. } => "conflict",
            Stored::Rejected { .. } => "rejected",
        };
        let result = serde_json::to_string(&decided.stored)
            .map_err(|e| ApiError::Internal(format!("serialise result: {e}")))?;
        let row = applied_mutation::ActiveModel {
            id: Set(m.id),
            user_id: Set(batch.user.id),
            device_id: Set(batch.device_id),
            plan_id: Set(decided.plan.as_ref().map_or(m.plan_id, |p| p.id)),
            outcome: Set(outcome.to_owned()),
            result: Set(result),
            created_at: Set(batch.now),
        }
        .insert(batch.txn)
        .await?;
        batch.stored.insert(m.id, row);
    }
    if let (Stored::Conflict { .. }, Some(p)) = (&decided.stored, &decided.plan) {
        batch.conflicted.insert(p.id);
    }
    to_result(
        m.id,
        decided.stored,
        decided.plan.as_ref(),
        decided.retryable,
    )
}

fn to_result(
    mutation_id: Uuid,
    stored: Stored,
    plan: Option<&plan::Model>,
    retryable: bool,
) -> Result<MutationResult, ApiError> {
    let snapshot = plan.map(records::snapshot).transpose()?;
    Ok(match (stored, snapshot) {
        (Stored::Applied, Some(plan)) => MutationResult::Applied { mutation_id, plan },
        (Stored::Conflict { applied, conflicts }, Some(plan)) => MutationResult::Conflict {
            mutation_id,
            applied,
            conflicts,
            plan,
        },
        (
            Stored::Rejected {
                code,
                message,
                findings,
            },
            plan,
        ) => MutationResult::Rejected {
            mutation_id,
            code,
            message,
            findings,
            retryable,
            plan,
        },
        // Applied once, but the plan is no longer visible to this user (moved to another
        // unit): say so rather than invent a plan.
        (Stored::Applied | Stored::Conflict { .. }, None) => MutationResult::Rejected {
            mutation_id,
            code: "plan.not_found".into(),
            message: "Không tìm thấy kế hoạch này, hoặc tài khoản của bạn không còn quyền xem nó."
                .into(),
            findings: Vec::new(),
            retryable: false,
            plan: None,
        },
    })
}

/// The plan with this id, if it exists and the user may see it.
async fn visible_plan(
    batch: &mut Batch<'_>,
    plan_id: Uuid,
) -> Result<Option<plan::Model>, ApiError> {
    let Some(plan) = plan::Entity::find_by_id(plan_id).one(batch.txn).await? else {
        return Ok(None);
    };
    let visible = match batch.user.role {
        Role::UnitEditor => Some(plan.unit_id) == batch.user.unit_id,
        Role::DistrictReviewer => {
            let (parent, _) = unit_of(batch, plan.unit_id).await?;
            parent.is_some() && parent == batch.user.district_id
        }
        Role::Administrator => false,
    };
    Ok(visible.then_some(plan))
}

/// A unit's parent and rule profile, read once per batch.
async fn unit_of(
    batch: &mut Batch<'_>,
    unit_id: Uuid,
) -> Result<(Option<Uuid>, UnitProfile), ApiError> {
    if let Some(found) = batch.units.get(&unit_id) {
        return Ok(found.clone());
    }
    let parent = org_unit::Entity::find_by_id(unit_id)
        .one(batch.txn)
        .await?
        .ok_or(ApiError::NotFound("đơn vị"))?
        .parent_id;
    let profile = records::unit_profile(batch.txn, unit_id).await?;
    batch.units.insert(unit_id, (parent, profile.clone()));
    Ok((parent, profile))
}

async fn decide(batch: &mut Batch<'_>, m: &Mutation) -> Result<Decided, ApiError> {
    match &m.op {
        Operation::Create {
            unit_id,
            campaign_id,
            document,
        } => create(batch, m, *unit_id, *campaign_id, document).await,
        Operation::Edit { changes } => {
            let Some(plan) = visible_plan(batch, m.plan_id).await? else {
                return Ok(not_found());
            };
            if changes.len() > MAX_CHANGES {
                return Ok(Decided::rejected(
                    "too_many_changes",
                    format!("Mỗi thay đổi chỉ gồm tối đa {MAX_CHANGES} trường."),
                    Some(plan),
                ));
            }
            edit(batch, m, plan, changes).await
        }
        Operation::Submit { submitted_at } => {
            let Some(plan) = visible_plan(batch, m.plan_id).await? else {
                return Ok(not_found());
            };
            transition(batch, m, plan, PlanAction::Submit, &[], Some(*submitted_at)).await
        }
        Operation::Return { comments } => {
            let Some(plan) = visible_plan(batch, m.plan_id).await? else {
                return Ok(not_found());
            };
            if comments.is_empty() {
                return Ok(Decided::rejected(
                    "return.comment_required",
                    "Khi trả lại kế hoạch cần ghi ít nhất một nhận xét để đơn vị biết phải sửa gì.",
                    Some(plan),
                ));
            }
            transition(batch, m, plan, PlanAction::Return, comments, None).await
        }
        Operation::Approve { comment } => {
            let Some(plan) = visible_plan(batch, m.plan_id).await? else {
                return Ok(not_found());
            };
            let comments: Vec<NewComment> = comment.iter().cloned().collect();
            transition(batch, m, plan, PlanAction::Approve, &comments, None).await
        }
        Operation::Comment { comment } => {
            let Some(plan) = visible_plan(batch, m.plan_id).await? else {
                return Ok(not_found());
            };
            if batch.user.role == Role::Administrator {
                return Ok(forbidden(Some(plan)));
            }
            if let Some(refusal) = check_comments(batch, std::slice::from_ref(comment)).await? {
                return Ok(Decided {
                    plan: Some(plan),
                    ..refusal
                });
            }
            insert_comments(batch, plan.id, std::slice::from_ref(comment)).await?;
            audit_plan(batch, "plan.comment", plan.id, None).await?;
            Ok(Decided::applied(plan))
        }
    }
}

fn not_found() -> Decided {
    Decided::retry_later(
        "plan.not_found",
        "Máy chủ chưa có kế hoạch này (có thể thay đổi tạo kế hoạch chưa được gửi lên), hoặc tài khoản của bạn không có quyền với nó.",
    )
}

fn forbidden(plan: Option<plan::Model>) -> Decided {
    Decided::rejected(
        "forbidden",
        "Tài khoản của bạn không có quyền thực hiện thao tác này.",
        plan,
    )
}

async fn create(
    batch: &mut Batch<'_>,
    m: &Mutation,
    unit_id: Uuid,
    campaign_id: Uuid,
    document: &PlanDocument,
) -> Result<Decided, ApiError> {
    if batch.user.role != Role::UnitEditor || batch.user.unit_id != Some(unit_id) {
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
    if parent != Some(campaign.district_id) {
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
        let blank = PlanDocument::blank(&campaign.years, &cells);
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

async fn edit(
    batch: &mut Batch<'_>,
    m: &Mutation,
    plan: plan::Model,
    changes: &[FieldChange],
) -> Result<Decided, ApiError> {
    if batch.user.role != Role::UnitEditor {
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

    let mut to_apply: Vec<(&str, &Value)> = Vec::new();
    let mut applied_paths = Vec::new();
    let mut conflicts = Vec::new();
    for change in changes {
        let theirs = path::get(&current_json, &change.path);
        if theirs == change.value {
            // Already so on the server (the same edit from another device): nothing to do.
            applied_paths.push(change.path.clone());
        } else if theirs == change.base {
            to_apply.push((&change.path, &change.value));
            applied_paths.push(change.path.clone());
        } else {
            conflicts.push(FieldConflict {
                path: change.path.clone(),
                base: change.base.clone(),
                mine: change.value.clone(),
                theirs,
            });
        }
    }

    let updated = match path::apply(&current, to_apply.iter().copied()) {
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
            Some(format!("{} trường", to_apply.len())),
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

async fn transition(
    batch: &mut Batch<'_>,
    m: &Mutation,
    plan: plan::Model,
    action: PlanAction,
    comments: &[NewComment],
    submitted_at: Option<DateTime<Utc>>,
) -> Result<Decided, ApiError> {
    let from = records::status(&plan)?;
    let to = match workflow::next_status(from, action, batch.user.role) {
        Ok(to) => to,
        Err(e) => {
            let message = match e {
                TransitionError::RoleNotAllowed => {
                    format!(
                        "Tài khoản của bạn không được «{}».",
                        action.label().to_lowercase()
                    )
                }
                TransitionError::WrongStatus(status) => format!(
                    "Không thể «{}» khi kế hoạch đang ở trạng thái «{}».",
                    action.label().to_lowercase(),
                    status.label()
                ),
            };
            return Ok(Decided::rejected(e.code(), message, Some(plan)));
        }
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
        // The device's clock decides timeliness, within bounds it cannot have broken: not
        // after the server received it, not before the campaign was opened. Only the first
        // submission counts: a resubmission after the district's return is not late.
        let clamped = device_time.min(batch.now).max(opened);
        active.submitted_at_device = Set(Some(clamped));
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

async fn check_comments(
    batch: &Batch<'_>,
    comments: &[NewComment],
) -> Result<Option<Decided>, ApiError> {
    if comments.len() > MAX_COMMENTS {
        return Ok(Some(Decided::rejected(
            "comment.too_many",
            format!("Mỗi lần chỉ gửi tối đa {MAX_COMMENTS} nhận xét."),
            None,
        )));
    }
    for c in comments {
        let len = c.body.trim().chars().count();
        if len == 0 {
            return Ok(Some(Decided::rejected(
                "comment.empty",
                "Nhận xét không được để trống.",
                None,
            )));
        }
        if c.body.chars().count() > MAX_COMMENT_LEN {
            return Ok(Some(Decided::rejected(
                "comment.too_long",
                format!("Mỗi nhận xét dài tối đa {MAX_COMMENT_LEN} ký tự."),
                None,
            )));
        }
        if let Some(p) = &c.path
            && path::check(p).is_err()
        {
            return Ok(Some(Decided::rejected(
                "path.syntax",
                "Nhận xét gắn với một trường không hợp lệ.",
                None,
            )));
        }
    }
    let ids: Vec<Uuid> = comments.iter().map(|c| c.id).collect();
    let unique: HashSet<&Uuid> = ids.iter().collect();
    let taken = !ids.is_empty()
        && (unique.len() != ids.len()
            || plan_comment::Entity::find()
                .filter(plan_comment::Column::Id.is_in(ids))
                .count(batch.txn)
                .await?
                > 0);
    if taken {
        return Ok(Some(Decided::rejected(
            "comment.id_taken",
            "Mã nhận xét đã được dùng. Hãy tải lại trang.",
            None,
        )));
    }
    Ok(None)
}

async fn insert_comments(
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

async fn campaign_of(batch: &mut Batch<'_>, plan: &plan::Model) -> Result<Campaign, ApiError> {
    if let Some(found) = batch.campaigns.get(&plan.campaign_id) {
        return Ok(found.clone());
    }
    let row = campaign::Entity::find_by_id(plan.campaign_id)
        .one(batch.txn)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("plan {} without campaign", plan.id)))?;
    let campaign = records::campaign(&row)?;
    batch.campaigns.insert(campaign.id, campaign.clone());
    Ok(campaign)
}

async fn record_version(
    batch: &Batch<'_>,
    plan: &plan::Model,
    mutation: Option<Uuid>,
) -> Result<(), ApiError> {
    plan_version::ActiveModel {
        plan_id: Set(plan.id),
        revision: Set(plan.revision),
        status: Set(plan.status.clone()),
        document: Set(plan.document.clone()),
        mutation_id: Set(mutation),
        author_id: Set(Some(batch.user.id)),
        created_at: Set(batch.now),
    }
    .insert(batch.txn)
    .await?;
    Ok(())
}

async fn audit_plan(
    batch: &Batch<'_>,
    action: &str,
    plan: Uuid,
    detail: Option<String>,
) -> Result<(), ApiError> {
    audit::record(
        batch.txn,
        Some(batch.user.id),
        Some(&batch.user.username),
        action,
        Some(plan.to_string()),
        detail,
        batch.ip.as_deref(),
    )
    .await?;
    Ok(())
}
