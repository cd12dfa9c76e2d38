//! What a page shows before it can show itself: "log in first", "this page is for another
//! role", and for the pages about the one plan their route names (`/ke-hoach/:id`, `/in/ke-hoach/:id`) the way from the route's
//! id to a plan on this device — one gate, so the editor and the print view cannot disagree.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::domain::Role;
use crate::ui::platform::login_form;
use crate::ui::platform::state::{Phase, ctx};

/// Shown instead of a page that needs a logged-in user: the shell's login form (see
/// `platform::login_form`), after which the page itself shows.
#[component]
pub fn NeedsLogin() -> impl IntoView {
    login_form::claim_until_logged_in(ctx());
}

/// [`NeedsLogin`] without a user, `page` otherwise, for a page whose code is a chunk. While the
/// device's storage is still being read, `page` is drawn at once on a visit where the shell
/// did not show its login form (someone is remembered: the chunk loads beside the storage),
/// and held back on a first visit (the form stays where it is, with nothing drawn above it).
pub fn logged_in(page: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let ctx = ctx();
    let first_visit = login_form::is_visible();
    let shown = Memo::new(move |_| {
        ctx.me.with(Option::is_some) || (!first_visit && ctx.phase.get() == Phase::Loading)
    });
    move || {
        if shown.get() {
            page()
        } else {
            view! { <NeedsLogin /> }.into_any()
        }
    }
}

/// A page for one role: [`NeedsLogin`] without a user, a line saying which role it is for to a
/// user without it, and `page` otherwise — built only then, so that nobody else fetches the
/// chunk it draws. On a memo: rebuilt only when that answer changes, not on every change of
/// who is logged in.
pub fn for_role(
    role: Role,
    title: &'static str,
    page: impl Fn() -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = ctx();
    let allowed = Memo::new(move |_| ctx.me.with(|me| me.as_ref().map(|me| me.has(role))));
    move || match allowed.get() {
        None => view! { <NeedsLogin /> }.into_any(),
        Some(false) => view! {
            <section class="page">
                <h1>{title}</h1>
                <p>{format!("Trang này dành cho tài khoản có vai trò «{}».", role.label())}</p>
            </section>
        }
        .into_any(),
        Some(true) => page(),
    }
}

/// A page about the plan named by its route's `:id`: [`NeedsLogin`] without a user, `missing`
/// when the id names no plan on this device, otherwise `page` with the plan's id.
///
/// Built on memos, so `page` runs once per plan: the view re-runs only when who is logged in
/// or whether the plan is on the device changes, never on an edit or a sync round (rebuilding
/// the editor would destroy the input being typed in).
pub fn plan_page(
    missing: impl Fn() -> AnyView + Send + Sync + 'static,
    page: impl Fn(Uuid) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = ctx();
    let params = use_params_map();
    let plan_id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok())));
    let logged_in = Memo::new(move |_| ctx.me.with(Option::is_some));
    let shown = Memo::new(move |_| {
        plan_id
            .get()
            .filter(|id| ctx.device.with(|d| d.plans.contains_key(id)))
    });
    move || {
        if !logged_in.get() {
            return view! { <NeedsLogin /> }.into_any();
        }
        match shown.get() {
            Some(id) => page(id),
            None => missing(),
        }
    }
}
