//! `/admin/services`: the school's other services that sign people in through Préau (CAS), and
//! the plain links of the home page, for the ENT administrator.

use leptos::prelude::*;

use super::model::{
    CasServiceForm, CasServiceRow, CasServicesView, FieldError, HomeLinkForm, HomeLinkRow,
};
use crate::widgets::CsrfField;

#[component]
pub fn Services(data: CasServicesView) -> impl IntoView {
    let CasServicesView {
        configured,
        registered,
        links,
        attributes,
        profiles,
        saved,
        service_form,
        link_form,
    } = data;
    let link_profiles = profiles.clone();
    let CasServiceForm {
        name,
        url,
        attributes: checked_attributes,
        profiles: checked_profiles,
        single_logout,
        tile,
        proxy,
        error,
    } = service_form;
    let name_error = FieldError::about(&error, "nom");
    let url_error = FieldError::about(&error, "adresse");
    let HomeLinkForm {
        label: link_label,
        url: link_url,
        profiles: link_checked,
        error: link_error,
    } = link_form;
    let label_error = FieldError::about(&link_error, "libelle");
    let link_url_error = FieldError::about(&link_error, "adresse");
    view! {
        <p><a href="/admin">"← Administration"</a></p>
        <h1>"Services connectés"</h1>
        <p>
            "Les services de l'établissement (Moodle, catalogue du CDI, vie scolaire…) où l'on entre \
             avec son compte de l'ENT, par le protocole CAS. Un service non enregistré ne reçoit \
             jamais de connexion."
        </p>
        {saved.map(|text| view! { <p class="notice notice-success" role="status">{text}</p> })}
        <section class="card" aria-labelledby="titre-enregistres">
            <h2 id="titre-enregistres">"Services enregistrés"</h2>
            <ServiceTable rows=registered empty="Aucun service enregistré ici pour l'instant."/>
        </section>
        {(!configured.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-configuration">
                <h2 id="titre-configuration">"Services du fichier de configuration"</h2>
                <p class="muted">"Déclarés dans preau.toml ([[cas.services]]) : ils se changent là, pas ici."</p>
                <ServiceTable rows=configured empty=""/>
            </section>
        })}
        <section class="card" aria-labelledby="titre-nouveau">
            <h2 id="titre-nouveau">"Enregistrer un service"</h2>
            <form method="post" action="/admin/services">
                <CsrfField/>
                <div class="field">
                    <label for="nom">"Nom"</label>
                    <input id="nom" name="nom" type="text" required=true maxlength="80" value=name
                        aria-invalid=name_error.is_some().then_some("true")
                        aria-describedby=name_error.is_some().then_some("nom-erreur")/>
                    <FieldMessage id="nom-erreur" message=name_error/>
                </div>
                <div class="field">
                    <label for="adresse">"Début de l'adresse du service"</label>
                    <input id="adresse" name="adresse" type="url" required=true placeholder="https://moodle.college.fr/" value=url
                        aria-invalid=url_error.is_some().then_some("true")
                        aria-describedby=if url_error.is_some() { "adresse-erreur adresse-aide" } else { "adresse-aide" }/>
                    <FieldMessage id="adresse-erreur" message=url_error/>
                    <p class="muted" id="adresse-aide">"Toutes les adresses du service commencent ainsi. Pas de joker (*)."</p>
                </div>
                <fieldset>
                    <legend>"Informations transmises (en plus de l'identifiant)"</legend>
                    {attributes.into_iter().map(|(value, label)| {
                        let id = format!("attribut-{value}");
                        let checked = checked_attributes.contains(&value);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="attributs" value=value checked=checked/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <ProfileChoice profiles=profiles prefix="profil" checked=checked_profiles/>
                <div class="choice">
                    <input type="checkbox" id="deconnexion" name="deconnexion" value="oui" checked=single_logout/>
                    <label for="deconnexion">"Le prévenir quand la personne se déconnecte de l'ENT"</label>
                </div>
                <div class="choice">
                    <input type="checkbox" id="tuile" name="tuile" value="oui" checked=tile/>
                    <label for="tuile">"L'afficher sur la page d'accueil"</label>
                </div>
                <div class="choice">
                    <input type="checkbox" id="proxy" name="proxy" value="oui" checked=proxy aria-describedby="proxy-aide"/>
                    <label for="proxy">"L'autoriser à ouvrir d'autres services au nom de la personne (proxy CAS)"</label>
                </div>
                <p class="muted" id="proxy-aide">
                    "Pour un portail qui affiche, par exemple, l'emploi du temps du logiciel de vie scolaire.                      Seuls les services que la personne peut ouvrir elle-même lui sont accessibles."
                </p>
                <button type="submit" class="primary">"Enregistrer le service"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="titre-liens">
            <h2 id="titre-liens">"Liens de la page d'accueil"</h2>
            <p class="muted">"Des liens simples vers d'autres sites, sans connexion par l'ENT."</p>
            <LinkList links=links/>
            <form method="post" action="/admin/liens">
                <CsrfField/>
                <div class="field">
                    <label for="libelle">"Libellé"</label>
                    <input id="libelle" name="libelle" type="text" required=true maxlength="80" value=link_label
                        aria-invalid=label_error.is_some().then_some("true")
                        aria-describedby=label_error.is_some().then_some("libelle-erreur")/>
                    <FieldMessage id="libelle-erreur" message=label_error/>
                </div>
                <div class="field">
                    <label for="lien">"Adresse"</label>
                    <input id="lien" name="adresse" type="url" required=true placeholder="https://" value=link_url
                        aria-invalid=link_url_error.is_some().then_some("true")
                        aria-describedby=link_url_error.is_some().then_some("lien-erreur")/>
                    <FieldMessage id="lien-erreur" message=link_url_error/>
                </div>
                <ProfileChoice profiles=link_profiles prefix="lien-profil" checked=link_checked/>
                <button type="submit">"Ajouter le lien"</button>
            </form>
        </section>
    }
}

/// Why the field above was refused, read with it by screen readers (`aria-describedby`).
#[component]
fn FieldMessage(id: &'static str, message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="form-error" id=id>{message}</p> })
}

#[component]
fn ProfileChoice(
    profiles: Vec<(String, String)>,
    prefix: &'static str,
    checked: Vec<String>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Profils qui y ont accès (aucun coché : tous)"</legend>
            {profiles.into_iter().map(|(value, label)| {
                let id = format!("{prefix}-{value}");
                let checked = checked.contains(&value);
                view! {
                    <div class="choice">
                        <input type="checkbox" id=id.clone() name="profils" value=value checked=checked/>
                        <label for=id>{label}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn ServiceTable(rows: Vec<CasServiceRow>, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="plain-list">
            {rows.into_iter().map(|row| view! {
                <li>
                    {row.logo.clone().map(|src| view! {
                        <img class="service-logo" src=src alt="" width="48" height="48"/>
                    })}
                    <h3>{row.name.clone()}</h3>
                    <dl class="facts">
                        <dt>"Adresse"</dt><dd><code>{row.url}</code></dd>
                        <dt>"Informations"</dt><dd>{row.attributes}</dd>
                        <dt>"Profils"</dt><dd>{row.profiles}</dd>
                        <dt>"Déconnexion"</dt><dd>{if row.single_logout { "prévenu" } else { "non prévenu" }}</dd>
                        <dt>"Accueil"</dt><dd>{if row.tile { "affiché" } else { "non affiché" }}</dd>
                        <dt>"Proxy"</dt><dd>{if row.proxy { "autorisé" } else { "non autorisé" }}</dd>
                    </dl>
                    {row.id.map(|id| view! {
                        <LogoForms id=id name=row.name.clone() has_logo=row.logo.is_some() error=row.logo_error.clone()/>
                        <form method="post" action=format!("/admin/services/{id}/supprimer")>
                            <CsrfField/>
                            <button type="submit">"Retirer ce service"</button>
                        </form>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The logo of a registered service: send one (PNG, JPEG or WebP), or take it away.
#[component]
fn LogoForms(id: u64, name: String, has_logo: bool, error: Option<String>) -> impl IntoView {
    let input = format!("logo-{id}");
    let help = format!("logo-{id}-aide");
    let error_id = format!("logo-{id}-erreur");
    let described = if error.is_some() {
        format!("{error_id} {help}")
    } else {
        help.clone()
    };
    view! {
        <form method="post" action=format!("/admin/services/{id}/logo") enctype="multipart/form-data">
            <CsrfField/>
            <div class="field">
                <label for=input.clone()>{format!("Logo de «\u{a0}{name}\u{a0}»")}</label>
                <input id=input name="logo" type="file" required=true accept="image/png,image/jpeg,image/webp"
                    aria-invalid=error.is_some().then_some("true") aria-describedby=described/>
                {error.map(|message| view! { <p class="form-error" id=error_id>{message}</p> })}
                <p class="muted" id=help>"Image PNG, JPEG ou WebP de 256 Ko au plus, carrée de préférence."</p>
            </div>
            <button type="submit">{if has_logo { "Remplacer le logo" } else { "Envoyer le logo" }}</button>
        </form>
        {has_logo.then(|| view! {
            <form method="post" action=format!("/admin/services/{id}/logo/supprimer")>
                <CsrfField/>
                <button type="submit">"Retirer le logo"</button>
            </form>
        })}
    }
}

#[component]
fn LinkList(links: Vec<HomeLinkRow>) -> impl IntoView {
    if links.is_empty() {
        return view! { <p>"Aucun lien pour l'instant."</p> }.into_any();
    }
    view! {
        <ul class="plain-list">
            {links.into_iter().map(|link| view! {
                <li>
                    <strong>{link.label}</strong>" — "<code>{link.url}</code>" — "{link.profiles}
                    <form method="post" action=format!("/admin/liens/{}/supprimer", link.id)>
                        <CsrfField/>
                        <button type="submit">"Retirer ce lien"</button>
                    </form>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
