//! `GET /api/v1/resources`: search the resource library (a contract: `docs/api.md`).

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::domain::resources::resource::{Content, Resource};
use crate::domain::resources::resource_search::PER_PAGE;
use crate::domain::resources::understanding::Facet;
use crate::domain::DomainError;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::resource_query::ResourceQuery;
use crate::http::AppState;

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
) -> Result<Json<crate::domain::resources::resource::Resource>, ApiError> {
    let id = id
        .parse()
        .map_err(|_| ApiError::from(DomainError::UnknownResource(0)))?;
    Ok(Json(
        state.domain.resource_for(&auth.signed_in.account, id)?,
    ))
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
    /// Discipline and level words of `q` applied as filters.
    pub understood: Vec<UnderstoodWords>,
    /// When nothing was found: words that would find something.
    pub did_you_mean: Option<String>,
}

#[derive(Serialize)]
pub struct UnderstoodWords {
    /// `discipline` or `level`.
    pub facet: &'static str,
    pub value: String,
    pub words: String,
}

/// Runs `query` as `viewer`: one page of the JSON contract.
pub fn run(
    state: &AppState,
    viewer: &crate::domain::accounts::account::Account,
    query: &ResourceQuery,
) -> Result<ResourcePage, DomainError> {
    let found = state.domain.find_resources(viewer, query.to_search()?)?;
    let hits = found
        .hits
        .into_iter()
        .map(|hit| {
            let resource = hit.resource;
            ResourceHit {
                id: resource.id,
                url: opening_url(&resource),
                kind: resource.kind.code(),
                updated_at: resource.updated_at.to_rfc3339(),
                title: resource.title,
                description: resource.description,
                title_html: hit.title_html,
                description_html: hit.description_html,
                disciplines: resource.disciplines,
                levels: resource.levels,
                themes: resource.themes,
                author: hit.author,
            }
        })
        .collect();
    let facets = BTreeMap::from([
        ("discipline", found.facets.discipline),
        ("level", found.facets.level),
        ("theme", found.facets.theme),
        ("kind", found.facets.kind),
    ]);
    let understood = found
        .understood
        .into_iter()
        .map(|understood| UnderstoodWords {
            facet: match understood.facet {
                Facet::Discipline => "discipline",
                Facet::Level => "level",
            },
            value: understood.value,
            words: understood.words,
        })
        .collect();
    Ok(ResourcePage {
        total: found.total,
        page: found.page,
        per_page: PER_PAGE,
        hits,
        facets,
        understood,
        did_you_mean: found.suggestion,
    })
}

/// Where a resource opens: the link itself, the file, or (a package) its page.
fn opening_url(resource: &Resource) -> String {
    match &resource.content {
        Content::Link { url } => url.clone(),
        Content::File { .. } => format!("/ressources/{}/fichier", resource.id),
        Content::Package { .. } => format!("/ressources/{}", resource.id),
    }
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
