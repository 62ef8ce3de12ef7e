//! `/compte`: the person's account and the password change form.

use leptos::prelude::*;

use super::model::{AccountView, DigestChoice};
use crate::model::Viewer;
use crate::widgets::{CsrfField, FormError, PasswordField};

#[component]
pub fn Account(data: AccountView) -> impl IntoView {
    let must_change = use_context::<Viewer>()
        .map(|viewer| viewer.must_change_password)
        .unwrap_or(false);
    let hint = format!("Au moins {} caractères.", data.min_password_len);
    let digest = data
        .digest
        .map(|choice| view! { <DigestForm choice=choice/> });
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
        {digest}
    }
}

/// The e-mail digest choice: one checkbox, saved by its own form.
#[component]
fn DigestForm(choice: DigestChoice) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-resume">
            <h2 id="titre-resume">"Notifications par courriel"</h2>
            <p>
                "L'ENT peut vous envoyer, au plus une fois par heure, un courriel qui résume les \
                 notifications que vous n'avez pas encore vues sur le site."
            </p>
            {(!choice.has_email).then(|| view! {
                <p class="notice notice-info" role="status">
                    "Aucune adresse électronique n'est connue pour votre compte : rien ne vous \
                     est envoyé. L'adresse vient de l'annuaire de l'établissement."
                </p>
            })}
            <form method="post" action="/compte/notifications">
                <CsrfField/>
                <p class="choice">
                    <input type="checkbox" id="resume" name="resume" value="oui"
                        checked=choice.wanted/>
                    <label for="resume">"Recevoir le résumé par courriel"</label>
                </p>
                <button type="submit">"Enregistrer ce choix"</button>
            </form>
        </section>
    }
}
