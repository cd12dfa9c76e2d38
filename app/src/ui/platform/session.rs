//! Starting the app with a user (after a login, or offline from the one remembered), and
//! ending it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::domain::device::Device;
use crate::domain::wire::Me;
use crate::ui::platform::api::{self, ApiError};
use crate::ui::platform::state::{Ctx, Phase};
use crate::ui::platform::store::{self, Store};
use crate::ui::platform::sync;

/// On start: open the remembered user's data (works offline), then check the session in the
/// background.
pub fn restore(ctx: Ctx) {
    spawn_local(async move {
        match store::remembered_user().await {
            Some(me) => {
                crate::ui::platform::login_form::note_remembered(true);
                if let Err(message) = open(ctx, me).await {
                    ctx.sync.update(|s| s.storage_error = Some(message));
                    ctx.phase.set(Phase::LoggedOut);
                    return;
                }
                // Only the server can say whether the session still holds; offline, keep going.
                if let Err(ApiError::Unauthorized { .. }) = api::me().await {
                    ctx.sync.update(|s| s.needs_login = true);
                }
            }
            None => {
                crate::ui::platform::login_form::note_remembered(false);
                ctx.phase.set(Phase::LoggedOut);
            }
        }
    });
}

/// After a successful login.
pub async fn logged_in(ctx: Ctx, me: Me) -> Result<(), String> {
    store::remember_user(Some(&me))
        .await
        .map_err(|e| format!("Không lưu được phiên đăng nhập trên máy: {e}"))?;
    crate::ui::platform::login_form::note_remembered(true);
    ctx.sync.update(|s| s.needs_login = false);
    if ctx.me.get_untracked().is_some_and(|m| m.id == me.id) {
        // The same user logging in again (session renewed): keep everything, sync now.
        sync::now(ctx);
        return Ok(());
    }
    open(ctx, me).await?;
    request_persistent_storage();
    Ok(())
}

async fn open(ctx: Ctx, me: Me) -> Result<(), String> {
    let store = Store::open(me.id)
        .await
        .map_err(|e| format!("Không mở được bộ nhớ của trình duyệt: {e}"))?;
    let device = store
        .load()
        .await
        .map_err(|e| format!("Không đọc được dữ liệu đã lưu: {e}"))?
        .unwrap_or_else(|| Device::new(Uuid::new_v4()));
    ctx.store.set_value(Some(store));
    ctx.device.set(device);
    crate::ui::platform::state::listen_to_other_tabs(ctx, me.id);
    ctx.me.set(Some(me));
    ctx.save();
    ctx.phase.set(Phase::Ready);
    sync::start(ctx);
    Ok(())
}

/// Logs out. With `discard_unsynced` false and changes still unsynced, refuses (the caller
/// asks the user first).
pub async fn logout(ctx: Ctx, discard_unsynced: bool) -> Result<(), String> {
    let pending = ctx.device.with_untracked(Device::pending);
    if pending > 0 && !discard_unsynced {
        return Err(format!("Còn {pending} thay đổi chưa đồng bộ."));
    }
    sync::stop();
    crate::ui::platform::state::stop_listening(ctx);
    // Offline, the server session simply expires; the local data goes either way.
    let _ = api::logout().await;
    if let Some(me) = ctx.me.get_untracked() {
        if let Some(store) = ctx.store.get_value() {
            store.close();
        }
        ctx.store.set_value(None);
        let _ = store::forget_user_data(me.id).await;
    }
    let _ = store::remember_user(None).await;
    crate::ui::platform::login_form::note_remembered(false);
    ctx.me.set(None);
    ctx.device.set(Device::default());
    ctx.phase.set(Phase::LoggedOut);
    Ok(())
}

/// Asks the browser not to evict this site's storage under pressure (a plan typed offline
/// must survive). Browsers may say no; nothing else depends on the answer.
fn request_persistent_storage() {
    let storage = window().navigator().storage();
    if let Ok(promise) = storage.persist() {
        spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
