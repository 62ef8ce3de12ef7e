//! `/admin`: the administrator's overview of the establishment and its accounts.

use leptos::prelude::*;

use super::model::{AdminView, SyncRun, SyncStatus};

#[component]
pub fn AdminHome(data: AdminView) -> impl IntoView {
    let rows = data
        .counts
        .into_iter()
        .map(|line| {
            view! {
                <tr>
                    <th scope="row">{line.label}</th>
                    <td>{line.active}</td>
                    <td>{line.to_activate}</td>
                    <td>{line.deactivated}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="titre-admin">
            <h1 id="titre-admin">"Administration"</h1>
            <dl class="facts">
                <dt>"UAI"</dt><dd>{data.uai}</dd>
                <dt>"Académie"</dt><dd>{data.academie}</dd>
                <dt>"Classes"</dt><dd>{data.classes}</dd>
                <dt>"Groupes"</dt><dd>{data.groups}</dd>
            </dl>
        </section>
        <Sync status=data.sync/>
        <section class="card" aria-labelledby="titre-sauvegardes">
            <h2 id="titre-sauvegardes">"Sauvegardes"</h2>
            <p><a href="/admin/sauvegardes">"Sauvegardes de l'établissement : liste, téléchargement, sauvegarde immédiate"</a></p>
        </section>
        <section class="card" aria-labelledby="titre-services">
            <h2 id="titre-services">"Services connectés"</h2>
            <p><a href="/admin/services">"Services où l'on entre avec son compte de l'ENT, et liens de la page d'accueil"</a></p>
        </section>
        <section class="card" aria-labelledby="titre-communication">
            <h2 id="titre-communication">"Messagerie"</h2>
            <p><a href="/admin/communication">"Règles de communication : qui peut écrire à qui"</a></p>
        </section>
        <section class="card" aria-labelledby="titre-fiches">
            <h2 id="titre-fiches">"Fiches de connexion"</h2>
            <p>"Identifiants et codes d'activation à distribuer, par classe. Chaque impression crée de nouveaux codes."</p>
            <ul class="chips">
                {data.sheet_classes.into_iter().map(|(code, label)| {
                    let everyone = format!("/admin/fiches/{code}");
                    let pupils = format!("/admin/fiches/{code}?pour=eleves");
                    let parents = format!("/admin/fiches/{code}?pour=parents");
                    view! {
                        <li>
                            <a href=everyone><strong>{label}</strong></a>"\u{a0}: "
                            <a href=pupils>"élèves"</a>" · "<a href=parents>"parents"</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <section class="card" aria-labelledby="titre-comptes">
            <h2 id="titre-comptes">"Comptes"</h2>
            <div class="table-scroll">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Profil"</th>
                            <th scope="col">"Actifs"</th>
                            <th scope="col">"À activer"</th>
                            <th scope="col">"Désactivés"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Sync(status: SyncStatus) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-annuaire">
            <h2 id="titre-annuaire">"Annuaire académique"</h2>
            <p><a href="/admin/annuaire">"Importer des fichiers et voir l'historique"</a></p>
            <dl class="facts">
                <dt>"Source"</dt><dd>{status.source}</dd>
                <dt>"Prochaine synchronisation"</dt><dd>{status.next_run}</dd>
                <dt>"Dernière synchronisation"</dt>
                <dd>
                    {match status.last_run {
                        Some(run) => view! { <RunSummary run=run/> }.into_any(),
                        None => view! { "aucune pour l'instant" }.into_any(),
                    }}
                </dd>
            </dl>
        </section>
    }
}

/// One directory sync or import run: outcome, date, and what it did.
#[component]
pub(super) fn RunSummary(run: SyncRun) -> impl IntoView {
    let class = if run.ok { "status-ok" } else { "status-ko" };
    view! {
        <span class=class>{run.outcome}</span>" · "{run.when}
        <br/><span class="muted">{run.detail}</span>
    }
}
