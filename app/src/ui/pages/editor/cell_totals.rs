//! The per-cell breakdown added up as the unit types: the sum of the cells and what remains
//! against the unit's own figure, column by column.

use leptos::prelude::*;

use crate::domain::labels;
use crate::domain::plan::Figure;
use crate::ui::widgets::fields::{editor, short};

/// The per-cell breakdown added up as the user types: for the pool and each year, the sum of
/// the cells and what remains against the unit's own figure, column by column.
#[component]
pub(super) fn CellTotals(years: Memo<Vec<u16>>) -> impl IntoView {
    let ed = editor();
    let categories = ed.categories.get_untracked();
    let figures_of_campaign = Figure::all(&categories);
    let width = figures_of_campaign.len();
    let rows = move || {
        let mut rows = vec![("Nguồn".to_owned(), None::<u16>)];
        rows.extend(
            years
                .get()
                .into_iter()
                .map(|y| (format!("Chỉ tiêu {y}"), Some(y))),
        );
        rows
    };
    view! {
        <div class="grid-wrap totals-wrap" role="region" aria-label="Cộng các chi bộ" tabindex="0">
            <table class="grid totals" data-testid="cell-totals">
                <caption>"Cộng các chi bộ và phần còn lại so với số của đơn vị"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="corner"></th>
                        {figures_of_campaign.iter().map(|f| view! { <th scope="col" abbr=f.label(&categories)>{short(*f, &categories)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|(label, year)| {
                        let columns = Figure::all(&ed.categories.get_untracked());
                        let figures = Memo::new(move |_| ed.working.with(|doc| {
                            let unit = match year {
                                Some(y) => doc.targets.get(&y).cloned().unwrap_or_default(),
                                None => doc.pool.clone(),
                            };
                            columns.iter().map(|f| {
                                let cells: Option<u32> = doc.cells.values().map(|c| match year {
                                    Some(y) => c.targets.get(&y).map_or(Some(0), |b| b.get(*f).value()),
                                    None => c.pool.get(*f).value(),
                                }).sum();
                                (cells, unit.get(*f).value())
                            }).collect::<Vec<_>>()
                        }));
                        let row_name = label.clone();
                        view! {
                            <tr class="computed" data-row=row_name>
                                <th scope="row">{label}</th>
                                {(0..width).map(|i| {
                                    let cell = Memo::new(move |_| figures.with(|v| v.get(i).copied().unwrap_or((None, None))));
                                    let text = move || match cell.get() {
                                        (Some(sum), Some(unit)) if sum == unit => format!("{} ✓", labels::number(sum.into())),
                                        (Some(sum), Some(unit)) if sum < unit => format!("{} (còn {})", labels::number(sum.into()), labels::number((unit - sum).into())),
                                        (Some(sum), Some(unit)) => format!("{} (thừa {})", labels::number(sum.into()), labels::number((sum - unit).into())),
                                        (Some(sum), None) => labels::number(sum.into()),
                                        (None, _) => "?".to_owned(),
                                    };
                                    let class = move || match cell.get() {
                                        (Some(sum), Some(unit)) if sum == unit => "ok",
                                        (Some(_), Some(_)) => "off",
                                        _ => "",
                                    };
                                    view! { <td class=class>{text}</td> }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
