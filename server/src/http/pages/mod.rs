//! Server-rendered pages. Each handler computes a [`PageData`] from the domain and renders it;
//! every form posts here and redirects (POST → redirect → GET), so nothing needs JavaScript.

mod account;
mod admin;
mod agenda;
pub(crate) mod backups;
mod cas;
mod classes;
mod directory;
mod format;
mod home;
mod installation;
mod logbook;
mod messages;
mod news;
mod notifications;
mod resource;
mod resource_import;
mod resources;
mod server_status;
mod sign_in;
mod signed_in;
mod timetable;

pub use installation::lead_to_installation;

pub(crate) use cas::proxy_callback::ProxyCallback;
pub(crate) use cas::single_logout::watch as watch_single_logout;
pub(crate) use timetable::Names;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use preau_app::error::ErrorView;
use preau_app::model::{NavLink, Notice, PageBody, PageData, Viewer};

use super::auth::{Auth, CurrentAuth};
use super::client::Client;
use super::error::ApiError;
use super::AppState;
use crate::domain::access::{self, Action};
use crate::domain::services;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(sign_in::routes())
        .merge(cas::routes())
        .merge(account::routes())
        .merge(installation::routes())
        .merge(admin::routes())
        .merge(backups::routes())
        .merge(classes::routes())
        .merge(directory::routes())
        .merge(resources::routes())
        .merge(resource::routes(upload_limit))
        .merge(resource_import::routes(upload_limit))
        .merge(timetable::routes())
        .merge(logbook::routes(upload_limit))
        .merge(agenda::routes())
        .merge(news::routes(upload_limit))
        .merge(notifications::routes())
        .merge(messages::routes(upload_limit))
}

/// What a page handler needs: the state, who is asking, and where.
pub struct PageCtx {
    pub state: AppState,
    pub auth: Option<Arc<Auth>>,
    /// Who is at the other end (address, HTTPS), proxies accounted for.
    pub client: Client,
    pub path: String,
    pub path_and_query: String,
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            state: state.clone(),
            auth: parts
                .extensions
                .get::<CurrentAuth>()
                .and_then(|current| current.0.clone()),
            client: Client::from_request_parts(parts, state).await?,
            path: parts.uri.path().to_owned(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or_else(|| "/".to_owned()),
        })
    }
}

impl PageCtx {
    /// The signed-in person, or a redirect to the sign-in page that comes back here.
    pub fn require(&self) -> Result<Arc<Auth>, Redirect> {
        self.auth.clone().ok_or_else(|| {
            let next =
                form_urlencoded::byte_serialize(self.path_and_query.as_bytes()).collect::<String>();
            Redirect::to(&format!("/connexion?suite={next}"))
        })
    }

    /// The signed-in person if they may do `action`; otherwise the answer to give: the sign-in
    /// redirect, or the forbidden page.
    pub fn require_to(&self, action: Action) -> Result<Arc<Auth>, Box<Response>> {
        let auth = self
            .require()
            .map_err(|redirect| Box::new(redirect.into_response()))?;
        if access::allows(&auth.signed_in.account, action) {
            Ok(auth)
        } else {
            Err(Box::new(self.error(ApiError::forbidden())))
        }
    }

    pub fn render(
        &self,
        status: StatusCode,
        title: &str,
        notice: Option<Notice>,
        body: PageBody,
    ) -> Response {
        render(
            &self.state,
            self.auth.as_deref(),
            &self.path,
            status,
            title,
            notice,
            body,
        )
    }

    pub fn error(&self, error: impl Into<ApiError>) -> Response {
        error_page(&self.state, self.auth.as_deref(), error.into())
    }
}

fn render(
    state: &AppState,
    auth: Option<&Auth>,
    path: &str,
    status: StatusCode,
    title: &str,
    notice: Option<Notice>,
    body: PageBody,
) -> Response {
    let establishment = state
        .domain
        .establishment()
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let data = PageData {
        title: title.to_owned(),
        establishment,
        viewer: auth.map(|auth| viewer(state, auth, path)),
        notice,
        body,
    };
    let html = preau_app::document::render_document(data, &state.assets);
    let mut response = (status, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn viewer(state: &AppState, auth: &Auth, path: &str) -> Viewer {
    let account = &auth.signed_in.account;
    // A count of keys under the viewer's prefix, on every page: cheap enough to stay on the
    // async thread, like the establishment's name above (`make bench` measures it).
    let unseen_notifications = state
        .domain
        .unseen_notifications(account)
        .unwrap_or_else(|error| {
            tracing::warn!(%error, login = %account.login, "cannot count unseen notifications");
            0
        });
    let nav = services::available_to(account)
        .into_iter()
        .map(|service| NavLink {
            href: service.href.to_owned(),
            label: service.label.to_owned(),
            current: service.href == path
                || (service.href != "/"
                    && path.starts_with(service.href)
                    && path.as_bytes().get(service.href.len()) == Some(&b'/')),
        })
        .collect();
    Viewer {
        login: account.login.clone(),
        display_name: account.display_name(),
        profile_label: profile_label(account),
        is_admin: account.is_admin,
        csrf: auth.signed_in.session.csrf.clone(),
        nav,
        must_change_password: account.must_change_password,
        unseen_notifications,
    }
}

fn profile_label(account: &crate::domain::accounts::account::Account) -> String {
    if account.is_admin {
        format!("{} · administrateur", account.profile.label())
    } else {
        account.profile.label().to_owned()
    }
}

/// The French error page, with the status of `error`.
pub fn error_page(state: &AppState, auth: Option<&Auth>, error: ApiError) -> Response {
    let mut response = render(
        state,
        auth,
        "",
        error.status,
        error.heading(),
        None,
        PageBody::Error(ErrorView {
            status: error.status.as_u16(),
            heading: error.heading().to_owned(),
            message: error.message.clone(),
        }),
    );
    if let Some(seconds) = error.retry_after {
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}

/// A handler that panicked: the person gets the French 500 page, the log gets the details.
pub fn panic_page(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    let error = ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "Une erreur interne est survenue. Réessayez dans un instant.",
    );
    let data = PageData {
        title: error.heading().to_owned(),
        establishment: "Préau".to_owned(),
        viewer: None,
        notice: None,
        body: PageBody::Error(ErrorView {
            status: 500,
            heading: error.heading().to_owned(),
            message: error.message,
        }),
    };
    let html = preau_app::document::render_document(data, &super::assets::links());
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, html).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

pub async fn not_found(ctx: PageCtx) -> Response {
    if ctx.path.starts_with("/api/") {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Cette adresse de l'API n'existe pas.",
        )
        .into_response();
    }
    ctx.error(ApiError::not_found())
}

/// A local path to go back to after signing in; anything else is dropped so that the sign-in
/// page cannot be used as an open redirect. Browsers drop tabs and line breaks from addresses
/// and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would reach another host:
/// a path is kept only if it starts with one `/` and holds no `\`, no whitespace and no control
/// character at all. That also keeps it a valid `Location` header value.
pub fn local_path(next: Option<&str>) -> Option<String> {
    let next = next?;
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_whitespace() || c.is_control());
    local.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{local_path, panic_page};
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    #[tokio::test]
    async fn a_panicking_handler_gets_the_french_error_page() {
        async fn broken() -> &'static str {
            panic!("a bug")
        }
        let app = Router::new()
            .route("/boum", get(broken))
            .layer(CatchPanicLayer::custom(panic_page));
        let request = Request::get("/boum").body(Body::empty()).expect("request");
        let response = app.oneshot(request).await.expect("answers");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("Une erreur interne est survenue"), "{html}");
        assert!(!html.contains("a bug"), "internals stay in the log");
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/compte")), Some("/compte".to_owned()));
        assert_eq!(
            local_path(Some("/?enfant=3")),
            Some("/?enfant=3".to_owned())
        );
        assert_eq!(local_path(Some("//evil.example/")), None);
        assert_eq!(local_path(Some("https://evil.example/")), None);
        assert_eq!(local_path(Some("/\\evil.example")), None);
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn paths_that_browsers_turn_into_another_host_are_dropped() {
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{b}/evil.example",
            "/\u{a0}/evil.example",
            "/\u{2028}/evil.example",
            "/compte\\..\\evil",
            "",
        ] {
            assert_eq!(local_path(Some(hostile)), None, "{hostile:?}");
        }
    }

    #[test]
    fn a_kept_path_is_always_a_valid_location_header() {
        for candidate in [
            "/\r\nSet-Cookie: x",
            "/compte\u{7f}",
            "/ressources?q=théâtre",
            "/ressources?q=a%20b",
        ] {
            if let Some(path) = local_path(Some(candidate)) {
                assert!(
                    axum::http::HeaderValue::try_from(path.as_str()).is_ok(),
                    "{candidate:?}"
                );
            }
        }
        assert_eq!(
            local_path(Some("/ressources?q=th%C3%A9%C3%A2tre")),
            Some("/ressources?q=th%C3%A9%C3%A2tre".to_owned())
        );
    }
}
