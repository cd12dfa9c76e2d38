//! What the editor shows above the plan when something concerns it: the district's comments,
//! fields another device changed too (both values, the user chooses), and changes the server
//! refused for good ("Gửi lại" / "Bỏ").

use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::labels::describe;
use crate::domain::sync::{FieldConflict, Operation};
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::widgets::fields::{editor, field_id};

/// The district's comments on this plan (shown at the top; each field also shows its own).
#[component]
pub(super) fn Reviewers() -> impl IntoView {
    let ed = editor();
    let label = format!("Nhận xét của {}", super::office(ed.plan_id));
    view! {
        <Show when=move || !ed.comments.get().is_empty()>
            <section class="reviewers" aria-label=label.clone()>
                <h2>"Nhận xét"</h2>
                <ul>
                    <For
                        each=move || ed.comments.get()
                        key=|c| c.id
                        children=move |c| {
                            let target = c.path.clone().map(|p| ed.categories.with_untracked(|k| describe(&p, Some(&ed.working.get_untracked()), k)));
                            let href = c.path.as_deref().map(|p| format!("#{}", field_id(p))).unwrap_or_default();
                            view! {
                                <li data-testid="comment">
                                    <strong>{c.author.clone()}</strong>
                                    {target.map(|t| view! { " về " <a href=href>{t}</a> })}
                                    ": " {c.body.clone()}
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// Fields where another device's value won: both versions side by side, the user chooses.
#[component]
pub(super) fn Conflicts(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let conflicts = Memo::new(move |_| {
        ctx.device.with(|d| {
            d.plans
                .get(&plan_id)
                .map(|p| p.conflicts.clone())
                .unwrap_or_default()
        })
    });
    let show = |v: &Value| match v {
        Value::Null => "(để trống)".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    view! {
        <Show when=move || !conflicts.get().is_empty()>
            <section class="conflicts" role="alert" data-testid="conflicts">
                <h2>"Có thay đổi trùng nhau"</h2>
                <p>"Trường dưới đây đã được sửa ở một máy khác trong lúc máy này chưa đồng bộ. Hãy chọn giá trị giữ lại."</p>
                <For
                    each=move || conflicts.get()
                    key=|c: &FieldConflict| (c.path.clone(), c.mine.to_string(), c.theirs.to_string())
                    children=move |c| {
                        let label = ed.categories.with_untracked(|k| describe(&c.path, None, k));
                        let (keep_mine, keep_theirs) = (c.path.clone(), c.path.clone());
                        view! {
                            <div class="conflict" data-testid="conflict">
                                <p class="conflict-field">{label}</p>
                                <div class="versions">
                                    <div><span class="who">"Máy này"</span><span class="value" data-testid="mine">{show(&c.mine)}</span></div>
                                    <div><span class="who">"Trên máy chủ"</span><span class="value" data-testid="theirs">{show(&c.theirs)}</span></div>
                                </div>
                                <button type="button" on:click=move |_| ctx.change(|d| d.resolve_conflict(plan_id, &keep_mine, true, Ctx::new_id(), Ctx::now()))>
                                    "Giữ giá trị của máy này"
                                </button>
                                <button type="button" on:click=move |_| ctx.change(|d| d.resolve_conflict(plan_id, &keep_theirs, false, Ctx::new_id(), Ctx::now()))>
                                    "Dùng giá trị trên máy chủ"
                                </button>
                            </div>
                        }
                    }
                />
            </section>
        </Show>
    }
}

/// Changes the server refused for good, kept for the user.
#[component]
pub(super) fn Attention(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let items = Memo::new(move |_| {
        ctx.device.with(|d| {
            d.meta
                .attention
                .iter()
                .filter(|a| a.mutation.plan_id == plan_id)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || !items.get().is_empty()>
            <section class="attention" data-testid="attention">
                <h2>"Thay đổi máy chủ không nhận"</h2>
                <For
                    each=move || items.get()
                    key=|a| a.mutation.id
                    children=move |a| {
                        let what = match &a.mutation.op {
                            Operation::Edit { changes } => changes.iter().map(|c| ed.categories.with_untracked(|k| describe(&c.path, None, k))).collect::<Vec<_>>().join(", "),
                            Operation::Submit { .. } => "Nộp kế hoạch".to_owned(),
                            Operation::Create { .. } => "Lập kế hoạch".to_owned(),
                            _ => "Nhận xét, duyệt".to_owned(),
                        };
                        let id = a.mutation.id;
                        view! {
                            <div class="attention-item">
                                <p><strong>{what}</strong>": "{a.message.clone()}</p>
                                <button type="button" on:click=move |_| ctx.change(|d| d.retry_attention(id, Ctx::new_id(), Ctx::now()))>"Gửi lại"</button>
                                <button type="button" class="danger" on:click=move |_| ctx.change(|d| d.discard_attention(id))>"Bỏ thay đổi này"</button>
                            </div>
                        }
                    }
                />
            </section>
        </Show>
    }
}
