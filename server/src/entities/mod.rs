//! sea-orm entities: one file per table, mirroring `migration/`. Declarations only — no
//! behaviour lives here; queries and rules are in the modules that use them.

pub mod org_unit;
pub mod user_account;
