//! `/ke-hoach`: the unit's own page — the campaigns it must answer, each with its plan, and
//! where a new plan is started (on the device, so it works offline).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::domain::{PlanDocument, PlanStatus, Role};
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::widgets::gate::NeedsLogin;

/// `/ke-hoach`: the campaigns the unit must answer, each with its plan.
#[component]
pub fn UnitPlanPage() -> impl IntoView {
    let ctx = ctx();
    let navigate = use_navigate();
    let rows = Memo::new(move |_| {
        let unit = ctx.me.get().and_then(|m| m.unit_id);
        ctx.campaigns()
            .into_iter()
            // Only those that ask this unit: an account that also reviews has its own unit's
            // campaigns on the device too.
            .filter(|c| unit.is_some_and(|u| ctx.device.with(|d| d.campaign_asks(c, u))))
            .map(|c| {
                let plan = ctx.device.with(|d| {
                    d.plans
                        .values()
                        .find(|p| p.campaign_id == c.id && Some(p.unit_id) == unit)
                        .map(|p| (p.id, d.status(p.id)))
                });
                (c, plan)
            })
            .collect::<Vec<_>>()
    });
    let start = Callback::new(move |campaign_id: uuid::Uuid| {
        let Some(me) = ctx.me.get_untracked() else {
            return;
        };
        let Some(unit) = me.unit_id else { return };
        let Some(campaign) = ctx.campaigns().into_iter().find(|c| c.id == campaign_id) else {
            return;
        };
        let cells: Vec<_> = ctx
            .unit_profile(unit)
            .map(|p| p.cells.into_iter().map(|c| (c.id, c.name)).collect())
            .unwrap_or_default();
        let mut document = PlanDocument::for_campaign(&campaign, &cells);
        document.header.place = ctx
            .device
            .with_untracked(|d| d.reference.units.get(&unit).map(|u| u.name.clone()))
            .map(|name| place_of(&name))
            .unwrap_or_default();
        let plan_id = Ctx::new_id();
        ctx.change(|d| {
            d.start_plan(
                plan_id,
                unit,
                campaign_id,
                document,
                Ctx::new_id(),
                Ctx::now(),
            )
        });
        navigate(&format!("/ke-hoach/{plan_id}"), Default::default());
    });

    let is_unit = Memo::new(move |_| {
        ctx.me
            .with(|m| m.as_ref().is_some_and(|m| m.has(Role::Editor)))
    });
    view! {
        <Show when=move || ctx.me.get().is_some() fallback=NeedsLogin>
            <Show when=move || is_unit.get() fallback=move || view! {
                <section class="page">
                    <h1>"Kế hoạch của đơn vị"</h1>
                    <p>"Trang này dành cho cán bộ của đơn vị lập kế hoạch. Kế hoạch của các đơn vị trực thuộc được xem và duyệt ở trang "
                        <A href="/tong-hop">{move || ctx.own_committee().kind.overview_label()}</A>"."</p>
                </section>
            }>
            <section class="page">
                <h1>"Kế hoạch của đơn vị"</h1>
                <p class="unit-name">
                    {move || ctx.me.get().and_then(|m| m.unit_name).unwrap_or_default()}
                </p>
                <Show
                    when=move || !rows.get().is_empty()
                    fallback=|| {
                        view! {
                            <p class="hint">
                                "Chưa có đợt đăng ký kế hoạch nào trên máy này. Khi có mạng, ứng dụng sẽ tự tải về."
                            </p>
                        }
                    }
                >
                    <ul class="campaigns">
                        <For
                            each=move || rows.get()
                            key=|(c, p)| (c.id, p.map(|(id, s)| (id, s.code())))
                            children=move |(campaign, plan)| {
                                let campaign_id = campaign.id;
                                view! {
                                    <li class="campaign">
                                        <h2>{campaign.title.clone()}</h2>
                                        <p class="meta">
                                            {format!(
                                                "Công văn {} ngày {} · Nhiệm kỳ {} · Hạn nộp {}",
                                                campaign.letter_number,
                                                crate::domain::labels::date(campaign.letter_date),
                                                campaign.term,
                                                crate::domain::labels::date(campaign.deadline),
                                            )}
                                        </p>
                                        {match plan {
                                            Some((id, status)) => {
                                                view! {
                                                    <p>
                                                        <span class=format!("status status-{}", status.code())>
                                                            {status.label()}
                                                        </span>
                                                        " "
                                                        <A href=format!("/ke-hoach/{id}") attr:class="button">
                                                            {if status == PlanStatus::Returned { "Sửa và nộp lại" } else { "Mở kế hoạch" }}
                                                        </A>
                                                    </p>
                                                }
                                                    .into_any()
                                            }
                                            None => {
                                                view! {
                                                    <button type="button" class="primary" on:click=move |_| start.run(campaign_id)>
                                                        "Lập kế hoạch"
                                                    </button>
                                                }
                                                    .into_any()
                                            }
                                        }}
                                    </li>
                                }
                            }
                        />
                    </ul>
                </Show>
            </section>
            </Show>
        </Show>
    }
}

/// "Đảng bộ xã Lộc An" → "Lộc An": the place name of a plan's date line.
fn place_of(unit_name: &str) -> String {
    for prefix in ["Đảng bộ xã ", "Đảng bộ thị trấn ", "Đảng bộ phường "] {
        if let Some(rest) = unit_name.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    String::new()
}
