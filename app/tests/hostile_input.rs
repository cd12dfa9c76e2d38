//! Hostile input against the code both sides share: the sync decoder (what the server reads
//! from any device) and the rules (which run on whatever document such a request carries).
//! Property-based: random bytes, random JSON, and valid requests and plans with random parts
//! replaced. The promise: an error or a result, never a panic; whatever decodes, encodes back
//! to the same thing. Native only (proptest does not target wasm32).
//!
//! `HOSTILE_CASES` sets the cases per property (default 1000; `test-all.sh --long` runs 10,000);
//! the total is printed.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/large_plan.rs"]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use app::domain::path;
use app::domain::sync::{Mutation, Operation, PullPage, PushRequest, PushResponse};
use app::domain::wire::NewCampaign;
use app::domain::{PlanContext, PlanDocument, validate};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

static CASES: AtomicUsize = AtomicUsize::new(0);

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Any JSON value, nested up to a few levels, with strings that include the usual suspects.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("'; DROP TABLE plan; --".to_owned()),
            Just("<script>alert(1)</script>".to_owned()),
            Just("=HYPERLINK(\"http://x\")".to_owned()),
            Just("\u{0}\u{202e}\u{feff}".to_owned()),
            Just("pool.total".to_owned()),
            Just("2022-02-15T00:00:00Z".to_owned()),
            Just("00000000-0000-0000-0000-000000000001".to_owned()),
            ".{0,40}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("edit".to_owned()),
                    Just("create".to_owned()),
                    Just("submit".to_owned()),
                    Just("changes".to_owned()),
                    Just("path".to_owned()),
                    Just("value".to_owned()),
                    Just("mutations".to_owned()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn valid_plan() -> PlanDocument {
    common::fifty_cell_plan().0
}

/// A valid push with one of each kind of operation.
fn valid_push() -> Value {
    let doc = valid_plan();
    json!({
        "protocol": 1,
        "device_id": "00000000-0000-0000-0000-00000000000d",
        "mutations": [
            {"id": "00000000-0000-0000-0000-000000000001", "plan_id": "00000000-0000-0000-0000-0000000000aa",
             "base_revision": 0, "created_at": "2022-02-01T08:00:00Z",
             "op": {"create": {"unit_id": "00000000-0000-0000-0000-0000000000bb",
                               "campaign_id": "00000000-0000-0000-0000-0000000000cc", "document": doc}}},
            {"id": "00000000-0000-0000-0000-000000000002", "plan_id": "00000000-0000-0000-0000-0000000000aa",
             "base_revision": 1, "created_at": "2022-02-01T08:01:00Z",
             "op": {"edit": {"changes": [{"path": "pool.total", "base": 40, "value": 41}]}}},
            {"id": "00000000-0000-0000-0000-000000000003", "plan_id": "00000000-0000-0000-0000-0000000000aa",
             "base_revision": 2, "created_at": "2022-02-01T08:02:00Z",
             "op": {"submit": {"submitted_at": "2022-02-01T08:02:00Z"}}},
            {"id": "00000000-0000-0000-0000-000000000004", "plan_id": "00000000-0000-0000-0000-0000000000aa",
             "base_revision": 3, "created_at": "2022-02-01T08:03:00Z",
             "op": {"return": {"comments": [{"id": "00000000-0000-0000-0000-000000000005", "path": null, "body": "Bổ sung"}]}}}
        ]
    })
}

/// Replaces the node at a random position of `value` (chosen by `pick`) with `with`.
fn replace_somewhere(value: &mut Value, mut pick: usize, with: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(m) => m.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, pick: &mut usize, with: &mut Option<Value>) {
        if *pick == 0 {
            if let Some(w) = with.take() {
                *v = w;
            }
            return;
        }
        *pick -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, pick, with)),
            Value::Object(m) => m.values_mut().for_each(|c| walk(c, pick, with)),
            _ => {}
        }
    }
    pick %= count(value);
    walk(value, &mut pick, &mut Some(with));
}

/// Decodes `json` as `T`; when it decodes, it must encode back to something that decodes to
/// the same value.
fn decodes_stably<T>(json: &Value) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    if let Ok(decoded) = serde_json::from_value::<T>(json.clone()) {
        let again: T = serde_json::to_value(&decoded)
            .and_then(serde_json::from_value)
            .map_err(|e| TestCaseError::fail(format!("re-decoding failed: {e}")))?;
        if again != decoded {
            // Show where they part: the values are large.
            let (one, two) = (
                serde_json::to_string(&decoded).unwrap_or_default(),
                serde_json::to_string(&again).unwrap_or_default(),
            );
            let at = one
                .bytes()
                .zip(two.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(one.len().min(two.len()));
            let window = |s: &str| {
                s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                    .unwrap_or("")
                    .to_owned()
            };
            return Err(TestCaseError::fail(format!(
                "not stable through a second round trip; input {}\nfirst:  …{}…\nsecond: …{}…",
                json.to_string().chars().take(300).collect::<String>(),
                window(&one),
                window(&two)
            )));
        }
    }
    Ok(())
}

fn count_case() {
    CASES.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn hostile_input_never_panics_the_shared_code() {
    // Random bytes: as sent by a broken proxy or a hostile client.
    runner()
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
            count_case();
            let _ = serde_json::from_slice::<PushRequest>(&bytes);
            let _ = serde_json::from_slice::<Mutation>(&bytes);
            let _ = serde_json::from_slice::<PlanDocument>(&bytes);
            let _ = serde_json::from_slice::<NewCampaign>(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("random bytes: {e}"));

    // Random JSON, shaped loosely like the protocol's.
    runner()
        .run(&any_json(), |json| {
            count_case();
            decodes_stably::<PushRequest>(&json)?;
            decodes_stably::<Operation>(&json)?;
            decodes_stably::<PushResponse>(&json)?;
            decodes_stably::<PullPage>(&json)?;
            if let Ok(doc) = serde_json::from_value::<PlanDocument>(json) {
                let (_, unit, campaign) = common::fifty_cell_plan();
                let _ = validate(
                    &doc,
                    PlanContext {
                        campaign: &campaign,
                        unit: &unit,
                    },
                );
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("random JSON: {e}"));

    // A valid push with one random part replaced.
    let push = valid_push();
    runner()
        .run(&(any::<usize>(), any_json()), |(pick, with)| {
            count_case();
            let mut json = push.clone();
            replace_somewhere(&mut json, pick, with);
            decodes_stably::<PushRequest>(&json)?;
            if let Ok(request) = serde_json::from_value::<PushRequest>(json) {
                for m in &request.mutations {
                    if let Operation::Create { document, .. } = &m.op {
                        let (_, unit, campaign) = common::fifty_cell_plan();
                        let _ = validate(
                            document,
                            PlanContext {
                                campaign: &campaign,
                                unit: &unit,
                            },
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("mutated push: {e}"));

    // A valid plan with one random field set to anything, as an edit would: either refused
    // cleanly, or a document the rules can judge.
    let (doc, unit, campaign) = common::fifty_cell_plan();
    let doc_json = path::json_value(&doc);
    let paths = prop_oneof![
        Just("pool.total".to_owned()),
        Just("targets.2023.women".to_owned()),
        Just("term_target".to_owned()),
        Just("sections.notes".to_owned()),
        Just("screening.members".to_owned()),
        Just("header.issued_on".to_owned()),
        Just("actuals.2022.total".to_owned()),
        Just("cells".to_owned()),
        Just("roster".to_owned()),
        "[a-z_]{1,10}(\\.[a-z0-9_]{1,10}){0,3}",
        ".{0,30}",
    ];
    runner()
        .run(&(paths, any_json()), |(field, value)| {
            count_case();
            let _ = path::get(&doc_json, &field);
            if let Ok(changed) = path::apply(&doc, [(field.as_str(), &value)]) {
                let report = validate(
                    &changed,
                    PlanContext {
                        campaign: &campaign,
                        unit: &unit,
                    },
                );
                // Whatever the rules say points at something the editor can show.
                for finding in &report.findings {
                    prop_assert!(!finding.message.is_empty(), "a finding without a message");
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("edited plan: {e}"));

    println!(
        "hostile input: {} generated cases, no panic, every decoded value round-trips",
        CASES.load(Ordering::Relaxed)
    );
}
