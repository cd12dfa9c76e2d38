//! Online/offline state, driven by the browser's own `online` and `offline` events.

use gloo::events::EventListener;
use leptos::prelude::*;

use crate::ui::platform::state::ctx;

/// Shows "Có mạng" or "Mất mạng" as the browser reports it (the plain words the rest of the app
/// uses).
///
/// `navigator.onLine` is only a hint (it says "online" behind a dead Wi-Fi); the sync engine
/// learns the truth from its requests. The badge still matters: when the browser knows it is
/// offline, users should see at once that their work stays on the device.
#[component]
pub fn ConnectivityBadge() -> impl IntoView {
    let online = ctx().online;
    let on = EventListener::new(&window(), "online", move |_| online.set(true));
    let off = EventListener::new(&window(), "offline", move |_| online.set(false));
    // The listeners live as long as the badge; dropping them unregisters them.
    let listeners = StoredValue::new_local(Some((on, off)));
    on_cleanup(move || listeners.set_value(None));

    view! {
        <p
            class="connectivity"
            class:offline=move || !online.get()
            role="status"
            aria-live="polite"
            data-testid="connectivity"
        >
            {move || if online.get() { "Có mạng" } else { "Mất mạng" }}
        </p>
    }
}
