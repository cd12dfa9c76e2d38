//! The input bound to one field path: written on every input event, its DOM value set only
//! when it differs from what it shows and never while an input method composes, the caret kept
//! when another device's change arrives; inside a grid, arrow keys move between cells. The
//! labelled fields (`inputs`) and the grids (`grid`) are built on it.

use leptos::html;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::ui::widgets::fields::anchor::field_id;
use crate::ui::widgets::fields::registry::editor;

/// The element kinds a field can be: both expose `value` and a selection.
pub(super) trait TextControl: JsCast + Clone + 'static {
    fn text(&self) -> String;
    fn set_text(&self, text: &str);
    fn caret(&self) -> Option<(u32, u32)>;
    fn set_caret(&self, start: u32, end: u32);
}

impl TextControl for web_sys::HtmlInputElement {
    fn text(&self) -> String {
        self.value()
    }
    fn set_text(&self, text: &str) {
        self.set_value(text);
    }
    fn caret(&self) -> Option<(u32, u32)> {
        Some((self.selection_start().ok()??, self.selection_end().ok()??))
    }
    fn set_caret(&self, start: u32, end: u32) {
        let _ = self.set_selection_range(start, end);
    }
}

impl TextControl for web_sys::HtmlTextAreaElement {
    fn text(&self) -> String {
        self.value()
    }
    fn set_text(&self, text: &str) {
        self.set_value(text);
    }
    fn caret(&self) -> Option<(u32, u32)> {
        Some((self.selection_start().ok()??, self.selection_end().ok()??))
    }
    fn set_caret(&self, start: u32, end: u32) {
        let _ = self.set_selection_range(start, end);
    }
}

/// Keeps a control's value equal to its field's signal without ever disturbing the user: no
/// write when the control already shows the text, none while composing (the write waits for
/// the composition's end), and the caret kept in place when another device's change arrives
/// in the focused field.
pub(super) fn bind<E: TextControl>(
    get_el: impl Fn() -> Option<E> + 'static,
    value: RwSignal<String>,
    composing: StoredValue<bool>,
    shown: impl Fn(&str) -> String + 'static,
) {
    Effect::new(move |_| {
        let text = value.with(|v| shown(v));
        let Some(el) = get_el() else { return };
        if composing.get_value() || el.text() == text {
            return;
        }
        let focused = document()
            .active_element()
            .is_some_and(|a| a.unchecked_ref::<web_sys::Node>() == el.unchecked_ref());
        let caret = if focused { el.caret() } else { None };
        el.set_text(&text);
        if let Some((start, end)) = caret {
            let len = text.encode_utf16().count() as u32;
            el.set_caret(start.min(len), end.min(len));
        }
    });
}

/// The handlers every bound control shares: write on each input event, mark touched, follow
/// composition. A composition's steps are written too (nothing typed is lost if the page
/// closes mid-word), but the control is never written to while it lasts.
pub(super) fn composition_handlers(
    composing: StoredValue<bool>,
    value: RwSignal<String>,
) -> (
    impl Fn(leptos::ev::CompositionEvent) + Copy + 'static,
    impl Fn(leptos::ev::CompositionEvent) + Copy + 'static,
) {
    let start = move |_| composing.set_value(true);
    let end = move |_| {
        composing.set_value(false);
        // Catch up with anything that arrived while composing.
        value.update(|_| {});
    };
    (start, end)
}

/// How a field's stored text is typed and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldKind {
    #[default]
    Text,
    /// A count: numeric keyboard, stored as a number when it is one.
    Count,
    /// A date: typed and shown `dd/mm/yyyy`, stored ISO.
    Date,
}

impl FieldKind {
    fn shown(self, stored: &str) -> String {
        match self {
            FieldKind::Date => crate::domain::labels::date_input_text(stored),
            _ => stored.to_owned(),
        }
    }
}

/// A bound single-line input.
#[component]
pub(super) fn BoundInput(
    path: String,
    #[prop(optional)] kind: FieldKind,
    #[prop(default = 200)] max: usize,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] class: Option<&'static str>,
    #[prop(optional, into)] aria_label: Option<String>,
    #[prop(optional, into)] grid: Option<(String, usize, usize)>,
) -> impl IntoView {
    let ed = editor();
    let value = ed.value(&path);
    let notes = ed.notes(&path);
    let composing = StoredValue::new(false);
    let node = NodeRef::<html::Input>::new();
    bind(move || node.get(), value, composing, move |s| kind.shown(s));
    let (on_start, on_end) = composition_handlers(composing, value);
    let invalid = Memo::new(move |_| notes.with(|n| n.error().is_some()));
    let warning = Memo::new(move |_| notes.with(|n| n.error().is_none() && n.first().is_some()));
    let commented = Memo::new(move |_| notes.with(|n| !n.comments.is_empty()));
    let title = Memo::new(move |_| notes.with(|n| n.first().unwrap_or_default().to_owned()));
    let write = {
        let path = path.clone();
        move |text: String| {
            ed.touch(&path);
            match kind {
                FieldKind::Count => ed.set_count(&path, &text),
                FieldKind::Date => ed.set(
                    &path,
                    Value::String(crate::domain::labels::date_from_input(&text)),
                ),
                FieldKind::Text => ed.set(&path, Value::String(text)),
            }
        }
    };
    let on_input = {
        let write = write.clone();
        move |ev: leptos::ev::Event| write(event_target_value(&ev))
    };
    let on_end_write = move |ev: leptos::ev::CompositionEvent| {
        on_end(ev.clone());
        if let Some(el) = node.get_untracked() {
            write(el.value());
        }
    };
    let blur_path = path.clone();
    let (grid_name, row, col) = match &grid {
        Some((g, r, c)) => (Some(g.clone()), Some(r.to_string()), Some(c.to_string())),
        None => (None, None, None),
    };
    let is_grid = grid.is_some();
    let initial = kind.shown(&value.get_untracked());
    let numeric = kind == FieldKind::Count;
    view! {
        <input
            node_ref=node
            id=id.unwrap_or_else(|| field_id(&path))
            type="text"
            inputmode=numeric.then_some("numeric")
            autocomplete="off"
            maxlength=if numeric { "12".to_owned() } else { max.to_string() }
            class=class
            class:has-error=move || is_grid && invalid.get()
            class:has-warning=move || is_grid && warning.get()
            class:has-comment=move || is_grid && commented.get()
            aria-label=aria_label.filter(|l| !l.is_empty())
            title=move || is_grid.then(|| title.get())
            aria-invalid=move || invalid.get().to_string()
            data-grid=grid_name
            data-row=row
            data-col=col
            data-path=path.clone()
            value=initial
            disabled=move || !ed.editable.get()
            on:input=on_input
            on:compositionstart=on_start
            on:compositionend=on_end_write
            on:blur=move |_| ed.touch(&blur_path)
            on:keydown=move |ev| if is_grid { move_in_grid(ev) }
        />
    }
}

/// Arrow keys move between the cells of a grid (left and right only at the text's edge, so
/// they still move the caret inside a number).
fn move_in_grid(ev: leptos::ev::KeyboardEvent) {
    if ev.is_composing() {
        return;
    }
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let attr = |name: &str| input.get_attribute(name).unwrap_or_default();
    let (Ok(row), Ok(col)) = (
        attr("data-row").parse::<i32>(),
        attr("data-col").parse::<i32>(),
    ) else {
        return;
    };
    let len = input.value().encode_utf16().count() as u32;
    let at_start = input.selection_start().ok().flatten() == Some(0);
    let at_end = input.selection_end().ok().flatten() == Some(len);
    let (dr, dc) = match ev.key().as_str() {
        "ArrowUp" => (-1, 0),
        "ArrowDown" | "Enter" => (1, 0),
        "ArrowLeft" if at_start => (0, -1),
        "ArrowRight" if at_end => (0, 1),
        _ => return,
    };
    let selector = format!(
        "input[data-grid=\"{}\"][data-row=\"{}\"][data-col=\"{}\"]",
        attr("data-grid"),
        row + dr,
        col + dc
    );
    if let Ok(Some(next)) = document().query_selector(&selector)
        && let Ok(next) = next.dyn_into::<web_sys::HtmlInputElement>()
    {
        ev.prevent_default();
        let _ = next.focus();
        next.select();
    }
}
