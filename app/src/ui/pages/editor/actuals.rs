//! Part 8, the admissions actually made, reported by the unit year by year: writable by the
//! unit whatever the plan's status (also after approval, when the rest is frozen).

use leptos::prelude::*;

use crate::domain::outline::Part;
use crate::ui::pages::editor::sections::Section;
use crate::ui::widgets::fields::{BreakdownGrid, GridRow, editor, settled};

/// Admissions actually made, reported by the unit year by year — also after the plan is
/// approved, when the rest of the plan is frozen.
#[component]
pub(super) fn Actuals(years: Memo<Vec<u16>>, is_unit: Memo<bool>) -> impl IntoView {
    let ed = editor();
    // The same fields, writable by the unit whatever the plan's status.
    provide_context(ed.with_editable(settled(move || is_unit.get())));
    view! {
        <Section part=Part::Actuals>
            <p class="hint">"Nhập số đảng viên đã kết nạp trong từng năm theo cơ cấu. Phần này vẫn nhập được sau khi kế hoạch đã được duyệt."</p>
            {move || {
                let rows: Vec<GridRow> = years
                    .get()
                    .into_iter()
                    .map(|y| GridRow { label: format!("Năm {y}"), prefix: format!("actuals.{y}") })
                    .collect();
                view! { <BreakdownGrid name="actuals".into() caption="Đã kết nạp theo cơ cấu".into() rows /> }
            }}
        </Section>
    }
}
