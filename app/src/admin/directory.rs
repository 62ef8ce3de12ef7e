//! `/admin/annuaire`: import the académie's directory files by hand, with a preview first.

use leptos::prelude::*;

use super::home::RunSummary;
use super::model::{DirectoryView, ImportPreview, ProblemLine, SyncRun};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn Directory(data: DirectoryView) -> impl IntoView {
    view! {
        <p><a href="/admin">"← Administration"</a></p>
        <h1>"Annuaire académique"</h1>
        {data.preview.map(|preview| view! { <Preview preview=preview/> })}
        <section class="card" aria-labelledby="titre-televersement">
            <h2 id="titre-televersement">"Importer des fichiers"</h2>
            <p>"Fichiers XML de l'export AAF (ENT2D_Complet_… ou ENT2D_Delta_…) ou archive zip. Vous verrez ce que l'import changera avant de l'appliquer."</p>
            <FormError error=data.error/>
            <form method="post" action="/admin/annuaire/verifier" enctype="multipart/form-data">
                <CsrfField/>
                <div class="field">
                    <label for="fichiers">"Fichiers"</label>
                    <input id="fichiers" name="fichiers" type="file" multiple=true accept=".xml,.zip" required=true/>
                </div>
                <button type="submit" class="primary">"Vérifier l'import"</button>
            </form>
        </section>
        <History runs=data.history/>
    }
}

#[component]
fn Preview(preview: ImportPreview) -> impl IntoView {
    let refused = preview.lot.is_none();
    view! {
        <section class="card" aria-labelledby="titre-apercu">
            <h2 id="titre-apercu">
                {if refused { "Import refusé" } else { "Aperçu de l'import" }}
            </h2>
            <p class="muted">{preview.files.join(", ")}</p>
            {preview.adopted_uai.map(|uai| view! {
                <p class="notice notice-info">"L'établissement "{uai}" sera adopté : c'est le seul de l'export."</p>
            })}
            {(!refused).then(|| view! {
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">""</th>
                                <th scope="col">"Élèves"</th>
                                <th scope="col">"Parents"</th>
                                <th scope="col">"Personnels"</th>
                                <th scope="col">"Classes"</th>
                                <th scope="col">"Groupes"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {preview.rows.into_iter().map(|row| view! {
                                <tr>
                                    <th scope="row">{row.label}</th>
                                    <td>{row.pupils}</td>
                                    <td>{row.parents}</td>
                                    <td>{row.staff}</td>
                                    <td>{row.classes}</td>
                                    <td>{row.groups}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <Problems title="Erreurs" problems=preview.errors/>
            <Problems title="Avertissements" problems=preview.warnings/>
            {preview.lot.map(|lot| view! {
                <form method="post" action="/admin/annuaire/appliquer">
                    <CsrfField/>
                    <input type="hidden" name="lot" value=lot/>
                    <button type="submit" class="primary">"Appliquer l'import"</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn Problems(title: &'static str, problems: Vec<ProblemLine>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        let count = problems.len();
        view! {
            <h3>{title}" ("{count}")"</h3>
            <ul class="plain-list problems">
                {problems.into_iter().map(|problem| view! {
                    <li><span class="muted">{problem.place}</span><br/>{problem.message}</li>
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn History(runs: Vec<SyncRun>) -> impl IntoView {
    let empty = runs.is_empty();
    view! {
        <section class="card" aria-labelledby="titre-historique">
            <h2 id="titre-historique">"Historique des imports"</h2>
            {empty.then(|| view! { <p>"Aucun import pour l'instant."</p> })}
            <ul class="plain-list">
                {runs.into_iter().map(|run| view! { <li><RunSummary run=run/></li> }).collect_view()}
            </ul>
        </section>
    }
}
