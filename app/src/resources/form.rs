//! `/ressources/nouvelle`, `/ressources/{id}/modifier` and `/ressources/{id}/supprimer`: a
//! teacher's forms for their resources, plain HTML forms that post without JavaScript.

use leptos::prelude::*;

use super::model::{ChoiceGroup, ResourceDeleteView, ResourceFormView};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn ResourceForm(data: ResourceFormView) -> impl IntoView {
    let ResourceFormView {
        heading,
        action,
        submit,
        error,
        values,
        kinds,
        disciplines,
        levels,
        themes,
        targets,
        licences,
        current_file,
        max_upload,
    } = data;
    let options = |choices: Vec<(String, String)>, selected: Vec<String>| {
        choices
            .into_iter()
            .map(|(value, label)| {
                let is_selected = selected.contains(&value);
                view! { <option value=value selected=is_selected>{label}</option> }
            })
            .collect_view()
    };
    let checkboxes = |name: &'static str, choices: Vec<(String, String)>, checked: Vec<String>| {
        choices
            .into_iter()
            .map(|(value, label)| {
                let is_checked = checked.contains(&value);
                let id = format!("{name}-{}", value.replace([':', ' '], "-"));
                let for_id = id.clone();
                view! {
                    <label class="check" for=for_id>
                        <input id=id type="checkbox" name=name value=value checked=is_checked/>
                        " "{label}
                    </label>
                }
            })
            .collect_view()
    };
    let file_hint = match &current_file {
        Some(file) => format!("Fichier actuel : {file}. Déposez un autre fichier pour le remplacer ({max_upload} au plus)."),
        None => format!("PDF, document, image, son, vidéo ou module zip (IMS, SCORM, HTML) ; {max_upload} au plus."),
    };
    let has_targets = !targets.is_empty();
    view! {
        <p><a href="/ressources">"← Ressources"</a></p>
        <h1>{heading}</h1>
        <FormError error=error/>
        <form method="post" action=action enctype="multipart/form-data" class="card resource-form">
            <CsrfField/>
            <div class="field">
                <label for="titre">"Titre"</label>
                <input id="titre" name="titre" type="text" maxlength="200" value=values.title/>
                <p class="hint">"Pour un module zip, le titre de son manifeste est repris si vous laissez ce champ vide."</p>
            </div>
            <div class="field">
                <label for="description">"Description"</label>
                <textarea id="description" name="description" rows="4" maxlength="5000">{values.description}</textarea>
            </div>
            <div class="field">
                <label for="type">"Type"</label>
                <select id="type" name="type">{options(kinds, vec![values.kind])}</select>
            </div>
            <fieldset class="field">
                <legend>"Contenu"</legend>
                <label for="lien">"Adresse (lien vers une ressource en ligne)"</label>
                <input id="lien" name="lien" type="url" inputmode="url" placeholder="https://…" value=values.url/>
                <label for="fichier">"ou fichier"</label>
                <input id="fichier" name="fichier" type="file"/>
                <p class="hint">{file_hint}</p>
            </fieldset>
            <div class="field">
                <label for="disciplines">"Disciplines"</label>
                <select id="disciplines" name="disciplines" multiple=true size="6">{options(disciplines, values.disciplines)}</select>
            </div>
            <fieldset class="field">
                <legend>"Niveaux"</legend>
                {checkboxes("niveaux", levels, values.levels)}
            </fieldset>
            <div class="field">
                <label for="themes">"Thèmes du programme"</label>
                <select id="themes" name="themes" multiple=true size="8">
                    {themes.into_iter().map(|ChoiceGroup { label, choices }| {
                        let selected = values.themes.clone();
                        view! { <optgroup label=label>{options(choices, selected)}</optgroup> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="mots_cles">"Mots-clés"</label>
                <input id="mots_cles" name="mots_cles" type="text" value=values.keywords placeholder="séparés par des virgules"/>
            </div>
            <div class="field">
                <label for="licence">"Licence"</label>
                <input id="licence" name="licence" type="text" list="licences" value=values.licence/>
                <datalist id="licences">
                    {licences.into_iter().map(|l| view! { <option value=l></option> }).collect_view()}
                </datalist>
            </div>
            <fieldset class="field">
                <legend>"Publier pour"</legend>
                <label class="check" for="public-tous">
                    <input id="public-tous" type="radio" name="public" value="etablissement" checked=values.everyone/>
                    " Tout l'établissement"
                </label>
                <label class="check" for="public-classes">
                    <input id="public-classes" type="radio" name="public" value="classes" checked=!values.everyone disabled=!has_targets/>
                    " Les classes et groupes cochés :"
                </label>
                <div class="checks">{checkboxes("cibles", targets, values.targets)}</div>
            </fieldset>
            <label class="check" for="publier">
                <input id="publier" type="checkbox" name="publier" value="oui" checked=values.published/>
                " Publier maintenant (sinon, brouillon visible de vous seul)"
            </label>
            <p><button type="submit" class="primary">{submit}</button></p>
        </form>
    }
}

#[component]
pub fn ResourceDelete(data: ResourceDeleteView) -> impl IntoView {
    view! {
        <h1>"Supprimer la ressource"</h1>
        <section class="card">
            <p>"Supprimer « "{data.title}" » ? Les élèves ne la verront plus ; son fichier est effacé s'il ne sert à aucune autre ressource."</p>
            <form method="post" action=data.action>
                <CsrfField/>
                <p class="actions">
                    <button type="submit" class="danger">"Supprimer définitivement"</button>
                    " "
                    <a class="button" href=data.back>"Annuler"</a>
                </p>
            </form>
        </section>
    }
}
