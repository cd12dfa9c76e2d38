//! The print views, laid out like a Vietnamese Party administrative document (A4): the issuing
//! body and "ĐẢNG CỘNG SẢN VIỆT NAM" side by side, the number and the place-and-date line, the
//! title, the body, the recipients and the signature block. Drawn from the data on the device,
//! so they print offline; the browser's "Save as PDF" gives the PDF.
//!
//! * `plan` — `/in/ke-hoach/:id`, one unit's plan;
//! * `totals` — `/in/tong-hop/:id`, the district's summary as a report of the Board.

mod plan;
mod totals;

use leptos::prelude::*;

use crate::domain::Role;
use crate::ui::widgets::chunk::{Chunk, Loaded};
use crate::ui::widgets::gate::{self, for_role};

/// `/in/ke-hoach/:id`: a unit's plan as a document, in the `editor` chunk with the editor.
#[component]
pub fn PrintPlanPage() -> impl IntoView {
    // Gated here, not only inside the chunk: a first visit's login form must stay, with nothing
    // above it, while the chunk would arrive.
    gate::logged_in(|| view! { <Chunk load=print_plan /> }.into_any())
}

#[leptos::wasm_split::wasm_split(editor, wasm_split_path = leptos::wasm_split, fallible)]
fn print_plan() -> Loaded {
    Ok(view! { <plan::PrintPlanPage /> }.into_any())
}

/// `/in/tong-hop/:id`: the reviewing office's report, in the `review` chunk (fetched only for a
/// reviewer: a link to it opened by anyone else says whose report it is).
#[component]
pub fn PrintTotalsPage() -> impl IntoView {
    for_role(Role::Reviewer, "Báo cáo tổng hợp", || {
        view! { <Chunk load=print_totals /> }.into_any()
    })
}

#[leptos::wasm_split::wasm_split(review, wasm_split_path = leptos::wasm_split, fallible)]
fn print_totals() -> Loaded {
    Ok(view! { <totals::PrintTotalsPage /> }.into_any())
}
