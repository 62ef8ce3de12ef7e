//! Small pieces shared by several pages.

use leptos::prelude::*;

use crate::model::Viewer;

/// The hidden CSRF field every state-changing form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    let token = use_context::<Viewer>()
        .map(|viewer| viewer.csrf)
        .unwrap_or_default();
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// A labelled password input. Once its island is hydrated, a button lets the person see what
/// they typed (handy on a phone keyboard); without JavaScript the field works as a plain one.
#[component]
pub fn PasswordField(
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] minlength: Option<usize>,
) -> impl IntoView {
    let hint_id = format!("{id}-aide");
    let described_by = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <PasswordReveal>
                <input
                    id=id
                    name=id
                    type="password"
                    autocomplete=autocomplete
                    required=true
                    minlength=minlength
                    aria-describedby=described_by
                />
            </PasswordReveal>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

/// The island of a password field: the input is rendered by the server (its children); the
/// button that shows or hides the password exists only where it can work, once hydrated.
#[island]
fn PasswordReveal(children: Children) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    let (hydrated, set_hydrated) = signal(false);
    // Effects only run in the browser.
    Effect::new(move |_| set_hydrated.set(true));
    let row = NodeRef::<leptos::html::Div>::new();
    let toggle = move |_| {
        let shown = !visible.get_untracked();
        set_visible.set(shown);
        reveal(row, shown);
    };
    view! {
        <div class="password-row" node_ref=row>
            {children()}
            <Show when=move || hydrated.get()>
                <button
                    type="button"
                    class="reveal"
                    aria-pressed=move || if visible.get() { "true" } else { "false" }
                    on:click=toggle
                >
                    {move || if visible.get() { "Masquer" } else { "Afficher" }}
                </button>
            </Show>
        </div>
    }
}

/// Shows (`type="text"`) or hides the password of the field in `row`.
#[cfg(feature = "hydrate")]
fn reveal(row: NodeRef<leptos::html::Div>, shown: bool) {
    let input = row
        .get_untracked()
        .and_then(|row| row.query_selector("input").ok().flatten());
    if let Some(input) = input {
        let _ = input.set_attribute("type", if shown { "text" } else { "password" });
    }
}

#[cfg(not(feature = "hydrate"))]
fn reveal(_row: NodeRef<leptos::html::Div>, _shown: bool) {}

/// An error message bound to a form, announced to screen readers.
#[component]
pub fn FormError(error: Option<String>) -> impl IntoView {
    error.map(|error| view! { <p class="form-error" role="alert">{error}</p> })
}
