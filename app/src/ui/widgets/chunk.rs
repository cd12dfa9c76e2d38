//! A part of the app that lives in a WebAssembly chunk of its own.
//!
//! Screens only some roles use (the reviewing office's, the administrator's) are split out of
//! the module every phone downloads: their entry is a `#[wasm_split(…, fallible)]` function in
//! the page, which fetches its chunk on first call. The service worker precaches a role's
//! chunks once that role has logged in on the device ([`keep_offline`]), so
//! they open offline afterwards. Fallible on purpose: a chunk that cannot be fetched (offline
//! before it was ever cached) must leave the app running with a message and a retry, not
//! abort the whole module as a failed load otherwise would.

use std::future::Future;

use crate::domain::Role;
use crate::domain::wire::Me;
use crate::ui::platform::state::{Ctx, Phase};
use crate::ui::platform::update;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

/// What a split entry function returns.
pub type Loaded = Result<AnyView, SplitLoaderError>;

/// Draws what `load` returns once its chunk has arrived: a loading line meanwhile, and if the
/// chunk cannot be fetched, a message with a retry button.
#[component]
pub fn Chunk<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Loaded> + 'static,
{
    let attempt = RwSignal::new(0_u32);
    view! {
        <Suspense fallback=|| view! { <p class="hint chunk-loading" role="status">"Đang tải phần này của ứng dụng…"</p> }>
            {move || {
                attempt.track();
                // Single-threaded in the browser: the wrapper only satisfies `Suspend`'s bound.
                let loading = SendWrapper::new(load());
                Suspend::new(async move {
                    match loading.await {
                        Ok(view) => view,
                        Err(_) => view! {
                            <div class="chunk-failed" role="alert">
                                <p class="error">
                                    "Chưa tải được phần này của ứng dụng. Lần đầu mở nó cần có mạng; sau đó nó mở được cả khi mất mạng."
                                </p>
                                <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>"Thử lại"</button>
                            </div>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The chunks a user with these roles needs: named as in the pages' `#[wasm_split(…)]`.
pub fn needed_by(me: &Me) -> Vec<&'static str> {
    let mut names = Vec::new();
    if me.has(Role::Reviewer) {
        names.push("review");
    }
    if me.has(Role::Administrator) {
        names.push("admin");
    }
    names
}

/// Keeps the service worker told which chunks the user logged in on this device needs (at
/// each start too: the worker skips what it already holds), and that none are needed once
/// nobody is logged in.
pub fn keep_offline(ctx: Ctx) {
    Effect::new(move |_| match ctx.phase.get() {
        Phase::Loading => {}
        Phase::LoggedOut => update::keep_offline(&[]),
        Phase::Ready => {
            if let Some(names) = ctx.me.with(|me| me.as_ref().map(needed_by)) {
                update::keep_offline(&names);
            }
        }
    });
}
