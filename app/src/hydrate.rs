//! Browser entry point: read the page data the server embedded and hydrate the same tree.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::layout::App;
use crate::model::PageData;
use crate::PAGE_DATA_ID;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let data = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(PAGE_DATA_ID))
        .and_then(|element| element.text_content())
        .and_then(|json| serde_json::from_str::<PageData>(&json).ok());
    // Without its data (static pages carry none) the page stays as the server rendered it,
    // fully usable.
    if let Some(data) = data.filter(|data| !data.body.is_static()) {
        leptos::mount::hydrate_body(move || view! { <App data=data/> });
        // Tells tests (and curious admins) that the page is interactive now.
        if let Some(root) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
        {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    }
}
