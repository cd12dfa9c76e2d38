//! The HTTP layer: the route table, what handlers take from a request, the error every
//! handler answers with, the API document, and one module per resource. Nothing below this
//! layer (persistence, accounts, exports…) imports it.

pub mod admin;
pub mod auth;
pub mod campaigns;
pub mod download;
pub mod error;
pub mod extract;
pub mod history;
pub mod openapi;
pub mod overview;
pub mod pages;
pub mod routes;
pub mod sync;
