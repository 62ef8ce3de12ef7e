//! `POST /api/v1/session` (sign in) and `DELETE /api/v1/session` (sign out).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::json_body;
use crate::domain::accounts::me::{self, Me};
use crate::domain::accounts::sign_in::Opened;
use crate::http::auth::{self, ApiAuth};
use crate::http::client::Client;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/session", post(sign_in).delete(sign_out))
}

#[derive(Deserialize)]
struct Credentials {
    login: String,
    password: String,
}

#[derive(Serialize)]
struct SessionAnswer {
    token: String,
    csrf: String,
    must_change_password: bool,
    user: Me,
}

async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Result<Response, ApiError> {
    let credentials = json_body(body)?;
    let domain = state.domain.clone();
    let opened = crate::http::blocking(move || {
        domain.sign_in(&credentials.login, &credentials.password, client.address)
    })
    .await?;
    session_answer(&state, client, opened).await
}

/// The answer shared by sign-in and password change: the new session, as JSON and as a cookie.
pub async fn session_answer(
    state: &AppState,
    client: Client,
    opened: Opened,
) -> Result<Response, ApiError> {
    state.domain.flush().await?;
    let establishment = state.domain.establishment()?;
    let user = me::describe(&opened.account, &establishment, |id| {
        state.domain.accounts().get(id)
    })?;
    let cookie = auth::session_cookie(
        &opened.token,
        state.domain.sessions().lifetimes().absolute.as_secs(),
        client.https,
    );
    let answer = SessionAnswer {
        token: opened.token,
        csrf: opened.session.csrf,
        must_change_password: opened.account.must_change_password,
        user,
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(answer)).into_response())
}

async fn sign_out(
    State(state): State<AppState>,
    client: Client,
    ApiAuth(auth): ApiAuth,
) -> Result<Response, ApiError> {
    state.domain.sessions().close(&auth.signed_in)?;
    state.domain.flush().await?;
    state.live.recheck(auth.signed_in.account.id);
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::cleared_cookie(client.https))],
    )
        .into_response())
}
