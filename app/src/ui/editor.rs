//! The plan editor: every section of the document, the shared rules' findings as the user
//! types, the reviewers' comments, conflicts to settle, and submission.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::labels::{self, describe};
use crate::domain::outline::Part;
use crate::domain::plan::{Candidate, Figure, Occupation, Sex, Stage};
use crate::domain::rules::{PlanContext, Report, Severity, validate};
use crate::domain::sync::{FieldConflict, Operation};
use crate::domain::sync::{MAX_COMMENT_LEN, NewComment};
use crate::domain::{Count, PlanStatus, Role};
use crate::ui::dialog::Dialog;
use crate::ui::fields::{
    BreakdownGrid, ComputedRow, CountField, DateField, EditorCtx, FieldKind, GridLegend, GridRow,
    RosterInput, TextArea, TextField, editor, field_id, focus_field, settled,
};
use crate::ui::pages::NeedsLogin;
use crate::ui::state::{Ctx, ctx};

#[component]
pub fn PlanEditor() -> impl IntoView {
    let ctx = ctx();
    let params = use_params_map();
    let plan_id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok())));
    // Memos, so that the editor below is built once per plan: the closure re-runs only when
    // who is logged in or whether the plan is on the device changes, never on an edit or a
    // sync round (rebuilding it would destroy the input being typed in).
    let logged_in = Memo::new(move |_| ctx.me.with(Option::is_some));
    let shown = Memo::new(move |_| {
        plan_id
            .get()
            .filter(|id| ctx.device.with(|d| d.plans.contains_key(id)))
    });
    move || {
        if !logged_in.get() {
            return view! { <NeedsLogin /> }.into_any();
        }
        match shown.get() {
            Some(id) => view! { <Editor plan_id=id /> }.into_any(),
            None => view! {
                <section class="page">
                    <h1>"Không có kế hoạch này trên máy"</h1>
                    <p>"Kế hoạch chưa được tải về máy này, hoặc đường dẫn không đúng. Khi có mạng, ứng dụng sẽ tự đồng bộ."</p>
                    <p><a href="/ke-hoach">"Về danh sách kế hoạch"</a></p>
                </section>
            }
            .into_any(),
        }
    }
}

#[component]
fn Editor(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
    // Only the working document is copied on a change, not the whole local plan.
    let working = Memo::new(move |_| {
        ctx.device.with(|d| {
            d.plans
                .get(&plan_id)
                .map(|p| p.working.clone())
                .unwrap_or_default()
        })
    });
    let (campaign_id, unit_id) = ctx.device.with_untracked(|d| {
        d.plans
            .get(&plan_id)
            .map(|p| (p.campaign_id, p.unit_id))
            .unwrap_or_default()
    });
    let campaign = Memo::new(move |_| {
        ctx.device
            .with(|d| d.reference.campaigns.get(&campaign_id).cloned())
    });
    let profile = Memo::new(move |_| ctx.unit_profile(unit_id));
    let report = Memo::new(move |_| match (campaign.get(), profile.get()) {
        (Some(c), Some(u)) => working.with(|doc| {
            validate(
                doc,
                PlanContext {
                    campaign: &c,
                    unit: &u,
                },
            )
        }),
        _ => Report::default(),
    });
    let status = Memo::new(move |_| ctx.device.with(|d| d.status(plan_id)));
    let waiting = Memo::new(move |_| {
        ctx.device.with(|d| {
            if d.submit_pending(plan_id) {
                Some(Waiting::Submit)
            } else if d.review_pending(plan_id) {
                Some(Waiting::Review)
            } else {
                None
            }
        })
    });
    let is_unit = Memo::new(move |_| ctx.me.get().is_some_and(|m| m.role == Role::UnitEditor));
    let is_reviewer = Memo::new(move |_| {
        ctx.me
            .get()
            .is_some_and(|m| m.role == Role::DistrictReviewer)
    });
    // Only the unit writes its plan; the district reads it and reviews.
    let editable = settled(move || is_unit.get() && status.get().is_editable());
    let comments = Memo::new(move |_| {
        ctx.device
            .with(|d| d.comments(plan_id).into_iter().cloned().collect::<Vec<_>>())
    });
    let ed = EditorCtx::new(plan_id, working, report, editable, comments);
    provide_context(ed);

    let years = Memo::new(move |_| campaign.get().map(|c| c.years).unwrap_or_default());
    let cells = Memo::new(move |_| profile.get().map(|p| p.cells).unwrap_or_default());
    let has_cells = Signal::from(Memo::new(move |_| cells.with(|c| !c.is_empty())));

    view! {
        <article class="page editor">
            <header class="editor-head">
                <h1>"Kế hoạch tạo nguồn phát triển đảng viên"</h1>
                <p class="meta">
                    {move || profile.get().map(|p| p.name).unwrap_or_default()}
                    {move || campaign.get().map(|c| format!(" · Công văn {} · Nhiệm kỳ {} · Hạn nộp {}", c.letter_number, c.term, crate::domain::labels::date(c.deadline))).unwrap_or_default()}
                </p>
                <p>
                    <span class=move || format!("status status-{}", status.get().code()) data-testid="plan-status">
                        {move || match waiting.get() {
                            // Pressed on this device, not yet on the server: say so, not "Đã nộp".
                            Some(Waiting::Submit) => "Đã bấm nộp, chờ gửi lên máy chủ".to_owned(),
                            Some(Waiting::Review) => format!("Đã bấm «{}», chờ gửi lên máy chủ", status.get().label()),
                            None => status.get().label().to_owned(),
                        }}
                    </span>
                    " "
                    <A href=format!("/in/ke-hoach/{plan_id}")>"Xem bản in"</A>
                </p>
            </header>
            <Reviewers />
            <Conflicts plan_id />
            <Attention plan_id />
            <Summary />
            <SectionMenu has_cells reports=Signal::derive(move || status.get() != PlanStatus::Draft) />

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
                    let sum = Signal::derive(move || {
                        working.with(|doc| {
                            Figure::ALL
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

            <Roster years />

            <Show when=move || status.get() != PlanStatus::Draft>
                <Actuals years is_unit />
            </Show>

            <History plan_id status />

            <Show when=move || is_unit.get()>
                <Submit plan_id status />
            </Show>
            <Show when=move || is_reviewer.get()>
                <ReviewPanel plan_id status years />
            </Show>
        </article>
    }
}

/// A section of the plan that the user can fold away (a long plan on a phone), its heading
/// a button that says whether it is open.
#[component]
fn Section(
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

/// Sum of counts for a computed row; a figure that is not a valid number shows as "?".
fn sum_of<'a>(counts: impl Iterator<Item = &'a Count>) -> String {
    counts
        .map(Count::value)
        .sum::<Option<u32>>()
        .map_or_else(|| "?".to_owned(), |n| labels::number(n.into()))
}

/// The per-cell breakdown added up as the user types: for the pool and each year, the sum of
/// the cells and what remains against the unit's own figure, column by column.
#[component]
fn CellTotals(years: Memo<Vec<u16>>) -> impl IntoView {
    let ed = editor();
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
                        {Figure::ALL.iter().map(|f| view! { <th scope="col" abbr=f.label()>{crate::ui::fields::short(*f)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|(label, year)| {
                        let figures = Memo::new(move |_| ed.working.with(|doc| {
                            let unit = match year {
                                Some(y) => doc.targets.get(&y).cloned().unwrap_or_default(),
                                None => doc.pool.clone(),
                            };
                            Figure::ALL.iter().map(|f| {
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
                                {(0..Figure::ALL.len()).map(|i| {
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

/// The menu to move between the plan's parts, with how many errors each still shows.
#[component]
fn SectionMenu(has_cells: Signal<bool>, reports: Signal<bool>) -> impl IntoView {
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

/// Errors and warnings of the whole plan, each linking to its field.
#[component]
fn Summary() -> impl IntoView {
    let ed = editor();
    // Only what the user has touched (or everything, after a submit attempt): a new plan
    // does not open as a list of errors. What waits is counted, in neutral words.
    let all = Memo::new(move |_| {
        ed.report.with(|r| {
            r.findings
                .iter()
                .map(|f| (f.severity, f.path.clone(), f.message.clone()))
                .collect::<Vec<_>>()
        })
    });
    let findings = Memo::new(move |_| {
        ed.working.with(|doc| {
            all.get()
                .into_iter()
                .filter(|(_, path, _)| ed.visible(path))
                .map(|(severity, path, message)| {
                    let section = Part::of_path(&path).map_or("Kế hoạch", Part::title);
                    let label = describe(&path, Some(doc));
                    (severity, path, message, section, label)
                })
                .collect::<Vec<_>>()
        })
    });
    let waiting = Memo::new(move |_| {
        all.with(|a| a.iter().filter(|f| f.0 == Severity::Error).count())
            - findings.with(|f| f.iter().filter(|x| x.0 == Severity::Error).count())
    });
    let errors =
        Memo::new(move |_| findings.with(|f| f.iter().filter(|x| x.0 == Severity::Error).count()));
    let warnings = Memo::new(move |_| {
        findings.with(|f| f.iter().filter(|x| x.0 == Severity::Warning).count())
    });
    view! {
        <section class="summary" aria-label="Kiểm tra kế hoạch" data-testid="findings" id="plan-findings" tabindex="-1">
            <p class="summary-line">
                {move || match (errors.get(), warnings.get(), waiting.get()) {
                    (0, 0, 0) => "Kế hoạch không có lỗi.".to_owned(),
                    (0, 0, n) => format!("Còn {n} mục chưa nhập hoặc chưa đúng; sẽ được chỉ rõ khi bạn nhập đến hoặc bấm nộp."),
                    (0, w, 0) => format!("Không có lỗi; {w} lưu ý."),
                    (0, w, n) => format!("{w} lưu ý; còn {n} mục chưa nhập hoặc chưa đúng."),
                    (e, 0, _) => format!("{e} lỗi cần sửa trước khi nộp."),
                    (e, w, _) => format!("{e} lỗi cần sửa trước khi nộp; {w} lưu ý."),
                }}
            </p>
            <Show when=move || !findings.get().is_empty()>
                <details open={move || errors.get() > 0 && errors.get() <= 8}>
                    <summary>"Xem chi tiết"</summary>
                    <ul>
                        <For
                            each=move || findings.get()
                            key=|f| (f.1.clone(), f.2.clone())
                            children=|(severity, path, message, section, _)| {
                                let class = if severity == Severity::Error { "field-error" } else { "field-warning" };
                                let target = path.clone();
                                view! {
                                    <li class=class data-testid="finding" data-path=path.clone()>
                                        <a href=format!("#{}", field_id(&path)) on:click=move |ev| focus_field(ev, &target)>
                                            {format!("{section}: ")}
                                            <span class="finding-message">{message}</span>
                                        </a>
                                    </li>
                                }
                            }
                        />
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// The district's comments on this plan (shown at the top; each field also shows its own).
#[component]
fn Reviewers() -> impl IntoView {
    let ed = editor();
    view! {
        <Show when=move || !ed.comments.get().is_empty()>
            <section class="reviewers" aria-label="Nhận xét của Ban Tổ chức">
                <h2>"Nhận xét"</h2>
                <ul>
                    <For
                        each=move || ed.comments.get()
                        key=|c| c.id
                        children=move |c| {
                            let target = c.path.clone().map(|p| describe(&p, Some(&ed.working.get_untracked())));
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
fn Conflicts(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
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
                        let label = describe(&c.path, None);
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
fn Attention(plan_id: Uuid) -> impl IntoView {
    let ctx = ctx();
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
                            Operation::Edit { changes } => changes.iter().map(|c| describe(&c.path, None)).collect::<Vec<_>>().join(", "),
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

/// The optional roster of outstanding people (personal data: kept on the device and sent only
/// to the unit's own district).
#[component]
fn Roster(years: Memo<Vec<u16>>) -> impl IntoView {
    let ed = editor();
    let people = Memo::new(move |_| {
        ed.working
            .with(|d| d.roster.0.keys().copied().collect::<Vec<_>>())
    });
    let add = move |_| {
        let id = Ctx::new_id();
        let person = crate::domain::path::json_value(&Candidate {
            stage: Some(Stage::Identified),
            ..Candidate::default()
        });
        ed.set(&format!("roster.{id}"), person);
    };
    let derive = move |_| {
        let year = years.get_untracked().first().copied().unwrap_or(2022);
        let derived = ed.working.with_untracked(|d| d.roster_breakdown(year));
        for f in Figure::ALL {
            let value = crate::domain::path::json_value(derived.get(f));
            ed.set(&format!("pool.{}", f.code()), value);
        }
    };
    view! {
        <Section part=Part::Roster>
            <p class="hint">"Thông tin cá nhân: chỉ đơn vị và Ban Tổ chức Huyện ủy xem được. Có danh sách thì có thể tính nguồn tự động."</p>
            <For
                each=move || people.get()
                key=|id| *id
                children=move |id| view! { <Person id /> }
            />
            <p class="actions">
                <button type="button" on:click=add disabled=move || !ed.editable.get()>"Thêm người"</button>
                <Show when=move || !people.get().is_empty()>
                    <button type="button" on:click=derive disabled=move || !ed.editable.get()>"Tính nguồn theo danh sách"</button>
                </Show>
            </p>
        </Section>
    }
}

#[component]
fn Person(id: Uuid) -> impl IntoView {
    let ed = editor();
    let person = Memo::new(move |_| {
        ed.working
            .with(|d| d.roster.0.get(&id).cloned().unwrap_or_default())
    });
    let base = format!("roster.{id}");
    let path = move |field: &str| format!("{base}.{field}");
    let select = move |field: String, value: Option<String>| {
        ed.set(&field, value.map_or(Value::Null, Value::String));
    };
    let (p_name, p_birth, p_sex, p_eth, p_rel, p_occ, p_stage, p_year) = (
        path("full_name"),
        path("birth_year"),
        path("sex"),
        path("ethnicity"),
        path("religion"),
        path("occupation"),
        path("stage"),
        path("expected_admission_year"),
    );
    let remove_path = format!("roster.{id}");
    let messages = Memo::new(move |_| {
        let prefix = format!("roster.{id}.");
        ed.report.with(|r| {
            r.findings
                .iter()
                .filter(|f| f.path.starts_with(&prefix))
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <fieldset class="person" disabled=move || !ed.editable.get()>
            <legend>{move || { let n = person.get().full_name; if n.trim().is_empty() { "Người mới".to_owned() } else { n } }}</legend>
            <label>"Họ và tên"
                <RosterInput path=p_name.clone() />
            </label>
            <label>"Năm sinh"
                <RosterInput path=p_birth.clone() kind=FieldKind::Count />
            </label>
            <label>"Giới tính"
                <select on:change={ let p = p_sex.clone(); move |ev| { let v = event_target_value(&ev); select(p.clone(), (!v.is_empty()).then_some(v)) } }
                    prop:value=move || person.get().sex.map(|s| s.code()).unwrap_or_default()>
                    <option value="">"—"</option>
                    {Sex::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Dân tộc"
                <RosterInput path=p_eth.clone() />
            </label>
            <label>"Tôn giáo"
                <RosterInput path=p_rel.clone() />
            </label>
            <label>"Nghề nghiệp"
                <select on:change={ let p = p_occ.clone(); move |ev| { let v = event_target_value(&ev); select(p.clone(), (!v.is_empty()).then_some(v)) } }
                    prop:value=move || person.get().occupation.map(|o| o.code()).unwrap_or_default()>
                    <option value="">"—"</option>
                    {Occupation::ALL.iter().map(|o| view! { <option value=o.code()>{o.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Tiến độ"
                <select on:change={ let p = p_stage.clone(); move |ev| { let v = event_target_value(&ev); select(p.clone(), (!v.is_empty()).then_some(v)) } }
                    prop:value=move || person.get().stage.map(|s| s.code()).unwrap_or_default()>
                    {Stage::ALL.iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Năm dự kiến kết nạp"
                <RosterInput path=p_year.clone() kind=FieldKind::Count />
            </label>
            <button type="button" class="danger" on:click=move |_| ed.set(&remove_path, Value::Null)>"Xóa người này"</button>
            <For each=move || messages.get() key=|m| m.clone() children=|m| view! { <p class="field-error">{m}</p> } />
        </fieldset>
    }
}

/// Submitting: possible only without errors; works offline (sent at the next sync, with the
/// time the user pressed the button).
#[component]
fn Submit(plan_id: Uuid, status: Memo<PlanStatus>) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let blocked = Memo::new(move |_| ed.report.with(|r| r.errors().count()));
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
                    <h2 id="submit-title">{move || format!("Nộp kế hoạch cho {}?", OFFICE)}</h2>
                    <p>"Sau khi nộp, đơn vị không sửa được nữa cho đến khi Ban Tổ chức trả lại. Nếu đang mất mạng, kế hoạch được giữ trên máy và tự gửi lên khi có mạng, tính theo thời điểm bấm nộp."</p>
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

/// A decision pressed on this device that the server has not received yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    Submit,
    Review,
}

/// What the reviewer is about to do, waiting for confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Return,
    Approve,
}

/// The reviewing office, as users read it.
const OFFICE: &str = "Ban Tổ chức Huyện ủy";

/// The district's review: comments on the plan or on one of its fields, then return for
/// revision or approve. Queued like every change, so a reviewer on a weak link loses nothing.
#[component]
fn ReviewPanel(plan_id: Uuid, status: Memo<PlanStatus>, years: Memo<Vec<u16>>) -> impl IntoView {
    let ctx = ctx();
    let ed = editor();
    let drafts = RwSignal::new(Vec::<(Option<String>, String)>::new());
    let target = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    // Every field a remark can be about, grouped by section: each figure of every grid (year,
    // category, cell) included, so a remark shows next to exactly what it concerns.
    let targets = Memo::new(move |_| {
        let figures = |prefix: &str| -> Vec<String> {
            Figure::ALL
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
                        let label = describe(&p, Some(&doc));
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
                    for comment in comments {
                        d.queue(
                            plan_id,
                            Operation::Comment { comment },
                            Ctx::new_id(),
                            Ctx::now(),
                        );
                    }
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
        ctx.change(|d| {
            for comment in comments {
                d.queue(
                    plan_id,
                    Operation::Comment { comment },
                    Ctx::new_id(),
                    Ctx::now(),
                );
            }
        });
        drafts.set(Vec::new());
    };
    let can_return = move || matches!(status.get(), PlanStatus::Submitted | PlanStatus::Approved);
    let can_approve = move || status.get() == PlanStatus::Submitted;
    view! {
        <section class="review-panel" aria-labelledby="review-title" data-testid="review">
            <h2 id="review-title">"Ý kiến của Ban Tổ chức"</h2>
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
                        let label = path.as_deref().map_or_else(|| "Cả kế hoạch".to_owned(), |p| describe(p, None));
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

/// The plan's versions at each change of status, and what changed between two of them (by
/// default: since the last return). Asked of the server, so it needs the network.
#[component]
fn History(plan_id: Uuid, status: Memo<PlanStatus>) -> impl IntoView {
    use crate::domain::wire::{PlanDiff, VersionSummary};
    use crate::ui::api;
    use leptos::task::spawn_local;

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
                                                    <th scope="row">{describe(&c.path, Some(&ed.working.get_untracked()))}</th>
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

/// Admissions actually made, reported by the unit year by year — also after the plan is
/// approved, when the rest of the plan is frozen.
#[component]
fn Actuals(years: Memo<Vec<u16>>, is_unit: Memo<bool>) -> impl IntoView {
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
