//! Tạo Nguồn — the code the browser and the server share.
//!
//! * [`domain`] is plain Rust (serde, chrono, uuid): the plan model, its validation rules and
//!   the wire types. It has no framework import and no `cfg`, so the very same functions run in
//!   the browser (compiled to WebAssembly) and on the server, and are tested on both.
//! * `ui` (feature `csr`) is the Leptos client-side-rendered application mounted by the
//!   `frontend` crate.

pub mod domain;

#[cfg(feature = "csr")]
mod ui;

#[cfg(feature = "csr")]
pub use ui::{App, mount};
