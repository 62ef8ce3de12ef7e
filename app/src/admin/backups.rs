//! `/admin/sauvegardes`: the backups kept on the box, one to download, one to take now.

use leptos::prelude::*;

use super::home::RunSummary;
use super::model::BackupsView;
use crate::widgets::CsrfField;

#[component]
pub fn Backups(data: BackupsView) -> impl IntoView {
    let empty = data.backups.is_empty();
    view! {
        <p><a href="/admin">"← Administration"</a></p>
        <h1>"Sauvegardes"</h1>
        <section class="card" aria-labelledby="titre-automatique">
            <h2 id="titre-automatique">"Sauvegarde automatique"</h2>
            <dl class="facts">
                <dt>"Programmation"</dt><dd>{data.schedule}</dd>
                <dt>"Conservation"</dt><dd>{data.retention}</dd>
                <dt>"Copie"</dt>
                <dd>{data.copy_to.unwrap_or_else(|| "aucune (seulement sur ce serveur)".to_owned())}</dd>
                <dt>"Dernière sauvegarde automatique"</dt>
                <dd>
                    {match data.last_nightly {
                        Some(run) => view! { <RunSummary run=run/> }.into_any(),
                        None => view! { "aucune pour l'instant" }.into_any(),
                    }}
                </dd>
            </dl>
            <form method="post" action="/admin/sauvegardes">
                <CsrfField/>
                <button type="submit" class="primary">"Sauvegarder maintenant"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="titre-liste">
            <h2 id="titre-liste">"Sauvegardes sur ce serveur"</h2>
            {if empty {
                view! { <p>"Aucune sauvegarde pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">"Date"</th>
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Taille"</th>
                                    <th scope="col">""</th>
                                </tr>
                            </thead>
                            <tbody>
                                {data.backups.into_iter().map(|line| view! {
                                    <tr>
                                        <th scope="row">{line.when}</th>
                                        <td>{line.kind}</td>
                                        <td>{line.size}</td>
                                        <td><a href=line.download>"Télécharger"</a></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="muted">"Pour restaurer : sur le serveur arrêté, "<code>"preau restore FICHIER.zip"</code>" dans un dossier de données vide."</p>
        </section>
    }
}
