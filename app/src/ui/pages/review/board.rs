//! The submission board tab: one row per grassroots organisation with where its plan stands
//! against the deadline (timeliness judged by when the unit pressed submit on its device), the
//! counts by status (each a filter), filters by type and name, sortable columns, exports.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::domain::board::{self, BoardRow, BoardStatus};
use crate::domain::{Campaign, UnitKind, labels};
use crate::ui::platform::campaign_data;
use crate::ui::platform::state::{Ctx, ctx};

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Order,
    Name,
    Status,
    Submitted,
    DaysLate,
}

#[component]
pub(super) fn BoardView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let campaign_id = campaign.id;
    let board = Memo::new(move |_| {
        let units = campaign_data::asked_units(ctx, &campaign);
        let plans = campaign_data::plan_facts(ctx, campaign.id);
        board::build(&campaign, &units, &plans, Ctx::now())
    });
    let status_filter = RwSignal::new(None::<BoardStatus>);
    let kind_filter = RwSignal::new(None::<UnitKind>);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new((SortBy::Order, false));
    let rows = Memo::new(move |_| {
        let needle = search.get().to_lowercase();
        let mut rows: Vec<(usize, BoardRow)> = board
            .get()
            .rows
            .into_iter()
            .enumerate()
            .filter(|(_, r)| status_filter.get().is_none_or(|s| r.status == s))
            .filter(|(_, r)| kind_filter.get().is_none_or(|k| r.kind == Some(k)))
            .filter(|(_, r)| needle.is_empty() || r.unit_name.to_lowercase().contains(&needle))
            .collect();
        let (by, descending) = sort.get();
        match by {
            SortBy::Order => {}
            SortBy::Name => rows.sort_by(|a, b| a.1.unit_name.cmp(&b.1.unit_name)),
            SortBy::Status => rows.sort_by_key(|r| r.1.status),
            SortBy::Submitted => rows.sort_by_key(|r| r.1.submitted_at_device.or(r.1.received_at)),
            SortBy::DaysLate => rows.sort_by_key(|r| r.1.days_late),
        }
        if descending {
            rows.reverse();
        }
        rows
    });
    let sort_header = move |by: SortBy, label: &'static str| {
        let aria = move || match sort.get() {
            (b, false) if b == by => "ascending",
            (b, true) if b == by => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = (by, s.0 == by && !s.1))>
                    {label}
                </button>
            </th>
        }
    };
    view! {
        <div class="board">
            <ul class="counts" aria-label="Số đơn vị theo tình trạng">
                {move || {
                    board
                        .get()
                        .counts
                        .into_iter()
                        .map(|(status, n)| {
                            let pressed = move || (status_filter.get() == Some(status)).to_string();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class=format!("count status-{}", status.code())
                                        aria-pressed=pressed
                                        data-testid=format!("count-{}", status.code())
                                        on:click=move |_| status_filter.update(|f| *f = if *f == Some(status) { None } else { Some(status) })
                                    >
                                        <span class="n">{n}</span>
                                        <span class="label">{status.label()}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <div class="filters">
                <label>
                    "Loại hình "
                    <select on:change=move |ev| kind_filter.set(UnitKind::from_code(&event_target_value(&ev)))>
                        <option value="">"Tất cả"</option>
                        {UnitKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    "Tìm đơn vị "
                    <input type="search" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <span class="exports">
                    "Tải về: "
                    <a href=format!("/api/v1/campaigns/{campaign_id}/board.xlsx") download>"Excel"</a>
                    " · "
                    <a href=format!("/api/v1/campaigns/{campaign_id}/board.csv") download>"CSV"</a>
                    " · "
                    <button type="button" class="link" on:click=move |_| { let _ = window().print(); }>"In"</button>
                </span>
            </div>
            <p class="hint">
                {move || format!("Hạn nộp hết ngày {} (giờ Việt Nam). Kế hoạch bấm nộp trên máy trước hạn nhưng máy chủ nhận sau (do mất mạng) vẫn tính là đúng hạn.", labels::date(board.get().deadline))}
            </p>
            <div class="table-wrap" role="region" aria-label="Tình hình nộp" tabindex="0">
                <table class="data" data-testid="board">
                    <thead>
                        <tr>
                            {sort_header(SortBy::Order, "STT")}
                            {sort_header(SortBy::Name, "Đơn vị")}
                            <th scope="col">"Loại hình"</th>
                            {sort_header(SortBy::Status, "Tình trạng")}
                            {sort_header(SortBy::Submitted, "Bấm nộp (trên máy)")}
                            <th scope="col">"Máy chủ nhận"</th>
                            {sort_header(SortBy::DaysLate, "Số ngày trễ")}
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get()
                            key=|(i, r)| (*i, r.unit_id, r.status, r.days_late)
                            children=|(i, r)| {
                                let name = match r.plan_id {
                                    Some(id) => view! { <A href=format!("/ke-hoach/{id}")>{r.unit_name.clone()}</A> }.into_any(),
                                    None => view! { <span>{r.unit_name.clone()}</span> }.into_any(),
                                };
                                view! {
                                    <tr data-unit=r.unit_code.clone()>
                                        <td class="num">{i + 1}</td>
                                        <td>{name}</td>
                                        <td>{r.kind.map(|k| k.label()).unwrap_or_default()}</td>
                                        <td><span class=format!("status status-{}", r.status.code())>{r.status.label()}</span></td>
                                        <td>
                                            {r.submitted_at_device.map(labels::local_time).unwrap_or_default()}
                                            {r.received_after_deadline.then(|| view! { <span class="note">" (nộp khi mất mạng, trước hạn)"</span> })}
                                        </td>
                                        <td>{r.received_at.map(labels::local_time).unwrap_or_default()}</td>
                                        <td class="num">{(r.days_late > 0).then(|| r.days_late.to_string())}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </div>
    }
}
