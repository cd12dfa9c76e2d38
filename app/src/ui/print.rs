//! Print views laid out like a Vietnamese Party administrative document (A4): the issuing
//! body and "ĐẢNG CỘNG SẢN VIỆT NAM" side by side, the number and the place-and-date line, the
//! title, the body, the recipients and the signature block. Drawn from the data on the device,
//! so a plan can be printed offline; the browser's "Save as PDF" gives the PDF.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::domain::labels::{self, date_line, district_issuer, issuer};
use crate::domain::outline::Part;
use crate::domain::plan::Breakdown;
use crate::domain::totals::Include;
use crate::domain::{Campaign, Figure, PlanDocument};
use crate::ui::district::{compute_board, compute_totals};
use crate::ui::pages::NeedsLogin;
use crate::ui::state::ctx;
use leptos_router::hooks::use_query_map;

fn figures_row(label: String, b: &Breakdown) -> impl IntoView + use<> {
    let cells: Vec<String> = Figure::ALL.iter().map(|f| b.get(*f).input_text()).collect();
    view! {
        <tr>
            <th scope="row">{label}</th>
            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
        </tr>
    }
}

fn figures_head() -> impl IntoView {
    view! {
        <thead>
            <tr>
                <th scope="col"></th>
                {Figure::ALL.iter().map(|f| view! { <th scope="col">{f.label()}</th> }).collect_view()}
            </tr>
        </thead>
    }
}

/// `/in/ke-hoach/:id`: one unit's plan as a document.
#[component]
pub fn PrintPlanPage() -> impl IntoView {
    let ctx = ctx();
    let params = use_params_map();
    let plan_id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok())));
    move || {
        if ctx.me.get().is_none() {
            return view! { <NeedsLogin /> }.into_any();
        }
        let found = plan_id.get().and_then(|id| {
            ctx.device.with(|d| {
                let plan = d.plans.get(&id)?;
                let campaign = d.reference.campaigns.get(&plan.campaign_id)?.clone();
                let unit = d.reference.units.get(&plan.unit_id)?.name.clone();
                let unit_id = plan.unit_id;
                let district = d
                    .reference
                    .units
                    .get(&campaign.district_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                Some((plan.working.clone(), campaign, unit, district, unit_id))
            })
        });
        match found {
            Some((doc, campaign, unit, district, unit_id)) => {
                // The cells in the unit's own order, as on screen.
                let cell_order: Vec<Uuid> = ctx
                    .unit_profile(unit_id)
                    .map(|p| p.cells.into_iter().map(|c| c.id).collect())
                    .unwrap_or_default();
                view! { <PlanDocumentView doc campaign unit district cell_order /> }.into_any()
            }
            None => view! {
                <section class="page">
                    <h1>"Không có kế hoạch này trên máy"</h1>
                    <p><a href="/ke-hoach">"Về danh sách kế hoạch"</a></p>
                </section>
            }
            .into_any(),
        }
    }
}

#[component]
fn PlanDocumentView(
    doc: PlanDocument,
    campaign: Campaign,
    unit: String,
    district: String,
    cell_order: Vec<Uuid>,
) -> impl IntoView {
    let issued = labels::parse_iso_date(&doc.header.issued_on);
    let years = campaign.years.clone();
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
            |b: &crate::domain::Breakdown| Figure::ALL.iter().all(|f| b.get(*f).value() == Some(0));
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
                    "Thực hiện Công văn số {} ngày {} của Ban Thường vụ Huyện ủy về tăng cường công tác tạo nguồn, kết nạp đảng viên, {} xây dựng kế hoạch tạo nguồn phát triển đảng viên như sau:",
                    campaign.letter_number,
                    labels::date(campaign.letter_date),
                    unit,
                )}
            </p>
            <h2>{part(Part::Assessment)}</h2>
            <p class="prose">{doc.sections.assessment.clone()}</p>
            <h2>{part(Part::Pool)}</h2>
            <table class="doc-table">
                {figures_head()}
                <tbody>{figures_row("Nguồn hiện có".into(), &doc.pool)}</tbody>
            </table>
            <p>{format!("Đã học lớp bồi dưỡng nhận thức về Đảng: {}; đã có đơn xin vào Đảng: {}.", doc.progress.awareness_course.input_text(), doc.progress.applied.input_text())}</p>
            <h2>{part(Part::Targets)}</h2>
            <table class="doc-table">
                {figures_head()}
                <tbody>
                    {years.iter().map(|y| figures_row(format!("Năm {y}"), &doc.targets.get(y).cloned().unwrap_or_default())).collect_view()}
                    {figures_row("Cả nhiệm kỳ".into(), &doc.term_target)}
                </tbody>
            </table>
            {has_cells.then(|| view! {
                <h2>{part(Part::Cells)}</h2>
                <table class="doc-table">
                    {figures_head()}
                    <tbody>
                        {cells.iter().map(|c| {
                            let mut rows = vec![figures_row(format!("{} — nguồn", c.name), &c.pool).into_any()];
                            rows.extend(years.iter().map(|y| figures_row(format!("{} — {y}", c.name), &c.targets.get(y).cloned().unwrap_or_default()).into_any()));
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
                    <p>"- Ban Tổ chức Huyện ủy (để báo cáo),"</p>
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

/// `/in/tong-hop/:campaign`: the district summary as a report of the Organisation Board.
#[component]
pub fn PrintTotalsPage() -> impl IntoView {
    let ctx = ctx();
    let params = use_params_map();
    let query = use_query_map();
    move || {
        if ctx.me.get().is_none() {
            return view! { <NeedsLogin /> }.into_any();
        }
        let id = params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
        let include = if query.with(|q| q.get("include")).as_deref() == Some("approved") {
            Include::Approved
        } else {
            Include::Submitted
        };
        let Some(campaign) =
            id.and_then(|id| ctx.device.with(|d| d.reference.campaigns.get(&id).cloned()))
        else {
            return view! { <section class="page"><h1>"Không có đợt đăng ký này trên máy"</h1></section> }.into_any();
        };
        let district = ctx
            .device
            .with(|d| {
                d.reference
                    .units
                    .get(&campaign.district_id)
                    .map(|u| u.name.clone())
            })
            .unwrap_or_default();
        let totals = compute_totals(ctx, &campaign, include);
        let board = compute_board(ctx, &campaign);
        let place = district
            .strip_prefix("Đảng bộ huyện ")
            .unwrap_or(&district)
            .to_owned();
        // The date in Vietnam: a report printed at 03:10 on 2 December is dated 2 December.
        let today = crate::ui::state::Ctx::now()
            .with_timezone(&crate::domain::sync::VIETNAM_OFFSET)
            .date_naive();
        let counts = board
            .counts
            .iter()
            .map(|(s, n)| format!("{} {}", n, s.label().to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ");
        let d = totals.district.clone();
        let years = campaign.years.clone();
        let included = match include {
            Include::Submitted => "đã nộp và đã duyệt",
            Include::Approved => "đã duyệt",
            Include::EverSubmitted => "đã từng nộp",
        };
        view! {
            <div class="print-actions">
                <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>"In / Lưu PDF"</button>
            </div>
            <article class="a4 document" data-testid="print-totals">
                <header class="doc-head">
                    <div class="issuer">
                        <p>{district_issuer(&district)}</p>
                        <p class="strong">"BAN TỔ CHỨC"</p>
                        <p>"*"</p>
                        <p>"Số …-BC/BTCHU"</p>
                    </div>
                    <div class="nation">
                        <p class="strong party">"ĐẢNG CỘNG SẢN VIỆT NAM"</p>
                    <p class="party-rule" aria-hidden="true"></p>
                        <p class="date-line">{date_line(&place, Some(today))}</p>
                    </div>
                </header>
                <h1 class="doc-title">"BÁO CÁO"</h1>
                <p class="doc-subtitle">{format!("tổng hợp kế hoạch tạo nguồn phát triển đảng viên nhiệm kỳ {}", campaign.term)}</p>
                <p class="doc-rule">"-----"</p>
                <p class="lead">{format!(
                    "Thực hiện Công văn số {} ngày {}, đến ngày {}, trong {} tổ chức cơ sở đảng có: {}. Số liệu dưới đây tổng hợp {} kế hoạch {}.",
                    campaign.letter_number, labels::date(campaign.letter_date), labels::date(today), d.units, counts, d.plans, included,
                )}</p>
                <h2>"I. NGUỒN VÀ CHỈ TIÊU THEO CƠ CẤU"</h2>
                <table class="doc-table">
                    <thead><tr>
                        <th scope="col">"Cơ cấu"</th><th scope="col">"Nguồn"</th>
                        {years.iter().map(|y| view! { <th scope="col">{format!("Năm {y}")}</th> }).collect_view()}
                        <th scope="col">"Cả nhiệm kỳ"</th>
                    </tr></thead>
                    <tbody>
                        {Figure::ALL.iter().map(|f| view! {
                            <tr>
                                <th scope="row">{f.label()}</th>
                                <td class="num">{d.pool.get(*f)}</td>
                                {years.iter().map(|y| view! { <td class="num">{d.targets.get(y).map_or(0, |s| s.get(*f))}</td> }).collect_view()}
                                <td class="num">{d.term_target.get(*f)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p>{format!(
                    "Định hướng 3–4 % đảng viên mới mỗi năm trên {} đảng viên: {}–{} người/năm.",
                    labels::number(i64::try_from(totals.guideline.members).unwrap_or(i64::MAX)), totals.guideline.yearly_low, totals.guideline.yearly_high,
                )}</p>
                <h2>"II. THEO LOẠI HÌNH TỔ CHỨC CƠ SỞ ĐẢNG"</h2>
                <table class="doc-table">
                    <thead><tr>
                        <th scope="col">"Loại hình"</th><th scope="col">"Kế hoạch / đơn vị"</th><th scope="col">"Nguồn"</th>
                        {years.iter().map(|y| view! { <th scope="col">{format!("Năm {y}")}</th> }).collect_view()}
                        <th scope="col">"Cả nhiệm kỳ"</th>
                    </tr></thead>
                    <tbody>
                        {totals.by_kind.iter().map(|(k, f)| view! {
                            <tr>
                                <th scope="row">{k.label()}</th>
                                <td class="num">{format!("{}/{}", f.plans, f.units)}</td>
                                <td class="num">{f.pool.total()}</td>
                                {years.iter().map(|y| view! { <td class="num">{f.targets.get(y).map_or(0, |s| s.total())}</td> }).collect_view()}
                                <td class="num">{f.term_target.total()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <footer class="doc-foot">
                    <div class="recipients">
                        <p class="strong underline">"Nơi nhận:"</p>
                        <p>"- Thường trực Huyện ủy (để báo cáo),"</p>
                        <p>"- Lưu Ban Tổ chức."</p>
                    </div>
                    <div class="signature">
                        <p class="strong">"T/M BAN TỔ CHỨC"</p>
                        <p class="strong">"TRƯỞNG BAN"</p>
                        <p class="sign-space"></p>
                    </div>
                </footer>
            </article>
        }
        .into_any()
    }
}
