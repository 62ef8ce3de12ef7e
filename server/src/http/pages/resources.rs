//! `/ressources`: the resource library as a page that works without JavaScript.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::model::{FacetLink, PageBody, ResourceCard, ResourcesView};

use super::PageCtx;
use crate::domain::resource::ResourceKind;
use crate::domain::vocabulary::Vocabulary;
use crate::http::api::resources::{self as api, ResourceQuery, PER_PAGE};
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/ressources", get(show))
}

/// `/ressources?…` with these parameters (empty ones left out).
fn href(q: &str, discipline: &str, level: &str, page: usize) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("q", q), ("discipline", discipline), ("level", level)] {
        if !value.is_empty() {
            url.append_pair(name, value);
        }
    }
    if page > 1 {
        url.append_pair("page", &page.to_string());
    }
    let query = url.finish();
    if query.is_empty() {
        "/ressources".to_owned()
    } else {
        format!("/ressources?{query}")
    }
}

async fn show(ctx: PageCtx, Query(query): Query<ResourceQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let q = query.q.trim().to_owned();
    let discipline = query.discipline.clone().unwrap_or_default();
    let level = query.level.clone().unwrap_or_default();
    let page_number = query.page.unwrap_or(1).max(1);
    let worker = ctx.state.clone();
    let account = auth.signed_in.account.clone();
    let found = crate::http::blocking(move || api::run(&worker, &account, &query)).await;
    let page = match found {
        Ok(page) => page,
        Err(error) => return ctx.error(error),
    };
    let vocabulary = Vocabulary::embedded();
    let mut disciplines = vec![(String::new(), "Toutes".to_owned())];
    disciplines.extend(
        vocabulary
            .disciplines()
            .iter()
            .map(|term| (term.id.clone(), term.label.clone())),
    );
    let mut levels = vec![(String::new(), "Tous".to_owned())];
    levels.extend(
        vocabulary
            .levels()
            .iter()
            .map(|term| (term.id.clone(), term.label.clone())),
    );
    let facet = |counts: Option<&std::collections::BTreeMap<String, u64>>,
                 selected: &str,
                 label: &dyn Fn(&str) -> Option<String>,
                 link: &dyn Fn(&str) -> String| {
        counts
            .into_iter()
            .flatten()
            .filter_map(|(value, count)| {
                Some(FacetLink {
                    label: label(value)?,
                    count: *count,
                    href: link(if value == selected { "" } else { value }),
                    selected: value == selected,
                })
            })
            .collect::<Vec<_>>()
    };
    let discipline_facets = facet(
        page.facets.get("discipline"),
        &discipline,
        &|code| vocabulary.discipline_label(code).map(str::to_owned),
        &|value| href(&q, value, &level, 1),
    );
    let level_facets = facet(
        page.facets.get("level"),
        &level,
        &|id| vocabulary.level_label(id).map(str::to_owned),
        &|value| href(&q, &discipline, value, 1),
    );
    let hits = page
        .hits
        .into_iter()
        .map(|hit| {
            let mut detail: Vec<String> = Vec::new();
            if let Some(kind) = ResourceKind::from_code(hit.kind) {
                detail.push(kind.label().to_owned());
            }
            detail.extend(
                hit.disciplines
                    .iter()
                    .filter_map(|code| vocabulary.discipline_label(code))
                    .map(str::to_owned),
            );
            detail.extend(
                hit.levels
                    .iter()
                    .filter_map(|id| vocabulary.level_label(id))
                    .filter(|label| !label.starts_with("cycle"))
                    .map(str::to_owned),
            );
            detail.push(hit.author);
            ResourceCard {
                title_html: hit.title_html,
                description_html: hit.description_html,
                url: hit.url,
                detail: detail.join(" · "),
            }
        })
        .collect();
    let last_page = page.total.div_ceil(PER_PAGE).max(1);
    let view = ResourcesView {
        previous_page: (page_number > 1).then(|| href(&q, &discipline, &level, page_number - 1)),
        next_page: (page_number < last_page)
            .then(|| href(&q, &discipline, &level, page_number + 1)),
        query: q,
        discipline,
        level,
        disciplines,
        levels,
        total: page.total,
        hits,
        discipline_facets,
        level_facets,
    };
    ctx.render(
        StatusCode::OK,
        "Ressources",
        None,
        PageBody::Resources(view),
    )
}
