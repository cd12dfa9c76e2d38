//! Reusable components: drawn by the frame and the pages, built on the plumbing
//! (`crate::ui::platform`), never on a page.
//!
//! * [`chunk`] — a part of the app that arrives as a WebAssembly chunk of its own.
//! * [`fields`] — inputs and grids bound to a field path of the open plan.
//! * [`dialog`] — the modal dialog.
//! * [`gate`] — "log in first" and the route-to-plan gate of the pages about one plan.
//! * [`status`] — the sync bar, the user menu and the new-version banner.
//! * [`connectivity`] — the online/offline badge.
//! * [`nav`] — the main navigation.

pub mod chunk;
pub mod connectivity;
pub mod dialog;
pub mod fields;
pub mod gate;
pub mod nav;
pub mod status;
