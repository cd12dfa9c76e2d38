//! Field paths into a plan document: how an edit names what it changes, how the server merges
//! two devices' edits field by field, and how a reviewer's comment points at a field.
//!
//! A path is the dot-separated route through the serialised document: `pool.women`,
//! `targets.2023.total`, `cells.<uuid>.targets.2023.youth_union`, `sections.solutions`,
//! `roster.<uuid>` (a whole roster entry). Keys of the keyed collections (`targets`, `cells`,
//! `roster`, and a cell's `targets`) are entries: setting one to `null` deletes it, and setting
//! a field inside a missing entry creates the entry.

use serde_json::{Map, Value};

use crate::domain::plan::PlanDocument;

/// Longest accepted path, in bytes: the deepest real path is well under 100.
pub const MAX_PATH_LEN: usize = 160;
/// Deepest accepted path, in segments (`cells.<id>.targets.<year>.total` has five).
pub const MAX_PATH_DEPTH: usize = 6;

/// The collections whose children are keyed entries.
const COLLECTIONS: [&str; 4] = ["targets", "cells", "roster", "actuals"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("đường dẫn trường rỗng hoặc quá dài")]
    BadSyntax,
    #[error("trường «{0}» không có trong kế hoạch")]
    NoSuchField(String),
    #[error("giá trị cho «{path}» không đúng kiểu: {reason}")]
    WrongShape { path: String, reason: String },
}

impl PathError {
    pub fn code(&self) -> &'static str {
        match self {
            PathError::BadSyntax => "path.syntax",
            PathError::NoSuchField(_) => "path.unknown_field",
            PathError::WrongShape { .. } => "path.wrong_shape",
        }
    }
}

/// A value as JSON. It goes through text on purpose: `serde_json::to_value`/`from_value`
/// would compile a second copy of every serialiser and deserialiser of the plan for the
/// `Value` format, which costs the browser build tens of kilobytes.
pub fn json_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

fn document_from(value: &Value) -> Result<PlanDocument, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

/// Checks a path's syntax (length, depth, no empty segment) without a document.
///
/// # Errors
/// [`PathError::BadSyntax`].
pub fn check(path: &str) -> Result<(), PathError> {
    segments(path).map(|_| ())
}

/// Splits and checks a path's syntax.
fn segments(path: &str) -> Result<Vec<&str>, PathError> {
    if path.is_empty() || path.len() > MAX_PATH_LEN {
        return Err(PathError::BadSyntax);
    }
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() > MAX_PATH_DEPTH || parts.iter().any(|s| s.is_empty()) {
        return Err(PathError::BadSyntax);
    }
    Ok(parts)
}

/// Whether `segments[i]` is the key of a keyed-collection entry.
fn is_entry_key(parts: &[&str], i: usize) -> bool {
    i > 0 && COLLECTIONS.contains(&parts[i - 1]) && (i == 1 || parts[0] == "cells")
}

/// The value at `path` of a serialised document, `Null` when absent.
pub fn get(doc: &Value, path: &str) -> Value {
    let mut node = doc;
    for part in path.split('.') {
        match node.get(part) {
            Some(child) => node = child,
            None => return Value::Null,
        }
    }
    node.clone()
}

/// Writes `value` at `path` of a serialised document. The result still has to be parsed back
/// into a [`PlanDocument`] to know its shape is right; [`apply`] does both.
///
/// # Errors
/// [`PathError`] when the path is malformed or runs through something that is not an object.
pub fn set(doc: &mut Value, path: &str, value: Value) -> Result<(), PathError> {
    let parts = segments(path)?;
    let last = parts.len() - 1;
    let mut node = doc;
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(map) = node else {
            return Err(PathError::NoSuchField(path.to_owned()));
        };
        if i == last {
            if value.is_null() && is_entry_key(&parts, i) {
                map.remove(*part);
            } else {
                map.insert((*part).to_owned(), value);
            }
            return Ok(());
        }
        // A field inside an entry that does not exist yet creates the entry. Missing objects
        // elsewhere are created too: parsing the result back refuses any field the document
        // does not have.
        node = map
            .entry((*part).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

/// Applies `(path, value)` writes to a document and parses the result back.
///
/// # Errors
/// [`PathError`] for a malformed path, a field the document does not have, or a value of the
/// wrong type (text where an object is expected, an unknown enum code…).
pub fn apply<'a>(
    doc: &PlanDocument,
    changes: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<PlanDocument, PathError> {
    let changes: Vec<(&str, &Value)> = changes.into_iter().collect();
    let original = json_value(doc);
    let mut value = original.clone();
    for (path, new) in &changes {
        set(&mut value, path, (*new).clone())?;
    }
    match document_from(&value) {
        Ok(doc) => Ok(doc),
        Err(err) => {
            // Name the change that broke the shape: retry each one alone (rare, so the cost
            // of re-parsing does not matter).
            let culprit = changes
                .iter()
                .find(|(path, new)| {
                    let mut single = original.clone();
                    set(&mut single, path, (*new).clone()).is_err()
                        || document_from(&single).is_err()
                })
                .map(|(path, _)| (*path).to_owned())
                .unwrap_or_default();
            let reason = err.to_string();
            if reason.starts_with("unknown field") {
                Err(PathError::NoSuchField(culprit))
            } else {
                Err(PathError::WrongShape {
                    path: culprit,
                    reason,
                })
            }
        }
    }
}

/// One difference between two documents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    pub path: String,
    pub old: Value,
    pub new: Value,
}

/// The field-level differences that turn `old` into `new`: leaves where both have a value,
/// whole entries where a keyed-collection entry was added or removed.
pub fn diff(old: &PlanDocument, new: &PlanDocument) -> Vec<Difference> {
    let (a, b) = (json_value(old), json_value(new));
    let mut out = Vec::new();
    diff_values(&a, &b, &mut Vec::new(), &mut out);
    out
}

fn diff_values<'a>(a: &'a Value, b: &'a Value, at: &mut Vec<&'a str>, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            let keys: std::collections::BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
            for key in keys {
                at.push(key);
                match (ma.get(key), mb.get(key)) {
                    (Some(va), Some(vb)) => diff_values(va, vb, at, out),
                    (va, vb) => out.push(Difference {
                        path: at.join("."),
                        old: va.cloned().unwrap_or(Value::Null),
                        new: vb.cloned().unwrap_or(Value::Null),
                    }),
                }
                at.pop();
            }
        }
        _ if a == b => {}
        _ => out.push(Difference {
            path: at.join("."),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::domain::count::Count;

    #[test]
    fn a_leaf_is_set_and_read_back() {
        let doc = PlanDocument::blank(&[2022], &[], &crate::domain::Categories::classic());
        let new = apply(&doc, [("targets.2022.women", &json!(4))]).expect("apply");
        assert_eq!(new.targets[&2022].at("women"), &Count::Value(4));
        let value = serde_json::to_value(&new).expect("value");
        assert_eq!(get(&value, "targets.2022.women"), json!(4));
        assert_eq!(get(&value, "targets.2030.women"), Value::Null);
    }

    #[test]
    fn fields_inside_a_missing_entry_create_it_and_null_deletes_it() {
        let doc = PlanDocument::default();
        let cell = Uuid::from_u128(9);
        let path = format!("cells.{cell}.targets.2023.total");
        let new = apply(&doc, [(path.as_str(), &json!(2))]).expect("create");
        assert_eq!(new.cells[&cell].targets[&2023].total, Count::Value(2));
        let entry = format!("cells.{cell}");
        let gone = apply(&new, [(entry.as_str(), &Value::Null)]).expect("delete");
        assert!(gone.cells.is_empty());
    }

    #[test]
    fn unknown_fields_wrong_shapes_and_bad_syntax_are_errors() {
        let doc = PlanDocument::default();
        // A breakdown takes any well-formed category code (the rules refuse one the campaign
        // does not ask for, with its name); anything else is no field.
        let err = apply(&doc, [("pool.Nam giới", &json!(1))]).expect_err("no such field");
        assert_eq!(err.code(), "path.unknown_field");
        let err = apply(&doc, [("bogus.total", &json!(1))]).expect_err("no such section");
        assert_eq!(err.code(), "path.unknown_field");
        let err = apply(&doc, [("pool", &json!("text"))]).expect_err("wrong shape");
        assert_eq!(err.code(), "path.wrong_shape");
        let err = apply(&doc, [("targets.abc.total", &json!(1))]).expect_err("year key");
        assert_eq!(err.code(), "path.wrong_shape");
        for bad in ["", "pool..total", &"a.".repeat(100)] {
            assert_eq!(
                apply(&doc, [(bad, &json!(1))]).expect_err(bad).code(),
                "path.syntax"
            );
        }
        let err = apply(&doc, [("pool.total.deeper", &json!(1))]).expect_err("through a leaf");
        assert_eq!(err.code(), "path.unknown_field");
    }

    #[test]
    fn diff_then_apply_reproduces_the_new_document() {
        let cell = Uuid::from_u128(3);
        let old = PlanDocument::blank(
            &[2022, 2023],
            &[(cell, "Chi bộ thôn 1".into())],
            &crate::domain::Categories::classic(),
        );
        let mut new = old.clone();
        new.pool.total = Count::Value(12);
        new.sections.solutions = "Giải pháp".into();
        new.targets.remove(&2023);
        *new.cells
            .get_mut(&cell)
            .expect("cell")
            .pool
            .at_mut("women")
            .expect("women") = Count::Value(2);
        let changes = diff(&old, &new);
        let paths: Vec<&str> = changes.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                &format!("cells.{cell}.pool.women") as &str,
                "pool.total",
                "sections.solutions",
                "targets.2023",
            ]
        );
        let rebuilt =
            apply(&old, changes.iter().map(|d| (d.path.as_str(), &d.new))).expect("apply");
        assert_eq!(rebuilt, new);
    }
}
