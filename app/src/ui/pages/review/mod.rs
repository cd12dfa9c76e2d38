//! `/tong-hop`: the district Organisation Board's page — the campaign picker, "open a new
//! campaign", and three tabs, each in its own file: the submission board (`board`), the
//! district totals (`totals`, with the district's own target in `target`) and achievement and
//! ranking (`achievement`); the form that opens a campaign is `campaign_form`.
//!
//! Every tab is computed on the device from the plans and units it has pulled
//! (`platform::campaign_data`), with the same pure functions the server uses for its API and
//! exports (`domain::board`, `domain::totals`, `domain::achievement`): they open instantly, work
//! on a weak link or none, and agree with the downloaded files.

mod achievement;
mod board;
mod campaign_form;
mod target;
mod totals;

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{Role, labels};
use crate::ui::platform::state::ctx;
use crate::ui::widgets::chunk::{Chunk, Loaded};
use crate::ui::widgets::gate::NeedsLogin;

use achievement::AchievementView;
use board::BoardView;
use campaign_form::CampaignForm;
use totals::TotalsView;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Board,
    Totals,
    Achievement,
}

/// `/tong-hop`: the district's page.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let ctx = ctx();
    let is_reviewer = move || ctx.me.get().is_some_and(|m| m.has(Role::Reviewer));
    let logged_in = move || ctx.me.with(Option::is_some);
    view! {
        <Show when=logged_in fallback=NeedsLogin>
        <Show
            when=is_reviewer
            fallback=|| {
                view! {
                    <section class="page">
                        <h1>"Tổng hợp kế hoạch của cấp dưới"</h1>
                        <p>"Trang này dành cho cơ quan thẩm định kế hoạch của cấp ủy (Ban Tổ chức, Ban Xây dựng Đảng). Hãy đăng nhập bằng tài khoản có vai trò «Thẩm định kế hoạch của cấp dưới»."</p>
                    </section>
                }
            }
        >
            <Chunk load=review_screens />
        </Show>
        </Show>
    }
}

/// The reviewer's screens are in the `review` chunk: a unit's phone never downloads them.
#[leptos::wasm_split::wasm_split(review, wasm_split_path = leptos::wasm_split, fallible)]
fn review_screens() -> Loaded {
    Ok(view! { <ReviewScreens /> }.into_any())
}

#[component]
fn ReviewScreens() -> impl IntoView {
    let ctx = ctx();
    // Only the campaigns this unit opened: an account that also edits sees the campaigns of
    // the unit above on its device, but reviews none of them.
    let campaigns = Memo::new(move |_| {
        let unit = ctx.me.with(|m| m.as_ref().and_then(|m| m.unit_id));
        let mut list = ctx.campaigns();
        list.retain(|c| Some(c.opener_id) == unit);
        list
    });
    let chosen = RwSignal::new(None::<Uuid>);
    let campaign = Memo::new(move |_| {
        let list = campaigns.get();
        chosen
            .get()
            .and_then(|id| list.iter().find(|c| c.id == id).cloned())
            .or_else(|| list.first().cloned())
    });
    let tab = RwSignal::new(Tab::Board);
    let opening = RwSignal::new(false);
    view! {
        <section class="page district">
            <h1>{move || ctx.own_committee().kind.overview_label()}</h1>
            <Show
                when=move || opening.get()
                fallback=move || view! { <button type="button" class="new-campaign" on:click=move |_| opening.set(true)>"Mở đợt đăng ký mới"</button> }
            >
                <CampaignForm done=Callback::new(move |id: Option<Uuid>| {
                    opening.set(false);
                    if id.is_some() {
                        chosen.set(id);
                    }
                }) />
            </Show>
            <Show
                when=move || campaign.get().is_some()
                fallback=|| view! { <p class="hint">"Chưa có đợt đăng ký kế hoạch nào. Khi có mạng, ứng dụng sẽ tự tải về."</p> }
            >
                <div class="campaign-pick">
                    <label for="campaign">"Đợt đăng ký"</label>
                    <select
                        id="campaign"
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                        prop:value=move || campaign.get().map(|c| c.id.to_string()).unwrap_or_default()
                    >
                        {move || {
                            campaigns
                                .get()
                                .into_iter()
                                .map(|c| view! { <option value=c.id.to_string()>{format!("Công văn {} — {}", c.letter_number, c.title)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <p class="meta">
                        {move || campaign.get().map(|c| format!(
                            "Ngày {} · Nhiệm kỳ {} · Các năm {} · Hạn nộp {}",
                            labels::date(c.letter_date),
                            c.term,
                            c.years.iter().map(u16::to_string).collect::<Vec<_>>().join(", "),
                            labels::date(c.deadline),
                        ))}
                    </p>
                </div>
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Board).to_string() on:click=move |_| tab.set(Tab::Board)>
                        "Tình hình nộp"
                    </button>
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Totals).to_string() on:click=move |_| tab.set(Tab::Totals)>
                        "Số liệu tổng hợp"
                    </button>
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Achievement).to_string() on:click=move |_| tab.set(Tab::Achievement)>
                        "Kết quả và xếp hạng"
                    </button>
                </div>
                {move || {
                    let Some(c) = campaign.get() else { return ().into_any() };
                    match tab.get() {
                        Tab::Board => view! { <BoardView campaign=c /> }.into_any(),
                        Tab::Totals => view! { <TotalsView campaign=c /> }.into_any(),
                        Tab::Achievement => view! { <AchievementView campaign=c /> }.into_any(),
                    }
                }}
            </Show>
        </section>
    }
}
