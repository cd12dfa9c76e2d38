//! The three-way merge of one device's field changes into the server's document.
//!
//! Each change carries the value the device last saw (`base`) and the value it wants. Against
//! the server's current value (`theirs`): the same as wanted → already so, nothing to write;
//! the same as the base → nobody else changed it, write it; anything else → another device
//! changed the field meanwhile: a conflict, with all three values, for the user to decide. The
//! device reasons about the same bases when it rebuilds its working copy
//! ([`crate::domain::device`]), so both ends share this vocabulary.

use serde_json::Value;

use crate::domain::path;
use crate::domain::sync::{FieldChange, FieldConflict};

/// The outcome of merging a list of changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMerge {
    /// Changes to write, in order: path and new value.
    pub write: Vec<(String, Value)>,
    /// Every path that ends as the device wanted (written now or already so).
    pub applied: Vec<String>,
    /// Paths another device changed meanwhile.
    pub conflicts: Vec<FieldConflict>,
}

/// Merges `changes` into the document whose JSON is `current`.
pub fn merge_changes(current: &Value, changes: &[FieldChange]) -> FieldMerge {
    let mut out = FieldMerge::default();
    for change in changes {
        let theirs = path::get(current, &change.path);
        if theirs == change.value {
            // Already so on the server (the same edit from another device): nothing to do.
            out.applied.push(change.path.clone());
        } else if theirs == change.base {
            out.write.push((change.path.clone(), change.value.clone()));
            out.applied.push(change.path.clone());
        } else {
            out.conflicts.push(FieldConflict {
                path: change.path.clone(),
                base: change.base.clone(),
                mine: change.value.clone(),
                theirs,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;

    use super::*;

    fn change(path: &str, base: Value, value: Value) -> FieldChange {
        FieldChange {
            path: path.into(),
            base,
            value,
        }
    }

    #[test]
    fn unchanged_on_the_server_is_written_already_so_is_kept_changed_meanwhile_conflicts() {
        let current = json!({"pool": {"total": 7, "women": 3}, "sections": {"notes": "cũ"}});
        let merged = merge_changes(
            &current,
            &[
                change("pool.total", json!(7), json!(9)),
                change("pool.women", json!(2), json!(3)),
                change("sections.notes", json!("gốc"), json!("của tôi")),
            ],
        );
        assert_eq!(merged.write, [("pool.total".to_owned(), json!(9))]);
        assert_eq!(merged.applied, ["pool.total", "pool.women"]);
        assert_eq!(
            merged.conflicts,
            [FieldConflict {
                path: "sections.notes".into(),
                base: json!("gốc"),
                mine: json!("của tôi"),
                theirs: json!("cũ"),
            }]
        );
    }

    #[test]
    fn a_field_the_server_never_had_is_null_there() {
        let merged = merge_changes(
            &json!({}),
            &[change("header.place", Value::Null, json!("Bảo Lâm"))],
        );
        assert_eq!(merged.write.len(), 1);
        assert!(merged.conflicts.is_empty());
    }
}
