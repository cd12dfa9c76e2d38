//! `/in/tong-hop/:id`: the district's totals as a report of the Organisation Board, computed
//! on the device with the domain's functions (`domain::board`, `domain::totals`) from what
//! `platform::campaign_data` reads off it — the same figures as the totals tab.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::domain::Figure;
use crate::domain::board;
use crate::domain::device::OFFICE_UNKNOWN;
use crate::domain::labels::{self, date_line};
use crate::domain::sync::UnitRecord;
use crate::domain::totals::{self, Include};
use crate::ui::platform::campaign_data;
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::widgets::gate::NeedsLogin;

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
        let (opener, kind, office) = ctx.device.with(|d| {
            let reviewer = d.reviewer_of(campaign.id);
            (
                reviewer.map(|u| u.name.clone()).unwrap_or_default(),
                reviewer.map(UnitRecord::committee),
                reviewer.map_or_else(|| OFFICE_UNKNOWN.to_owned(), UnitRecord::office),
            )
        });
        // "Ban Tổ chức Huyện ủy" heads the report as "BAN TỔ CHỨC" under the committee's name.
        let office_head = office
            .strip_suffix(kind.map_or(OFFICE_UNKNOWN, |k| k.label()))
            .unwrap_or(&office)
            .trim()
            .to_uppercase();
        let units = campaign_data::asked_units(ctx, &campaign);
        let docs = campaign_data::campaign_documents(ctx, campaign.id, include);
        let totals = totals::compute(
            &campaign.years,
            &campaign.categories,
            &units,
            &totals::inputs(&docs),
            include,
        );
        let categories = campaign.categories.clone();
        let plans = campaign_data::plan_facts(ctx, campaign.id);
        let board = board::build(&campaign, &units, &plans, Ctx::now());
        let place = labels::place_of(&opener);
        let issuer = kind.map_or_else(
            || opener.to_uppercase(),
            |k| labels::committee_issuer(&opener, k),
        );
        let number = format!("Số …-BC/{}", labels::office_abbreviation(&office));
        let committee = kind.map_or(OFFICE_UNKNOWN, |k| k.label());
        // The date in Vietnam: a report printed at 03:10 on 2 December is dated 2 December.
        let today = Ctx::now()
            .with_timezone(&crate::domain::sync::VIETNAM_OFFSET)
            .date_naive();
        let counts = board
            .counts
            .iter()
            .map(|(s, n)| format!("{} {}", n, s.label().to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ");
        let d = totals.overall.clone();
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
                        <p>{issuer}</p>
                        <p class="strong">{office_head.clone()}</p>
                        <p>"*"</p>
                        <p>{number}</p>
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
                    "Thực hiện Công văn số {} ngày {}, đến ngày {}, trong {} đơn vị được giao kế hoạch có: {}. Số liệu dưới đây tổng hợp {} kế hoạch {}.",
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
                        {Figure::all(&categories).into_iter().enumerate().map(|(i, f)| view! {
                            <tr>
                                <th scope="row">{f.label(&categories)}</th>
                                <td class="num">{d.pool.at(i)}</td>
                                {years.iter().map(|y| view! { <td class="num">{d.targets.get(y).map_or(0, |s| s.at(i))}</td> }).collect_view()}
                                <td class="num">{d.term_target.at(i)}</td>
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
                {(!campaign.coverage.is_empty()).then(|| view! {
                    <h2>"III. ĐỘ PHỦ TỔ CHỨC ĐẢNG"</h2>
                    <table class="doc-table" data-testid="print-totals-coverage">
                        <thead><tr><th scope="col">"Chỉ số"</th><th scope="col">"Hiện nay"</th><th scope="col">"Đến cuối nhiệm kỳ"</th></tr></thead>
                        <tbody>
                            {campaign.coverage.iter().map(|i| {
                                let sum = totals.overall.coverage_of(*i);
                                view! { <tr><th scope="row">{i.label()}</th><td class="num">{sum.now}</td><td class="num">{sum.target}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                <footer class="doc-foot">
                    <div class="recipients">
                        <p class="strong underline">"Nơi nhận:"</p>
                        <p>{format!("- Thường trực {committee} (để báo cáo),")}</p>
                        <p>{format!("- Lưu {office}.")}</p>
                    </div>
                    <div class="signature">
                        <p class="strong">{format!("T/M {office_head}")}</p>
                        <p class="strong">"TRƯỞNG BAN"</p>
                        <p class="sign-space"></p>
                    </div>
                </footer>
            </article>
        }
        .into_any()
    }
}
