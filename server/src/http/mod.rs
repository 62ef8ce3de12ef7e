//! The HTTP edge: routes, middleware, JSON API and server-rendered pages.

pub(crate) mod api;
mod assets;
mod auth;
mod calendar;
pub(crate) mod client;
pub mod csrf_scan;
mod error;
mod files;
pub mod live;
mod metrics;
mod packages;
mod pages;
mod resource_input;
mod resource_query;
mod security;
mod shares;
mod state;

pub(crate) use pages::watch_single_logout;
pub use state::AppState;

use crate::domain::DomainError;

/// Runs domain work that hashes passwords (argon2 takes tens of milliseconds) on the blocking
/// pool, so that it never stalls the request loop.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DomainError> + Send + 'static,
) -> Result<T, DomainError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| Err(DomainError::Worker(join)))
}

/// The request's media type as sent (empty when absent or not text).
pub(crate) fn content_type(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

use axum::middleware;
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// Wraps every request body so that reading it fails once it sends nothing for
/// `[http] body_idle_timeout` (uploads on a weak Wi-Fi still move every few seconds; a client
/// that stalls on purpose frees its connection).
async fn body_idle_timeout(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let idle = state.domain.config().http.body_idle_timeout;
    let request = request
        .map(|body| axum::body::Body::new(tower_http::timeout::TimeoutBody::new(idle, body)));
    next.run(request).await
}

/// After refusing a request that carries a body, the body may be left unread (an upload from
/// someone who may not write is never received): the connection is closed after the answer, so
/// that the client does not send its next request down a connection still full of it.
async fn close_after_refused_body(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue, Version};
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    let http1 = matches!(request.version(), Version::HTTP_10 | Version::HTTP_11);
    let mut response = next.run(request).await;
    let refused = response.status().is_client_error() || response.status().is_server_error();
    if has_body && http1 && refused {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// A request that may write (any method but GET, HEAD and OPTIONS) holds a write permit from
/// start to answer, so that a backup sees each such change whole or not at all
/// (the store's write gate, `store/gate.rs`). Reads never wait for a backup.
async fn gate_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    // « Sauvegarder maintenant » writes nothing in the store and closes the gate itself.
    let backing_up = request.uri().path() == pages::backups::PATH;
    if backing_up
        || matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        )
    {
        return next.run(request).await;
    }
    let _permit = state.domain.write_permit().await;
    next.run(request).await
}

/// Forms and JSON bodies above this are refused.
const BODY_LIMIT: usize = 1 << 20;
/// Directory feed uploads (a zip of a whole collège's export is a few MiB); nothing larger is
/// read at all.
const UPLOAD_LIMIT: usize = 64 << 20;

pub fn router(state: AppState) -> Router {
    // Resource uploads may be larger than a directory feed; nothing larger than either is read.
    let upload_limit = usize::try_from(state.domain.config().files.max_upload_bytes())
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 20)
        .max(UPLOAD_LIMIT);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(api::routes(upload_limit))
        .merge(pages::routes(upload_limit))
        .merge(files::routes())
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::lead_to_installation,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .merge(assets::routes())
        // Packages carry their own permission in their address and never see the session.
        .merge(packages::routes())
        .merge(calendar::routes())
        // Outside the session: its bearer token is the monitoring one, not a session's.
        .route("/metrics", get(metrics::serve))
        .route_layer(middleware::from_fn(metrics::mark_route))
        .layer(middleware::from_fn_with_state(state.clone(), gate_writes))
        .layer(CatchPanicLayer::custom(pages::panic_page))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::resolve,
        ))
        .layer(RequestBodyLimitLayer::new(upload_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            body_idle_timeout,
        ))
        .layer(middleware::from_fn(close_after_refused_body))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::measure,
        ))
        .with_state(state)
}
