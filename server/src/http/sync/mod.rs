//! The sync API (`docs/SYNC.md`): push mutations, pull changes.

pub mod pull;
pub mod push;
