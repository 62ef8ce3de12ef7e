//! `/ressources/import`: a teacher brings an existing collection at once, as a zip of files
//! with a CSV that describes them.

use leptos::prelude::*;

use super::model::ResourceImportView;
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn ResourceImport(data: ResourceImportView) -> impl IntoView {
    let ResourceImportView {
        error,
        problems,
        created,
        max_upload,
    } = data;
    view! {
        <p><a href="/ressources">"← Ressources"</a></p>
        <h1>"Importer des ressources"</h1>
        <FormError error=error/>
        {(!problems.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-problemes">
                <h2 id="titre-problemes">"Lignes à corriger"</h2>
                <p>"Rien n'a été importé. Corrigez ces lignes du fichier CSV, puis déposez l'archive à nouveau."</p>
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </section>
        })}
        {(!created.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-importees">
                <h2 id="titre-importees">"Ressources importées"</h2>
                <ul>{created.into_iter().map(|(href, title)| view! { <li><a href=href>{title}</a></li> }).collect_view()}</ul>
            </section>
        })}
        <section class="card" aria-labelledby="titre-archive">
            <h2 id="titre-archive">"Archive à importer"</h2>
            <p>"Une archive zip contenant vos fichiers et un fichier "<code>"ressources.csv"</code>" (séparateur point-virgule, encodage UTF-8) avec une ligne par ressource et ces colonnes :"</p>
            <p><code>"fichier;titre;description;type;disciplines;niveaux;themes;mots_cles;licence;lien;classes"</code></p>
            <p class="hint">"« fichier » est le chemin dans l'archive (ou vide avec un « lien ») ; les listes sont séparées par des virgules ; disciplines, niveaux et thèmes par leur code ou leur libellé (« Mathématiques », « 4e ») ; « classes » vide publie pour tout l'établissement. L'import est entier ou n'a pas lieu : une seule ligne fautive et rien n'est créé."</p>
            <form method="post" action="/ressources/import" enctype="multipart/form-data">
                <CsrfField/>
                <div class="field">
                    <label for="archive">"Archive zip"</label>
                    <input id="archive" name="archive" type="file" accept=".zip" required=true/>
                    <p class="hint">{format!("{max_upload} au plus.")}</p>
                </div>
                <button type="submit" class="primary">"Importer"</button>
            </form>
        </section>
    }
}
