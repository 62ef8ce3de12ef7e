//! `/admin/fiches/{classe}`: the « fiches de connexion » of a class. The page first says who
//! waits for activation; its form issues fresh codes and answers with the sheets, one per page
//! when printed. Codes are stored hashed, so printing again issues new ones.

use leptos::prelude::*;

use super::model::{SheetsConfirmView, SheetsView};
use crate::widgets::CsrfField;

#[component]
pub fn SheetsConfirm(data: SheetsConfirmView) -> impl IntoView {
    let waiting = data.pupils_waiting + data.parents_waiting;
    let choice = |value: &'static str, label: String| {
        let checked = data.audience == value;
        view! {
            <label class="check">
                <input type="radio" name="pour" value=value checked=checked/>
                " "{label}
            </label>
        }
    };
    view! {
        <p><a href="/admin">"← Administration"</a></p>
        <section class="card" aria-labelledby="titre-fiches">
            <h1 id="titre-fiches">"Fiches de connexion · "{data.class_label.clone()}</h1>
            <dl class="facts">
                <dt>"Élèves en attente d'activation"</dt><dd>{data.pupils_waiting}</dd>
                <dt>"Parents en attente d'activation"</dt><dd>{data.parents_waiting}</dd>
                <dt>"Comptes déjà activés"</dt><dd>{data.already_active}</dd>
            </dl>
            {(waiting == 0).then(|| view! {
                <p class="notice notice-info">"Aucun compte à activer dans cette classe."</p>
            })}
            {(waiting > 0).then(|| view! {
                <form method="post" action=data.action.clone()>
                    <CsrfField/>
                    <fieldset class="field">
                        <legend>"Fiches à imprimer"</legend>
                        {choice("tous", format!("élèves et parents ({waiting})"))}
                        {choice("eleves", format!("élèves ({})", data.pupils_waiting))}
                        {choice("parents", format!("parents ({})", data.parents_waiting))}
                    </fieldset>
                    <p>
                        "Chaque fiche porte un nouveau code d'activation : les codes des fiches "
                        "imprimées auparavant pour ces comptes ne fonctionneront plus."
                    </p>
                    <button type="submit" class="primary">"Créer les codes et afficher les fiches"</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub fn Sheets(data: SheetsView) -> impl IntoView {
    let empty = data.sheets.is_empty();
    let url = data.activation_url.clone();
    let expires = data.expires.clone();
    view! {
        <div class="no-print">
            <p><a href="/admin">"← Administration"</a>" · "<a href=data.back.clone()>"Autres fiches de la classe"</a></p>
            <h1>"Fiches de connexion · "{data.class_label.clone()}</h1>
            <p>
                {data.sheets.len()}" fiche(s) à imprimer. Utilisez l'impression du navigateur : "
                "une fiche par page. Ces codes ne s'afficheront plus : imprimez-les maintenant."
            </p>
            {empty.then(|| view! { <p class="notice notice-info">"Aucun compte à activer dans cette classe."</p> })}
        </div>
        {data.sheets.into_iter().map(|sheet| {
            let url = url.clone();
            let class_label = data.class_label.clone();
            let expires = expires.clone();
            view! {
                <article class="sheet card">
                    <h2>"Fiche de connexion à l'ENT"</h2>
                    <p class="sheet-name"><strong>{sheet.name}</strong></p>
                    <p class="muted">{class_label}{(!sheet.about.is_empty()).then(|| format!(" · {}", sheet.about))}</p>
                    <dl class="facts">
                        <dt>"Adresse"</dt><dd>{url}</dd>
                        <dt>"Identifiant"</dt><dd class="code">{sheet.login}</dd>
                        <dt>"Code d'activation"</dt><dd class="code">{sheet.code}</dd>
                        <dt>"Valable jusqu'au"</dt><dd>{expires}</dd>
                    </dl>
                    <p>"À la première connexion, choisissez « Activer mon compte », saisissez votre identifiant et ce code, puis choisissez votre mot de passe. Le code ne sert qu'une fois."</p>
                </article>
            }
        }).collect_view()}
    }
}
