//! Inputs bound to a field path of the open plan.
//!
//! Why it is built this way: a plan has up to several hundred inputs, and a keystroke must
//! reach the screen within a frame on a cheap phone. So nothing is rebuilt when the document
//! changes. Each field path has one signal holding its text and one holding its visible
//! messages, kept in a registry; a single effect per plan compares the document with the
//! registry after each change and sets only the signals whose text differs (usually none: the
//! field being typed in already shows its text). An input's DOM value is written only when it
//! differs from what the input shows, and never during an input method's composition (phone
//! keyboards and Telex compose a syllable before committing it; writing the value then would
//! commit every step as text).
//!
//! Every keystroke goes to the device at once (saved in IndexedDB before anything is drawn,
//! queued for sync); the shared rules' messages for a field show beside it once the user has
//! touched the field (or tried to submit), so a new plan does not open covered in red.

use std::collections::{HashMap, HashSet};

use leptos::html;
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::domain::plan::Figure;
use crate::domain::rules::{Report, Severity};
use crate::domain::sync::Comment;
use crate::domain::{Count, PlanDocument};
use crate::ui::state::{Ctx, ctx};

/// What is shown under or on one field: the rules' messages (errors first) and the reviewers'
/// comments about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldNotesData {
    pub messages: Vec<(Severity, String)>,
    pub comments: Vec<Comment>,
}

impl FieldNotesData {
    pub fn error(&self) -> Option<&str> {
        self.messages
            .iter()
            .find(|(s, _)| *s == Severity::Error)
            .map(|(_, m)| m.as_str())
    }
    pub fn first(&self) -> Option<&str> {
        self.messages.first().map(|(_, m)| m.as_str())
    }
}

/// The per-field signals of the open plan.
#[derive(Default)]
struct Registry {
    values: HashMap<String, RwSignal<String>>,
    notes: HashMap<String, RwSignal<FieldNotesData>>,
    /// Fields the user has typed in or left during this visit.
    touched: HashSet<String>,
}

/// The open plan, shared by its inputs.
#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub plan_id: Uuid,
    pub working: Memo<PlanDocument>,
    pub report: Memo<Report>,
    /// Whether the user may write: a signal, not a memo over the device, because hundreds of
    /// inputs read it and a memo chain would make every keystroke visit each of them.
    pub editable: RwSignal<bool>,
    pub comments: Memo<Vec<Comment>>,
    /// Every message shows, touched or not (after a submit attempt).
    pub show_all: RwSignal<bool>,
    /// Bumped when a field is touched for the first time, so the notes effect runs again.
    touched_version: RwSignal<u32>,
    registry: StoredValue<Registry, LocalStorage>,
}

/// A signal that follows `source` but notifies its readers only when the value changes: one
/// effect reads the source, however many widgets read the signal.
pub fn settled<T: Clone + PartialEq + Send + Sync + 'static>(
    source: impl Fn() -> T + Send + Sync + 'static,
) -> RwSignal<T> {
    let signal = RwSignal::new(leptos::prelude::untrack(&source));
    Effect::new(move |_| {
        let value = source();
        if signal.with_untracked(|v| *v != value) {
            signal.set(value);
        }
    });
    signal
}

/// The path prefixes of the parts of a plan that differ between two versions of it (each ends
/// with a dot, so `targets.2022.` does not match `targets.20221`).
fn changed_parts(old: &PlanDocument, new: &PlanDocument) -> Vec<String> {
    let mut out = Vec::new();
    if old.header != new.header {
        out.push("header.".to_owned());
    }
    if old.pool != new.pool {
        out.push("pool.".to_owned());
    }
    if old.progress != new.progress {
        out.push("progress.".to_owned());
    }
    if old.term_target != new.term_target {
        out.push("term_target.".to_owned());
    }
    if old.screening != new.screening {
        out.push("screening.".to_owned());
    }
    if old.sections != new.sections {
        out.push("sections.".to_owned());
    }
    if old.roster != new.roster {
        out.push("roster.".to_owned());
    }
    if old.actuals != new.actuals {
        out.push("actuals.".to_owned());
    }
    for (year, b) in &new.targets {
        if old.targets.get(year) != Some(b) {
            out.push(format!("targets.{year}."));
        }
    }
    for year in old.targets.keys() {
        if !new.targets.contains_key(year) {
            out.push(format!("targets.{year}."));
        }
    }
    for (id, c) in &new.cells {
        if old.cells.get(id) != Some(c) {
            out.push(format!("cells.{id}."));
        }
    }
    for id in old.cells.keys() {
        if !new.cells.contains_key(id) {
            out.push(format!("cells.{id}."));
        }
    }
    out
}

/// The text an input shows for a path of the document.
pub fn text_for(doc: &PlanDocument, path: &str) -> String {
    if let Some(count) = doc.count_at(path) {
        return count.input_text();
    }
    doc.text_at(path).unwrap_or_default().to_owned()
}

impl EditorCtx {
    pub fn new(
        plan_id: Uuid,
        working: Memo<PlanDocument>,
        report: Memo<Report>,
        editable: RwSignal<bool>,
        comments: Memo<Vec<Comment>>,
    ) -> EditorCtx {
        let ed = EditorCtx {
            plan_id,
            working,
            report,
            editable,
            comments,
            show_all: RwSignal::new(false),
            touched_version: RwSignal::new(0),
            registry: StoredValue::new_local(Registry::default()),
        };
        // Values: after any change of the document (a keystroke, a pull, a push answer), set
        // the signals of the fields whose text differs — only those. Only the parts of the
        // document that changed are looked at (comparing two parts costs far less than reading
        // every field's text).
        let previous = StoredValue::new_local(None::<PlanDocument>);
        Effect::new(move |_| {
            working.with(|doc| {
                let changed =
                    previous.with_value(|old| old.as_ref().map(|old| changed_parts(old, doc)));
                ed.registry.with_value(|r| {
                    for (path, signal) in &r.values {
                        if let Some(parts) = &changed
                            && !parts.iter().any(|p| path.starts_with(p.as_str()))
                        {
                            continue;
                        }
                        let text = text_for(doc, path);
                        if signal.with_untracked(|v| *v != text) {
                            signal.set(text);
                        }
                    }
                });
                previous.set_value(Some(doc.clone()));
            });
        });
        // Notes: the same for the rules' messages and the reviewers' comments.
        Effect::new(move |_| {
            ed.touched_version.track();
            let show_all = ed.show_all.get();
            let by_path = report.with(|r| {
                let mut map: HashMap<String, Vec<(Severity, String)>> = HashMap::new();
                for f in &r.findings {
                    map.entry(f.path.clone())
                        .or_default()
                        .push((f.severity, f.message.clone()));
                }
                map
            });
            let comments_by_path = comments.with(|list| {
                let mut map: HashMap<String, Vec<Comment>> = HashMap::new();
                for c in list {
                    if let Some(p) = &c.path {
                        map.entry(p.clone()).or_default().push(c.clone());
                    }
                }
                map
            });
            let doc_has_value =
                |path: &str| working.with_untracked(|doc| !text_for(doc, path).trim().is_empty());
            ed.registry.with_value(|r| {
                for (path, signal) in &r.notes {
                    // Most fields have nothing to show and showed nothing: skip them cheaply.
                    if !by_path.contains_key(path)
                        && !comments_by_path.contains_key(path)
                        && signal.with_untracked(|v| v.messages.is_empty() && v.comments.is_empty())
                    {
                        continue;
                    }
                    let visible = show_all || r.touched.contains(path) || doc_has_value(path);
                    let mut messages = if visible {
                        by_path.get(path).cloned().unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    messages.sort_by_key(|(s, _)| *s != Severity::Error);
                    let next = FieldNotesData {
                        messages,
                        comments: comments_by_path.get(path).cloned().unwrap_or_default(),
                    };
                    if signal.with_untracked(|v| *v != next) {
                        signal.set(next);
                    }
                }
            });
        });
        ed
    }

    /// The same plan, with other rules for who may write (the yearly report stays writable
    /// after approval).
    pub fn with_editable(self, editable: RwSignal<bool>) -> EditorCtx {
        EditorCtx { editable, ..self }
    }

    /// The signal of a field's text (made on first use).
    pub fn value(self, path: &str) -> RwSignal<String> {
        if let Some(s) = self.registry.with_value(|r| r.values.get(path).copied()) {
            return s;
        }
        let text = self.working.with_untracked(|doc| text_for(doc, path));
        let signal = RwSignal::new(text);
        self.registry.update_value(|r| {
            r.values.insert(path.to_owned(), signal);
        });
        signal
    }

    /// The signal of a field's visible notes (made on first use; filled by the notes effect).
    pub fn notes(self, path: &str) -> RwSignal<FieldNotesData> {
        if let Some(s) = self.registry.with_value(|r| r.notes.get(path).copied()) {
            return s;
        }
        let signal = RwSignal::new(FieldNotesData::default());
        self.registry.update_value(|r| {
            r.notes.insert(path.to_owned(), signal);
        });
        // Fill it on the next run of the notes effect.
        self.touched_version.update(|v| *v = v.wrapping_add(1));
        signal
    }

    /// The user has typed in or left a field: its messages may show.
    pub fn touch(self, path: &str) {
        let fresh = self
            .registry
            .try_update_value(|r| r.touched.insert(path.to_owned()))
            .unwrap_or(false);
        if fresh {
            self.touched_version.update(|v| *v = v.wrapping_add(1));
        }
    }

    /// Writes a field as the user typed it.
    pub fn set(self, path: &str, value: Value) {
        let plan_id = self.plan_id;
        let owned = path.to_owned();
        let ctx = ctx();
        ctx.keystroke(move |d| {
            // A path built by this UI always fits; a refusal leaves the document as it was.
            let _ = d.edit(plan_id, &owned, value, Ctx::new_id(), Ctx::now());
        });
        // The input already shows what was typed: record the document's text for it without
        // notifying, so the value effect finds nothing to write back into the input.
        if let Some(signal) = self.registry.with_value(|r| r.values.get(path).copied()) {
            let text = ctx.device.with_untracked(|d| {
                d.plans
                    .get(&plan_id)
                    .map(|p| text_for(&p.working, path))
                    .unwrap_or_default()
            });
            signal.update_untracked(|v| *v = text);
        }
    }

    pub fn set_count(self, path: &str, text: &str) {
        let count = Count::parse_input(text);
        self.set(path, crate::domain::path::json_value(&count));
    }

    /// Every rule message of the plan, for the summary (touched fields only, unless all show).
    pub fn visible(self, path: &str) -> bool {
        self.show_all.get()
            || {
                self.touched_version.track();
                self.registry.with_value(|r| r.touched.contains(path))
            }
            || self
                .working
                .with(|doc| !text_for(doc, path).trim().is_empty())
    }
}

pub fn editor() -> EditorCtx {
    expect_context::<EditorCtx>()
}

/// The DOM id of a field's input, so messages and comments can point at it.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The element kinds a field can be: both expose `value` and a selection.
trait TextControl: JsCast + Clone + 'static {
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
fn bind<E: TextControl>(
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
fn composition_handlers(
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
fn BoundInput(
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
            aria-label=aria_label
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
pub fn CountField(path: &'static str, label: &'static str) -> impl IntoView {
    let id = field_id(path);
    view! {
        <div class="field count">
            <label for=id.clone()>{label}</label>
            <BoundInput path=path.to_owned() kind=FieldKind::Count id />
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A bound input inside a roster entry (label around it).
#[component]
pub fn RosterInput(path: String, #[prop(optional)] kind: FieldKind) -> impl IntoView {
    view! { <BoundInput path kind /> }
}

/// One row of a breakdown grid: a label and the seven figures of `prefix`.
#[derive(Clone)]
pub struct GridRow {
    pub label: String,
    pub prefix: String,
}

/// Short column headings for phones; the full label is spelled out in the legend under the
/// grid, so nothing needs a hover to be read.
pub fn short(figure: Figure) -> &'static str {
    use crate::domain::plan::Structure::*;
    match figure {
        Figure::Total => "Tổng",
        Figure::Of(EthnicMinority) => "DTTS",
        Figure::Of(Religious) => "Có đạo",
        Figure::Of(YouthUnion) => "Tuổi Đoàn",
        Figure::Of(Women) => "Nữ",
        Figure::Of(Students) => "Học tập",
        Figure::Of(Workers) => "Lao động",
    }
}

/// A read-only row computed from the document: a label and one text per figure, each its own
/// signal so only the cell that changed is redrawn.
pub struct ComputedRow {
    pub label: String,
    pub class: &'static str,
    pub values: Signal<Vec<String>>,
}

/// A grid of breakdowns, quick to fill: arrow keys move between cells, computed rows can show
/// running totals, and every cell is a count input with its path.
#[component]
pub fn BreakdownGrid(
    name: String,
    caption: String,
    rows: Vec<GridRow>,
    /// Read-only rows computed from the document.
    #[prop(optional)]
    computed: Vec<ComputedRow>,
) -> impl IntoView {
    let grid = name.clone();
    let region = caption.clone();
    let paths: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            Figure::ALL
                .iter()
                .map(move |f| format!("{}.{}", r.prefix, f.code()))
        })
        .collect();
    view! {
        <div class="grid-wrap" role="region" aria-label=region tabindex="0">
            <table class="grid" data-grid=name.clone()>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="corner"></th>
                        {Figure::ALL
                            .iter()
                            .map(|f| view! { <th scope="col" abbr=f.label()>{short(*f)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .enumerate()
                        .map(|(r, row)| {
                            let grid = grid.clone();
                            view! {
                                <tr>
                                    <th scope="row">{row.label.clone()}</th>
                                    {Figure::ALL
                                        .iter()
                                        .enumerate()
                                        .map(|(c, f)| {
                                            let path = format!("{}.{}", row.prefix, f.code());
                                            let label = format!("{} — {}", row.label, f.label());
                                            view! {
                                                <td>
                                                    <BoundInput
                                                        path
                                                        kind=FieldKind::Count
                                                        class="cell"
                                                        aria_label=label
                                                        grid=(grid.clone(), r, c)
                                                    />
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                    {computed
                        .into_iter()
                        .map(|row| {
                            let values = row.values;
                            view! {
                                <tr class=format!("computed {}", row.class)>
                                    <th scope="row">{row.label}</th>
                                    {(0..Figure::ALL.len())
                                        .map(|i| {
                                            let text = Memo::new(move |_| values.with(|v| v.get(i).cloned().unwrap_or_default()));
                                            view! { <td>{move || text.get()}</td> }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <GridNotes paths />
    }
}

/// The legend of the short column headings, once per section.
#[component]
pub fn GridLegend() -> impl IntoView {
    view! {
        <p class="grid-legend">
            {Figure::ALL
                .iter()
                .skip(1)
                .map(|f| view! { <span><abbr>{short(*f)}</abbr>": "{f.label()}</span> })
                .collect_view()}
        </p>
    }
}

/// Messages and comments for all the cells of a grid, listed under it with the cell's name.
#[component]
fn GridNotes(paths: Vec<String>) -> impl IntoView {
    let ed = editor();
    let signals: Vec<(String, RwSignal<FieldNotesData>)> =
        paths.iter().map(|p| (p.clone(), ed.notes(p))).collect();
    let notes = Memo::new(move |_| {
        let mut out = Vec::new();
        for (p, signal) in &signals {
            signal.with(|n| {
                for (severity, message) in &n.messages {
                    out.push((
                        p.clone(),
                        *severity == Severity::Error,
                        message.clone(),
                        false,
                    ));
                }
                for c in &n.comments {
                    let label = crate::domain::labels::describe(p, None);
                    out.push((
                        p.clone(),
                        false,
                        format!("Nhận xét của {} về «{label}»: {}", c.author, c.body),
                        true,
                    ));
                }
            });
        }
        out
    });
    view! {
        <ul class="grid-notes">
            <For
                each=move || notes.get()
                key=|n| (n.0.clone(), n.2.clone())
                children=|(path, error, text, comment)| {
                    let class = if comment { "field-comment" } else if error { "field-error" } else { "field-warning" };
                    let href = format!("#{}", field_id(&path));
                    view! {
                        <li class=class data-testid=if comment { "field-comment" } else { "field-message" }>
                            <a href=href on:click=move |ev| focus_field(ev, &path)>{text}</a>
                        </li>
                    }
                }
            />
        </ul>
    }
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
