//! `/connexion`: sign in with a login and a password.

use leptos::prelude::*;

use super::model::LoginView;
use crate::widgets::{FormError, PasswordField};

#[component]
pub fn Login(data: LoginView) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="titre-connexion">
            <h1 id="titre-connexion">"Connexion"</h1>
            <FormError error=data.error/>
            <form method="post" action="/connexion">
                {data.next.map(|next| view! { <input type="hidden" name="suite" value=next/> })}
                <div class="field">
                    <label for="login">"Identifiant"</label>
                    <input
                        id="login"
                        name="login"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required=true
                        value=data.login
                    />
                </div>
                <PasswordField id="password" label="Mot de passe" autocomplete="current-password"/>
                <button type="submit" class="primary">"Se connecter"</button>
            </form>
            <p class="muted">
                "Première connexion\u{a0}? "
                <a href="/activation">"Activez votre compte"</a>
                " avec le code remis par l'établissement."
            </p>
        </section>
    }
}
