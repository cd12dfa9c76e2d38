//! A modal dialog: takes focus when it opens, keeps Tab inside itself, closes with Esc and
//! gives focus back to what had it. Drawn over a dimmed page with its own colours, so it reads
//! the same wherever it is declared (inside the red header, say).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    /// The id of the dialog's heading (its accessible name).
    title_id: &'static str,
    #[prop(optional)] alert: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <Show when=move || open.get()>
            <DialogBox open title_id alert>
                {children.with_value(|c| c())}
            </DialogBox>
        </Show>
    }
}

#[component]
fn DialogBox(
    open: RwSignal<bool>,
    title_id: &'static str,
    alert: bool,
    children: Children,
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    let before = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let before = StoredValue::new_local(before);
    let focusables = move || -> Vec<web_sys::HtmlElement> {
        let Some(el) = node.get_untracked() else {
            return Vec::new();
        };
        let Ok(list) = el.query_selector_all(FOCUSABLE) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            .collect()
    };
    // Focus the first control once the dialog is in the page.
    Effect::new(move |_| {
        if node.get().is_some()
            && let Some(first) = focusables().into_iter().next()
        {
            let _ = first.focus();
        }
    });
    on_cleanup(move || {
        if let Some(Some(el)) = before.try_get_value() {
            let _ = el.focus();
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            open.set(false);
        }
        "Tab" => {
            let items = focusables();
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = document().active_element();
            let is = |e: &web_sys::HtmlElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a.unchecked_ref::<web_sys::Element>() == e.unchecked_ref())
            };
            if ev.shift_key() && is(first) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && is(last) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog"
                node_ref=node
                role=if alert { "alertdialog" } else { "dialog" }
                aria-modal="true"
                aria-labelledby=title_id
                on:keydown=on_key
            >
                {children()}
            </div>
        </div>
    }
}
