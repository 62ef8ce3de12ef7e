//! `/classes`, `/classes/{code}` and `/personnes/{id}`: class lists and person cards for the staff.

use leptos::prelude::*;

use super::model::{ClassView, ClassesView, PersonLine, PersonView};

#[component]
pub fn Classes(data: ClassesView) -> impl IntoView {
    let empty = data.classes.is_empty();
    view! {
        <section class="card" aria-labelledby="titre-classes">
            <h1 id="titre-classes">"Classes"</h1>
            {empty.then(|| view! { <p>"Aucune classe à afficher."</p> })}
            <ul class="plain-list">
                {data
                    .classes
                    .into_iter()
                    .map(|class| {
                        let href = format!("/classes/{}", class.code);
                        let count = match class.pupils {
                            0 => "aucun élève".to_owned(),
                            1 => "1 élève".to_owned(),
                            n => format!("{n} élèves"),
                        };
                        view! {
                            <li>
                                <a href=href>{class.label}</a>
                                <span class="muted">" · "{count}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn Class(data: ClassView) -> impl IntoView {
    let pupil_count = data.pupils.len();
    view! {
        <p><a href="/classes">"← Toutes les classes"</a></p>
        <h1>{data.label}</h1>
        <section class="card" aria-labelledby="titre-equipe">
            <h2 id="titre-equipe">"Équipe pédagogique"</h2>
            <People people=data.teachers/>
        </section>
        <section class="card" aria-labelledby="titre-eleves">
            <h2 id="titre-eleves">"Élèves ("{pupil_count}")"</h2>
            <People people=data.pupils/>
        </section>
    }
}

#[component]
fn People(people: Vec<PersonLine>) -> impl IntoView {
    view! {
        <ul class="plain-list">
            {people
                .into_iter()
                .map(|person| {
                    view! {
                        <li>
                            <a href=person.href><strong>{person.name}</strong></a>
                            {(!person.detail.is_empty()).then(|| view! { <span class="muted">" · "{person.detail}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn Person(data: PersonView) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-personne">
            <h1 id="titre-personne">{data.name}</h1>
            <dl class="facts">
                {data.facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
        </section>
        {(!data.teaching.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-enseignements">
                <h2 id="titre-enseignements">"Enseignements"</h2>
                <ul class="plain-list">{data.teaching.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </section>
        })}
        {(!data.guardians.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-responsables">
                <h2 id="titre-responsables">"Responsables"</h2>
                <People people=data.guardians/>
            </section>
        })}
        {(!data.children.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="titre-enfants">
                <h2 id="titre-enfants">"Enfants"</h2>
                <People people=data.children/>
            </section>
        })}
    }
}
