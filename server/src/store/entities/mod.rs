//! sea-orm entities: one file per table, mirroring `migration/`. Declarations only — no
//! behaviour lives here; queries and rules are in the modules that use them.

pub mod applied_mutation;
pub mod audit_log;
pub mod campaign;
pub mod campaign_unit;
pub mod org_unit;
pub mod plan;
pub mod plan_comment;
pub mod plan_version;
pub mod review_event;
pub mod sync_counter;
pub mod user_account;
pub mod user_session;
