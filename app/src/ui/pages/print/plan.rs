//! `/in/ke-hoach/:id`: one unit's plan as the document it signs — parts I–VII numbered as in
//! the editor (`domain::outline`), the cells in the unit's order.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::device::OFFICE_UNKNOWN;
use crate::domain::labels::{self, date_line, issuer};
use crate::domain::outline::Part;
use crate::domain::plan::Breakdown;
use crate::domain::sync::UnitRecord;
use crate::domain::{Campaign, Categories, Figure, PlanDocument};
use crate::ui::platform::state::ctx;
use crate::ui::widgets::gate::plan_page;

fn figures_row(label: String, b: &Breakdown, figures: &[Figure]) -> impl IntoView + use<> {
    let cells: Vec<String> = figures.iter().map(|f| b.get(*f).input_text()).collect();
    view! {
        <tr>
            <th scope="row">{label}</th>
            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
        </tr>
    }
}

fn figures_head(categories: &Categories) -> impl IntoView + use<> {
    let heads: Vec<String> = Figure::all(categories)
        .into_iter()
        .map(|f| f.label(categories))
        .collect();
    view! {
        <thead>
            <tr>
                <th scope="col"></th>
                {heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
            </tr>
        </thead>
    }
}

/// `/in/ke-hoach/:id`: one unit's plan as a document.
#[component]
pub(super) fn PrintPlanPage() -> impl IntoView {
    plan_page(missing, |id| view! { <PrintPlan plan_id=id /> }.into_any())
}

fn missing() -> AnyView {
    view! {
        <section class="page">
            <h1>"Không có kế hoạch này trên máy"</h1>
            <p><a href="/ke-hoach">"Về danh sách kế hoạch"</a></p>
        </section>
    }
    .into_any()
}

/// The plan with its campaign and units, redrawn as sync brings changes.
#[component]
fn PrintPlan(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
    move || {
        let found = ctx.device.with(|d| {
            let plan = d.plans.get(&plan_id)?;
            let campaign = d.reference.campaigns.get(&plan.campaign_id)?.clone();
            let unit = d.reference.units.get(&plan.unit_id)?.name.clone();
            let unit_id = plan.unit_id;
            let reviewer = d.reviewer_of(campaign.id);
            let district = reviewer.map(|u| u.name.clone()).unwrap_or_default();
            // The committee that asked for the plan, and its office the plan is reported to.
            let committee = reviewer.map_or(OFFICE_UNKNOWN, |u| u.committee().label());
            let office = reviewer.map_or_else(|| OFFICE_UNKNOWN.to_owned(), UnitRecord::office);
            let above = Above {
                committee: committee.to_owned(),
                office,
            };
            Some((
                plan.working.clone(),
                campaign,
                unit,
                district,
                unit_id,
                above,
            ))
        });
        match found {
            Some((doc, campaign, unit, district, unit_id, above)) => {
                // The cells in the unit's own order, as on screen.
                let cell_order: Vec<Uuid> = ctx
                    .unit_profile(unit_id)
                    .map(|p| p.cells.into_iter().map(|c| c.id).collect())
                    .unwrap_or_default();
                view! { <PlanDocumentView doc campaign unit district cell_order above /> }
                    .into_any()
            }
            None => missing(),
        }
    }
}

/// The committee above the unit, as the printed plan names it.
#[derive(Debug, Clone)]
struct Above {
    /// Its kind, "Huyện ủy", "Đảng ủy xã": whose standing committee sent the letter.
    committee: String,
    /// Its reviewing office, which the plan is sent to.
    office: String,
}

#[component]
fn PlanDocumentView(
    doc: PlanDocument,
    campaign: Campaign,
    unit: String,
    district: String,
    cell_order: Vec<Uuid>,
    above: Above,
) -> impl IntoView {
    let issued = labels::parse_iso_date(&doc.header.issued_on);
    let years = campaign.years.clone();
    let categories = campaign.categories.clone();
    let figures = Figure::all(&categories);
    let year_text = years
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let signer_title = if doc.header.signer_title.trim().is_empty() {
        "Bí thư".to_owned()
    } else {
        doc.header.signer_title.clone()
    };
    let on_behalf = if unit.starts_with("Đảng bộ") {
        "T/M ĐẢNG ỦY"
    } else {
        "T/M CHI BỘ"
    };
    // Cells in the unit's order (any the unit no longer lists last, by name); those with
    // nothing allotted are named on one line instead of a block of empty rows.
    let mut cells: Vec<(usize, crate::domain::plan::CellPlan)> = doc
        .cells
        .iter()
        .map(|(id, c)| {
            let rank = cell_order
                .iter()
                .position(|o| o == id)
                .unwrap_or(usize::MAX);
            (rank, c.clone())
        })
        .collect();
    cells.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| a.name.cmp(&b.name)));
    let blank = |c: &crate::domain::plan::CellPlan| {
        let empty =
            |b: &crate::domain::Breakdown| figures.iter().all(|f| b.get(*f).value() == Some(0));
        empty(&c.pool) && c.targets.values().all(empty)
    };
    let empty_cells: Vec<String> = cells
        .iter()
        .filter(|(_, c)| blank(c))
        .map(|(_, c)| c.name.clone())
        .collect();
    let has_cells = !cells.is_empty();
    // The same numbers as the editor's sections, in capitals as documents print them.
    let part = |p: Part| p.heading(has_cells).to_uppercase();
    let cells: Vec<_> = cells
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| !blank(c))
        .collect();
    view! {
        <div class="print-actions">
            <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>"In / Lưu PDF"</button>
        </div>
        <article class="a4 document" data-testid="print-plan">
            <header class="doc-head">
                <div class="issuer">
                    <p>{district.to_uppercase()}</p>
                    <p class="strong">{issuer(&unit)}</p>
                    <p>"*"</p>
                    <p>{format!("Số {}", if doc.header.document_number.trim().is_empty() { "…-KH/…".to_owned() } else { doc.header.document_number.clone() })}</p>
                </div>
                <div class="nation">
                    <p class="strong party">"ĐẢNG CỘNG SẢN VIỆT NAM"</p>
                    <p class="party-rule" aria-hidden="true"></p>
                    <p class="date-line">{date_line(&doc.header.place, issued)}</p>
                </div>
            </header>
            <h1 class="doc-title">"KẾ HOẠCH"</h1>
            <p class="doc-subtitle">{format!("tạo nguồn phát triển đảng viên các năm {year_text} và nhiệm kỳ {}", campaign.term)}</p>
            <p class="doc-rule">"-----"</p>
            <p class="lead">
                {format!(
                    "Thực hiện Công văn số {} ngày {} của Ban Thường vụ {} về tăng cường công tác tạo nguồn, kết nạp đảng viên, {} xây dựng kế hoạch tạo nguồn phát triển đảng viên như sau:",
                    campaign.letter_number,
                    labels::date(campaign.letter_date),
                    above.committee,
                    unit,
                )}
            </p>
            <h2>{part(Part::Assessment)}</h2>
            <p class="prose">{doc.sections.assessment.clone()}</p>
            {(!campaign.coverage.is_empty()).then(|| {
                let blank = crate::domain::CoverageFigures::default();
                view! {
                    <table class="doc-table coverage-table" data-testid="print-coverage">
                        <caption>"Độ phủ tổ chức đảng"</caption>
                        <thead><tr><th scope="col">"Chỉ số"</th><th scope="col">"Hiện nay"</th><th scope="col">"Đến cuối nhiệm kỳ"</th></tr></thead>
                        <tbody>
                            {campaign.coverage.iter().map(|i| {
                                let f = doc.coverage.get(i).unwrap_or(&blank);
                                view! { <tr><th scope="row">{i.label()}</th><td>{f.now.input_text()}</td><td>{f.target.input_text()}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
            <h2>{part(Part::Pool)}</h2>
            <table class="doc-table">
                {figures_head(&categories)}
                <tbody>{figures_row("Nguồn hiện có".into(), &doc.pool, &figures)}</tbody>
            </table>
            <p>{format!("Đã học lớp bồi dưỡng nhận thức về Đảng: {}; đã có đơn xin vào Đảng: {}.", doc.progress.awareness_course.input_text(), doc.progress.applied.input_text())}</p>
            <h2>{part(Part::Targets)}</h2>
            <table class="doc-table">
                {figures_head(&categories)}
                <tbody>
                    {years.iter().map(|y| figures_row(format!("Năm {y}"), &doc.targets.get(y).cloned().unwrap_or_default(), &figures)).collect_view()}
                    {figures_row("Cả nhiệm kỳ".into(), &doc.term_target, &figures)}
                </tbody>
            </table>
            {has_cells.then(|| view! {
                <h2>{part(Part::Cells)}</h2>
                <table class="doc-table">
                    {figures_head(&categories)}
                    <tbody>
                        {cells.iter().map(|c| {
                            let mut rows = vec![figures_row(format!("{} — nguồn", c.name), &c.pool, &figures).into_any()];
                            rows.extend(years.iter().map(|y| figures_row(format!("{} — {y}", c.name), &c.targets.get(y).cloned().unwrap_or_default(), &figures).into_any()));
                            rows.collect_view()
                        }).collect_view()}
                    </tbody>
                </table>
                {(!empty_cells.is_empty()).then(|| view! {
                    <p data-testid="empty-cells">{format!("Chưa phân bổ nguồn và chỉ tiêu: {}.", empty_cells.join(", "))}</p>
                })}
            })}
            <h2>{part(Part::Screening)}</h2>
            <p>{format!("Số đảng viên hiện có: {}; số được rà soát: {}; số dự kiến đưa ra khỏi Đảng: {}.", doc.screening.members.input_text(), doc.screening.reviewed.input_text(), doc.screening.expected_removals.input_text())}</p>
            <h2>{part(Part::Solutions)}</h2>
            <p class="prose">{doc.sections.solutions.clone()}</p>
            {(!doc.sections.notes.trim().is_empty()).then(|| view! {
                <h2>{part(Part::Recommendations)}</h2>
                <p class="prose">{doc.sections.notes.clone()}</p>
            })}
            <footer class="doc-foot">
                <div class="recipients">
                    <p class="strong underline">"Nơi nhận:"</p>
                    <p>{format!("- {} (để báo cáo),", above.office)}</p>
                    {has_cells.then(|| view! { <p>"- Các chi bộ trực thuộc,"</p> })}
                    <p>"- Lưu văn phòng."</p>
                </div>
                <div class="signature">
                    <p class="strong">{on_behalf}</p>
                    <p class="strong">{signer_title.to_uppercase()}</p>
                    <p class="sign-space"></p>
                    <p class="strong">{doc.header.signer_name.clone()}</p>
                </div>
            </footer>
        </article>
    }
}
