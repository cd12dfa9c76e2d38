//! A plan's history: its versions at each change of status (submitted, returned, approved…)
//! and the field-by-field difference between any two revisions — what the unit changed after
//! a return. Visible to the plan's unit and to its district's reviewers.

use app::domain::path;
use app::domain::wire::{PlanDiff, VersionSummary};
use app::domain::{PlanDocument, PlanStatus, capacity};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::http::extract::{ApiPath, ApiQuery};
use crate::http::openapi::{Malformed, Missing, NeedsLogin};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::entities::{org_unit, plan, plan_version, user_account};

/// The plan, if `user` may read it (others get 404: a plan's existence does not leak).
async fn readable_plan(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
) -> Result<plan::Model, ApiError> {
    let not_found = || ApiError::NotFound("kế hoạch");
    let plan = plan::Entity::find_by_id(id)
        .one(&state.read)
        .await?
        .ok_or_else(not_found)?;
    let reviewing_unit = org_unit::Entity::find_by_id(plan.unit_id)
        .one(&state.read)
        .await?
        .and_then(|u| u.parent_id);
    let allowed = capacity(&user.roles, user.unit_id, plan.unit_id, reviewing_unit).is_some();
    if allowed { Ok(plan) } else { Err(not_found()) }
}

/// `GET /api/v1/plans/{id}/versions`: the revisions where the status changed, and the latest.
#[utoipa::path(
    get,
    path = "/plans/{id}/versions",
    operation_id = "planVersions",
    summary = "A plan's history: each revision where its status changed, and the latest",
    security(("session" = [])),
    params(("id" = Uuid, Path, description = "The plan")),
    responses(
        (status = 200, description = "Oldest first", body = Vec<VersionSummary>),
        Malformed,
        NeedsLogin,
        Missing,
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<VersionSummary>>, ApiError> {
    readable_plan(&state, &user, id).await?;
    let rows: Vec<(i64, String, DateTime<Utc>, Option<Uuid>)> = plan_version::Entity::find()
        .select_only()
        .column(plan_version::Column::Revision)
        .column(plan_version::Column::Status)
        .column(plan_version::Column::CreatedAt)
        .column(plan_version::Column::AuthorId)
        .filter(plan_version::Column::PlanId.eq(id))
        .order_by_asc(plan_version::Column::Revision)
        .into_tuple()
        .all(&state.read)
        .await?;
    let authors: std::collections::BTreeSet<Uuid> = rows.iter().filter_map(|r| r.3).collect();
    let names: std::collections::HashMap<Uuid, String> = if authors.is_empty() {
        Default::default()
    } else {
        user_account::Entity::find()
            .filter(user_account::Column::Id.is_in(authors))
            .all(&state.read)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    let last = rows.last().map(|r| r.0);
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for (revision, status, at, author) in rows {
        let changed = previous.as_deref() != Some(status.as_str());
        if changed || Some(revision) == last {
            out.push(VersionSummary {
                revision,
                status: PlanStatus::from_code(&status)
                    .ok_or_else(|| ApiError::Internal(format!("plan {id}: status {status}")))?,
                at,
                author: author.and_then(|a| names.get(&a).cloned()),
            });
        }
        previous = Some(status);
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older revision.
    pub from: i64,
    /// The newer revision.
    pub to: i64,
}

async fn document_at(state: &AppState, id: Uuid, revision: i64) -> Result<PlanDocument, ApiError> {
    let row = plan_version::Entity::find_by_id((id, revision))
        .one(&state.read)
        .await?
        .ok_or(ApiError::NotFound("phiên bản kế hoạch"))?;
    let mut doc: PlanDocument = serde_json::from_str(&row.document)
        .map_err(|e| ApiError::Internal(format!("plan {id} r{revision}: {e}")))?;
    // A version a release before migration 000010 wrote and it missed reads as today's.
    app::domain::plan::upgrade(&mut doc);
    Ok(doc)
}

/// `GET /api/v1/plans/{id}/diff?from=R&to=S`: the fields that differ between two revisions.
#[utoipa::path(
    get,
    path = "/plans/{id}/diff",
    operation_id = "planDiff",
    summary = "The fields that differ between two revisions of a plan",
    security(("session" = [])),
    params(("id" = Uuid, Path, description = "The plan"), DiffQuery),
    responses(
        (status = 200, description = "The differences", body = PlanDiff),
        Malformed,
        NeedsLogin,
        Missing,
    )
)]
pub async fn diff(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<PlanDiff>, ApiError> {
    readable_plan(&state, &user, id).await?;
    let before = document_at(&state, id, query.from).await?;
    let after = document_at(&state, id, query.to).await?;
    Ok(Json(PlanDiff {
        from: query.from,
        to: query.to,
        changes: path::diff(&before, &after),
    }))
}
