//! `GET /api/v1/classes` and `GET /api/v1/classes/{code}/members`.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

use crate::domain::school::classes::{ClassMembers, ClassSummary};
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/classes", get(list))
        .route("/api/v1/classes/{code}/members", get(members))
}

async fn list(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> Result<Json<Vec<ClassSummary>>, ApiError> {
    Ok(Json(state.domain.classes_for(&auth.signed_in.account)?))
}

async fn members(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(code): Path<String>,
) -> Result<Json<ClassMembers>, ApiError> {
    Ok(Json(
        state.domain.class_members(&auth.signed_in.account, &code)?,
    ))
}
