//! Browser entry point. Pages are never hydrated as a whole: the boot script (written by
//! `server/build.rs`) calls [`hydrate`] once, then the function of each `<leptos-island>` of the
//! page, which makes that island alone interactive from the props it carries.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
