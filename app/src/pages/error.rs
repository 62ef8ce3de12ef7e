//! The page shown for 403, 404, 429 and 500 answers.

use leptos::prelude::*;

use crate::model::ErrorView;

#[component]
pub fn ErrorPage(data: ErrorView) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="titre-erreur">
            <p class="status-code">{data.status}</p>
            <h1 id="titre-erreur">{data.heading}</h1>
            <p>{data.message}</p>
            <p><a href="/">"Retour à l'accueil"</a></p>
        </section>
    }
}
