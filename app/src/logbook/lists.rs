//! The lists of the cahier de textes: « à faire », « mes séances », a class's week.

use leptos::either::Either;
use leptos::prelude::*;

use super::model::{
    ClassDay, ClassEntry, ClassView, SessionItem, SessionsDay, SessionsView, TodoDay, TodoItem,
    TodoView,
};
use crate::timetable::model::Chooser;
use crate::widgets::CsrfField;

#[component]
pub fn Todo(data: TodoView) -> impl IntoView {
    let TodoView {
        heading,
        chooser,
        fetched,
        days,
        empty,
        class_href,
    } = data;
    let ticks = days
        .iter()
        .any(|day| day.items.iter().any(|item| item.tick.is_some()));
    let list = days
        .into_iter()
        .map(|day| view! { <Due day=day/> })
        .collect_view();
    view! {
        <h1>{heading}</h1>
        {chooser.map(|chooser| view! { <GetChooser chooser=chooser action="/cahier-de-textes/a-faire"/> })}
        <p class="muted fetched" data-fetched="">{fetched}</p>
        {empty.map(|text| view! { <p class="card">{text}</p> })}
        {if ticks {
            // One form for the page, one CSRF field: each item's button posts to its own address.
            Either::Left(view! {
                <form method="post" action="/cahier-de-textes/a-faire">
                    <CsrfField/>
                    <ol class="plain-list todo">{list}</ol>
                </form>
            })
        } else {
            Either::Right(view! { <ol class="plain-list todo">{list}</ol> })
        }}
        {class_href.map(|href| view! { <p><a href=href>"Ce qui a été fait en classe"</a></p> })}
    }
}

#[component]
fn Due(day: TodoDay) -> impl IntoView {
    view! {
        <li class="card day">
            <h2>{day.heading}</h2>
            <ul class="plain-list homework">
                {day.items.into_iter().map(|item| view! { <Item item=item/> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Item(item: TodoItem) -> impl IntoView {
    let TodoItem {
        subject,
        kind,
        assessment,
        description,
        given,
        done,
        tick,
        hand_in,
        entry,
    } = item;
    let class = match (done, assessment) {
        (true, _) => "homework-item done",
        (false, true) => "homework-item assessment",
        _ => "homework-item",
    };
    view! {
        <li class=class>
            <p class="homework-head">
                <strong>{subject}</strong>
                <span class="muted">{kind}</span>
                {done.then(|| view! { <span class="badge">"fait"</span> })}
            </p>
            <p class="homework-text">{description}</p>
            <p class="muted small"><a href=entry>{given}</a></p>
            {hand_in.map(|(href, label)| view! { <p><a href=href>{label}</a></p> })}
            {tick.map(|action| view! {
                <button type="submit" class="link-button" formaction=action name="fait" value=if done { "non" } else { "oui" }>
                    {if done { "Remettre à faire" } else { "Marquer comme fait" }}
                </button>
            })}
        </li>
    }
}

#[component]
pub fn GetChooser(chooser: Chooser, action: &'static str) -> impl IntoView {
    let Chooser {
        label,
        name,
        choices,
        week,
    } = chooser;
    let id = format!("choix-{name}");
    view! {
        <form method="get" action=action class="card chooser">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {choices
                    .into_iter()
                    .map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> })
                    .collect_view()}
            </select>
            {(!week.is_empty()).then(|| view! { <input type="hidden" name="semaine" value=week/> })}
            <button type="submit">"Afficher"</button>
        </form>
    }
}

#[component]
fn WeekNav(previous: String, next: String, current: Option<String>) -> impl IntoView {
    view! {
        <nav class="week-nav" aria-label="Semaines">
            <a href=previous rel="prev">"← Semaine précédente"</a>
            {current.map(|href| view! { <a href=href>"Cette semaine"</a> })}
            <a href=next rel="next">"Semaine suivante →"</a>
        </nav>
    }
}

#[component]
pub fn Sessions(data: SessionsView) -> impl IntoView {
    let SessionsView {
        week_label,
        previous,
        next,
        current,
        days,
        empty,
        classes,
    } = data;
    view! {
        <h1>"Mes séances"</h1>
        <WeekNav previous=previous next=next current=current/>
        <p class="muted week-label">{week_label}</p>
        {empty.map(|text| view! { <p class="card">{text}</p> })}
        <ol class="plain-list week">
            {days.into_iter().map(|day| view! { <SessionsOfDay day=day/> }).collect_view()}
        </ol>
        {(!classes.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Cahiers de textes de mes classes"</h2>
                <ul class="plain-list">
                    {classes.into_iter().map(|(href, label)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn SessionsOfDay(day: SessionsDay) -> impl IntoView {
    let SessionsDay {
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
                    {sessions.into_iter().map(|item| view! { <Session item=item/> }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn Session(item: SessionItem) -> impl IntoView {
    let SessionItem {
        time,
        subject,
        detail,
        href,
        status,
        filled,
    } = item;
    let status_class = if filled { "badge" } else { "badge badge-todo" };
    view! {
        <li class="session">
            <span class="session-time">{time}</span>
            " "
            <strong class="session-subject"><a href=href>{subject}</a></strong>
            <span class="session-detail muted">{detail}</span>
            <span class=status_class>{status}</span>
        </li>
    }
}

#[component]
pub fn Class(data: ClassView) -> impl IntoView {
    let ClassView {
        heading,
        chooser,
        week_label,
        previous,
        next,
        current,
        days,
        empty,
    } = data;
    view! {
        <h1>{heading}</h1>
        {chooser.map(|chooser| view! { <GetChooser chooser=chooser action="/cahier-de-textes/classe"/> })}
        <WeekNav previous=previous next=next current=current/>
        <p class="muted week-label">{week_label}</p>
        {empty.map(|text| view! { <p class="card">{text}</p> })}
        <ol class="plain-list week">
            {days.into_iter().map(|day| view! { <ClassOfDay day=day/> }).collect_view()}
        </ol>
    }
}

#[component]
fn ClassOfDay(day: ClassDay) -> impl IntoView {
    view! {
        <li class="card day">
            <h2>{day.heading}</h2>
            <ul class="plain-list sessions">
                {day.entries.into_iter().map(|entry| view! { <Entry entry=entry/> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn Entry(entry: ClassEntry) -> impl IntoView {
    let ClassEntry {
        time,
        subject,
        teachers,
        href,
        summary,
        homework,
        visa,
    } = entry;
    view! {
        <li class="session">
            <span class="session-time">{time}</span>
            " "
            <strong class="session-subject"><a href=href>{subject}</a></strong>
            <span class="session-detail muted">{teachers}</span>
            {visa.then(|| view! { <span class="badge">"visé"</span> })}
            {(!summary.is_empty()).then(|| view! { <span class="session-note">{summary}</span> })}
            {homework.into_iter().map(|line| view! { <span class="session-change">{line}</span> }).collect_view()}
        </li>
    }
}
