//! `GET /api/v1/people/{id}`: a person's card.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

use crate::domain::school::people::PersonCard;
use crate::domain::DomainError;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/people/{id}", get(show))
}

async fn show(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> Result<Json<PersonCard>, ApiError> {
    let id = id
        .parse()
        .map_err(|_| ApiError::from(DomainError::UnknownPerson(0)))?;
    Ok(Json(state.domain.person_card(&auth.signed_in.account, id)?))
}
