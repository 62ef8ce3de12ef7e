//! `GET /api/v1/agenda/ics-url` and `POST /api/v1/agenda/ics-url/revoke`: the caller's calendar
//! subscription address (`docs/api.md`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

use crate::http::auth::ApiAuth;
use crate::http::calendar::subscription_url;
use crate::http::client::Client;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agenda/ics-url", get(address))
        .route("/api/v1/agenda/ics-url/revoke", post(revoke))
}

#[derive(Serialize)]
struct Address {
    url: String,
}

async fn address(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    client: Client,
    headers: HeaderMap,
) -> Result<Json<Address>, ApiError> {
    let token = state.domain.ics_token(&auth.signed_in.account)?;
    Ok(answer(&client, &headers, &token))
}

async fn revoke(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    client: Client,
    headers: HeaderMap,
) -> Result<Json<Address>, ApiError> {
    let token = state.domain.revoke_ics_token(&auth.signed_in.account)?;
    state.domain.flush().await?;
    Ok(answer(&client, &headers, &token))
}

fn answer(client: &Client, headers: &HeaderMap, token: &str) -> Json<Address> {
    Json(Address {
        url: subscription_url(client, headers, token),
    })
}
