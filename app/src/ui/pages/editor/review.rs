//! The district's review panel: remarks on the whole plan or on one of its fields, then
//! "Trả lại để chỉnh sửa" or "Duyệt kế hoạch" (each confirmed, each sending every remark, one
//! still in the box included) or only the remarks.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::PlanStatus;
use crate::domain::device::Device;
use crate::domain::labels::describe;
use crate::domain::outline::Part;
use crate::domain::plan::Figure;
use crate::domain::sync::{MAX_COMMENT_LEN, NewComment, Operation};
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::widgets::dialog::Dialog;
use crate::ui::widgets::fields::editor;

/// What the reviewer is about to do, waiting for confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Return,
    Approve,
}

/// The district's review: comments on the plan or on one of its fields, then return for
/// revision or approve. Queued like every change, so a reviewer on a weak link loses nothing.
#[component]
pub(super) fn ReviewPanel(
    plan_id: Uuid,
    status: Memo<PlanStatus>,
    years: Memo<Vec<u16>>,
) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let drafts = RwSignal::new(Vec::<(Option<String>, String)>::new());
    let target = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    // Every field a remark can be about, grouped by section: each figure of every grid (year,
    // category, cell) included, so a remark shows next to exactly what it concerns.
    let targets = Memo::new(move |_| {
        let columns = Figure::all(&ed.categories.get());
        let figures = |prefix: &str| -> Vec<String> {
            columns
                .iter()
                .map(|f| format!("{prefix}.{}", f.code()))
                .collect()
        };
        let doc = ed.working.get();
        let has_cells = !doc.cells.is_empty();
        let heading = |part: Part| part.short_heading(has_cells);
        let fields = |head: &str, names: &[&str]| -> Vec<String> {
            names.iter().map(|f| format!("{head}.{f}")).collect()
        };
        let mut groups: Vec<(String, Vec<String>)> = vec![
            (
                heading(Part::Header),
                fields(
                    "header",
                    &[
                        "document_number",
                        "issued_on",
                        "place",
                        "signer_name",
                        "signer_title",
                    ],
                ),
            ),
            (
                heading(Part::Assessment),
                fields("sections", &["assessment"]),
            ),
        ];
        let mut pool = figures("pool");
        pool.extend(fields("progress", &["awareness_course", "applied"]));
        groups.push((heading(Part::Pool), pool));
        let mut targets: Vec<String> = years
            .get()
            .iter()
            .flat_map(|y| figures(&format!("targets.{y}")))
            .collect();
        targets.extend(figures("term_target"));
        groups.push((heading(Part::Targets), targets));
        for (id, cell) in &doc.cells {
            let mut paths = figures(&format!("cells.{id}.pool"));
            for y in years.get() {
                paths.extend(figures(&format!("cells.{id}.targets.{y}")));
            }
            groups.push((format!("{} — {}", heading(Part::Cells), cell.name), paths));
        }
        groups.push((
            heading(Part::Screening),
            fields("screening", &["members", "reviewed", "expected_removals"]),
        ));
        groups.push((heading(Part::Solutions), fields("sections", &["solutions"])));
        groups.push((
            heading(Part::Recommendations),
            fields("sections", &["notes"]),
        ));
        groups
            .into_iter()
            .map(|(group, paths)| {
                let options = paths
                    .into_iter()
                    .map(|p| {
                        let label = ed
                            .categories
                            .with_untracked(|c| describe(&p, Some(&doc), c));
                        (p, label)
                    })
                    .collect::<Vec<_>>();
                (group, options)
            })
            .collect::<Vec<_>>()
    });
    let add = move |_| {
        let text = body.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Hãy viết nội dung nhận xét."));
            return;
        }
        if text.chars().count() > MAX_COMMENT_LEN {
            error.set(Some("Nhận xét quá dài (tối đa 4.000 ký tự)."));
            return;
        }
        let path = Some(target.get_untracked()).filter(|p| !p.is_empty());
        drafts.update(|d| d.push((path, text)));
        body.set(String::new());
        error.set(None);
    };
    // A remark typed but not yet added is not lost when a button is pressed: it is added.
    let take_typed = move || {
        let text = body.get_untracked().trim().to_owned();
        if text.is_empty() || text.chars().count() > MAX_COMMENT_LEN {
            return;
        }
        let path = Some(target.get_untracked()).filter(|p| !p.is_empty());
        drafts.update(|d| d.push((path, text)));
        body.set(String::new());
    };
    let to_comments = move || {
        drafts
            .get_untracked()
            .into_iter()
            .map(|(path, body)| NewComment {
                id: Ctx::new_id(),
                path,
                body,
            })
            .collect::<Vec<_>>()
    };
    // What the open dialog asks to confirm; the dialog itself opens and closes (Esc) with
    // `confirm_open`.
    let confirm = RwSignal::new(None::<Decision>);
    let confirm_open = RwSignal::new(false);
    let ask = move |decision: Decision| {
        take_typed();
        if decision == Decision::Return && drafts.with_untracked(Vec::is_empty) {
            error.set(Some(
                "Trả lại cần ít nhất một nhận xét để đơn vị biết phải sửa gì.",
            ));
            return;
        }
        error.set(None);
        confirm.set(Some(decision));
        confirm_open.set(true);
    };
    let decide = move |decision: Decision| {
        confirm_open.set(false);
        let mut comments = to_comments();
        match decision {
            Decision::Return => ctx.change(|d| {
                d.queue(
                    plan_id,
                    Operation::Return { comments },
                    Ctx::new_id(),
                    Ctx::now(),
                )
            }),
            Decision::Approve => {
                // An approval carries one remark; the others go first, as plain comments, so
                // every remark reaches the unit.
                let last = comments.pop();
                ctx.change(|d| {
                    queue_comments(d, plan_id, comments);
                    d.queue(
                        plan_id,
                        Operation::Approve { comment: last },
                        Ctx::new_id(),
                        Ctx::now(),
                    );
                });
            }
        }
        drafts.set(Vec::new());
    };
    let send_comments = move |_| {
        take_typed();
        let comments = to_comments();
        ctx.change(|d| queue_comments(d, plan_id, comments));
        drafts.set(Vec::new());
    };
    let can_return = move || matches!(status.get(), PlanStatus::Submitted | PlanStatus::Approved);
    let can_approve = move || status.get() == PlanStatus::Submitted;
    let heading = format!("Ý kiến của {}", super::office(plan_id));
    view! {
        <section class="review-panel" aria-labelledby="review-title" data-testid="review">
            <h2 id="review-title">{heading}</h2>
            <div class="field">
                <label for="review-target">"Về mục"</label>
                <select id="review-target" on:change=move |ev| target.set(event_target_value(&ev)) prop:value=target>
                    <option value="">"Cả kế hoạch"</option>
                    {move || targets.get().into_iter().map(|(group, options)| view! {
                        <optgroup label=group>
                            {options.into_iter().map(|(p, label)| view! { <option value=p>{label}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="review-body">"Nhận xét"</label>
                <textarea id="review-body" rows="3" maxlength={MAX_COMMENT_LEN.to_string()}
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="field-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <button type="button" on:click=add>"Thêm nhận xét"</button>
            <ul class="drafts">
                <For
                    each={move || drafts.get().into_iter().enumerate().collect::<Vec<_>>()}
                    key=|(i, d)| (*i, d.clone())
                    children=move |(i, (path, text))| {
                        let label = path.as_deref().map_or_else(|| "Cả kế hoạch".to_owned(), |p| ed.categories.with_untracked(|c| describe(p, None, c)));
                        view! {
                            <li data-testid="draft-comment">
                                <strong>{label}": "</strong>{text}
                                " "
                                <button type="button" class="link" on:click=move |_| drafts.update(|d| { if i < d.len() { d.remove(i); } })>"Bỏ"</button>
                            </li>
                        }
                    }
                />
            </ul>
            <div class="actions">
                <button type="button" class="danger" disabled=move || !can_return() on:click=move |_| ask(Decision::Return)>"Trả lại để chỉnh sửa"</button>
                <button type="button" class="primary" disabled=move || !can_approve() on:click=move |_| ask(Decision::Approve)>"Duyệt kế hoạch"</button>
                <button type="button" disabled=move || drafts.get().is_empty() && body.get().trim().is_empty() on:click=send_comments>"Chỉ gửi nhận xét"</button>
            </div>
            <Dialog open=confirm_open title_id="decide-title" alert=true>
                <h2 id="decide-title">
                    {move || match confirm.get() {
                        Some(Decision::Return) => "Trả lại kế hoạch để đơn vị chỉnh sửa?",
                        _ => "Duyệt kế hoạch này?",
                    }}
                </h2>
                <p>
                    {move || {
                        let n = drafts.with(Vec::len);
                        match (confirm.get(), n) {
                            (Some(Decision::Return), n) => format!("Đơn vị sẽ nhận {n} nhận xét và sửa lại kế hoạch."),
                            (_, 0) => "Kế hoạch được duyệt, không kèm nhận xét.".to_owned(),
                            (_, n) => format!("Kế hoạch được duyệt, kèm {n} nhận xét gửi đơn vị."),
                        }
                    }}
                </p>
                <div class="actions">
                    <button type="button" class="primary" on:click=move |_| {
                        if let Some(d) = confirm.get_untracked() {
                            decide(d);
                        }
                    }>
                        {move || match confirm.get() {
                            Some(Decision::Return) => "Trả lại",
                            _ => "Duyệt",
                        }}
                    </button>
                    <button type="button" on:click=move |_| confirm_open.set(false)>"Hủy"</button>
                </div>
            </Dialog>
        </section>
    }
}

/// Queues each remark as a plain comment on the plan, in order: what "Chỉ gửi nhận xét" sends,
/// and what goes ahead of an approval (which carries one remark itself).
fn queue_comments(d: &mut Device, plan_id: Uuid, comments: Vec<NewComment>) {
    for comment in comments {
        d.queue(
            plan_id,
            Operation::Comment { comment },
            Ctx::new_id(),
            Ctx::now(),
        );
    }
}
