//! The agenda's pages: a list of days (readable on a phone, whatever the period), an event, the
//! form.

use leptos::prelude::*;

use super::model::{AgendaDay, AgendaView, EventFormView, EventLine, EventView};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn Period(data: AgendaView) -> impl IntoView {
    let AgendaView {
        period,
        views,
        previous,
        next,
        current,
        days,
        empty,
        create,
    } = data;
    view! {
        <h1>"Agenda"</h1>
        <nav class="tabs" aria-label="Affichage">
            {views
                .into_iter()
                .map(|(href, label, current)| view! { <a href=href aria-current=current.then_some("page")>{label}</a> })
                .collect_view()}
        </nav>
        <nav class="week-nav" aria-label="Périodes">
            <a href=previous rel="prev">"← Précédent"</a>
            {current.map(|href| view! { <a href=href>"Aujourd'hui"</a> })}
            <a href=next rel="next">"Suivant →"</a>
        </nav>
        <p class="muted week-label">{period}</p>
        {empty.map(|text| view! { <p class="card">{text}</p> })}
        <ol class="plain-list week">
            {days.into_iter().map(|day| view! { <Day day=day/> }).collect_view()}
        </ol>
        <p><a href=create class="button">"Ajouter un événement"</a></p>
    }
}

#[component]
fn Day(day: AgendaDay) -> impl IntoView {
    let AgendaDay {
        heading,
        today,
        events,
    } = day;
    let class = if today { "card day today" } else { "card day" };
    let nothing = events.is_empty();
    view! {
        <li class=class aria-current=today.then_some("date")>
            <h2>{heading}{today.then(|| view! { <span class="badge">" aujourd'hui"</span> })}</h2>
            {nothing.then(|| view! { <p class="muted">"Rien de prévu."</p> })}
            {(!nothing).then(|| view! {
                <ul class="plain-list sessions">
                    {events.into_iter().map(|line| view! { <Line line=line/> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn Line(line: EventLine) -> impl IntoView {
    let EventLine {
        time,
        title,
        href,
        detail,
    } = line;
    view! {
        <li class="session event">
            <span class="session-time">{time}</span>
            " "
            <strong class="session-subject"><a href=href>{title}</a></strong>
            <span class="session-detail muted">{detail}</span>
        </li>
    }
}

#[component]
pub fn Event(data: EventView) -> impl IntoView {
    let EventView {
        title,
        facts,
        description,
        back,
        delete,
    } = data;
    view! {
        <p><a href=back>"← Agenda"</a></p>
        <h1>{title}</h1>
        <dl class="card facts">
            {facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        {(!description.is_empty()).then(|| view! { <p class="card homework-text">{description}</p> })}
        {delete.map(|action| view! {
            <form method="post" action=action class="card">
                <CsrfField/>
                <button type="submit" class="danger">"Supprimer cet événement"</button>
            </form>
        })}
    }
}

#[component]
pub fn NewEvent(data: EventFormView) -> impl IntoView {
    let EventFormView {
        title,
        kinds,
        audiences,
        start_date,
        start_time,
        end_date,
        end_time,
        all_day,
        place,
        description,
        error,
    } = data;
    view! {
        <p><a href="/agenda">"← Agenda"</a></p>
        <h1>"Nouvel événement"</h1>
        <form method="post" action="/agenda/nouvel-evenement" class="card">
            <CsrfField/>
            <FormError error=error/>
            <label for="titre">"Titre"</label>
            <input id="titre" name="titre" required maxlength="120" value=title/>
            <label for="nature">"Nature"</label>
            <select id="nature" name="nature">
                {kinds.into_iter().map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> }).collect_view()}
            </select>
            <label for="public">"Pour"</label>
            <select id="public" name="public">
                {audiences.into_iter().map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> }).collect_view()}
            </select>
            <label for="debut">"Début"</label>
            <input type="date" id="debut" name="debut" required value=start_date/>
            <label for="heure-debut">"Heure de début"</label>
            <input type="time" id="heure-debut" name="heure_debut" value=start_time/>
            <label for="fin">"Fin (vide : le même jour)"</label>
            <input type="date" id="fin" name="fin" value=end_date/>
            <label for="heure-fin">"Heure de fin"</label>
            <input type="time" id="heure-fin" name="heure_fin" value=end_time/>
            <p>
                <input type="checkbox" id="journee" name="journee" value="oui" checked=all_day/>
                <label for="journee">" Toute la journée"</label>
            </p>
            <label for="lieu">"Lieu"</label>
            <input id="lieu" name="lieu" maxlength="80" value=place/>
            <label for="description">"Description"</label>
            <textarea id="description" name="description" rows="4" maxlength="2000">{description}</textarea>
            <button type="submit">"Ajouter"</button>
        </form>
    }
}
