//! Everything one user keeps on one device, and how it changes: local edits recorded as
//! mutations in an outbox, results of a push, pages of a pull. Pure logic, no browser: the
//! browser app persists a [`Device`] in IndexedDB and drives it, the tests drive it directly.
//!
//! The rule that keeps it simple: what the user sees of a plan (`working`) is always the
//! server's last known version (`base`) with the still-pending edits of the outbox replayed on
//! top. After any push or pull the working copy is rebuilt that way, so a local change is never
//! lost (it stays in the outbox until the server has answered for it) and a server change is
//! never hidden (the base moves forward).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::campaign::Campaign;
use crate::domain::path::{self, PathError};
use crate::domain::plan::{self, PlanDocument, PlanStatus, SCHEMA_VERSION};
use crate::domain::sync::{
    Change, Comment, FieldChange, FieldConflict, Mutation, MutationResult, Operation, PlanSnapshot,
    PullPage, ReviewEvent, UnitRecord,
};

/// What screens call the reviewing office before the device knows which one it is.
pub const OFFICE_UNKNOWN: &str = "cấp ủy cấp trên";

/// A retryable refusal (plan not on the server yet) is retried at least this many times…
pub const MAX_RETRIES: u32 = 5;
/// …and across at least this long before the mutation is shown to the user as needing
/// attention (a few quick rounds in a row would not give a passing cause time to pass).
pub const RETRY_FOR: chrono::TimeDelta = chrono::TimeDelta::minutes(10);
/// A refusal retried this many times ends whatever the clock says (a device clock set back
/// must not keep it going forever).
pub const MAX_ATTEMPTS: u32 = 50;

/// Whether a mutation refused as "try again later" has been tried enough: several times
/// across [`RETRY_FOR`], or [`MAX_ATTEMPTS`] times.
pub fn retries_exhausted(
    attempts: u32,
    first_refused: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let long_enough = first_refused.is_some_and(|first| now - first >= RETRY_FOR);
    (attempts >= MAX_RETRIES && long_enough) || attempts >= MAX_ATTEMPTS
}

/// Why a mutation about a plan the server does not show this user ends in the attention list.
pub const NOT_YOURS: &str = "Máy chủ không có kế hoạch này trong những gì tài khoản của bạn được xem (kế hoạch của đơn vị khác, hoặc đã bị xóa), nên thay đổi này không thể gửi được. Nội dung vẫn còn ở đây để bạn chép lại nếu cần.";

/// A plan as the device holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalPlan {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub campaign_id: Uuid,
    /// The server's last known version; `None` until the server has the plan.
    pub base: Option<PlanSnapshot>,
    /// What the user sees and edits: `base` plus the pending edits.
    pub working: PlanDocument,
    /// Fields where another device's value won on the server while this one's waited: both
    /// values, for the user to choose.
    #[serde(default)]
    pub conflicts: Vec<FieldConflict>,
}

impl LocalPlan {
    /// The revision edits are based on.
    pub fn revision(&self) -> u64 {
        self.base.as_ref().map_or(0, |b| b.revision)
    }
}

/// A mutation waiting for the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    /// Retryable refusals so far.
    #[serde(default)]
    pub attempts: u32,
    /// When the first of them came.
    #[serde(default)]
    pub first_refused: Option<DateTime<Utc>>,
    /// Sent in the push now under way.
    #[serde(skip)]
    pub in_flight: bool,
    /// Sent at least once. The server may have applied it even though no answer came back, and
    /// it keys its stored answer by the mutation's id: a newer edit merged into this one would
    /// be answered "applied" and never applied. So once sent, a mutation is never changed.
    /// Stored, because the page can close between the push and its answer.
    #[serde(default)]
    pub sent: bool,
}

/// Sets a figure or a text leaf of `doc` in place and returns its value before, or `None`
/// when the path or value is not one of those (the caller then goes through JSON).
fn edit_leaf(doc: &mut PlanDocument, field: &str, value: &Value) -> Option<Value> {
    if let Some(count) = doc.count_at_mut(field) {
        let new: crate::domain::Count = serde_json::from_str(&value.to_string()).ok()?;
        let before = path::json_value(&*count);
        *count = new;
        return Some(before);
    }
    if let (Some(text), Value::String(new)) = (doc.text_at_mut(field), value) {
        let before = Value::String(std::mem::replace(text, new.clone()));
        return Some(before);
    }
    None
}

/// The same stored entry, bar this copy's in-flight mark.
fn same_entry(a: &OutboxEntry, b: &OutboxEntry) -> bool {
    a.mutation == b.mutation && a.sent == b.sent && a.attempts == b.attempts
}

/// The values this copy typed into `mine` (`None`: typed back to their base, so the entry
/// went away) after it was `before`, which another tab has sent since: a new edit based on the
/// values this copy saw. Where the other tab changed the same field meanwhile, the server sees
/// a base that is no longer there and reports a conflict, so the user chooses; no value is
/// dropped and none silently overwrites the other.
fn retype(
    before: &OutboxEntry,
    mine: Option<&OutboxEntry>,
    new_id: &mut impl FnMut() -> Uuid,
) -> Option<OutboxEntry> {
    let Operation::Edit { changes: sent } = &before.mutation.op else {
        return None;
    };
    let typed: &[FieldChange] = match mine.map(|m| &m.mutation.op) {
        Some(Operation::Edit { changes }) => changes,
        Some(_) => return None,
        None => &[],
    };
    let changes: Vec<FieldChange> = typed
        .iter()
        .filter_map(|c| match sent.iter().find(|s| s.path == c.path) {
            Some(s) if s.value == c.value => None,
            Some(s) => Some(FieldChange {
                path: c.path.clone(),
                base: s.value.clone(),
                value: c.value.clone(),
            }),
            None => Some(c.clone()),
        })
        .chain(
            // Fields the sent version had and this copy took back to their base.
            sent.iter()
                .filter(|s| !typed.iter().any(|c| c.path == s.path))
                .map(|s| FieldChange {
                    path: s.path.clone(),
                    base: s.value.clone(),
                    value: s.base.clone(),
                }),
        )
        .collect();
    if changes.is_empty() {
        return None;
    }
    Some(OutboxEntry {
        mutation: Mutation {
            id: new_id(),
            plan_id: before.mutation.plan_id,
            base_revision: before.mutation.base_revision,
            created_at: mine.map_or(before.mutation.created_at, |m| m.mutation.created_at),
            op: Operation::Edit { changes },
        },
        attempts: 0,
        first_refused: None,
        in_flight: false,
        sent: false,
    })
}

/// A mutation the server refused for good, kept for the user to see (never dropped silently).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attention {
    pub mutation: Mutation,
    pub code: String,
    pub message: String,
    pub at: DateTime<Utc>,
}

/// The device's state. Serialised in parts: [`Device::meta`] (outbox and bookkeeping), one
/// record per plan, and [`Reference`] data from pulls.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Device {
    pub meta: Meta,
    pub plans: BTreeMap<Uuid, LocalPlan>,
    pub reference: Reference,
    /// Plans changed since the caller last saved them.
    #[serde(skip)]
    pub dirty_plans: BTreeSet<Uuid>,
    /// Whether `meta` / `reference` changed since last saved.
    #[serde(skip)]
    pub dirty_meta: bool,
    #[serde(skip)]
    pub dirty_reference: bool,
    /// The outbox and attention list as they were in storage when this copy last read or wrote
    /// it. Other tabs of the same user write the same storage; comparing with this snapshot
    /// tells what this copy changed since and what the others did ([`Device::merge_stored`]).
    #[serde(skip)]
    pub synced: Synced,
}

/// What a device copy last saw of the shared storage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Synced {
    pub outbox: BTreeMap<Uuid, OutboxEntry>,
    pub attention: BTreeSet<Uuid>,
    /// Entries this copy removed because the server answered them (the others it removed
    /// were edits typed back to their base).
    pub answered: BTreeSet<Uuid>,
}

/// The shared storage's state, as one copy reads it inside the transaction it writes in.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub meta: Option<Meta>,
    /// The stored records of the plans this copy is about to write (or was told changed).
    pub plans: BTreeMap<Uuid, LocalPlan>,
    pub reference: Option<Reference>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Meta {
    pub device_id: Uuid,
    pub cursor: u64,
    /// The plan document version the data was stored at (0: by a first-release client, which
    /// did not write it). See [`Device::upgrade`].
    #[serde(default)]
    pub schema: u32,
    pub outbox: Vec<OutboxEntry>,
    pub attention: Vec<Attention>,
    pub last_sync: Option<DateTime<Utc>>,
}

/// What the device learns from pulls besides plans.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reference {
    pub campaigns: BTreeMap<Uuid, Campaign>,
    pub units: BTreeMap<Uuid, UnitRecord>,
    pub comments: BTreeMap<Uuid, Comment>,
    pub events: BTreeMap<Uuid, ReviewEvent>,
    /// Per campaign: the opening committee's own term target, once its office has entered it.
    /// (Stored as `district_targets` since the first release.)
    #[serde(default, rename = "district_targets")]
    pub own_targets: BTreeMap<Uuid, crate::domain::Breakdown>,
    /// Per campaign: the units it asks for plans when its opener chose them (none: every unit
    /// directly under the opener, see [`Campaign::asks`]).
    #[serde(default)]
    pub campaign_units: BTreeMap<Uuid, Vec<Uuid>>,
}

impl Device {
    pub fn new(device_id: Uuid) -> Device {
        Device {
            meta: Meta {
                device_id,
                schema: SCHEMA_VERSION,
                ..Meta::default()
            },
            dirty_meta: true,
            ..Device::default()
        }
    }

    /// Brings data an older client stored to this release when it is loaded; `stored` is the
    /// version the storage says its data was brought to (kept under a key of its own, which
    /// older clients never write: an old tab still open rewrites `meta` without it). `true`
    /// when anything changed (then it is saved again).
    ///
    /// - Plans' documents are renumbered ([`plan::upgrade`]) on every load, since an old tab
    ///   may have written some since; the outbox is left exactly as it was (a sent mutation is
    ///   never changed, see [`OutboxEntry::sent`]): the server reads a version-1 document in a
    ///   queued creation as version 2, and [`Device::rebuild`] does the same for the copy the
    ///   user sees.
    /// - Once, the cursor goes back to the start: an earlier release was not sent what it
    ///   could not read (campaigns with other categories or coverage indicators, and their
    ///   plans, see [`crate::domain::sync::readable_by`]), and the next pull brings it all.
    ///   Pending edits stay on top of what arrives, as after any pull.
    pub fn upgrade(&mut self, stored: u32) -> bool {
        let mut changed = false;
        for (id, local) in &mut self.plans {
            let old = local.working.schema_version != SCHEMA_VERSION
                || local
                    .base
                    .as_ref()
                    .is_some_and(|b| b.document.schema_version != SCHEMA_VERSION);
            if old {
                plan::upgrade(&mut local.working);
                if let Some(base) = &mut local.base {
                    plan::upgrade(&mut base.document);
                }
                self.dirty_plans.insert(*id);
                changed = true;
            }
        }
        if stored < SCHEMA_VERSION {
            self.meta.cursor = 0;
            self.meta.schema = SCHEMA_VERSION;
            self.dirty_meta = true;
            changed = true;
        }
        changed
    }

    /// The committee that reviews the plans of `campaign`: the one that opened it.
    pub fn reviewer_of(&self, campaign: Uuid) -> Option<&UnitRecord> {
        let opener = self.reference.campaigns.get(&campaign)?.opener_id;
        self.reference.units.get(&opener)
    }

    /// Whether `campaign` asks `unit` for a plan, as far as this device knows.
    pub fn campaign_asks(&self, campaign: &Campaign, unit: Uuid) -> bool {
        let listed = self
            .reference
            .campaign_units
            .get(&campaign.id)
            .map_or(&[][..], Vec::as_slice);
        let parent = self.reference.units.get(&unit).and_then(|u| u.parent_id);
        campaign.asks(listed, unit, parent)
    }

    /// The office that reviews `plan`, as screens and prints name it ("Ban Tổ chức Huyện ủy",
    /// "Ban Xây dựng Đảng", …); "cấp ủy cấp trên" until the device knows it.
    pub fn office_for_plan(&self, plan: Uuid) -> String {
        self.plans
            .get(&plan)
            .and_then(|p| self.reviewer_of(p.campaign_id))
            .map_or_else(|| OFFICE_UNKNOWN.to_owned(), UnitRecord::office)
    }

    /// Mutations not yet answered by the server.
    pub fn pending(&self) -> usize {
        self.meta.outbox.len()
    }

    /// Queued changes the server has not refused yet, and whether any it asked to be resent
    /// later are waiting: what the sync engine's schedule needs to know.
    pub fn queue_shape(&self) -> (bool, bool) {
        let unsent = self.meta.outbox.iter().any(|e| e.attempts == 0);
        let refused_for_now = self.meta.outbox.iter().any(|e| e.attempts > 0);
        (unsent, refused_for_now)
    }

    fn enqueue(&mut self, mutation: Mutation) {
        self.meta.outbox.push(OutboxEntry {
            mutation,
            attempts: 0,
            first_refused: None,
            in_flight: false,
            sent: false,
        });
        self.dirty_meta = true;
    }

    /// Starts a plan on this device; the server learns of it at the next push.
    pub fn start_plan(
        &mut self,
        plan_id: Uuid,
        unit_id: Uuid,
        campaign_id: Uuid,
        document: PlanDocument,
        mutation_id: Uuid,
        now: DateTime<Utc>,
    ) {
        self.plans.insert(
            plan_id,
            LocalPlan {
                id: plan_id,
                unit_id,
                campaign_id,
                base: None,
                working: document.clone(),
                conflicts: Vec::new(),
            },
        );
        self.dirty_plans.insert(plan_id);
        self.enqueue(Mutation {
            id: mutation_id,
            plan_id,
            base_revision: 0,
            created_at: now,
            op: Operation::Create {
                unit_id,
                campaign_id,
                document: Box::new(document),
            },
        });
    }

    /// Sets one field of a plan, as the user typed it. Consecutive edits of the same field are
    /// merged into one pending mutation (keeping the first base), unless that mutation has
    /// already been sent (answered or not).
    ///
    /// # Errors
    /// [`PathError`] when the path or the value does not fit the document; nothing changes.
    pub fn edit(
        &mut self,
        plan_id: Uuid,
        field: &str,
        value: Value,
        mutation_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), PathError> {
        let Some(plan) = self.plans.get_mut(&plan_id) else {
            return Err(PathError::NoSuchField(field.to_owned()));
        };
        // A keystroke in a figure or a text changes that leaf in place; anything else (a roster
        // entry, an enum code, a new collection entry) goes through the JSON document, which
        // checks its shape.
        let before = match edit_leaf(&mut plan.working, field, &value) {
            Some(before) => before,
            None => {
                let current = path::json_value(&plan.working);
                let before = path::get(&current, field);
                if before != value {
                    plan.working = path::apply(&plan.working, [(field, &value)])?;
                }
                before
            }
        };
        if before == value {
            return Ok(());
        }
        // A new value of a field in conflict is the user's answer to the conflict.
        let had_conflict = plan.conflicts.len();
        plan.conflicts.retain(|c| c.path != field);
        let base_revision = plan.revision();
        // The plan's record holds the base and the conflicts; what the user sees is rebuilt
        // from the base and the outbox when it is read. So a keystroke writes the outbox only,
        // not the whole plan again.
        if plan.conflicts.len() != had_conflict {
            self.dirty_plans.insert(plan_id);
        }
        self.dirty_meta = true;

        if let Some(last) = self.meta.outbox.last_mut()
            && !last.sent
            && last.mutation.plan_id == plan_id
            && let Operation::Edit { changes } = &mut last.mutation.op
            && let Some(change) = changes.iter_mut().find(|c| c.path == field)
        {
            change.value = value;
            if change.value == change.base {
                changes.retain(|c| c.path != field);
            }
            if changes.is_empty() {
                self.meta.outbox.pop();
            }
            return Ok(());
        }
        self.enqueue(Mutation {
            id: mutation_id,
            plan_id,
            base_revision,
            created_at: now,
            op: Operation::Edit {
                changes: vec![FieldChange {
                    path: field.to_owned(),
                    base: before,
                    value,
                }],
            },
        });
        Ok(())
    }

    /// Submits a plan (or resubmits it after a return).
    pub fn submit(&mut self, plan_id: Uuid, mutation_id: Uuid, now: DateTime<Utc>) {
        let base_revision = self.plans.get(&plan_id).map_or(0, LocalPlan::revision);
        self.enqueue(Mutation {
            id: mutation_id,
            plan_id,
            base_revision,
            created_at: now,
            op: Operation::Submit { submitted_at: now },
        });
    }

    /// Queues any other operation (comments, a reviewer's return or approval).
    pub fn queue(&mut self, plan_id: Uuid, op: Operation, mutation_id: Uuid, now: DateTime<Utc>) {
        let base_revision = self.plans.get(&plan_id).map_or(0, LocalPlan::revision);
        self.enqueue(Mutation {
            id: mutation_id,
            plan_id,
            base_revision,
            created_at: now,
            op,
        });
    }

    /// Whether a submit of this plan is waiting in the outbox.
    pub fn submit_pending(&self, plan_id: Uuid) -> bool {
        self.meta.outbox.iter().any(|e| {
            e.mutation.plan_id == plan_id && matches!(e.mutation.op, Operation::Submit { .. })
        })
    }

    /// The plan's status as the user should see it: pending actions (a unit's submit, a
    /// reviewer's return or approval) count as done.
    pub fn status(&self, plan_id: Uuid) -> PlanStatus {
        let base = self
            .plans
            .get(&plan_id)
            .and_then(|p| p.base.as_ref())
            .map_or(PlanStatus::Draft, |b| b.status);
        self.meta
            .outbox
            .iter()
            .filter(|e| e.mutation.plan_id == plan_id)
            .fold(base, |status, e| match e.mutation.op {
                Operation::Submit { .. } => PlanStatus::Submitted,
                Operation::Return { .. } => PlanStatus::Returned,
                Operation::Approve { .. } => PlanStatus::Approved,
                _ => status,
            })
    }

    /// Whether a reviewer's return or approval of this plan is waiting in the outbox.
    pub fn review_pending(&self, plan_id: Uuid) -> bool {
        self.meta.outbox.iter().any(|e| {
            e.mutation.plan_id == plan_id
                && matches!(
                    e.mutation.op,
                    Operation::Return { .. } | Operation::Approve { .. }
                )
        })
    }

    /// The next mutations to push (at most `max`), marked as in flight.
    pub fn take_batch(&mut self, max: usize) -> Vec<Mutation> {
        self.meta
            .outbox
            .iter_mut()
            .take(max)
            .map(|e| {
                e.in_flight = true;
                e.sent = true;
                e.mutation.clone()
            })
            .collect()
    }

    /// The push did not reach the server or got no answer: everything stays queued.
    pub fn push_failed(&mut self) {
        for e in &mut self.meta.outbox {
            e.in_flight = false;
        }
    }

    /// Applies the server's answers to a push.
    pub fn push_answered(&mut self, results: Vec<MutationResult>, now: DateTime<Utc>) {
        let mut touched = BTreeSet::new();
        for result in results {
            let id = result.mutation_id();
            let Some(index) = self.meta.outbox.iter().position(|e| e.mutation.id == id) else {
                continue;
            };
            let mut entry = self.meta.outbox.remove(index);
            entry.in_flight = false;
            self.synced.answered.insert(id);
            let sent_plan = entry.mutation.plan_id;
            match result {
                MutationResult::Applied { plan, .. } => {
                    touched.insert(self.learn_plan(sent_plan, plan));
                }
                MutationResult::Conflict {
                    plan, conflicts, ..
                } => {
                    let plan_id = self.learn_plan(sent_plan, plan);
                    if let Some(local) = self.plans.get_mut(&plan_id) {
                        for conflict in conflicts {
                            local.conflicts.retain(|c| c.path != conflict.path);
                            local.conflicts.push(conflict);
                        }
                    }
                    touched.insert(plan_id);
                }
                MutationResult::Rejected {
                    retryable: true,
                    code,
                    message,
                    ..
                } => {
                    entry.attempts += 1;
                    let first = *entry.first_refused.get_or_insert(now);
                    if retries_exhausted(entry.attempts, Some(first), now) {
                        self.meta.attention.push(Attention {
                            mutation: entry.mutation,
                            code,
                            message,
                            at: now,
                        });
                    } else {
                        // Back where it was, so order is kept for the next push.
                        self.meta.outbox.insert(index, entry);
                    }
                    touched.insert(sent_plan);
                }
                MutationResult::Rejected {
                    code,
                    message,
                    plan,
                    ..
                } => {
                    if let Some(plan) = plan {
                        touched.insert(self.learn_plan(sent_plan, plan));
                    }
                    self.meta.attention.push(Attention {
                        mutation: entry.mutation,
                        code,
                        message,
                        at: now,
                    });
                    touched.insert(sent_plan);
                }
            }
        }
        self.push_failed();
        self.meta.last_sync = Some(now);
        self.dirty_meta = true;
        for plan_id in touched {
            self.rebuild(plan_id);
        }
    }

    /// Applies a page of changes from the server.
    pub fn pulled(&mut self, page: PullPage, now: DateTime<Utc>) {
        let mut touched = BTreeSet::new();
        for change in page.changes {
            match change {
                Change::Plan(snapshot) => {
                    let id = snapshot.id;
                    touched.insert(self.learn_plan(id, *snapshot));
                }
                Change::Comment(c) => {
                    self.reference.comments.insert(c.id, c);
                }
                Change::ReviewEvent(e) => {
                    self.reference.events.insert(e.id, e);
                }
                Change::Campaign(c) => {
                    self.reference.campaign_units.insert(c.campaign.id, c.units);
                    match c.own_target {
                        Some(t) => self.reference.own_targets.insert(c.campaign.id, t),
                        None => self.reference.own_targets.remove(&c.campaign.id),
                    };
                    self.reference.campaigns.insert(c.campaign.id, c.campaign);
                }
                Change::Unit(u) => {
                    self.reference.units.insert(u.id, u);
                }
            }
            self.dirty_reference = true;
        }
        self.meta.cursor = self.meta.cursor.max(page.next_cursor);
        self.meta.last_sync = Some(now);
        self.dirty_meta = true;
        if !page.has_more {
            touched.extend(self.give_up_on_plans_not_shown(now));
        }
        for plan_id in touched {
            self.rebuild(plan_id);
        }
    }

    /// After a complete pull, the device knows every plan the server shows this user. A queued
    /// mutation already refused as "plan not found" whose plan is not among them, and which no
    /// queued creation will bring, cannot succeed: it moves to the attention list now, with
    /// the reason, instead of being resent. Returns the plans concerned.
    fn give_up_on_plans_not_shown(&mut self, now: DateTime<Utc>) -> BTreeSet<Uuid> {
        let created: BTreeSet<Uuid> = self
            .meta
            .outbox
            .iter()
            .filter(|e| matches!(e.mutation.op, Operation::Create { .. }))
            .map(|e| e.mutation.plan_id)
            .collect();
        let hopeless = |e: &OutboxEntry| {
            e.attempts > 0
                && !e.in_flight
                && !created.contains(&e.mutation.plan_id)
                && self
                    .plans
                    .get(&e.mutation.plan_id)
                    .is_none_or(|p| p.base.is_none())
        };
        let (gone, kept): (Vec<OutboxEntry>, Vec<OutboxEntry>) =
            std::mem::take(&mut self.meta.outbox)
                .into_iter()
                .partition(|e| hopeless(e));
        self.meta.outbox = kept;
        let mut plans = BTreeSet::new();
        for entry in gone {
            plans.insert(entry.mutation.plan_id);
            self.meta.attention.push(Attention {
                mutation: entry.mutation,
                code: "plan.not_found".into(),
                message: NOT_YOURS.into(),
                at: now,
            });
        }
        plans
    }

    /// Takes a server version of a plan the device sent as `sent_id`. When the server merged
    /// this device's new plan into one another device created first, the local plan and its
    /// pending mutations move to the server's id. Returns the plan's id.
    fn learn_plan(&mut self, sent_id: Uuid, snapshot: PlanSnapshot) -> Uuid {
        let id = snapshot.id;
        if sent_id != id
            && let Some(mut local) = self.plans.remove(&sent_id)
        {
            local.id = id;
            for e in &mut self.meta.outbox {
                if e.mutation.plan_id == sent_id {
                    e.mutation.plan_id = id;
                }
            }
            self.plans.entry(id).or_insert(local);
            self.dirty_plans.insert(sent_id);
            self.dirty_meta = true;
        }
        let plan = self.plans.entry(id).or_insert_with(|| LocalPlan {
            id,
            unit_id: snapshot.unit_id,
            campaign_id: snapshot.campaign_id,
            base: None,
            working: snapshot.document.clone(),
            conflicts: Vec::new(),
        });
        // Answers can arrive out of order (a replay, a pull racing a push): never go back.
        if plan
            .base
            .as_ref()
            .is_none_or(|b| b.revision <= snapshot.revision)
        {
            plan.base = Some(snapshot);
        }
        self.dirty_plans.insert(id);
        id
    }

    /// Rebuilds what the user sees: the base with the pending edits replayed on top.
    pub fn rebuild(&mut self, plan_id: Uuid) {
        let Some(plan) = self.plans.get_mut(&plan_id) else {
            return;
        };
        let mut doc = match &plan.base {
            Some(base) => base.document.clone(),
            None => match self.meta.outbox.iter().find_map(|e| match &e.mutation.op {
                Operation::Create { document, .. } if e.mutation.plan_id == plan_id => {
                    Some((**document).clone())
                }
                _ => None,
            }) {
                Some(doc) => doc,
                // Neither on the server nor queued: keep what the user has.
                None => return,
            },
        };
        for entry in self
            .meta
            .outbox
            .iter()
            .filter(|e| e.mutation.plan_id == plan_id)
        {
            if let Operation::Edit { changes } = &entry.mutation.op {
                // An edit that no longer fits (the document changed shape under it) is skipped
                // here; the server will refuse it and the user will see it needing attention.
                if let Ok(next) =
                    path::apply(&doc, changes.iter().map(|c| (c.path.as_str(), &c.value)))
                {
                    doc = next;
                }
            }
        }
        // A creation queued by a first-release client holds a version-1 document.
        plan::upgrade(&mut doc);
        // Conflicts the server has since settled (the field now holds the device's value, or
        // the user typed a new one) are gone.
        let current = path::json_value(&doc);
        plan.conflicts
            .retain(|c| path::get(&current, &c.path) != c.mine);
        plan.working = doc;
        self.dirty_plans.insert(plan_id);
    }

    /// The user's answer to a conflict: keep their own value (a new edit, based on the
    /// server's) or the server's (nothing to send).
    pub fn resolve_conflict(
        &mut self,
        plan_id: Uuid,
        field: &str,
        keep_mine: bool,
        mutation_id: Uuid,
        now: DateTime<Utc>,
    ) {
        let Some(plan) = self.plans.get_mut(&plan_id) else {
            return;
        };
        let Some(index) = plan.conflicts.iter().position(|c| c.path == field) else {
            return;
        };
        let conflict = plan.conflicts.remove(index);
        self.dirty_plans.insert(plan_id);
        if keep_mine {
            // The path and value fitted before; if they no longer do, the conflict is kept.
            if self
                .edit(plan_id, field, conflict.mine.clone(), mutation_id, now)
                .is_err()
                && let Some(plan) = self.plans.get_mut(&plan_id)
            {
                plan.conflicts.push(conflict);
            }
        }
    }

    /// Sends a refused mutation again as a new one, based on the plan as it is now (for
    /// example an edit refused while the plan was submitted, after the district returned it).
    pub fn retry_attention(&mut self, mutation_id: Uuid, new_id: Uuid, now: DateTime<Utc>) {
        let Some(index) = self
            .meta
            .attention
            .iter()
            .position(|a| a.mutation.id == mutation_id)
        else {
            return;
        };
        let attention = self.meta.attention.remove(index);
        let plan_id = attention.mutation.plan_id;
        self.dirty_meta = true;
        match attention.mutation.op {
            Operation::Edit { changes } => {
                // Re-typed on top of the current plan: the base is what is there now.
                // The first change takes the id the caller made; the rest get fresh ones.
                for (i, change) in changes.into_iter().enumerate() {
                    let id = if i == 0 { new_id } else { Uuid::new_v4() };
                    let _ = self.edit(plan_id, &change.path, change.value, id, now);
                }
            }
            op => self.queue(plan_id, op, new_id, now),
        }
    }

    /// Gives up a refused mutation for good.
    pub fn discard_attention(&mut self, mutation_id: Uuid) {
        self.meta.attention.retain(|a| a.mutation.id != mutation_id);
        self.dirty_meta = true;
    }

    /// This copy's outbox entries that the shared storage does not hold yet as they are here
    /// (new, or typed into since the last merge): what a tab writes at once, under its own key,
    /// before the merge that needs a read can run — so a page closed a moment after a key keeps
    /// it ([`Device::adopt_journal`] takes it back in).
    pub fn journal(&self) -> Vec<OutboxEntry> {
        self.meta
            .outbox
            .iter()
            .filter(|e| {
                self.synced
                    .outbox
                    .get(&e.mutation.id)
                    .is_none_or(|before| !same_entry(before, e))
            })
            .cloned()
            .collect()
    }

    /// Takes in a journal a tab wrote (see [`Device::journal`]) whose merge may not have run:
    /// an entry still unsent here takes the journal's newer version; one sent since keeps the
    /// sent version and the journal's values are queued again on top of it; one not here at all
    /// is queued under a new id (it may have been sent and answered already, and a mutation id
    /// the server has answered must not carry other values — the same values again change
    /// nothing). Returns whether anything changed.
    pub fn adopt_journal(
        &mut self,
        entries: Vec<OutboxEntry>,
        mut new_id: impl FnMut() -> Uuid,
    ) -> bool {
        let mut changed = BTreeSet::new();
        for mut entry in entries {
            let id = entry.mutation.id;
            match self.meta.outbox.iter().position(|e| e.mutation.id == id) {
                Some(i) if same_entry(&self.meta.outbox[i], &entry) => {}
                Some(i) if !self.meta.outbox[i].sent => {
                    entry.sent = false;
                    entry.in_flight = false;
                    changed.insert(entry.mutation.plan_id);
                    self.meta.outbox[i] = entry;
                }
                Some(i) => {
                    let sent = self.meta.outbox[i].clone();
                    if let Some(again) = retype(&sent, Some(&entry), &mut new_id) {
                        changed.insert(again.mutation.plan_id);
                        self.meta.outbox.push(again);
                    }
                }
                None => {
                    entry.mutation.id = new_id();
                    entry.sent = false;
                    entry.in_flight = false;
                    entry.attempts = 0;
                    entry.first_refused = None;
                    changed.insert(entry.mutation.plan_id);
                    self.meta.outbox.push(entry);
                }
            }
        }
        for plan in &changed {
            self.rebuild(*plan);
        }
        if !changed.is_empty() {
            self.dirty_meta = true;
        }
        !changed.is_empty()
    }

    /// Takes the current stored snapshot as what this copy has seen (after loading it).
    pub fn mark_synced(&mut self) {
        self.synced = Synced {
            outbox: self
                .meta
                .outbox
                .iter()
                .map(|e| (e.mutation.id, e.clone()))
                .collect(),
            attention: self.meta.attention.iter().map(|a| a.mutation.id).collect(),
            answered: BTreeSet::new(),
        };
    }

    /// Merges what other copies of this device (other tabs of the same user) wrote to the
    /// shared storage into this one, keeping every change of both. Called inside the storage
    /// transaction that then writes this copy's dirty parts, so read, merge and write are one
    /// atomic step for the other tabs.
    ///
    /// The outbox is merged entry by entry against the snapshot of the last merge: an entry only
    /// this copy changed takes this copy's version, one only the storage changed takes the
    /// stored one, and one both changed — this copy typed into an edit another tab has meanwhile
    /// sent — keeps the stored (sent) version and queues this copy's new values as a new edit
    /// based on the sent ones. A sent mutation is never changed, and no typed value is dropped.
    /// Plans take the newer base; the working copies are then rebuilt from base and outbox.
    ///
    /// Returns the plans whose working copy may have changed.
    pub fn merge_stored(
        &mut self,
        stored: Stored,
        mut new_id: impl FnMut() -> Uuid,
    ) -> BTreeSet<Uuid> {
        let mut touched = BTreeSet::new();
        if let Some(meta) = stored.meta {
            let ours: BTreeMap<Uuid, OutboxEntry> = self
                .meta
                .outbox
                .iter()
                .map(|e| (e.mutation.id, e.clone()))
                .collect();
            let stored_ids: BTreeSet<Uuid> = meta.outbox.iter().map(|e| e.mutation.id).collect();
            let mut result = Vec::with_capacity(meta.outbox.len() + 1);
            let mut extras = Vec::new();
            for theirs in &meta.outbox {
                let id = theirs.mutation.id;
                let before = self.synced.outbox.get(&id);
                let mine = ours.get(&id);
                if before.is_some_and(|b| same_entry(b, theirs)) {
                    // Unchanged in storage since this copy saw it: this copy's version decides.
                    if let Some(mine) = mine {
                        result.push(mine.clone());
                    }
                    continue;
                }
                match (before, mine) {
                    (Some(before), Some(mine)) if !same_entry(before, mine) => {
                        result.push(theirs.clone());
                        extras.extend(retype(before, Some(mine), &mut new_id));
                    }
                    (Some(before), None) => {
                        if self.synced.answered.contains(&id) {
                            // Answered here; another tab sent or answered it too.
                        } else {
                            // Typed back to its base here while another tab sent it: undo it.
                            result.push(theirs.clone());
                            extras.extend(retype(before, None, &mut new_id));
                        }
                    }
                    _ => result.push(theirs.clone()),
                }
                touched.insert(theirs.mutation.plan_id);
            }
            for entry in &self.meta.outbox {
                let id = entry.mutation.id;
                if stored_ids.contains(&id) {
                    continue;
                }
                match self.synced.outbox.get(&id) {
                    // New here.
                    None => result.push(entry.clone()),
                    // Answered and removed by another tab; typed into here meanwhile.
                    Some(before) => {
                        if !same_entry(before, entry) {
                            extras.extend(retype(before, Some(entry), &mut new_id));
                        }
                        touched.insert(entry.mutation.plan_id);
                    }
                }
            }
            touched.extend(extras.iter().map(|e: &OutboxEntry| e.mutation.plan_id));
            result.extend(extras);
            // In-flight marks are this copy's own business.
            for e in &mut result {
                e.in_flight = ours.get(&e.mutation.id).is_some_and(|o| o.in_flight);
            }

            // Attention: drop what this copy settled, add what either added.
            let ours_attention: BTreeSet<Uuid> =
                self.meta.attention.iter().map(|a| a.mutation.id).collect();
            let mut attention: Vec<Attention> = meta
                .attention
                .into_iter()
                .filter(|a| {
                    let id = a.mutation.id;
                    !self.synced.attention.contains(&id) || ours_attention.contains(&id)
                })
                .collect();
            for a in &self.meta.attention {
                if !attention.iter().any(|x| x.mutation.id == a.mutation.id) {
                    attention.push(a.clone());
                }
            }

            if result != self.meta.outbox || attention != self.meta.attention {
                self.dirty_meta = true;
            }
            self.meta.outbox = result;
            self.meta.attention = attention;
            self.meta.last_sync = self.meta.last_sync.max(meta.last_sync);
            // A cursor stored by an older client (an old tab still open) counts for nothing
            // here: what it pulled left out what it could not read (see `Device::upgrade`).
            if meta.cursor > self.meta.cursor && meta.schema >= self.meta.schema {
                // Another tab pulled further: take what it learnt.
                self.meta.cursor = meta.cursor;
                if let Some(reference) = stored.reference {
                    self.reference = reference;
                    self.dirty_reference = false;
                }
            }
            if meta.device_id != self.meta.device_id && !meta.device_id.is_nil() {
                self.meta.device_id = meta.device_id;
            }
        }
        for (id, theirs) in stored.plans {
            match self.plans.get_mut(&id) {
                Some(mine) => {
                    if theirs.revision() > mine.revision() {
                        mine.base = theirs.base;
                        mine.conflicts = theirs.conflicts;
                        touched.insert(id);
                    }
                }
                None => {
                    self.plans.insert(id, theirs);
                    touched.insert(id);
                }
            }
        }
        for id in &touched {
            self.rebuild(*id);
        }
        self.mark_synced();
        touched
    }

    /// Comments of a plan, oldest first.
    pub fn comments(&self, plan_id: Uuid) -> Vec<&Comment> {
        let mut out: Vec<&Comment> = self
            .reference
            .comments
            .values()
            .filter(|c| c.plan_id == plan_id)
            .collect();
        out.sort_by_key(|c| c.seq);
        out
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;

    use super::*;

    fn t(n: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_644_000_000 + n, 0).unwrap_or_default()
    }

    fn snapshot(id: Uuid, revision: u64, doc: PlanDocument) -> PlanSnapshot {
        PlanSnapshot {
            id,
            unit_id: Uuid::from_u128(1),
            campaign_id: Uuid::from_u128(2),
            revision,
            status: PlanStatus::Draft,
            document: doc,
            created_at: t(0),
            updated_at: t(0),
            submitted_at_device: None,
            received_at: None,
            seq: revision,
        }
    }

    fn started() -> (Device, Uuid) {
        let mut d = Device::new(Uuid::from_u128(9));
        let plan = Uuid::from_u128(100);
        d.start_plan(
            plan,
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            PlanDocument::default(),
            Uuid::new_v4(),
            t(0),
        );
        (d, plan)
    }

    #[test]
    fn typing_in_one_field_makes_one_pending_change_with_the_first_base() {
        let (mut d, plan) = started();
        for text in ["1", "12", "123"] {
            d.edit(
                plan,
                "pool.total",
                json!(text.parse::<i64>().unwrap_or(0)),
                Uuid::new_v4(),
                t(1),
            )
            .expect("edit");
        }
        assert_eq!(d.pending(), 2, "the create and one edit");
        let Operation::Edit { changes } = &d.meta.outbox[1].mutation.op else {
            panic!("edit")
        };
        assert_eq!(changes[0].base, Value::Null);
        assert_eq!(changes[0].value, json!(123));
        // Typing back to the original value cancels the change.
        d.edit(plan, "pool.total", Value::Null, Uuid::new_v4(), t(2))
            .expect("edit");
        assert_eq!(d.pending(), 1);
    }

    #[test]
    fn an_edit_already_in_flight_is_not_merged_into() {
        let (mut d, plan) = started();
        d.edit(plan, "pool.total", json!(5), Uuid::new_v4(), t(1))
            .expect("edit");
        let sent = d.take_batch(100);
        assert_eq!(sent.len(), 2);
        d.edit(plan, "pool.total", json!(6), Uuid::new_v4(), t(2))
            .expect("edit");
        assert_eq!(
            d.pending(),
            3,
            "a new mutation, based on the value being sent"
        );
        let Operation::Edit { changes } = &d.meta.outbox[2].mutation.op else {
            panic!("edit")
        };
        assert_eq!(
            (changes[0].base.clone(), changes[0].value.clone()),
            (json!(5), json!(6))
        );
    }

    #[test]
    fn an_edit_after_an_unanswered_push_is_a_new_mutation_even_after_a_reload() {
        // Found by the sync simulation (tests/sim): the push's answer is lost, the user types
        // on in the same field. Merging into the sent mutation changed it under an id the
        // server had already applied, so the server answered "applied" and dropped the text.
        let (mut d, plan) = started();
        d.edit(plan, "sections.notes", json!("a"), Uuid::new_v4(), t(1))
            .expect("edit");
        let sent = d.take_batch(100);
        d.push_failed();
        let mut d: Device = serde_json::to_string(&d)
            .and_then(|json| serde_json::from_str(&json))
            .expect("the device goes through storage");
        d.edit(plan, "sections.notes", json!("ab"), Uuid::new_v4(), t(2))
            .expect("edit");
        assert_eq!(d.pending(), 3, "a new mutation");
        assert_eq!(
            d.meta.outbox[1].mutation, sent[1],
            "the sent one is untouched"
        );
        let Operation::Edit { changes } = &d.meta.outbox[2].mutation.op else {
            panic!("edit")
        };
        assert_eq!(
            (changes[0].base.clone(), changes[0].value.clone()),
            (json!("a"), json!("ab"))
        );
        // The new, unsent one still takes further keystrokes.
        d.edit(plan, "sections.notes", json!("abc"), Uuid::new_v4(), t(3))
            .expect("edit");
        assert_eq!(d.pending(), 3);
    }

    #[test]
    fn a_failed_push_keeps_everything_and_an_answered_one_moves_the_base() {
        let (mut d, plan) = started();
        d.edit(plan, "sections.notes", json!("a"), Uuid::new_v4(), t(1))
            .expect("edit");
        let sent = d.take_batch(100);
        d.push_failed();
        assert_eq!(d.pending(), 2);
        let mut doc = PlanDocument::default();
        doc.sections.notes = "a".into();
        let results = sent
            .iter()
            .enumerate()
            .map(|(i, m)| MutationResult::Applied {
                mutation_id: m.id,
                plan: snapshot(plan, i as u64 + 1, doc.clone()),
            })
            .collect();
        d.take_batch(100);
        d.push_answered(results, t(3));
        assert_eq!(d.pending(), 0);
        assert_eq!(d.plans[&plan].revision(), 2);
        assert_eq!(d.plans[&plan].working.sections.notes, "a");
    }

    #[test]
    fn pending_edits_stay_visible_on_top_of_a_newer_server_version() {
        let (mut d, plan) = started();
        let create = d.take_batch(1);
        d.push_answered(
            vec![MutationResult::Applied {
                mutation_id: create[0].id,
                plan: snapshot(plan, 1, PlanDocument::default()),
            }],
            t(1),
        );
        d.edit(plan, "pool.total", json!(7), Uuid::new_v4(), t(2))
            .expect("edit");
        let mut theirs = PlanDocument::default();
        theirs.sections.notes = "từ máy khác".into();
        d.pulled(
            PullPage {
                changes: vec![Change::Plan(Box::new(snapshot(plan, 2, theirs)))],
                next_cursor: 10,
                has_more: false,
            },
            t(3),
        );
        let working = &d.plans[&plan].working;
        assert_eq!(
            working.sections.notes, "từ máy khác",
            "the other device's change arrives"
        );
        assert_eq!(
            working.pool.total,
            crate::domain::Count::Value(7),
            "the pending edit stays on top"
        );
        assert_eq!(d.meta.cursor, 10);
    }

    #[test]
    fn a_conflict_shows_theirs_keeps_mine_for_the_user_and_can_be_resolved_either_way() {
        let (mut d, plan) = started();
        let create = d.take_batch(1);
        d.push_answered(
            vec![MutationResult::Applied {
                mutation_id: create[0].id,
                plan: snapshot(plan, 1, PlanDocument::default()),
            }],
            t(1),
        );
        d.edit(plan, "pool.total", json!(7), Uuid::new_v4(), t(2))
            .expect("edit");
        let sent = d.take_batch(100);
        let mut theirs = PlanDocument::default();
        theirs.pool.total = crate::domain::Count::Value(9);
        d.push_answered(
            vec![MutationResult::Conflict {
                mutation_id: sent[0].id,
                applied: vec![],
                conflicts: vec![FieldConflict {
                    path: "pool.total".into(),
                    base: Value::Null,
                    mine: json!(7),
                    theirs: json!(9),
                }],
                plan: snapshot(plan, 2, theirs),
            }],
            t(3),
        );
        assert_eq!(
            d.plans[&plan].working.pool.total,
            crate::domain::Count::Value(9)
        );
        assert_eq!(d.plans[&plan].conflicts.len(), 1);
        d.resolve_conflict(plan, "pool.total", true, Uuid::new_v4(), t(4));
        assert!(d.plans[&plan].conflicts.is_empty());
        assert_eq!(
            d.plans[&plan].working.pool.total,
            crate::domain::Count::Value(7)
        );
        let Operation::Edit { changes } = &d.meta.outbox[0].mutation.op else {
            panic!("edit")
        };
        assert_eq!(
            (changes[0].base.clone(), changes[0].value.clone()),
            (json!(9), json!(7)),
            "based on theirs"
        );
    }

    #[test]
    fn refusals_are_kept_for_the_user_and_retryable_ones_retried() {
        let (mut d, plan) = started();
        d.edit(plan, "pool.total", json!(1), Uuid::new_v4(), t(1))
            .expect("edit");
        for attempt in 1..=MAX_RETRIES {
            // The tries spread over the retry window: the last one comes after it.
            let at = t(2) + RETRY_FOR * i32::try_from(attempt - 1).unwrap_or(0) / 4;
            let sent = d.take_batch(100);
            let results = sent
                .iter()
                .map(|m| MutationResult::Rejected {
                    mutation_id: m.id,
                    code: "plan.not_found".into(),
                    message: "chưa có".into(),
                    findings: vec![],
                    retryable: true,
                    plan: None,
                })
                .collect();
            d.push_answered(results, at);
            if attempt < MAX_RETRIES {
                assert_eq!(d.pending(), 2, "kept in order for another try");
            }
        }
        assert_eq!(d.pending(), 0);
        assert_eq!(
            d.meta.attention.len(),
            2,
            "after {MAX_RETRIES} tries the user sees them"
        );
        assert_eq!(
            d.plans[&plan].working.pool.total,
            crate::domain::Count::Value(1),
            "nothing typed is lost from view"
        );
    }

    #[test]
    fn a_retryable_refusal_ends_after_a_bounded_time_or_a_bounded_count() {
        assert!(
            !retries_exhausted(MAX_RETRIES, Some(t(0)), t(0)),
            "quick retries go on"
        );
        assert!(
            !retries_exhausted(1, Some(t(0)), t(0) + RETRY_FOR),
            "one try is not enough"
        );
        assert!(retries_exhausted(MAX_RETRIES, Some(t(0)), t(0) + RETRY_FOR));
        assert!(
            retries_exhausted(MAX_ATTEMPTS, Some(t(0)), t(0)),
            "a clock set back cannot stop it ending"
        );
        assert!(retries_exhausted(MAX_ATTEMPTS, None, t(0)));
    }

    #[test]
    fn a_complete_pull_that_does_not_show_the_plan_ends_its_retries() {
        let mut d = Device::default();
        // An edit of a plan this device never had from the server (another unit's, say).
        let foreign = Uuid::from_u128(77);
        d.meta.outbox.push(OutboxEntry {
            mutation: Mutation {
                id: Uuid::new_v4(),
                plan_id: foreign,
                base_revision: 3,
                created_at: t(0),
                op: Operation::Edit { changes: vec![] },
            },
            attempts: 0,
            first_refused: None,
            in_flight: false,
            sent: false,
        });
        let page = |has_more| PullPage {
            changes: vec![],
            next_cursor: 9,
            has_more,
        };
        d.pulled(page(false), t(1));
        assert_eq!(d.pending(), 1, "not refused yet: it is sent first");
        let sent = d.take_batch(10);
        d.push_answered(
            vec![MutationResult::Rejected {
                mutation_id: sent[0].id,
                code: "plan.not_found".into(),
                message: "chưa có".into(),
                findings: vec![],
                retryable: true,
                plan: None,
            }],
            t(2),
        );
        assert_eq!(d.pending(), 1, "kept for another try");
        d.pulled(page(true), t(3));
        assert_eq!(d.pending(), 1, "the pull is not complete yet");
        d.pulled(page(false), t(3));
        assert_eq!(d.pending(), 0, "not resent forever");
        assert_eq!(d.meta.attention.len(), 1);
        assert_eq!(d.meta.attention[0].message, NOT_YOURS);
    }

    #[test]
    fn a_plan_merged_into_another_devices_moves_to_the_servers_id() {
        let (mut d, plan) = started();
        d.edit(plan, "sections.notes", json!("x"), Uuid::new_v4(), t(1))
            .expect("edit");
        let create = d.take_batch(1);
        let server_id = Uuid::from_u128(555);
        d.push_answered(
            vec![MutationResult::Applied {
                mutation_id: create[0].id,
                plan: snapshot(server_id, 3, PlanDocument::default()),
            }],
            t(2),
        );
        assert!(!d.plans.contains_key(&plan));
        assert_eq!(
            d.meta.outbox[0].mutation.plan_id, server_id,
            "the pending edit follows"
        );
        assert_eq!(d.plans[&server_id].working.sections.notes, "x");
    }

    #[test]
    fn a_pending_submit_shows_as_submitted() {
        let (mut d, plan) = started();
        assert_eq!(d.status(plan), PlanStatus::Draft);
        d.submit(plan, Uuid::new_v4(), t(1));
        assert_eq!(d.status(plan), PlanStatus::Submitted);
    }

    #[test]
    fn the_device_round_trips_through_json() {
        let (mut d, plan) = started();
        d.edit(plan, "pool.total", json!(3), Uuid::new_v4(), t(1))
            .expect("edit");
        let json = serde_json::to_string(&d).expect("serialise");
        let back: Device = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.meta, d.meta);
        assert_eq!(back.plans, d.plans);
    }

    /// What a first-release client left in storage: its meta without `schema`, a plan the
    /// server has (version-1 base) with an edit waiting, and a plan only queued for creation
    /// (a version-1 document in the outbox).
    #[test]
    fn data_a_first_release_client_stored_is_upgraded_without_losing_a_keystroke() {
        let mut old_doc = PlanDocument {
            schema_version: crate::domain::plan::FIRST_SCHEMA_VERSION,
            ..PlanDocument::default()
        };
        old_doc.sections.notes = "đã gửi".into();
        let (mut d, queued) = started();
        if let Operation::Create { document, .. } = &mut d.meta.outbox[0].mutation.op {
            **document = old_doc.clone();
        }
        let synced = Uuid::from_u128(200);
        d.plans.insert(
            synced,
            LocalPlan {
                id: synced,
                unit_id: Uuid::from_u128(1),
                campaign_id: Uuid::from_u128(3),
                base: Some(snapshot(synced, 4, old_doc.clone())),
                working: old_doc.clone(),
                conflicts: Vec::new(),
            },
        );
        d.edit(
            synced,
            "sections.notes",
            json!("đang gõ"),
            Uuid::new_v4(),
            t(1),
        )
        .expect("edit");
        d.meta.cursor = 812;
        // Stored and read back the way the first release wrote it: no `schema` in meta.
        let mut stored = serde_json::to_value(&d.meta).expect("meta");
        stored.as_object_mut().map(|m| m.remove("schema"));
        let meta: Meta = serde_json::from_value(stored).expect("first-release meta");
        assert_eq!(meta.schema, 0);
        let outbox_before = meta.outbox.clone();
        let mut loaded = Device {
            meta,
            plans: d.plans.clone(),
            ..Device::default()
        };

        assert!(loaded.upgrade(0));
        for id in [queued, synced] {
            loaded.rebuild(id);
        }
        assert_eq!(loaded.meta.cursor, 0, "everything is pulled again");
        assert_eq!(loaded.meta.schema, SCHEMA_VERSION);
        assert_eq!(
            loaded.meta.outbox, outbox_before,
            "the outbox is kept as sent"
        );
        let synced_plan = &loaded.plans[&synced];
        assert_eq!(synced_plan.working.schema_version, SCHEMA_VERSION);
        assert_eq!(synced_plan.working.sections.notes, "đang gõ");
        assert_eq!(
            synced_plan.base.as_ref().map(|b| b.document.schema_version),
            Some(SCHEMA_VERSION)
        );
        let queued_plan = &loaded.plans[&queued];
        assert_eq!(queued_plan.working.schema_version, SCHEMA_VERSION);
        assert_eq!(queued_plan.working.sections.notes, "đã gửi");
        assert!(loaded.dirty_meta && loaded.dirty_plans.contains(&synced));
        // Once is enough: the storage now says version 2.
        assert!(!loaded.upgrade(SCHEMA_VERSION));
        // An old tab still open writes a version-1 plan again: renumbered on the next load,
        // without pulling everything again.
        if let Some(p) = loaded.plans.get_mut(&synced) {
            p.working.schema_version = crate::domain::plan::FIRST_SCHEMA_VERSION;
        }
        loaded.meta.cursor = 900;
        assert!(loaded.upgrade(SCHEMA_VERSION));
        assert_eq!(loaded.plans[&synced].working.schema_version, SCHEMA_VERSION);
        assert_eq!(loaded.meta.cursor, 900);
    }
}
