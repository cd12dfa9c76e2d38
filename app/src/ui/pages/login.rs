//! `/dang-nhap`: logging in (online, once; the app then works offline).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::ui::platform::api::{self, ApiError};
use crate::ui::platform::session;
use crate::ui::platform::state::ctx;

#[component]
pub fn LoginPage() -> impl IntoView {
    let ctx = ctx();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // Our own Vietnamese message, not the browser's (often English) bubble.
        if username.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            error.set(Some("Hãy nhập tên đăng nhập và mật khẩu.".to_owned()));
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::login(&username.get_untracked(), &password.get_untracked()).await;
            let outcome = match result {
                Ok(me) => session::logged_in(ctx, me).await,
                Err(ApiError::Network) => {
                    Err("Cần có mạng để đăng nhập lần đầu. Hãy thử lại khi có kết nối.".to_owned())
                }
                Err(e) => Err(e.message()),
            };
            busy.set(false);
            match outcome {
                Ok(()) => {
                    password.set(String::new());
                    navigate("/", Default::default());
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };

    view! {
        <section class="page login">
            <h1>"Đăng nhập"</h1>
            <p class="hint">
                "Đăng nhập một lần khi có mạng; sau đó có thể lập kế hoạch cả khi mất mạng."
            </p>
            <form on:submit=submit novalidate>
                <label for="username">"Tên đăng nhập"</label>
                <input
                    id="username"
                    name="username"
                    autocomplete="username"
                    autocapitalize="none"
                    maxlength="64"
                    prop:value=username
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
                <label for="password">"Mật khẩu"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    maxlength="256"
                    prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Đang đăng nhập…" } else { "Đăng nhập" }}
                </button>
            </form>
        </section>
    }
}
