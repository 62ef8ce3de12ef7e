//! The CAS 3.0 server's endpoints under `/cas` (Apereo CAS protocol 3.0): the browser's
//! `login` and `logout`, and the validations the services call from their own servers. The
//! rules (which service, which ticket, what it learns) are the domain's (`domain::cas`); here
//! are the protocol's addresses, parameters and answer formats.

mod login;
mod logout;
pub(crate) mod proxy_callback;
mod registry;
mod response;
pub(crate) mod single_logout;
mod validate;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::http::AppState;

/// A logo upload's body: the image (256 KB at most) with room to spare, so that a somewhat
/// larger image reaches the check and gets its precise message rather than a cut-off upload.
const LOGO_BODY_LIMIT: usize = 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cas/login", get(login::login))
        .route("/cas/logout", get(logout::logout))
        .route("/cas/validate", get(validate::validate_v1))
        .route("/cas/serviceValidate", get(validate::service_validate))
        .route("/cas/p3/serviceValidate", get(validate::service_validate))
        .route("/cas/proxyValidate", get(validate::proxy_validate))
        .route("/cas/p3/proxyValidate", get(validate::proxy_validate))
        .route("/cas/proxy", get(validate::proxy))
        .route(
            "/admin/services",
            get(registry::page).post(registry::add_service),
        )
        .route("/admin/services/{id}/supprimer", post(registry::remove))
        .route(
            "/admin/services/{id}/logo",
            post(registry::set_logo).layer(DefaultBodyLimit::max(LOGO_BODY_LIMIT)),
        )
        .route(
            "/admin/services/{id}/logo/supprimer",
            post(registry::remove_logo),
        )
        .route("/services/{id}/logo", get(registry::logo))
        .route("/admin/liens", post(registry::add_link))
        .route("/admin/liens/{id}/supprimer", post(registry::remove))
}

/// `303 See Other` to an address that came from a request (a registered service's): an
/// address that cannot be a header value gets `None` rather than a panic.
fn see_other(to: &str) -> Option<Response> {
    let location = HeaderValue::from_str(to).ok()?;
    Some((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

/// A query parameter as the protocol reads it: absent or empty is absent.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|value| !value.is_empty())
}

/// `renew`, `gateway`: `true` (or any value but `false`, as clients send `1` too).
fn flag(value: &Option<String>) -> bool {
    given(value).is_some_and(|value| !value.eq_ignore_ascii_case("false") && value != "0")
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
