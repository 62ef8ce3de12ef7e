//! The recipients' island: once hydrated, typing in the search field of the writing form
//! suggests the persons and groups one may write to (from `/api/v1/messages/recipients`), and
//! choosing one adds it, ticked, to the recipients. Without JavaScript the field and its
//! « Chercher » button work alone: the server lists the matches to tick.

use leptos::prelude::*;
use serde::Deserialize;

/// The id of the list of suggestions, which the search field names (`aria-controls`).
pub const SUGGESTIONS_ID: &str = "suggestions-destinataires";

/// A suggestion as the API gives it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub kind: String,
    pub label: String,
}

#[island]
pub fn RecipientPicker(children: Children) -> impl IntoView {
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let added = RwSignal::new(Vec::<Suggestion>::new());
    let root = NodeRef::<leptos::html::Div>::new();
    let choose = move |suggestion: Suggestion| {
        added.update(|added| {
            if !added.iter().any(|known| known.id == suggestion.id) {
                added.push(suggestion);
            }
        });
        suggestions.set(Vec::new());
        picking::clear_field(root);
    };
    view! {
        <div class="recipient-picker" node_ref=root on:input=move |ev| picking::typed(&ev, suggestions)>
            <div class="added">
                <For each=move || added.get() key=|suggestion| suggestion.id.clone() let:suggestion>
                    <p class="check">
                        <input type="checkbox" id=format!("ajoute-{}", suggestion.id) name="a" value=suggestion.id.clone() checked=true/>
                        <label for=format!("ajoute-{}", suggestion.id)>" "{suggestion.label.clone()}</label>
                    </p>
                </For>
            </div>
            {children()}
            <p class="visually-hidden" role="status">
                {move || match suggestions.with(Vec::len) {
                    0 => String::new(),
                    1 => "1 suggestion".to_owned(),
                    n => format!("{n} suggestions"),
                }}
            </p>
            <ul class="plain-list suggestions" id=SUGGESTIONS_ID>
                <For each=move || suggestions.get() key=|suggestion| suggestion.id.clone() let:suggestion>
                    <li>
                        <button type="button" class="suggestion" on:click={
                            let suggestion = suggestion.clone();
                            move |_| choose(suggestion.clone())
                        }>
                            {suggestion.label.clone()}
                            {(suggestion.kind == "group").then(|| view! { <span class="muted small">" · groupe"</span> })}
                        </button>
                    </li>
                </For>
            </ul>
        </div>
    }
}

/// On the server nothing happens: the form goes to the server itself.
#[cfg(not(feature = "hydrate"))]
mod picking {
    use leptos::prelude::*;

    use super::Suggestion;

    pub fn typed(_ev: &leptos::ev::Event, _suggestions: RwSignal<Vec<Suggestion>>) {}

    pub fn clear_field(_root: NodeRef<leptos::html::Div>) {}
}

#[cfg(feature = "hydrate")]
mod picking {
    use std::cell::Cell;
    use std::time::Duration;

    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::HtmlInputElement;

    use super::Suggestion;

    /// Pause after the last key before asking.
    const DEBOUNCE: Duration = Duration::from_millis(200);
    /// Suggestions start from this many letters.
    const MIN_LETTERS: usize = 2;

    thread_local! {
        /// Number of the latest request; an older answer is dropped.
        static LATEST: Cell<u64> = const { Cell::new(0) };
        static PENDING: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
    }

    pub fn typed(ev: &leptos::ev::Event, suggestions: RwSignal<Vec<Suggestion>>) {
        let Some(input) = ev
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
            .filter(|input| input.name() == "q")
        else {
            return;
        };
        if let Some(handle) = PENDING.with(Cell::take) {
            handle.clear();
        }
        let query = input.value();
        if query.trim().chars().count() < MIN_LETTERS {
            suggestions.set(Vec::new());
            return;
        }
        let handle = set_timeout_with_handle(move || ask(query, suggestions), DEBOUNCE).ok();
        PENDING.with(|pending| pending.set(handle));
    }

    fn ask(query: String, suggestions: RwSignal<Vec<Suggestion>>) {
        let number = LATEST.with(|latest| {
            latest.set(latest.get() + 1);
            latest.get()
        });
        spawn_local(async move {
            let encoded: String = js_sys_encode(&query);
            let found = fetch(&format!("/api/v1/messages/recipients?q={encoded}")).await;
            if LATEST.with(Cell::get) == number {
                // A failed request leaves the plain search, which still works.
                suggestions.set(found.unwrap_or_default());
            }
        });
    }

    fn js_sys_encode(text: &str) -> String {
        web_sys::UrlSearchParams::new_with_str("")
            .map(|params| {
                params.append("q", text);
                String::from(params.to_string())
                    .trim_start_matches("q=")
                    .to_owned()
            })
            .unwrap_or_default()
    }

    async fn fetch(url: &str) -> Option<Vec<Suggestion>> {
        let window = web_sys::window()?;
        let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
        let response = response.dyn_into::<web_sys::Response>().ok()?;
        if !response.ok() {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?).await.ok()?;
        serde_json::from_str(&text.as_string()?).ok()
    }

    /// Empties the search field once a suggestion is chosen, and gives it the focus back.
    pub fn clear_field(root: NodeRef<leptos::html::Div>) {
        let Some(root) = root.get_untracked() else {
            return;
        };
        let Ok(Some(field)) = root.query_selector("input[name=q]") else {
            return;
        };
        if let Ok(input) = field.dyn_into::<HtmlInputElement>() {
            input.set_value("");
            let _ = input.focus();
        }
    }
}
