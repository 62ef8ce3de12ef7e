//! `/emploi-du-temps` and `/emploi-du-temps/seances/{id}`: a week day by day (a list, readable on
//! a phone), and one session.

use leptos::either::Either;
use leptos::prelude::*;

use super::model::{Chooser, DayView, SessionLine, SessionView, Subscription, WeekView};
use crate::widgets::{CsrfField, FormError};

#[component]
pub fn Week(data: WeekView) -> impl IntoView {
    let WeekView {
        heading,
        week_label,
        previous,
        next,
        current,
        chooser,
        days,
        manage,
        empty,
        subscription,
    } = data;
    view! {
        <h1>{heading}</h1>
        {chooser.map(|chooser| view! { <WeekChooser chooser=chooser/> })}
        <nav class="week-nav" aria-label="Semaines">
            <a href=previous rel="prev">"← Semaine précédente"</a>
            {current.map(|href| view! { <a href=href>"Cette semaine"</a> })}
            <a href=next rel="next">"Semaine suivante →"</a>
        </nav>
        <p class="muted week-label">{week_label}</p>
        {empty.map(|text| view! { <p class="card">{text}</p> })}
        <ol class="plain-list week">
            {days.into_iter().map(|day| view! { <Day day=day/> }).collect_view()}
        </ol>
        {manage.map(|href| view! { <p><a href=href>"Gérer l'emploi du temps"</a></p> })}
        {subscription.map(|subscription| view! { <SubscriptionCard subscription=subscription/> })}
    }
}

#[component]
fn SubscriptionCard(subscription: Subscription) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-abonnement">
            <h2 id="titre-abonnement">"Dans l'agenda du téléphone"</h2>
            <p>
                "Abonnez l'agenda de votre téléphone à "
                <a href=subscription.href type="text/calendar">"cette adresse"</a>
                " (copiez le lien) : les cours de l'année y apparaissent et suivent les changements. \
                 Gardez-la pour vous ; si elle a circulé, renouvelez-la : l'ancienne cessera de fonctionner."
            </p>
            <form method="post" action=subscription.renew>
                <CsrfField/>
                <button type="submit" class="link-button">"Renouveler l'adresse"</button>
            </form>
        </section>
    }
}

#[component]
fn WeekChooser(chooser: Chooser) -> impl IntoView {
    let Chooser {
        label,
        name,
        choices,
        week,
    } = chooser;
    let id = format!("choix-{name}");
    view! {
        <form method="get" action="/emploi-du-temps" class="card chooser">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {choices
                    .into_iter()
                    .map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> })
                    .collect_view()}
            </select>
            <input type="hidden" name="semaine" value=week/>
            <button type="submit">"Afficher"</button>
        </form>
    }
}

#[component]
pub(super) fn Day(day: DayView) -> impl IntoView {
    let DayView {
        heading,
        today,
        off,
        sessions,
    } = day;
    let class = if today { "card day today" } else { "card day" };
    let nothing = off.is_none() && sessions.is_empty();
    view! {
        <li class=class aria-current=today.then_some("date")>
            <h2>{heading}{today.then(|| view! { <span class="badge">" aujourd'hui"</span> })}</h2>
            {off.map(|text| view! { <p class="muted">{text}</p> })}
            {nothing.then(|| view! { <p class="muted">"Pas de cours."</p> })}
            {(!sessions.is_empty()).then(|| view! {
                <ul class="plain-list sessions">
                    {sessions.into_iter().map(|line| view! { <Line line=line/> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn Line(line: SessionLine) -> impl IntoView {
    let SessionLine {
        time,
        subject,
        detail,
        changes,
        cancelled,
        note,
        href,
    } = line;
    let class = if cancelled {
        "session cancelled"
    } else {
        "session"
    };
    let subject = match href {
        Some(href) => Either::Left(view! { <a href=href>{subject}</a> }),
        None => Either::Right(subject),
    };
    view! {
        <li class=class>
            <span class="session-time">{time}</span>
            " "
            <strong class="session-subject">{subject}</strong>
            <span class="session-detail muted">{detail}</span>
            {(!changes.is_empty()).then(|| changes.into_iter().map(|change| view! { <span class="session-change">{change}</span> }).collect_view())}
            {note.map(|note| view! { <span class="session-note">{note}</span> })}
        </li>
    }
}

#[component]
pub fn Session(data: SessionView) -> impl IntoView {
    let SessionView {
        heading,
        facts,
        action,
        back,
        cancelled,
        room,
        note,
        replacements,
        error,
    } = data;
    view! {
        <p><a href=back>"← Retour à la semaine"</a></p>
        <h1>{heading}</h1>
        <dl class="card facts">
            {facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        <form method="post" action=action class="card">
            <h2>"Modifier cette séance"</h2>
            <FormError error=error/>
            <CsrfField/>
            <p>
                <input type="checkbox" id="annule" name="annule" value="oui" checked=cancelled/>
                <label for="annule">" Séance annulée"</label>
            </p>
            <label for="salle">"Autre salle (vide : salle habituelle)"</label>
            <input id="salle" name="salle" maxlength="40" value=room/>
            <label for="remplacant">"Remplacement"</label>
            <select id="remplacant" name="remplacant">
                {replacements
                    .into_iter()
                    .map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> })
                    .collect_view()}
            </select>
            <label for="mot">"Mot pour les élèves et les familles"</label>
            <input id="mot" name="mot" maxlength="200" value=note/>
            <button type="submit">"Enregistrer"</button>
        </form>
    }
}
