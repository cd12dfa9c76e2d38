//! The district totals tab: pool and targets per year and for the term, by structure, by type
//! of organisation and per unit, counting submitted and approved plans (or approved only); the
//! yearly targets drawn against the 3–4 % guideline, the term targets against the district's
//! own (`target`); exports and the printed report.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::totals::{self, Figures, Include, Totals};
use crate::domain::{Campaign, Figure, labels};
use crate::ui::pages::review::target::OwnTarget;
use crate::ui::platform::campaign_data;
use crate::ui::platform::state::ctx;

#[component]
pub(super) fn TotalsView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let include = RwSignal::new(Include::Submitted);
    let years = campaign.years.clone();
    let coverage = campaign.coverage.clone();
    let campaign_id = campaign.id;
    let totals = Memo::new(move |_| {
        let include = include.get();
        let units = campaign_data::asked_units(ctx, &campaign);
        let docs = campaign_data::campaign_documents(ctx, campaign.id, include);
        totals::compute(
            &campaign.years,
            &campaign.categories,
            &units,
            &totals::inputs(&docs),
            include,
        )
    });
    let query = move || match include.get() {
        Include::Submitted => "",
        Include::Approved => "?include=approved",
        Include::EverSubmitted => "?include=ever_submitted",
    };
    let years_for_rows = years.clone();
    let group_rows = move || {
        let t = totals.get();
        let years = years_for_rows.clone();
        let mut rows = vec![(ctx.own_committee().kind.whole(), t.overall.clone(), true)];
        rows.extend(
            t.by_kind
                .iter()
                .map(|(k, f)| (format!("Loại hình: {}", k.label()), f.clone(), false)),
        );
        rows.extend(
            t.by_unit
                .iter()
                .map(|u| (u.unit_name.clone(), u.figures.clone(), false)),
        );
        rows.into_iter()
            .map(|(name, f, strong)| {
                let year_cells = years
                    .iter()
                    .map(|y| view! { <td class="num">{f.targets.get(y).map_or(0, |s| s.total())}</td> })
                    .collect_view();
                view! {
                    <tr class:strong=strong>
                        <th scope="row">{name}</th>
                        <td class="num">{f.plans}"/"{f.units}</td>
                        <td class="num">{f.pool.total()}</td>
                        {year_cells}
                        <td class="num">{f.term_target.total()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let years_for_head = years.clone();
    let years_for_structure = years.clone();
    let years_for_chart = years;
    view! {
        <div class="totals">
            <div class="filters">
                <label>
                    "Tính các kế hoạch "
                    <select on:change=move |ev| include.set(if event_target_value(&ev) == "approved" { Include::Approved } else { Include::Submitted })>
                        <option value="submitted">"đã nộp và đã duyệt"</option>
                        <option value="approved">"đã duyệt"</option>
                    </select>
                </label>
                <span class="exports">
                    "Tải về: "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/totals.xlsx{}", query()) download>"Excel"</a>
                    " · "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/totals.csv{}", query()) download>"CSV"</a>
                    " · "
                    <A href=move || format!("/in/tong-hop/{campaign_id}{}", query())>"Bản in báo cáo"</A>
                </span>
            </div>
            <Guideline totals years=years_for_chart />
            <OwnTarget campaign_id totals />
            <h2>{move || format!("Theo cơ cấu ({})", ctx.own_committee().kind.whole().to_lowercase())}</h2>
            <div class="table-wrap" role="region" aria-label="Theo cơ cấu" tabindex="0">
                <table class="data" data-testid="totals-structure">
                    <thead>
                        <tr>
                            <th scope="col">"Cơ cấu"</th>
                            <th scope="col">"Nguồn hiện có"</th>
                            {years_for_structure.iter().map(|y| view! { <th scope="col">{format!("Chỉ tiêu {y}")}</th> }).collect_view()}
                            <th scope="col">"Cả nhiệm kỳ"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let t = totals.get();
                            let categories = t.categories.clone();
                            Figure::all(&categories)
                                .into_iter()
                                .enumerate()
                                .map(|(i, f)| {
                                    let d = &t.overall;
                                    view! {
                                        <tr>
                                            <th scope="row">{f.label(&categories)}</th>
                                            <td class="num">{d.pool.at(i)}</td>
                                            {years_for_structure.iter().map(|y| view! { <td class="num">{d.targets.get(y).map_or(0, |s| s.at(i))}</td> }).collect_view()}
                                            <td class="num">{d.term_target.at(i)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            {(!coverage.is_empty()).then(|| {
                let coverage = coverage.clone();
                view! {
                    <h2>"Độ phủ tổ chức đảng"</h2>
                    <div class="table-wrap" role="region" aria-label="Độ phủ tổ chức đảng" tabindex="0">
                        <table class="data" data-testid="totals-coverage">
                            <thead>
                                <tr>
                                    <th scope="col">"Chỉ số"</th>
                                    <th scope="col">"Hiện nay"</th>
                                    <th scope="col">"Đến cuối nhiệm kỳ"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    let t = totals.get();
                                    coverage
                                        .iter()
                                        .map(|i| {
                                            let sum = t.overall.coverage_of(*i);
                                            view! {
                                                <tr>
                                                    <th scope="row">{i.label()}</th>
                                                    <td class="num">{sum.now}</td>
                                                    <td class="num">{sum.target}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                }
            })}
            <h2>"Theo loại hình và từng đơn vị"</h2>
            <div class="table-wrap" role="region" aria-label="Theo loại hình và từng đơn vị" tabindex="0">
                <table class="data" data-testid="totals-units">
                    <thead>
                        <tr>
                            <th scope="col">"Đơn vị / nhóm"</th>
                            <th scope="col">"Kế hoạch tính / đơn vị"</th>
                            <th scope="col">"Nguồn"</th>
                            {years_for_head.iter().map(|y| view! { <th scope="col">{format!("Chỉ tiêu {y}")}</th> }).collect_view()}
                            <th scope="col">"Cả nhiệm kỳ"</th>
                        </tr>
                    </thead>
                    <tbody>{group_rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// The yearly targets beside the national guideline (3–4 % of the members a year), as bars: a
/// picture tells at once which years fall short.
#[component]
fn Guideline(totals: Memo<Totals>, years: Vec<u16>) -> impl IntoView {
    view! {
        <section class="guideline" aria-label="So với định hướng 3–4 %">
            <h2>"Chỉ tiêu hằng năm so với định hướng 3–4 % đảng viên mới"</h2>
            {move || {
                let t = totals.get();
                let g = t.guideline;
                let Figures { targets, plans, units, .. } = &t.overall;
                let scale = years
                    .iter()
                    .map(|y| targets.get(y).map_or(0, |s| s.total()))
                    .max()
                    .unwrap_or(0)
                    .max(g.yearly_high)
                    .max(1);
                // Widths go through the CSSOM (`style:`), which the CSP allows; a `style` attribute it
                // would block.
                let pct = move |v: u64| format!("{}%", v * 100 / scale);
                view! {
                    <p class="meta">
                        {format!(
                            "{} đảng viên của {} đơn vị: định hướng {}–{} người/năm. Đã tính {}/{} kế hoạch.",
                            labels::number(i64::try_from(g.members).unwrap_or(i64::MAX)),
                            units,
                            g.yearly_low,
                            g.yearly_high,
                            plans,
                            units,
                        )}
                    </p>
                    <ul class="bars">
                        {years
                            .iter()
                            .map(|y| {
                                let v = targets.get(y).map_or(0, |s| s.total());
                                let verdict = if v < g.yearly_low { "thấp hơn định hướng" } else if v > g.yearly_high { "cao hơn định hướng" } else { "trong định hướng" };
                                view! {
                                    <li>
                                        <span class="year">{format!("Năm {y}")}</span>
                                        <span class="bar-track">
                                            <span class="band" style:left=format!("{}%", g.yearly_low * 100 / scale) style:width=format!("{}%", (g.yearly_high - g.yearly_low.min(g.yearly_high)) * 100 / scale)></span>
                                            <span class="bar" class:short=v < g.yearly_low style:width=pct(v)></span>
                                        </span>
                                        <span class="value">{format!("{v} ({verdict})")}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            }}
        </section>
    }
}
