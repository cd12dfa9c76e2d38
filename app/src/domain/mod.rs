//! The domain of Tạo Nguồn, in plain Rust.
//!
//! Everything here must compile for `wasm32-unknown-unknown` and natively without feature
//! switches: the browser validates a plan offline with exactly the code the server runs.

pub mod achievement;
pub mod board;
pub mod campaign;
pub mod category;
mod coded;
pub mod count;
pub mod coverage;
pub mod device;
pub mod docnumber;
pub mod labels;
pub mod merge;
pub mod org;
pub mod outline;
pub mod path;
pub mod plan;
pub mod rules;
pub mod schedule;
#[cfg(feature = "openapi")]
mod schema;
pub mod sync;
pub mod term;
pub mod totals;
pub mod wire;
pub mod workflow;

pub use campaign::{Campaign, TermTotalRule};
pub use category::{Categories, Category};
pub use count::Count;
pub use coverage::{CoverageFigures, Indicator};
pub use org::{CommitteeKind, Role, Roles, UnitKind, UnitLevel, capacity};
pub use plan::{Breakdown, Figure, PlanDocument, PlanStatus};
pub use rules::{Finding, PlanContext, Report, Rule, Severity, UnitProfile, validate};
pub use term::{Term, TermError};
