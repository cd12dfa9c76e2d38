//! The unit's "Nộp kế hoạch": blocked while errors remain (and then shows them all), confirmed
//! in a dialog, and queued like every change, so it works offline.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::PlanStatus;
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::widgets::dialog::Dialog;
use crate::ui::widgets::fields::editor;

/// Submitting: possible only without errors; works offline (sent at the next sync, with the
/// time the user pressed the button).
#[component]
pub(super) fn Submit(plan_id: Uuid, status: Memo<PlanStatus>) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let blocked = Memo::new(move |_| ed.report.with(|r| r.errors().count()));
    let office = super::office(plan_id);
    // Stored (Copy) so the nested children of the dialog can each read them.
    let title = StoredValue::new(format!("Nộp kế hoạch cho {office}?"));
    let after = StoredValue::new(format!(
        "Sau khi nộp, đơn vị không sửa được nữa cho đến khi {office} trả lại. Nếu đang mất mạng, \
         kế hoạch được giữ trên máy và tự gửi lên khi có mạng, tính theo thời điểm bấm nộp."
    ));
    let confirm = RwSignal::new(false);
    // Trying to submit with errors shows every one of them (untouched fields included) and
    // takes the user to the list, instead of a button that silently does nothing.
    let attempt = move |_| {
        if blocked.get_untracked() > 0 {
            ed.show_all.set(true);
            if let Some(el) = document().get_element_by_id("plan-findings")
                && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
            {
                el.scroll_into_view();
                let _ = el.focus();
            }
        } else {
            confirm.set(true);
        }
    };
    view! {
        <section class="submit-bar">
            <Show
                when=move || ed.editable.get()
                fallback=move || view! { <p class="hint">{move || format!("Kế hoạch đang ở trạng thái «{}»: không sửa được.", status.get().label())}</p> }
            >
                <Show when={move || blocked.get() > 0 && ed.show_all.get()}>
                    <p class="hint" role="status">{move || format!("Còn {} lỗi: sửa hết mới nộp được.", blocked.get())}</p>
                </Show>
                <button type="button" class="primary" class=("blocked", move || blocked.get() > 0) on:click=attempt>
                    {move || if status.get() == PlanStatus::Returned { "Nộp lại kế hoạch" } else { "Nộp kế hoạch" }}
                </button>
                <Dialog open=confirm title_id="submit-title" alert=true>
                    <h2 id="submit-title">{move || title.get_value()}</h2>
                    <p>{move || after.get_value()}</p>
                    <div class="actions">
                        <button type="button" class="primary" on:click=move |_| {
                            confirm.set(false);
                            ctx.change(|d| d.submit(plan_id, Ctx::new_id(), Ctx::now()));
                        }>"Nộp"</button>
                        <button type="button" on:click=move |_| confirm.set(false)>"Chưa nộp"</button>
                    </div>
                </Dialog>
            </Show>
        </section>
    }
}
