//! The district Organisation Board's screens: the submission board and the district totals of
//! a campaign.
//!
//! Both are computed on the device from the plans and units it has pulled, with the same pure
//! functions the server uses for its API and exports (`domain::board`, `domain::totals`): they
//! open instantly, work on a weak link or none, and agree with the downloaded files.

use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

use crate::domain::achievement::{self, Period, Weights};
use crate::domain::board::{self, Board, BoardRow, BoardStatus, PlanFacts, UnitFacts};
use crate::domain::labels;
use crate::domain::totals::{self, Figures, Include, Totals};
use crate::domain::wire::NewCampaign;
use crate::domain::{
    Campaign, Figure, PlanDocument, Role, Term, TermTotalRule, UnitKind, UnitLevel,
};
use crate::ui::state::{Ctx, ctx};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Board,
    Totals,
    Achievement,
}

/// `/tong-hop`: the district's page.
#[component]
pub fn DistrictPage() -> impl IntoView {
    let ctx = ctx();
    let is_reviewer = move || {
        ctx.me
            .get()
            .is_some_and(|m| m.role == Role::DistrictReviewer)
    };
    view! {
        <Show
            when=is_reviewer
            fallback=|| {
                view! {
                    <section class="page">
                        <h1>"Tổng hợp của huyện"</h1>
                        <p>"Trang này dành cho Ban Tổ chức Huyện ủy. Hãy đăng nhập bằng tài khoản của Ban Tổ chức."</p>
                    </section>
                }
            }
        >
            <DistrictScreens />
        </Show>
    }
}

#[component]
fn DistrictScreens() -> impl IntoView {
    let ctx = ctx();
    let campaigns = Memo::new(move |_| ctx.campaigns());
    let chosen = RwSignal::new(None::<Uuid>);
    let campaign = Memo::new(move |_| {
        let list = campaigns.get();
        chosen
            .get()
            .and_then(|id| list.iter().find(|c| c.id == id).cloned())
            .or_else(|| list.first().cloned())
    });
    let tab = RwSignal::new(Tab::Board);
    let opening = RwSignal::new(false);
    view! {
        <section class="page district">
            <h1>"Tổng hợp của huyện"</h1>
            <Show
                when=move || opening.get()
                fallback=move || view! { <button type="button" class="new-campaign" on:click=move |_| opening.set(true)>"Mở đợt đăng ký mới"</button> }
            >
                <CampaignForm done=Callback::new(move |id: Option<Uuid>| {
                    opening.set(false);
                    if id.is_some() {
                        chosen.set(id);
                    }
                }) />
            </Show>
            <Show
                when=move || campaign.get().is_some()
                fallback=|| view! { <p class="hint">"Chưa có đợt đăng ký kế hoạch nào. Khi có mạng, ứng dụng sẽ tự tải về."</p> }
            >
                <div class="campaign-pick">
                    <label for="campaign">"Đợt đăng ký"</label>
                    <select
                        id="campaign"
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                        prop:value=move || campaign.get().map(|c| c.id.to_string()).unwrap_or_default()
                    >
                        {move || {
                            campaigns
                                .get()
                                .into_iter()
                                .map(|c| view! { <option value=c.id.to_string()>{format!("Công văn {} — {}", c.letter_number, c.title)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <p class="meta">
                        {move || campaign.get().map(|c| format!(
                            "Ngày {} · Nhiệm kỳ {} · Các năm {} · Hạn nộp {}",
                            labels::date(c.letter_date),
                            c.term,
                            c.years.iter().map(u16::to_string).collect::<Vec<_>>().join(", "),
                            labels::date(c.deadline),
                        ))}
                    </p>
                </div>
                <div class="tabs" role="tablist">
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Board).to_string() on:click=move |_| tab.set(Tab::Board)>
                        "Tình hình nộp"
                    </button>
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Totals).to_string() on:click=move |_| tab.set(Tab::Totals)>
                        "Số liệu tổng hợp"
                    </button>
                    <button type="button" role="tab" aria-selected=move || (tab.get() == Tab::Achievement).to_string() on:click=move |_| tab.set(Tab::Achievement)>
                        "Kết quả và xếp hạng"
                    </button>
                </div>
                {move || {
                    let Some(c) = campaign.get() else { return ().into_any() };
                    match tab.get() {
                        Tab::Board => view! { <BoardView campaign=c /> }.into_any(),
                        Tab::Totals => view! { <TotalsView campaign=c /> }.into_any(),
                        Tab::Achievement => view! { <AchievementView campaign=c /> }.into_any(),
                    }
                }}
            </Show>
        </section>
    }
}

/// The units a campaign concerns: the grassroots organisations of its district.
fn district_units(ctx: Ctx, district: Uuid) -> Vec<UnitFacts> {
    ctx.device.with(|d| {
        d.reference
            .units
            .values()
            .filter(|u| u.parent_id == Some(district) && u.level == UnitLevel::Grassroots)
            .map(|u| UnitFacts {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind,
                member_count: u.member_count,
                sort_order: u.sort_order,
            })
            .collect()
    })
}

pub(crate) fn compute_board(ctx: Ctx, campaign: &Campaign) -> Board {
    let units = district_units(ctx, campaign.district_id);
    let plans: Vec<PlanFacts> = ctx.device.with(|d| {
        d.plans
            .values()
            .filter(|p| p.campaign_id == campaign.id)
            .filter_map(|p| p.base.as_ref())
            .map(|b| PlanFacts {
                plan_id: b.id,
                unit_id: b.unit_id,
                status: b.status,
                submitted_at_device: b.submitted_at_device,
                received_at: b.received_at,
            })
            .collect()
    });
    board::build(campaign, &units, &plans, Ctx::now())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Order,
    Name,
    Status,
    Submitted,
    DaysLate,
}

#[component]
fn BoardView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let campaign_id = campaign.id;
    let board = Memo::new(move |_| compute_board(ctx, &campaign));
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

/// The server's version of each of the campaign's plans in a status `include` counts.
fn campaign_documents(
    ctx: Ctx,
    campaign_id: Uuid,
    include: Include,
) -> Vec<(Uuid, crate::domain::PlanStatus, PlanDocument)> {
    ctx.device.with(|d| {
        d.plans
            .values()
            .filter(|p| p.campaign_id == campaign_id)
            .filter_map(|p| p.base.as_ref())
            .filter(|b| include.counts(b.status))
            .map(|b| (b.unit_id, b.status, b.document.clone()))
            .collect()
    })
}

pub(crate) fn compute_totals(ctx: Ctx, campaign: &Campaign, include: Include) -> Totals {
    let units = district_units(ctx, campaign.district_id);
    let docs = campaign_documents(ctx, campaign.id, include);
    let inputs = totals::inputs(&docs);
    totals::compute(&campaign.years, &units, &inputs, include)
}

#[component]
fn TotalsView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let include = RwSignal::new(Include::Submitted);
    let years = campaign.years.clone();
    let campaign_id = campaign.id;
    let totals = Memo::new(move |_| compute_totals(ctx, &campaign, include.get()));
    let query = move || match include.get() {
        Include::Submitted => "",
        Include::Approved => "?include=approved",
        Include::EverSubmitted => "?include=ever_submitted",
    };
    let years_for_rows = years.clone();
    let group_rows = move || {
        let t = totals.get();
        let years = years_for_rows.clone();
        let mut rows = vec![("Toàn huyện".to_owned(), t.district.clone(), true)];
        rows.extend(
            t.by_kind
                .iter()
                .map(|(k, f)| (format!("Loại hình: {}", k.label()), f.clone(), false)),
        );
        rows.extend(
            t.by_unit
                .iter()
                .map(|u| (u.unit_name.clone(), u.figures.clone(), false)),
        );
        rows.into_iter()
            .map(|(name, f, strong)| {
                let year_cells = years
                    .iter()
                    .map(|y| view! { <td class="num">{f.targets.get(y).map_or(0, |s| s.total())}</td> })
                    .collect_view();
                view! {
                    <tr class:strong=strong>
                        <th scope="row">{name}</th>
                        <td class="num">{f.plans}"/"{f.units}</td>
                        <td class="num">{f.pool.total()}</td>
                        {year_cells}
                        <td class="num">{f.term_target.total()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let years_for_head = years.clone();
    let years_for_structure = years.clone();
    let years_for_chart = years;
    view! {
        <div class="totals">
            <div class="filters">
                <label>
                    "Tính các kế hoạch "
                    <select on:change=move |ev| include.set(if event_target_value(&ev) == "approved" { Include::Approved } else { Include::Submitted })>
                        <option value="submitted">"đã nộp và đã duyệt"</option>
                        <option value="approved">"đã duyệt"</option>
                    </select>
                </label>
                <span class="exports">
                    "Tải về: "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/totals.xlsx{}", query()) download>"Excel"</a>
                    " · "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/totals.csv{}", query()) download>"CSV"</a>
                    " · "
                    <A href=move || format!("/in/tong-hop/{campaign_id}{}", query())>"Bản in báo cáo"</A>
                </span>
            </div>
            <Guideline totals years=years_for_chart />
            <DistrictTarget campaign_id totals />
            <h2>"Theo cơ cấu (toàn huyện)"</h2>
            <div class="table-wrap" role="region" aria-label="Theo cơ cấu" tabindex="0">
                <table class="data" data-testid="totals-structure">
                    <thead>
                        <tr>
                            <th scope="col">"Cơ cấu"</th>
                            <th scope="col">"Nguồn hiện có"</th>
                            {years_for_structure.iter().map(|y| view! { <th scope="col">{format!("Chỉ tiêu {y}")}</th> }).collect_view()}
                            <th scope="col">"Cả nhiệm kỳ"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let t = totals.get();
                            Figure::ALL
                                .iter()
                                .map(|f| {
                                    let d = &t.district;
                                    view! {
                                        <tr>
                                            <th scope="row">{f.label()}</th>
                                            <td class="num">{d.pool.get(*f)}</td>
                                            {years_for_structure.iter().map(|y| view! { <td class="num">{d.targets.get(y).map_or(0, |s| s.get(*f))}</td> }).collect_view()}
                                            <td class="num">{d.term_target.get(*f)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <h2>"Theo loại hình và từng đơn vị"</h2>
            <div class="table-wrap" role="region" aria-label="Theo loại hình và từng đơn vị" tabindex="0">
                <table class="data" data-testid="totals-units">
                    <thead>
                        <tr>
                            <th scope="col">"Đơn vị / nhóm"</th>
                            <th scope="col">"Kế hoạch tính / đơn vị"</th>
                            <th scope="col">"Nguồn"</th>
                            {years_for_head.iter().map(|y| view! { <th scope="col">{format!("Chỉ tiêu {y}")}</th> }).collect_view()}
                            <th scope="col">"Cả nhiệm kỳ"</th>
                        </tr>
                    </thead>
                    <tbody>{group_rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// The yearly targets beside the national guideline (3–4 % of the members a year), as bars: a
/// picture tells at once which years fall short.
#[component]
fn Guideline(totals: Memo<Totals>, years: Vec<u16>) -> impl IntoView {
    view! {
        <section class="guideline" aria-label="So với định hướng 3–4 %">
            <h2>"Chỉ tiêu hằng năm so với định hướng 3–4 % đảng viên mới"</h2>
            {move || {
                let t = totals.get();
                let g = t.guideline;
                let Figures { targets, plans, units, .. } = &t.district;
                let scale = years
                    .iter()
                    .map(|y| targets.get(y).map_or(0, |s| s.total()))
                    .max()
                    .unwrap_or(0)
                    .max(g.yearly_high)
                    .max(1);
                // Widths go through the CSSOM (`style:`), which the CSP allows; a `style` attribute it
                // would block.
                let pct = move |v: u64| format!("{}%", v * 100 / scale);
                view! {
                    <p class="meta">
                        {format!(
                            "{} đảng viên của {} đơn vị: định hướng {}–{} người/năm. Đã tính {}/{} kế hoạch.",
                            labels::number(i64::try_from(g.members).unwrap_or(i64::MAX)),
                            units,
                            g.yearly_low,
                            g.yearly_high,
                            plans,
                            units,
                        )}
                    </p>
                    <ul class="bars">
                        {years
                            .iter()
                            .map(|y| {
                                let v = targets.get(y).map_or(0, |s| s.total());
                                let verdict = if v < g.yearly_low { "thấp hơn định hướng" } else if v > g.yearly_high { "cao hơn định hướng" } else { "trong định hướng" };
                                view! {
                                    <li>
                                        <span class="year">{format!("Năm {y}")}</span>
                                        <span class="bar-track">
                                            <span class="band" style:left=format!("{}%", g.yearly_low * 100 / scale) style:width=format!("{}%", (g.yearly_high - g.yearly_low.min(g.yearly_high)) * 100 / scale)></span>
                                            <span class="bar" class:short=v < g.yearly_low style:width=pct(v)></span>
                                        </span>
                                        <span class="value">{format!("{v} ({verdict})")}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            }}
        </section>
    }
}

/// Opening a campaign: the letter's number and date, the term, the years asked for and the
/// deadline, checked by the same rules as the server before it is sent. It concerns every
/// grassroots organisation of the district. Needs the network (the server gives it its place
/// in everyone's sync); the id is made here, so sending twice opens it once.
#[component]
fn CampaignForm(done: Callback<Option<Uuid>>) -> impl IntoView {
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
    let busy = RwSignal::new(false);
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
        let new = NewCampaign {
            id,
            letter_number: letter_number.get_untracked().trim().to_owned(),
            letter_date: letter,
            title: title.get_untracked().trim().to_owned(),
            term,
            years: chosen_years,
            deadline: due,
            term_total_rule: rule.get_untracked(),
        };
        // The shared rules first: the same messages the server would give.
        let district = ctx
            .me
            .get_untracked()
            .and_then(|m| m.unit_id)
            .unwrap_or_default();
        let check = Campaign {
            id,
            district_id: district,
            letter_number: new.letter_number.clone(),
            letter_date: new.letter_date,
            title: new.title.clone(),
            term,
            years: new.years.clone(),
            deadline: new.deadline,
            term_total_rule: new.term_total_rule,
        };
        errors.extend(check.problems().into_iter().map(|p| p.message));
        if !errors.is_empty() {
            problems.set(errors);
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = crate::ui::api::open_campaign(&new).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    problems.set(Vec::new());
                    crate::ui::sync::now(ctx);
                    done.run(Some(id));
                }
                Err(crate::ui::api::ApiError::Network) => problems.set(vec![
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
            <p class="hint">"Đợt đăng ký gửi tới tất cả tổ chức cơ sở đảng của huyện."</p>
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

/// Target against actual per unit and in total, and the emulation ranking with its formula.
#[component]
fn AchievementView(campaign: Campaign) -> impl IntoView {
    let ctx = ctx();
    let campaign_id = campaign.id;
    let years = campaign.years.clone();
    let period = RwSignal::new(Period::Term);
    let weights = RwSignal::new(Weights::default());
    let result = Memo::new(move |_| {
        let board = compute_board(ctx, &campaign);
        let docs = campaign_documents(ctx, campaign.id, Include::EverSubmitted);
        let inputs = totals::inputs(&docs);
        achievement::compute(
            &board,
            &inputs,
            &campaign.years,
            period.get(),
            weights.get(),
        )
    });
    let query = move || {
        let w = weights.get();
        let p = match period.get() {
            Period::Term => "term".to_owned(),
            Period::Year(y) => y.to_string(),
        };
        format!(
            "?period={p}&w_time={}&w_target={}&w_structure={}",
            w.timeliness, w.target, w.structure
        )
    };
    let weight_input = move |label: &'static str,
                             get: fn(&Weights) -> u32,
                             set: fn(&mut Weights, u32)| {
        view! {
            <label>
                {label}
                " "
                <input type="number" min="0" max="100" class="weight"
                    prop:value=move || get(&weights.get()).to_string()
                    on:input=move |ev| {
                        let v = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0).min(100);
                        weights.update(|w| set(w, v));
                    } />
            </label>
        }
    };
    view! {
        <div class="achievement">
            <div class="filters">
                <label>
                    "Kỳ "
                    <select on:change=move |ev| period.set(event_target_value(&ev).parse::<u16>().map_or(Period::Term, Period::Year))>
                        <option value="term">"Cả nhiệm kỳ"</option>
                        {years.iter().map(|y| view! { <option value=y.to_string()>{format!("Năm {y}")}</option> }).collect_view()}
                    </select>
                </label>
                {weight_input("Trọng số đúng hạn", |w| w.timeliness, |w, v| w.timeliness = v)}
                {weight_input("đạt chỉ tiêu", |w| w.target, |w, v| w.target = v)}
                {weight_input("đạt cơ cấu", |w| w.structure, |w, v| w.structure = v)}
                <span class="exports">
                    "Tải về: "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/achievement.xlsx{}", query()) download>"Excel"</a>
                    " · "
                    <a href=move || format!("/api/v1/campaigns/{campaign_id}/achievement.csv{}", query()) download>"CSV"</a>
                </span>
            </div>
            <p class="formula" data-testid="formula">
                {move || weights.get().problem().map_or_else(|| result.get().formula, str::to_owned)}
            </p>
            <p class="meta">{move || { let r = result.get(); format!("Toàn huyện: chỉ tiêu {}, đã kết nạp {}.", r.target.total(), r.actual.total()) }}</p>
            <div class="table-wrap" role="region" aria-label="Xếp hạng" tabindex="0">
                <table class="data" data-testid="ranking">
                    <thead>
                        <tr>
                            <th scope="col">"Hạng"</th>
                            <th scope="col">"Đơn vị"</th>
                            <th scope="col">"Kế hoạch"</th>
                            <th scope="col">"Chỉ tiêu"</th>
                            <th scope="col">"Đã kết nạp"</th>
                            <th scope="col">"Đúng hạn"</th>
                            <th scope="col">"Đạt chỉ tiêu"</th>
                            <th scope="col">"Đạt cơ cấu"</th>
                            <th scope="col">"Điểm"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || result.get().rows.into_iter().map(|r| view! {
                            <tr data-unit=r.unit_name.clone()>
                                <td class="num">{r.rank}</td>
                                <td>{r.unit_name.clone()}</td>
                                <td><span class=format!("status status-{}", r.status.code())>{r.status.label()}</span></td>
                                <td class="num">{r.target.total()}</td>
                                <td class="num">{r.actual.total()}</td>
                                <td class="num">{format!("{} %", r.timeliness)}</td>
                                <td class="num">{format!("{} %", r.target_rate)}</td>
                                <td class="num">{format!("{} %", r.structure_rate)}</td>
                                <td class="num score">{r.score.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// The district's own whole-term target (its Congress resolution) beside the units' plans, and
/// the form where the Board enters it (online: it is shared with every reviewer by sync).
#[component]
fn DistrictTarget(campaign_id: Uuid, totals: Memo<Totals>) -> impl IntoView {
    let ctx = ctx();
    let target = Memo::new(move |_| {
        ctx.device
            .with(|d| d.reference.district_targets.get(&campaign_id).cloned())
    });
    let editing = RwSignal::new(false);
    let inputs: Vec<RwSignal<String>> = Figure::ALL
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let inputs_for_open = inputs.clone();
    let open = move |_| {
        let current = target.get_untracked().unwrap_or_default();
        for (f, input) in Figure::ALL.iter().zip(&inputs_for_open) {
            input.set(current.get(*f).input_text());
        }
        editing.set(true);
    };
    let problems = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let inputs_for_save = inputs.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut breakdown = crate::domain::Breakdown::default();
        for (f, input) in Figure::ALL.iter().zip(&inputs_for_save) {
            *breakdown.get_mut(*f) = crate::domain::Count::parse_input(&input.get_untracked());
        }
        let local = totals::target_problems(&breakdown);
        if !local.is_empty() {
            problems.set(local.into_iter().map(|(_, m)| m).collect());
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = crate::ui::api::set_district_target(campaign_id, &breakdown).await;
            busy.set(false);
            match result {
                Ok(record) => {
                    ctx.device.update(|d| {
                        if let Some(t) = record.district_target {
                            d.reference.district_targets.insert(campaign_id, t);
                        }
                    });
                    problems.set(Vec::new());
                    editing.set(false);
                    crate::ui::sync::now(ctx);
                }
                Err(crate::ui::api::ApiError::Network) => problems.set(vec![
                    "Cần có mạng để lưu chỉ tiêu của huyện. Số liệu vẫn còn trên màn hình."
                        .to_owned(),
                ]),
                Err(e) => problems.set(vec![e.message()]),
            }
        });
    };
    view! {
        <section class="district-target" data-testid="district-target">
            <h2>"So với chỉ tiêu của Đảng bộ huyện (Nghị quyết Đại hội, cả nhiệm kỳ)"</h2>
            {move || match target.get() {
                None => view! { <p class="hint">"Chưa nhập chỉ tiêu của Đảng bộ huyện."</p> }.into_any(),
                Some(t) => {
                    let plans = totals.get().district.term_target;
                    view! {
                        <div class="table-wrap" role="region" aria-label="Chỉ tiêu của huyện" tabindex="0">
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">"Cơ cấu"</th>
                                    <th scope="col">"Nghị quyết Đại hội"</th>
                                    <th scope="col">"Tổng các kế hoạch"</th>
                                    <th scope="col">"Tỷ lệ"</th>
                                </tr></thead>
                                <tbody>
                                    {Figure::ALL.iter().map(|f| {
                                        let want = u64::from(t.get(*f).value().unwrap_or(0));
                                        let have = plans.get(*f);
                                        let rate = (have * 100).checked_div(want).map_or_else(|| "—".to_owned(), |r| format!("{r} %"));
                                        view! {
                                            <tr data-figure=f.code()>
                                                <th scope="row">{f.label()}</th>
                                                <td class="num">{want}</td>
                                                <td class="num">{have}</td>
                                                <td class="num">{rate}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
            <Show
                when=move || editing.get()
                fallback=move || view! { <button type="button" on:click=open.clone()>"Nhập chỉ tiêu của huyện"</button> }
            >
                <form class="target-form" on:submit=save.clone()>
                    <div class="fields">
                        {Figure::ALL.iter().zip(inputs.clone()).map(|(f, input)| {
                            let id = format!("dt-{}", f.code());
                            view! {
                                <div class="field">
                                    <label for=id.clone()>{f.label()}</label>
                                    <input id=id inputmode="numeric" maxlength="9" prop:value=input on:input=move |ev| input.set(event_target_value(&ev)) />
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <Show when=move || !problems.get().is_empty()>
                        <ul class="field-error" role="alert">{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </Show>
                    <button type="submit" class="primary" disabled=move || busy.get()>"Lưu chỉ tiêu"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Hủy"</button>
                </form>
            </Show>
        </section>
    }
}
