//! The plan's parts I–VII as the unit fills them in: header, assessment, pool, yearly and term
//! targets (with the "Tổng các năm" row), the per-cell breakdown of a Đảng bộ cơ sở, screening,
//! solutions and recommendations. Numbered as in print (`domain::outline`).

use leptos::prelude::*;

use crate::domain::outline::Part;
use crate::domain::plan::Figure;
use crate::domain::rules::CellRef;
use crate::domain::{Count, Indicator, labels};
use crate::ui::pages::editor::cell_totals::CellTotals;
use crate::ui::pages::editor::sections::Section;
use crate::ui::widgets::fields::{
    BreakdownGrid, ComputedRow, CountField, DateField, GridLegend, GridRow, TextArea, TextField,
    editor,
};

/// The parts of the plan, in order (the roster and the admissions made follow them).
#[component]
pub(super) fn PlanParts(
    years: Memo<Vec<u16>>,
    cells: Memo<Vec<CellRef>>,
    has_cells: Signal<bool>,
    /// The coverage indicators the campaign asks for (none: no coverage block).
    coverage: Memo<Vec<Indicator>>,
) -> impl IntoView {
    let working = editor().working;
    view! {
        <Section part=Part::Header>
            <div class="fields">
                <TextField path="header.document_number" label="Số hiệu kế hoạch" max=40 hint="Ví dụ: 05-KH/ĐU" />
                <DateField path="header.issued_on" label="Ngày ban hành" />
                <TextField path="header.place" label="Địa danh" />
                <TextField path="header.signer_name" label="Người ký" />
                <TextField path="header.signer_title" label="Chức vụ người ký" hint="Ví dụ: Bí thư" />
            </div>
        </Section>

        <Section part=Part::Assessment has_cells>
            <TextArea path="sections.assessment" label="Đánh giá tình hình" hint="Thực trạng nguồn, thuận lợi và khó khăn." />
            <Show when=move || coverage.with(|c| !c.is_empty())>
                <div class="coverage" data-testid="coverage">
                    <h3>"Độ phủ tổ chức đảng"</h3>
                    <p class="hint">"Số hiện nay và số phấn đấu đến cuối nhiệm kỳ; các chỉ số không vượt số thôn, tổ dân phố."</p>
                    {move || coverage.get().into_iter().map(|indicator| {
                        let now = format!("coverage.{}.now", indicator.code());
                        let target = format!("coverage.{}.target", indicator.code());
                        view! {
                            <fieldset class="coverage-row" data-indicator=indicator.code()>
                                <legend>{indicator.label()}</legend>
                                <div class="fields pair">
                                    <CountField path=now label="Hiện nay" aria_label=format!("{} — hiện nay", indicator.label()) />
                                    <CountField path=target label="Đến cuối nhiệm kỳ" aria_label=format!("{} — đến cuối nhiệm kỳ", indicator.label()) />
                                </div>
                            </fieldset>
                        }
                    }).collect_view()}
                </div>
            </Show>
        </Section>

        <Section part=Part::Pool has_cells>
            <GridLegend />
            <BreakdownGrid
                name="pool".into()
                caption="Nguồn hiện có theo cơ cấu".into()
                rows=vec![GridRow { label: "Nguồn hiện có".into(), prefix: "pool".into() }]
            />
            <div class="fields">
                <CountField path="progress.awareness_course" label="Đã học lớp bồi dưỡng nhận thức về Đảng" />
                <CountField path="progress.applied" label="Đã có đơn xin vào Đảng" />
            </div>
        </Section>

        <Section part=Part::Targets has_cells>
            <GridLegend />
            {move || {
                let mut rows: Vec<GridRow> = years
                    .get()
                    .into_iter()
                    .map(|y| GridRow { label: format!("Năm {y}"), prefix: format!("targets.{y}") })
                    .collect();
                rows.push(GridRow { label: "Cả nhiệm kỳ".into(), prefix: "term_target".into() });
                let columns = Figure::all(&editor().categories.get_untracked());
                let sum = Signal::derive(move || {
                    working.with(|doc| {
                        columns
                            .iter()
                            .map(|f| sum_of(doc.targets.values().map(|b| b.get(*f))))
                            .collect()
                    })
                });
                view! {
                    <BreakdownGrid
                        name="targets".into()
                        caption="Chỉ tiêu hằng năm và cả nhiệm kỳ theo cơ cấu".into()
                        rows
                        computed=vec![ComputedRow { label: "Tổng các năm".into(), class: "sum", values: sum }]
                    />
                }
            }}
        </Section>

        <Show when=move || !cells.get().is_empty()>
            <Section part=Part::Cells has_cells>
                <p class="hint">"Tổng các chi bộ phải bằng số của đơn vị ở từng cột: bảng cuối mục cộng dồn khi nhập và cho biết còn thiếu bao nhiêu."</p>
                <For
                    each=move || cells.get()
                    key=|c| c.id
                    children=move |cell| {
                        let mut rows = vec![GridRow { label: "Nguồn".into(), prefix: format!("cells.{}.pool", cell.id) }];
                        rows.extend(years.get_untracked().into_iter().map(|y| GridRow {
                            label: format!("Chỉ tiêu {y}"),
                            prefix: format!("cells.{}.targets.{y}", cell.id),
                        }));
                        view! { <BreakdownGrid name=format!("cell-{}", cell.id) caption=cell.name.clone() rows /> }
                    }
                />
                <CellTotals years />
            </Section>
        </Show>

        <Section part=Part::Screening has_cells>
            <div class="fields">
                <CountField path="screening.members" label="Số đảng viên hiện có" />
                <CountField path="screening.reviewed" label="Số đảng viên được rà soát" />
                <CountField path="screening.expected_removals" label="Số dự kiến đưa ra khỏi Đảng" />
            </div>
        </Section>

        <Section part=Part::Solutions has_cells>
            <TextArea path="sections.solutions" label="Giải pháp thực hiện" hint="Bắt buộc. Các giải pháp để đạt chỉ tiêu và cơ cấu." />
        </Section>

        <Section part=Part::Recommendations has_cells>
            <TextArea path="sections.notes" label="Kiến nghị, ghi chú" hint="Không bắt buộc." />
        </Section>
    }
}

/// Sum of counts for a computed row; a figure that is not a valid number shows as "?".
fn sum_of<'a>(counts: impl Iterator<Item = &'a Count>) -> String {
    counts
        .map(Count::value)
        .sum::<Option<u32>>()
        .map_or_else(|| "?".to_owned(), |n| labels::number(n.into()))
}
