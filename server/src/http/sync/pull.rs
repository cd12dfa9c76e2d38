//! `GET /api/v1/sync/pull?cursor=N&limit=M`: the changes after a cursor that the user may see.

use app::domain::Role;
use app::domain::sync::{Change, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, PullPage};
use axum::Json;
use axum::extract::State;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::http::extract::ApiQuery;
use crate::http::openapi::{Malformed, NeedsLogin};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::entities::{campaign, campaign_unit, org_unit, plan, plan_comment, review_event};
use crate::store::records::{self, People};
use crate::store::{campaigns, seq, units};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The `next_cursor` of the last page read; 0 (the default) from the start.
    #[serde(default)]
    pub cursor: u64,
    /// Most changes in the page (default 200, at most 500: larger asks get 500).
    pub limit: Option<u32>,
    /// The plan document version the device reads (`SCHEMA_VERSION`, 2 in this release).
    /// Absent: a device of the first release, which reads version 1 and is sent only what it
    /// can read until it updates (`docs/SYNC.md`, "Document versions").
    pub schema: Option<u32>,
}

/// What a user may see: the union of what each of its roles shows.
struct Scope {
    /// As editor: its unit's plans and the campaigns that ask its unit; its unit, its cells, and
    /// the unit above it, which opened those campaigns.
    edits: Option<(Uuid, Option<Uuid>)>,
    /// As reviewer: the plans of the units directly under its unit; its unit, those units and
    /// their cells; its unit's campaigns.
    reviews: Option<Uuid>,
    /// As administrator: the units it manages (`None`: every unit — an administrator with no
    /// unit) and the campaigns they opened; no plans.
    administers: Option<Option<Uuid>>,
}

impl Scope {
    fn of(user: &AuthUser) -> Scope {
        Scope {
            edits: user
                .unit_id
                .filter(|_| user.has(Role::Editor))
                .map(|unit| (unit, user.parent_id)),
            reviews: user.unit_id.filter(|_| user.has(Role::Reviewer)),
            administers: user.has(Role::Administrator).then_some(user.unit_id),
        }
    }
}

/// `SELECT id FROM org_unit WHERE parent_id = district`
fn units_of(district: Uuid) -> SelectStatement {
    Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(Expr::col(org_unit::Column::ParentId).eq(district))
        .to_owned()
}

/// The plans a scope covers, as a condition on `plan`; `None` if it covers none. A reviewer
/// near the head walks the plans changed after its cursor and checks each one's unit; one far
/// behind seeks its units' plans.
fn plan_condition(scope: &Scope, reach: Reach) -> Option<Condition> {
    let mut any = Condition::any();
    if let Some((unit, _)) = scope.edits {
        any = any.add(Expr::col((plan::Entity, plan::Column::UnitId)).eq(unit));
    }
    if let Some(reviewer) = scope.reviews {
        any = any.add(match reach {
            Reach::Walk => Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(org_unit::Entity)
                    .and_where(
                        Expr::col((org_unit::Entity, org_unit::Column::Id))
                            .equals((plan::Entity, plan::Column::UnitId)),
                    )
                    .and_where(
                        Expr::col((org_unit::Entity, org_unit::Column::ParentId)).eq(reviewer),
                    )
                    .to_owned(),
            ),
            Reach::PerPlan => {
                Expr::col((plan::Entity, plan::Column::UnitId)).in_subquery(units_of(reviewer))
            }
        });
    }
    (!any.is_empty()).then_some(any)
}

/// How a pull finds the rows of a table that belong to the user's plans (comments, review
/// events) after its cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// Walk the rows after the cursor by their `seq` index and look each one's plan up by its
    /// key: the cost follows the distance to the head, whatever the user's past.
    Walk,
    /// Seek each of the user's plans in the `(plan_id, seq)` index: the cost follows the
    /// number of plans the user may see, whatever the rest of the database holds.
    PerPlan,
}

/// Above this many numbers behind the head, walking would read more rows than seeking the
/// user's plans one by one (a walk step costs about a quarter of a seek, and a reviewer's
/// plans after years number in the thousands). Measured by `scripts/bench-history.sh`.
const WALK_LIMIT: i64 = 2_000;

/// A device near the head walks; one far behind (new, or back after months) seeks plan by
/// plan. Either alone grows with something: the walk with the history after the cursor, the
/// seeks with the user's own past, on every round.
fn reach(head: i64, cursor: i64) -> Reach {
    if head.saturating_sub(cursor) <= WALK_LIMIT {
        Reach::Walk
    } else {
        Reach::PerPlan
    }
}

/// `ORDER BY seq`, or, seeking, `ORDER BY seq + 0`: the same order, but one the `seq` index
/// cannot give. Without it PostgreSQL, seeing `LIMIT`, walks that index from the cursor and
/// filters — the walk `Reach::PerPlan` is there to avoid — and on a database with a million
/// history rows a new reviewer's device took 6 s to pull instead of 0.8 s.
fn in_order(seq: impl sea_orm::sea_query::IntoColumnRef, reach: Reach) -> Expr {
    match reach {
        Reach::Walk => Expr::col(seq),
        Reach::PerPlan => Expr::col(seq).add(0),
    }
}

/// The condition on a table whose rows belong to a plan (comments, review events) that keeps
/// the rows of the plans the user may see, in the form `reach` says.
fn of_visible_plan(
    scope: &Scope,
    reach: Reach,
    plan_id: (
        impl sea_orm::sea_query::IntoIden,
        impl sea_orm::sea_query::IntoIden,
    ),
) -> Option<Condition> {
    // Checking one plan looked up by its key, the unit list is the cheaper form.
    let visible = plan_condition(scope, Reach::PerPlan)?;
    let mut q = Query::select();
    match reach {
        Reach::Walk => {
            // `EXISTS (SELECT 1 FROM plan WHERE plan.id = <row>.plan_id AND <visible>)`
            q.expr(Expr::val(1))
                .from(plan::Entity)
                .and_where(Expr::col((plan::Entity, plan::Column::Id)).equals(plan_id))
                .cond_where(visible);
            Some(Condition::all().add(Expr::exists(q.to_owned())))
        }
        Reach::PerPlan => {
            // `<row>.plan_id IN (SELECT id FROM plan WHERE <visible>)`
            q.column((plan::Entity, plan::Column::Id))
                .from(plan::Entity)
                .cond_where(visible);
            Some(Condition::all().add(Expr::col(plan_id).in_subquery(q.to_owned())))
        }
    }
}

/// `GET /api/v1/sync/pull`
#[utoipa::path(
    get,
    path = "/sync/pull",
    operation_id = "pull",
    summary = "The changes after a cursor that this user may see",
    security(("session" = [])),
    params(PullQuery),
    responses(
        (status = 200, description = "A page of changes in sequence order", body = PullPage),
        Malformed,
        NeedsLogin,
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullPage>, ApiError> {
    let limit = query
        .limit
        .unwrap_or(DEFAULT_PULL_LIMIT)
        .clamp(1, MAX_PULL_LIMIT);
    let cursor = i64::try_from(query.cursor).unwrap_or(i64::MAX);
    let fetch = u64::from(limit) + 1;
    let scope = Scope::of(&user);
    let db = &state.read;
    let mut changes: Vec<(u64, Change)> = Vec::new();
    let reach = reach(seq::head(db).await?, cursor);

    if let Some(condition) = plan_condition(&scope, reach) {
        for row in plan::Entity::find()
            .filter(condition)
            .filter(plan::Column::Seq.gt(cursor))
            .order_by(in_order(plan::Column::Seq, reach), Order::Asc)
            .limit(fetch)
            .all(db)
            .await?
        {
            let snapshot = records::snapshot(&row)?;
            changes.push((snapshot.seq, Change::Plan(Box::new(snapshot))));
        }
    }

    if let (Some(of_comment), Some(of_event)) = (
        of_visible_plan(
            &scope,
            reach,
            (plan_comment::Entity, plan_comment::Column::PlanId),
        ),
        of_visible_plan(
            &scope,
            reach,
            (review_event::Entity, review_event::Column::PlanId),
        ),
    ) {
        let comments = plan_comment::Entity::find()
            .filter(of_comment)
            .filter(plan_comment::Column::Seq.gt(cursor))
            .order_by(in_order(plan_comment::Column::Seq, reach), Order::Asc)
            .limit(fetch)
            .all(db)
            .await?;
        let events = review_event::Entity::find()
            .filter(of_event)
            .filter(review_event::Column::Seq.gt(cursor))
            .order_by(in_order(review_event::Column::Seq, reach), Order::Asc)
            .limit(fetch)
            .all(db)
            .await?;
        let people = People::load(
            db,
            comments
                .iter()
                .map(|c| c.author_id)
                .chain(events.iter().map(|e| e.actor_id)),
        )
        .await?;
        for c in &comments {
            let comment = records::comment(c, &people);
            changes.push((comment.seq, Change::Comment(comment)));
        }
        for e in &events {
            let event = records::review_event(e, &people)?;
            changes.push((event.seq, Change::ReviewEvent(event)));
        }
    }

    // An administrator of a subtree: its units, read once per pull (a few thousand ids).
    let managed = match scope.administers {
        Some(Some(root)) => Some(units::subtree(db, root).await?),
        _ => None,
    };
    let campaign_condition = if scope.administers == Some(None) {
        Some(Condition::all())
    } else {
        let mut any = Condition::any();
        if let Some(units) = &managed {
            any = any.add(campaign::Column::OpenerId.is_in(units.iter().copied()));
        }
        if let Some((unit, above)) = scope.edits {
            // The campaigns that ask its unit (`Campaign::asks`): those that list it, and those
            // of the unit above that list no units; not those that chose other units.
            let listing = |unit: Option<Uuid>| {
                let mut q = Query::select();
                q.column(campaign_unit::Column::CampaignId)
                    .from(campaign_unit::Entity);
                if let Some(unit) = unit {
                    q.and_where(Expr::col(campaign_unit::Column::UnitId).eq(unit));
                }
                q.to_owned()
            };
            any = any.add(campaign::Column::Id.in_subquery(listing(Some(unit))));
            if let Some(above) = above {
                any = any.add(
                    Condition::all()
                        .add(campaign::Column::OpenerId.eq(above))
                        .add(campaign::Column::Id.not_in_subquery(listing(None))),
                );
            }
        }
        if let Some(reviewer) = scope.reviews {
            any = any.add(campaign::Column::OpenerId.eq(reviewer));
        }
        (!any.is_empty()).then_some(any)
    };
    if let Some(condition) = campaign_condition {
        let rows = campaign::Entity::find()
            .filter(condition)
            .filter(campaign::Column::Seq.gt(cursor))
            .order_by_asc(campaign::Column::Seq)
            .limit(fetch)
            .all(db)
            .await?;
        for record in campaigns::records(db, &rows).await? {
            changes.push((record.seq, Change::Campaign(record)));
        }
    }

    let unit_condition = if scope.administers == Some(None) {
        Some(Condition::all())
    } else {
        let mut any = Condition::any();
        if let Some(units) = &managed {
            any = any.add(org_unit::Column::Id.is_in(units.iter().copied()));
        }
        if let Some((unit, above)) = scope.edits {
            any = any
                .add(org_unit::Column::Id.eq(unit))
                .add(org_unit::Column::ParentId.eq(unit));
            if let Some(above) = above {
                any = any.add(org_unit::Column::Id.eq(above));
            }
        }
        if let Some(reviewer) = scope.reviews {
            any = any
                .add(org_unit::Column::Id.eq(reviewer))
                .add(org_unit::Column::ParentId.eq(reviewer))
                .add(org_unit::Column::ParentId.in_subquery(units_of(reviewer)));
        }
        (!any.is_empty()).then_some(any)
    };
    if let Some(condition) = unit_condition {
        for row in org_unit::Entity::find()
            .filter(condition)
            .filter(org_unit::Column::Seq.gt(cursor))
            .order_by_asc(org_unit::Column::Seq)
            .limit(fetch)
            .all(db)
            .await?
        {
            let record = records::unit_record(&row)?;
            changes.push((record.seq, Change::Unit(record)));
        }
    }

    // Each kind was read up to limit+1 rows past the cursor, so the first `limit` of the merged
    // list are exactly the first `limit` changes overall.
    changes.sort_by_key(|(seq, _)| *seq);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let has_more = changes.len() > limit;
    changes.truncate(limit);
    let next_cursor = changes.last().map_or(query.cursor, |(seq, _)| *seq);
    let reads = query
        .schema
        .unwrap_or(app::domain::plan::FIRST_SCHEMA_VERSION);
    // For a device of an earlier release: which campaigns of this page's plans it may be sent
    // (one query, only for such devices).
    let mut readable_campaigns = std::collections::HashSet::new();
    if reads < app::domain::plan::SCHEMA_VERSION {
        let ids: std::collections::BTreeSet<Uuid> = changes
            .iter()
            .filter_map(|(_, c)| match c {
                Change::Plan(p) => Some(p.campaign_id),
                _ => None,
            })
            .collect();
        if !ids.is_empty() {
            for row in campaign::Entity::find()
                .filter(campaign::Column::Id.is_in(ids))
                .all(db)
                .await?
            {
                if records::campaign(&row)?.is_first_release_shape() {
                    readable_campaigns.insert(row.id);
                }
            }
        }
    }
    Ok(Json(PullPage {
        changes: app::domain::sync::readable_by(
            changes.into_iter().map(|(_, c)| c),
            reads,
            |campaign| readable_campaigns.contains(&campaign),
        ),
        next_cursor,
        has_more,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_near_the_head_walks_and_one_far_behind_seeks_plan_by_plan() {
        assert_eq!(reach(10_000, 10_000), Reach::Walk);
        assert_eq!(reach(10_000, 10_000 - WALK_LIMIT), Reach::Walk);
        assert_eq!(reach(10_000, 10_000 - WALK_LIMIT - 1), Reach::PerPlan);
        assert_eq!(reach(1_000_000, 0), Reach::PerPlan);
        // A cursor past the head (a device restored from another server's backup) walks: it
        // finds nothing either way, and a walk finds it soonest.
        assert_eq!(reach(5, i64::MAX), Reach::Walk);
        assert_eq!(reach(i64::MAX, i64::MIN), Reach::PerPlan);
    }
}
