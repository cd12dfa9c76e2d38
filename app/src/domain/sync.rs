//! The sync protocol between a device and the server (see `docs/SYNC.md`).
//!
//! A device records every change as a [`Mutation`] with an id it makes itself, keeps it in
//! an outbox until the server has answered, and sends the outbox in batches ([`PushRequest`]).
//! The server applies each mutation at most once (a replayed id gets its stored result back),
//! merges field by field against the revision the device started from, and answers with one
//! [`MutationResult`] per mutation. Changes flow back through [`PullPage`]s read from a cursor
//! over a server-wide sequence.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use std::collections::BTreeSet;

use crate::domain::campaign::Campaign;
use crate::domain::org::{CommitteeKind, Role, UnitKind, UnitLevel};
use crate::domain::path;
use crate::domain::plan::{PlanDocument, PlanStatus};
use crate::domain::rules::Finding;
use crate::domain::workflow::PlanAction;

/// The protocol version this release's devices speak: 2, whose plans are document version 2.
/// The server also takes [`FIRST_PROTOCOL_VERSION`] (devices of earlier releases, which read
/// version-1 documents, until they update) and refuses others with a clear message.
pub const PROTOCOL_VERSION: u32 = 2;
/// The protocol of the releases before document version 2.
pub const FIRST_PROTOCOL_VERSION: u32 = 1;
/// Most mutations in one push.
pub const MAX_BATCH: usize = 100;
/// Most field changes in one edit mutation.
pub const MAX_CHANGES: usize = 500;
/// Longest comment, in characters.
pub const MAX_COMMENT_LEN: usize = 4_000;
/// Most comments in one return.
pub const MAX_COMMENTS: usize = 100;
/// Largest page a pull may ask for.
pub const MAX_PULL_LIMIT: u32 = 500;
/// Default page size of a pull.
pub const DEFAULT_PULL_LIMIT: u32 = 200;

/// Vietnam's time zone (UTC+7, no daylight saving): deadlines are days in this zone.
pub const VIETNAM_OFFSET: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    // Evaluated at compile time: a wrong constant fails the build, never a running program.
    None => panic!("UTC+7 is a valid offset"),
};

/// The Vietnamese calendar day of an instant.
pub fn vietnam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&VIETNAM_OFFSET).date_naive()
}

/// One change made on a device.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// Made on the device; the server's idempotency key.
    pub id: Uuid,
    /// The plan changed. A device creating a plan makes its id too.
    pub plan_id: Uuid,
    /// The plan revision the device's change was made on (0 when creating).
    pub base_revision: u64,
    /// When the user made the change, by the device's clock (informative: devices' clocks
    /// can be wrong, so the server orders by its own sequence).
    pub created_at: DateTime<Utc>,
    pub op: Operation,
}

/// Externally tagged on the wire (`{"edit": {"changes": [...]}}`): unlike an internal `kind`
/// tag, this lets serde read the operation without buffering it first, which keeps a whole
/// second set of deserialisers out of the browser build.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    /// Starts a plan for a unit and campaign. Creating the same unit and campaign from two
    /// devices yields one plan: the second create becomes an edit of the first.
    Create {
        unit_id: Uuid,
        campaign_id: Uuid,
        document: Box<PlanDocument>,
    },
    /// Changes fields of the document.
    Edit {
        #[cfg_attr(feature = "openapi", schema(max_items = 500))]
        changes: Vec<FieldChange>,
    },
    /// Submits (or resubmits) the plan to the district.
    Submit {
        /// When the user pressed "Gửi kế hoạch", by the device's clock.
        submitted_at: DateTime<Utc>,
    },
    /// The district returns the plan for revision, with at least one comment.
    Return {
        #[cfg_attr(feature = "openapi", schema(max_items = 100))]
        comments: Vec<NewComment>,
    },
    /// The district approves the plan, optionally with a comment.
    Approve { comment: Option<NewComment> },
    /// A comment without a status change.
    Comment { comment: NewComment },
}

impl Operation {
    /// The workflow action this operation performs, if any.
    pub fn action(&self) -> Option<PlanAction> {
        match self {
            Operation::Submit { .. } => Some(PlanAction::Submit),
            Operation::Return { .. } => Some(PlanAction::Return),
            Operation::Approve { .. } => Some(PlanAction::Approve),
            _ => None,
        }
    }
}

/// One field's change, with the value the device saw before it (its base).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    #[cfg_attr(feature = "openapi", schema(max_length = 160))]
    pub path: String,
    pub base: Value,
    pub value: Value,
}

/// A comment written on a device, with an id the device made.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub id: Uuid,
    /// The field or section it is about (a path), or none for the whole plan.
    #[cfg_attr(feature = "openapi", schema(max_length = 160))]
    pub path: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub body: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// 2 for this release's devices; 1 for those of earlier releases, whose answers carry
    /// plans at document version 1.
    pub protocol: u32,
    /// Made on the device when it first ran; kept for the audit log.
    pub device_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub mutations: Vec<Mutation>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per mutation, in the order sent.
    pub results: Vec<MutationResult>,
    pub server_time: DateTime<Utc>,
}

/// What the server did with one mutation (`{"applied": {...}}`, `{"conflict": {...}}`,
/// `{"rejected": {...}}`). The same mutation id always gets the same outcome.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationResult {
    /// Applied in full; `plan` is the plan after it.
    Applied {
        mutation_id: Uuid,
        plan: PlanSnapshot,
    },
    /// Some fields had changed on the server since the device's base: those in `conflicts`
    /// were not applied (the device shows both versions and lets the user choose); those in
    /// `applied` were. `plan` is the server's plan after the applied part.
    Conflict {
        mutation_id: Uuid,
        applied: Vec<String>,
        conflicts: Vec<FieldConflict>,
        plan: PlanSnapshot,
    },
    /// Refused; nothing was changed. `code` and `message` say why; `findings` lists the rule
    /// errors when the rules refused it (e.g. submitting a plan with errors). A `retryable`
    /// refusal (the plan is not known yet) is not stored: the device keeps the mutation and
    /// sends it again later. Any other refusal is final for this mutation id.
    Rejected {
        mutation_id: Uuid,
        code: String,
        message: String,
        findings: Vec<Finding>,
        #[serde(default)]
        retryable: bool,
        plan: Option<PlanSnapshot>,
    },
}

impl MutationResult {
    pub fn mutation_id(&self) -> Uuid {
        match self {
            MutationResult::Applied { mutation_id, .. }
            | MutationResult::Conflict { mutation_id, .. }
            | MutationResult::Rejected { mutation_id, .. } => *mutation_id,
        }
    }

    pub fn plan(&self) -> Option<&PlanSnapshot> {
        match self {
            MutationResult::Applied { plan, .. } | MutationResult::Conflict { plan, .. } => {
                Some(plan)
            }
            MutationResult::Rejected { plan, .. } => plan.as_ref(),
        }
    }
}

/// A field both the device and the server changed from the same base.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub path: String,
    pub base: Value,
    /// The device's value, not applied.
    pub mine: Value,
    /// The server's current value.
    pub theirs: Value,
}

/// A plan as the server holds it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSnapshot {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub campaign_id: Uuid,
    pub revision: u64,
    pub status: PlanStatus,
    pub document: PlanDocument,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the unit pressed submit, by its device's clock (kept within sane bounds).
    pub submitted_at_device: Option<DateTime<Utc>>,
    /// When the server received that submission.
    pub received_at: Option<DateTime<Utc>>,
    /// Position in the server's change sequence.
    pub seq: u64,
}

/// A comment on a plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub path: Option<String>,
    pub body: String,
    pub author: String,
    pub author_role: Role,
    pub created_at: DateTime<Utc>,
    pub seq: u64,
}

/// A status change of a plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEvent {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub action: PlanAction,
    pub from_status: PlanStatus,
    pub to_status: PlanStatus,
    /// The plan revision the action was taken on.
    pub revision: u64,
    pub actor: String,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
    pub seq: u64,
}

/// An organisation unit as devices see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRecord {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: Option<UnitKind>,
    pub has_subordinate_cells: bool,
    pub member_count: u32,
    pub sort_order: i32,
    pub seq: u64,
    /// What kind of committee the unit is. Absent from what servers before 2026-12-02 sent
    /// (and from what their devices stored): then it follows from `level`, see
    /// [`UnitRecord::committee`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<CommitteeKind>,
    /// The name of the office that reviews for this committee ("Ban Tổ chức Huyện ủy Bảo
    /// Lâm"), when it is not the usual one for its kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_name: Option<String>,
}

impl UnitRecord {
    /// The kind of committee, also for a record stored before kinds existed.
    pub fn committee(&self) -> CommitteeKind {
        self.committee
            .unwrap_or_else(|| CommitteeKind::of_level(self.level, self.has_subordinate_cells))
    }

    /// The office that reviews the plans of the units under this one, as every screen, print
    /// and file names it.
    pub fn office(&self) -> String {
        match &self.office_name {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => self.committee().usual_office().to_owned(),
        }
    }
}

/// One change in a pull page (`{"plan": {...}}`, `{"comment": {...}}`, …).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Plan(Box<PlanSnapshot>),
    Comment(Comment),
    ReviewEvent(ReviewEvent),
    Campaign(CampaignRecord),
    Unit(UnitRecord),
}

/// A campaign with its position in the change sequence. (Nested, not flattened: flattening
/// makes serde buffer the object, see [`Operation`].)
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRecord {
    pub campaign: Campaign,
    pub seq: u64,
    /// The units asked to send plans, in the opener's order, when the opener chose them. Empty
    /// (and absent from what a first-release server sent): every unit directly under the
    /// opener, including units added later ([`Campaign::asks`]).
    #[serde(default)]
    pub units: Vec<Uuid>,
    /// The opening committee's own whole-term target (from its Congress resolution), once its
    /// office has entered it. Sent as `district_target`, the first release's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "district_target"
    )]
    pub own_target: Option<crate::domain::Breakdown>,
}

/// The changes a device that reads plan documents of version `reads` can read, in order. A
/// device of this release reads everything. A device of an earlier release (version 1) refuses
/// a campaign or a document with what the first release cannot say; it is sent the others,
/// documents renumbered 1, and not those, nor the plans of a campaign it is not sent
/// (`campaign_readable` says which campaigns of the page's plans it is) — it meets them after
/// it updates, when the new client pulls again from the start ([`crate::domain::device::Device::upgrade`]).
pub fn readable_by(
    changes: impl IntoIterator<Item = Change>,
    reads: u32,
    campaign_readable: impl Fn(Uuid) -> bool,
) -> Vec<Change> {
    use crate::domain::plan::{SCHEMA_VERSION, first_release_form};
    if reads >= SCHEMA_VERSION {
        return changes.into_iter().collect();
    }
    changes
        .into_iter()
        .filter_map(|change| match change {
            Change::Plan(mut snapshot) => {
                if !campaign_readable(snapshot.campaign_id) {
                    return None;
                }
                snapshot.document = first_release_form(&snapshot.document)?;
                Some(Change::Plan(snapshot))
            }
            Change::Campaign(record) if !record.campaign.is_first_release_shape() => None,
            other => Some(other),
        })
        .collect()
}

/// A push's results as a device speaking `protocol` reads them: for an earlier release's
/// device, the plans renumbered to version 1 ([`crate::domain::plan::for_version_1_reader`]),
/// so that its rules keep accepting them and it can still submit.
pub fn results_for_protocol(results: Vec<MutationResult>, protocol: u32) -> Vec<MutationResult> {
    use crate::domain::plan::for_version_1_reader;
    if protocol >= PROTOCOL_VERSION {
        return results;
    }
    let older = |snapshot: &mut PlanSnapshot| {
        if let Some(doc) = for_version_1_reader(&snapshot.document) {
            snapshot.document = doc;
        }
    };
    results
        .into_iter()
        .map(|mut result| {
            match &mut result {
                MutationResult::Applied { plan, .. } | MutationResult::Conflict { plan, .. } => {
                    older(plan);
                }
                MutationResult::Rejected { plan, .. } => {
                    if let Some(plan) = plan {
                        older(plan);
                    }
                }
            }
            result
        })
        .collect()
}

/// Changes after a cursor, in sequence order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Pass this back as the next cursor.
    pub next_cursor: u64,
    /// More changes are waiting: pull again at once.
    pub has_more: bool,
}

/// A refusal of a device's submission: a stable code and what the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

/// Checks reviewers' remarks before they are stored: how many, not empty, not too long,
/// about a well-formed field, no id twice. (Whether an id is already stored is for the
/// caller, which has the database.)
///
/// # Errors
/// The first [`Refusal`] found.
pub fn check_comments(comments: &[NewComment]) -> Result<(), Refusal> {
    let refuse = |code, message: String| Err(Refusal { code, message });
    if comments.len() > MAX_COMMENTS {
        return refuse(
            "comment.too_many",
            format!("Mỗi lần chỉ gửi tối đa {MAX_COMMENTS} nhận xét."),
        );
    }
    for c in comments {
        if c.body.trim().is_empty() {
            return refuse("comment.empty", "Nhận xét không được để trống.".into());
        }
        if c.body.chars().count() > MAX_COMMENT_LEN {
            return refuse(
                "comment.too_long",
                format!("Mỗi nhận xét dài tối đa {MAX_COMMENT_LEN} ký tự."),
            );
        }
        if c.path.as_deref().is_some_and(|p| path::check(p).is_err()) {
            return refuse(
                "path.syntax",
                "Nhận xét gắn với một trường không hợp lệ.".into(),
            );
        }
    }
    let unique: BTreeSet<Uuid> = comments.iter().map(|c| c.id).collect();
    if unique.len() != comments.len() {
        return refuse(
            "comment.id_taken",
            "Mã nhận xét đã được dùng. Hãy tải lại trang.".into(),
        );
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;

    use super::*;

    #[test]
    fn a_unit_stored_before_committee_kinds_reads_with_the_kind_its_level_meant() {
        // As a device stored it before 2026-12-02: no `committee`, no `office_name`.
        let old = r#"{"id":"00000000-0000-0000-0000-000000000001","parent_id":null,"code":"HU-BL",
            "name":"Đảng bộ huyện Bảo Lâm","level":"district","kind":null,
            "has_subordinate_cells":false,"member_count":0,"sort_order":0,"seq":3}"#;
        let unit: UnitRecord = serde_json::from_str(old).expect("old record");
        assert_eq!(unit.committee(), CommitteeKind::District);
        assert_eq!(unit.office(), "Ban Tổ chức Huyện ủy");
        // Written back, it stays readable by a client that does not know the new fields.
        let json = serde_json::to_value(&unit).expect("write");
        assert!(json.get("committee").is_none());
        let named = UnitRecord {
            committee: Some(CommitteeKind::Province),
            office_name: Some("Ban Tổ chức Tỉnh ủy Lâm Đồng".into()),
            ..unit
        };
        assert_eq!(named.office(), "Ban Tổ chức Tỉnh ủy Lâm Đồng");
        let blank = UnitRecord {
            office_name: Some("  ".into()),
            ..named
        };
        assert_eq!(
            blank.office(),
            "Ban Tổ chức Tỉnh ủy",
            "a blank name is the usual one"
        );
    }

    #[test]
    fn remarks_are_checked_for_count_emptiness_length_path_and_repeated_ids() {
        let remark = |id: u128, body: &str, path: Option<&str>| NewComment {
            id: Uuid::from_u128(id),
            path: path.map(str::to_owned),
            body: body.to_owned(),
        };
        assert_eq!(
            check_comments(&[remark(1, "Cần bổ sung", Some("pool.women"))]),
            Ok(())
        );
        let code = |list: &[NewComment]| check_comments(list).err().map(|r| r.code);
        assert_eq!(code(&[remark(1, "  ", None)]), Some("comment.empty"));
        let long = "x".repeat(MAX_COMMENT_LEN + 1);
        assert_eq!(code(&[remark(1, &long, None)]), Some("comment.too_long"));
        assert_eq!(
            code(&[remark(1, "x", Some("pool..women"))]),
            Some("path.syntax")
        );
        assert_eq!(
            code(&[remark(1, "a", None), remark(1, "b", None)]),
            Some("comment.id_taken")
        );
        let many: Vec<NewComment> = (0..=MAX_COMMENTS as u128)
            .map(|i| remark(i, "x", None))
            .collect();
        assert_eq!(code(&many), Some("comment.too_many"));
    }

    #[test]
    fn a_push_round_trips_through_json() {
        let request = PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: Uuid::from_u128(1),
            mutations: vec![
                Mutation {
                    id: Uuid::from_u128(2),
                    plan_id: Uuid::from_u128(3),
                    base_revision: 4,
                    created_at: DateTime::from_timestamp(1_644_900_000, 0).unwrap_or_default(),
                    op: Operation::Edit {
                        changes: vec![FieldChange {
                            path: "pool.total".into(),
                            base: json!(10),
                            value: json!(12),
                        }],
                    },
                },
                Mutation {
                    id: Uuid::from_u128(5),
                    plan_id: Uuid::from_u128(3),
                    base_revision: 5,
                    created_at: DateTime::from_timestamp(1_644_900_100, 0).unwrap_or_default(),
                    op: Operation::Submit {
                        submitted_at: DateTime::from_timestamp(1_644_900_100, 0)
                            .unwrap_or_default(),
                    },
                },
            ],
        };
        let json = serde_json::to_value(&request).expect("serialise");
        assert!(json["mutations"][0]["op"]["edit"].is_object());
        assert!(json["mutations"][1]["op"]["submit"].is_object());
        let back: PushRequest = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, request);
    }

    #[test]
    fn unknown_operation_kinds_and_fields_are_refused() {
        let bad = json!({"delete_everything": {}});
        assert!(serde_json::from_value::<Operation>(bad).is_err());
        let extra = json!({"edit": {"changes": [], "force": true}});
        assert!(serde_json::from_value::<Operation>(extra).is_err());
        let two =
            json!({"edit": {"changes": []}, "submit": {"submitted_at": "2022-01-01T00:00:00Z"}});
        assert!(serde_json::from_value::<Operation>(two).is_err());
    }

    #[test]
    fn deadlines_are_days_in_vietnam() {
        // 16:59 UTC on 15 Feb is 23:59 in Vietnam: still the 15th.
        let late_evening = DateTime::parse_from_rfc3339("2022-02-15T16:59:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(
            vietnam_date(late_evening),
            NaiveDate::from_ymd_opt(2022, 2, 15).expect("d")
        );
        let after_midnight = DateTime::parse_from_rfc3339("2022-02-15T17:01:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(
            vietnam_date(after_midnight),
            NaiveDate::from_ymd_opt(2022, 2, 16).expect("d")
        );
    }
}
