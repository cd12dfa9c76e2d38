//! The opening committee's own whole-term target (its Congress resolution) beside the sum of
//! the units' plans, on the totals tab, and the form where its office enters it ("Nhập chỉ tiêu
//! của huyện", "… của xã"; online: the server shares it with every reviewer by sync).

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::Figure;
use crate::domain::totals::{self, Totals};
use crate::ui::platform::api::{self, ApiError};
use crate::ui::platform::state::ctx;
use crate::ui::platform::sync;

/// The opening committee's own whole-term target (its Congress resolution) beside the units'
/// plans, and the form where its office enters it (online: it is shared with every reviewer by
/// sync).
#[component]
pub(super) fn OwnTarget(campaign_id: Uuid, totals: Memo<Totals>) -> impl IntoView {
    let ctx = ctx();
    let own_name = move || ctx.own_committee().name;
    let target = Memo::new(move |_| {
        ctx.device
            .with(|d| d.reference.own_targets.get(&campaign_id).cloned())
    });
    let editing = RwSignal::new(false);
    // The campaign's figures: the total and its categories.
    let categories = StoredValue::new(totals.with_untracked(|t| t.categories.clone()));
    let figures = StoredValue::new(categories.with_value(Figure::all));
    let inputs: Vec<RwSignal<String>> =
        figures.with_value(|f| f.iter().map(|_| RwSignal::new(String::new())).collect());
    let inputs_for_open = inputs.clone();
    let open = move |_| {
        let current = target.get_untracked().unwrap_or_default();
        figures.with_value(|figures| {
            for (f, input) in figures.iter().zip(&inputs_for_open) {
                input.set(current.get(*f).input_text());
            }
        });
        editing.set(true);
    };
    let problems = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let inputs_for_save = inputs.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut breakdown = crate::domain::Breakdown::default();
        figures.with_value(|figures| {
            for (f, input) in figures.iter().zip(&inputs_for_save) {
                *breakdown.get_mut(*f) = crate::domain::Count::parse_input(&input.get_untracked());
            }
        });
        let local = categories.with_value(|c| totals::target_problems(&breakdown, c));
        if !local.is_empty() {
            problems.set(local.into_iter().map(|(_, m)| m).collect());
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::set_own_target(campaign_id, &breakdown).await;
            busy.set(false);
            match result {
                Ok(record) => {
                    ctx.device.update(|d| {
                        if let Some(t) = record.own_target {
                            d.reference.own_targets.insert(campaign_id, t);
                        }
                    });
                    problems.set(Vec::new());
                    editing.set(false);
                    sync::now(ctx);
                }
                Err(ApiError::Network) => problems.set(vec![
                    format!(
                        "Cần có mạng để lưu chỉ tiêu của {}. Số liệu vẫn còn trên màn hình.",
                        ctx.own_committee().kind.area_word()
                    )
                    .to_owned(),
                ]),
                Err(e) => problems.set(vec![e.message()]),
            }
        });
    };
    view! {
        <section class="district-target" data-testid="district-target">
            <h2>{move || format!("So với chỉ tiêu của {} (Nghị quyết Đại hội, cả nhiệm kỳ)", own_name())}</h2>
            {move || match target.get() {
                None => view! { <p class="hint">{format!("Chưa nhập chỉ tiêu của {}.", own_name())}</p> }.into_any(),
                Some(t) => {
                    let plans = totals.get().overall.term_target;
                    view! {
                        <div class="table-wrap" role="region" aria-label=format!("Chỉ tiêu của {}", ctx.own_committee().kind.area_word()) tabindex="0">
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">"Cơ cấu"</th>
                                    <th scope="col">"Nghị quyết Đại hội"</th>
                                    <th scope="col">"Tổng các kế hoạch"</th>
                                    <th scope="col">"Tỷ lệ"</th>
                                </tr></thead>
                                <tbody>
                                    {figures.get_value().into_iter().enumerate().map(|(i, f)| {
                                        let want = u64::from(t.get(f).value().unwrap_or(0));
                                        let have = plans.at(i);
                                        let rate = (have * 100).checked_div(want).map_or_else(|| "—".to_owned(), |r| format!("{r} %"));
                                        let label = categories.with_value(|c| f.label(c));
                                        view! {
                                            <tr data-figure=f.code().to_owned()>
                                                <th scope="row">{label}</th>
                                                <td class="num">{want}</td>
                                                <td class="num">{have}</td>
                                                <td class="num">{rate}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
            <Show
                when=move || editing.get()
                fallback=move || view! { <button type="button" on:click=open.clone()>{format!("Nhập chỉ tiêu của {}", ctx.own_committee().kind.area_word())}</button> }
            >
                <form class="target-form" on:submit=save.clone()>
                    <div class="fields">
                        {figures.get_value().into_iter().zip(inputs.clone()).map(|(f, input)| {
                            let id = format!("dt-{}", f.code());
                            let label = categories.with_value(|c| f.label(c));
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{label}</label>
                                    <input id=id inputmode="numeric" maxlength="9" prop:value=input on:input=move |ev| input.set(event_target_value(&ev)) />
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <Show when=move || !problems.get().is_empty()>
                        <ul class="field-error" role="alert">{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </Show>
                    <button type="submit" class="primary" disabled=move || busy.get()>"Lưu chỉ tiêu"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Hủy"</button>
                </form>
            </Show>
        </section>
    }
}
