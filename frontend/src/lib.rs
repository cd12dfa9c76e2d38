//! The WebAssembly entry point. Built by `scripts/build-client.sh`; everything else lives in
//! the `app` crate.

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs once when the shell's module script initialises the WebAssembly module.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    app::mount();
}
