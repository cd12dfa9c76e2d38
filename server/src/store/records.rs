//! Conversions between stored rows and the domain's wire types, and the lookups the sync
//! handlers share.

use app::domain::rules::{CellRef, UnitProfile};
use app::domain::sync::{CampaignRecord, Comment, PlanSnapshot, ReviewEvent, UnitRecord};
use app::domain::workflow::PlanAction;
use app::domain::{
    Campaign, Categories, CommitteeKind, PlanDocument, PlanStatus, Role, Roles, Term,
    TermTotalRule, UnitKind, UnitLevel,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::store::StoreError;
use crate::store::entities::{campaign, org_unit, plan, plan_comment, review_event, user_account};

/// A stored value the code cannot read: a bug or a hand-edited database, never user input.
fn corrupt(what: &str, id: impl std::fmt::Display, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("corrupt {what} {id}: {detail}"))
}

fn seq(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub fn campaign(m: &campaign::Model) -> Result<Campaign, StoreError> {
    let term = Term::new(
        u16::try_from(m.term_start).unwrap_or(0),
        u16::try_from(m.term_end).unwrap_or(0),
    )
    .map_err(|e| corrupt("campaign term", m.id, e))?;
    let years = m
        .years
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::parse::<u16>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| corrupt("campaign years", m.id, e))?;
    let rule = TermTotalRule::from_code(&m.term_total_rule)
        .ok_or_else(|| corrupt("campaign rule", m.id, &m.term_total_rule))?;
    let categories = match &m.categories {
        None => Categories::classic(),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| corrupt("campaign categories", m.id, e))?
        }
    };
    let coverage = match &m.coverage {
        None => Vec::new(),
        Some(text) => {
            serde_json::from_str(text).map_err(|e| corrupt("campaign coverage", m.id, e))?
        }
    };
    Ok(Campaign {
        id: m.id,
        opener_id: m.opener_id,
        letter_number: m.letter_number.clone(),
        letter_date: m.letter_date,
        title: m.title.clone(),
        term,
        years,
        deadline: m.deadline,
        term_total_rule: rule,
        categories,
        coverage,
    })
}

/// A campaign row as the wire carries it, with the units it asks (read by
/// `store::campaigns::units_of`).
pub fn campaign_record(
    m: &campaign::Model,
    units: Vec<Uuid>,
) -> Result<CampaignRecord, StoreError> {
    let own_target = match &m.own_target {
        None => None,
        Some(text) => {
            Some(serde_json::from_str(text).map_err(|e| corrupt("campaign own target", m.id, e))?)
        }
    };
    Ok(CampaignRecord {
        campaign: campaign(m)?,
        seq: seq(m.seq),
        units,
        own_target,
    })
}

pub fn years_column(years: &[u16]) -> String {
    years
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn status(m: &plan::Model) -> Result<PlanStatus, StoreError> {
    PlanStatus::from_code(&m.status).ok_or_else(|| corrupt("plan status", m.id, &m.status))
}

/// A stored plan's document, at the current version (migration 000010 renumbered every stored
/// document; one written since by anything older still reads right).
pub fn document(m: &plan::Model) -> Result<PlanDocument, StoreError> {
    let mut doc: PlanDocument =
        serde_json::from_str(&m.document).map_err(|e| corrupt("plan document", m.id, e))?;
    app::domain::plan::upgrade(&mut doc);
    Ok(doc)
}

pub fn snapshot(m: &plan::Model) -> Result<PlanSnapshot, StoreError> {
    Ok(PlanSnapshot {
        id: m.id,
        unit_id: m.unit_id,
        campaign_id: m.campaign_id,
        revision: seq(m.revision),
        status: status(m)?,
        document: document(m)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at_device: m.submitted_at_device,
        received_at: m.received_at,
        seq: seq(m.seq),
    })
}

pub fn unit_record(m: &org_unit::Model) -> Result<UnitRecord, StoreError> {
    Ok(UnitRecord {
        id: m.id,
        parent_id: m.parent_id,
        code: m.code.clone(),
        name: m.name.clone(),
        level: UnitLevel::from_code(&m.level)
            .ok_or_else(|| corrupt("unit level", m.id, &m.level))?,
        kind: match &m.kind {
            None => None,
            Some(k) => Some(UnitKind::from_code(k).ok_or_else(|| corrupt("unit kind", m.id, k))?),
        },
        has_subordinate_cells: m.has_subordinate_cells,
        member_count: u32::try_from(m.member_count).unwrap_or(0),
        sort_order: m.sort_order,
        seq: seq(m.seq),
        committee: match &m.committee {
            None => None,
            Some(k) => Some(
                CommitteeKind::from_code(k).ok_or_else(|| corrupt("committee kind", m.id, k))?,
            ),
        },
        office_name: m.office_name.clone(),
    })
}

/// Authors' names and roles for comments and events.
pub struct People(std::collections::HashMap<Uuid, (String, Role)>);

impl People {
    /// Loads the named users.
    ///
    /// # Errors
    /// The database error.
    pub async fn load<C: ConnectionTrait>(
        db: &C,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<People, StoreError> {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let mut map = std::collections::HashMap::new();
        if !ids.is_empty() {
            for u in user_account::Entity::find()
                .filter(user_account::Column::Id.is_in(ids))
                .all(db)
                .await?
            {
                // The role a remark or an event is shown under. An account holding both
                // writes remarks on its subordinates' plans, so the reviewer's comes first.
                let role = Roles::from_codes(&u.roles)
                    .and_then(|r| r.primary())
                    .unwrap_or(Role::Editor);
                map.insert(u.id, (u.display_name, role));
            }
        }
        Ok(People(map))
    }

    fn get(&self, id: Uuid) -> (String, Role) {
        self.0
            .get(&id)
            .cloned()
            .unwrap_or_else(|| ("(không rõ)".to_owned(), Role::Editor))
    }
}

pub fn comment(m: &plan_comment::Model, people: &People) -> Comment {
    let (author, author_role) = people.get(m.author_id);
    Comment {
        id: m.id,
        plan_id: m.plan_id,
        path: m.path.clone(),
        body: m.body.clone(),
        author,
        author_role,
        created_at: m.created_at,
        seq: seq(m.seq),
    }
}

pub fn review_event(m: &review_event::Model, people: &People) -> Result<ReviewEvent, StoreError> {
    let (actor, actor_role) = people.get(m.actor_id);
    let status = |s: &str| PlanStatus::from_code(s).ok_or_else(|| corrupt("event status", m.id, s));
    Ok(ReviewEvent {
        id: m.id,
        plan_id: m.plan_id,
        action: PlanAction::from_code(&m.action)
            .ok_or_else(|| corrupt("event action", m.id, &m.action))?,
        from_status: status(&m.from_status)?,
        to_status: status(&m.to_status)?,
        revision: seq(m.revision),
        actor,
        actor_role,
        at: m.at,
        seq: seq(m.seq),
    })
}

/// What the rules need to know about a unit: its registered members and its cells.
///
/// # Errors
/// The database error, or not found.
pub async fn unit_profile<C: ConnectionTrait>(
    db: &C,
    unit_id: Uuid,
) -> Result<UnitProfile, StoreError> {
    let unit = org_unit::Entity::find_by_id(unit_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("đơn vị"))?;
    let cells = org_unit::Entity::find()
        // Its breakdown is by every unit directly under it: a grassroots committee's cells, or
        // a commune's grassroots organisations and cells since 2025.
        .filter(org_unit::Column::ParentId.eq(unit_id))
        .order_by_asc(org_unit::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CellRef {
            id: c.id,
            name: c.name,
        })
        .collect();
    Ok(UnitProfile {
        id: unit.id,
        name: unit.name,
        member_count: u32::try_from(unit.member_count).unwrap_or(0),
        cells,
    })
}
