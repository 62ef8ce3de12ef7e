//! Small pieces shared by several pages.

use leptos::prelude::*;

use crate::model::{SyncRun, Viewer};

/// The hidden CSRF field every state-changing form carries.
#[component]
pub fn CsrfField() -> impl IntoView {
    let token = use_context::<Viewer>()
        .map(|viewer| viewer.csrf)
        .unwrap_or_default();
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// A labelled password input. Once the page is hydrated, a button lets the person see what they
/// typed (handy on a phone keyboard); without JavaScript the field works as a plain one.
#[component]
pub fn PasswordField(
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] minlength: Option<usize>,
) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    let (hydrated, set_hydrated) = signal(false);
    // Effects only run in the browser: the toggle exists only where it can work.
    Effect::new(move |_| set_hydrated.set(true));
    let hint_id = format!("{id}-aide");
    let described_by = hint.as_ref().map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="password-row">
                <input
                    id=id
                    name=id
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required=true
                    minlength=minlength
                    aria-describedby=described_by
                />
                <Show when=move || hydrated.get()>
                    <button
                        type="button"
                        class="reveal"
                        aria-pressed=move || if visible.get() { "true" } else { "false" }
                        on:click=move |_| set_visible.update(|v| *v = !*v)
                    >
                        {move || if visible.get() { "Masquer" } else { "Afficher" }}
                    </button>
                </Show>
            </div>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

/// An error message bound to a form, announced to screen readers.
#[component]
pub fn FormError(error: Option<String>) -> impl IntoView {
    error.map(|error| view! { <p class="form-error" role="alert">{error}</p> })
}

/// One directory sync or import run: outcome, date, and what it did.
#[component]
pub fn RunSummary(run: SyncRun) -> impl IntoView {
    let class = if run.ok { "status-ok" } else { "status-ko" };
    view! {
        <span class=class>{run.outcome}</span>" · "{run.when}
        <br/><span class="muted">{run.detail}</span>
    }
}
