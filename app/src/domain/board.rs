//! The district's submission board: one row per unit a campaign concerns, with where its plan
//! stands against the deadline.
//!
//! Timeliness counts the moment the unit pressed "Gửi kế hoạch" on its device, not when the
//! server received it: a commune that submitted offline on the last evening and reconnected the
//! next morning submitted on time. (The server keeps device times within sane bounds, so a
//! wrong clock cannot backdate a submission by more than it allows.)

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::coded::coded_enum;
use crate::domain::{Campaign, PlanStatus, UnitKind};

coded_enum! {
    /// Where a unit stands, as the board shows it.
    BoardStatus {
        /// No plan has reached the server.
        NotStarted = "not_started" => "Chưa nộp",
        /// A draft exists, not submitted yet.
        Drafting = "drafting" => "Đang soạn",
        /// Submitted, by the deadline.
        OnTime = "on_time" => "Đã nộp đúng hạn",
        /// Submitted after the deadline.
        Late = "late" => "Nộp muộn",
        /// Returned to the unit for revision.
        Returned = "returned" => "Bị trả lại",
        /// Approved by the district.
        Approved = "approved" => "Đã duyệt",
    }
}

/// Vietnam's offset from UTC (no daylight saving): deadlines are local days.
pub const LOCAL_OFFSET_HOURS: i64 = 7;

/// The last instant a plan is on time: the end of the deadline day, Vietnam time.
pub fn deadline_end(deadline: NaiveDate) -> DateTime<Utc> {
    let next_midnight_local = deadline
        .succ_opt()
        .unwrap_or(deadline)
        .and_time(NaiveTime::MIN);
    DateTime::<Utc>::from_naive_utc_and_offset(next_midnight_local, Utc)
        - Duration::hours(LOCAL_OFFSET_HOURS)
}

/// Whole days (started) after the deadline; 0 when on time.
pub fn days_late(deadline: NaiveDate, at: DateTime<Utc>) -> u32 {
    let over = at - deadline_end(deadline);
    if over <= Duration::zero() {
        return 0;
    }
    let secs = over.num_seconds();
    u32::try_from((secs + 86_399) / 86_400).unwrap_or(u32::MAX)
}

/// What the board needs of a unit.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFacts {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: Option<UnitKind>,
    pub member_count: u32,
    pub sort_order: i32,
}

/// What the board needs of a plan (not its document).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    pub plan_id: Uuid,
    pub unit_id: Uuid,
    pub status: PlanStatus,
    pub submitted_at_device: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub kind: Option<UnitKind>,
    pub member_count: u32,
    pub plan_id: Option<Uuid>,
    pub plan_status: Option<PlanStatus>,
    pub status: BoardStatus,
    /// When the unit pressed submit, by its device.
    pub submitted_at_device: Option<DateTime<Utc>>,
    /// When the server received the submission.
    pub received_at: Option<DateTime<Utc>>,
    /// Submitted on the device by the deadline but received after it (counted as on time).
    pub received_after_deadline: bool,
    /// Days after the deadline: of the submission, or, for a unit that has not submitted, so
    /// far. 0 when on time or before the deadline.
    pub days_late: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub campaign_id: Uuid,
    pub deadline: NaiveDate,
    /// The last on-time instant (end of the deadline day, Vietnam time).
    pub deadline_end: DateTime<Utc>,
    /// How many units are in each status, every status listed (zeros too), in display order.
    pub counts: Vec<(BoardStatus, usize)>,
    pub rows: Vec<BoardRow>,
}

/// Builds the board of `campaign` for `units` (in their display order) from their plans.
pub fn build(
    campaign: &Campaign,
    units: &[UnitFacts],
    plans: &[PlanFacts],
    now: DateTime<Utc>,
) -> Board {
    let by_unit: BTreeMap<Uuid, &PlanFacts> = plans.iter().map(|p| (p.unit_id, p)).collect();
    let end = deadline_end(campaign.deadline);
    let mut ordered: Vec<&UnitFacts> = units.iter().collect();
    ordered.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then(a.name.cmp(&b.name)));
    let rows: Vec<BoardRow> = ordered
        .into_iter()
        .map(|unit| {
            row(
                unit,
                by_unit.get(&unit.id).copied(),
                campaign.deadline,
                end,
                now,
            )
        })
        .collect();
    let counts = BoardStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|r| r.status == *s).count()))
        .collect();
    Board {
        campaign_id: campaign.id,
        deadline: campaign.deadline,
        deadline_end: end,
        counts,
        rows,
    }
}

fn row(
    unit: &UnitFacts,
    plan: Option<&PlanFacts>,
    deadline: NaiveDate,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> BoardRow {
    // The device's time counts; a plan submitted before device times were kept falls back to
    // the server's.
    let submitted = plan.and_then(|p| p.submitted_at_device.or(p.received_at));
    let status = match plan.map(|p| p.status) {
        None => BoardStatus::NotStarted,
        Some(PlanStatus::Draft) => BoardStatus::Drafting,
        Some(PlanStatus::Returned) => BoardStatus::Returned,
        Some(PlanStatus::Approved) => BoardStatus::Approved,
        Some(PlanStatus::Submitted) => match submitted {
            Some(at) if at > end => BoardStatus::Late,
            _ => BoardStatus::OnTime,
        },
    };
    let days_late = match (plan.map(|p| p.status), submitted) {
        (Some(PlanStatus::Submitted | PlanStatus::Approved), Some(at)) => days_late(deadline, at),
        // Returned plans were submitted once; they are judged by that submission too.
        (Some(PlanStatus::Returned), Some(at)) => days_late(deadline, at),
        _ => days_late(deadline, now),
    };
    BoardRow {
        unit_id: unit.id,
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        kind: unit.kind,
        member_count: unit.member_count,
        plan_id: plan.map(|p| p.plan_id),
        plan_status: plan.map(|p| p.status),
        status,
        submitted_at_device: plan.and_then(|p| p.submitted_at_device),
        received_at: plan.and_then(|p| p.received_at),
        received_after_deadline: submitted.is_some_and(|at| at <= end)
            && plan.and_then(|p| p.received_at).is_some_and(|r| r > end),
        days_late,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::domain::{Term, TermTotalRule};

    fn campaign() -> Campaign {
        Campaign {
            id: Uuid::from_u128(1),
            opener_id: Uuid::from_u128(2),
            letter_number: "381-CV/HU".into(),
            letter_date: NaiveDate::from_ymd_opt(2022, 1, 10).expect("date"),
            title: "t".into(),
            term: Term::new(2020, 2025).expect("term"),
            years: vec![2022, 2023, 2024, 2025],
            deadline: NaiveDate::from_ymd_opt(2022, 2, 15).expect("date"),
            term_total_rule: TermTotalRule::AtLeast,
            categories: crate::domain::Categories::classic(),
            coverage: Vec::new(),
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    fn unit(n: u128, order: i32) -> UnitFacts {
        UnitFacts {
            id: Uuid::from_u128(n),
            code: format!("U{n}"),
            name: format!("Đơn vị {n}"),
            kind: Some(UnitKind::Commune),
            member_count: 100,
            sort_order: order,
        }
    }

    fn plan(
        n: u128,
        status: PlanStatus,
        device: Option<&str>,
        received: Option<&str>,
    ) -> PlanFacts {
        PlanFacts {
            plan_id: Uuid::from_u128(100 + n),
            unit_id: Uuid::from_u128(n),
            status,
            submitted_at_device: device.map(at),
            received_at: received.map(at),
        }
    }

    #[test]
    fn the_deadline_ends_at_local_midnight() {
        let d = NaiveDate::from_ymd_opt(2022, 2, 15).expect("date");
        assert_eq!(deadline_end(d), at("2022-02-15T17:00:00Z"));
        assert_eq!(days_late(d, at("2022-02-15T16:59:59Z")), 0);
        assert_eq!(days_late(d, at("2022-02-15T17:00:01Z")), 1);
        assert_eq!(days_late(d, at("2022-02-16T17:00:00Z")), 1);
        assert_eq!(days_late(d, at("2022-02-16T17:00:01Z")), 2);
    }

    #[test]
    fn each_status_and_the_offline_submission_received_late() {
        let units: Vec<UnitFacts> = (1..=7).map(|n| unit(n, 8 - n as i32)).collect();
        let plans = vec![
            plan(2, PlanStatus::Draft, None, None),
            // Pressed submit at 23:00 local on the deadline day, offline; received next morning.
            plan(
                3,
                PlanStatus::Submitted,
                Some("2022-02-15T16:00:00Z"),
                Some("2022-02-16T01:30:00Z"),
            ),
            plan(
                4,
                PlanStatus::Submitted,
                Some("2022-02-18T03:00:00Z"),
                Some("2022-02-18T03:00:01Z"),
            ),
            plan(
                5,
                PlanStatus::Returned,
                Some("2022-02-10T03:00:00Z"),
                Some("2022-02-10T03:00:00Z"),
            ),
            plan(
                6,
                PlanStatus::Approved,
                Some("2022-02-11T03:00:00Z"),
                Some("2022-02-11T03:00:00Z"),
            ),
            // Submitted before device times were kept: the server's time counts.
            plan(7, PlanStatus::Submitted, None, Some("2022-02-14T03:00:00Z")),
        ];
        let board = build(&campaign(), &units, &plans, at("2022-02-20T00:00:00Z"));
        let by = |n: u128| {
            board
                .rows
                .iter()
                .find(|r| r.unit_id == Uuid::from_u128(n))
                .expect("row")
        };
        assert_eq!(by(1).status, BoardStatus::NotStarted);
        assert_eq!(
            by(1).days_late,
            5,
            "not submitted, 5 days after the deadline"
        );
        assert_eq!(by(2).status, BoardStatus::Drafting);
        assert_eq!(by(3).status, BoardStatus::OnTime);
        assert!(by(3).received_after_deadline);
        assert_eq!(by(3).days_late, 0);
        assert_eq!(by(4).status, BoardStatus::Late);
        assert_eq!(by(4).days_late, 3);
        assert!(!by(4).received_after_deadline);
        assert_eq!(by(5).status, BoardStatus::Returned);
        assert_eq!(by(6).status, BoardStatus::Approved);
        assert_eq!(by(7).status, BoardStatus::OnTime);
        // Display order follows the units' sort order.
        assert_eq!(board.rows[0].unit_id, Uuid::from_u128(7));
        let count = |s| board.counts.iter().find(|(c, _)| *c == s).map(|(_, n)| *n);
        assert_eq!(count(BoardStatus::OnTime), Some(2));
        assert_eq!(count(BoardStatus::Late), Some(1));
        assert_eq!(board.counts.iter().map(|(_, n)| n).sum::<usize>(), 7);
    }
}
