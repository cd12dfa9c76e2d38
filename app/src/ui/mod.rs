//! The Leptos user interface, rendered in the browser (client-side rendering).
//!
//! The server sends one route-independent HTML shell for every page URL; this module owns
//! everything drawn after the WebAssembly starts: the frame, the routes and the pages. It
//! works offline: the device's data lives in IndexedDB (`platform::store`), changes are queued
//! and synced by `platform::sync`, and the pure logic of both is `crate::domain::device`.
//!
//! Three layers, each importing only the ones below it:
//!
//! * [`pages`] — the screens, one per route;
//! * [`widgets`] — reusable components (bound fields and grids, dialog, status bar, nav…);
//! * [`platform`] — the plumbing: state, IndexedDB, the API, sync, the session, updates.
//!
//! This file is the frame around them and the routing table.

mod pages;
mod platform;
mod widgets;

use leptos::prelude::*;
use leptos_router::components::{A, FlatRoutes, Route, Router};
use leptos_router::path;

use pages::{
    AdminPage, HomePage, LoginPage, NotFoundPage, PlanEditor, PrintPlanPage, PrintTotalsPage,
    ReviewPage, TakeLogins, UnitPlanPage,
};
use platform::state::Ctx;
use platform::{session, update};
use widgets::connectivity::ConnectivityBadge;
use widgets::nav::MainNav;
use widgets::status::{SyncBar, UpdateBanner, UserMenu};

/// The product name, as shown to users.
pub const PRODUCT_NAME: &str = "Tạo Nguồn";

/// Mounts the application into the shell's `#app`, replacing its loading notice and header.
pub fn mount() {
    use wasm_bindgen::JsCast;
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    match document()
        .get_element_by_id("app")
        .and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(root) => leptos::mount::mount_to(root, App).forget(),
        None => leptos::mount::mount_to_body(App),
    }
    // The first page has been drawn, in this same task: the form the shell showed goes now
    // unless that page wants it.
    platform::login_form::hide_unless_claimed();
}

/// The whole application: the frame around client-side routes.
#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    session::restore(ctx);
    update::watch(ctx);
    widgets::chunk::keep_offline(ctx);

    view! {
        <Router>
            <header class="frame-header">
                <A href="/" attr:class="brand">
                    <span class="brand-name">{PRODUCT_NAME}</span>
                    <span class="brand-sub">"Kế hoạch tạo nguồn phát triển đảng viên"</span>
                </A>
                <div class="frame-tools">
                    <ConnectivityBadge />
                    <UserMenu />
                </div>
            </header>
            <MainNav />
            <UpdateBanner />
            <SyncBar />
            <TakeLogins />
            // Flat routes (none is nested): the first page is drawn within the mount itself,
            // which `mount` relies on to know whether that page wants the shell's login form
            // (the nested router draws it a moment later, after the form would have gone).
            <main id="main" class="frame-main">
                <FlatRoutes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/dang-nhap") view=LoginPage />
                    <Route path=path!("/ke-hoach") view=UnitPlanPage />
                    <Route path=path!("/ke-hoach/:id") view=PlanEditor />
                    <Route path=path!("/in/ke-hoach/:id") view=PrintPlanPage />
                    <Route path=path!("/in/tong-hop/:id") view=PrintTotalsPage />
                    <Route path=path!("/tong-hop") view=ReviewPage />
                    <Route path=path!("/quan-tri") view=AdminPage />
                </FlatRoutes>
            </main>
        </Router>
    }
}
