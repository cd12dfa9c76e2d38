//! The main navigation under the header: each role sees its own screens.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::Role;
use crate::ui::platform::state::ctx;

/// The main navigation: each role sees its own screens (a unit is not offered the Board's
/// pages, the Board is not offered a plan of its own).
#[component]
pub fn MainNav() -> impl IntoView {
    let ctx = ctx();
    let role = Memo::new(move |_| ctx.me.with(|m| m.as_ref().map(|m| m.role)));
    view! {
        <Show when=move || role.get().is_some()>
            <nav class="frame-nav" aria-label="Điều hướng chính">
                <Show when=move || role.get() == Some(Role::UnitEditor)>
                    <A href="/ke-hoach">"Kế hoạch của đơn vị"</A>
                </Show>
                <Show when=move || role.get() == Some(Role::DistrictReviewer)>
                    <A href="/tong-hop">"Tổng hợp của huyện"</A>
                </Show>
                <Show when=move || role.get() == Some(Role::Administrator)>
                    <A href="/quan-tri">"Quản trị tài khoản"</A>
                </Show>
            </nav>
        </Show>
    }
}
