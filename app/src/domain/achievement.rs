//! Achievement and the emulation ranking: each unit's actual admissions (reported year by year
//! in its plan's `actuals`) against its targets, and a score that explains itself.
//!
//! Score (0–100) = (w₁ × timeliness + w₂ × target achieved + w₃ × structure achieved)
//!                 ÷ (w₁ + w₂ + w₃) × 100
//! - timeliness: 1 for a plan submitted by the deadline, falling by 1/30 for each day late, 0
//!   for no submitted plan;
//! - target achieved: actual total ÷ target total, capped at 1 (0 when no target was set: a
//!   plan that promises nothing earns nothing for it);
//! - structure achieved: the same ratio for each structure with a target, averaged (0 when
//!   no structure has a target).
//!
//! A plan counts once it has been submitted — also while it is back with the unit for
//! revision, judged by its first submission.
//!
//! The weights are the Board's to set; the screen shows this formula with them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::board::{Board, BoardStatus};
use crate::domain::totals::{PlanInput, Sums};
use crate::domain::{Categories, Figure, UnitKind};

/// Days late after which timeliness counts nothing.
pub const LATE_DAYS_TO_ZERO: u32 = 30;

/// How much each part weighs in the score.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    pub timeliness: u32,
    pub target: u32,
    pub structure: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            timeliness: 30,
            target: 40,
            structure: 30,
        }
    }
}

impl Weights {
    /// Each weight at most 100 and not all zero.
    pub fn problem(&self) -> Option<&'static str> {
        if [self.timeliness, self.target, self.structure]
            .iter()
            .any(|w| *w > 100)
        {
            return Some("Mỗi trọng số từ 0 đến 100.");
        }
        if self.timeliness + self.target + self.structure == 0 {
            return Some("Cần ít nhất một trọng số lớn hơn 0.");
        }
        None
    }

    /// The formula in words, with these weights.
    pub fn formula(&self) -> String {
        format!(
            "Điểm = ({} × đúng hạn + {} × đạt chỉ tiêu + {} × đạt cơ cấu) ÷ {} × 100. Đúng hạn: 1 nếu nộp kế hoạch trước hạn, trừ 1/{} cho mỗi ngày trễ, 0 nếu chưa nộp. Đạt chỉ tiêu: số đã kết nạp ÷ chỉ tiêu (tối đa 1; 0 nếu không đăng ký chỉ tiêu). Đạt cơ cấu: trung bình tỷ lệ đạt của các cơ cấu có chỉ tiêu (tối đa 1 mỗi cơ cấu; 0 nếu không có cơ cấu nào có chỉ tiêu).",
            self.timeliness,
            self.target,
            self.structure,
            self.timeliness + self.target + self.structure,
            LATE_DAYS_TO_ZERO
        )
    }
}

/// The period compared: one year, or the whole term (all the campaign's years together).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Year(u16),
    Term,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementRow {
    pub rank: usize,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub kind: Option<UnitKind>,
    pub status: BoardStatus,
    pub days_late: u32,
    pub target: Sums,
    pub actual: Sums,
    pub timeliness: f64,
    pub target_rate: f64,
    pub structure_rate: f64,
    pub score: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Achievement {
    pub period: Period,
    pub weights: Weights,
    pub formula: String,
    pub target: Sums,
    pub actual: Sums,
    /// Best first; equal scores share a rank.
    pub rows: Vec<AchievementRow>,
}

fn ratio(actual: u64, target: u64) -> f64 {
    if target == 0 {
        0.0
    } else {
        (actual as f64 / target as f64).min(1.0)
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Ranks the board's units for `period`, with their plans (submitted or approved count).
/// "Structure achieved" is over the campaign's `categories`.
pub fn compute(
    board: &Board,
    plans: &[PlanInput<'_>],
    years: &[u16],
    categories: &Categories,
    period: Period,
    weights: Weights,
) -> Achievement {
    let figures = Figure::all(categories);
    let zero = || Sums(vec![0; figures.len()]);
    let sum: u32 = weights.timeliness + weights.target + weights.structure;
    let total_weight = f64::from(sum.max(1));
    let mut rows: Vec<AchievementRow> = board
        .rows
        .iter()
        .map(|row| {
            let plan = plans.iter().find(|p| {
                p.unit_id == row.unit_id
                    && crate::domain::totals::Include::Submitted.counts(p.status)
            });
            let (mut target, mut actual) = (zero(), zero());
            if let Some(p) = plan {
                let in_period: Vec<u16> = match period {
                    Period::Year(y) => vec![y],
                    Period::Term => years.to_vec(),
                };
                for y in in_period {
                    if let Some(b) = p.document.targets.get(&y) {
                        target.add(b, &figures);
                    }
                    if let Some(b) = p.document.actuals.get(&y) {
                        actual.add(b, &figures);
                    }
                }
            }
            let timeliness = match (plan, row.status) {
                (None, _) | (_, BoardStatus::NotStarted | BoardStatus::Drafting) => 0.0,
                _ => (1.0 - f64::from(row.days_late) / f64::from(LATE_DAYS_TO_ZERO)).max(0.0),
            };
            let (target_rate, structure_rate) = if plan.is_some() {
                let structures: Vec<f64> = (1..figures.len())
                    .filter(|i| target.at(*i) > 0)
                    .map(|i| ratio(actual.at(i), target.at(i)))
                    .collect();
                let structure_rate = if structures.is_empty() {
                    0.0
                } else {
                    structures.iter().sum::<f64>() / structures.len() as f64
                };
                (ratio(actual.total(), target.total()), structure_rate)
            } else {
                (0.0, 0.0)
            };
            let score = (f64::from(weights.timeliness) * timeliness
                + f64::from(weights.target) * target_rate
                + f64::from(weights.structure) * structure_rate)
                / total_weight
                * 100.0;
            AchievementRow {
                rank: 0,
                unit_id: row.unit_id,
                unit_name: row.unit_name.clone(),
                kind: row.kind,
                status: row.status,
                days_late: row.days_late,
                target,
                actual,
                timeliness: round1(timeliness * 100.0),
                target_rate: round1(target_rate * 100.0),
                structure_rate: round1(structure_rate * 100.0),
                score: round1(score),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let mut previous: Option<(f64, usize)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match previous {
            Some((score, rank)) if score == row.score => rank,
            _ => i + 1,
        };
        previous = Some((row.score, row.rank));
    }
    let (mut target, mut actual) = (zero(), zero());
    for row in &rows {
        target.add_sums(&row.target);
        actual.add_sums(&row.actual);
    }
    Achievement {
        period,
        weights,
        formula: weights.formula(),
        target,
        actual,
        rows,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::board::{self, PlanFacts, UnitFacts};
    use crate::domain::{
        Breakdown, Campaign, Count, PlanDocument, PlanStatus, Term, TermTotalRule,
    };

    fn b(v: [i64; 7]) -> Breakdown {
        let mut out = Breakdown::default();
        for (f, x) in Figure::all(&Categories::classic()).into_iter().zip(v) {
            *out.get_mut(f) = Count::Value(x);
        }
        out
    }

    #[test]
    fn scores_follow_the_formula_and_ties_share_a_rank() {
        let campaign = Campaign {
            id: Uuid::from_u128(1),
            opener_id: Uuid::from_u128(2),
            letter_number: "381-CV/HU".into(),
            letter_date: NaiveDate::from_ymd_opt(2022, 1, 10).expect("date"),
            title: "t".into(),
            term: Term::new(2020, 2025).expect("term"),
            years: vec![2022, 2023],
            deadline: NaiveDate::from_ymd_opt(2022, 2, 15).expect("date"),
            term_total_rule: TermTotalRule::AtLeast,
            categories: Categories::classic(),
            coverage: Vec::new(),
        };
        let unit = |n: u128| UnitFacts {
            id: Uuid::from_u128(n),
            code: format!("U{n}"),
            name: format!("Đơn vị {n}"),
            kind: Some(UnitKind::Commune),
            member_count: 100,
            sort_order: n as i32,
        };
        let units = vec![unit(1), unit(2), unit(3)];
        let on_time = Utc.with_ymd_and_hms(2022, 2, 10, 0, 0, 0).single();
        let late = Utc.with_ymd_and_hms(2022, 2, 21, 0, 0, 0).single(); // 6 days late
        let facts = vec![
            PlanFacts {
                plan_id: Uuid::from_u128(11),
                unit_id: units[0].id,
                status: PlanStatus::Approved,
                submitted_at_device: on_time,
                received_at: on_time,
            },
            PlanFacts {
                plan_id: Uuid::from_u128(12),
                unit_id: units[1].id,
                status: PlanStatus::Submitted,
                submitted_at_device: late,
                received_at: late,
            },
        ];
        let now = Utc
            .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
            .single()
            .expect("now");
        let board = board::build(&campaign, &units, &facts, now);
        // Unit 1: target 4 (2 women), admitted 4 (1 woman): 100 % target, structure 50 %.
        let mut d1 = PlanDocument::blank(&[2022, 2023], &[], &crate::domain::Categories::classic());
        d1.targets.insert(2022, b([4, 0, 0, 0, 2, 0, 0]));
        d1.actuals.insert(2022, b([4, 0, 0, 0, 1, 0, 0]));
        // Unit 2: target 5, admitted 2 (no structure targets): 40 %, structure 0.
        let mut d2 = PlanDocument::blank(&[2022, 2023], &[], &crate::domain::Categories::classic());
        d2.targets.insert(2022, b([5, 0, 0, 0, 0, 0, 0]));
        d2.actuals.insert(2022, b([2, 0, 0, 0, 0, 0, 0]));
        let plans = vec![
            PlanInput {
                unit_id: units[0].id,
                status: PlanStatus::Approved,
                document: &d1,
            },
            PlanInput {
                unit_id: units[1].id,
                status: PlanStatus::Submitted,
                document: &d2,
            },
        ];
        let a = compute(
            &board,
            &plans,
            &campaign.years,
            &campaign.categories,
            Period::Year(2022),
            Weights::default(),
        );
        let row = |n: u128| {
            a.rows
                .iter()
                .find(|r| r.unit_id == Uuid::from_u128(n))
                .expect("row")
        };
        // (30 × 1 + 40 × 1 + 30 × 0.5) ÷ 100 × 100 = 85
        assert_eq!(row(1).score, 85.0);
        assert_eq!(row(1).rank, 1);
        // timeliness 1 − 6/30 = 0.8: (30 × 0.8 + 40 × 0.4 + 30 × 0) = 40
        assert_eq!(row(2).timeliness, 80.0);
        assert_eq!(row(2).score, 40.0);
        assert_eq!(row(3).score, 0.0);
        assert_eq!(row(3).rank, 3);
        assert_eq!(a.target.total(), 9);
        assert_eq!(a.actual.total(), 6);
        // Only timeliness counts: units 1 and 2 differ, unit 3 is last.
        let w = Weights {
            timeliness: 100,
            target: 0,
            structure: 0,
        };
        let t = compute(
            &board,
            &plans,
            &campaign.years,
            &campaign.categories,
            Period::Term,
            w,
        );
        assert_eq!(t.rows[0].score, 100.0);
        assert!(t.formula.contains("100 × đúng hạn"));
        assert!(
            Weights {
                timeliness: 0,
                target: 0,
                structure: 0
            }
            .problem()
            .is_some()
        );
        assert!(
            Weights {
                timeliness: 101,
                target: 0,
                structure: 0
            }
            .problem()
            .is_some()
        );
    }
}
