//! `/compte`: the person's account and the password change form.

use leptos::prelude::*;

use super::model::AccountView;
use crate::model::Viewer;
use crate::widgets::{CsrfField, FormError, PasswordField};

#[component]
pub fn Account(data: AccountView) -> impl IntoView {
    let must_change = use_context::<Viewer>()
        .map(|viewer| viewer.must_change_password)
        .unwrap_or(false);
    let hint = format!("Au moins {} caractères.", data.min_password_len);
    view! {
        <section class="card" aria-labelledby="titre-compte">
            <h1 id="titre-compte">"Mon compte"</h1>
            <dl class="facts">
                <dt>"Nom"</dt><dd>{data.display_name}</dd>
                <dt>"Identifiant"</dt><dd>{data.login}</dd>
                <dt>"Profil"</dt><dd>{data.profile_label}</dd>
                {data.email.map(|email| view! { <dt>"Courriel"</dt><dd>{email}</dd> })}
            </dl>
        </section>
        <section class="card" aria-labelledby="titre-mot-de-passe">
            <h2 id="titre-mot-de-passe">"Changer de mot de passe"</h2>
            {must_change.then(|| view! {
                <p class="notice notice-info" role="status">
                    "Vous devez choisir un nouveau mot de passe avant d'utiliser l'ENT."
                </p>
            })}
            <FormError error=data.error/>
            <form method="post" action="/compte/mot-de-passe">
                <CsrfField/>
                <PasswordField id="current" label="Mot de passe actuel" autocomplete="current-password"/>
                <PasswordField id="new" label="Nouveau mot de passe" autocomplete="new-password"
                    hint=hint minlength=data.min_password_len/>
                <PasswordField id="confirm" label="Confirmation du nouveau mot de passe"
                    autocomplete="new-password" minlength=data.min_password_len/>
                <button type="submit" class="primary">"Enregistrer le mot de passe"</button>
            </form>
        </section>
    }
}
