//! The HTTP edge: routes, middleware, JSON API and server-rendered pages.

pub(crate) mod api;
mod assets;
mod auth;
mod error;
mod pages;
mod security;
mod state;

pub use state::AppState;

use crate::domain::DomainError;

/// Runs domain work that hashes passwords (argon2 takes tens of milliseconds) on the blocking
/// pool, so that it never stalls the request loop.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DomainError> + Send + 'static,
) -> Result<T, DomainError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| Err(DomainError::Hashing(format!("worker failed: {join}"))))
}

use axum::middleware;
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// Forms and JSON bodies above this are refused.
const BODY_LIMIT: usize = 1 << 20;
/// Directory feed uploads (a zip of a whole collège's export is a few MiB); nothing larger is
/// read at all.
const UPLOAD_LIMIT: usize = 64 << 20;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(api::routes())
        .merge(pages::routes())
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .merge(assets::routes())
        .layer(CatchPanicLayer::custom(pages::panic_page))
        .layer(middleware::from_fn(security::headers))
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
        .with_state(state)
}
