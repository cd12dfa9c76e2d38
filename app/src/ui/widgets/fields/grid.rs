//! Grids of breakdowns (one row per year or part, the total and the campaign's structure
//! categories as columns), quick to fill on a phone: short headings spelled out in a legend, computed rows,
//! and the messages of every cell listed under the grid.

use leptos::prelude::*;

use crate::domain::Categories;
use crate::domain::plan::Figure;
use crate::domain::rules::Severity;
use crate::ui::widgets::fields::anchor::{field_id, focus_field};
use crate::ui::widgets::fields::bound::{BoundInput, FieldKind};
use crate::ui::widgets::fields::registry::{FieldNotesData, editor};

/// One row of a breakdown grid: a label and the figures of `prefix`.
#[derive(Clone)]
pub struct GridRow {
    pub label: String,
    pub prefix: String,
}

/// Short column headings for phones; the full label is spelled out in the legend under the
/// grid, so nothing needs a hover to be read. A committee's own category is headed by its
/// label, cut to a few letters.
pub fn short(figure: Figure, categories: &Categories) -> String {
    let known = match figure.code() {
        "total" => "Tổng",
        "ethnic_minority" => "DTTS",
        "religious" => "Có đạo",
        "youth_union" => "Tuổi Đoàn",
        "women" => "Nữ",
        "students" => "Học tập",
        "workers" => "Lao động",
        "youth_union_members" => "Đoàn viên",
        "military_pool" => "Tuyển quân",
        "industrial_workers" => "Công nhân",
        "non_state_workers" => "Ngoài NN",
        "business_owners" => "Chủ DN",
        "village_leaders" => "Uy tín",
        _ => {
            let label = figure.label(categories);
            return if label.chars().count() > 10 {
                format!("{}…", label.chars().take(9).collect::<String>().trim_end())
            } else {
                label
            };
        }
    };
    known.to_owned()
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
    let categories = editor().categories.get_untracked();
    let figures = Figure::all(&categories);
    let paths: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            figures
                .iter()
                .map(move |f| format!("{}.{}", r.prefix, f.code()))
        })
        .collect();
    let width = figures.len();
    // Past the first release's seven columns a phone shows each row as a card (CSS).
    let many = width > 7;
    view! {
        <div class="grid-wrap" role="region" aria-label=region tabindex="0">
            <table class="grid" class:many=many data-grid=name.clone()>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="corner"></th>
                        {figures
                            .iter()
                            .map(|f| view! { <th scope="col" abbr=f.label(&categories)>{short(*f, &categories)}</th> })
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
                                    {figures
                                        .iter()
                                        .enumerate()
                                        .map(|(c, f)| {
                                            let path = format!("{}.{}", row.prefix, f.code());
                                            let label = format!("{} — {}", row.label, f.label(&categories));
                                            view! {
                                                <td data-label=f.label(&categories)>
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
                            let heads: Vec<String> = figures.iter().map(|f| f.label(&categories)).collect();
                            let row_label = row.label.clone();
                            view! {
                                <tr class=format!("computed {}", row.class)>
                                    <th scope="row">{row.label}</th>
                                    {(0..width)
                                        .map(|i| {
                                            let text = Memo::new(move |_| values.with(|v| v.get(i).cloned().unwrap_or_default()));
                                            // Named for screen readers too: a card drops the
                                            // table's headers where rows are laid out as grids.
                                            let head = heads.get(i).cloned().unwrap_or_default();
                                            let name = format!("{row_label} — {head}");
                                            view! { <td data-label=head aria-label=move || format!("{name}: {}", text.get())>{move || text.get()}</td> }
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
    let categories = editor().categories.get_untracked();
    view! {
        <p class="grid-legend">
            {Figure::all(&categories)
                .into_iter()
                .skip(1)
                .map(|f| view! { <span><abbr>{short(f, &categories)}</abbr>": "{f.label(&categories)}</span> })
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
                    let label = ed
                        .categories
                        .with_untracked(|c| crate::domain::labels::describe(p, None, c));
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
