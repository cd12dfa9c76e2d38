//! What the user must always be able to see: whether their work is on the server yet, whether
//! something needs them (a login, a full disk), and whether a new version is ready.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::domain::sync::VIETNAM_OFFSET;
use crate::ui::platform::state::{Phase, ctx};
use crate::ui::platform::{session, sync, update};
use crate::ui::widgets::dialog::Dialog;

/// One line under the navigation: pending changes, sync progress, last sync, problems.
#[component]
pub fn SyncBar() -> impl IntoView {
    let ctx = ctx();
    let pending = Memo::new(move |_| ctx.device.with(|d| d.pending()));
    let attention = Memo::new(move |_| ctx.device.with(|d| d.meta.attention.len()));
    let last = Memo::new(move |_| {
        ctx.device.with(|d| {
            d.meta.last_sync.map(|t| {
                crate::domain::labels::time_and_day(t.with_timezone(&VIETNAM_OFFSET).naive_local())
            })
        })
    });
    let text = move || {
        let s = ctx.sync.get();
        let n = pending.get();
        let mut parts = Vec::new();
        if s.running {
            parts.push("Đang đồng bộ…".to_owned());
        }
        if n > 0 {
            // Plain words for what it means: the work is safe on this device, not yet sent.
            let when = if ctx.online.get() {
                "đang chờ gửi"
            } else {
                "sẽ tự gửi khi có mạng"
            };
            parts.push(format!(
                "{n} thay đổi chưa đồng bộ: đã lưu trên máy, {when} lên máy chủ"
            ));
        } else if !s.running {
            parts.push("Mọi thay đổi đã được đồng bộ".to_owned());
        }
        if let Some(t) = last.get() {
            parts.push(format!("lần cuối lúc {t}"));
        }
        parts.join(" · ")
    };
    view! {
        <Show when=move || ctx.phase.get() == Phase::Ready>
            <div class="sync-bar" role="status" aria-live="polite" data-testid="sync-status">
                <span class="sync-text" class:pending={move || pending.get() > 0}>
                    {text}
                </span>
                <button
                    type="button"
                    class="link"
                    on:click=move |_| sync::now(ctx)
                    disabled=move || ctx.sync.get().running
                >
                    "Đồng bộ ngay"
                </button>
            </div>
            <Show when={move || attention.get() > 0}>
                <p class="banner warn" data-testid="attention-count">
                    {move || format!("{} thay đổi cần bạn xem lại (máy chủ không nhận). Mở kế hoạch để xem chi tiết.", attention.get())}
                </p>
            </Show>
            <Show when=move || ctx.sync.get().needs_login>
                <p class="banner warn" role="alert">
                    "Phiên đăng nhập đã hết hạn. Các thay đổi vẫn được giữ trên máy; "
                    <A href="/dang-nhap">"đăng nhập lại"</A>
                    " để đồng bộ."
                </p>
            </Show>
            <Show when=move || ctx.sync.get().storage_error.is_some()>
                <p class="banner error" role="alert">
                    {move || ctx.sync.get().storage_error.unwrap_or_default()}
                </p>
            </Show>
            <Show when={move || ctx.sync.get().error.is_some() && pending.get() > 0}>
                <p class="banner info">
                    {move || ctx.sync.get().error.unwrap_or_default()}
                    " Sẽ tự thử lại."
                </p>
            </Show>
        </Show>
    }
}

/// The logged-in user, and logging out (with a warning when changes are unsynced).
#[component]
pub fn UserMenu() -> impl IntoView {
    let ctx = ctx();
    let confirm_discard = RwSignal::new(false);
    let logout = move |discard: bool| {
        spawn_local(async move {
            match session::logout(ctx, discard).await {
                Ok(()) => {
                    confirm_discard.set(false);
                    let _ = window().location().set_href("/dang-nhap");
                }
                Err(_) => confirm_discard.set(true),
            }
        });
    };
    view! {
        <Show when=move || ctx.me.get().is_some()>
            <div class="user-menu">
                <span class="user-name">
                    {move || ctx.me.get().map(|m| m.display_name).unwrap_or_default()}
                </span>
                <button type="button" class="link light" on:click=move |_| logout(false)>
                    "Đăng xuất"
                </button>
            </div>
        </Show>
        <Dialog open=confirm_discard title_id="logout-title" alert=true>
            <h2 id="logout-title">"Còn thay đổi chưa đồng bộ"</h2>
            <p>
                {move || format!("Máy này còn {} thay đổi chưa gửi lên máy chủ. Nếu đăng xuất bây giờ, các thay đổi đó sẽ bị xóa khỏi máy.", ctx.device.with(|d| d.pending()))}
            </p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| {
                    confirm_discard.set(false);
                    sync::now(ctx);
                }>"Ở lại và đồng bộ"</button>
                <button type="button" class="danger" on:click=move |_| logout(true)>
                    "Vẫn đăng xuất và xóa"
                </button>
            </div>
        </Dialog>
    }
}

/// "A new version is ready": reloads into it when the user agrees, never in the middle of a
/// sync round.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ctx = ctx();
    let waiting = RwSignal::new(false);
    let apply = move |_| {
        waiting.set(true);
        spawn_local(update::apply());
    };
    view! {
        <Show when=move || ctx.update_ready.get()>
            <p class="banner info" role="status" data-testid="update-ready">
                "Đã có phiên bản mới của ứng dụng. "
                <button type="button" class="link" on:click=apply disabled=move || waiting.get()>
                    {move || if waiting.get() { "Đang cập nhật…" } else { "Cập nhật ngay" }}
                </button>
            </p>
        </Show>
    }
}
