//! `/admin`: the administrator's overview of the establishment and its accounts.

use leptos::prelude::*;

use crate::model::AdminView;

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
