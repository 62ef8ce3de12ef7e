//! `/activation`: first sign-in with the one-time code printed on the « fiche de connexion ».

use leptos::prelude::*;

use super::model::ActivationView;
use crate::widgets::{FormError, PasswordField};

#[component]
pub fn Activation(data: ActivationView) -> impl IntoView {
    let hint = format!("Au moins {} caractères.", data.min_password_len);
    view! {
        <section class="card narrow" aria-labelledby="titre-activation">
            <h1 id="titre-activation">"Activer mon compte"</h1>
            <p>"Saisissez l'identifiant et le code d'activation de votre fiche de connexion, puis choisissez votre mot de passe."</p>
            <FormError error=data.error/>
            <form method="post" action="/activation">
                <div class="field">
                    <label for="login">"Identifiant"</label>
                    <input id="login" name="login" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required=true value=data.login/>
                </div>
                <div class="field">
                    <label for="code">"Code d'activation"</label>
                    <input id="code" name="code" type="text" autocomplete="one-time-code"
                        autocapitalize="characters" spellcheck="false" required=true/>
                </div>
                <PasswordField id="new" label="Nouveau mot de passe" autocomplete="new-password"
                    hint=hint minlength=data.min_password_len/>
                <PasswordField id="confirm" label="Confirmation du mot de passe" autocomplete="new-password"
                    minlength=data.min_password_len/>
                <button type="submit" class="primary">"Activer mon compte"</button>
            </form>
        </section>
    }
}
