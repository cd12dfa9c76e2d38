//! The open plan as its inputs share it ([`EditorCtx`], provided as context by the editor
//! page): one signal per field path for its text and one for its visible notes, kept in a
//! registry and set by one effect per plan, only where they differ — so a keystroke or a sync
//! round never rebuilds an input.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::rules::{Report, Severity};
use crate::domain::sync::Comment;
use crate::domain::{Categories, Count, PlanDocument};
use crate::ui::platform::state::{Ctx, ctx};

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
    /// The campaign's structure categories: the columns of every breakdown grid.
    pub categories: Memo<Categories>,
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
        categories: Memo<Categories>,
    ) -> EditorCtx {
        let ed = EditorCtx {
            plan_id,
            working,
            report,
            editable,
            comments,
            categories,
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
