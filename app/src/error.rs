//! The page shown for 403, 404, 429 and 500 answers, whatever the service.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorView {
    pub status: u16,
    pub heading: String,
    pub message: String,
}

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
