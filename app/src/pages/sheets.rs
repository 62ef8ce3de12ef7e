//! `/admin/fiches/{classe}`: the « fiches de connexion » of a class, one per page when printed.

use leptos::prelude::*;

use crate::model::SheetsView;

#[component]
pub fn Sheets(data: SheetsView) -> impl IntoView {
    let (title, other, other_label) = if data.audience == "parents" {
        (
            "Fiches de connexion des parents",
            "?pour=eleves",
            "Fiches des élèves",
        )
    } else {
        (
            "Fiches de connexion des élèves",
            "?pour=parents",
            "Fiches des parents",
        )
    };
    let empty = data.sheets.is_empty();
    let url = data.activation_url.clone();
    view! {
        <div class="no-print">
            <p><a href="/admin">"← Administration"</a>" · "<a href=other>{other_label}</a></p>
            <h1>{title}" · "{data.class_label.clone()}</h1>
            <p>
                {data.sheets.len()}" fiche(s) à imprimer"
                {(data.already_active > 0).then(|| format!(", {} compte(s) déjà activé(s)", data.already_active))}
                ". Utilisez l'impression du navigateur : une fiche par page."
            </p>
            {empty.then(|| view! { <p class="notice notice-info">"Aucun compte à activer dans cette classe."</p> })}
        </div>
        {data.sheets.into_iter().map(|sheet| {
            let url = url.clone();
            let class_label = data.class_label.clone();
            view! {
                <article class="sheet card">
                    <h2>"Fiche de connexion à l'ENT"</h2>
                    <p class="sheet-name"><strong>{sheet.name}</strong></p>
                    <p class="muted">{class_label}{(!sheet.about.is_empty()).then(|| format!(" · {}", sheet.about))}</p>
                    <dl class="facts">
                        <dt>"Adresse"</dt><dd>{url}</dd>
                        <dt>"Identifiant"</dt><dd class="code">{sheet.login}</dd>
                        <dt>"Code d'activation"</dt><dd class="code">{sheet.code}</dd>
                    </dl>
                    <p>"À la première connexion, choisissez « Activer mon compte », saisissez votre identifiant et ce code, puis choisissez votre mot de passe. Le code ne sert qu'une fois."</p>
                </article>
            }
        }).collect_view()}
    }
}
