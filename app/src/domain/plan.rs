//! The source-creation plan (kế hoạch tạo nguồn) of one grassroots Party organisation for one
//! campaign: the document users fill in, and its status.
//!
//! The document is deliberately lenient — a draft typed offline may hold a negative figure, a
//! word in a number box or an empty signer — because nothing a user typed may be lost. The
//! rules in [`crate::domain::rules`] say what is wrong; only submission requires them clean.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::category::{Categories, Code};
use crate::domain::coded::coded_enum;
use crate::domain::count::Count;
use crate::domain::coverage::{Coverage, CoverageFigures, Indicator};

/// The version of the serialised [`PlanDocument`]. Raise it (and teach [`upgrade`], the
/// server's stored documents and the devices' stores to follow) whenever a reader of the
/// previous version could not read what this one writes.
///
/// - 1: the first release: the six categories of 381-CV/HU.
/// - 2: breakdowns by any category a campaign lists, and `coverage`. Every version-1 document
///   is a version-2 document with another number; a version-1 reader refuses the new fields,
///   so the server serves first-release clients only what they can read (`docs/SYNC.md`).
pub const SCHEMA_VERSION: u32 = 2;

/// The first version, which clients of the first release read and write.
pub const FIRST_SCHEMA_VERSION: u32 = 1;

/// Brings a document read from an older store or an older client to [`SCHEMA_VERSION`];
/// `false` (and the document untouched) for a version this code does not know, which the rules
/// then report.
pub fn upgrade(doc: &mut PlanDocument) -> bool {
    match doc.schema_version {
        SCHEMA_VERSION => true,
        // Nothing moves: version 2 only adds to what version 1 could say.
        FIRST_SCHEMA_VERSION => {
            doc.schema_version = SCHEMA_VERSION;
            true
        }
        _ => false,
    }
}

/// A document as a device of an earlier release reads it in a push's answer: renumbered 1,
/// without blank coverage entries. Categories are kept: the first release never holds a plan
/// of a campaign with others (it is not sent such campaigns), the 2026-12-03 release reads any.
/// `None` when it has coverage figures, which no earlier release can read.
pub fn for_version_1_reader(doc: &PlanDocument) -> Option<PlanDocument> {
    let mut old = doc.clone();
    old.coverage
        .retain(|_, f| !(f.now.is_blank() && f.target.is_blank()));
    if !old.coverage.is_empty() {
        return None;
    }
    old.schema_version = FIRST_SCHEMA_VERSION;
    Some(old)
}

/// A document as a first-release client reads it, when it can: the same figures under
/// version 1, without blank entries it has no field for. `None` when it holds what version 1
/// cannot say (a coverage figure, a figure under a category beyond the six).
pub fn first_release_form(doc: &PlanDocument) -> Option<PlanDocument> {
    let classic = Categories::classic();
    let mut old = doc.clone();
    let fits = |b: &mut Breakdown| {
        b.by.retain(|code, count| classic.contains(*code) || !count.is_blank());
        b.fits(&classic)
    };
    let mut all_fit = fits(&mut old.pool) && fits(&mut old.term_target);
    for b in old.targets.values_mut().chain(old.actuals.values_mut()) {
        all_fit &= fits(b);
    }
    for cell in old.cells.values_mut() {
        all_fit &= fits(&mut cell.pool);
        for b in cell.targets.values_mut() {
            all_fit &= fits(b);
        }
    }
    old.coverage
        .retain(|_, f| !(f.now.is_blank() && f.target.is_blank()));
    if !all_fit || !old.coverage.is_empty() {
        return None;
    }
    old.schema_version = FIRST_SCHEMA_VERSION;
    Some(old)
}

/// One figure of a [`Breakdown`]: the total, or the count in one structure category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Figure {
    Total,
    Of(Code),
}

impl Figure {
    /// The figures a campaign asks for: the total, then its categories in its order.
    pub fn all(categories: &Categories) -> Vec<Figure> {
        std::iter::once(Figure::Total)
            .chain(categories.codes().map(Figure::Of))
            .collect()
    }

    /// The field name in the serialised document.
    pub fn code(&self) -> &str {
        match self {
            Figure::Total => "total",
            Figure::Of(c) => c.as_str(),
        }
    }

    /// Its label in a campaign's words.
    pub fn label(self, categories: &Categories) -> String {
        match self {
            Figure::Total => "Tổng số".into(),
            Figure::Of(c) => categories.label(c),
        }
    }

    pub fn from_code(code: &str) -> Option<Figure> {
        match code {
            "total" => Some(Figure::Total),
            other => Code::parse(other).map(Figure::Of),
        }
    }
}

/// The most figures one breakdown may hold: a campaign's categories and room for those a
/// device typed under an older list.
const MAX_FIGURES: usize = 2 * crate::domain::category::MAX_CATEGORIES;

/// A total and its structure: used for the pool, each year's target and the term target.
///
/// On the wire, one object: `total` and one field per category code (`{"total": 12, "women":
/// 5, …}`), the shape the first release wrote for its six categories, so its documents read
/// unchanged. A category left blank and one absent are the same.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    pub total: Count,
    pub by: BTreeMap<Code, Count>,
}

/// What a figure no one typed reads as.
static BLANK: Count = Count::Empty;

impl PartialEq for Breakdown {
    fn eq(&self, other: &Breakdown) -> bool {
        self.total == other.total
            && self
                .by
                .keys()
                .chain(other.by.keys())
                .all(|c| self.of(*c) == other.of(*c))
    }
}

impl Eq for Breakdown {}

impl Breakdown {
    pub fn get(&self, figure: Figure) -> &Count {
        match figure {
            Figure::Total => &self.total,
            Figure::Of(c) => self.of(c),
        }
    }

    /// The figure with this field name (`total`, `women`, …); blank for one not typed.
    pub fn at(&self, code: &str) -> &Count {
        Figure::from_code(code).map_or(&BLANK, |f| self.get(f))
    }

    /// The figure with this field name, to change it; `None` when the name is not a figure's.
    pub fn at_mut(&mut self, code: &str) -> Option<&mut Count> {
        Figure::from_code(code).map(|f| self.get_mut(f))
    }

    fn of(&self, code: Code) -> &Count {
        self.by.get(&code).unwrap_or(&BLANK)
    }

    pub fn get_mut(&mut self, figure: Figure) -> &mut Count {
        match figure {
            Figure::Total => &mut self.total,
            Figure::Of(c) => self.by.entry(c).or_default(),
        }
    }

    /// A blank breakdown with a field for each of a campaign's categories.
    pub fn blank(categories: &Categories) -> Breakdown {
        Breakdown {
            total: Count::Empty,
            by: categories.codes().map(|c| (c, Count::Empty)).collect(),
        }
    }

    /// A breakdown from numbers in [`Figure::all`] order (tests, demo data).
    pub fn from_values(categories: &Categories, values: &[u32]) -> Breakdown {
        let mut b = Breakdown::blank(categories);
        for (figure, value) in Figure::all(categories).into_iter().zip(values) {
            *b.get_mut(figure) = Count::from(*value);
        }
        b
    }

    /// Whether every category it holds is one of `categories`.
    pub fn fits(&self, categories: &Categories) -> bool {
        self.by.keys().all(|c| categories.contains(*c))
    }

    /// The first release's six, in [`Figure::all`] order of [`Categories::classic`].
    pub fn classic(values: [u32; 7]) -> Breakdown {
        Breakdown::from_values(&Categories::classic(), &values)
    }
}

impl Serialize for Breakdown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1 + self.by.len()))?;
        map.serialize_entry("total", &self.total)?;
        for (code, count) in &self.by {
            map.serialize_entry(code.as_str(), count)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Breakdown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Breakdown, D::Error> {
        struct BreakdownVisitor;
        impl<'de> serde::de::Visitor<'de> for BreakdownVisitor {
            type Value = Breakdown;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a total and counts by structure category")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Breakdown, A::Error> {
                use serde::de::Error;
                let mut b = Breakdown::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "total" {
                        b.total = map.next_value()?;
                        continue;
                    }
                    let code = Code::parse(&key)
                        .ok_or_else(|| A::Error::custom(format!("unknown field `{key}`")))?;
                    b.by.insert(code, map.next_value()?);
                    if b.by.len() > MAX_FIGURES {
                        return Err(A::Error::custom("too many structure categories"));
                    }
                }
                Ok(b)
            }
        }
        d.deserialize_map(BreakdownVisitor)
    }
}

/// The document's header: what the printed plan carries above its title.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Header {
    /// The plan's number and symbol, e.g. `05-KH/ĐU`.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub document_number: String,
    /// The issuing date as an ISO date (`2022-01-25`), kept as typed until valid.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub issued_on: String,
    /// The place name of the date line ("Lộc An, ngày 25 tháng 01 năm 2022").
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub place: String,
    /// Who signs for the Party committee or cell.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub signer_name: String,
    /// The signer's title, e.g. "Bí thư" or "Phó Bí thư".
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub signer_title: String,
}

/// How far the pool of outstanding people has come.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Progress {
    /// Have attended the Party awareness course (lớp bồi dưỡng nhận thức về Đảng).
    pub awareness_course: Count,
    /// Have applied for admission (có đơn xin vào Đảng).
    pub applied: Count,
}

/// The breakdown for one subordinate cell (chi bộ trực thuộc) of a Đảng bộ cơ sở.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CellPlan {
    /// The cell's name when the plan was written, for printing offline.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: String,
    pub pool: Breakdown,
    /// Yearly admission targets of the cell.
    #[serde(deserialize_with = "year_keys")]
    // JSON object keys are strings: the year is written as one ("2023").
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Breakdown>))]
    pub targets: BTreeMap<u16, Breakdown>,
}

/// Reviewing existing members (rà soát, sàng lọc) alongside admitting new ones.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Screening {
    /// Party members the organisation has now.
    pub members: Count,
    /// Members reviewed this year.
    pub reviewed: Count,
    /// Members expected to be removed from the Party (đưa ra khỏi Đảng).
    pub expected_removals: Count,
}

/// The plan's prose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sections {
    /// Assessment of the current situation (đánh giá tình hình).
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub assessment: String,
    /// Solutions (giải pháp thực hiện). Required.
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub solutions: String,
    /// Recommendations and notes (kiến nghị, ghi chú).
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub notes: String,
}

coded_enum! {
    Sex {
        Female = "female" => "Nữ",
        Male = "male" => "Nam",
    }
}

coded_enum! {
    Occupation {
        Student = "student" => "Học sinh, sinh viên",
        Worker = "worker" => "Công nhân, người lao động",
        Farmer = "farmer" => "Nông dân",
        CivilServant = "civil_servant" => "Cán bộ, công chức, viên chức",
        ArmedForces = "armed_forces" => "Lực lượng vũ trang",
        Business = "business" => "Kinh doanh, dịch vụ",
        Other = "other" => "Khác",
    }
}

coded_enum! {
    /// How far one outstanding person has come on the way to admission.
    Stage {
        Identified = "identified" => "Đã xác định là nguồn",
        AwarenessCourse = "awareness_course" => "Đã học lớp nhận thức về Đảng",
        Applied = "applied" => "Đã có đơn xin vào Đảng",
        Admitted = "admitted" => "Đã được kết nạp",
    }
}

/// One outstanding person (quần chúng ưu tú) on the roster.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Candidate {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub full_name: String,
    pub birth_year: Count,
    pub sex: Option<Sex>,
    /// Ethnic group as written, e.g. "Kinh", "K'Ho", "Mạ".
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub ethnicity: String,
    /// Religion as written; empty or "Không" for none.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub religion: String,
    pub occupation: Option<Occupation>,
    /// The subordinate cell that follows this person, when the unit has cells.
    pub cell_id: Option<Uuid>,
    pub stage: Option<Stage>,
    pub expected_admission_year: Count,
}

/// Reads a map keyed by year. JSON object keys are strings; serde turns `"2022"` into a `u16`
/// only when it reads straight from JSON, not when the map sits inside a tagged enum (a sync
/// mutation), so the keys are read as text and parsed here.
fn year_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<u16, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    use serde::de::Error;
    BTreeMap::<String, V>::deserialize(deserializer)?
        .into_iter()
        .map(|(key, value)| {
            key.parse::<u16>()
                .map(|year| (year, value))
                .map_err(|_| D::Error::custom(format!("«{key}» is not a year")))
        })
        .collect()
}

/// Personal data. The wrapper changes nothing on the wire; it marks, in the type, what must
/// stay out of logs, exports and aggregates, and be shown only to those who may see the plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Personal<T>(pub T);

/// The whole plan document of one unit for one campaign.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanDocument {
    pub schema_version: u32,
    pub header: Header,
    /// The current pool of outstanding people.
    pub pool: Breakdown,
    pub progress: Progress,
    /// Admission targets per year.
    #[serde(deserialize_with = "year_keys")]
    // JSON object keys are strings: the year is written as one ("2023").
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Breakdown>))]
    pub targets: BTreeMap<u16, Breakdown>,
    /// Admission target for the whole term.
    pub term_target: Breakdown,
    /// Per subordinate cell, keyed by the cell's unit id (Đảng bộ cơ sở only).
    pub cells: BTreeMap<Uuid, CellPlan>,
    pub screening: Screening,
    pub sections: Sections,
    /// Optional roster of the outstanding people, keyed by an id made on the device.
    // `Personal` is a marker for the code (serde-transparent): on the wire, the map itself.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<Uuid, Candidate>))]
    pub roster: Personal<BTreeMap<Uuid, Candidate>>,
    /// Admissions actually made, per year, reported by the unit as the years pass — also
    /// after the plan is approved (see [`is_report_path`]). Absent from the JSON until the
    /// first report.
    #[serde(
        deserialize_with = "year_keys",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    // JSON object keys are strings: the year is written as one ("2023").
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Breakdown>))]
    pub actuals: BTreeMap<u16, Breakdown>,
    /// Coverage indicators the campaign asks for, now and at the end of the term (version 2;
    /// absent from the JSON when there are none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, CoverageFigures>))]
    pub coverage: Coverage,
}

/// Whether a field path belongs to the yearly report of actual admissions, which the unit
/// keeps writing whatever the plan's status (the plan itself is frozen once submitted).
pub fn is_report_path(path: &str) -> bool {
    path == "actuals" || path.starts_with("actuals.")
}

impl Default for PlanDocument {
    fn default() -> Self {
        PlanDocument {
            schema_version: SCHEMA_VERSION,
            header: Header::default(),
            pool: Breakdown::default(),
            progress: Progress::default(),
            targets: BTreeMap::new(),
            term_target: Breakdown::default(),
            cells: BTreeMap::new(),
            screening: Screening::default(),
            sections: Sections::default(),
            roster: Personal::default(),
            actuals: BTreeMap::new(),
            coverage: Coverage::new(),
        }
    }
}

impl PlanDocument {
    /// A blank plan for a campaign's years and categories and a unit's cells, ready to fill
    /// in.
    pub fn blank(years: &[u16], cells: &[(Uuid, String)], categories: &Categories) -> PlanDocument {
        let blank = Breakdown::blank(categories);
        let targets: BTreeMap<u16, Breakdown> = years.iter().map(|y| (*y, blank.clone())).collect();
        PlanDocument {
            pool: blank.clone(),
            term_target: blank.clone(),
            targets: targets.clone(),
            cells: cells
                .iter()
                .map(|(id, name)| {
                    (
                        *id,
                        CellPlan {
                            name: name.clone(),
                            pool: blank.clone(),
                            targets: targets.clone(),
                        },
                    )
                })
                .collect(),
            ..PlanDocument::default()
        }
    }

    /// A blank plan for a campaign and a unit's cells: its years and categories, and an entry
    /// for each coverage indicator it asks for.
    pub fn for_campaign(
        campaign: &crate::domain::Campaign,
        cells: &[(Uuid, String)],
    ) -> PlanDocument {
        let mut doc = PlanDocument::blank(&campaign.years, cells, &campaign.categories);
        doc.coverage = campaign
            .coverage
            .iter()
            .map(|i| (*i, CoverageFigures::default()))
            .collect();
        doc
    }

    /// The count at a field path (`pool.women`, `cells.<id>.targets.2023.total`, …), for
    /// showing it; `None` for a path that is not a count or an entry that does not exist.
    pub fn count_at(&self, path: &str) -> Option<&Count> {
        let parts: Vec<&str> = path.split('.').collect();
        let figure = |code: &str| Figure::from_code(code);
        match parts.as_slice() {
            ["pool", f] => Some(self.pool.get(figure(f)?)),
            ["term_target", f] => Some(self.term_target.get(figure(f)?)),
            ["targets", y, f] => Some(self.targets.get(&y.parse().ok()?)?.get(figure(f)?)),
            ["progress", "awareness_course"] => Some(&self.progress.awareness_course),
            ["progress", "applied"] => Some(&self.progress.applied),
            ["screening", "members"] => Some(&self.screening.members),
            ["screening", "reviewed"] => Some(&self.screening.reviewed),
            ["screening", "expected_removals"] => Some(&self.screening.expected_removals),
            ["cells", id, "pool", f] => {
                Some(self.cells.get(&id.parse().ok()?)?.pool.get(figure(f)?))
            }
            ["cells", id, "targets", y, f] => Some(
                self.cells
                    .get(&id.parse().ok()?)?
                    .targets
                    .get(&y.parse().ok()?)?
                    .get(figure(f)?),
            ),
            ["coverage", i, when] => self.coverage.get(&Indicator::from_code(i)?)?.at(when),
            ["roster", id, "birth_year"] => Some(&self.roster.0.get(&id.parse().ok()?)?.birth_year),
            ["roster", id, "expected_admission_year"] => Some(
                &self
                    .roster
                    .0
                    .get(&id.parse().ok()?)?
                    .expected_admission_year,
            ),
            _ => None,
        }
    }

    /// The count at a field path, to change it in place (an edit of one figure need not
    /// rebuild the whole document).
    pub fn count_at_mut(&mut self, path: &str) -> Option<&mut Count> {
        let parts: Vec<&str> = path.split('.').collect();
        let figure = |code: &str| Figure::from_code(code);
        match parts.as_slice() {
            ["pool", f] => Some(self.pool.get_mut(figure(f)?)),
            ["term_target", f] => Some(self.term_target.get_mut(figure(f)?)),
            ["targets", y, f] => Some(self.targets.get_mut(&y.parse().ok()?)?.get_mut(figure(f)?)),
            ["progress", "awareness_course"] => Some(&mut self.progress.awareness_course),
            ["progress", "applied"] => Some(&mut self.progress.applied),
            ["screening", "members"] => Some(&mut self.screening.members),
            ["screening", "reviewed"] => Some(&mut self.screening.reviewed),
            ["screening", "expected_removals"] => Some(&mut self.screening.expected_removals),
            ["cells", id, "pool", f] => Some(
                self.cells
                    .get_mut(&id.parse().ok()?)?
                    .pool
                    .get_mut(figure(f)?),
            ),
            ["cells", id, "targets", y, f] => Some(
                self.cells
                    .get_mut(&id.parse().ok()?)?
                    .targets
                    .get_mut(&y.parse().ok()?)?
                    .get_mut(figure(f)?),
            ),
            ["coverage", i, when] if crate::domain::coverage::WHEN.contains(when) => self
                .coverage
                .entry(Indicator::from_code(i)?)
                .or_default()
                .at_mut(when),
            _ => None,
        }
    }

    /// The text at a field path, to change it in place.
    pub fn text_at_mut(&mut self, path: &str) -> Option<&mut String> {
        let parts: Vec<&str> = path.split('.').collect();
        Some(match parts.as_slice() {
            ["header", "document_number"] => &mut self.header.document_number,
            ["header", "issued_on"] => &mut self.header.issued_on,
            ["header", "place"] => &mut self.header.place,
            ["header", "signer_name"] => &mut self.header.signer_name,
            ["header", "signer_title"] => &mut self.header.signer_title,
            ["sections", "assessment"] => &mut self.sections.assessment,
            ["sections", "solutions"] => &mut self.sections.solutions,
            ["sections", "notes"] => &mut self.sections.notes,
            _ => return None,
        })
    }

    /// The text at a field path (`header.signer_name`, `sections.solutions`, …).
    pub fn text_at(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.split('.').collect();
        Some(match parts.as_slice() {
            ["header", "document_number"] => &self.header.document_number,
            ["header", "issued_on"] => &self.header.issued_on,
            ["header", "place"] => &self.header.place,
            ["header", "signer_name"] => &self.header.signer_name,
            ["header", "signer_title"] => &self.header.signer_title,
            ["sections", "assessment"] => &self.sections.assessment,
            ["sections", "solutions"] => &self.sections.solutions,
            ["sections", "notes"] => &self.sections.notes,
            ["roster", id, "full_name"] => &self.roster.0.get(&id.parse().ok()?)?.full_name,
            ["roster", id, "ethnicity"] => &self.roster.0.get(&id.parse().ok()?)?.ethnicity,
            ["roster", id, "religion"] => &self.roster.0.get(&id.parse().ok()?)?.religion,
            _ => return None,
        })
    }

    /// Pool figures derived from the roster: what the unit can copy into its pool instead of
    /// counting by hand. People already admitted are no longer part of the pool. Only the
    /// categories a roster entry tells are derived (the total and, of `categories`, the six of
    /// the first release); `reference_year` decides who is of Youth Union age (16–30).
    pub fn roster_breakdown(&self, reference_year: u16, categories: &Categories) -> Breakdown {
        let in_pool: Vec<&Candidate> = self
            .roster
            .0
            .values()
            .filter(|p| p.stage != Some(Stage::Admitted))
            .collect();
        let count = |test: &dyn Fn(&Candidate) -> bool| {
            Count::from(
                u32::try_from(in_pool.iter().filter(|p| test(p)).count()).unwrap_or(u32::MAX),
            )
        };
        let mut b = Breakdown {
            total: count(&|_| true),
            by: BTreeMap::new(),
        };
        for code in categories.codes() {
            let test: &dyn Fn(&Candidate) -> bool = match code.as_str() {
                "ethnic_minority" => &|p| is_ethnic_minority(&p.ethnicity),
                "religious" => &|p| is_religious(&p.religion),
                "youth_union" => &|p| {
                    p.birth_year.value().is_some_and(|b| {
                        (16..=30).contains(&(i64::from(reference_year) - i64::from(b)))
                    })
                },
                "women" => &|p| p.sex == Some(Sex::Female),
                "students" => &|p| p.occupation == Some(Occupation::Student),
                "workers" => &|p| p.occupation == Some(Occupation::Worker),
                _ => continue,
            };
            b.by.insert(code, count(test));
        }
        b
    }
}

/// Anyone not Kinh (the majority) counts as an ethnic minority; blank means unknown.
fn is_ethnic_minority(ethnicity: &str) -> bool {
    let e = ethnicity.trim();
    !e.is_empty() && !e.eq_ignore_ascii_case("kinh")
}

fn is_religious(religion: &str) -> bool {
    let r = religion.trim().to_lowercase();
    !(r.is_empty() || r == "không" || r == "khong")
}

coded_enum! {
    /// Where a plan is in its life.
    PlanStatus {
        /// Being written by the unit (đang soạn).
        Draft = "draft" => "Đang soạn",
        /// Sent to the district (đã nộp).
        Submitted = "submitted" => "Đã nộp",
        /// Sent back by the district for revision (bị trả lại).
        Returned = "returned" => "Bị trả lại",
        /// Accepted by the district (đã duyệt).
        Approved = "approved" => "Đã duyệt",
    }
}

impl PlanStatus {
    /// Whether the unit may still change the document.
    pub fn is_editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_blank_plan_has_a_target_per_requested_year_and_an_entry_per_cell() {
        let cell = Uuid::from_u128(7);
        let doc = PlanDocument::blank(
            &[2022, 2023],
            &[(cell, "Chi bộ thôn 1".into())],
            &Categories::classic(),
        );
        assert_eq!(doc.schema_version, SCHEMA_VERSION);
        assert_eq!(
            doc.targets.keys().copied().collect::<Vec<_>>(),
            [2022, 2023]
        );
        assert_eq!(doc.cells[&cell].targets.len(), 2);
        let json = serde_json::to_string(&doc).expect("serialise");
        assert_eq!(
            serde_json::from_str::<PlanDocument>(&json).expect("parse"),
            doc
        );
    }

    #[test]
    fn unknown_fields_are_refused_and_missing_ones_default() {
        assert!(serde_json::from_str::<PlanDocument>(r#"{"bogus":1}"#).is_err());
        let doc: PlanDocument = serde_json::from_str(r#"{"pool":{"total":3}}"#).expect("partial");
        assert_eq!(doc.pool.total, Count::Value(3));
        assert_eq!(doc.pool.at("women"), &Count::Empty);
        // A category is any well-formed code (the rules say which ones the campaign asks for);
        // anything else is refused.
        let doc: PlanDocument =
            serde_json::from_str(r#"{"pool":{"total":3,"x_0a1b2c3d4e5f":1}}"#).expect("custom");
        assert_eq!(doc.pool.at("x_0a1b2c3d4e5f"), &Count::Value(1));
        assert!(serde_json::from_str::<PlanDocument>(r#"{"pool":{"Nữ":1}}"#).is_err());
    }

    #[test]
    fn a_first_release_breakdown_reads_and_writes_the_same_json() {
        let first = r#"{"total":12,"ethnic_minority":4,"religious":null,"youth_union":8,"women":5,"students":"ba","workers":7}"#;
        let b: Breakdown = serde_json::from_str(first).expect("read");
        assert_eq!(b.at("students"), &Count::Invalid("ba".into()));
        let again: serde_json::Value = serde_json::to_value(&b).expect("write");
        let want: serde_json::Value = serde_json::from_str(first).expect("json");
        assert_eq!(again, want);
        // A blank category and an absent one are the same breakdown.
        let mut sparse = b.clone();
        sparse.by.remove(&Code::parse("religious").expect("code"));
        assert_eq!(sparse, b);
    }

    #[test]
    fn fields_are_read_back_by_path() {
        let cell = Uuid::from_u128(4);
        let mut doc = PlanDocument::blank(
            &[2023],
            &[(cell, "Chi bộ thôn 1".into())],
            &Categories::classic(),
        );
        *doc.pool.at_mut("women").expect("women") = Count::Value(3);
        doc.header.place = "Lộc An".into();
        assert_eq!(doc.count_at("pool.women"), Some(&Count::Value(3)));
        assert_eq!(
            doc.count_at(&format!("cells.{cell}.targets.2023.total")),
            Some(&Count::Empty)
        );
        assert_eq!(doc.count_at("targets.2030.total"), None);
        assert_eq!(doc.count_at("pool.Nam"), None);
        assert_eq!(doc.text_at("header.place"), Some("Lộc An"));
        assert_eq!(doc.text_at("pool.total"), None);
    }

    #[test]
    fn year_keyed_maps_read_inside_tagged_enums() {
        #[derive(Deserialize)]
        #[serde(tag = "kind")]
        enum Wrapper {
            Doc { document: PlanDocument },
        }
        let json = r#"{"kind":"Doc","document":{"targets":{"2022":{"total":3}}}}"#;
        let Wrapper::Doc { document } = serde_json::from_str(json).expect("parse");
        assert_eq!(document.targets[&2022].total, Count::Value(3));
        let bad = r#"{"kind":"Doc","document":{"targets":{"năm nay":{"total":3}}}}"#;
        assert!(serde_json::from_str::<Wrapper>(bad).is_err());
    }

    #[test]
    fn the_roster_derives_pool_figures() {
        let mut doc = PlanDocument::default();
        let people = [
            (
                "H'Nhi",
                2001,
                Sex::Female,
                "K'Ho",
                "Tin Lành",
                Occupation::Student,
                Stage::Identified,
            ),
            (
                "Nguyễn Văn An",
                1990,
                Sex::Male,
                "Kinh",
                "",
                Occupation::Worker,
                Stage::Applied,
            ),
            (
                "Ka Sương",
                1995,
                Sex::Female,
                "Mạ",
                "Không",
                Occupation::Farmer,
                Stage::AwarenessCourse,
            ),
            (
                "Trần Thị Bé",
                1999,
                Sex::Female,
                "Kinh",
                "Công giáo",
                Occupation::Other,
                Stage::Admitted,
            ),
        ];
        for (i, (name, born, sex, ethnicity, religion, occupation, stage)) in
            people.into_iter().enumerate()
        {
            doc.roster.0.insert(
                Uuid::from_u128(i as u128),
                Candidate {
                    full_name: name.into(),
                    birth_year: Count::from(born),
                    sex: Some(sex),
                    ethnicity: ethnicity.into(),
                    religion: religion.into(),
                    occupation: Some(occupation),
                    stage: Some(stage),
                    ..Candidate::default()
                },
            );
        }
        // The admitted person is no longer in the pool; in 2022 those born 1992–2006 are of
        // Youth Union age.
        assert_eq!(
            doc.roster_breakdown(2022, &Categories::classic()),
            Breakdown::classic([3, 2, 1, 2, 2, 1, 1])
        );
    }

    #[test]
    fn a_first_release_document_reads_as_version_2_and_goes_back_only_when_it_fits() {
        let mut doc = PlanDocument::blank(&[2022], &[], &Categories::classic());
        doc.schema_version = FIRST_SCHEMA_VERSION;
        assert!(upgrade(&mut doc));
        assert_eq!(doc.schema_version, SCHEMA_VERSION);
        let mut future = doc.clone();
        future.schema_version = SCHEMA_VERSION + 1;
        assert!(
            !upgrade(&mut future),
            "an unknown version is left for the rules"
        );

        // Blank entries the first release has no field for are dropped on the way back.
        let mut blank_extra = doc.clone();
        let code = Code::parse("military_pool").expect("code");
        blank_extra.pool.by.insert(code, Count::Empty);
        blank_extra
            .coverage
            .insert(Indicator::Hamlets, CoverageFigures::default());
        let old = first_release_form(&blank_extra).expect("fits");
        assert_eq!(old.schema_version, FIRST_SCHEMA_VERSION);
        assert!(!old.pool.by.contains_key(&code) && old.coverage.is_empty());
        // A figure it cannot say keeps the document from a first-release device.
        let mut typed = doc.clone();
        typed.pool.by.insert(code, Count::Value(2));
        assert!(first_release_form(&typed).is_none());
        let mut covered = doc;
        covered.coverage.insert(
            Indicator::Hamlets,
            CoverageFigures {
                now: Count::Value(6),
                target: Count::Empty,
            },
        );
        assert!(first_release_form(&covered).is_none());
    }
}
