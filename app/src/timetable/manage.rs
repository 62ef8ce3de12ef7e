//! `/emploi-du-temps/gestion`: direction and vie scolaire enter the courses one by one or import
//! the whole timetable from a CSV file.

use leptos::prelude::*;

use super::model::{Choice, CourseGroup, ManageView};
use crate::widgets::CsrfField;

#[component]
pub fn Manage(data: ManageView) -> impl IntoView {
    let ManageView {
        groups,
        targets,
        subjects,
        teachers,
        weekdays,
        errors,
        zone,
        count,
    } = data;
    let summary = match count {
        0 => "Aucun cours n'est encore à l'emploi du temps.".to_owned(),
        1 => "1 cours par semaine.".to_owned(),
        n => format!("{n} cours par semaine."),
    };
    view! {
        <p><a href="/emploi-du-temps">"← Emploi du temps"</a></p>
        <h1>"Gérer l'emploi du temps"</h1>
        <p class="muted">{summary}" Calendrier scolaire : "{zone}"."</p>
        {(!errors.is_empty()).then(|| view! {
            <div class="notice notice-error" role="alert">
                <p>"Rien n'a été modifié :"</p>
                <ul>{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            </div>
        })}
        <section class="card" aria-labelledby="titre-ajout">
            <h2 id="titre-ajout">"Ajouter un cours"</h2>
            <form method="post" action="/emploi-du-temps/cours" class="stacked">
                <CsrfField/>
                <Select id="cible" label="Classe ou groupe" choices=targets/>
                <Select id="matiere" label="Matière" choices=subjects/>
                <Select id="enseignant" label="Enseignant" choices=teachers/>
                <Select id="jour" label="Jour" choices=weekdays/>
                <label for="debut">"Début"</label>
                <input id="debut" name="debut" type="time" required=true value="08:00"/>
                <label for="fin">"Fin"</label>
                <input id="fin" name="fin" type="time" required=true value="08:55"/>
                <label for="salle">"Salle"</label>
                <input id="salle" name="salle" maxlength="40"/>
                <label for="semaine">"Semaines"</label>
                <select id="semaine" name="semaine">
                    <option value="toutes">"Toutes les semaines"</option>
                    <option value="A">"Semaine A"</option>
                    <option value="B">"Semaine B"</option>
                </select>
                <button type="submit">"Ajouter"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="titre-import">
            <h2 id="titre-import">"Importer un fichier CSV"</h2>
            <p>
                "Le fichier remplace tout l'emploi du temps, ou rien s'il contient une erreur. Colonnes : "
                <code>"classe_ou_groupe;matiere;enseignants;salle;jour;debut;fin"</code>
                ", et au choix "<code>"semaine"</code>" (toutes, A, B), "<code>"du"</code>" et "<code>"au"</code>" (JJ/MM/AAAA)."
            </p>
            <form method="post" action="/emploi-du-temps/import" enctype="multipart/form-data" class="stacked">
                <CsrfField/>
                <label for="fichier">"Fichier CSV (UTF-8)"</label>
                <input id="fichier" name="fichier" type="file" accept=".csv,text/csv" required=true/>
                <button type="submit">"Importer"</button>
            </form>
        </section>
        {groups.into_iter().map(|group| view! { <Group group=group/> }).collect_view()}
    }
}

#[component]
fn Select(id: &'static str, label: &'static str, choices: Vec<Choice>) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id name=id required=true>
            {choices
                .into_iter()
                .map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> })
                .collect_view()}
        </select>
    }
}

#[component]
fn Group(group: CourseGroup) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{group.label}</h2>
            <ul class="plain-list courses">
                {group
                    .courses
                    .into_iter()
                    .map(|course| view! {
                        <li>
                            <strong>{course.subject}</strong>
                            " · "{course.when}
                            <span class="muted">" · "{course.detail}</span>
                            <form method="post" action=course.remove class="inline">
                                <CsrfField/>
                                <button type="submit" class="link-button">"Supprimer"</button>
                            </form>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
