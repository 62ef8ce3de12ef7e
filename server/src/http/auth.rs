//! Who is asking: the session (cookie or bearer token) is resolved once per request, then the
//! CSRF and must-change-password rules are enforced before any handler runs.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::error::ApiError;
use super::{pages, security, AppState, BODY_LIMIT};
use crate::domain::accounts::sessions::SignedIn;

/// The session cookie over plain HTTP.
pub const SESSION_COOKIE: &str = "preau_session";
/// The session cookie over HTTPS: the `__Host-` prefix makes browsers refuse it unless it is
/// `Secure`, for `/` and without `Domain`, so that no other site of the school's domain and no
/// plain-HTTP answer can plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-preau_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the client proved who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

#[derive(Clone, Debug)]
pub struct Auth {
    pub signed_in: SignedIn,
    pub via: Via,
}

/// The request's authentication, as resolved by [`authenticate`].
#[derive(Clone, Default)]
pub struct CurrentAuth(pub Option<Arc<Auth>>);

/// Forms and endpoints that open a session: they come before any CSRF token exists, so only the
/// same-origin check guards them.
const SIGN_IN_PATHS: &[&str] = &["/connexion", "/activation", "/api/v1/session"];

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let https = request
        .extensions()
        .get::<super::client::Client>()
        .is_some_and(|client| client.https);
    let (token, via) = match credentials(request.headers(), https) {
        Some((token, via)) => (Some(token), via),
        None => (None, Via::Cookie),
    };
    let signed_in = match token {
        Some(token) => match state.domain.sessions().resolve(&token) {
            Ok(found) => found,
            Err(error) => return ApiError::from(error).into_response(),
        },
        None => None,
    };
    let path = request.uri().path().to_owned();
    let is_api = path.starts_with("/api/");
    if via == Via::Bearer && signed_in.is_none() {
        return ApiError::unauthenticated().into_response();
    }
    let auth = signed_in.map(|signed_in| Arc::new(Auth { signed_in, via }));

    if !is_safe(request.method()) {
        if !security::same_origin(request.headers(), request.uri()) {
            return refuse(&state, auth.as_deref(), is_api, ApiError::csrf());
        }
        if let Some(current) = auth.as_deref() {
            if current.via == Via::Cookie && !SIGN_IN_PATHS.contains(&path.as_str()) {
                match check_csrf(request, &current.signed_in.session.csrf).await {
                    Ok(checked) => request = checked,
                    Err(error) => return refuse(&state, Some(current), is_api, error),
                }
            }
        }
    }

    if let Some(current) = auth.as_deref() {
        if current.signed_in.account.must_change_password
            && !allowed_before_password_change(request.method(), &path)
        {
            return if is_api {
                ApiError::password_change_required().into_response()
            } else {
                Redirect::to("/compte").into_response()
            };
        }
    }

    request.extensions_mut().insert(CurrentAuth(auth));
    next.run(request).await
}

fn refuse(state: &AppState, auth: Option<&Auth>, is_api: bool, error: ApiError) -> Response {
    if is_api {
        error.into_response()
    } else {
        pages::error_page(state, auth, error)
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What an account that must change its password may still do.
fn allowed_before_password_change(method: &Method, path: &str) -> bool {
    match path {
        "/compte" | "/compte/mot-de-passe" | "/deconnexion" | "/api/v1/me/password" => true,
        "/api/v1/session" => *method == Method::DELETE,
        _ => false,
    }
}

/// The bearer token, else the session cookie (over HTTPS, only the `__Host-` one).
fn credentials(headers: &HeaderMap, https: bool) -> Option<(String, Via)> {
    let cookie = if https {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    };
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(token) = value.strip_prefix("Bearer ") {
            return Some((token.trim().to_owned(), Via::Bearer));
        }
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie)
        .map(|(_, value)| (value.to_owned(), Via::Cookie))
}

/// Accepts the token from the `X-CSRF-Token` header, or from the `csrf` field of an urlencoded
/// or multipart form (the body is read as far as needed and handed back to the handler whole).
async fn check_csrf(request: Request, expected: &str) -> Result<Request, ApiError> {
    let matches = |candidate: &str| {
        bool::from(subtle::ConstantTimeEq::ct_eq(
            candidate.as_bytes(),
            expected.as_bytes(),
        ))
    };
    let verdict = |token: Option<String>| {
        if token.is_some_and(|token| matches(&token)) {
            Ok(())
        } else {
            Err(ApiError::csrf())
        }
    };
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return verdict(Some(token.to_owned())).map(|()| request);
    }
    let content_type = super::content_type(request.headers());
    let boundary = multer::parse_boundary(&content_type).ok();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form && boundary.is_none() {
        return Err(ApiError::csrf());
    }
    let (parts, body) = request.into_parts();
    if let Some(boundary) = boundary {
        let scanned = tokio::time::timeout(CSRF_HEAD_DEADLINE, multipart_csrf(body, &boundary))
            .await
            .map_err(|_| {
                tracing::info!("multipart head not received in time");
                ApiError::request_timeout()
            })?;
        let (body, token) = scanned?;
        return verdict(Some(token)).map(|()| Request::from_parts(parts, body));
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return Err(ApiError::csrf());
    };
    let token = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned());
    verdict(token).map(|()| Request::from_parts(parts, Body::from(bytes)))
}

/// How long the head of a multipart body (up to its token) may take to arrive: a slow sender
/// must not hold a connection and a buffer by trickling bytes.
const CSRF_HEAD_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

/// Reads the head of a multipart body until its `csrf` field is complete (see
/// [`super::csrf_scan`]), and gives back the token and a body that replays the head then
/// streams the rest untouched.
async fn multipart_csrf(body: Body, boundary: &str) -> Result<(Body, String), ApiError> {
    use super::csrf_scan::{CsrfScan, ScanRefusal, Scanned};
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut head: Vec<axum::body::Bytes> = Vec::new();
    let mut scan = CsrfScan::new(boundary);
    let scanned = loop {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let scanned = scan.feed(&chunk);
                head.push(chunk);
                if scanned != Scanned::NeedMore {
                    break scanned;
                }
            }
            Some(Err(error)) => {
                tracing::debug!(%error, "multipart body interrupted before its token");
                return Err(ApiError::csrf());
            }
            None => break scan.finish(),
        }
    };
    match scanned {
        Scanned::Found(token) => {
            let replay = futures_util::stream::iter(head.into_iter().map(Ok::<_, axum::Error>));
            Ok((Body::from_stream(replay.chain(stream)), token))
        }
        // No token where our forms put it (a file first, or none at all): the form is not one
        // of ours, as without a token. A little more is read so that a browser shows the answer.
        Scanned::NeedMore | Scanned::Refused(ScanRefusal::Missing | ScanRefusal::HeadTooLarge) => {
            super::resource_input::drain_some_body(Body::from_stream(stream)).await;
            Err(ApiError::csrf())
        }
        Scanned::Refused(refusal) => {
            tracing::info!(?refusal, "multipart head refused");
            Err(ApiError::bad_request(
                "Le formulaire envoyé est illisible : son jeton de sécurité manque ou est invalide. \
                 Rechargez la page et réessayez.",
            ))
        }
    }
}

/// `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, max_age_secs: u64, https: bool) -> HeaderValue {
    let (name, secure) = if https {
        (SECURE_SESSION_COOKIE, "; Secure")
    } else {
        (SESSION_COOKIE, "")
    };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| cleared_cookie(https))
}

/// `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(https: bool) -> HeaderValue {
    if https {
        HeaderValue::from_static(
            "__Host-preau_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("preau_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// A handler argument for API routes that need a signed-in client.
pub struct ApiAuth(pub Arc<Auth>);

impl<S: Send + Sync> FromRequestParts<S> for ApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentAuth>()
            .and_then(|current| current.0.clone())
            .map(ApiAuth)
            .ok_or_else(ApiError::unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_token_wins_over_the_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; preau_session=COOKIE"),
        );
        assert_eq!(
            credentials(&headers, false),
            Some(("COOKIE".to_owned(), Via::Cookie))
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer TOKEN"),
        );
        assert_eq!(
            credentials(&headers, false),
            Some(("TOKEN".to_owned(), Via::Bearer))
        );
    }

    #[test]
    fn over_https_only_the_host_prefixed_cookie_is_a_session() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("preau_session=PLANTED"),
        );
        assert_eq!(credentials(&headers, true), None);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("preau_session=PLANTED; __Host-preau_session=REAL"),
        );
        assert_eq!(
            credentials(&headers, true),
            Some(("REAL".to_owned(), Via::Cookie))
        );
        let cookie = session_cookie("T", 60, true);
        let cookie = cookie.to_str().expect("ascii");
        assert!(
            cookie.starts_with("__Host-preau_session=T; Path=/;"),
            "{cookie}"
        );
        assert!(
            cookie.ends_with("; Secure") && !cookie.contains("Domain"),
            "{cookie}"
        );
    }

    #[test]
    fn only_the_password_change_is_open_before_the_password_is_changed() {
        assert!(allowed_before_password_change(
            &Method::POST,
            "/api/v1/me/password"
        ));
        assert!(allowed_before_password_change(
            &Method::DELETE,
            "/api/v1/session"
        ));
        assert!(!allowed_before_password_change(&Method::GET, "/api/v1/me"));
        assert!(!allowed_before_password_change(&Method::GET, "/"));
    }
}
