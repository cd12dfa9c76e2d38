//! `/quan-tri`: where an administrator lands. The accounts of the district, as the server lists
//! them (so it needs the network), and how to add or reset one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::domain::Role;
use crate::ui::platform::api::{self, Account};
use crate::ui::platform::state::ctx;
use crate::ui::widgets::chunk::{Chunk, Loaded};
use crate::ui::widgets::gate::{NeedsLogin, for_role};

/// What an account may do, in words: its roles, a reviewer's with the office it reviews as
/// ("Thẩm định kế hoạch của cấp dưới (Ban Tổ chức Huyện ủy)").
fn roles_text(codes: &[String], office: Option<String>) -> String {
    codes
        .iter()
        .map(|code| match Role::from_code(code) {
            Some(Role::Reviewer) => match &office {
                Some(office) => format!("{} ({office})", Role::Reviewer.label()),
                None => Role::Reviewer.label().to_owned(),
            },
            Some(role) => role.label().to_owned(),
            None => format!("Vai trò khác ({code})"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `/quan-tri`: the accounts, in the `admin` chunk (only an administrator's device needs it:
/// nobody else fetches it, even by following a link here).
#[component]
pub fn AdminPage() -> impl IntoView {
    for_role(Role::Administrator, "Quản trị tài khoản", || {
        view! { <Chunk load=accounts_page /> }.into_any()
    })
}

#[leptos::wasm_split::wasm_split(admin, wasm_split_path = leptos::wasm_split, fallible)]
fn accounts_page() -> Loaded {
    Ok(view! { <AccountsPage /> }.into_any())
}

#[component]
fn AccountsPage() -> impl IntoView {
    let ctx = ctx();
    let accounts = RwSignal::new(None::<Result<Vec<Account>, String>>);
    let load = move || {
        accounts.set(None);
        spawn_local(async move {
            let result = api::accounts().await.map_err(|e| e.message());
            accounts.set(Some(result));
        });
    };
    load();
    let unit_name = move |id: Option<Uuid>| {
        id.and_then(|id| {
            ctx.device
                .with(|d| d.reference.units.get(&id).map(|u| u.name.clone()))
        })
        .unwrap_or_default()
    };
    let office_of = move |id: Option<Uuid>| {
        id.and_then(|id| {
            ctx.device
                .with(|d| d.reference.units.get(&id).map(|u| u.office()))
        })
    };
    view! {
        <Show when=move || ctx.me.get().is_some() fallback=NeedsLogin>
            <section class="page">
                <h1>"Quản trị tài khoản"</h1>
                <p class="hint">
                    "Tạo tài khoản mới hoặc đặt lại mật khẩu bằng lệnh trên máy chủ: "
                    <code>"tao-nguon create-user"</code>" và "<code>"tao-nguon reset-password"</code>
                    " (xem README), hoặc qua API "<code>"/api/v1/admin/users"</code>"."
                </p>
                {move || match accounts.get() {
                    None => view! { <p class="hint">"Đang tải danh sách tài khoản…"</p> }.into_any(),
                    Some(Err(message)) => view! {
                        <p class="field-error" role="alert">{message}</p>
                        <button type="button" on:click=move |_| load()>"Thử lại"</button>
                    }.into_any(),
                    Some(Ok(list)) => view! {
                        <div class="table-wrap" role="region" aria-label="Tài khoản" tabindex="0">
                            <table class="data" data-testid="accounts">
                                <thead><tr>
                                    <th scope="col">"Tên đăng nhập"</th>
                                    <th scope="col">"Họ tên"</th>
                                    <th scope="col">"Vai trò"</th>
                                    <th scope="col">"Đơn vị"</th>
                                    <th scope="col">"Trạng thái"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr>
                                            <td>{a.username}</td>
                                            <td>{a.display_name}</td>
                                            // Followed, not read once: a first login's
                                            // device is still pulling the units.
                                            <td>{move || roles_text(&a.roles, office_of(a.unit_id))}</td>
                                            <td>{move || unit_name(a.unit_id)}</td>
                                            <td>{if a.disabled { "Đã khóa" } else { "Đang dùng" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </section>
        </Show>
    }
}
