//! `/installation`: the first start of a box with no administrator — the establishment, the
//! administrator's account, the directory feed and HTTPS, in one form that works without
//! JavaScript.

use leptos::prelude::*;

use super::model::{InstallationView, InstalledView};
use crate::widgets::{FormError, PasswordField};

#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] pattern: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-aide");
    let described_by = hint.map(|_| hint_id.clone());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type="text" value=value required=required pattern=pattern
                autocapitalize="none" spellcheck="false" aria-describedby=described_by/>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

#[component]
fn Choice(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    current: String,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <p class="choice">
            <input type="radio" id=id.clone() name=name value=value checked=current == value/>
            <label for=id>{label}</label>
        </p>
    }
}

#[component]
pub fn Installation(data: InstallationView) -> impl IntoView {
    let hint = format!("Au moins {} caractères.", data.min_password_len);
    // What the configuration fixes is shown apart, not asked.
    let asks = |key: &str| !data.fixed_keys.iter().any(|fixed| fixed == key);
    let (asks_uai, asks_name) = (asks("establishment.uai"), asks("establishment.name"));
    let (asks_source, asks_schedule) = (asks("directory.source"), asks("directory.schedule"));
    let asks_tls = asks("tls.mode");
    let fixed = (!data.fixed.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="titre-fixe">
                <h2 id="titre-fixe">"Réglages fixés par le fichier de configuration"</h2>
                <dl class="facts">
                    {data.fixed.into_iter().map(|(what, value)| view! {
                        <dt>{what}</dt><dd>{value}</dd>
                    }).collect_view()}
                </dl>
            </section>
        }
    });
    view! {
        <section class="card" aria-labelledby="titre-installation">
            <h1 id="titre-installation">"Mise en service de Préau"</h1>
            <p>
                "Ce boîtier n'a pas encore d'administrateur. Renseignez l'établissement et créez \
                 le compte qui administrera l'ENT. Le jeton d'installation est écrit dans le \
                 journal du boîtier au démarrage."
            </p>
            <FormError error=data.error/>
            <form method="post" action="/installation">
                <TextField id="jeton" label="Jeton d'installation" value=data.token required=true/>
                {(asks_uai || asks_name).then(|| view! { <h2>"Établissement"</h2> })}
                {asks_uai.then(|| view! {
                    <TextField id="uai" label="Numéro UAI" value=data.uai required=true
                        pattern="[0-9]{7}[A-Za-z]" hint="7 chiffres et une lettre, par exemple 0130042X."/>
                })}
                {asks_name.then(|| view! {
                    <TextField id="nom" label="Nom de l'établissement" value=data.name required=true/>
                })}
                <h2>"Compte administrateur"</h2>
                <TextField id="identifiant" label="Identifiant" value=data.login required=true
                    hint="Lettres minuscules, chiffres, points et tirets."/>
                <PasswordField id="mot_de_passe" label="Mot de passe" autocomplete="new-password"
                    hint=hint minlength=data.min_password_len/>
                <PasswordField id="confirmation" label="Confirmation du mot de passe"
                    autocomplete="new-password" minlength=data.min_password_len/>
                {(asks_source || asks_schedule).then(|| view! { <h2>"Annuaire de l'académie"</h2> })}
                {asks_source.then(|| view! {
                    <fieldset>
                        <legend>"Provenance des fichiers de l'annuaire (AAF)"</legend>
                        <Choice name="source" value="dossier" current=data.source.clone()
                            label="Déposés dans le dossier « inbox » du boîtier"/>
                        <Choice name="source" value="adresse" current=data.source
                            label="Téléchargés depuis une adresse HTTPS"/>
                    </fieldset>
                    <TextField id="adresse" label="Adresse HTTPS (si téléchargés)" value=data.url/>
                })}
                {asks_schedule.then(|| view! {
                    <TextField id="horaire" label="Synchronisation" value=data.schedule required=true
                        hint="Une heure chaque nuit (« 02:30 »), un intervalle (« 6h ») ou « off »."/>
                })}
                {asks_tls.then(|| view! {
                    <h2>"Connexion sécurisée (HTTPS)"</h2>
                    <fieldset>
                        <legend>"Mode"</legend>
                        <Choice name="tls" value="self-signed" current=data.tls.clone()
                            label="Certificat créé par le boîtier (le navigateur le fait accepter une fois)"/>
                        <Choice name="tls" value="files" current=data.tls.clone()
                            label="Certificat de l'établissement (fichiers PEM sur le boîtier)"/>
                        <Choice name="tls" value="off" current=data.tls
                            label="Sans HTTPS (derrière un serveur mandataire qui le fait)"/>
                    </fieldset>
                    <TextField id="certificat" label="Fichier du certificat (si fichiers)" value=data.cert/>
                    <TextField id="cle" label="Fichier de la clé privée (si fichiers)" value=data.key/>
                })}
                <button type="submit" class="primary">"Mettre en service"</button>
            </form>
        </section>
        {fixed}
    }
}

#[component]
pub fn Installed(data: InstalledView) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="titre-installe">
            <h1 id="titre-installe">"Préau est en service"</h1>
            <p>
                {format!("L'ENT de l'établissement {} est prêt. Préau redémarre pour appliquer ", data.establishment)}
                "ces réglages\u{a0}: dans quelques secondes, connectez-vous avec l'identifiant "
                <strong>{data.login}</strong>"."
            </p>
            <p><a class="button primary" href="/connexion">"Se connecter"</a></p>
        </section>
    }
}
