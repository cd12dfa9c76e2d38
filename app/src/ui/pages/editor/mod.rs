//! `/ke-hoach/:id`: the plan editor — every part of the document, the shared rules' findings
//! as the user types, the reviewers' comments, conflicts to settle, and submission; for the
//! district, the same plan read as a document with the review panel.
//!
//! This file builds the page's state (the working document, its report, who may write) and
//! lays it out; each part of the page is its own file:
//!
//! * `parts` — the plan's parts I–VII (header, grids, per-cell breakdown, screening, prose),
//!   with `cell_totals` (the per-cell breakdown added up) and `sections` (a foldable part and
//!   the menu of parts);
//! * `summary` — the findings of the whole plan; `notices` — reviewers' comments, conflicts,
//!   changes the server refused;
//! * `roster`, `actuals` (admissions made, writable after approval), `history` (versions and
//!   their diff), `submit` (the unit's), `review` (the district's panel).

mod actuals;
mod cell_totals;
mod history;
mod notices;
mod parts;
mod review;
mod roster;
mod sections;
mod submit;
mod summary;

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::domain::rules::{PlanContext, Report, validate};
use crate::domain::{PlanStatus, Role, capacity};
use crate::ui::pages::editor::actuals::Actuals;
use crate::ui::pages::editor::history::History;
use crate::ui::pages::editor::notices::{Attention, Conflicts, Reviewers};
use crate::ui::pages::editor::parts::PlanParts;
use crate::ui::pages::editor::review::ReviewPanel;
use crate::ui::pages::editor::roster::Roster;
use crate::ui::pages::editor::sections::SectionMenu;
use crate::ui::pages::editor::submit::Submit;
use crate::ui::pages::editor::summary::Summary;
use crate::ui::platform::state::ctx;
use crate::ui::widgets::chunk::{Chunk, Loaded};
use crate::ui::widgets::fields::{EditorCtx, settled};
use crate::ui::widgets::gate::{self, plan_page};

/// The office that reviews the open plan, by name (from the committee that opened its
/// campaign). Read once: it does not change while the plan is open.
fn office(plan_id: Uuid) -> String {
    ctx().device.with_untracked(|d| d.office_for_plan(plan_id))
}

/// `/ke-hoach/:id`. The editor is a chunk of its own (`editor`), so that the first visit's
/// login form does not wait for it: every device's service worker precaches it in the
/// background, and it opens offline like the rest.
#[component]
pub fn PlanEditor() -> impl IntoView {
    // Gated here, not only inside the chunk: a first visit's login form must stay, with nothing
    // above it, while the chunk would arrive.
    gate::logged_in(|| view! { <Chunk load=editor_page /> }.into_any())
}

#[leptos::wasm_split::wasm_split(editor, wasm_split_path = leptos::wasm_split, fallible)]
fn editor_page() -> Loaded {
    Ok(view! { <EditorPage /> }.into_any())
}

#[component]
fn EditorPage() -> impl IntoView {
    plan_page(
        || {
            view! {
                <section class="page">
                    <h1>"Không có kế hoạch này trên máy"</h1>
                    <p>"Kế hoạch chưa được tải về máy này, hoặc đường dẫn không đúng. Khi có mạng, ứng dụng sẽ tự đồng bộ."</p>
                    <p><a href="/ke-hoach">"Về danh sách kế hoạch"</a></p>
                </section>
            }
            .into_any()
        },
        |id| view! { <Editor plan_id=id /> }.into_any(),
    )
}

#[component]
fn Editor(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
    // Only the working document is copied on a change, not the whole local plan.
    let working = Memo::new(move |_| {
        ctx.device.with(|d| {
            d.plans
                .get(&plan_id)
                .map(|p| p.working.clone())
                .unwrap_or_default()
        })
    });
    let (campaign_id, unit_id) = ctx.device.with_untracked(|d| {
        d.plans
            .get(&plan_id)
            .map(|p| (p.campaign_id, p.unit_id))
            .unwrap_or_default()
    });
    let campaign = Memo::new(move |_| {
        ctx.device
            .with(|d| d.reference.campaigns.get(&campaign_id).cloned())
    });
    let profile = Memo::new(move |_| ctx.unit_profile(unit_id));
    let report = Memo::new(move |_| match (campaign.get(), profile.get()) {
        (Some(c), Some(u)) => working.with(|doc| {
            validate(
                doc,
                PlanContext {
                    campaign: &c,
                    unit: &u,
                },
            )
        }),
        _ => Report::default(),
    });
    let status = Memo::new(move |_| ctx.device.with(|d| d.status(plan_id)));
    let waiting = Memo::new(move |_| {
        ctx.device.with(|d| {
            if d.submit_pending(plan_id) {
                Some(Waiting::Submit)
            } else if d.review_pending(plan_id) {
                Some(Waiting::Review)
            } else {
                None
            }
        })
    });
    // In which role this user acts on this plan: an account holding both edits its own
    // unit's plans and reviews its subordinates'.
    let acting_as = Memo::new(move |_| {
        let reviewing_unit = ctx
            .device
            .with(|d| d.reference.units.get(&unit_id).and_then(|u| u.parent_id));
        ctx.me.with(|m| {
            m.as_ref()
                .and_then(|m| capacity(&m.held(), m.unit_id, unit_id, reviewing_unit))
        })
    });
    let is_unit = Memo::new(move |_| acting_as.get() == Some(Role::Editor));
    let is_reviewer = Memo::new(move |_| acting_as.get() == Some(Role::Reviewer));
    // Only the unit writes its plan; the district reads it and reviews.
    let editable = settled(move || is_unit.get() && status.get().is_editable());
    let comments = Memo::new(move |_| {
        ctx.device
            .with(|d| d.comments(plan_id).into_iter().cloned().collect::<Vec<_>>())
    });
    let categories = Memo::new(move |_| {
        campaign.with(|c| c.as_ref().map(|c| c.categories.clone()).unwrap_or_default())
    });
    let ed = EditorCtx::new(plan_id, working, report, editable, comments, categories);
    provide_context(ed);

    let years = Memo::new(move |_| campaign.get().map(|c| c.years).unwrap_or_default());
    let coverage = Memo::new(move |_| campaign.get().map(|c| c.coverage).unwrap_or_default());
    let cells = Memo::new(move |_| profile.get().map(|p| p.cells).unwrap_or_default());
    let has_cells = Signal::from(Memo::new(move |_| cells.with(|c| !c.is_empty())));

    view! {
        <article class="page editor">
            <header class="editor-head">
                <h1>"Kế hoạch tạo nguồn phát triển đảng viên"</h1>
                <p class="meta">
                    {move || profile.get().map(|p| p.name).unwrap_or_default()}
                    {move || campaign.get().map(|c| format!(" · Công văn {} · Nhiệm kỳ {} · Hạn nộp {}", c.letter_number, c.term, crate::domain::labels::date(c.deadline))).unwrap_or_default()}
                </p>
                <p>
                    <span class=move || format!("status status-{}", status.get().code()) data-testid="plan-status">
                        {move || match waiting.get() {
                            // Pressed on this device, not yet on the server: say so, not "Đã nộp".
                            Some(Waiting::Submit) => "Đã bấm nộp, chờ gửi lên máy chủ".to_owned(),
                            Some(Waiting::Review) => format!("Đã bấm «{}», chờ gửi lên máy chủ", status.get().label()),
                            None => status.get().label().to_owned(),
                        }}
                    </span>
                    " "
                    <A href=format!("/in/ke-hoach/{plan_id}")>"Xem bản in"</A>
                </p>
            </header>
            <Reviewers />
            <Conflicts plan_id />
            <Attention plan_id />
            <Summary />
            <SectionMenu has_cells reports=Signal::derive(move || status.get() != PlanStatus::Draft) />

            <PlanParts years cells has_cells coverage />

            <Roster years />

            <Show when=move || status.get() != PlanStatus::Draft>
                <Actuals years is_unit />
            </Show>

            <History plan_id status />

            <Show when=move || is_unit.get()>
                <Submit plan_id status />
            </Show>
            <Show when=move || is_reviewer.get()>
                <Chunk load=move || review_panel(plan_id, status, years) />
            </Show>
        </article>
    }
}

/// The reviewer's panel is in the `review` chunk, with the reviewing office's screens.
#[leptos::wasm_split::wasm_split(review, wasm_split_path = leptos::wasm_split, fallible)]
fn review_panel(plan_id: Uuid, status: Memo<PlanStatus>, years: Memo<Vec<u16>>) -> Loaded {
    Ok(view! { <ReviewPanel plan_id status years /> }.into_any())
}

/// A decision pressed on this device that the server has not received yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    Submit,
    Review,
}
