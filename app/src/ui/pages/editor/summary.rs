//! The findings of the whole plan at the top of the editor: errors and warnings of the shared
//! rules, each a link that puts the cursor in its field.

use leptos::prelude::*;

use crate::domain::labels::describe;
use crate::domain::outline::Part;
use crate::domain::rules::Severity;
use crate::ui::widgets::fields::{editor, field_id, focus_field};

/// Errors and warnings of the whole plan, each linking to its field.
#[component]
pub(super) fn Summary() -> impl IntoView {
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
                    let label = ed
                        .categories
                        .with_untracked(|k| describe(&path, Some(doc), k));
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
