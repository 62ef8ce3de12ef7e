//! `/agenda/{token}.ics`: the timetable as an iCalendar subscription, for phone calendars. The
//! secret address stands in for the session (calendar apps send no cookie); a renewed address
//! leaves the old one answering 404.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::client::Client;
use super::error::ApiError;
use super::AppState;
use crate::domain::DomainError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/agenda/{file}", get(calendar))
}

async fn calendar(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics").map(str::to_owned) else {
        return ApiError::from(DomainError::UnknownCalendar).into_response();
    };
    let domain = state.domain.clone();
    let built = super::blocking(move || {
        let owner = domain.ics_owner(&token)?;
        domain.ics_calendar(&owner)
    })
    .await;
    match built {
        Ok(text) => {
            let mut response = (StatusCode::OK, text).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=900"),
            );
            response
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// The full address of a subscription, on the host the person reached Préau by.
pub fn subscription_url(client: &Client, headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(host) => format!("{}://{host}/agenda/{token}.ics", client.scheme()),
        None => format!("/agenda/{token}.ics"),
    }
}
