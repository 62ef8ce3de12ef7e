//! `GET /api/v1/notifications`: the caller's feed and unseen count; `POST
//! /api/v1/notifications/seen`: everything marked seen; `GET /api/v1/notifications/stream`:
//! server-sent events with the unseen count each time it changes (`docs/api.md`).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::Domain;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::live::Subscription;
use crate::http::AppState;

/// A comment line this often keeps proxies and browsers from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(25);
/// How often an open stream checks that its session still holds (expired, revoked by an
/// administrator or a directory import): it then ends, and the browser's reconnection meets a
/// 401. A sign-out or a password change through the ENT ends its streams at once
/// (`LiveCounts::recheck`). A check reads two cached records.
const SESSION_CHECK: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting after a stream ended (a restart, say).
const RETRY: Duration = Duration::from_secs(10);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notifications", get(feed))
        .route("/api/v1/notifications/seen", post(seen))
        .route("/api/v1/notifications/stream", get(stream))
}

#[derive(Deserialize)]
struct FeedQuery {
    page: Option<String>,
}

/// `?page=` as a number from 1, or the French refusal.
fn page_number(page: Option<&str>) -> Result<usize, ApiError> {
    match page {
        None => Ok(1),
        Some(text) => text.parse().ok().filter(|page| *page >= 1).ok_or_else(|| {
            ApiError::bad_request(
                "Numéro de page invalide : donnez un nombre entier à partir de 1.",
            )
        }),
    }
}

#[derive(Serialize)]
struct FeedJson {
    unseen: usize,
    page: usize,
    pages: usize,
    items: Vec<ItemJson>,
}

#[derive(Serialize)]
struct ItemJson {
    id: u64,
    /// `message`, `news` or `resource`.
    kind: &'static str,
    title: String,
    /// A local address of the ENT.
    href: String,
    date: chrono::DateTime<chrono::Utc>,
    seen: bool,
}

async fn feed(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<FeedQuery>,
) -> Result<Json<FeedJson>, ApiError> {
    let page = page_number(query.page.as_deref())?;
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let feed = crate::http::blocking(move || domain.notifications(&viewer, page)).await?;
    Ok(Json(FeedJson {
        unseen: feed.unseen,
        page: feed.page,
        pages: feed.pages,
        items: feed
            .entries
            .into_iter()
            .map(|entry| ItemJson {
                id: entry.id,
                kind: entry.notification.kind.code(),
                title: entry.notification.title,
                href: entry.notification.href,
                date: entry.notification.date,
                seen: entry.seen,
            })
            .collect(),
    }))
}

async fn seen(State(state): State<AppState>, ApiAuth(auth): ApiAuth) -> Result<Response, ApiError> {
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    crate::http::blocking(move || domain.mark_notifications_seen(&viewer)).await?;
    state.domain.flush().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What one open stream holds between two events.
struct Live {
    /// The count to send first, read once subscribed.
    first: Option<usize>,
    last: usize,
    subscription: Subscription,
    closing: tokio_util::sync::CancellationToken,
    checks: tokio::time::Interval,
    domain: std::sync::Arc<Domain>,
    token_hash: [u8; 32],
    /// The person's share of streams, given back when the stream ends.
    _slot: crate::http::shares::Slot,
}

fn unseen_event(unseen: usize) -> Event {
    Event::default()
        .event("unseen")
        .data(unseen.to_string())
        .retry(RETRY)
}

/// The next event: the first count, then each new one; `None` ends the stream (server
/// stopping, session over).
async fn next(mut live: Live) -> Option<(Result<Event, Infallible>, Live)> {
    if let Some(first) = live.first.take() {
        return Some((Ok(unseen_event(first)), live));
    }
    loop {
        tokio::select! {
            changed = live.subscription.changed() => {
                let wake = changed?;
                if wake.recheck && !live.domain.sessions().is_live(&live.token_hash).unwrap_or(false) {
                    return None;
                }
                if let Some(unseen) = wake.unseen.filter(|unseen| *unseen != live.last) {
                    live.last = unseen;
                    return Some((Ok(unseen_event(unseen)), live));
                }
            }
            () = live.closing.cancelled() => return None,
            _ = live.checks.tick() => {
                // A read of two cached records: not worth a trip to the blocking pool.
                if !live.domain.sessions().is_live(&live.token_hash).unwrap_or(false) {
                    return None;
                }
            }
        }
    }
}

async fn stream(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
) -> Result<Response, ApiError> {
    let viewer = auth.signed_in.account.clone();
    let slot = state.live_streams.try_take(viewer.id).ok_or_else(|| {
        tracing::info!(login = %viewer.login, "live stream refused: too many at once");
        ApiError::busy("Trop d'onglets suivent vos notifications : fermez-en quelques-uns.")
    })?;
    let subscription = state.live.subscribe(viewer.id);
    let domain = state.domain.clone();
    let first = crate::http::blocking(move || domain.unseen_notifications(&viewer)).await?;
    let mut checks = tokio::time::interval(SESSION_CHECK);
    checks.reset();
    let live = Live {
        first: Some(first),
        last: first,
        subscription,
        closing: state.live.closing(),
        checks,
        domain: state.domain.clone(),
        token_hash: auth.signed_in.token_hash,
        _slot: slot,
    };
    let mut response = Sse::new(futures_util::stream::unfold(live, next))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // nginx would otherwise hold the events back in its buffer.
    response.headers_mut().insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    Ok(response)
}
