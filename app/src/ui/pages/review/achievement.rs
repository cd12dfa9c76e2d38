//! The achievement and ranking tab: target against the admissions units reported, per unit
//! and in total, for one year or the term, and the emulation ranking with its formula and the
//! weights the Board sets.

use leptos::prelude::*;

use crate::domain::Campaign;
use crate::domain::achievement::{self, Period, Weights};
use crate::domain::board;
use crate::domain::totals::{self, Include};
use crate::ui::platform::campaign_data;
use crate::ui::platform::state::{Ctx, ctx};

/// Target against actual per unit and in total, and the emulation ranking with its formula.
#[component]
pub(super) fn AchievementView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let campaign_id = campaign.id;
    let years = campaign.years.clone();
    let period = RwSignal::new(Period::Term);
    let weights = RwSignal::new(Weights::default());
    let result = Memo::new(move |_| {
        let units = campaign_data::asked_units(ctx, &campaign);
        let plans = campaign_data::plan_facts(ctx, campaign.id);
        let board = board::build(&campaign, &units, &plans, Ctx::now());
        let docs = campaign_data::campaign_documents(ctx, campaign.id, Include::EverSubmitted);
        let inputs = totals::inputs(&docs);
        achievement::compute(
            &board,
            &inputs,
            &campaign.years,
            &campaign.categories,
            period.get(),
            weights.get(),
        )
    });
    let query = move || {
        let w = weights.get();
        let p = match period.get() {
            Period::Term => "term".to_owned(),
            Period::Year(y) => y.to_string(),
        };
        format!(
            "?period={p}&w_time={}&w_target={}&w_structure={}",
            w.timeliness, w.target, w.structure
        )
    };
    let weight_input = move |label: &'static str,
                             get: fn(&Weights) -> u32,
                             set: fn(&mut Weights, u32)| {
        view! {
            <label>
                {label}
                " "
                <input type="number" min="0" max="100" class="weight"
                    prop:value=move || get(&weights.get()).to_string()
                    on:input=move |ev| {
                        let v = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0).min(100);
                        weights.update(|w| set(w, v));
                    } />
            </label>
        }
    };
    view! {
        <div class="achievement">
            <div class="filters">
                <label>
                    "Kỳ "
                    <select on:change=move |ev| period.set(event_target_value(&ev).parse::<u16>().map_or(Period::Term, Period::Year))>
                        <option value="term">"Cả nhiệm kỳ"</option>
                        {years.iter().map(|y| view! { <option value=y.to_string()>{format!("Năm {y}")}</option> }).collect_view()}
                    </select>
                </label>
                {weight_input("Trọng số đúng hạn", |w| w.timeliness, |w, v| w.timeliness = v)}
                {weight_input("đạt chỉ tiêu", |w| w.target, |w, v| w.target = v)}
                {weight_input("đạt cơ cấu", |w| w.structure, |w, v| w.structure = v)}
                <span class="exports">
                    "Tải về: "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/achievement.xlsx{}", query()) download>"Excel"</a>
                    " · "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/achievement.csv{}", query()) download>"CSV"</a>
                </span>
            </div>
            <p class="formula" data-testid="formula">
                {move || weights.get().problem().map_or_else(|| result.get().formula, str::to_owned)}
            </p>
            <p class="meta">{move || { let r = result.get(); format!("{}: chỉ tiêu {}, đã kết nạp {}.", ctx.own_committee().kind.whole(), r.target.total(), r.actual.total()) }}</p>
            <div class="table-wrap" role="region" aria-label="Xếp hạng" tabindex="0">
                <table class="data" data-testid="ranking">
                    <thead>
                        <tr>
                            <th scope="col">"Hạng"</th>
                            <th scope="col">"Đơn vị"</th>
                            <th scope="col">"Kế hoạch"</th>
                            <th scope="col">"Chỉ tiêu"</th>
                            <th scope="col">"Đã kết nạp"</th>
                            <th scope="col">"Đúng hạn"</th>
                            <th scope="col">"Đạt chỉ tiêu"</th>
                            <th scope="col">"Đạt cơ cấu"</th>
                            <th scope="col">"Điểm"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || result.get().rows.into_iter().map(|r| view! {
                            <tr data-unit=r.unit_name.clone()>
                                <td class="num">{r.rank}</td>
                                <td>{r.unit_name.clone()}</td>
                                <td><span class=format!("status status-{}", r.status.code())>{r.status.label()}</span></td>
                                <td class="num">{r.target.total()}</td>
                                <td class="num">{r.actual.total()}</td>
                                <td class="num">{format!("{} %", r.timeliness)}</td>
                                <td class="num">{format!("{} %", r.target_rate)}</td>
                                <td class="num">{format!("{} %", r.structure_rate)}</td>
                                <td class="num score">{r.score.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
