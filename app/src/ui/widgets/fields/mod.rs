//! Inputs bound to a field path of the open plan.
//!
//! Why it is built this way: a plan has up to several hundred inputs, and a keystroke must
//! reach the screen within a frame on a cheap phone. So nothing is rebuilt when the document
//! changes. Each field path has one signal holding its text and one holding its visible
//! messages, kept in a registry; a single effect per plan compares the document with the
//! registry after each change and sets only the signals whose text differs (usually none: the
//! field being typed in already shows its text). An input's DOM value is written only when it
//! differs from what the input shows, and never during an input method's composition (phone
//! keyboards and Telex compose a syllable before committing it; writing the value then would
//! commit every step as text).
//!
//! Every keystroke goes to the device at once (saved in IndexedDB before anything is drawn,
//! queued for sync); the shared rules' messages for a field show beside it once the user has
//! touched the field (or tried to submit), so a new plan does not open covered in red.
//!
//! * `registry` — [`EditorCtx`]: the open plan and its per-field signals.
//! * `bound` — the input bound to one path (values, composition, arrow keys in a grid).
//! * `inputs` — labelled fields built on it, with their messages and comments.
//! * `grid` — grids of breakdowns (seven figures a row) and their legend.
//! * `anchor` — a field's DOM id and links that move the focus to it.

mod anchor;
mod bound;
mod grid;
mod inputs;
mod registry;

pub use anchor::{field_id, focus_field};
pub use bound::FieldKind;
pub use grid::{BreakdownGrid, ComputedRow, GridLegend, GridRow, short};
pub use inputs::{CountField, DateField, RosterInput, TextArea, TextField};
pub use registry::{EditorCtx, editor, settled};
