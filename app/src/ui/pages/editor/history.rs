//! The plan's versions at each change of status and what the unit changed between two of
//! them, field by field (asked of the server, so it needs the network).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::PlanStatus;
use crate::domain::labels::{self, describe};
use crate::domain::wire::{PlanDiff, VersionSummary};
use crate::ui::platform::api;
use crate::ui::widgets::fields::editor;

/// The plan's versions at each change of status, and what changed between two of them (by
/// default: since the last return). Asked of the server, so it needs the network.
#[component]
pub(super) fn History(plan_id: Uuid, status: Memo<PlanStatus>) -> impl IntoView {
    let ed = editor();
    let open = RwSignal::new(false);
    let versions = RwSignal::new(None::<Result<Vec<VersionSummary>, String>>);
    let from = RwSignal::new(0i64);
    let to = RwSignal::new(0i64);
    let diff = RwSignal::new(None::<Result<PlanDiff, String>>);
    let compare = move || {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        diff.set(None);
        spawn_local(async move {
            diff.set(Some(
                api::diff(plan_id, f, t).await.map_err(|e| e.message()),
            ));
        });
    };
    let load = move || {
        open.set(true);
        versions.set(None);
        spawn_local(async move {
            let result = api::versions(plan_id).await.map_err(|e| e.message());
            if let Ok(list) = &result {
                // Default comparison: from the last return (or the first version) to the latest.
                let latest = list.last().map_or(0, |v| v.revision);
                let base = list
                    .iter()
                    .rev()
                    .find(|v| v.status == PlanStatus::Returned)
                    .or_else(|| list.first())
                    .map_or(0, |v| v.revision);
                from.set(base);
                to.set(latest);
            }
            let ready = result.as_ref().is_ok_and(|l| l.len() > 1);
            versions.set(Some(result));
            if ready {
                compare();
            }
        });
    };
    // Reload when the status changes while the history is open (a resubmission arrives).
    Effect::new(move |_| {
        status.track();
        if open.get_untracked() {
            load();
        }
    });
    let options = move || {
        versions
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                // Numbered as the reviewer counts them (1, 2, 3…), not by the server's revision.
                let label = format!(
                    "Bản {} — {} — {}{}",
                    i + 1,
                    v.status.label(),
                    labels::local_time(v.at),
                    v.author.map(|a| format!(" — {a}")).unwrap_or_default()
                );
                (v.revision, label)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="section history" id="s-history" data-testid="history">
            <h2>"Lịch sử phiên bản"</h2>
            <Show
                when=move || open.get()
                fallback=move || view! { <button type="button" on:click=move |_| load()>"Xem lịch sử và so sánh phiên bản"</button> }
            >
                {move || match versions.get() {
                    None => view! { <p class="hint">"Đang tải…"</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
                    Some(Ok(list)) if list.len() < 2 => view! { <p class="hint">"Kế hoạch chưa có phiên bản nào khác để so sánh."</p> }.into_any(),
                    Some(Ok(_)) => view! {
                        <div class="filters">
                            <label>"Từ "
                                <select on:change=move |ev| { from.set(event_target_value(&ev).parse().unwrap_or(0)); compare(); } prop:value=move || from.get().to_string()>
                                    {options().into_iter().map(|(r, l)| view! { <option value=r.to_string()>{l}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"đến "
                                <select on:change=move |ev| { to.set(event_target_value(&ev).parse().unwrap_or(0)); compare(); } prop:value=move || to.get().to_string()>
                                    {options().into_iter().map(|(r, l)| view! { <option value=r.to_string()>{l}</option> }).collect_view()}
                                </select>
                            </label>
                        </div>
                        {move || match diff.get() {
                            None => view! { <p class="hint">"Đang so sánh…"</p> }.into_any(),
                            Some(Err(message)) => view! { <p class="field-error" role="alert">{message}</p> }.into_any(),
                            Some(Ok(d)) if d.changes.is_empty() => view! { <p class="hint" data-testid="diff-empty">"Hai phiên bản giống nhau."</p> }.into_any(),
                            Some(Ok(d)) => view! {
                                <div class="table-wrap" role="region" aria-label="So sánh phiên bản" tabindex="0">
                                    <table class="data" data-testid="diff">
                                        <thead><tr><th scope="col">"Mục"</th><th scope="col">"Trước"</th><th scope="col">"Sau"</th></tr></thead>
                                        <tbody>
                                            {d.changes.into_iter().map(|c| view! {
                                                <tr data-path=c.path.clone()>
                                                    // Named with the cell's name and the category, from the plan.
                                                    <th scope="row">{ed.categories.with_untracked(|k| describe(&c.path, Some(&ed.working.get_untracked()), k))}</th>
                                                    <td>{show_value(&c.old)}</td>
                                                    <td>{show_value(&c.new)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any(),
                        }}
                    }.into_any(),
                }}
            </Show>
        </section>
    }
}

fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "(để trống)".to_owned(),
        Value::String(s) if s.is_empty() => "(để trống)".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
