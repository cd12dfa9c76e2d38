//! Inputs bound to a field path of the open plan: every keystroke goes to the device (saved at
//! once, queued for sync), and the shared rules' messages for the field are shown beside it.

use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::domain::plan::Figure;
use crate::domain::rules::{Report, Severity};
use crate::domain::sync::Comment;
use crate::domain::{Count, PlanDocument};
use crate::ui::state::{Ctx, ctx};

/// The open plan, shared by its inputs.
#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub plan_id: Uuid,
    pub working: Memo<PlanDocument>,
    pub report: Memo<Report>,
    pub editable: Memo<bool>,
    pub comments: Memo<Vec<Comment>>,
}

impl EditorCtx {
    /// Writes a field as the user typed it.
    pub fn set(self, path: &str, value: Value) {
        let plan_id = self.plan_id;
        let path = path.to_owned();
        ctx().change(move |d| {
            // A path built by this UI always fits; a refusal leaves the document as it was.
            let _ = d.edit(plan_id, &path, value, Ctx::new_id(), Ctx::now());
        });
    }

    pub fn set_count(self, path: &str, text: &str) {
        let count = Count::parse_input(text);
        self.set(path, crate::domain::path::json_value(&count));
    }

    /// The rule messages about one field, errors first.
    pub fn messages(self, path: &str) -> Vec<(Severity, String)> {
        self.report.with(|r| {
            let mut out: Vec<(Severity, String)> = r
                .at(path)
                .map(|f| (f.severity, f.message.clone()))
                .collect();
            out.sort_by_key(|(s, _)| *s != Severity::Error);
            out
        })
    }

    pub fn comments_at(self, path: &str) -> Vec<Comment> {
        self.comments.with(|c| {
            c.iter()
                .filter(|c| c.path.as_deref() == Some(path))
                .cloned()
                .collect()
        })
    }
}

pub fn editor() -> EditorCtx {
    expect_context::<EditorCtx>()
}

/// The DOM id of a field's input, so messages and comments can point at it.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// Messages and reviewers' comments under a field.
#[component]
pub fn FieldNotes(path: String) -> impl IntoView {
    let ed = editor();
    let p = path.clone();
    let messages = Memo::new(move |_| ed.messages(&p));
    let comments = Memo::new(move |_| ed.comments_at(&path));
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
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let ed = editor();
    let value = Memo::new(move |_| {
        ed.working
            .with(|d| d.text_at(path).unwrap_or_default().to_owned())
    });
    let invalid = Memo::new(move |_| ed.messages(path).iter().any(|(s, _)| *s == Severity::Error));
    let id = field_id(path);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                maxlength=max.to_string()
                placeholder=placeholder
                prop:value=value
                aria-invalid=move || invalid.get().to_string()
                disabled=move || !ed.editable.get()
                on:input=move |ev| ed.set(path, Value::String(event_target_value(&ev)))
            />
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A labelled multi-line text.
#[component]
pub fn TextArea(path: &'static str, label: &'static str, hint: &'static str) -> impl IntoView {
    let ed = editor();
    let value = Memo::new(move |_| {
        ed.working
            .with(|d| d.text_at(path).unwrap_or_default().to_owned())
    });
    let id = field_id(path);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <p class="hint">{hint}</p>
            <textarea
                id=id
                rows="6"
                maxlength=crate::domain::rules::MAX_LONG_TEXT.to_string()
                prop:value=value
                disabled=move || !ed.editable.get()
                on:input=move |ev| ed.set(path, Value::String(event_target_value(&ev)))
            ></textarea>
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// A labelled count outside a grid.
#[component]
pub fn CountField(path: &'static str, label: &'static str) -> impl IntoView {
    let ed = editor();
    let value = Memo::new(move |_| {
        ed.working
            .with(|d| d.count_at(path).map(Count::input_text).unwrap_or_default())
    });
    let invalid = Memo::new(move |_| ed.messages(path).iter().any(|(s, _)| *s == Severity::Error));
    let id = field_id(path);
    view! {
        <div class="field count">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                prop:value=value
                aria-invalid=move || invalid.get().to_string()
                disabled=move || !ed.editable.get()
                on:input=move |ev| ed.set_count(path, &event_target_value(&ev))
            />
            <FieldNotes path=path.to_owned() />
        </div>
    }
}

/// One row of a breakdown grid: a label and the seven figures of `prefix`.
#[derive(Clone)]
pub struct GridRow {
    pub label: String,
    pub prefix: String,
}

/// Short column headings for phones; the full label is in the `title`.
fn short(figure: Figure) -> &'static str {
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

/// A grid of breakdowns, quick to fill: arrow keys move between cells, a computed row can
/// show running totals, and every cell is a count input with its path.
#[component]
pub fn BreakdownGrid(
    name: String,
    caption: String,
    rows: Vec<GridRow>,
    /// A read-only row computed from the document (label, one value per figure).
    #[prop(optional)]
    total: Option<(String, Signal<Vec<String>>)>,
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
        <div class="grid-wrap" role="region" aria-label=region tabindex="-1">
            <table class="grid" data-grid=name.clone()>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col"></th>
                        {Figure::ALL
                            .iter()
                            .map(|f| view! { <th scope="col" title=f.label()>{short(*f)}</th> })
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
                                                    <GridCell grid=grid.clone() row=r col=c path label />
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                    {total
                        .map(|(label, values)| {
                            view! {
                                <tr class="computed">
                                    <th scope="row">{label}</th>
                                    {move || {
                                        values.get().into_iter().map(|v| view! { <td>{v}</td> }).collect_view()
                                    }}
                                </tr>
                            }
                        })}
                </tbody>
            </table>
            <GridNotes paths />
        </div>
    }
}

#[component]
fn GridCell(grid: String, row: usize, col: usize, path: String, label: String) -> impl IntoView {
    let ed = editor();
    let p = path.clone();
    let value = Memo::new(move |_| {
        ed.working
            .with(|d| d.count_at(&p).map(Count::input_text).unwrap_or_default())
    });
    let p = path.clone();
    let state = Memo::new(move |_| {
        let messages = ed.messages(&p);
        let error = messages
            .iter()
            .find(|(s, _)| *s == Severity::Error)
            .map(|(_, m)| m.clone());
        let warning = messages.into_iter().next().map(|(_, m)| m);
        let commented = !ed.comments_at(&p).is_empty();
        (error, warning, commented)
    });
    let id = field_id(&path);
    view! {
        <input
            id=id
            type="text"
            inputmode="numeric"
            autocomplete="off"
            class="cell"
            class:has-error=move || state.get().0.is_some()
            class:has-warning=move || state.get().0.is_none() && state.get().1.is_some()
            class:has-comment=move || state.get().2
            aria-label=label
            aria-invalid=move || state.get().0.is_some().to_string()
            title=move || state.get().1.unwrap_or_default()
            data-grid=grid
            data-row=row.to_string()
            data-col=col.to_string()
            prop:value=value
            disabled=move || !ed.editable.get()
            on:input=move |ev| ed.set_count(&path, &event_target_value(&ev))
            on:keydown=move_in_grid
        />
    }
}

/// Messages and comments for all the cells of a grid, listed under it with the cell's name.
#[component]
fn GridNotes(paths: Vec<String>) -> impl IntoView {
    let ed = editor();
    let notes = Memo::new(move |_| {
        let doc = ed.working.get();
        let mut out = Vec::new();
        for p in &paths {
            for (severity, message) in ed.messages(p) {
                out.push((p.clone(), severity == Severity::Error, message, false));
            }
            for c in ed.comments_at(p) {
                let label = crate::domain::labels::describe(p, Some(&doc));
                out.push((
                    p.clone(),
                    false,
                    format!("Nhận xét của {} về «{label}»: {}", c.author, c.body),
                    true,
                ));
            }
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
                            <a href=href>{text}</a>
                        </li>
                    }
                }
            />
        </ul>
    }
}

/// Arrow keys move between the cells of a grid (left and right only at the text's edge, so
/// they still move the caret inside a number).
fn move_in_grid(ev: leptos::ev::KeyboardEvent) {
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
    let len = input.value().chars().count() as u32;
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
