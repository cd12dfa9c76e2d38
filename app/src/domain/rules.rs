//! The rules of a plan: one function, [`validate`], that the browser runs as the user types
//! and the server runs on every accepted change and before every submission.
//!
//! Each [`Finding`] has a stable [`Rule`] code, the path of the field it concerns and a
//! Vietnamese message. Errors block submission; warnings are shown and kept. A few rules are
//! *hard* ([`Rule::blocks_saving`]): limits that protect the server, which refuses even to
//! store a draft that breaks them. The browser enforces the same limits as the user types, so a
//! hard rule never surprises an honest user.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::campaign::{Campaign, TermTotalRule};
use crate::domain::coded::coded_enum;
use crate::domain::count::{Count, CountProblem};
use crate::domain::coverage::{CoverageFigures, Indicator};
use crate::domain::docnumber::{self, DocNumberProblem};
use crate::domain::labels::{describe, number};
use crate::domain::plan::{Breakdown, Figure, PlanDocument, SCHEMA_VERSION};

/// Most subordinate cells a plan may list (the largest communes have a few dozen).
pub const MAX_CELLS: usize = 300;
/// Most people on a roster.
pub const MAX_ROSTER: usize = 3_000;
/// Most yearly target entries (a term has at most six years).
pub const MAX_TARGET_YEARS: usize = 10;
/// Longest short text (names, titles, places).
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest document number.
pub const MAX_DOC_NUMBER: usize = 40;
/// Longest prose section, in characters (about ten printed pages).
pub const MAX_LONG_TEXT: usize = 20_000;
/// The national guideline: new members each year of about 3–4 % of the membership.
pub const GUIDELINE_RATE_PERCENT: (u32, u32) = (3, 4);
/// A yearly target above twice the guideline's upper rate earns a warning.
pub const GUIDELINE_WARNING_FACTOR: u32 = 2;
/// Party membership starts at 18 (Điều lệ Đảng).
pub const ADMISSION_AGE: i64 = 18;

coded_enum! {
    /// Every rule, with its stable code. The label says what the rule checks.
    Rule {
        SchemaVersion = "schema_version.unsupported" => "Phiên bản tài liệu được hỗ trợ",
        TooManyEntries = "entries.too_many" => "Số dòng trong giới hạn",
        TextTooLong = "text.too_long" => "Độ dài văn bản trong giới hạn",
        Required = "required" => "Trường bắt buộc",
        DocumentNumberFormat = "document_number.format" => "Dạng số hiệu kế hoạch",
        DateFormat = "date.format" => "Dạng ngày",
        DateOutsideTerm = "date.outside_term" => "Ngày thuộc nhiệm kỳ",
        DateAfterDeadline = "date.after_deadline" => "Ngày ban hành trước hạn nộp",
        CountNotANumber = "count.not_a_number" => "Số liệu là số",
        CountNotInteger = "count.not_integer" => "Số liệu là số nguyên",
        CountNegative = "count.negative" => "Số liệu không âm",
        CountTooLarge = "count.too_large" => "Số liệu trong giới hạn",
        StructureExceedsTotal = "structure.exceeds_total" => "Cơ cấu không vượt tổng số",
        StructureNotAsked = "structure.not_asked" => "Chỉ các cơ cấu đợt này hỏi",
        ProgressExceedsPool = "progress.exceeds_pool" => "Tiến độ không vượt nguồn",
        TargetYearOutsideTerm = "target_year.outside_term" => "Năm chỉ tiêu thuộc nhiệm kỳ",
        TargetYearMissing = "target_year.missing" => "Đủ chỉ tiêu các năm được yêu cầu",
        TermTargetNotEqualSum = "term_target.not_equal_sum" => "Chỉ tiêu nhiệm kỳ bằng tổng các năm",
        TermTargetBelowSum = "term_target.below_sum" => "Chỉ tiêu nhiệm kỳ không thấp hơn tổng các năm",
        TargetZero = "target.zero" => "Có chỉ tiêu khi còn nguồn",
        TargetAbovePool = "target.above_pool" => "Chỉ tiêu so với nguồn",
        TargetAboveGuideline = "target.above_guideline" => "Chỉ tiêu so với định hướng 3–4%",
        CellsMissing = "cells.missing" => "Có phân bổ cho chi bộ trực thuộc",
        CellsNotApplicable = "cells.not_applicable" => "Chỉ Đảng bộ cơ sở có chi bộ trực thuộc",
        CellUnknown = "cells.unknown" => "Chi bộ thuộc đơn vị",
        CellsSumMismatch = "cells.sum_mismatch" => "Tổng các chi bộ khớp số của đơn vị",
        ReviewedExceedsMembers = "screening.reviewed_exceeds_members" => "Số rà soát không vượt số đảng viên",
        RemovalsExceedReviewed = "screening.removals_exceed_reviewed" => "Số đưa ra khỏi Đảng không vượt số rà soát",
        BirthYearRange = "roster.birth_year_range" => "Năm sinh hợp lý",
        TooYoung = "roster.too_young" => "Đủ 18 tuổi khi kết nạp",
        ExpectedYearOutsideTerm = "roster.expected_year_outside_term" => "Năm dự kiến kết nạp thuộc nhiệm kỳ",
        RosterCellUnknown = "roster.cell_unknown" => "Chi bộ theo dõi thuộc đơn vị",
        RosterMismatch = "pool.roster_mismatch" => "Nguồn khớp danh sách",
        CoverageNotAsked = "coverage.not_asked" => "Chỉ các chỉ số độ phủ đợt này hỏi",
        CoverageExceedsHamlets = "coverage.exceeds_hamlets" => "Chỉ số độ phủ không vượt số thôn, tổ dân phố",
        CoverageMemberWithoutCell = "coverage.without_member_exceeds_without_cell" => "Thôn chưa có đảng viên cũng chưa có chi bộ",
        CoverageGapGrows = "coverage.gap_grows" => "Khoảng trống độ phủ không tăng",
    }
}

coded_enum! {
    Severity {
        Error = "error" => "Lỗi",
        Warning = "warning" => "Lưu ý",
    }
}

impl Rule {
    pub fn severity(self) -> Severity {
        match self {
            Rule::DateAfterDeadline
            | Rule::TargetZero
            | Rule::TargetAbovePool
            | Rule::TargetAboveGuideline
            | Rule::RosterMismatch
            | Rule::CoverageGapGrows => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Limits that protect the server: a document breaking one is not stored, even as a draft.
    /// A figure under a category the campaign does not ask for is one: the campaign decides
    /// the document's shape.
    pub fn blocks_saving(self) -> bool {
        matches!(
            self,
            Rule::SchemaVersion
                | Rule::TooManyEntries
                | Rule::TextTooLong
                | Rule::StructureNotAsked
                | Rule::CoverageNotAsked
        )
    }
}

/// One problem found in a plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    /// The field it concerns (see [`crate::domain::path`]).
    pub path: String,
    pub severity: Severity,
    pub message: String,
}

/// A cell of the unit, as the district's registry knows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRef {
    pub id: Uuid,
    pub name: String,
}

/// What the rules need to know about the unit writing the plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProfile {
    pub id: Uuid,
    pub name: String,
    /// Party members on the district's register, used when the plan does not say.
    pub member_count: u32,
    /// Subordinate cells: non-empty for a Đảng bộ cơ sở, empty for a Chi bộ cơ sở.
    pub cells: Vec<CellRef>,
}

/// Everything besides the document that the rules depend on.
#[derive(Debug, Clone, Copy)]
pub struct PlanContext<'a> {
    pub campaign: &'a Campaign,
    pub unit: &'a UnitProfile,
}

/// The outcome of [`validate`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// A plan can be submitted only without errors.
    pub fn can_submit(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The findings that stop the server from storing the document at all.
    pub fn blocking_save(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.rule.blocks_saving())
    }

    /// The findings about one field.
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.path == path)
    }
}

/// Checks a plan against every rule.
pub fn validate(doc: &PlanDocument, ctx: PlanContext<'_>) -> Report {
    let mut v = Validator {
        doc,
        ctx,
        findings: Vec::new(),
    };
    v.run();
    Report {
        findings: v.findings,
    }
}

struct Validator<'a> {
    doc: &'a PlanDocument,
    ctx: PlanContext<'a>,
    findings: Vec<Finding>,
}

impl Validator<'_> {
    fn push(&mut self, rule: Rule, path: impl Into<String>, message: String) {
        self.findings.push(Finding {
            rule,
            path: path.into(),
            severity: rule.severity(),
            message,
        });
    }

    fn label(&self, path: &str) -> String {
        describe(path, Some(self.doc), &self.ctx.campaign.categories)
    }

    /// The figures the campaign asks for: the total, then its categories.
    fn figures(&self) -> Vec<Figure> {
        Figure::all(&self.ctx.campaign.categories)
    }

    fn run(&mut self) {
        if self.doc.schema_version != SCHEMA_VERSION {
            self.push(
                Rule::SchemaVersion,
                "schema_version",
                format!(
                    "Kế hoạch được lập bằng phiên bản {} của ứng dụng, máy chủ chỉ hiểu phiên bản {}. Hãy tải lại trang để cập nhật.",
                    self.doc.schema_version, SCHEMA_VERSION
                ),
            );
            return;
        }
        if !self.limits() {
            // Past the limits the rest is not worth computing, and may be costly.
            return;
        }
        self.header();
        self.counts();
        self.structures();
        self.progress();
        self.target_years();
        self.term_target();
        self.target_warnings();
        self.cells();
        self.screening();
        self.coverage();
        self.sections();
        self.roster();
    }

    /// Hard limits on the number of entries and the length of every text.
    fn limits(&mut self) -> bool {
        let doc = self.doc;
        let mut ok = true;
        for (path, len, max) in [
            ("cells", doc.cells.len(), MAX_CELLS),
            ("roster", doc.roster.0.len(), MAX_ROSTER),
            ("targets", doc.targets.len(), MAX_TARGET_YEARS),
            ("actuals", doc.actuals.len(), MAX_TARGET_YEARS),
        ] {
            if len > max {
                ok = false;
                self.push(
                    Rule::TooManyEntries,
                    path,
                    format!(
                        "{}: tối đa {} dòng (đang có {}).",
                        self.label(path),
                        number(max as i64),
                        number(len as i64)
                    ),
                );
            }
        }
        let h = &doc.header;
        let fixed: [(&str, &str, usize); 8] = [
            ("header.document_number", &h.document_number, MAX_DOC_NUMBER),
            ("header.issued_on", &h.issued_on, MAX_DOC_NUMBER),
            ("header.place", &h.place, MAX_SHORT_TEXT),
            ("header.signer_name", &h.signer_name, MAX_SHORT_TEXT),
            ("header.signer_title", &h.signer_title, MAX_SHORT_TEXT),
            (
                "sections.assessment",
                &doc.sections.assessment,
                MAX_LONG_TEXT,
            ),
            ("sections.solutions", &doc.sections.solutions, MAX_LONG_TEXT),
            ("sections.notes", &doc.sections.notes, MAX_LONG_TEXT),
        ];
        for (path, text, max) in fixed {
            ok &= self.text_within(|| path.to_owned(), text, max);
        }
        if ok {
            for (id, cell) in &doc.cells {
                ok &= self.text_within(|| format!("cells.{id}.name"), &cell.name, MAX_SHORT_TEXT);
            }
            for (id, person) in &doc.roster.0 {
                for (field, text) in [
                    ("full_name", &person.full_name),
                    ("ethnicity", &person.ethnicity),
                    ("religion", &person.religion),
                ] {
                    ok &= self.text_within(|| format!("roster.{id}.{field}"), text, MAX_SHORT_TEXT);
                }
            }
        }
        ok
    }

    /// Checks one text's length; the path is only made when it is too long.
    fn text_within(&mut self, path: impl FnOnce() -> String, text: &str, max: usize) -> bool {
        // Counting characters is only needed when the byte length could exceed the limit.
        if text.len() <= max {
            return true;
        }
        let len = text.chars().count();
        if len <= max {
            return true;
        }
        let path = path();
        let message = format!(
            "{}: dài tối đa {} ký tự (đang có {}).",
            self.label(&path),
            number(max as i64),
            number(len as i64)
        );
        self.push(Rule::TextTooLong, path, message);
        false
    }

    fn required(&mut self, path: &str, value: &str) -> bool {
        if value.trim().is_empty() {
            let message = format!("{}: không được để trống.", self.label(path));
            self.push(Rule::Required, path, message);
            false
        } else {
            true
        }
    }

    fn header(&mut self) {
        let h = &self.doc.header;
        if self.required("header.document_number", &h.document_number) {
            match docnumber::check(&h.document_number, Some("KH")) {
                Ok(()) => {}
                Err(DocNumberProblem::Shape) => self.push(
                    Rule::DocumentNumberFormat,
                    "header.document_number",
                    format!(
                        "Số hiệu «{}» không đúng dạng «số-KH/ký hiệu cơ quan», ví dụ «05-KH/ĐU».",
                        h.document_number.trim()
                    ),
                ),
                Err(DocNumberProblem::WrongType) => self.push(
                    Rule::DocumentNumberFormat,
                    "header.document_number",
                    format!(
                        "Số hiệu «{}» không phải của một kế hoạch: ký hiệu loại văn bản phải là «KH», ví dụ «05-KH/ĐU».",
                        h.document_number.trim()
                    ),
                ),
            }
        }
        if self.required("header.issued_on", &h.issued_on) {
            match crate::domain::labels::parse_iso_date(&h.issued_on) {
                None => self.push(
                    Rule::DateFormat,
                    "header.issued_on",
                    format!(
                        "Ngày ban hành «{}» không phải là một ngày hợp lệ.",
                        h.issued_on.trim()
                    ),
                ),
                Some(date) => {
                    let term = self.ctx.campaign.term;
                    let year = u16::try_from(chrono::Datelike::year(&date)).unwrap_or(0);
                    if !term.contains(year) {
                        self.push(
                            Rule::DateOutsideTerm,
                            "header.issued_on",
                            format!("Ngày ban hành phải thuộc nhiệm kỳ {term}."),
                        );
                    } else if date > self.ctx.campaign.deadline {
                        self.push(
                            Rule::DateAfterDeadline,
                            "header.issued_on",
                            format!(
                                "Ngày ban hành sau hạn nộp {} của công văn {}.",
                                crate::domain::labels::date(self.ctx.campaign.deadline),
                                self.ctx.campaign.letter_number
                            ),
                        );
                    }
                }
            }
        }
        self.required("header.signer_name", &h.signer_name);
        self.required("header.signer_title", &h.signer_title);
    }

    /// Every figure is a whole number, not negative, below the ceiling.
    fn counts(&mut self) {
        let doc = self.doc;
        // Paths are only spelled out for figures that break a rule: a 50-cell plan has close
        // to two thousand figures, nearly all of them fine.
        for (at, b) in breakdowns(doc) {
            // Every figure held, asked for or not: nothing typed goes unchecked.
            let held = std::iter::once(Figure::Total).chain(b.by.keys().copied().map(Figure::Of));
            for f in held {
                if let Some(problem) = b.get(f).problem() {
                    self.count_problem(format!("{}.{}", at.prefix(), f.code()), b.get(f), problem);
                }
            }
        }
        let singles = [
            ("progress.awareness_course", &doc.progress.awareness_course),
            ("progress.applied", &doc.progress.applied),
            ("screening.members", &doc.screening.members),
            ("screening.reviewed", &doc.screening.reviewed),
            (
                "screening.expected_removals",
                &doc.screening.expected_removals,
            ),
        ];
        for (path, count) in singles {
            if let Some(problem) = count.problem() {
                self.count_problem(path.to_owned(), count, problem);
            }
        }
        for (indicator, figures) in &doc.coverage {
            for (when, count) in [("now", &figures.now), ("target", &figures.target)] {
                if let Some(problem) = count.problem() {
                    self.count_problem(
                        format!("coverage.{}.{when}", indicator.code()),
                        count,
                        problem,
                    );
                }
            }
        }
        for (id, person) in &doc.roster.0 {
            for (field, count) in [
                ("birth_year", &person.birth_year),
                ("expected_admission_year", &person.expected_admission_year),
            ] {
                if let Some(problem) = count.problem() {
                    self.count_problem(format!("roster.{id}.{field}"), count, problem);
                }
            }
        }
    }

    fn count_problem(&mut self, path: String, count: &Count, problem: CountProblem) {
        let label = self.label(&path);
        // What was typed is echoed back, but not a whole pasted page of it.
        let typed: String = {
            let text = count.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        };
        let count = typed;
        let (rule, message) = match problem {
            CountProblem::NotANumber => (
                Rule::CountNotANumber,
                format!("{label}: phải là một số (đã nhập «{count}»)."),
            ),
            CountProblem::NotInteger => (
                Rule::CountNotInteger,
                format!("{label}: phải là số nguyên (đã nhập «{count}»)."),
            ),
            CountProblem::Negative => (
                Rule::CountNegative,
                format!("{label}: không được là số âm."),
            ),
            CountProblem::TooLarge => (
                Rule::CountTooLarge,
                format!(
                    "{label}: con số quá lớn (tối đa {}).",
                    number(crate::domain::count::MAX_COUNT)
                ),
            ),
        };
        self.push(rule, path, message);
    }

    /// Each structure figure is at most its total; a figure in a category the campaign does
    /// not ask for is refused, not silently dropped (it says what the user meant to count).
    fn structures(&mut self) {
        let categories = &self.ctx.campaign.categories;
        let figures = self.figures();
        for (at, b) in breakdowns(self.doc) {
            for (code, count) in &b.by {
                if !categories.contains(*code) && *count != Count::Empty {
                    let path = format!("{}.{code}", at.prefix());
                    let message = format!(
                        "Đợt {} không hỏi cơ cấu «{}»: xóa số này hoặc chuyển sang cơ cấu được hỏi.",
                        self.ctx.campaign.letter_number,
                        categories.label(*code)
                    );
                    self.push(Rule::StructureNotAsked, path, message);
                }
            }
            let Some(total) = b.total.value() else {
                continue;
            };
            for f in &figures[1..] {
                let Some(part) = b.get(*f).value() else {
                    continue;
                };
                if part > total {
                    let path = format!("{}.{}", at.prefix(), f.code());
                    let message = format!(
                        "{} ({}) không được lớn hơn tổng số ({}).",
                        self.label(&path),
                        number(part.into()),
                        number(total.into())
                    );
                    self.push(Rule::StructureExceedsTotal, path, message);
                }
            }
        }
    }

    /// Coverage indicators: only those the campaign asks for, each figure now given, every
    /// indicator at most the number of hamlets (now, and at the end of the term against the
    /// hamlets then, or now when that is blank), a hamlet without a member counted among those
    /// without a cell, and a gap that the plan lets grow flagged.
    fn coverage(&mut self) {
        let asked = &self.ctx.campaign.coverage;
        let doc = self.doc;
        for (indicator, figures) in &doc.coverage {
            if !asked.contains(indicator) && *figures != CoverageFigures::default() {
                let message = format!(
                    "Đợt {} không hỏi chỉ số «{}»: xóa số này.",
                    self.ctx.campaign.letter_number,
                    indicator.label()
                );
                self.push(
                    Rule::CoverageNotAsked,
                    format!("coverage.{}", indicator.code()),
                    message,
                );
            }
        }
        let blank = CoverageFigures::default();
        let figures = |i: Indicator| doc.coverage.get(&i).unwrap_or(&blank);
        for indicator in asked {
            if figures(*indicator).now.is_blank() {
                let path = format!("coverage.{}.now", indicator.code());
                let message = format!("{}: không được để trống.", self.label(&path));
                self.push(Rule::Required, path, message);
            }
        }
        // A blank figure is not compared (here blank is not zero: the number of hamlets is
        // typed after or before the others, and a gap left blank is reported as missing).
        let typed = |c: &Count| if c.is_blank() { None } else { c.value() };
        let hamlets = figures(Indicator::Hamlets);
        let hamlets_now = typed(&hamlets.now);
        let hamlets_then = typed(&hamlets.target).or(hamlets_now);
        for indicator in asked.iter().filter(|i| **i != Indicator::Hamlets) {
            let f = figures(*indicator);
            for (when, count, bound) in [
                ("now", &f.now, hamlets_now),
                ("target", &f.target, hamlets_then),
            ] {
                let (Some(n), Some(bound)) = (typed(count), bound) else {
                    continue;
                };
                if n > bound {
                    let path = format!("coverage.{}.{when}", indicator.code());
                    let message = format!(
                        "{} ({}) không được lớn hơn số thôn, tổ dân phố ({}).",
                        self.label(&path),
                        number(n.into()),
                        number(bound.into())
                    );
                    self.push(Rule::CoverageExceedsHamlets, path, message);
                }
            }
            if indicator.is_gap()
                && let (Some(now), Some(then)) = (typed(&f.now), typed(&f.target))
                && then > now
            {
                let path = format!("coverage.{}.target", indicator.code());
                let message = format!(
                    "{}: số đến cuối nhiệm kỳ ({}) cao hơn hiện nay ({}); kế hoạch thường đặt mục tiêu giảm.",
                    indicator.label(),
                    number(then.into()),
                    number(now.into())
                );
                self.push(Rule::CoverageGapGrows, path, message);
            }
        }
        if asked.contains(&Indicator::WithoutMember) && asked.contains(&Indicator::WithoutCell) {
            let (member, cell) = (
                figures(Indicator::WithoutMember),
                figures(Indicator::WithoutCell),
            );
            for (when, m, c) in [
                ("now", &member.now, &cell.now),
                ("target", &member.target, &cell.target),
            ] {
                let (Some(m), Some(c)) = (typed(m), typed(c)) else {
                    continue;
                };
                if m > c {
                    let path = format!("coverage.{}.{when}", Indicator::WithoutMember.code());
                    let time = if when == "now" {
                        "hiện nay"
                    } else {
                        "đến cuối nhiệm kỳ"
                    };
                    let message = format!(
                        "Thôn, tổ dân phố chưa có đảng viên ({time}: {}) cũng là nơi chưa có chi bộ: không thể nhiều hơn số chưa có chi bộ ({}).",
                        number(m.into()),
                        number(c.into())
                    );
                    self.push(Rule::CoverageMemberWithoutCell, path, message);
                }
            }
        }
    }

    fn progress(&mut self) {
        let Some(pool) = self.doc.pool.total.value() else {
            return;
        };
        for (path, count) in [
            (
                "progress.awareness_course",
                &self.doc.progress.awareness_course,
            ),
            ("progress.applied", &self.doc.progress.applied),
        ] {
            if let Some(n) = count.value().filter(|n| *n > pool) {
                let message = format!(
                    "{} ({}) không được lớn hơn tổng nguồn hiện có ({}).",
                    self.label(path),
                    number(n.into()),
                    number(pool.into())
                );
                self.push(Rule::ProgressExceedsPool, path, message);
            }
        }
    }

    fn target_years(&mut self) {
        let term = self.ctx.campaign.term;
        let doc = self.doc;
        for year in doc.targets.keys() {
            if !term.contains(*year) {
                self.push(
                    Rule::TargetYearOutsideTerm,
                    format!("targets.{year}"),
                    format!("Năm {year} không thuộc nhiệm kỳ {term}."),
                );
            }
        }
        for year in doc.actuals.keys().filter(|y| !term.contains(**y)) {
            self.push(
                Rule::TargetYearOutsideTerm,
                format!("actuals.{year}"),
                format!("Kết quả năm {year}: năm này không thuộc nhiệm kỳ {term}."),
            );
        }
        for (id, cell) in &doc.cells {
            for year in cell.targets.keys().filter(|y| !term.contains(**y)) {
                self.push(
                    Rule::TargetYearOutsideTerm,
                    format!("cells.{id}.targets.{year}"),
                    format!("{}: năm {year} không thuộc nhiệm kỳ {term}.", cell.name),
                );
            }
        }
        for year in &self.ctx.campaign.years {
            if !doc.targets.contains_key(year) {
                self.push(
                    Rule::TargetYearMissing,
                    format!("targets.{year}"),
                    format!(
                        "Chưa có chỉ tiêu năm {year}: công văn {} yêu cầu đăng ký chỉ tiêu năm này.",
                        self.ctx.campaign.letter_number
                    ),
                );
            }
        }
    }

    /// The whole-term target against the sum of the yearly targets, figure by figure.
    fn term_target(&mut self) {
        let term = self.ctx.campaign.term;
        let rule = self.ctx.campaign.term_total_rule;
        let doc = self.doc;
        for f in self.figures() {
            let Some(term_value) = doc.term_target.get(f).value() else {
                continue;
            };
            let yearly: Option<u32> = doc
                .targets
                .iter()
                .filter(|(y, _)| term.contains(**y))
                .map(|(_, b)| b.get(f).value())
                .sum();
            let Some(sum) = yearly else { continue };
            let path = format!("term_target.{}", f.code());
            match rule {
                TermTotalRule::Equal if term_value != sum => {
                    let message = format!(
                        "{} ({}) phải bằng tổng chỉ tiêu các năm ({}).",
                        self.label(&path),
                        number(term_value.into()),
                        number(sum.into())
                    );
                    self.push(Rule::TermTargetNotEqualSum, path, message);
                }
                TermTotalRule::AtLeast if term_value < sum => {
                    let message = format!(
                        "{} ({}) không được thấp hơn tổng chỉ tiêu các năm ({}).",
                        self.label(&path),
                        number(term_value.into()),
                        number(sum.into())
                    );
                    self.push(Rule::TermTargetBelowSum, path, message);
                }
                _ => {}
            }
        }
    }

    /// Unusual but legal targets: none while there is a pool, more than the pool, far above
    /// the national guideline.
    fn target_warnings(&mut self) {
        let doc = self.doc;
        let pool = doc.pool.total.value();
        let members = doc
            .screening
            .members
            .value()
            .filter(|m| *m > 0)
            .unwrap_or(self.ctx.unit.member_count);
        let (low, high) = GUIDELINE_RATE_PERCENT;
        let limit = (members * high * GUIDELINE_WARNING_FACTOR)
            .div_ceil(100)
            .max(2);
        for year in &self.ctx.campaign.years {
            let Some(target) = doc.targets.get(year).and_then(|b| b.total.value()) else {
                continue;
            };
            let path = format!("targets.{year}.total");
            if target == 0 && pool.is_some_and(|p| p > 0) {
                self.push(
                    Rule::TargetZero,
                    path.clone(),
                    format!(
                        "Năm {year} chưa có chỉ tiêu kết nạp dù đơn vị còn nguồn quần chúng ưu tú."
                    ),
                );
            }
            if let Some(p) = pool.filter(|p| target > *p) {
                self.push(
                    Rule::TargetAbovePool,
                    path.clone(),
                    format!(
                        "Chỉ tiêu năm {year} ({}) lớn hơn nguồn hiện có ({}): cần bổ sung nguồn để đạt chỉ tiêu.",
                        number(target.into()),
                        number(p.into())
                    ),
                );
            }
            if members > 0 && target > limit {
                self.push(
                    Rule::TargetAboveGuideline,
                    path,
                    format!(
                        "Chỉ tiêu năm {year} ({}) cao hơn nhiều so với định hướng kết nạp {low}–{high}% số đảng viên mỗi năm (khoảng {}–{} với {} đảng viên).",
                        number(target.into()),
                        number(i64::from((members * low).div_ceil(100))),
                        number(i64::from((members * high).div_ceil(100))),
                        number(members.into())
                    ),
                );
            }
        }
    }

    fn cells(&mut self) {
        let doc = self.doc;
        let known = &self.ctx.unit.cells;
        if known.is_empty() {
            if !doc.cells.is_empty() {
                self.push(
                    Rule::CellsNotApplicable,
                    "cells",
                    format!(
                        "{} là chi bộ cơ sở, không có chi bộ trực thuộc: hãy bỏ phần phân bổ cho chi bộ.",
                        self.ctx.unit.name
                    ),
                );
            }
            return;
        }
        if doc.cells.is_empty() {
            self.push(
                Rule::CellsMissing,
                "cells",
                format!(
                    "Cần phân bổ nguồn và chỉ tiêu cho {} chi bộ trực thuộc.",
                    known.len()
                ),
            );
            return;
        }
        for (id, cell) in &doc.cells {
            if !known.iter().any(|k| k.id == *id) {
                self.push(
                    Rule::CellUnknown,
                    format!("cells.{id}"),
                    format!(
                        "«{}» không có trong danh sách chi bộ trực thuộc của {}.",
                        cell.name, self.ctx.unit.name
                    ),
                );
            }
        }
        let mut checks: Vec<(String, &Breakdown, Vec<&Breakdown>)> = vec![(
            "pool".into(),
            &doc.pool,
            doc.cells.values().map(|c| &c.pool).collect(),
        )];
        for (year, unit_target) in &doc.targets {
            checks.push((
                format!("targets.{year}"),
                unit_target,
                doc.cells
                    .values()
                    .filter_map(|c| c.targets.get(year))
                    .collect(),
            ));
        }
        let figures = self.figures();
        for (prefix, unit, parts) in checks {
            for &f in &figures {
                let Some(expected) = unit.get(f).value() else {
                    continue;
                };
                let Some(sum) = parts.iter().map(|b| b.get(f).value()).sum::<Option<u32>>() else {
                    continue;
                };
                if sum != expected {
                    let path = format!("{prefix}.{}", f.code());
                    let message = format!(
                        "Tổng các chi bộ trực thuộc ({}) khác số của đơn vị ở «{}» ({}).",
                        number(sum.into()),
                        self.label(&path),
                        number(expected.into())
                    );
                    self.push(Rule::CellsSumMismatch, path, message);
                }
            }
        }
    }

    fn screening(&mut self) {
        let s = &self.doc.screening;
        let members = s.members.value().filter(|m| *m > 0);
        if let (Some(m), Some(r)) = (members, s.reviewed.value())
            && r > m
        {
            self.push(
                Rule::ReviewedExceedsMembers,
                "screening.reviewed",
                format!(
                    "Số đảng viên được rà soát ({}) không được lớn hơn số đảng viên hiện có ({}).",
                    number(r.into()),
                    number(m.into())
                ),
            );
        }
        if let (Some(r), Some(x)) = (s.reviewed.value(), s.expected_removals.value())
            && x > r
        {
            self.push(
                Rule::RemovalsExceedReviewed,
                "screening.expected_removals",
                format!(
                    "Số dự kiến đưa ra khỏi Đảng ({}) không được lớn hơn số đảng viên được rà soát ({}).",
                    number(x.into()),
                    number(r.into())
                ),
            );
        }
    }

    fn sections(&mut self) {
        self.required("sections.solutions", &self.doc.sections.solutions);
    }

    fn roster(&mut self) {
        let doc = self.doc;
        if doc.roster.0.is_empty() {
            return;
        }
        let campaign = self.ctx.campaign;
        let term = campaign.term;
        let reference = campaign
            .years
            .first()
            .copied()
            .unwrap_or_else(|| term.start_year());
        let oldest = i64::from(reference) - 80;
        let youngest = i64::from(reference) - 16;
        for (id, person) in &doc.roster.0 {
            if person.full_name.trim().is_empty() {
                self.required(&format!("roster.{id}.full_name"), "");
            }
            let birth = match &person.birth_year {
                Count::Empty => {
                    self.required(&format!("roster.{id}.birth_year"), "");
                    None
                }
                other => other.value().map(i64::from),
            };
            if let Some(b) = birth.filter(|b| !(oldest..=youngest).contains(b)) {
                let path = format!("roster.{id}.birth_year");
                let message = format!(
                    "{}: {} không hợp lý (quần chúng ưu tú sinh trong khoảng {oldest}–{youngest}).",
                    self.label(&path),
                    b
                );
                self.push(Rule::BirthYearRange, path, message);
            }
            // Blank means "not yet known", which is fine; zero is not a year.
            let expected_year = match &person.expected_admission_year {
                Count::Empty => None,
                other => other.value(),
            };
            if let Some(expected) = expected_year {
                let path = format!("roster.{id}.expected_admission_year");
                let year = u16::try_from(expected).unwrap_or(0);
                if !term.contains(year) {
                    let message = format!(
                        "{}: {expected} không thuộc nhiệm kỳ {term}.",
                        self.label(&path)
                    );
                    self.push(Rule::ExpectedYearOutsideTerm, path, message);
                } else if let Some(b) = birth.filter(|b| i64::from(expected) - b < ADMISSION_AGE) {
                    let message = format!(
                        "{}: năm {expected} người này mới {} tuổi, chưa đủ {ADMISSION_AGE} tuổi để kết nạp.",
                        self.label(&path),
                        i64::from(expected) - b
                    );
                    self.push(Rule::TooYoung, path, message);
                }
            }
            if let Some(cell) = person.cell_id
                && !self.ctx.unit.cells.iter().any(|c| c.id == cell)
            {
                let path = format!("roster.{id}.cell_id");
                let message = format!(
                    "{}: chi bộ này không thuộc {}.",
                    self.label(&path),
                    self.ctx.unit.name
                );
                self.push(Rule::RosterCellUnknown, path, message);
            }
        }
        let derived = doc
            .roster_breakdown(reference, &self.ctx.campaign.categories)
            .total
            .value()
            .unwrap_or(0);
        if doc.pool.total.value().is_some_and(|p| p != derived) {
            self.push(
                Rule::RosterMismatch,
                "pool.total",
                format!(
                    "Tổng nguồn hiện có ({}) khác số người trong danh sách chưa được kết nạp ({}).",
                    doc.pool.total,
                    number(derived.into())
                ),
            );
        }
    }
}

/// Where a breakdown sits in the document; its path is spelled out only when needed.
#[derive(Clone, Copy)]
enum At<'a> {
    Pool,
    Target(u16),
    Term,
    CellPool(&'a Uuid),
    CellTarget(&'a Uuid, u16),
    Actual(u16),
}

impl At<'_> {
    fn prefix(self) -> String {
        match self {
            At::Pool => "pool".into(),
            At::Target(year) => format!("targets.{year}"),
            At::Term => "term_target".into(),
            At::CellPool(id) => format!("cells.{id}.pool"),
            At::CellTarget(id, year) => format!("cells.{id}.targets.{year}"),
            At::Actual(year) => format!("actuals.{year}"),
        }
    }
}

/// Every breakdown of a document with its place.
fn breakdowns(doc: &PlanDocument) -> Vec<(At<'_>, &Breakdown)> {
    let mut out =
        Vec::with_capacity(2 + doc.targets.len() * (1 + doc.cells.len()) + doc.cells.len());
    out.push((At::Pool, &doc.pool));
    out.extend(doc.targets.iter().map(|(y, b)| (At::Target(*y), b)));
    out.push((At::Term, &doc.term_target));
    out.extend(doc.actuals.iter().map(|(y, b)| (At::Actual(*y), b)));
    for (id, cell) in &doc.cells {
        out.push((At::CellPool(id), &cell.pool));
        out.extend(
            cell.targets
                .iter()
                .map(|(y, b)| (At::CellTarget(id, *y), b)),
        );
    }
    out
}
