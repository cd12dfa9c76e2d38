//! The plumbing under the screens: the shared state, the device's storage, the server, sync,
//! the session and the new-version switch. No drawing happens here, and nothing here imports
//! a page or a widget: pages → widgets → platform, never the other way.
//!
//! * [`state`] — [`state::Ctx`]: who is logged in, the device's data, sync status; every
//!   change to the device goes through it.
//! * [`store`] over [`idb`] — the device's data in IndexedDB, one database per user.
//! * [`api`] — `fetch` to the server's JSON API.
//! * [`sync`] — the engine that pushes the outbox and pulls, by itself.
//! * [`login_form`] — the shell's login form: when it shows, and the logins it makes.
//! * [`session`] — starting with a user (online or from the one remembered) and logging out.
//! * [`update`] — hearing that a new version is installed and switching to it.
//! * [`campaign_data`] — what the district's reports are computed from, read off the device.

pub mod api;
pub mod campaign_data;
pub mod idb;
pub mod login_form;
pub mod session;
pub mod state;
pub mod store;
pub mod sync;
pub mod update;
