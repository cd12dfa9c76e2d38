//! How long validating a large plan takes in WebAssembly (Node.js, through
//! `wasm-bindgen-test-runner`). It prints the figure for `docs/BENCHMARKS.md` and asserts
//! nothing about time — shared machines make timed assertions flaky — only that the plan is
//! the realistic, submittable one the native benchmark measures.
#![cfg(target_arch = "wasm32")]

use app::domain::{PlanContext, validate};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/large_plan.rs"]
mod large_plan;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date)]
    fn now() -> f64;
    #[wasm_bindgen(js_namespace = console)]
    fn log(text: &str);
}

#[wasm_bindgen_test]
fn validate_a_50_cell_plan_and_print_the_time() {
    let (doc, unit, campaign) = large_plan::fifty_cell_plan();
    let ctx = PlanContext {
        campaign: &campaign,
        unit: &unit,
    };
    assert!(validate(&doc, ctx).can_submit());
    let mut no_roster = doc.clone();
    no_roster.roster.0.clear();
    for (label, doc) in [
        ("50-cell plan", &no_roster),
        ("50-cell plan with 200-person roster", &doc),
    ] {
        // Warm up, then time enough runs for the millisecond clock to be precise.
        for _ in 0..20 {
            validate(doc, ctx);
        }
        let runs = 500;
        let start = now();
        for _ in 0..runs {
            validate(doc, ctx);
        }
        let micros = (now() - start) * 1000.0 / f64::from(runs);
        log(&format!(
            "wasm (Node.js): validate {label}: {micros:.1} µs per run"
        ));
    }
}
