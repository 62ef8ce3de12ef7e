//! `/admin`: the administrator's overview of the establishment and its accounts.

use leptos::prelude::*;

use super::model::{AdminView, ServerStatus, SyncRun, SyncStatus};

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
        <Server status=data.server/>
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

/// Version, uptime, disk, last backup, certificate and the latest problems of the log.
#[component]
fn Server(status: ServerStatus) -> impl IntoView {
    let alerts = (!status.alerts.is_empty()).then(|| {
        view! {
            <div class="notice notice-error" role="alert">
                <p><strong>"À surveiller\u{a0}:"</strong></p>
                <ul>{status.alerts.into_iter().map(|alert| view! { <li>{alert}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let free_class = if status.disk_low {
        "status-ko"
    } else {
        "status-ok"
    };
    let problems = if status.problems.is_empty() {
        view! { <p class="muted">"Aucun avertissement ni erreur depuis le démarrage."</p> }
            .into_any()
    } else {
        view! {
            <ul class="problems">
                {status.problems.into_iter().map(|problem| {
                    let class = if problem.error { "status-ko" } else { "muted" };
                    view! {
                        <li>
                            <span class=class>{problem.level}</span>" · "{problem.when}
                            <br/><code>{problem.text}</code>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="titre-serveur">
            <h2 id="titre-serveur">"État du serveur"</h2>
            {alerts}
            <dl class="facts">
                <dt>"Version"</dt><dd>{status.version}</dd>
                <dt>"En service depuis"</dt><dd>{status.uptime}" (démarré le "{status.started}")"</dd>
                <dt>"Espace libre"</dt><dd class=free_class>{status.free}</dd>
                {status.disk.into_iter().map(|(part, size)| view! { <dt>{part}</dt><dd>{size}</dd> }).collect_view()}
                <dt>"Dernière sauvegarde"</dt>
                <dd>
                    {match status.last_backup {
                        Some(run) => view! { <RunSummary run=run/> }.into_any(),
                        None => view! { <span class="status-ko">"aucune"</span> }.into_any(),
                    }}
                    " · "<a href="/admin/sauvegardes">"sauvegardes"</a>
                </dd>
                <dt>"Certificat HTTPS"</dt>
                <dd>
                    {match status.certificate {
                        Some(certificate) => {
                            let class = if certificate.expiring { "status-ko" } else { "status-ok" };
                            view! {
                                <span class=class>"expire le "{certificate.expires}</span>
                                <br/><span class="muted">"pour "{certificate.names}</span>
                                <br/>"Empreinte SHA-256\u{a0}: "<code class="fingerprint">{certificate.fingerprint}</code>
                            }
                            .into_any()
                        }
                        None => view! { "aucun : HTTPS est désactivé (ou assuré par un proxy)" }.into_any(),
                    }}
                </dd>
                <dt>"Sessions ouvertes"</dt><dd>{status.sessions}</dd>
            </dl>
            <h3>"Derniers avertissements et erreurs"</h3>
            {problems}
        </section>
    }
}
