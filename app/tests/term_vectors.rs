//! Runs the shared Term vectors (`tests/vectors/term.json`). The same file compiles natively
//! (`cargo test -p app`) and to WebAssembly (`wasm-bindgen-test-runner`, see
//! `scripts/test-all.sh`), which is how we know the browser and the server agree.

use app::domain::Term;
use serde::Deserialize;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    input: String,
    start: Option<u16>,
    end: Option<u16>,
    label: Option<String>,
    years: Option<Vec<u16>>,
    error: Option<String>,
}

const VECTORS: &str = include_str!("../../tests/vectors/term.json");

#[test]
fn term_parsing_matches_every_shared_vector() {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("tests/vectors/term.json parses");
    assert!(vectors.cases.len() >= 10, "the vector file lost its cases");
    for case in vectors.cases {
        let parsed = case.input.parse::<Term>();
        match (&case.error, parsed) {
            (Some(code), Err(err)) => assert_eq!(err.code(), code, "input {:?}", case.input),
            (Some(code), Ok(term)) => {
                panic!("input {:?}: expected {code}, got term {term}", case.input)
            }
            (None, Err(err)) => panic!("input {:?}: unexpected error {}", case.input, err.code()),
            (None, Ok(term)) => {
                assert_eq!(
                    Some(term.start_year()),
                    case.start,
                    "input {:?}",
                    case.input
                );
                assert_eq!(Some(term.end_year()), case.end, "input {:?}", case.input);
                assert_eq!(Some(term.to_string()), case.label, "input {:?}", case.input);
                assert_eq!(
                    Some(term.years().collect()),
                    case.years,
                    "input {:?}",
                    case.input
                );
            }
        }
    }
}
