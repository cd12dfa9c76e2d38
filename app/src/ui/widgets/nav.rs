//! The main navigation under the header: each role sees its own screens.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::{CommitteeKind, Role};
use crate::ui::platform::state::ctx;

/// The main navigation: each role sees its own screens (a unit is not offered the Board's
/// pages, the Board is not offered a plan of its own).
#[component]
pub fn MainNav() -> impl IntoView {
    let ctx = ctx();
    let roles = Memo::new(move |_| ctx.me.with(|m| m.as_ref().map(|m| m.held())));
    let has = move |role: Role| roles.with(|r| r.as_ref().is_some_and(|r| r.has(role)));
    // "Tổng hợp của huyện", "… của xã", "… các chi bộ": the reviewing unit's own word.
    let overview = Memo::new(move |_| {
        let unit = ctx.me.with(|m| m.as_ref().and_then(|m| m.unit_id));
        ctx.device.with(|d| {
            unit.and_then(|id| d.reference.units.get(&id))
                .map_or(CommitteeKind::District, |u| u.committee())
                .overview_label()
        })
    });
    view! {
        <Show when=move || roles.with(Option::is_some)>
            <nav class="frame-nav" aria-label="Điều hướng chính">
                <Show when=move || has(Role::Editor)>
                    <A href="/ke-hoach">"Kế hoạch của đơn vị"</A>
                </Show>
                <Show when=move || has(Role::Reviewer)>
                    <A href="/tong-hop">{move || overview.get()}</A>
                </Show>
                <Show when=move || has(Role::Administrator)>
                    <A href="/quan-tri">"Quản trị tài khoản"</A>
                </Show>
            </nav>
        </Show>
    }
}
