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
use crate::domain::sessions::SignedIn;

pub const SESSION_COOKIE: &str = "preau_session";
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
    let (token, via) = match credentials(request.headers()) {
        Some((token, via)) => (Some(token), via),
        None => (None, Via::Cookie),
    };
    let signed_in = match token {
        Some(token) => match state.domain.sessions.resolve(&token) {
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
        if !security::same_origin(request.headers()) {
            return refuse(&state, auth.as_deref(), is_api, ApiError::csrf());
        }
        if let Some(current) = auth.as_deref() {
            if current.via == Via::Cookie && !SIGN_IN_PATHS.contains(&path.as_str()) {
                let (checked, ok) = check_csrf(request, &current.signed_in.session.csrf).await;
                request = checked;
                if !ok {
                    return refuse(&state, Some(current), is_api, ApiError::csrf());
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

/// The bearer token, else the session cookie.
fn credentials(headers: &HeaderMap) -> Option<(String, Via)> {
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
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| (value.to_owned(), Via::Cookie))
}

/// Accepts the token from the `X-CSRF-Token` header, or from the `csrf` field of an urlencoded
/// form (the body is read and handed back to the handler untouched).
async fn check_csrf(request: Request, expected: &str) -> (Request, bool) {
    let matches = |candidate: &str| {
        bool::from(subtle::ConstantTimeEq::ct_eq(
            candidate.as_bytes(),
            expected.as_bytes(),
        ))
    };
    if let Some(token) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let ok = matches(token);
        return (request, ok);
    }
    let content_type = super::content_type(request.headers());
    let boundary = multer::parse_boundary(&content_type).ok();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form && boundary.is_none() {
        return (request, false);
    }
    let (parts, body) = request.into_parts();
    if let Some(boundary) = boundary {
        let (body, token) = multipart_csrf(body, boundary).await;
        let ok = token.is_some_and(|token| matches(&token));
        return (Request::from_parts(parts, body), ok);
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (Request::from_parts(parts, Body::empty()), false);
    };
    let token = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned());
    let ok = token.is_some_and(|token| matches(&token));
    (Request::from_parts(parts, Body::from(bytes)), ok)
}

/// How far into a multipart body the `csrf` field must be: our forms put it first, so that an
/// upload of hundreds of megabytes is checked from its first kilobytes and streamed on.
const CSRF_HEAD_LIMIT: usize = 1 << 20;

/// Reads the head of a multipart body until its `csrf` field is complete, and gives back a body
/// that replays the head then streams the rest untouched.
async fn multipart_csrf(body: Body, boundary: String) -> (Body, Option<String>) {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut head: Vec<axum::body::Bytes> = Vec::new();
    let mut joined = Vec::new();
    let mut token = None;
    loop {
        let finished = match stream.next().await {
            Some(Ok(chunk)) => {
                joined.extend_from_slice(&chunk);
                head.push(chunk);
                false
            }
            Some(Err(_)) => return (Body::empty(), None),
            None => true,
        };
        let prefix = axum::body::Bytes::copy_from_slice(&joined);
        if let Some(found) = multipart_field(prefix, boundary.clone(), "csrf").await {
            token = Some(found);
            break;
        }
        if finished || joined.len() > CSRF_HEAD_LIMIT {
            break;
        }
    }
    let replay = futures_util::stream::iter(head.into_iter().map(Ok::<_, axum::Error>));
    (Body::from_stream(replay.chain(stream)), token)
}

/// The text of the field `wanted` of a buffered multipart body (file uploads carry their CSRF
/// token as a form field: a form without JavaScript cannot set a header).
async fn multipart_field(
    bytes: axum::body::Bytes,
    boundary: String,
    wanted: &str,
) -> Option<String> {
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(wanted) {
            return field.text().await.ok();
        }
    }
    None
}

/// `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("preau_session=; Path=/; Max-Age=0"))
}

/// `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "preau_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
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
            credentials(&headers),
            Some(("COOKIE".to_owned(), Via::Cookie))
        );
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer TOKEN"),
        );
        assert_eq!(
            credentials(&headers),
            Some(("TOKEN".to_owned(), Via::Bearer))
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
