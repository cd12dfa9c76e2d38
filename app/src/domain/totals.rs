//! A campaign's totals: the submitted plans added up — pool and targets per year and for the
//! term, by structure — for all the units it asks, per type of organisation and per unit, beside
//! the national guideline of 3–4 % new members a year.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::board::UnitFacts;
use crate::domain::{Breakdown, Categories, Figure, Indicator, PlanDocument, PlanStatus, UnitKind};

/// The guideline's yearly admissions, as per mille of the members (3–4 %).
pub const GUIDELINE_LOW_PER_MILLE: u64 = 30;
pub const GUIDELINE_HIGH_PER_MILLE: u64 = 40;

/// One sum per figure, in the order of [`Figure::all`] for the campaign's categories (the
/// total first). On the wire, an array: for the first release's six, the seven numbers it sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sums(pub Vec<u64>);

impl Sums {
    /// The sum at position `i` of the campaign's figures; zero past the end.
    pub fn at(&self, i: usize) -> u64 {
        self.0.get(i).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.at(0)
    }

    /// Adds a breakdown; blank or invalid figures count as zero (submitted plans have none).
    pub fn add(&mut self, b: &Breakdown, figures: &[Figure]) {
        if self.0.len() < figures.len() {
            self.0.resize(figures.len(), 0);
        }
        for (sum, f) in self.0.iter_mut().zip(figures) {
            *sum += u64::from(b.get(*f).value().unwrap_or(0));
        }
    }

    pub fn add_sums(&mut self, other: &Sums) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }
}

/// The figures of a set of plans added up.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Units in the set.
    pub units: usize,
    /// Plans counted (units whose plan is in an included status).
    pub plans: usize,
    /// Party members of the units whose plans were counted.
    pub members: u64,
    pub pool: Sums,
    /// Keyed by year.
    // JSON object keys are strings: the year is written as one ("2023").
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Sums>))]
    pub targets: BTreeMap<u16, Sums>,
    pub term_target: Sums,
    pub awareness_course: u64,
    pub applied: u64,
    /// Coverage indicators added up, now and at the end of the term (absent when the
    /// campaign asks for none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, CoverageSum>))]
    pub coverage: BTreeMap<Indicator, CoverageSum>,
}

/// One coverage indicator added up over plans: a blank figure today counts as zero, a blank
/// end-of-term figure as today's (no change planned).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageSum {
    pub now: u64,
    pub target: u64,
}

impl Figures {
    /// The sum of one coverage indicator (zero when no plan reports it).
    pub fn coverage_of(&self, indicator: Indicator) -> CoverageSum {
        self.coverage.get(&indicator).copied().unwrap_or_default()
    }

    fn add_plan(
        &mut self,
        unit: &UnitFacts,
        doc: &PlanDocument,
        years: &[u16],
        figures: &[Figure],
    ) {
        self.plans += 1;
        self.members += u64::from(unit.member_count);
        self.pool.add(&doc.pool, figures);
        for year in years {
            let sums = self.targets.entry(*year).or_default();
            if let Some(b) = doc.targets.get(year) {
                sums.add(b, figures);
            }
        }
        self.term_target.add(&doc.term_target, figures);
        self.awareness_course += u64::from(doc.progress.awareness_course.value().unwrap_or(0));
        self.applied += u64::from(doc.progress.applied.value().unwrap_or(0));
        for (indicator, f) in &doc.coverage {
            let sum = self.coverage.entry(*indicator).or_default();
            let now = u64::from(f.now.value().unwrap_or(0));
            sum.now += now;
            // An end-of-term figure left blank plans no change, as the rules read it.
            sum.target += if f.target.is_blank() {
                now
            } else {
                u64::from(f.target.value().unwrap_or(0))
            };
        }
    }

    fn add_figures(&mut self, other: &Figures) {
        self.units += other.units;
        self.plans += other.plans;
        self.members += other.members;
        self.pool.add_sums(&other.pool);
        for (year, sums) in &other.targets {
            self.targets.entry(*year).or_default().add_sums(sums);
        }
        self.term_target.add_sums(&other.term_target);
        self.awareness_course += other.awareness_course;
        self.applied += other.applied;
        for (indicator, s) in &other.coverage {
            let sum = self.coverage.entry(*indicator).or_default();
            sum.now += s.now;
            sum.target += s.target;
        }
    }
}

/// The national guideline for a number of members: new members a year, low and high.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guideline {
    pub members: u64,
    pub yearly_low: u64,
    pub yearly_high: u64,
}

impl Guideline {
    pub fn for_members(members: u64) -> Guideline {
        Guideline {
            members,
            // Rounded up: a target below 3 % of 10 members (0.3) still means one person.
            yearly_low: (members * GUIDELINE_LOW_PER_MILLE).div_ceil(1000),
            // Rounded down, but never below the low end (20 members: 1–1, not 1–0).
            yearly_high: (members * GUIDELINE_HIGH_PER_MILLE / 1000)
                .max((members * GUIDELINE_LOW_PER_MILLE).div_ceil(1000)),
        }
    }
}

/// Which plans the totals count.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// Submitted and approved plans (the default: what units have committed to).
    Submitted,
    /// Approved plans only.
    Approved,
    /// Every plan submitted at least once: submitted, approved, or back with the unit for
    /// revision (for the ranking, which judges a returned plan by its first submission).
    EverSubmitted,
}

impl Include {
    pub fn counts(self, status: PlanStatus) -> bool {
        match self {
            Include::Submitted => matches!(status, PlanStatus::Submitted | PlanStatus::Approved),
            Include::Approved => status == PlanStatus::Approved,
            Include::EverSubmitted => matches!(
                status,
                PlanStatus::Submitted | PlanStatus::Approved | PlanStatus::Returned
            ),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFigures {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub kind: Option<UnitKind>,
    pub status: Option<PlanStatus>,
    pub figures: Figures,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub include: Include,
    pub years: Vec<u16>,
    /// The campaign's categories, which every [`Sums`] follows (absent for the first
    /// release's six).
    #[serde(default, skip_serializing_if = "Categories::is_classic")]
    pub categories: Categories,
    /// All counted units together. (Sent as `district`, the first release's name.)
    #[serde(rename = "district")]
    pub overall: Figures,
    /// The guideline for all the counted units' members.
    pub guideline: Guideline,
    /// Per type of organisation, in [`UnitKind::ALL`] order, only kinds that have units.
    pub by_kind: Vec<(UnitKind, Figures)>,
    /// Per unit, in display order (communes and the town are "by commune").
    pub by_unit: Vec<UnitFigures>,
    /// The opening committee's own term target (its Congress resolution), when its office
    /// entered it: the plans' term targets are compared with it. (Sent as `district_target`.)
    #[serde(default, rename = "district_target")]
    pub own_target: Option<Sums>,
}

impl Totals {
    /// With the opening committee's own term target to compare with.
    pub fn with_own_target(mut self, target: Option<&Breakdown>) -> Totals {
        let figures = Figure::all(&self.categories);
        self.own_target = target.map(|b| {
            let mut sums = Sums::default();
            sums.add(b, &figures);
            sums
        });
        self
    }
}

/// A plan's status and document, for the totals.
pub struct PlanInput<'a> {
    pub unit_id: Uuid,
    pub status: PlanStatus,
    pub document: &'a PlanDocument,
}

/// Problems with the opening committee's own target its office typed, as (figure code,
/// Vietnamese message), for the campaign's categories.
pub fn target_problems(target: &Breakdown, categories: &Categories) -> Vec<(String, String)> {
    use crate::domain::count::CountProblem;
    let mut out = Vec::new();
    let figures = Figure::all(categories);
    for &f in &figures {
        let problem = match target.get(f).problem() {
            None => continue,
            Some(CountProblem::NotANumber | CountProblem::NotInteger) => "phải là số nguyên",
            Some(CountProblem::Negative) => "không được âm",
            Some(CountProblem::TooLarge) => "lớn quá mức cho phép",
        };
        out.push((
            f.code().to_owned(),
            format!("{}: {problem}.", f.label(categories)),
        ));
    }
    for (code, count) in &target.by {
        if !categories.contains(*code) && *count != crate::domain::Count::Empty {
            out.push((
                code.to_string(),
                format!(
                    "Cơ cấu «{}» không có trong đợt này.",
                    categories.label(*code)
                ),
            ));
        }
    }
    let total = target.total.value();
    for f in &figures[1..] {
        if let (Some(v), Some(t)) = (target.get(*f).value(), total)
            && v > t
        {
            out.push((
                f.code().to_owned(),
                format!(
                    "{} ({v}) không được lớn hơn tổng số ({t}).",
                    f.label(categories)
                ),
            ));
        }
    }
    out
}

/// Borrows owned `(unit, status, document)` triples as inputs.
pub fn inputs(plans: &[(Uuid, PlanStatus, PlanDocument)]) -> Vec<PlanInput<'_>> {
    plans
        .iter()
        .map(|(unit_id, status, document)| PlanInput {
            unit_id: *unit_id,
            status: *status,
            document,
        })
        .collect()
}

/// Adds up the plans of `units` for a campaign's `years` and `categories`.
pub fn compute(
    years: &[u16],
    categories: &Categories,
    units: &[UnitFacts],
    plans: &[PlanInput<'_>],
    include: Include,
) -> Totals {
    let figures = Figure::all(categories);
    let by_unit_plan: BTreeMap<Uuid, &PlanInput<'_>> =
        plans.iter().map(|p| (p.unit_id, p)).collect();
    let mut ordered: Vec<&UnitFacts> = units.iter().collect();
    ordered.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then(a.name.cmp(&b.name)));

    let zero = || Sums(vec![0; figures.len()]);
    let empty_years = || years.iter().map(|y| (*y, zero())).collect();
    let mut rows = Vec::with_capacity(ordered.len());
    for unit in ordered {
        let mut unit_figures = Figures {
            units: 1,
            pool: zero(),
            term_target: zero(),
            targets: empty_years(),
            ..Figures::default()
        };
        let plan = by_unit_plan.get(&unit.id);
        if let Some(p) = plan.filter(|p| include.counts(p.status)) {
            unit_figures.add_plan(unit, p.document, years, &figures);
        }
        rows.push(UnitFigures {
            unit_id: unit.id,
            unit_name: unit.name.clone(),
            kind: unit.kind,
            status: plan.map(|p| p.status),
            figures: unit_figures,
        });
    }

    let mut overall = Figures {
        pool: zero(),
        term_target: zero(),
        targets: empty_years(),
        ..Figures::default()
    };
    let mut kinds: BTreeMap<usize, (UnitKind, Figures)> = BTreeMap::new();
    for row in &rows {
        overall.add_figures(&row.figures);
        let kind = row.kind.unwrap_or(UnitKind::Other);
        let index = UnitKind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(usize::MAX);
        kinds
            .entry(index)
            .or_insert_with(|| {
                (
                    kind,
                    Figures {
                        pool: zero(),
                        term_target: zero(),
                        targets: empty_years(),
                        ..Figures::default()
                    },
                )
            })
            .1
            .add_figures(&row.figures);
    }
    let all_members = units.iter().map(|u| u64::from(u.member_count)).sum();
    Totals {
        include,
        years: years.to_vec(),
        categories: categories.clone(),
        overall,
        guideline: Guideline::for_members(all_members),
        by_kind: kinds.into_values().collect(),
        by_unit: rows,
        own_target: None,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::domain::Count;

    fn unit(n: u128, kind: UnitKind, members: u32) -> UnitFacts {
        UnitFacts {
            id: Uuid::from_u128(n),
            code: format!("U{n}"),
            name: format!("Đơn vị {n}"),
            kind: Some(kind),
            member_count: members,
            sort_order: n as i32,
        }
    }

    fn breakdown(values: [i64; 7]) -> Breakdown {
        let mut b = Breakdown::default();
        for (f, v) in Figure::all(&Categories::classic()).into_iter().zip(values) {
            *b.get_mut(f) = Count::Value(v);
        }
        b
    }

    fn doc(pool: [i64; 7], y1: [i64; 7], term: [i64; 7]) -> PlanDocument {
        let mut d = PlanDocument::blank(&[2022, 2023], &[], &Categories::classic());
        d.pool = breakdown(pool);
        d.targets.insert(2022, breakdown(y1));
        d.term_target = breakdown(term);
        d.progress.applied = Count::Value(2);
        d
    }

    #[test]
    fn a_district_target_needs_whole_numbers_and_structure_within_the_total() {
        let six = Categories::classic();
        assert!(target_problems(&breakdown([80, 30, 10, 50, 40, 5, 20]), &six).is_empty());
        let mut bad = breakdown([80, 90, 10, 50, 40, 5, 20]);
        *bad.at_mut("women").expect("women") = Count::Invalid("bốn mươi".into());
        *bad.at_mut("students").expect("students") = Count::Value(-1);
        let problems = target_problems(&bad, &six);
        let codes: Vec<&str> = problems.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["women", "students", "ethnic_minority"]);
        assert!(problems[2].1.contains("không được lớn hơn tổng số (80)"));
    }

    #[test]
    fn totals_add_up_by_district_kind_and_unit_counting_only_included_plans() {
        let units = vec![
            unit(1, UnitKind::Commune, 200),
            unit(2, UnitKind::Commune, 100),
            unit(3, UnitKind::Agency, 50),
            unit(4, UnitKind::Agency, 30),
        ];
        let a = doc(
            [20, 8, 5, 12, 9, 3, 4],
            [5, 2, 1, 3, 2, 1, 1],
            [20, 8, 4, 12, 8, 4, 4],
        );
        let b = doc(
            [10, 1, 0, 6, 5, 2, 2],
            [3, 1, 0, 2, 1, 0, 1],
            [12, 2, 0, 8, 4, 0, 4],
        );
        let c = doc(
            [4, 0, 0, 4, 2, 0, 4],
            [1, 0, 0, 1, 1, 0, 1],
            [4, 0, 0, 4, 2, 0, 4],
        );
        let draft = doc([99; 7], [99; 7], [99; 7]);
        let plans = vec![
            PlanInput {
                unit_id: units[0].id,
                status: PlanStatus::Submitted,
                document: &a,
            },
            PlanInput {
                unit_id: units[1].id,
                status: PlanStatus::Approved,
                document: &b,
            },
            PlanInput {
                unit_id: units[2].id,
                status: PlanStatus::Approved,
                document: &c,
            },
            PlanInput {
                unit_id: units[3].id,
                status: PlanStatus::Draft,
                document: &draft,
            },
        ];
        let t = compute(
            &[2022, 2023],
            &Categories::classic(),
            &units,
            &plans,
            Include::Submitted,
        );
        assert_eq!(t.overall.plans, 3);
        assert_eq!(t.overall.units, 4);
        assert_eq!(t.overall.members, 350, "members of counted units only");
        assert_eq!(t.overall.pool, Sums(vec![34, 9, 5, 22, 16, 5, 10]));
        assert_eq!(t.overall.targets[&2022], Sums(vec![9, 3, 1, 6, 4, 1, 3]));
        assert_eq!(
            t.overall.targets[&2023],
            Sums(vec![0; 7]),
            "no plan had 2023 targets"
        );
        assert_eq!(t.overall.term_target, Sums(vec![36, 10, 4, 24, 14, 4, 12]));
        assert_eq!(t.overall.applied, 6);
        assert_eq!(t.by_kind.len(), 2);
        assert_eq!(t.by_kind[0].0, UnitKind::Commune);
        assert_eq!(t.by_kind[0].1.pool.total(), 30);
        assert_eq!(t.by_kind[1].1.pool.total(), 4);
        assert_eq!(t.by_kind[1].1.units, 2);
        assert_eq!(t.by_unit[3].figures.plans, 0, "the draft is not counted");
        assert_eq!(t.by_unit[3].status, Some(PlanStatus::Draft));
        // 3–4 % of all 380 members: 11.4 → 12 (rounded up) to 15.2 → 15.
        assert_eq!(
            t.guideline,
            Guideline {
                members: 380,
                yearly_low: 12,
                yearly_high: 15
            }
        );

        let approved = compute(
            &[2022, 2023],
            &Categories::classic(),
            &units,
            &plans,
            Include::Approved,
        );
        assert_eq!(approved.overall.plans, 2);
        assert_eq!(approved.overall.pool.total(), 14);
    }
}
