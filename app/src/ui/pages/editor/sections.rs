//! A part of the plan as a foldable section, and the menu to move between the parts (with how
//! many errors each still shows).

use leptos::prelude::*;

use crate::domain::outline::Part;
use crate::ui::widgets::fields::editor;

/// A section of the plan that the user can fold away (a long plan on a phone), its heading
/// a button that says whether it is open.
#[component]
pub(super) fn Section(
    part: Part,
    /// Whether the unit has subordinate cells (the parts after the breakdown are numbered
    /// one lower without them, as in print); not needed by unnumbered parts.
    #[prop(optional)]
    has_cells: Option<Signal<bool>>,
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(true);
    let id = part.anchor();
    let body = format!("{id}-body");
    let title = move || part.heading(has_cells.is_some_and(|c| c.get()));
    view! {
        <section class="section" id=id class:collapsed=move || !open.get()>
            <h2>
                <button type="button" class="section-toggle" aria-expanded=move || open.get().to_string()
                    aria-controls=body.clone() on:click=move |_| open.update(|o| *o = !*o)>
                    {title}
                </button>
            </h2>
            <div class="section-body" id=body hidden=move || !open.get()>
                {children()}
            </div>
        </section>
    }
}

/// The menu to move between the plan's parts, with how many errors each still shows.
#[component]
pub(super) fn SectionMenu(has_cells: Signal<bool>, reports: Signal<bool>) -> impl IntoView {
    let ed = editor();
    let counts = Memo::new(move |_| {
        let mut counts = [0usize; Part::ALL.len()];
        ed.report.with(|r| {
            for f in r.errors() {
                if let Some(i) =
                    Part::of_path(&f.path).and_then(|p| Part::ALL.iter().position(|q| *q == p))
                    && ed.visible(&f.path)
                {
                    counts[i] += 1;
                }
            }
        });
        counts
    });
    view! {
        <nav class="section-menu" aria-label="Các mục của kế hoạch">
            {Part::ALL
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    let part = *part;
                    let shown = move || match part {
                        Part::Cells => has_cells.get(),
                        Part::Actuals => reports.get(),
                        _ => true,
                    };
                    let n = move || counts.with(|c| c[i]);
                    view! {
                        <Show when=shown>
                            <a href=format!("#{}", part.anchor())>
                                {move || part.short_heading(has_cells.get())}
                                <Show when=move || { n() > 0 }>
                                    <span class="badge" title="lỗi cần sửa">{n}</span>
                                </Show>
                            </a>
                        </Show>
                    }
                })
                .collect_view()}
        </nav>
    }
}
