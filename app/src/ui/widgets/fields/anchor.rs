//! A field's DOM id, so messages and comments can point at it, and the links that take the
//! user there (the summary's findings, a grid's notes).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The DOM id of a field's input, so messages and comments can point at it.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// A link to a field: moves focus to it (so a phone's keyboard opens on it) and scrolls it into
/// view with its label, instead of only jumping the page.
pub fn focus_field(ev: leptos::ev::MouseEvent, path: &str) {
    let id = field_id(path);
    let Some(el) = document().get_element_by_id(&id) else {
        return;
    };
    ev.prevent_default();
    // A folded section opens first; the field is focused once it is drawn.
    let mut delay = 0;
    if let Ok(Some(section)) = el.closest("section.collapsed")
        && let Ok(Some(toggle)) = section.query_selector(".section-toggle")
        && let Ok(toggle) = toggle.dyn_into::<web_sys::HtmlElement>()
    {
        toggle.click();
        delay = 50;
    }
    gloo::timers::callback::Timeout::new(delay, move || {
        let Some(el) = document().get_element_by_id(&id) else {
            return;
        };
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&options);
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    })
    .forget();
}
