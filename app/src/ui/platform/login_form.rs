//! The login form the shell carries (`server/src/shell/login.js` and the markup beside it).
//!
//! It is in the shell, not drawn by the app, so that a first visit over 2G can be logged into
//! after a few KB while the WebAssembly still downloads. From the moment the app starts, its
//! pages decide when the form shows (the login page, a page that needs a login, home while
//! nobody is known to be logged in), and the app takes each login the form makes: the
//! server's answer waits in `window.tnLoggedIn` until taken, event `tn-login` says one is
//! there, and `window.tnLoginDone(null | message)` tells the form how it went.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use gloo::events::EventListener;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::ui::platform::state::{Ctx, Phase};

const FORM: &str = "login";
/// A `localStorage` key saying that someone is remembered on this device, for the shell's
/// script, which cannot read IndexedDB before the page is drawn: with it, a reload the service
/// worker does not serve (a hard reload, or before the worker took over) does not show the
/// form to someone already logged in.
const REMEMBERED: &str = "tn-remembered";
const PENDING: &str = "tnLoggedIn";
const DONE: &str = "tnLoginDone";
pub const LOGIN_PATH: &str = "/dang-nhap";

thread_local! {
    /// How many parts of the app now want the form shown (see [`claim_while_mounted`]).
    static CLAIMS: Cell<u32> = const { Cell::new(0) };
}

/// Shows or hides the form. Neither moves it in the document: a person typing in it keeps the
/// focus and what the keyboard is composing.
fn set_visible(visible: bool) {
    let document = document();
    if let Some(form) = document
        .get_element_by_id(FORM)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        form.set_hidden(!visible);
    }
    if !visible {
        // What the last person typed and was told does not wait for the next one.
        if let Some(password) = document
            .get_element_by_id("password")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            password.set_value("");
        }
        if let Some(error) = document
            .get_element_by_id("login-error")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            error.set_hidden(true);
            error.set_text_content(None);
        }
    }
}

/// Notes whether someone is remembered on this device (see [`REMEMBERED`]). Best effort: with
/// `localStorage` refused, the form shows on such a reload and the app hides it once started.
pub fn note_remembered(remembered: bool) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = if remembered {
            storage.set_item(REMEMBERED, "1")
        } else {
            storage.remove_item(REMEMBERED)
        };
    }
}

fn claim() {
    CLAIMS.with(|c| c.set(c.get() + 1));
    set_visible(true);
}

fn release() {
    CLAIMS.with(|c| c.set(c.get().saturating_sub(1)));
    // Hidden only if no page wants it a moment later, and not on the way to the login page:
    // going from one page that shows it to another (`/` sends a logged-out user to the login
    // page) releases before the next page claims, and hiding the form even for that instant
    // would take the focus from someone typing in it. The address changes before the pages do.
    set_timeout(
        || {
            let to_login = window()
                .location()
                .pathname()
                .is_ok_and(|p| p == LOGIN_PATH);
            if CLAIMS.with(Cell::get) == 0 && !to_login {
                set_visible(false);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The form shows while the calling component is mounted (the login page, "this page needs a
/// login"), and hides once no part of the app wants it.
pub fn claim_while_mounted() {
    claim();
    on_cleanup(release);
}

/// The form shows while `needed` is true (and the calling component is mounted). The first
/// answer is taken at once, during the render, so that a form the shell showed stays shown.
pub fn claim_while(needed: impl Fn() -> bool + Send + Sync + 'static) {
    let held = Arc::new(AtomicBool::new(false));
    let set = {
        let held = held.clone();
        move |need: bool| {
            if held.swap(need, Ordering::Relaxed) != need {
                if need { claim() } else { release() }
            }
        }
    };
    set(untrack(&needed));
    Effect::new(move || set(needed()));
    on_cleanup(move || {
        if held.swap(false, Ordering::Relaxed) {
            release();
        }
    });
}

/// Whether the form shows now.
pub fn is_visible() -> bool {
    document()
        .get_element_by_id(FORM)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|form| !form.hidden())
}

/// The form shows while nobody is logged in: at once if it shows already (the shell showed it
/// for a first visit, where someone may be typing in it), otherwise once the device's storage
/// has said nobody is (a repeat visit does not flash it while the storage is read).
pub fn claim_until_logged_in(ctx: Ctx) {
    let shown = is_visible();
    claim_while(move || match ctx.phase.get() {
        Phase::Loading => shown,
        Phase::LoggedOut => true,
        Phase::Ready => false,
    });
}

/// Called once the app's first page is drawn: the form the shell showed for a first visit goes
/// unless that page wants it (a 404 page does not).
pub fn hide_unless_claimed() {
    if CLAIMS.with(Cell::get) == 0 {
        set_visible(false);
    }
}

/// The server's answer to a login the form made and the app has not taken yet (the user, as
/// JSON). Taken once: a second call gives `None` until the next login.
pub fn take() -> Option<String> {
    let window = window();
    let pending = js_sys::Reflect::get(&window, &JsValue::from_str(PENDING)).ok()?;
    let text = pending.as_string()?;
    let _ = js_sys::Reflect::delete_property(&window, &JsValue::from_str(PENDING));
    Some(text)
}

/// Tells the form that the login it made is in place (`None`: it clears the password) or
/// failed on this device (the message is shown under the fields).
pub fn done(error: Option<&str>) {
    let window = window();
    let Ok(callback) = js_sys::Reflect::get(&window, &JsValue::from_str(DONE)) else {
        return;
    };
    if let Ok(callback) = callback.dyn_into::<js_sys::Function>() {
        let argument = error.map_or(JsValue::NULL, JsValue::from_str);
        let _ = callback.call1(&JsValue::NULL, &argument);
    }
}

/// Calls `on_login` whenever the form has made a login; the listener stops when dropped.
pub fn on_login(mut on_login: impl FnMut() + 'static) -> EventListener {
    EventListener::new(&window(), "tn-login", move |_| on_login())
}
