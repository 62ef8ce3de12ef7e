//! `/`: who you are, your classes or children, the services open to you.

use leptos::prelude::*;

use super::model::{ChildCard, ChildChoice, ClassCard, HomeView, ServiceCard, TodayCard};

#[component]
pub fn Home(data: HomeView) -> impl IntoView {
    let HomeView {
        greeting,
        profile_label,
        today,
        classes,
        children,
        selected_child,
        timetable,
        news,
        services,
    } = data;
    view! {
        <section class="hero" aria-labelledby="titre-accueil">
            <h1 id="titre-accueil">{greeting}</h1>
            <p class="muted">{profile_label}" · "{today}</p>
        </section>
        {(!children.is_empty()).then(|| view! { <ChildSwitcher children=children selected=selected_child.as_ref().map(|child| child.id)/> })}
        {selected_child.map(|child| view! { <ChildDetail child=child/> })}
        {timetable.map(|card| view! { <Today card=card/> })}
        {(!news.is_empty()).then(|| crate::news::home_card(news))}
        {(!classes.is_empty()).then(|| view! { <Classes classes=classes/> })}
        <Services services=services/>
    }
}

#[component]
fn Today(card: TodayCard) -> impl IntoView {
    let TodayCard { day, week } = card;
    view! {
        <section aria-label="Emploi du temps du jour">
            <ol class="plain-list week">{crate::timetable::day(day)}</ol>
            <p><a href=week>"Toute la semaine"</a></p>
        </section>
    }
}

#[component]
fn Classes(classes: Vec<ClassCard>) -> impl IntoView {
    let heading = if classes.len() > 1 {
        "Mes classes"
    } else {
        "Ma classe"
    };
    view! {
        <section class="card" aria-labelledby="titre-classes">
            <h2 id="titre-classes">{heading}</h2>
            <ul class="plain-list">
                {classes
                    .into_iter()
                    .map(|class| {
                        view! {
                            <li>
                                <strong>{class.label}</strong>
                                {(!class.detail.is_empty()).then(|| view! { <span class="muted">" · "{class.detail}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A parent chooses which child the page is about. The form works without JavaScript; once its
/// island is hydrated, choosing a child submits it at once.
#[component]
fn ChildSwitcher(children: Vec<ChildChoice>, selected: Option<u64>) -> impl IntoView {
    let selected_id = selected;
    let options = children
        .into_iter()
        .map(|child| {
            let is_selected = Some(child.id) == selected_id;
            view! {
                <option value=child.id.to_string() selected=is_selected>
                    {child.display_name}" ("{child.class_label}")"
                </option>
            }
        })
        .collect_view();
    view! {
        <SubmitOnChange>
            <form method="get" action="/" class="card child-switcher">
                <label for="enfant">"Enfant"</label>
                <select id="enfant" name="enfant">{options}</select>
                <button type="submit">"Afficher"</button>
            </form>
        </SubmitOnChange>
    }
}

/// The island around a form (its children, rendered by the server) that submits it as soon as
/// one of its choices changes.
#[island]
fn SubmitOnChange(children: Children) -> impl IntoView {
    view! { <div on:change=move |ev| submit_enclosing_form(&ev)>{children()}</div> }
}

#[cfg(feature = "hydrate")]
fn submit_enclosing_form(ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    let form = ev
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("form").ok().flatten())
        .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok());
    if let Some(form) = form {
        let _ = form.submit();
    }
}

#[cfg(not(feature = "hydrate"))]
fn submit_enclosing_form(_ev: &leptos::ev::Event) {}

#[component]
fn ChildDetail(child: ChildCard) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="titre-enfant">
            <h2 id="titre-enfant">{child.display_name}</h2>
            <p>"Classe de "{child.class_label}" · "{child.link_label}</p>
            {(!child.teachers.is_empty()).then(|| view! {
                <h3>"Ses professeurs"</h3>
                <ul class="plain-list teachers">
                    {child.teachers.into_iter().map(|teacher| view! {
                        <li><span class="muted">{teacher.subject}"\u{a0}: "</span>{teacher.name}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn Services(services: Vec<ServiceCard>) -> impl IntoView {
    view! {
        <section aria-labelledby="titre-services">
            <h2 id="titre-services">"Mes services"</h2>
            <ul class="service-grid">
                {services
                    .into_iter()
                    .map(|service| {
                        // The logo is decoration: the name beside it says what it is.
                        let class = if service.logo.is_some() { "service service-with-logo" } else { "service" };
                        view! {
                            <li>
                                <a class=class href=service.href>
                                    {service.logo.map(|src| view! {
                                        <img class="service-logo" src=src alt="" width="48" height="48"/>
                                    })}
                                    <span class="service-name">{service.label}</span>
                                    <span class="service-text">{service.description}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
