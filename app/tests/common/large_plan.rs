//! A large, realistic plan: a Đảng bộ cơ sở with 50 subordinate cells, four target years and
//! a 200-person roster. Shared by the native benchmark (`benches/validate.rs`) and the
//! WebAssembly measurement (`tests/wasm_timing.rs`).

use std::collections::BTreeMap;

use app::domain::plan::{Breakdown, Candidate, CellPlan, Occupation, PlanDocument, Sex, Stage};
use app::domain::rules::CellRef;
use app::domain::{Campaign, Count, Term, TermTotalRule, UnitProfile};
use chrono::NaiveDate;
use uuid::Uuid;

pub fn fifty_cell_plan() -> (PlanDocument, UnitProfile, Campaign) {
    let years = [2022u16, 2023, 2024, 2025];
    let campaign = Campaign {
        id: Uuid::from_u128(1),
        opener_id: Uuid::from_u128(2),
        letter_number: "381-CV/HU".into(),
        letter_date: NaiveDate::from_ymd_opt(2022, 1, 10).unwrap_or_default(),
        title: "Kế hoạch tạo nguồn".into(),
        term: Term::new(2020, 2025).unwrap_or_else(|_| unreachable!()),
        years: years.to_vec(),
        deadline: NaiveDate::from_ymd_opt(2022, 2, 15).unwrap_or_default(),
        term_total_rule: TermTotalRule::AtLeast,
        categories: app::domain::Categories::classic(),
        coverage: Vec::new(),
    };
    let mut doc = PlanDocument::blank(&years, &[], &app::domain::Categories::classic());
    let mut unit = UnitProfile {
        id: Uuid::from_u128(3),
        name: "Đảng bộ lớn".into(),
        member_count: 2000,
        cells: Vec::new(),
    };
    for i in 0..50u32 {
        let id = Uuid::from_u128(1000 + u128::from(i));
        let name = format!("Chi bộ thôn {}", i + 1);
        unit.cells.push(CellRef {
            id,
            name: name.clone(),
        });
        let targets: BTreeMap<u16, Breakdown> = years
            .iter()
            .map(|y| (*y, Breakdown::classic([2, 1, 0, 1, 1, 0, 1])))
            .collect();
        doc.cells.insert(
            id,
            CellPlan {
                name,
                pool: Breakdown::classic([6, 2, 1, 4, 3, 1, 1]),
                targets,
            },
        );
    }
    doc.pool = Breakdown::classic([300, 100, 50, 200, 150, 50, 50]);
    for y in years {
        doc.targets
            .insert(y, Breakdown::classic([100, 50, 0, 50, 50, 0, 50]));
    }
    doc.term_target = Breakdown::classic([400, 200, 0, 200, 200, 0, 200]);
    doc.header.document_number = "05-KH/ĐU".into();
    doc.header.issued_on = "2022-01-25".into();
    doc.header.signer_name = "K' Điểu".into();
    doc.header.signer_title = "Bí thư".into();
    doc.sections.solutions = "Giải pháp ".repeat(500);
    doc.screening.members = Count::Value(2000);
    for i in 0..200u32 {
        doc.roster.0.insert(
            Uuid::from_u128(5000 + u128::from(i)),
            Candidate {
                full_name: format!("Quần chúng {i}"),
                birth_year: Count::Value(1990 + i64::from(i % 15)),
                sex: Some(if i % 2 == 0 { Sex::Female } else { Sex::Male }),
                ethnicity: if i % 3 == 0 {
                    "K'Ho".into()
                } else {
                    "Kinh".into()
                },
                religion: String::new(),
                occupation: Some(Occupation::Farmer),
                cell_id: Some(Uuid::from_u128(1000 + u128::from(i % 50))),
                stage: Some(Stage::Identified),
                expected_admission_year: Count::Value(2024),
            },
        );
    }
    (doc, unit, campaign)
}
