//! `/ressources`: search the resource library by words, discipline and level.

use leptos::prelude::*;

use crate::model::{FacetLink, ResourcesView};

#[component]
pub fn Resources(data: ResourcesView) -> impl IntoView {
    let ResourcesView {
        query,
        discipline,
        level,
        disciplines,
        levels,
        total,
        hits,
        discipline_facets,
        level_facets,
        previous_page,
        next_page,
    } = data;
    let count = match total {
        0 => "Aucune ressource ne correspond.".to_owned(),
        1 => "1 ressource".to_owned(),
        n => format!("{n} ressources"),
    };
    let options = |choices: Vec<(String, String)>, selected: String| {
        choices
            .into_iter()
            .map(|(value, label)| {
                let is_selected = value == selected;
                view! { <option value=value selected=is_selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <h1>"Ressources"</h1>
        <form method="get" action="/ressources" class="card search-form" role="search">
            <div class="field">
                <label for="q">"Rechercher"</label>
                <input id="q" name="q" type="search" value=query placeholder="fractions, Moyen Âge, volcans…"/>
            </div>
            <div class="field">
                <label for="discipline">"Discipline"</label>
                <select id="discipline" name="discipline">{options(disciplines, discipline)}</select>
            </div>
            <div class="field">
                <label for="level">"Niveau"</label>
                <select id="level" name="level">{options(levels, level)}</select>
            </div>
            <button type="submit" class="primary">"Rechercher"</button>
        </form>
        <Facets title="Disciplines" links=discipline_facets/>
        <Facets title="Niveaux" links=level_facets/>
        <p class="muted" role="status">{count}</p>
        <ul class="plain-list results">
            {hits.into_iter().map(|hit| view! {
                <li class="result">
                    <a href=hit.url rel="noopener" class="result-title" inner_html=hit.title_html></a>
                    <p class="result-text" inner_html=hit.description_html></p>
                    <p class="muted">{hit.detail}</p>
                </li>
            }).collect_view()}
        </ul>
        <nav class="pager" aria-label="Pages de résultats">
            {previous_page.map(|href| view! { <a href=href>"← Précédentes"</a> })}
            {next_page.map(|href| view! { <a href=href>"Suivantes →"</a> })}
        </nav>
    }
}

#[component]
fn Facets(title: &'static str, links: Vec<FacetLink>) -> impl IntoView {
    (!links.is_empty()).then(|| {
        view! {
            <nav class="facets" aria-label=title>
                <span class="facets-title">{title}" : "</span>
                {links.into_iter().map(|link| {
                    let current = link.selected.then_some("true");
                    view! {
                        <a href=link.href class="chip" aria-current=current>
                            {link.label}" ("{link.count}")"
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    })
}
