//! The JSON API under `/api/v1` (reference: `docs/api.md`).

mod admin;
mod agenda;
mod classes;
mod homework;
mod me;
mod messages;
mod notifications;
mod people;
mod resource_writes;
pub mod resources;
mod session;
mod timetable;

use axum::extract::rejection::JsonRejection;
use axum::Router;

use super::error::ApiError;
use super::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(me::routes())
        .merge(admin::routes())
        .merge(classes::routes())
        .merge(people::routes())
        .merge(resources::routes())
        .merge(resource_writes::routes(upload_limit))
        .merge(timetable::routes())
        .merge(homework::routes())
        .merge(agenda::routes())
        .merge(messages::routes())
        .merge(notifications::routes())
}

/// A JSON body that does not parse gets our error shape, not axum's plain text.
fn json_body<T>(body: Result<axum::Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|axum::Json(value)| value).map_err(|rejection| {
        tracing::debug!(%rejection, "bad JSON body");
        ApiError::bad_request(
            "Le corps de la requête n'est pas un JSON valide pour cette opération.",
        )
    })
}
