//! The domain of Tạo Nguồn, in plain Rust.
//!
//! Everything here must compile for `wasm32-unknown-unknown` and natively without feature
//! switches: the browser validates a plan offline with exactly the code the server runs.

pub mod org;
pub mod term;
pub mod wire;

pub use org::{Role, UnitKind, UnitLevel};
pub use term::{Term, TermError};
