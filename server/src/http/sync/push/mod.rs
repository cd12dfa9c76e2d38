//! `POST /api/v1/sync/push`: applies a batch of mutations (see `docs/SYNC.md`).
//!
//! The whole batch runs in one transaction that first locks the change counter, so batches
//! are applied one after another and every check below sees a database no one else is
//! changing. Each mutation decides whether it applies *before* it writes anything, so a
//! refused mutation leaves nothing behind while the others in the batch still apply. Every
//! decided result is stored under the mutation's id in the same transaction, and a replayed id
//! gets that result back.
//!
//! This file holds the handler, the batch and what every operation shares; each operation's
//! decision is in its own file: `create`, `edit`, and `review` (submit, return, approve,
//! comment checks). The pure parts — the field merge, the comment checks, the timeliness
//! bound, the transition messages — are in `app::domain` (`merge`, `workflow`).

mod create;
mod edit;
mod review;

use create::create;
use edit::edit;
use review::{check_comments, insert_comments, transition};

use std::collections::{HashMap, HashSet};

use app::domain::merge::{FieldMerge, merge_changes};
use app::domain::path::{self, PathError};
use app::domain::rules::{Finding, UnitProfile};
use app::domain::sync::{
    FieldChange, FieldConflict, MAX_BATCH, MAX_CHANGES, Mutation, MutationResult, NewComment,
    Operation, PROTOCOL_VERSION, PushRequest, PushResponse,
};
use app::domain::workflow::{self, PlanAction};
use app::domain::{Campaign, PlanContext, PlanDocument, PlanStatus, Role, capacity, validate};
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

use crate::http::error::ApiError;
use crate::http::extract::client_ip;
use crate::http::extract::{ApiJson, PeerAddr};
use crate::http::openapi::{BodyRefused, Malformed, NeedsLogin, NotAllowed};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::audit;
use crate::store::entities::{
    applied_mutation, campaign, org_unit, plan, plan_comment, plan_version, review_event,
};
use crate::store::{records, seq};

/// A result as stored: the plan is left out (it is read fresh on replay, so a replaying device
/// learns the plan as it is now).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub(super) enum Stored {
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
pub(super) struct Decided {
    pub(super) stored: Stored,
    /// The plan the result is about (after the change), if the user may see it.
    pub(super) plan: Option<plan::Model>,
    /// Refusals that may succeed later are not stored.
    pub(super) retryable: bool,
}

impl Decided {
    pub(super) fn applied(plan: plan::Model) -> Decided {
        Decided {
            stored: Stored::Applied,
            plan: Some(plan),
            retryable: false,
        }
    }

    pub(super) fn rejected(
        code: &str,
        message: impl Into<String>,
        plan: Option<plan::Model>,
    ) -> Decided {
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

    pub(super) fn rejected_with(
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

    pub(super) fn retry_later(code: &str, message: impl Into<String>) -> Decided {
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
pub(super) struct Batch<'a> {
    pub(super) txn: &'a DatabaseTransaction,
    pub(super) user: &'a AuthUser,
    pub(super) device_id: Uuid,
    pub(super) ip: Option<String>,
    pub(super) now: DateTime<Utc>,
    /// Plans for which an earlier mutation of this batch met a conflict: submitting them now
    /// would send values the user has not seen.
    pub(super) conflicted: HashSet<Uuid>,
    /// Results already stored for this batch's mutation ids (read in one query up front, and
    /// added to as the batch goes, so an id repeated within the batch is answered once).
    pub(super) stored: HashMap<Uuid, applied_mutation::Model>,
    /// Units and campaigns read once per batch: a device's outbox is mostly edits of one plan.
    pub(super) units: HashMap<Uuid, (Option<Uuid>, UnitProfile)>,
    pub(super) campaigns: HashMap<Uuid, Campaign>,
}

/// `POST /api/v1/sync/push`
#[utoipa::path(
    post,
    path = "/sync/push",
    operation_id = "push",
    summary = "Send a device's outbox: one result per mutation, in order",
    description = "Each mutation is applied at most once (a replayed id gets its stored result \
                   back). A mutation that breaks a limit or a rule is refused in its own result \
                   (`rejected`), the rest of the batch still applies. See docs/SYNC.md.",
    security(("session" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "One result per mutation", body = PushResponse),
        Malformed,
        NeedsLogin,
        NotAllowed,
        BodyRefused,
    )
)]
pub async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
    user: AuthUser,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    // Devices of earlier releases keep pushing until they update; their answers are put in
    // the shape they read (`sync::results_for_protocol`).
    if !(app::domain::sync::FIRST_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&request.protocol) {
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
        results: app::domain::sync::results_for_protocol(results, request.protocol),
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
pub(super) async fn visible_plan(
    batch: &mut Batch<'_>,
    plan_id: Uuid,
) -> Result<Option<plan::Model>, ApiError> {
    let Some(plan) = plan::Entity::find_by_id(plan_id).one(batch.txn).await? else {
        return Ok(None);
    };
    let visible = acting_as(batch, &plan).await?.is_some();
    Ok(visible.then_some(plan))
}

/// In which role the user acts on this plan (`app::domain::capacity`), if any.
pub(super) async fn acting_as(
    batch: &mut Batch<'_>,
    plan: &plan::Model,
) -> Result<Option<Role>, ApiError> {
    let (reviewing_unit, _) = unit_of(batch, plan.unit_id).await?;
    Ok(capacity(
        &batch.user.roles,
        batch.user.unit_id,
        plan.unit_id,
        reviewing_unit,
    ))
}

/// A unit's parent and rule profile, read once per batch.
pub(super) async fn unit_of(
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
            if acting_as(batch, &plan).await?.is_none() {
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

pub(super) fn not_found() -> Decided {
    Decided::retry_later(
        "plan.not_found",
        "Máy chủ chưa có kế hoạch này (có thể thay đổi tạo kế hoạch chưa được gửi lên), hoặc tài khoản của bạn không có quyền với nó.",
    )
}

pub(super) fn forbidden(plan: Option<plan::Model>) -> Decided {
    Decided::rejected(
        "forbidden",
        "Tài khoản của bạn không có quyền thực hiện thao tác này.",
        plan,
    )
}

pub(super) async fn campaign_of(
    batch: &mut Batch<'_>,
    plan: &plan::Model,
) -> Result<Campaign, ApiError> {
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

pub(super) async fn record_version(
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

pub(super) async fn audit_plan(
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
