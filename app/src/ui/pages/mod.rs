//! The screens, one per route (a screen with parts of its own is a folder). Pages are built
//! from widgets (`crate::ui::widgets`) and the plumbing (`crate::ui::platform`); nothing below
//! them imports a page, and a page does not reach into another page's files.
//!
//! | route | page |
//! |---|---|
//! | `/` | `home` — where each user starts |
//! | `/dang-nhap` | `login` |
//! | `/ke-hoach` | `unit_plans` — the unit's campaigns and plans |
//! | `/ke-hoach/:id` | `editor` — the plan editor (and the district's review) |
//! | `/tong-hop` | `review` — the reviewing office's board, totals and ranking tabs |
//! | `/in/ke-hoach/:id`, `/in/tong-hop/:id` | `print` — the A4 documents |
//! | `/quan-tri` | `admin` — the accounts |
//! | anything else | `not_found` |

mod admin;
mod editor;
mod home;
mod login;
mod not_found;
mod print;
mod review;
mod unit_plans;

pub use admin::AdminPage;
pub use editor::PlanEditor;
pub use home::HomePage;
pub use login::{LoginPage, TakeLogins};
pub use not_found::NotFoundPage;
pub use print::{PrintPlanPage, PrintTotalsPage};
pub use review::ReviewPage;
pub use unit_plans::UnitPlanPage;
