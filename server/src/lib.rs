//! The Tạo Nguồn server: serves the app shell and its hashed assets, the health check and
//! the JSON API, on SQLite (default) or PostgreSQL.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests exercise the server
//! without opening a socket; `main.rs` only parses the command line.

pub mod accounts;
mod admin;
pub mod api;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod cli;
pub mod config;
pub mod db;
mod district;
pub mod entities;
pub mod error;
pub mod export;
mod history;
mod http;
pub mod import;
mod openapi;
pub mod password;
pub mod seed;
pub mod shell;
pub mod state;
pub mod sync;
pub mod throttle;

pub use http::app;
pub use state::AppState;
