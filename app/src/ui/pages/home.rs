//! `/`: where each user starts — the login page, or the first screen of their role.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::domain::Role;
use crate::ui::platform::login_form;
use crate::ui::platform::state::{Phase, ctx};

/// `/`: where each user starts.
#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = ctx();
    // While nobody is logged in, this page is the shell's login form (kept from the first
    // moment on a first visit, where someone may already be typing in it).
    login_form::claim_until_logged_in(ctx);
    // An account holding several roles starts where it reviews: that is where the deadline's
    // work waits; its own unit's plans are one link away.
    move || match (
        ctx.phase.get(),
        ctx.me.get().map(|m| m.held().primary().unwrap_or(m.role)),
    ) {
        // (Not under the form a first visit is typing in.)
        (Phase::Loading, _) if login_form::is_visible() => ().into_any(),
        (Phase::Loading, _) => view! { <p class="page">"Đang mở dữ liệu trên máy…"</p> }.into_any(),
        (Phase::LoggedOut, _) | (_, None) => view! { <Redirect path="/dang-nhap" /> }.into_any(),
        (Phase::Ready, Some(Role::Editor)) => view! { <Redirect path="/ke-hoach" /> }.into_any(),
        (Phase::Ready, Some(Role::Administrator)) => {
            view! { <Redirect path="/quan-tri" /> }.into_any()
        }
        (Phase::Ready, Some(_)) => view! { <Redirect path="/tong-hop" /> }.into_any(),
    }
}
