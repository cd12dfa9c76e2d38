//! Coverage indicators (độ phủ tổ chức đảng): how far the Party reaches into the hamlets and
//! residential groups of a unit — the figures ethnic and mountain communes report beside their
//! admission targets ("thôn, tổ dân phố chưa có đảng viên / chưa có chi bộ", "chi bộ ghép",
//! "trưởng thôn chưa là đảng viên").
//!
//! A campaign lists the indicators it asks for; a plan gives, for each, the figure now and the
//! figure it aims at by the end of the term. Every indicator counts hamlets or cells of the
//! unit, so each is bounded by the number of hamlets, and a campaign that asks for any of them
//! asks for that number too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::coded::coded_enum;
use crate::domain::count::Count;

coded_enum! {
    /// One coverage indicator of the catalogue, in the order forms and prints show them.
    Indicator {
        Hamlets = "hamlets" => "Số thôn, tổ dân phố",
        WithoutMember = "hamlets_without_member" => "Thôn, tổ dân phố chưa có đảng viên",
        WithoutCell = "hamlets_without_cell" => "Thôn, tổ dân phố chưa có chi bộ",
        MergedCells = "merged_cells" => "Chi bộ ghép",
        HeadsNotMembers = "hamlet_heads_not_members" => "Trưởng thôn, tổ trưởng tổ dân phố chưa là đảng viên",
    }
}

/// The most indicators one campaign may ask for: the catalogue, each once.
pub const MAX_INDICATORS: usize = 5;

impl Indicator {
    /// What it counts, in a sentence, for the campaign form.
    pub fn description(self) -> &'static str {
        match self {
            Indicator::Hamlets => {
                "Thôn, bản, tổ dân phố của đơn vị; các chỉ số khác không vượt số này."
            }
            Indicator::WithoutMember => "Thôn, tổ dân phố chưa có đảng viên nào sinh hoạt.",
            Indicator::WithoutCell => {
                "Thôn, tổ dân phố chưa có chi bộ riêng (kể cả nơi sinh hoạt ghép)."
            }
            Indicator::MergedCells => "Chi bộ sinh hoạt ghép của hai thôn, tổ dân phố trở lên.",
            Indicator::HeadsNotMembers => "Trưởng thôn, tổ trưởng tổ dân phố chưa là đảng viên.",
        }
    }

    /// Whether the plan aims to bring it down: a gap in coverage, whose end-of-term figure
    /// above today's earns a warning.
    pub fn is_gap(self) -> bool {
        matches!(
            self,
            Indicator::WithoutMember | Indicator::WithoutCell | Indicator::HeadsNotMembers
        )
    }
}

/// One indicator's figures in a plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoverageFigures {
    /// The figure when the plan is written.
    pub now: Count,
    /// The figure the plan aims at by the end of the term.
    pub target: Count,
}

/// A plan's coverage figures, by indicator.
pub type Coverage = BTreeMap<Indicator, CoverageFigures>;

/// The two figures of an indicator, as they appear in field paths (`coverage.hamlets.now`).
pub const WHEN: [&str; 2] = ["now", "target"];

impl CoverageFigures {
    pub fn at(&self, when: &str) -> Option<&Count> {
        match when {
            "now" => Some(&self.now),
            "target" => Some(&self.target),
            _ => None,
        }
    }

    pub fn at_mut(&mut self, when: &str) -> Option<&mut Count> {
        match when {
            "now" => Some(&mut self.now),
            "target" => Some(&mut self.target),
            _ => None,
        }
    }
}

/// Why a campaign's list of indicators cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProblem {
    pub code: &'static str,
    pub message: String,
}

/// What is wrong with a campaign's list: none twice, and the number of hamlets asked for
/// whenever another indicator is (it bounds them all).
pub fn problems(list: &[Indicator]) -> Vec<ListProblem> {
    let mut out = Vec::new();
    if list.len() > MAX_INDICATORS {
        out.push(ListProblem {
            code: "coverage.too_many",
            message: format!("Một đợt hỏi tối đa {MAX_INDICATORS} chỉ số độ phủ."),
        });
        return out;
    }
    for (i, indicator) in list.iter().enumerate() {
        if list[..i].contains(indicator) {
            out.push(ListProblem {
                code: "coverage.twice",
                message: format!("Chỉ số «{}» được chọn hai lần.", indicator.label()),
            });
        }
    }
    if !list.is_empty() && !list.contains(&Indicator::Hamlets) {
        out.push(ListProblem {
            code: "coverage.hamlets_missing",
            message: format!(
                "Khi hỏi các chỉ số độ phủ, đợt cần hỏi cả «{}»: các chỉ số khác được so với số này.",
                Indicator::Hamlets.label()
            ),
        });
    }
    out
}

/// A list in the catalogue's order with the number of hamlets first whenever anything is
/// asked: what the campaign form keeps as boxes are ticked.
pub fn normalised(list: &[Indicator]) -> Vec<Indicator> {
    if list.is_empty() {
        return Vec::new();
    }
    Indicator::ALL
        .iter()
        .copied()
        .filter(|i| *i == Indicator::Hamlets || list.contains(i))
        .collect()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_list_needs_the_number_of_hamlets_and_no_indicator_twice() {
        let codes = |l: &[Indicator]| problems(l).into_iter().map(|p| p.code).collect::<Vec<_>>();
        assert!(codes(&[]).is_empty());
        assert!(codes(Indicator::ALL).is_empty());
        assert_eq!(
            codes(&[Indicator::WithoutCell]),
            ["coverage.hamlets_missing"]
        );
        assert_eq!(
            codes(&[
                Indicator::Hamlets,
                Indicator::MergedCells,
                Indicator::MergedCells
            ]),
            ["coverage.twice"]
        );
        assert_eq!(
            normalised(&[Indicator::HeadsNotMembers, Indicator::WithoutMember]),
            [
                Indicator::Hamlets,
                Indicator::WithoutMember,
                Indicator::HeadsNotMembers
            ]
        );
        assert!(normalised(&[]).is_empty());
        assert_eq!(Indicator::ALL.len(), MAX_INDICATORS);
    }

    #[test]
    fn figures_travel_as_an_object_keyed_by_code() {
        let mut c = Coverage::new();
        c.insert(
            Indicator::WithoutCell,
            CoverageFigures {
                now: Count::Value(2),
                target: Count::Value(0),
            },
        );
        let json = serde_json::to_string(&c).expect("write");
        assert_eq!(json, r#"{"hamlets_without_cell":{"now":2,"target":0}}"#);
        assert_eq!(serde_json::from_str::<Coverage>(&json).expect("read"), c);
        assert!(serde_json::from_str::<Coverage>(r#"{"villages":{"now":1}}"#).is_err());
    }
}
