//! Security headers on every answer, and the same-origin check for forms that precede a session.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;

/// Scripts only from here (plus compiling our own WASM); no framing; no plugins.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

/// The policy of a sign-in page whose form leads on to a CAS service at `origin` (the form's
/// answer redirects there, and `form-action` also covers a form's redirects).
pub fn csp_with_form_action(origin: &str) -> Option<HeaderValue> {
    let csp = CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    );
    HeaderValue::from_str(&csp).ok()
}

/// A year of HTTPS only, once a browser has reached the box over HTTPS.
const HSTS: &str = "max-age=31536000";

pub async fn headers(request: Request, next: Next) -> Response {
    let https = request
        .extensions()
        .get::<super::client::Client>()
        .is_some_and(|client| client.https);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    // Uploaded files and packages set a stricter policy of their own.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers
        .entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), microphone=(), camera=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// True when the request does not come from another site: browsers send `Origin` on POSTs and
/// `Sec-Fetch-Site` on everything; API clients without a browser send neither. The request's
/// own authority is its `Host` header in HTTP/1.1 and its `:authority` (the URI's) in HTTP/2.
pub fn same_origin(headers: &HeaderMap, uri: &Uri) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|authority| authority.as_str()))
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn same_origin_of(headers: &HeaderMap) -> bool {
        same_origin(headers, &Uri::from_static("/connexion"))
    }

    #[test]
    fn an_http2_request_is_checked_against_its_authority() {
        let uri = Uri::from_static("https://ent.college.fr/connexion");
        assert!(same_origin(
            &with(&[("origin", "https://ent.college.fr")]),
            &uri
        ));
        assert!(!same_origin(
            &with(&[("origin", "https://evil.example")]),
            &uri
        ));
        assert!(
            !same_origin(
                &with(&[("origin", "https://ent.college.fr")]),
                &Uri::from_static("/connexion")
            ),
            "no authority at all is no match"
        );
    }

    #[test]
    fn requests_from_another_site_are_not_same_origin() {
        assert!(same_origin_of(&with(&[("host", "ent.college.fr")])));
        assert!(same_origin_of(&with(&[
            ("host", "ent.college.fr"),
            ("origin", "https://ent.college.fr")
        ])));
        assert!(!same_origin_of(&with(&[
            ("host", "ent.college.fr"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin_of(&with(&[
            ("host", "ent.college.fr"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same_origin_of(&with(&[
            ("host", "ent.college.fr"),
            ("origin", "null")
        ])));
    }
}
