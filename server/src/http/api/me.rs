//! `GET /api/v1/me` and `POST /api/v1/me/password`.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::json_body;
use super::session::session_answer;
use crate::domain::accounts::me::{self, Me};
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(show))
        .route("/api/v1/me/password", post(change_password))
}

async fn show(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> Result<Json<Me>, ApiError> {
    let establishment = state.domain.establishment()?;
    let me = me::describe(&auth.signed_in.account, &establishment, |id| {
        state.domain.accounts().get(id)
    })?;
    Ok(Json(me))
}

#[derive(Deserialize)]
struct PasswordChange {
    current: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    client: crate::http::client::Client,
    ApiAuth(auth): ApiAuth,
    body: Result<Json<PasswordChange>, JsonRejection>,
) -> Result<Response, ApiError> {
    let change = json_body(body)?;
    let domain = state.domain.clone();
    let account = auth.signed_in.account.clone();
    let opened = crate::http::blocking(move || {
        domain.change_password(
            &account,
            &change.current,
            &change.new,
            &change.new,
            client.address,
        )
    })
    .await?;
    // Every other session of the account ended with the change: so do their streams.
    state.live.recheck(opened.account.id);
    session_answer(&state, client, opened).await
}
