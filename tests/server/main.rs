//! Server integration tests: the whole router, called without a socket, on SQLite and (when
//! `TEST_DATABASE_URL` is set) PostgreSQL.

mod admin;
mod auth;
mod categories;
mod coverage;
mod district;
mod foundation;
mod hostile;
mod level_permissions;
mod levels;
mod openapi;
mod permissions;
mod sync;
mod upgrade;
