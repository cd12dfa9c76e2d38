//! The Tạo Nguồn server: serves the app shell and its hashed assets, the health check and
//! the JSON API, on SQLite (default) or PostgreSQL.
//!
//! Layers, each importing only those below it:
//! - [`cli`] (the entry: commands, serving) and [`http`] (routes, extractors, handlers, the
//!   API's error enum and document);
//! - plain modules: [`accounts`], [`sessions`], [`password`], [`throttle`], [`shell`],
//!   [`export`], [`import`], [`seed`], [`config`], [`state`];
//! - [`store`]: the database, its entities, row mappers, the change sequence, the audit log.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests exercise the server
//! without opening a socket; `main.rs` only parses the command line.

pub mod accounts;
pub mod cli;
pub mod config;
pub mod export;
pub mod http;
pub mod import;
pub mod password;
pub mod seed;
pub mod seed_2025;
pub mod sessions;
pub mod shell;
pub mod state;
pub mod store;
pub mod throttle;

pub use http::routes::app;
pub use state::AppState;
