//! `GET /api/v1/agenda/ics-url` and `POST /api/v1/agenda/ics-url/revoke`: the caller's calendar
//! subscription address; `GET /api/v1/agenda/events`: the events the caller may see
//! (`docs/api.md`).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::agenda::event::EventAudience;

use crate::http::auth::ApiAuth;
use crate::http::calendar::subscription_url;
use crate::http::client::Client;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agenda/ics-url", get(address))
        .route("/api/v1/agenda/ics-url/revoke", post(revoke))
        .route("/api/v1/agenda/events", get(events))
}

#[derive(Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct EventJson {
    id: u64,
    title: String,
    /// `meeting`, `trip`, `class_council`, `parents_meeting` or `other`.
    kind: &'static str,
    /// Local time, `YYYY-MM-DDTHH:MM:SS` (Europe/Paris).
    starts: chrono::NaiveDateTime,
    ends: chrono::NaiveDateTime,
    all_day: bool,
    place: String,
    description: String,
    /// `{"to": "establishment" | "staff" | "personal"}` or `{"to": "targets", "targets": [...]}`.
    audience: EventAudience,
}

async fn events(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(period): Query<Period>,
) -> Result<Json<Vec<EventJson>>, ApiError> {
    let from = super::timetable::date("from", period.from.as_deref())?;
    let to = super::timetable::date("to", period.to.as_deref())?;
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let events = crate::http::blocking(move || domain.events_between(&viewer, from, to)).await?;
    Ok(Json(
        events
            .iter()
            .map(|event| EventJson {
                id: event.id,
                title: event.title.clone(),
                kind: event.kind.code(),
                starts: event.starts,
                ends: event.ends,
                all_day: event.all_day,
                place: event.place.clone(),
                description: event.description.clone(),
                audience: event.audience.clone(),
            })
            .collect(),
    ))
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
