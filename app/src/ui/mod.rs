//! The Leptos user interface, rendered in the browser (client-side rendering).
//!
//! The server sends one route-independent HTML shell for every page URL; this module owns
//! everything drawn after the WebAssembly starts: the frame, the routes and the pages. It
//! works offline: the device's data lives in IndexedDB (`store`), changes are queued and
//! synced by `sync`, and the pure logic of both is `crate::domain::device`.

mod admin;
mod api;
mod connectivity;
mod dialog;
mod district;
mod editor;
mod fields;
mod idb;
mod login;
mod pages;
mod print;
mod session;
mod state;
mod status;
mod store;
mod sync;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use admin::AdminPage;
use connectivity::ConnectivityBadge;
use district::DistrictPage;
use editor::PlanEditor;
use login::LoginPage;
use pages::{HomePage, NotFoundPage, UnitPlanPage};
use print::{PrintPlanPage, PrintTotalsPage};
use state::Ctx;
use status::{SyncBar, UpdateBanner, UserMenu};

/// The product name, as shown to users.
pub const PRODUCT_NAME: &str = "Tạo Nguồn";

/// Mounts the application into `<body>`, replacing the shell's loading notice.
pub fn mount() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

/// The main navigation: each role sees its own screens (a unit is not offered the Board's
/// pages, the Board is not offered a plan of its own).
#[component]
fn MainNav() -> impl IntoView {
    use crate::domain::Role;
    let ctx = state::ctx();
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

/// The whole application: the frame around client-side routes.
#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::new();
    provide_context(ctx);
    session::restore(ctx);
    status::watch_for_updates(ctx);

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
            <main id="main" class="frame-main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/dang-nhap") view=LoginPage />
                    <Route path=path!("/ke-hoach") view=UnitPlanPage />
                    <Route path=path!("/ke-hoach/:id") view=PlanEditor />
                    <Route path=path!("/in/ke-hoach/:id") view=PrintPlanPage />
                    <Route path=path!("/in/tong-hop/:id") view=PrintTotalsPage />
                    <Route path=path!("/tong-hop") view=DistrictPage />
                    <Route path=path!("/quan-tri") view=AdminPage />
                </Routes>
            </main>
        </Router>
    }
}
