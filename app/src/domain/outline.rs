//! The parts of a plan and their numbers, one list for the editor and the printed plan.
//!
//! The printed plan follows the letter's outline (assessment, pool, targets, breakdown per
//! cell, screening, solutions, recommendations) in Roman numerals, the way administrative
//! documents number their parts. The editor shows the same parts under the same numbers, so
//! "mục IV" means one thing to the person filling the plan and to the reviewer holding the
//! printout. A unit without subordinate cells has no breakdown part and the parts after it
//! move up by one, on screen and on paper alike.

/// A part of the plan, in the order of the printed document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// Number, date, place and signer: the document's letterhead, not a numbered part.
    Header,
    Assessment,
    Pool,
    Targets,
    Cells,
    Screening,
    Solutions,
    Recommendations,
    /// The list of outstanding people: an annex, not printed in the plan's body.
    Roster,
    /// The yearly report of admissions, filled after approval.
    Actuals,
}

const NUMERALS: [&str; 7] = ["I", "II", "III", "IV", "V", "VI", "VII"];

impl Part {
    /// Every part, in the order the editor shows them.
    pub const ALL: [Part; 10] = [
        Part::Header,
        Part::Assessment,
        Part::Pool,
        Part::Targets,
        Part::Cells,
        Part::Screening,
        Part::Solutions,
        Part::Recommendations,
        Part::Roster,
        Part::Actuals,
    ];

    /// The part's full title (sentence case; the print view writes it in capitals).
    pub fn title(self) -> &'static str {
        match self {
            Part::Header => "Thông tin chung",
            Part::Assessment => "Đánh giá tình hình",
            Part::Pool => "Nguồn quần chúng ưu tú hiện có",
            Part::Targets => "Chỉ tiêu kết nạp đảng viên",
            Part::Cells => "Phân bổ cho các chi bộ trực thuộc",
            Part::Screening => "Rà soát, sàng lọc đảng viên",
            Part::Solutions => "Giải pháp thực hiện",
            Part::Recommendations => "Kiến nghị",
            Part::Roster => "Danh sách quần chúng ưu tú (không bắt buộc)",
            Part::Actuals => "Kết quả kết nạp (báo cáo hằng năm)",
        }
    }

    /// A short name for menus.
    pub fn short(self) -> &'static str {
        match self {
            Part::Header => "Thông tin chung",
            Part::Assessment => "Đánh giá",
            Part::Pool => "Nguồn",
            Part::Targets => "Chỉ tiêu",
            Part::Cells => "Chi bộ",
            Part::Screening => "Rà soát",
            Part::Solutions => "Giải pháp",
            Part::Recommendations => "Kiến nghị",
            Part::Roster => "Danh sách",
            Part::Actuals => "Kết quả",
        }
    }

    /// The element id of the part's section in the editor.
    pub fn anchor(self) -> &'static str {
        match self {
            Part::Header => "s-header",
            Part::Assessment => "s-assessment",
            Part::Pool => "s-pool",
            Part::Targets => "s-targets",
            Part::Cells => "s-cells",
            Part::Screening => "s-screening",
            Part::Solutions => "s-solutions",
            Part::Recommendations => "s-notes",
            Part::Roster => "s-roster",
            Part::Actuals => "s-actuals",
        }
    }

    /// The part a field path belongs to.
    pub fn of_path(path: &str) -> Option<Part> {
        let mut parts = path.split('.');
        Some(match parts.next()? {
            "header" => Part::Header,
            // The coverage of the hamlets is part of the situation the plan starts from.
            "coverage" => Part::Assessment,
            "pool" | "progress" => Part::Pool,
            "targets" | "term_target" => Part::Targets,
            "cells" => Part::Cells,
            "screening" => Part::Screening,
            "sections" => match parts.next()? {
                "assessment" => Part::Assessment,
                "solutions" => Part::Solutions,
                "notes" => Part::Recommendations,
                _ => return None,
            },
            "roster" => Part::Roster,
            "actuals" => Part::Actuals,
            _ => return None,
        })
    }

    /// The part's Roman numeral in a plan with or without subordinate cells, or `None` for
    /// the letterhead and the annexes (and for the breakdown of a unit without cells).
    pub fn numeral(self, has_cells: bool) -> Option<&'static str> {
        let position = match self {
            Part::Header | Part::Roster | Part::Actuals => return None,
            Part::Cells if !has_cells => return None,
            Part::Assessment => 0,
            Part::Pool => 1,
            Part::Targets => 2,
            Part::Cells => 3,
            Part::Screening => 4,
            Part::Solutions => 5,
            Part::Recommendations => 6,
        };
        let shift = usize::from(!has_cells && position > 3);
        NUMERALS.get(position - shift).copied()
    }

    /// "IV. Phân bổ cho các chi bộ trực thuộc", or the bare title for an unnumbered part.
    pub fn heading(self, has_cells: bool) -> String {
        self.with_number(self.title(), has_cells)
    }

    /// "IV. Chi bộ", for menus.
    pub fn short_heading(self, has_cells: bool) -> String {
        self.with_number(self.short(), has_cells)
    }

    fn with_number(self, text: &str, has_cells: bool) -> String {
        match self.numeral(has_cells) {
            Some(n) => format!("{n}. {text}"),
            None => text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_printed_outline() {
        let numbered = |has_cells| -> Vec<String> {
            Part::ALL
                .iter()
                .filter_map(|p| p.numeral(has_cells).map(|n| format!("{n} {}", p.short())))
                .collect()
        };
        assert_eq!(
            numbered(true),
            [
                "I Đánh giá",
                "II Nguồn",
                "III Chỉ tiêu",
                "IV Chi bộ",
                "V Rà soát",
                "VI Giải pháp",
                "VII Kiến nghị"
            ]
        );
        // Without cells, the breakdown is not a part and the rest move up by one.
        assert_eq!(
            numbered(false),
            [
                "I Đánh giá",
                "II Nguồn",
                "III Chỉ tiêu",
                "IV Rà soát",
                "V Giải pháp",
                "VI Kiến nghị"
            ]
        );
    }

    #[test]
    fn every_field_path_has_its_part() {
        assert_eq!(Part::of_path("header.place"), Some(Part::Header));
        assert_eq!(Part::of_path("progress.applied"), Some(Part::Pool));
        assert_eq!(Part::of_path("term_target.women"), Some(Part::Targets));
        assert_eq!(Part::of_path("sections.notes"), Some(Part::Recommendations));
        assert_eq!(Part::of_path("sections.assessment"), Some(Part::Assessment));
        assert_eq!(Part::of_path("sections.other"), None);
        assert_eq!(Part::of_path("nothing"), None);
        assert_eq!(
            Part::Screening.heading(false),
            "IV. Rà soát, sàng lọc đảng viên"
        );
        assert_eq!(Part::Header.heading(true), "Thông tin chung");
    }
}
