//! `/ressources`: the resource library as a page that works without JavaScript, and the same view
//! as JSON (`/ressources.json`), which the hydrated page fetches to search as one types. Both come
//! from [`build`], so the live page can never show something the plain page would not.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use preau_app::model::PageBody;
use preau_app::resources;
use preau_app::resources::model::{
    FacetLink, ResourceCard, ResourcesView, Suggestion, ThemeFacet, UnderstoodFilter,
};

use super::PageCtx;
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::ResourceKind;
use crate::domain::resources::resource_search::PER_PAGE;
use crate::domain::resources::understanding::{self, Facet};
use crate::domain::resources::vocabulary::{Theme, Vocabulary};
use crate::domain::DomainError;
use crate::http::error::ApiError;
use crate::http::resource_query::ResourceQuery;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ressources", get(show))
        .route("/ressources.json", get(show_json))
}

async fn show(ctx: PageCtx, Query(query): Query<ResourceQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    match build(&ctx.state, auth.signed_in.account.clone(), query).await {
        Ok(view) => ctx.render(
            StatusCode::OK,
            "Ressources",
            None,
            PageBody::Resources(resources::Page::Search(view)),
        ),
        Err(error) => ctx.error(error),
    }
}

/// The page's view as JSON, for the same session; `401` rather than the sign-in redirect, which
/// a script could not follow.
async fn show_json(ctx: PageCtx, Query(query): Query<ResourceQuery>) -> Response {
    let Some(auth) = ctx.auth.clone() else {
        return ApiError::unauthenticated().into_response();
    };
    match build(&ctx.state, auth.signed_in.account.clone(), query).await {
        Ok(view) => Json(view).into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// The filters of a search, as every link of the page carries them.
#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    q: String,
    discipline: String,
    level: String,
    theme: String,
    kind: String,
    /// `date` or empty (relevance).
    sort: String,
}

impl Filters {
    fn of(query: &ResourceQuery) -> Self {
        let value = |value: &Option<String>| value.as_deref().unwrap_or_default().trim().to_owned();
        Self {
            q: query.q.trim().to_owned(),
            discipline: value(&query.discipline),
            level: value(&query.level),
            theme: value(&query.theme),
            kind: value(&query.kind),
            sort: if query.sort.as_deref() == Some("date") {
                "date".to_owned()
            } else {
                String::new()
            },
        }
    }

    /// `/ressources?…` with these filters (empty ones left out) at `page`.
    fn href(&self, page: usize) -> String {
        let mut url = form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("q", &self.q),
            ("discipline", &self.discipline),
            ("level", &self.level),
            ("theme", &self.theme),
            ("kind", &self.kind),
            ("sort", &self.sort),
        ];
        for (name, value) in pairs {
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
}

/// Runs the search as `viewer` and turns it into the page's view: results, facets whose counts
/// are exactly what the index returned (so only what the viewer may see), and links that keep
/// every active filter.
async fn build(
    state: &AppState,
    viewer: Arc<Account>,
    query: ResourceQuery,
) -> Result<ResourcesView, DomainError> {
    let can_publish = access::allows(&viewer, Action::CreateResource);
    let filters = Filters::of(&query);
    let search = query.to_search()?;
    let domain = state.domain.clone();
    let page = crate::http::blocking(move || domain.find_resources(&viewer, search)).await?;
    let page_number = page.page;
    let vocabulary = Vocabulary::embedded();
    // Every link keeps the words as typed and the filters as chosen: a filter read in the words
    // holds while its words are in the query, and goes with them. Removing it removes its words.
    let without_words = |facet: Facet, value: Option<&str>| Filters {
        q: understanding::without_filter(&filters.q, facet, value),
        ..filters.clone()
    };
    let understood = page
        .understood
        .iter()
        .map(|understood| {
            let label = match understood.facet {
                Facet::Discipline => vocabulary.discipline_label(&understood.value),
                Facet::Level => vocabulary.level_label(&understood.value),
            };
            UnderstoodFilter {
                words: understood.words.clone(),
                label: label.unwrap_or(&understood.value).to_owned(),
                remove_href: without_words(understood.facet, Some(&understood.value)).href(1),
            }
        })
        .collect();
    // The suggested words replace the ones searched; the filter words stay in front of them.
    let did_you_mean = page.suggestion.as_ref().map(|suggestion| {
        let words = page
            .understood
            .iter()
            .map(|understood| understood.words.as_str())
            .chain([suggestion.as_str()])
            .collect::<Vec<_>>()
            .join(" ");
        Suggestion {
            href: Filters {
                q: words.clone(),
                ..filters.clone()
            }
            .href(1),
            words,
        }
    });
    let facets = &page.facets;
    // The discipline and level facets mark the filter the search ran with, chosen or read in
    // the words; their links set (or remove) it in place of the words.
    let discipline_facets = facet_links(
        &facets.discipline,
        page.disciplines.first().map_or("", String::as_str),
        |code| vocabulary.discipline_label(code).map(str::to_owned),
        |value| Filters {
            discipline: value.to_owned(),
            ..without_words(Facet::Discipline, None)
        },
    );
    let level_facets = facet_links(
        &facets.level,
        page.levels.first().map_or("", String::as_str),
        |id| vocabulary.level_label(id).map(str::to_owned),
        |value| Filters {
            level: value.to_owned(),
            ..without_words(Facet::Level, None)
        },
    );
    let kind_counts = &facets.kind;
    let kind_facets = facet_links(
        // In the order of the kinds, not of their codes.
        ResourceKind::ALL
            .iter()
            .filter_map(|kind| kind_counts.get_key_value(kind.code())),
        &filters.kind,
        |code| ResourceKind::from_code(code).map(|kind| kind.label().to_owned()),
        |value| Filters {
            kind: value.to_owned(),
            ..filters.clone()
        },
    );
    let theme_facet = theme_facet(vocabulary, &facets.theme, &filters);
    let hits = page
        .hits
        .into_iter()
        .map(|hit| {
            let resource = &hit.resource;
            let mut detail: Vec<String> = vec![resource.kind.label().to_owned()];
            detail.extend(
                resource
                    .disciplines
                    .iter()
                    .filter_map(|code| vocabulary.discipline_label(code))
                    .map(str::to_owned),
            );
            detail.extend(
                resource
                    .levels
                    .iter()
                    .filter_map(|id| vocabulary.level_label(id))
                    .filter(|label| !label.starts_with("cycle"))
                    .map(str::to_owned),
            );
            detail.push(hit.author);
            ResourceCard {
                title_html: hit.title_html,
                description_html: hit.description_html,
                href: format!("/ressources/{}", resource.id),
                detail: detail.join(" · "),
            }
        })
        .collect();
    let last_page = page.total.div_ceil(PER_PAGE).max(1);
    Ok(ResourcesView {
        previous_page: (page_number > 1).then(|| filters.href(page_number - 1)),
        next_page: (page_number < last_page).then(|| filters.href(page_number + 1)),
        disciplines: choices(
            "Toutes",
            vocabulary.disciplines().iter().map(|t| (&t.id, &t.label)),
        ),
        levels: choices(
            "Tous",
            vocabulary.levels().iter().map(|t| (&t.id, &t.label)),
        ),
        query: filters.q,
        discipline: filters.discipline,
        level: filters.level,
        theme: filters.theme,
        kind: filters.kind,
        sort: filters.sort,
        total: page.total,
        hits,
        discipline_facets,
        level_facets,
        kind_facets,
        theme_facet,
        understood,
        did_you_mean,
        can_publish,
    })
}

/// The options of a select: « all » first (the empty value), then the vocabulary's terms.
fn choices<'a>(
    all: &str,
    terms: impl Iterator<Item = (&'a String, &'a String)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), all.to_owned()))
        .chain(terms.map(|(id, label)| (id.clone(), label.clone())))
        .collect()
}

/// One link per counted value that has a label: it applies the value, or removes it when it is
/// the selected one (the facet's own filter leaves only that value counted).
fn facet_links<'a>(
    counts: impl IntoIterator<Item = (&'a String, &'a u64)>,
    selected: &str,
    label: impl Fn(&str) -> Option<String>,
    with: impl Fn(&str) -> Filters,
) -> Vec<FacetLink> {
    counts
        .into_iter()
        .filter_map(|(value, count)| {
            let is_selected = value == selected;
            Some(FacetLink {
                label: label(value)?,
                count: *count,
                href: with(if is_selected { "" } else { value }).href(1),
                selected: is_selected,
            })
        })
        .collect()
}

/// The programme tree as a facet. The index names a discipline's root by the discipline's BCN
/// code and every other node by its id (`Vocabulary::theme_path`); only nodes it counted are
/// offered.
fn theme_facet(
    vocabulary: &Vocabulary,
    counts: &BTreeMap<String, u64>,
    filters: &Filters,
) -> ThemeFacet {
    let link = |key: &str, label: String| FacetLink {
        count: counts.get(key).copied().unwrap_or(0),
        href: Filters {
            theme: key.to_owned(),
            ..filters.clone()
        }
        .href(1),
        selected: key == filters.theme,
        label,
    };
    let counted = |key: &String| counts.contains_key(key);
    let roots = vocabulary.disciplines_roots();
    if filters.theme.is_empty() {
        let children = roots
            .into_iter()
            .filter(|root| counted(&root.discipline))
            .map(|root| link(&root.discipline, root_label(vocabulary, root)))
            .collect();
        return ThemeFacet {
            path: Vec::new(),
            children,
        };
    }
    let chosen = roots
        .iter()
        .copied()
        .find(|root| root.discipline == filters.theme)
        .or_else(|| vocabulary.theme(&filters.theme));
    let mut path = vec![link("", "Tous les thèmes".to_owned())];
    let Some(chosen) = chosen else {
        return ThemeFacet {
            path,
            children: Vec::new(),
        };
    };
    for key in vocabulary.theme_path(&chosen.id).unwrap_or_default() {
        let label = match vocabulary.theme(&key) {
            Some(node) => capitalise(node.short_label()),
            None => roots
                .iter()
                .find(|root| root.discipline == key)
                .map(|root| root_label(vocabulary, root))
                .unwrap_or_else(|| key.clone()),
        };
        path.push(link(&key, label));
    }
    let children = vocabulary
        .children_of(&chosen.id)
        .into_iter()
        .filter(|child| counted(&child.id))
        .map(|child| link(&child.id, capitalise(child.short_label())))
        .collect();
    ThemeFacet { path, children }
}

/// A discipline's root by the discipline's name, as the discipline facet shows it.
fn root_label(vocabulary: &Vocabulary, root: &Theme) -> String {
    vocabulary
        .discipline_label(&root.discipline)
        .map(str::to_owned)
        .unwrap_or_else(|| capitalise(root.short_label()))
}

/// The vocabulary writes theme labels in lower case (« utiliser le calcul littéral »); a facet
/// shows them as a title.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs
            .iter()
            .map(|(key, count)| ((*key).to_owned(), *count))
            .collect()
    }

    #[test]
    fn every_link_keeps_the_other_filters_and_drops_empty_ones() {
        let filters = Filters {
            q: "calcul littéral".to_owned(),
            level: "num-021".to_owned(),
            sort: "date".to_owned(),
            ..Filters::default()
        };
        assert_eq!(
            filters.href(2),
            "/ressources?q=calcul+litt%C3%A9ral&level=num-021&sort=date&page=2"
        );
        assert_eq!(Filters::default().href(1), "/ressources");
    }

    #[test]
    fn without_a_theme_the_facet_offers_the_counted_disciplines_of_the_programme() {
        let facet = theme_facet(
            Vocabulary::embedded(),
            &counts(&[("061300", 4), ("num-947", 4), ("020700", 1)]),
            &Filters::default(),
        );
        assert!(facet.path.is_empty());
        let labels: Vec<(&str, u64)> = facet
            .children
            .iter()
            .map(|link| (link.label.as_str(), link.count))
            .collect();
        assert_eq!(labels, [("Mathématiques", 4), ("Français", 1)]);
        assert_eq!(facet.children[0].href, "/ressources?theme=061300");
    }

    #[test]
    fn a_chosen_theme_shows_the_way_back_up_and_its_counted_children() {
        let filters = Filters {
            q: "calcul".to_owned(),
            theme: "num-947".to_owned(),
            ..Filters::default()
        };
        let facet = theme_facet(
            Vocabulary::embedded(),
            &counts(&[("061300", 3), ("num-947", 3), ("num-948", 2)]),
            &filters,
        );
        let path: Vec<(&str, &str, bool)> = facet
            .path
            .iter()
            .map(|link| (link.label.as_str(), link.href.as_str(), link.selected))
            .collect();
        assert_eq!(
            path,
            [
                ("Tous les thèmes", "/ressources?q=calcul", false),
                ("Mathématiques", "/ressources?q=calcul&theme=061300", false),
                (
                    "Mathématiques (cycle 4)",
                    "/ressources?q=calcul&theme=num-947",
                    true
                ),
            ]
        );
        assert_eq!(facet.children.len(), 1);
        assert_eq!(facet.children[0].label, "Nombres et calculs");
        assert_eq!(facet.children[0].count, 2);
        assert_eq!(facet.children[0].href, "/ressources?q=calcul&theme=num-948");
    }
}
