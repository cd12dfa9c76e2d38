//! `/`: where each user starts — the login page, or the first screen of their role.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::domain::Role;
use crate::ui::platform::state::{Phase, ctx};

/// `/`: where each user starts.
#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = ctx();
    // An account holding several roles starts where it reviews: that is where the deadline's
    // work waits; its own unit's plans are one link away.
    move || match (
        ctx.phase.get(),
        ctx.me.get().map(|m| m.held().primary().unwrap_or(m.role)),
    ) {
        (Phase::Loading, _) => view! { <p class="page">"Đang mở dữ liệu trên máy…"</p> }.into_any(),
        (Phase::LoggedOut, _) | (_, None) => view! { <Redirect path="/dang-nhap" /> }.into_any(),
        (Phase::Ready, Some(Role::Editor)) => view! { <Redirect path="/ke-hoach" /> }.into_any(),
        (Phase::Ready, Some(Role::Administrator)) => {
            view! { <Redirect path="/quan-tri" /> }.into_any()
        }
        (Phase::Ready, Some(_)) => view! { <Redirect path="/tong-hop" /> }.into_any(),
    }
}
