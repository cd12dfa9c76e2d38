//! A campaign (đợt): a committee's request, by official letter, that the units directly under
//! it (all of them, or those it chose) send their plans for a term by a deadline. In 2022 the
//! opener was a district asking its grassroots organisations; since 2025 it is a province
//! asking its communes, or a commune asking its cells.
//!
//! The deadline is data: letter 381-CV/HU printed "15/02/2021" when it meant 15/02/2022.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::category::Categories;
use crate::domain::coded::coded_enum;
use crate::domain::coverage::Indicator;
use crate::domain::docnumber;
use crate::domain::term::Term;

coded_enum! {
    /// How the whole-term target must relate to the sum of the yearly targets.
    TermTotalRule {
        /// The term target equals the sum of the years asked for.
        Equal = "equal" => "Bằng tổng các năm",
        /// The term target is at least that sum (it may include years already past).
        AtLeast = "at_least" => "Không thấp hơn tổng các năm",
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: Uuid,
    /// The committee that opened it and reviews its plans. Sent as `district_id`, the name of
    /// the first release (whose only opener was a district): devices store campaigns under it
    /// and first-release clients read it.
    #[serde(rename = "district_id")]
    pub opener_id: Uuid,
    /// The letter's number, e.g. `381-CV/HU`.
    pub letter_number: String,
    pub letter_date: NaiveDate,
    /// A short title shown in lists.
    pub title: String,
    pub term: Term,
    /// The years targets are asked for, ascending, all within the term.
    pub years: Vec<u16>,
    /// Plans are due by the end of this day (local time).
    pub deadline: NaiveDate,
    pub term_total_rule: TermTotalRule,
    /// The structure categories its plans break the pool and targets down by, in order.
    /// Absent on the wire for the first release's six, which every campaign stored without a
    /// list asks for, so those campaigns read and travel as they always did.
    #[serde(default, skip_serializing_if = "Categories::is_classic")]
    pub categories: Categories,
    /// The coverage indicators its plans report, the number of hamlets first; none for a
    /// campaign that asks for none (every campaign of the first releases), which travels
    /// without the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<Indicator>,
}

impl Campaign {
    /// Whether a first-release client can read the campaign and its plans: the six categories
    /// of 381-CV/HU and no coverage indicators (see `docs/SYNC.md`, "Document versions").
    pub fn is_first_release_shape(&self) -> bool {
        self.categories.is_classic() && self.coverage.is_empty()
    }
}

/// Why a campaign cannot be opened as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignProblem {
    pub code: &'static str,
    pub field: &'static str,
    pub message: String,
}

impl Campaign {
    /// Checks what a reviewer entered when opening a campaign.
    pub fn problems(&self) -> Vec<CampaignProblem> {
        let mut out = Vec::new();
        let mut push = |code, field, message: String| {
            out.push(CampaignProblem {
                code,
                field,
                message,
            });
        };
        if docnumber::check(&self.letter_number, None).is_err() {
            push(
                "document_number.format",
                "letter_number",
                format!(
                    "Số hiệu công văn «{}» không đúng dạng, ví dụ «381-CV/HU».",
                    self.letter_number
                ),
            );
        }
        if self.title.trim().is_empty() {
            push("required", "title", "Tên đợt: không được để trống.".into());
        }
        if self.title.chars().count() > 200 {
            push(
                "text.too_long",
                "title",
                "Tên đợt: dài quá 200 ký tự.".into(),
            );
        }
        if self.years.is_empty() {
            push(
                "campaign.years_missing",
                "years",
                "Cần chọn ít nhất một năm để đăng ký chỉ tiêu.".into(),
            );
        }
        if self.years.windows(2).any(|w| w[0] >= w[1]) {
            push(
                "campaign.years_order",
                "years",
                "Các năm phải tăng dần và không trùng nhau.".into(),
            );
        }
        if let Some(year) = self.years.iter().find(|y| !self.term.contains(**y)) {
            push(
                "target_year.outside_term",
                "years",
                format!("Năm {year} không thuộc nhiệm kỳ {}.", self.term),
            );
        }
        for problem in self.categories.problems() {
            push(problem.code, "categories", problem.message);
        }
        for problem in crate::domain::coverage::problems(&self.coverage) {
            push(problem.code, "coverage", problem.message);
        }
        if self.deadline < self.letter_date {
            push(
                "campaign.deadline_before_letter",
                "deadline",
                "Hạn nộp không thể trước ngày ban hành công văn.".into(),
            );
        }
        out
    }

    /// Whether the campaign asks `unit` (directly under `parent`) for a plan. `listed` is the
    /// campaign's list of units when its opener chose them; without one (every campaign of the
    /// first release) it asks every unit directly under its opener, including units added
    /// after it opened.
    pub fn asks(&self, listed: &[Uuid], unit: Uuid, parent: Option<Uuid>) -> bool {
        if listed.is_empty() {
            parent == Some(self.opener_id)
        } else {
            listed.contains(&unit)
        }
    }

    /// Whether a plan submitted on `day` (the device's local date when the user pressed
    /// submit) is on time.
    pub fn is_on_time(&self, day: NaiveDate) -> bool {
        day <= self.deadline
    }

    /// Whole days after the deadline (0 when on time).
    pub fn days_late(&self, day: NaiveDate) -> i64 {
        (day - self.deadline).num_days().max(0)
    }
}

/// The units a new campaign asks: those chosen, in the opener's order, or, when none were
/// named, every unit directly under the opener (`under`, in its order).
pub fn units_asked(chosen: Option<&[Uuid]>, under: &[Uuid]) -> Result<Vec<Uuid>, CampaignProblem> {
    let problem = |code, message: &str| CampaignProblem {
        code,
        field: "units",
        message: message.to_owned(),
    };
    let Some(chosen) = chosen else {
        return if under.is_empty() {
            Err(problem(
                "campaign.no_units",
                "Đơn vị của bạn chưa có đơn vị trực thuộc nào để giao kế hoạch.",
            ))
        } else {
            Ok(under.to_vec())
        };
    };
    if chosen.is_empty() {
        return Err(problem(
            "campaign.no_units",
            "Cần chọn ít nhất một đơn vị trực thuộc để giao kế hoạch.",
        ));
    }
    let below: std::collections::BTreeSet<Uuid> = under.iter().copied().collect();
    if chosen.iter().any(|u| !below.contains(u)) {
        return Err(problem(
            "campaign.unit_not_under",
            "Chỉ giao kế hoạch được cho các đơn vị trực thuộc đơn vị của bạn.",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !chosen.iter().all(|u| seen.insert(*u)) {
        return Err(problem(
            "campaign.unit_twice",
            "Một đơn vị được chọn hai lần.",
        ));
    }
    Ok(under
        .iter()
        .filter(|u| seen.contains(*u))
        .copied()
        .collect())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn letter_381() -> Campaign {
        Campaign {
            id: Uuid::from_u128(1),
            opener_id: Uuid::from_u128(2),
            letter_number: "381-CV/HU".into(),
            letter_date: NaiveDate::from_ymd_opt(2022, 1, 10).expect("date"),
            title: "Kế hoạch tạo nguồn năm 2022 và cả nhiệm kỳ".into(),
            term: Term::new(2020, 2025).expect("term"),
            years: vec![2022, 2023, 2024, 2025],
            deadline: NaiveDate::from_ymd_opt(2022, 2, 15).expect("date"),
            term_total_rule: TermTotalRule::AtLeast,
            categories: crate::domain::Categories::classic(),
            coverage: Vec::new(),
        }
    }

    #[test]
    fn letter_381_as_meant_is_a_valid_campaign() {
        assert_eq!(letter_381().problems(), []);
    }

    #[test]
    fn the_printed_typo_deadline_is_caught() {
        let mut c = letter_381();
        c.deadline = NaiveDate::from_ymd_opt(2021, 2, 15).expect("date");
        let codes: Vec<_> = c.problems().iter().map(|p| p.code).collect();
        assert_eq!(codes, ["campaign.deadline_before_letter"]);
    }

    #[test]
    fn years_must_be_in_the_term_ascending_and_present() {
        let mut c = letter_381();
        c.years = vec![2026];
        assert_eq!(c.problems()[0].code, "target_year.outside_term");
        c.years = vec![2023, 2022];
        assert_eq!(c.problems()[0].code, "campaign.years_order");
        c.years = vec![];
        assert_eq!(c.problems()[0].code, "campaign.years_missing");
    }

    #[test]
    fn lateness_counts_whole_days_after_the_deadline() {
        let c = letter_381();
        let day = |d| NaiveDate::from_ymd_opt(2022, 2, d).expect("date");
        assert!(c.is_on_time(day(15)));
        assert!(!c.is_on_time(day(16)));
        assert_eq!(c.days_late(day(14)), 0);
        assert_eq!(c.days_late(day(18)), 3);
    }

    #[test]
    fn a_campaign_asks_every_unit_below_unless_some_are_chosen() {
        let [a, b, c, stranger] = [1, 2, 3, 9].map(Uuid::from_u128);
        let under = [a, b, c];
        assert_eq!(units_asked(None, &under).ok(), Some(vec![a, b, c]));
        assert_eq!(units_asked(Some(&[c, a]), &under).ok(), Some(vec![a, c]));
        let code = |r: Result<Vec<Uuid>, CampaignProblem>| r.err().map(|p| p.code);
        assert_eq!(
            code(units_asked(Some(&[]), &under)),
            Some("campaign.no_units")
        );
        assert_eq!(code(units_asked(None, &[])), Some("campaign.no_units"));
        assert_eq!(
            code(units_asked(Some(&[a, stranger]), &under)),
            Some("campaign.unit_not_under")
        );
        assert_eq!(
            code(units_asked(Some(&[a, a]), &under)),
            Some("campaign.unit_twice")
        );
    }
}
