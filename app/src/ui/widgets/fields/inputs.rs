//! Labelled fields of the plan — text, date, multi-line text, count, a roster entry's input —
//! each with the rules' messages and the reviewers' comments under it.

use leptos::html;
use leptos::prelude::*;
use serde_json::Value;

use crate::domain::rules::Severity;
use crate::ui::widgets::fields::anchor::field_id;
use crate::ui::widgets::fields::bound::{BoundInput, FieldKind, bind, composition_handlers};
use crate::ui::widgets::fields::registry::editor;

/// Messages and reviewers' comments under a field.
#[component]
pub fn FieldNotes(path: String) -> impl IntoView {
    let ed = editor();
    let notes = ed.notes(&path);
    let messages = Memo::new(move |_| notes.with(|n| n.messages.clone()));
    let comments = Memo::new(move |_| notes.with(|n| n.comments.clone()));
    view! {
        <For
            each=move || messages.get()
            key=|(_, m)| m.clone()
            children=|(severity, message)| {
                let class = if severity == Severity::Error { "field-error" } else { "field-warning" };
                view! { <p class=class>{message}</p> }
            }
        />
        <For
            each=move || comments.get()
            key=|c| c.id
            children=|c| {
                view! {
                    <p class="field-comment" data-testid="field-comment">
                        <strong>{format!("Nhận xét của {}: ", c.author)}</strong>
                        {c.body}
                    </p>
                }
            }
        />
    }
}

/// A labelled text input.
#[component]
pub fn TextField(
    path: &'static str,
    label: &'static str,
    #[prop(default = 200)] max: usize,
    /// What the field expects, shown under its label (never inside the box, where it could be
    /// taken for a value).
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let id = field_id(path);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <Show when=move || !hint.is_empty()>
                <p class="hint">{hint}</p>
            </Show>
            <BoundInput path=path.to_owned() max id />
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A labelled date, entered and shown as dd/mm/yyyy whatever the browser's language (the
/// browser's own date picker would follow its locale and speak English on many phones).
#[component]
pub fn DateField(path: &'static str, label: &'static str) -> impl IntoView {
    let id = field_id(path);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <p class="hint">"Ngày/tháng/năm, ví dụ 15/02/2022"</p>
            <BoundInput path=path.to_owned() kind=FieldKind::Date max=40 id />
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A labelled multi-line text.
#[component]
pub fn TextArea(path: &'static str, label: &'static str, hint: &'static str) -> impl IntoView {
    let ed = editor();
    let value = ed.value(path);
    let composing = StoredValue::new(false);
    let node = NodeRef::<html::Textarea>::new();
    bind(move || node.get(), value, composing, str::to_owned);
    let (on_start, on_end) = composition_handlers(composing, value);
    let id = field_id(path);
    let write = move |text: String| {
        ed.touch(path);
        ed.set(path, Value::String(text));
    };
    let initial = value.get_untracked();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <Show when=move || !hint.is_empty()>
                <p class="hint">{hint}</p>
            </Show>
            <textarea
                node_ref=node
                id=id
                rows="6"
                maxlength=crate::domain::rules::MAX_LONG_TEXT.to_string()
                data-path=path
                disabled=move || !ed.editable.get()
                on:input=move |ev| write(event_target_value(&ev))
                on:compositionstart=on_start
                on:compositionend=move |ev| {
                    on_end(ev);
                    if let Some(el) = node.get_untracked() {
                        write(el.value());
                    }
                }
                on:blur=move |_| ed.touch(path)
            >
                {initial}
            </textarea>
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A labelled count outside a grid.
#[component]
pub fn CountField(
    #[prop(into)] path: String,
    #[prop(into)] label: String,
    /// A fuller name for screen readers, when the visible label leans on a heading (which
    /// phone screen readers often skip).
    #[prop(optional, into)]
    aria_label: Option<String>,
) -> impl IntoView {
    let id = field_id(&path);
    view! {
        <div class="field count">
            <label for=id.clone()>{label}</label>
            <BoundInput path=path.clone() kind=FieldKind::Count id aria_label=aria_label.unwrap_or_default() />
            <FieldNotes path />
        </div>
    }
}

/// A bound input inside a roster entry (label around it).
#[component]
pub fn RosterInput(path: String, #[prop(optional)] kind: FieldKind) -> impl IntoView {
    view! { <BoundInput path kind /> }
}
