//! Property tests of the plan model and its rules (native only: proptest does not target
//! wasm32; the shared vectors cover WebAssembly).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use app::domain::category::{CATALOGUE, Category, Code};
use app::domain::coverage::{self, Coverage};
use app::domain::path;
use app::domain::plan::{Breakdown, CellPlan, Figure, PlanDocument};
use app::domain::rules::{CellRef, Rule};
use app::domain::{
    Campaign, Categories, Count, CoverageFigures, Indicator, PlanContext, Term, TermTotalRule,
    UnitProfile, validate,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

const YEARS: [u16; 4] = [2022, 2023, 2024, 2025];

fn campaign_with(categories: Categories) -> Campaign {
    Campaign {
        id: Uuid::from_u128(1),
        opener_id: Uuid::from_u128(2),
        letter_number: "381-CV/HU".into(),
        letter_date: NaiveDate::from_ymd_opt(2022, 1, 10).unwrap_or_default(),
        title: "Kế hoạch tạo nguồn".into(),
        term: Term::new(2020, 2025).unwrap_or_else(|_| unreachable!()),
        years: YEARS.to_vec(),
        deadline: NaiveDate::from_ymd_opt(2022, 2, 15).unwrap_or_default(),
        term_total_rule: TermTotalRule::AtLeast,
        categories,
        coverage: Vec::new(),
    }
}

/// A campaign's coverage indicators (the number of hamlets and 1–4 others) and a plan's
/// figures for them that keep every bound: each at most the hamlets (now and then), hamlets
/// without a member at most those without a cell, and every gap coming down.
fn valid_coverage() -> impl Strategy<Value = (Vec<Indicator>, Coverage)> {
    (
        proptest::sample::subsequence(Indicator::ALL[1..].to_vec(), 1..=4),
        1u32..60,
        1u32..60,
        proptest::collection::vec((0.0f64..=1.0, 0.0f64..=1.0), 4),
    )
        .prop_map(|(others, now, then, shares)| {
            let list = coverage::normalised(&others);
            let mut figures = Coverage::new();
            let set = |n: u32, t: u32| CoverageFigures {
                now: Count::from(n),
                target: Count::from(t),
            };
            figures.insert(Indicator::Hamlets, set(now, then));
            // Scaled shares of the hamlets, the target never above today's figure.
            let part = |bound: u32, share: f64| (f64::from(bound) * share).floor() as u32;
            let cell = shares[1];
            let cell_now = part(now, cell.0);
            let cell_then = part(then.min(cell_now), cell.1);
            for (indicator, (a, b)) in Indicator::ALL[1..].iter().zip(&shares) {
                if !list.contains(indicator) {
                    continue;
                }
                let (n, t) = match indicator {
                    Indicator::WithoutCell => (cell_now, cell_then),
                    // Among those without a cell whenever that is asked too.
                    Indicator::WithoutMember if list.contains(&Indicator::WithoutCell) => {
                        let n = part(cell_now, *a);
                        (n, part(n.min(cell_then), *b))
                    }
                    _ => {
                        let n = part(now, *a);
                        (n, part(n.min(then), *b))
                    }
                };
                figures.insert(*indicator, set(n, t));
            }
            (list, figures)
        })
}

/// A campaign's list: some of the catalogue in any order, and up to three of the committee's
/// own, 1–12 categories in all.
fn categories() -> impl Strategy<Value = Categories> {
    (
        Just(CATALOGUE.to_vec()).prop_shuffle(),
        0..=CATALOGUE.len(),
        proptest::collection::btree_set(any::<u128>(), 0..=3),
    )
        .prop_filter_map("at least one category", |(shuffled, take, own)| {
            let mut list: Vec<Category> = shuffled[..take]
                .iter()
                .filter_map(|e| {
                    Some(Category {
                        code: Code::parse(e.code)?,
                        label: e.label.into(),
                    })
                })
                .collect();
            for (n, id) in own.into_iter().enumerate() {
                list.push(Category {
                    code: Code::custom(Uuid::from_u128(id)),
                    label: format!("Cơ cấu riêng {}", n + 1),
                });
            }
            let list = Categories(list);
            (!list.is_empty() && list.problems().is_empty()).then_some(list)
        })
}

/// A breakdown of `n` categories whose every structure figure is at most its total: the total
/// first, as in `Figure::all`.
fn breakdown(max_total: u32, n: usize) -> impl Strategy<Value = Vec<u32>> {
    (0..=max_total).prop_flat_map(move |total| {
        proptest::collection::vec(0..=total, n)
            .prop_map(move |parts| std::iter::once(total).chain(parts).collect::<Vec<u32>>())
    })
}

fn add(a: &[u32], b: &[u32]) -> Vec<u32> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// A valid plan of a Đảng bộ cơ sở with 1–8 cells for a generated list of categories: the
/// unit's figures are the sums of its cells', each yearly target is between 1 and the pool,
/// the term target is the sum of the years plus a margin, and 1,000 members keep targets
/// within the guideline.
fn valid_plan() -> impl Strategy<Value = (Categories, PlanDocument, UnitProfile)> {
    categories().prop_flat_map(|list| {
        let n = list.len();
        let cell = (
            breakdown(40, n),
            proptest::collection::vec(breakdown(10, n), 4),
        );
        (
            Just(list),
            proptest::collection::vec(cell, 1..=8),
            breakdown(5, n),
            "[a-zA-ZÀ-ỹ][a-zA-ZÀ-ỹ ,.]{0,199}",
        )
            .prop_filter_map(
                "targets within the pool",
                |(list, cells, margin, solutions)| {
                    let (doc, unit) = plan_of(&list, &cells, &margin, solutions)?;
                    Some((list, doc, unit))
                },
            )
    })
}

type CellFigures = (Vec<u32>, Vec<Vec<u32>>);

fn plan_of(
    list: &Categories,
    cells: &[CellFigures],
    margin: &[u32],
    solutions: String,
) -> Option<(PlanDocument, UnitProfile)> {
    let width = list.len() + 1;
    let mut doc = PlanDocument::blank(&YEARS, &[], list);
    let mut unit = UnitProfile {
        id: Uuid::from_u128(10),
        name: "Đảng bộ xã Lộc An".into(),
        member_count: 1000,
        cells: Vec::new(),
    };
    let mut pool = vec![0; width];
    let mut years = vec![vec![0u32; width]; 4];
    for (i, (cell_pool, cell_targets)) in cells.iter().enumerate() {
        let id = Uuid::from_u128(100 + i as u128);
        let name = format!("Chi bộ thôn {}", i + 1);
        unit.cells.push(CellRef {
            id,
            name: name.clone(),
        });
        pool = add(&pool, cell_pool);
        let mut targets = BTreeMap::new();
        for (y, t) in YEARS.iter().zip(cell_targets) {
            targets.insert(*y, Breakdown::from_values(list, t));
        }
        for (acc, t) in years.iter_mut().zip(cell_targets) {
            *acc = add(acc, t);
        }
        doc.cells.insert(
            id,
            CellPlan {
                name,
                pool: Breakdown::from_values(list, cell_pool),
                targets,
            },
        );
    }
    if years.iter().any(|t| t[0] == 0 || t[0] > pool[0]) {
        return None;
    }
    let mut term = margin.to_vec();
    for t in &years {
        term = add(&term, t);
    }
    // The margin may lift a structure figure above the term total: keep the total at least
    // the largest structure figure.
    term[0] = term.iter().copied().max().unwrap_or(0);
    doc.pool = Breakdown::from_values(list, &pool);
    for (y, t) in YEARS.iter().zip(&years) {
        doc.targets.insert(*y, Breakdown::from_values(list, t));
    }
    doc.term_target = Breakdown::from_values(list, &term);
    doc.header.document_number = "05-KH/ĐU".into();
    doc.header.issued_on = "2022-01-25".into();
    doc.header.signer_name = "K' Điểu".into();
    doc.header.signer_title = "Bí thư".into();
    doc.sections.solutions = solutions;
    doc.screening.members = Count::Value(1000);
    Some((doc, unit))
}

/// Any document at all, valid or not, including typed garbage in number fields.
fn any_count() -> impl Strategy<Value = Count> {
    prop_oneof![
        Just(Count::Empty),
        any::<i64>().prop_map(Count::Value),
        // Invalid counts only ever come from typed input, which is how they are made here.
        "[^0-9-]{1,8}".prop_map(|s| Count::parse_input(&s)),
        "[0-9]{1,3}[.,][0-9]{1,2}".prop_map(|s| Count::parse_input(&s)),
    ]
}

/// Any code a breakdown may hold: the catalogue's and a committee's own.
fn any_code() -> impl Strategy<Value = Code> {
    prop_oneof![
        proptest::sample::select(CATALOGUE.iter().map(|e| e.code).collect::<Vec<_>>())
            .prop_filter_map("a catalogue code", Code::parse),
        any::<u128>().prop_map(|id| Code::custom(Uuid::from_u128(id))),
    ]
}

fn any_breakdown() -> impl Strategy<Value = Breakdown> {
    (
        any_count(),
        proptest::collection::btree_map(any_code(), any_count(), 0..10),
    )
        .prop_map(|(total, by)| Breakdown { total, by })
}

fn any_document() -> impl Strategy<Value = PlanDocument> {
    (
        any_breakdown(),
        proptest::collection::btree_map(2015u16..2030, any_breakdown(), 0..6),
        any_breakdown(),
        proptest::collection::btree_map(
            any::<u128>().prop_map(Uuid::from_u128),
            any_breakdown(),
            0..4,
        ),
        ".{0,40}",
        ".{0,200}",
    )
        .prop_map(|(pool, targets, term_target, cells, number, solutions)| {
            let mut doc = PlanDocument {
                pool,
                targets,
                term_target,
                ..PlanDocument::default()
            };
            doc.cells = cells
                .into_iter()
                .map(|(id, pool)| {
                    (
                        id,
                        CellPlan {
                            name: "Chi bộ".into(),
                            pool,
                            targets: BTreeMap::new(),
                        },
                    )
                })
                .collect();
            doc.header.document_number = number;
            doc.sections.solutions = solutions;
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Failures are reported with their minimal input; nothing is written to disk.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_generated_valid_plan_validates_clean((list, doc, unit) in valid_plan()) {
        let campaign = campaign_with(list);
        let report = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
        prop_assert!(report.findings.is_empty(), "{:#?}", report.findings);
        prop_assert!(report.can_submit());
    }

    #[test]
    fn generated_coverage_validates_clean_and_one_indicator_past_the_hamlets_is_that_error(
        (list, doc, unit) in valid_plan(),
        (indicators, figures) in valid_coverage(),
        which in any::<prop::sample::Index>(),
        over in 1u32..40,
    ) {
        let mut campaign = campaign_with(list);
        campaign.coverage.clone_from(&indicators);
        let mut doc = doc;
        doc.coverage = figures;
        let report = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
        prop_assert!(report.findings.is_empty(), "{:#?}", report.findings);

        // One indicator other than the hamlets rises past today's number of hamlets.
        let broken = indicators[1 + which.index(indicators.len() - 1)];
        let hamlets = doc.coverage[&Indicator::Hamlets].now.value().unwrap_or(0);
        if let Some(f) = doc.coverage.get_mut(&broken) {
            f.now = Count::from(hamlets + over);
        }
        let path = format!("coverage.{}.now", broken.code());
        let mut want = vec![(Rule::CoverageExceedsHamlets, path.clone())];
        if broken == Indicator::WithoutMember && indicators.contains(&Indicator::WithoutCell) {
            // Now also more than those without a cell.
            want.push((Rule::CoverageMemberWithoutCell, path));
        }
        want.sort();
        let report = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
        let mut got: Vec<(Rule, String)> =
            report.findings.iter().map(|f| (f.rule, f.path.clone())).collect();
        got.sort();
        prop_assert_eq!(got, want, "{:#?}", report.findings);
    }

    #[test]
    fn a_structure_figure_past_its_total_is_reported_exactly_where_it_is(
        (list, doc, unit) in valid_plan(),
        which in any::<prop::sample::Index>(),
        over in 1u32..50,
        term in any::<bool>(),
    ) {
        // The term target's structure can rise alone (its rule is "at least the sum"); the
        // unit's pool rises together with one cell's, so that the cells still add up.
        let figures = Figure::all(&list);
        let figure = figures[1 + which.index(figures.len() - 1)];
        let campaign = campaign_with(list);
        let mut doc = doc;
        let mut expected = Vec::new();
        if term {
            let total = doc.term_target.total.value().unwrap_or(0);
            *doc.term_target.get_mut(figure) = Count::from(total + over);
            expected.push(format!("term_target.{}", figure.code()));
        } else {
            let total = doc.pool.total.value().unwrap_or(0);
            let old = doc.pool.get(figure).value().unwrap_or(0);
            let new = total + over;
            *doc.pool.get_mut(figure) = Count::from(new);
            expected.push(format!("pool.{}", figure.code()));
            // Keep the cells adding up: the first cell takes the whole increase, which may
            // lift its own figure past its own total — a second, expected error.
            if let Some((id, cell)) = doc.cells.iter_mut().next() {
                let raised = cell.pool.get(figure).value().unwrap_or(0) + (new - old);
                *cell.pool.get_mut(figure) = Count::from(raised);
                if raised > cell.pool.total.value().unwrap_or(0) {
                    expected.push(format!("cells.{id}.pool.{}", figure.code()));
                }
            }
        }
        let report = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
        let mut got: Vec<(Rule, String)> =
            report.errors().map(|f| (f.rule, f.path.clone())).collect();
        got.sort();
        let mut want: Vec<(Rule, String)> =
            expected.into_iter().map(|p| (Rule::StructureExceedsTotal, p)).collect();
        want.sort();
        prop_assert_eq!(got, want, "{:#?}", report.findings);
    }

    #[test]
    fn a_negative_figure_anywhere_is_exactly_one_error(
        (list, doc, unit) in valid_plan(),
        pick in any::<prop::sample::Index>(),
        value in -1000i64..0,
    ) {
        let campaign = campaign_with(list);
        let json = serde_json::to_value(&doc).unwrap_or_default();
        let paths: Vec<String> = count_paths(&json, String::new());
        let target = pick.get(&paths).clone();
        let changed = path::apply(&doc, [(target.as_str(), &serde_json::json!(value))])
            .unwrap_or_else(|e| panic!("{target}: {e}"));
        let report = validate(&changed, PlanContext { campaign: &campaign, unit: &unit });
        let errors: Vec<_> = report.errors().collect();
        prop_assert_eq!(errors.len(), 1, "{}: {:#?}", target, report.findings);
        prop_assert_eq!(errors[0].rule, Rule::CountNegative);
        prop_assert_eq!(&errors[0].path, &target);
    }

    #[test]
    fn any_document_round_trips_through_json(doc in any_document()) {
        let json = serde_json::to_string(&doc).expect("serialise");
        let back: PlanDocument = serde_json::from_str(&json).expect("deserialise");
        prop_assert_eq!(back, doc);
    }

    #[test]
    fn applying_the_diff_of_two_documents_turns_one_into_the_other(
        old in any_document(),
        new in any_document(),
    ) {
        let changes = path::diff(&old, &new);
        let rebuilt = path::apply(&old, changes.iter().map(|d| (d.path.as_str(), &d.new)))
            .expect("a diff always applies");
        prop_assert_eq!(rebuilt, new);
    }

    #[test]
    fn a_figure_in_a_category_the_campaign_does_not_ask_is_exactly_one_error(
        (list, doc, unit) in valid_plan(),
        extra in any::<u128>(),
        value in 1u32..10,
    ) {
        let code = Code::custom(Uuid::from_u128(extra));
        prop_assume!(!list.contains(code));
        let campaign = campaign_with(list);
        let mut doc = doc;
        *doc.pool.get_mut(Figure::Of(code)) = Count::from(value);
        let report = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
        let errors: Vec<(Rule, String)> =
            report.errors().map(|f| (f.rule, f.path.clone())).collect();
        prop_assert_eq!(errors, vec![(Rule::StructureNotAsked, format!("pool.{code}"))]);
    }

    #[test]
    fn validation_never_panics_on_any_document(doc in any_document(), list in categories()) {
        let campaign = campaign_with(list);
        let unit = UnitProfile { id: Uuid::nil(), name: "Chi bộ".into(), member_count: 30, cells: Vec::new() };
        let _ = validate(&doc, PlanContext { campaign: &campaign, unit: &unit });
    }
}

/// Paths of every number in a serialised valid plan (all counts there are numbers).
fn count_paths(value: &serde_json::Value, prefix: String) -> Vec<String> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| k.as_str() != "schema_version")
            .flat_map(|(k, v)| {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                count_paths(v, p)
            })
            .collect(),
        serde_json::Value::Number(_) => vec![prefix],
        _ => Vec::new(),
    }
}
