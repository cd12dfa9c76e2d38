//! Runs the shared plan-rule vectors (`tests/vectors/plan_rules.json`) natively and, compiled
//! to WebAssembly, under `wasm-bindgen-test-runner`: the browser and the server run the same
//! rules and must produce the same findings for every case.

use std::collections::BTreeMap;

use app::domain::path;
use app::domain::{Campaign, Categories, PlanContext, PlanDocument, UnitProfile, validate};
use serde::Deserialize;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const VECTORS: &str = include_str!("../../tests/vectors/plan_rules.json");

#[derive(Deserialize)]
struct Vectors {
    campaign: Campaign,
    units: BTreeMap<String, UnitProfile>,
    bases: BTreeMap<String, Value>,
    /// Lists of categories a case's campaign may ask for instead of the first release's six.
    #[serde(default)]
    category_lists: BTreeMap<String, Categories>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    base: String,
    set: Vec<(String, Value)>,
    expect: Vec<Expected>,
    term_total_rule: Option<app::domain::TermTotalRule>,
    /// The name of the campaign's list in `category_lists`.
    categories: Option<String>,
    /// The coverage indicators the case's campaign asks for (none by default).
    #[serde(default)]
    coverage: Vec<app::domain::Indicator>,
}

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Expected {
    rule: String,
    path: String,
    severity: String,
}

/// `{"$repeat": "x", "times": 3}` → `"xxx"`, so long texts need not be spelled out.
fn expand(value: &Value) -> Value {
    if let (Some(Value::String(s)), Some(times)) = (
        value.get("$repeat"),
        value.get("times").and_then(Value::as_u64),
    ) {
        return Value::String(s.repeat(usize::try_from(times).unwrap_or(0)));
    }
    value.clone()
}

#[test]
fn plan_rules_match_every_shared_vector() {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("plan_rules.json parses");
    assert!(vectors.cases.len() >= 50, "the vector file lost its cases");
    let mut failures = Vec::new();
    for case in &vectors.cases {
        let mut doc = vectors.bases[&case.base].clone();
        for (field, value) in &case.set {
            path::set(&mut doc, field, expand(value))
                .unwrap_or_else(|e| panic!("{}: cannot set {field}: {e}", case.name));
        }
        let doc: PlanDocument = serde_json::from_value(doc)
            .unwrap_or_else(|e| panic!("{}: document does not parse: {e}", case.name));
        let mut campaign = vectors.campaign.clone();
        if let Some(rule) = case.term_total_rule {
            campaign.term_total_rule = rule;
        }
        if let Some(list) = &case.categories {
            campaign.categories = vectors.category_lists[list].clone();
        }
        campaign.coverage.clone_from(&case.coverage);
        let unit = &vectors.units[&case.base];
        let report = validate(
            &doc,
            PlanContext {
                campaign: &campaign,
                unit,
            },
        );
        let mut got: Vec<Expected> = report
            .findings
            .iter()
            .map(|f| Expected {
                rule: f.rule.code().to_owned(),
                path: f.path.clone(),
                severity: f.severity.code().to_owned(),
            })
            .collect();
        got.sort();
        let mut want = case.expect.clone();
        want.sort();
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", case.name));
        }
        for finding in &report.findings {
            assert!(
                !finding.message.is_empty() && finding.message.ends_with('.'),
                "{}: message of {} is not a sentence: {:?}",
                case.name,
                finding.rule.code(),
                finding.message
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_at_least_one_vector() {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("plan_rules.json parses");
    let covered: std::collections::BTreeSet<&str> = vectors
        .cases
        .iter()
        .flat_map(|c| c.expect.iter().map(|e| e.rule.as_str()))
        .collect();
    let missing: Vec<&str> = app::domain::Rule::ALL
        .iter()
        .map(|r| r.code())
        .filter(|code| !covered.contains(code))
        .collect();
    assert!(missing.is_empty(), "rules without a vector: {missing:?}");
}

#[test]
fn docs_rules_md_lists_every_rule_with_its_kind() {
    let doc = include_str!("../../docs/RULES.md");
    for rule in app::domain::Rule::ALL {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.code())))
            .unwrap_or_else(|| panic!("docs/RULES.md has no row for {}", rule.code()));
        let kind = match (rule.severity(), rule.blocks_saving()) {
            (app::domain::Severity::Error, true) => "| error, hard |",
            (app::domain::Severity::Error, false) => "| error |",
            (app::domain::Severity::Warning, _) => "| warning |",
        };
        assert!(
            row.contains(kind),
            "docs/RULES.md says {row:?} for {}",
            rule.code()
        );
    }
}
