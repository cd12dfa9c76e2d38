//! The optional roster of outstanding people (personal data), and working out the pool from it.

use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::outline::Part;
use crate::domain::plan::{Candidate, Figure, Occupation, Sex, Stage};
use crate::ui::pages::editor::sections::Section;
use crate::ui::platform::state::Ctx;
use crate::ui::widgets::fields::{FieldKind, RosterInput, editor};

/// The optional roster of outstanding people (personal data: kept on the device and sent only
/// to the unit's own district).
#[component]
pub(super) fn Roster(years: Memo<Vec<u16>>) -> impl IntoView {
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
        let derived = ed.categories.with_untracked(|categories| {
            ed.working
                .with_untracked(|d| d.roster_breakdown(year, categories))
        });
        // The total and the categories a roster tells; the others stay as typed.
        let told = std::iter::once(Figure::Total).chain(derived.by.keys().copied().map(Figure::Of));
        for f in told {
            let value = crate::domain::path::json_value(derived.get(f));
            ed.set(&format!("pool.{}", f.code()), value);
        }
    };
    let privacy = format!(
        "Thông tin cá nhân: chỉ đơn vị và {} xem được. Có danh sách thì có thể tính nguồn tự động.",
        super::office(ed.plan_id)
    );
    view! {
        <Section part=Part::Roster>
            <p class="hint">{privacy}</p>
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
