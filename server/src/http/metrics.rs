//! `/metrics` for a monitoring system, and the middleware that counts every request for it.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::client::Client;
use super::AppState;
use crate::monitoring::health::Health;

/// The route pattern a request matched, carried from the router to [`measure`].
#[derive(Clone)]
struct RouteOf(MatchedPath);

/// Inside the router (a route layer): notes which route answered.
pub async fn mark_route(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteOf(route));
    }
    response
}

/// Outside everything: counts the request under its route and status, with the time to its
/// response head (a streamed body goes on after).
pub async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<RouteOf>()
        .map_or("(aucune route)", |RouteOf(route)| route.as_str());
    state.monitoring.metrics.observe(
        &method,
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// `GET /metrics`: from the box itself, or with the configured bearer token.
pub async fn serve(State(state): State<AppState>, client: Client, headers: HeaderMap) -> Response {
    if !may_read(&state, client, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are served to the box itself or with the token of [monitoring] metrics_token\n",
        )
            .into_response();
    }
    let domain = state.domain.clone();
    let monitoring = state.monitoring.clone();
    let data = state.data.clone();
    let read = tokio::task::spawn_blocking(move || {
        let health = Health::read(&domain, &monitoring, &data)?;
        Ok::<_, crate::domain::DomainError>(monitoring.metrics.encode(&health.snapshot()))
    })
    .await;
    match read {
        Ok(Ok(Ok(text))) => {
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            response
        }
        Ok(Ok(Err(error))) => {
            tracing::error!(%error, "cannot encode the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "cannot read the box's health for the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "reading the metrics panicked");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The client is the box itself (after trusted proxies are resolved: a proxy on the box
/// forwarding for someone else does not count), or sends the configured token.
fn may_read(state: &AppState, client: Client, headers: &HeaderMap) -> bool {
    if client.address.is_loopback() {
        return true;
    }
    let Some(expected) = state.domain.config().monitoring.metrics_token.as_deref() else {
        return false;
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    use subtle::ConstantTimeEq;
    bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}
