//! `GET /api/v1/resources`: search the resource library (DESIGN.md contract).

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::resource::Content;
use crate::domain::DomainError;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;
use crate::search::{SearchQuery, Sort, MAX_PAGE};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/resources", get(search))
        .route("/api/v1/resources/{id}", get(show))
}

/// One resource, for those it is meant for (`404` for everyone else).
async fn show(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<crate::domain::resource::Resource>, ApiError> {
    let id = id
        .parse()
        .map_err(|_| ApiError::from(DomainError::UnknownResource(0)))?;
    Ok(Json(
        state.domain.resource_for(&auth.signed_in.account, id)?,
    ))
}

pub const PER_PAGE: usize = 20;

#[derive(Deserialize, Default)]
pub struct ResourceQuery {
    #[serde(default)]
    pub q: String,
    pub discipline: Option<String>,
    pub level: Option<String>,
    pub theme: Option<String>,
    pub kind: Option<String>,
    /// `date` for newest first; relevance otherwise.
    pub sort: Option<String>,
    /// Read by [`page_number`]: a page number is checked, not trusted.
    pub page: Option<String>,
}

/// The page asked for: 1 when absent, an error for anything but a number from 1 to
/// [`MAX_PAGE`] (a page past the last one is brought back to the last by [`run`]).
pub fn page_number(raw: Option<&str>) -> Result<usize, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(1),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or_else(|| DomainError::InvalidPage(text.chars().take(20).collect())),
    }
}

impl ResourceQuery {
    pub fn to_search(&self) -> Result<SearchQuery, DomainError> {
        let one = |value: &Option<String>| -> Vec<String> {
            value
                .iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        };
        Ok(SearchQuery {
            text: self.q.trim().chars().take(200).collect(),
            disciplines: one(&self.discipline),
            levels: one(&self.level),
            theme: one(&self.theme).into_iter().next(),
            kinds: one(&self.kind),
            audiences: None,
            sort: if self.sort.as_deref() == Some("date") {
                Sort::Newest
            } else {
                Sort::Relevance
            },
            page: page_number(self.page.as_deref())?,
            per_page: PER_PAGE,
        })
    }
}

#[derive(Serialize)]
pub struct ResourceHit {
    pub id: u64,
    pub title: String,
    pub description: String,
    /// Title and best passage of the description as HTML (escaped, matches in `<b>`).
    pub title_html: String,
    pub description_html: String,
    pub kind: &'static str,
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    pub themes: Vec<String>,
    pub url: String,
    pub author: String,
    pub updated_at: String,
}

#[derive(Serialize)]
pub struct ResourcePage {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<ResourceHit>,
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

/// Runs `query` as `viewer` and joins the hits with their stored resources.
pub fn run(
    state: &AppState,
    viewer: &crate::domain::account::Account,
    query: &ResourceQuery,
) -> Result<ResourcePage, DomainError> {
    let mut search = query.to_search()?;
    let mut results = state.domain.search_resources(viewer, search.clone())?;
    // A page past the last (an old link, a hand-made address) shows the last page.
    let last_page = results.total.div_ceil(PER_PAGE).max(1);
    if search.page > last_page {
        search.page = last_page;
        results = state.domain.search_resources(viewer, search.clone())?;
    }
    let page = search.page;
    let mut hits = Vec::with_capacity(results.hits.len());
    for hit in results.hits {
        let Some(resource) = state
            .domain
            .store
            .resources
            .get(crate::store::keys::id(hit.id))?
        else {
            continue;
        };
        let author = state
            .domain
            .accounts
            .get_shared(resource.author)?
            .map(|a| a.display_name())
            .unwrap_or_default();
        // Where the resource opens: the link itself, the file, or (a package) its page.
        let url = match &resource.content {
            Content::Link { url } => url.clone(),
            Content::File { .. } => format!("/ressources/{}/fichier", resource.id),
            Content::Package { .. } => format!("/ressources/{}", resource.id),
        };
        hits.push(ResourceHit {
            id: resource.id,
            title: resource.title.clone(),
            description: resource.description.clone(),
            title_html: hit.title_snippet,
            description_html: hit.description_snippet,
            kind: resource.kind.code(),
            disciplines: resource.disciplines.clone(),
            levels: resource.levels.clone(),
            themes: resource.themes.clone(),
            url,
            author,
            updated_at: resource.updated_at.to_rfc3339(),
        });
    }
    let facets = BTreeMap::from([
        ("discipline", results.facets.discipline),
        ("level", results.facets.level),
        ("theme", results.facets.theme),
        ("kind", results.facets.kind),
    ]);
    Ok(ResourcePage {
        total: results.total,
        page,
        per_page: PER_PAGE,
        hits,
        facets,
    })
}

async fn search(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<ResourceQuery>,
) -> Result<Json<ResourcePage>, ApiError> {
    let worker = state.clone();
    let page = crate::http::blocking(move || run(&worker, &auth.signed_in.account, &query)).await?;
    Ok(Json(page))
}
