//! Opening a campaign ("Mở đợt đăng ký mới"): the form, checked with the same rules as the
//! server, then sent to it (online only).

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::wire::NewCampaign;
use crate::domain::{
    Campaign, Categories, Category, Indicator, Term, TermTotalRule, campaign, category, coverage,
    labels,
};
use crate::ui::platform::api::{self, ApiError};
use crate::ui::platform::state::{Ctx, ctx};
use crate::ui::platform::sync;

/// Opening a campaign: the letter's number and date, the term, the years asked for and the
/// deadline, the structure categories its plans break down by (the catalogue, and the
/// committee's own), and the units directly under the reviewer's unit that are asked (all at first: the
/// letter asks only those that still have a pool of outstanding people, so the office unticks
/// the others), checked by the same rules as the server before it is sent. Needs the network (the server gives it its place
/// in everyone's sync); the id is made here, so sending twice opens it once.
#[component]
pub(super) fn CampaignForm(done: Callback<Option<Uuid>>) -> impl IntoView {
    let ctx = ctx();
    let id = Ctx::new_id();
    let today = Ctx::now().date_naive();
    let letter_number = RwSignal::new(String::new());
    // Dates typed day first (dd/mm/yyyy), whatever the browser's language.
    let letter_date = RwSignal::new(labels::date(today));
    let title = RwSignal::new(String::new());
    let term_start = RwSignal::new(String::from("2025"));
    let term_end = RwSignal::new(String::from("2030"));
    let years = RwSignal::new(Vec::<u16>::new());
    let deadline = RwSignal::new(String::new());
    let rule = RwSignal::new(TermTotalRule::AtLeast);
    let problems = RwSignal::new(Vec::<String>::new());
    // The units under the reviewer's unit, in its order; those unticked are not asked.
    let opener = ctx
        .me
        .get_untracked()
        .and_then(|m| m.unit_id)
        .unwrap_or_default();
    let under = Memo::new(move |_| {
        ctx.device.with(|d| {
            let mut list: Vec<(Uuid, String, i32)> = d
                .reference
                .units
                .values()
                .filter(|u| u.parent_id == Some(opener))
                .map(|u| (u.id, u.name.clone(), u.sort_order))
                .collect();
            list.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
            list
        })
    });
    let left_out = RwSignal::new(std::collections::BTreeSet::<Uuid>::new());
    // The structure categories asked, in the order they were ticked or added: the first
    // release's six at first (what letter 381-CV/HU asked), the committee's own after them.
    let categories = RwSignal::new(Categories::classic());
    let own_label = RwSignal::new(String::new());
    // The coverage indicators asked, in the catalogue's order, the number of hamlets first
    // whenever any is (it bounds the others).
    let indicators = RwSignal::new(Vec::<Indicator>::new());
    let toggle_indicator = move |indicator: Indicator| {
        indicators.update(|list| {
            if let Some(i) = list.iter().position(|x| *x == indicator) {
                // Unticking the last other indicator keeps the number of hamlets: the office
                // may ask for it alone, and unticks it itself.
                list.remove(i);
            } else {
                list.push(indicator);
            }
            *list = coverage::normalised(list);
        });
    };
    // Moves the category at `i` one place up (the order is the plans' column order), and says
    // where it went for screen readers.
    let moved = RwSignal::new(String::new());
    let raise = move |i: usize| {
        categories.update(|list| {
            if i > 0 && i < list.0.len() {
                list.0.swap(i - 1, i);
                moved.set(format!(
                    "«{}» ở vị trí {} trên {}.",
                    list.0[i - 1].label,
                    i,
                    list.0.len()
                ));
            }
        });
    };
    let busy = RwSignal::new(false);
    let toggle = move |entry: &'static category::Entry| {
        categories.update(|list| {
            if let Some(i) = list.0.iter().position(|c| c.code.as_str() == entry.code) {
                list.0.remove(i);
            } else if let Some(code) = category::Code::parse(entry.code) {
                list.0.push(Category {
                    code,
                    label: entry.label.to_owned(),
                });
            }
        });
    };
    let add_own = move || {
        let label = own_label.get_untracked().trim().to_owned();
        if label.is_empty() {
            return;
        }
        categories.update(|list| {
            list.0.push(Category {
                code: category::Code::custom(Ctx::new_id()),
                label,
            });
        });
        own_label.set(String::new());
    };
    let term = Memo::new(move |_| {
        let (a, b) = (
            term_start.get().trim().parse::<u16>().ok()?,
            term_end.get().trim().parse::<u16>().ok()?,
        );
        Term::new(a, b).ok()
    });
    let year_choices = move || {
        term.get()
            .map(|t| (t.start_year()..=t.end_year()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut errors = Vec::new();
        let read =
            |text: String| labels::parse_vn_date(&text).or_else(|| labels::parse_iso_date(&text));
        let letter = read(letter_date.get_untracked());
        let due = read(deadline.get_untracked());
        if letter.is_none() {
            errors.push(
                "Ngày công văn: chưa đúng ngày (ngày/tháng/năm, ví dụ 10/01/2026).".to_owned(),
            );
        }
        if due.is_none() {
            errors.push("Hạn nộp: chưa đúng ngày (ngày/tháng/năm, ví dụ 15/02/2026).".to_owned());
        }
        let Some(term) = term.get_untracked() else {
            errors.push("Nhiệm kỳ: năm đầu và năm cuối chưa hợp lệ (ví dụ 2025–2030).".to_owned());
            problems.set(errors);
            return;
        };
        let (Some(letter), Some(due)) = (letter, due) else {
            problems.set(errors);
            return;
        };
        let mut chosen_years = years.get_untracked();
        chosen_years.sort_unstable();
        let all_units: Vec<Uuid> = under.get_untracked().into_iter().map(|u| u.0).collect();
        let excluded = left_out.get_untracked();
        // None: every unit under the opener, as the server knows them (the device may not have
        // pulled a unit added since).
        let chosen_units = (!excluded.is_empty()).then(|| {
            all_units
                .iter()
                .filter(|u| !excluded.contains(u))
                .copied()
                .collect::<Vec<_>>()
        });
        if let Err(problem) = campaign::units_asked(chosen_units.as_deref(), &all_units) {
            errors.push(problem.message);
        }
        let new = NewCampaign {
            id,
            letter_number: letter_number.get_untracked().trim().to_owned(),
            letter_date: letter,
            title: title.get_untracked().trim().to_owned(),
            term,
            years: chosen_years,
            deadline: due,
            term_total_rule: rule.get_untracked(),
            units: chosen_units,
            categories: {
                let chosen = categories.get_untracked();
                (!chosen.is_classic()).then_some(chosen)
            },
            coverage: {
                let chosen = indicators.get_untracked();
                (!chosen.is_empty()).then_some(chosen)
            },
        };
        // The shared rules first: the same messages the server would give.
        let check = Campaign {
            id,
            opener_id: opener,
            letter_number: new.letter_number.clone(),
            letter_date: new.letter_date,
            title: new.title.clone(),
            term,
            years: new.years.clone(),
            deadline: new.deadline,
            term_total_rule: new.term_total_rule,
            categories: new.categories.clone().unwrap_or_default(),
            coverage: new.coverage.clone().unwrap_or_default(),
        };
        errors.extend(check.problems().into_iter().map(|p| p.message));
        if !errors.is_empty() {
            problems.set(errors);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::open_campaign(&new).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    problems.set(Vec::new());
                    sync::now(ctx);
                    done.run(Some(id));
                }
                Err(ApiError::Network) => problems.set(vec![
                    "Cần có mạng để mở đợt đăng ký. Thông tin vẫn còn trên màn hình; hãy thử lại khi có mạng.".to_owned(),
                ]),
                Err(e) => problems.set(vec![e.message()]),
            }
        });
    };
    let input = |signal: RwSignal<String>| move |ev| signal.set(event_target_value(&ev));
    view! {
        <form class="campaign-form" on:submit=submit data-testid="campaign-form" novalidate>
            <h2>"Mở đợt đăng ký kế hoạch"</h2>
            <div class="fields">
                <div class="field"><label for="c-number">"Số hiệu công văn"</label>
                    <p class="hint">"Ví dụ: 381-CV/HU"</p>
                    <input id="c-number" maxlength="40" prop:value=letter_number on:input=input(letter_number) /></div>
                <div class="field"><label for="c-date">"Ngày công văn"</label>
                    <p class="hint">"Ngày/tháng/năm"</p>
                    <input id="c-date" maxlength="10" prop:value=letter_date on:input=input(letter_date) /></div>
                <div class="field"><label for="c-title">"Tên đợt"</label>
                    <p class="hint">"Ví dụ: Kế hoạch tạo nguồn phát triển đảng viên năm 2026"</p>
                    <input id="c-title" maxlength="200" prop:value=title on:input=input(title) /></div>
                <div class="field"><label for="c-deadline">"Hạn nộp"</label>
                    <p class="hint">"Ngày/tháng/năm"</p>
                    <input id="c-deadline" maxlength="10" prop:value=deadline on:input=input(deadline) /></div>
                <div class="field"><label for="c-start">"Nhiệm kỳ từ năm"</label>
                    <input id="c-start" inputmode="numeric" maxlength="4" prop:value=term_start on:input=input(term_start) /></div>
                <div class="field"><label for="c-end">"đến năm"</label>
                    <input id="c-end" inputmode="numeric" maxlength="4" prop:value=term_end on:input=input(term_end) /></div>
            </div>
            <fieldset>
                <legend>"Các năm đăng ký chỉ tiêu"</legend>
                {move || year_choices().into_iter().map(|y| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || years.get().contains(&y)
                            on:change=move |_| years.update(|v| if let Some(i) = v.iter().position(|x| *x == y) { v.remove(i); } else { v.push(y); }) />
                        {y.to_string()}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field"><label for="c-rule">"Chỉ tiêu cả nhiệm kỳ"</label>
                <select id="c-rule" on:change=move |ev| rule.set(TermTotalRule::from_code(&event_target_value(&ev)).unwrap_or(TermTotalRule::AtLeast))>
                    {TermTotalRule::ALL.iter().map(|r| view! { <option value=r.code() selected=*r == TermTotalRule::AtLeast>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <fieldset class="asked-units" data-testid="campaign-units">
                <legend>{move || {
                    let all = under.get();
                    let asked = left_out.with(|out| all.iter().filter(|u| !out.contains(&u.0)).count());
                    format!("Giao kế hoạch cho ({asked} / {} đơn vị)", all.len())
                }}</legend>
                <p class="hint">"Bỏ chọn các đơn vị không còn quần chúng ưu tú trong diện tạo nguồn."</p>
                <div class="actions">
                    <button type="button" on:click=move |_| left_out.set(Default::default())>"Chọn tất cả"</button>
                    <button type="button" on:click=move |_| left_out.set(under.get_untracked().into_iter().map(|u| u.0).collect())>"Bỏ chọn tất cả"</button>
                </div>
                {move || under.get().into_iter().map(|(unit, name, _)| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || !left_out.get().contains(&unit)
                            on:change=move |_| left_out.update(|s| if !s.remove(&unit) { s.insert(unit); }) />
                        {name}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="asked-categories" data-testid="campaign-categories">
                <legend>{move || format!("Cơ cấu phân tích nguồn và chỉ tiêu ({} cơ cấu)", categories.with(Categories::len))}</legend>
                <p class="hint">"Các kế hoạch của đợt chia nguồn và chỉ tiêu theo những cơ cấu được chọn, theo thứ tự này."</p>
                {category::CATALOGUE.iter().map(|entry| {
                    let described = format!("c-cat-{}", entry.code);
                    view! {
                        <div class="category">
                            <label class="check">
                                <input type="checkbox" aria-describedby=described.clone()
                                    prop:checked=move || categories.with(|l| l.iter().any(|c| c.code.as_str() == entry.code))
                                    on:change=move |_| toggle(entry) />
                                {entry.label}
                            </label>
                            <small class="hint" id=described>{entry.description}</small>
                        </div>
                    }
                }).collect_view()}
                <For
                    each=move || categories.with(|l| l.iter().filter(|c| !c.code.in_catalogue()).cloned().collect::<Vec<_>>())
                    key=|c| c.code
                    children=move |c: Category| {
                        let code = c.code;
                        let remove = format!("Bỏ cơ cấu «{}»", c.label);
                        view! {
                            <p class="own-category" data-testid="own-category">
                                <span>{c.label}</span>
                                <button type="button" aria-label=remove on:click=move |_| categories.update(|l| l.0.retain(|x| x.code != code))>"Bỏ"</button>
                            </p>
                        }
                    }
                />
                <div class="field own-category-add">
                    <label for="c-own-category">"Thêm cơ cấu riêng của cấp ủy"</label>
                    <input id="c-own-category" maxlength="80" prop:value=own_label on:input=input(own_label)
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && !ev.is_composing() { ev.prevent_default(); add_own(); } />
                    <button type="button" on:click=move |_| add_own()>"Thêm"</button>
                </div>
                <div class="category-order" data-testid="category-order">
                    <p class="hint">"Thứ tự các cột trên biểu mẫu:"</p>
                    // Keyed by code: moving a category moves its row; the button just pressed gets
                    // the focus back once the row is in its new place (moving a node blurs it),
                    // so it can be pressed again.
                    <p class="visually-hidden" role="status">{move || moved.get()}</p>
                    <ol>
                        <For
                            each=move || categories.get().0
                            key=|c| c.code
                            children=move |c: Category| {
                                let code = c.code;
                                let at = move || categories.with(|l| l.0.iter().position(|x| x.code == code));
                                let up = format!("Đưa «{}» lên trước", c.label);
                                let id = format!("c-order-{code}");
                                let refocus = id.clone();
                                view! {
                                    <li>
                                        <span>{c.label}</span>
                                        <button type="button" id=id aria-label=up disabled=move || at() == Some(0)
                                            on:click=move |_| {
                                                if let Some(i) = at() {
                                                    raise(i);
                                                    let refocus = refocus.clone();
                                                    gloo::timers::callback::Timeout::new(0, move || {
                                                        use wasm_bindgen::JsCast;
                                                        if let Some(el) = document()
                                                            .get_element_by_id(&refocus)
                                                            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                                                        {
                                                            let _ = el.focus();
                                                        }
                                                    })
                                                    .forget();
                                                }
                                            }>"↑"</button>
                                    </li>
                                }
                            }
                        />
                    </ol>
                </div>
            </fieldset>
            <fieldset class="asked-coverage" data-testid="campaign-coverage">
                <legend>{move || format!("Chỉ số độ phủ tổ chức đảng ({} chỉ số)", indicators.with(Vec::len))}</legend>
                <p class="hint">"Cho vùng đồng bào dân tộc thiểu số, vùng sâu, vùng xa: mỗi kế hoạch ghi số hiện nay và số phấn đấu đến cuối nhiệm kỳ. Không chọn nếu đợt không hỏi."</p>
                {Indicator::ALL.iter().copied().map(|indicator| {
                    let described = format!("c-cov-{}", indicator.code());
                    // The number of hamlets stays while another indicator is asked.
                    let locked = move || indicator == Indicator::Hamlets && indicators.with(|l| l.len() > 1);
                    view! {
                        <div class="category">
                            <label class="check">
                                <input type="checkbox" aria-describedby=described.clone()
                                    prop:checked=move || indicators.with(|l| l.contains(&indicator))
                                    prop:disabled=locked
                                    on:change=move |_| toggle_indicator(indicator) />
                                {indicator.label()}
                            </label>
                            <small class="hint" id=described>{indicator.description()}</small>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Show when=move || !problems.get().is_empty()>
                <ul class="field-error" role="alert">
                    {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>{move || if busy.get() { "Đang mở…" } else { "Mở đợt đăng ký" }}</button>
                <button type="button" on:click=move |_| done.run(None)>"Hủy"</button>
            </div>
        </form>
    }
}
