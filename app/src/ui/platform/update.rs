//! A new version of the app: the service worker (`frontend/sw.js`) installs it in the
//! background and says so; this module hears it (setting [`Ctx::update_ready`]) and, when the
//! user agrees, switches to it — never in the middle of a sync round.

use gloo::events::EventListener;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::ui::platform::state::Ctx;
use crate::ui::platform::sync;

/// Listens for the service worker saying a new version is installed.
pub fn watch(ctx: Ctx) {
    let flag = js_sys::Reflect::get(&window(), &JsValue::from_str("__tnUpdateReady"))
        .unwrap_or(JsValue::FALSE);
    if flag.as_bool() == Some(true) {
        ctx.update_ready.set(true);
    }
    let listener = EventListener::new(&window(), "tn-update-ready", move |_| {
        ctx.update_ready.set(true)
    });
    listener.forget();
}

/// Tells the service worker which role chunks this device keeps from now on (`names` replaces
/// the earlier list: a reviewer who logged out leaves the next user's phone without theirs).
/// Without a service worker (a private window, an old browser) the chunks simply load online.
pub fn keep_offline(names: &[&str]) {
    let list = names
        .iter()
        .map(|name| JsValue::from_str(name))
        .collect::<js_sys::Array>();
    if let Ok(keep) = js_sys::Reflect::get(&window(), &JsValue::from_str("tnKeepOffline"))
        && let Ok(keep) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(keep)
    {
        let _ = keep.call1(&JsValue::NULL, &list);
    }
}

/// Reloads into the new version once no sync round is running.
pub async fn apply() {
    while sync::is_running() {
        sync::sleep_ms(300).await;
    }
    // Everything typed is already in IndexedDB; the new version reads it back.
    if let Ok(f) = js_sys::Reflect::get(&window(), &JsValue::from_str("tnApplyUpdate"))
        && let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f)
    {
        let _ = f.call0(&JsValue::NULL);
    }
}
