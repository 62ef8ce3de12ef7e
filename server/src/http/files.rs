//! Serving what teachers uploaded: a resource's file, to those it is meant for, with ranges
//! (audio and video seek), sandboxed so that nothing in it acts as the signed-in person.
//! Interactive packages are served by [`super::packages`].

use axum::body::Body;
use axum::extract::{Path, Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::pages::PageCtx;
use super::AppState;
use crate::domain::resources::resource::StoredFile;
use crate::domain::DomainError;
use crate::files::media::{preview_of, Preview};

/// A file shown inline may still not run anything, nor be framed by another site.
const FILE_CSP: &str = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; \
style-src 'unsafe-inline'; frame-ancestors 'self'";
/// Chrome's PDF viewer does not run in a sandboxed document; PDFs get everything else.
const PDF_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
frame-ancestors 'self'";

pub fn routes() -> Router<AppState> {
    Router::new().route("/ressources/{id}/fichier", get(file))
}

#[derive(Deserialize)]
struct FileQuery {
    /// Any value: download rather than show.
    telecharger: Option<String>,
}

async fn file(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<FileQuery>,
    request: Request,
) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let Ok(id) = id.parse::<u64>() else {
        return ctx.error(DomainError::UnknownResource(0));
    };
    let resource = match ctx.state.domain.resource_for(&auth.signed_in.account, id) {
        Ok(resource) => resource,
        Err(error) => return ctx.error(error),
    };
    let Some(stored) = resource.content.file().cloned() else {
        return ctx.error(DomainError::UnknownResource(id));
    };
    serve_stored(
        &ctx,
        &stored,
        query.telecharger.is_some(),
        request,
        DomainError::UnknownResource(id),
    )
    .await
}

/// Answers with the blob of `stored`, shown inline when a browser can show it safely (unless
/// `download`), confined; `missing` is the answer when the blob is not there.
pub(super) async fn serve_stored(
    ctx: &PageCtx,
    stored: &StoredFile,
    download: bool,
    request: Request,
    missing: DomainError,
) -> Response {
    let path = match ctx
        .state
        .domain
        .blobs()
        .map(|blobs| blobs.path_of(&stored.hash))
    {
        Ok(Some(path)) => path,
        Ok(None) | Err(_) => return ctx.error(missing),
    };
    let served = ServeFile::new_with_mime(&path, &mime_of(&stored.media_type))
        .oneshot(request)
        .await;
    let mut response = match served {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        tracing::error!(hash = %stored.hash, "an uploaded file is missing from data/files");
        return ctx.error(missing);
    }
    let preview = preview_of(&stored.media_type);
    let inline = !download && preview != Preview::None;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(inline, &stored.name),
    );
    confine(
        headers,
        if preview == Preview::Pdf {
            PDF_CSP
        } else {
            FILE_CSP
        },
    );
    response
}

/// What every uploaded file and package answer carries: its policy, framing by Préau's own
/// pages only, and a private cache (the content of an address never changes).
pub(super) fn confine(headers: &mut axum::http::HeaderMap, csp: &'static str) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
}

fn mime_of(media_type: &str) -> mime_guess::Mime {
    media_type
        .parse()
        .unwrap_or(mime_guess::mime::APPLICATION_OCTET_STREAM)
}

/// A zip made for one person (a backup, a set of hand-ins), streamed from its open file as an
/// attachment named `name`, never cached.
pub(super) fn private_zip(file: tokio::fs::File, name: &str) -> Response {
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(false, name),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `inline` or `attachment`, with the uploaded name in both an ASCII fallback and UTF-8
/// (RFC 6266), so that « Leçon 3 – Pythagore.pdf » keeps its accents.
pub(super) fn content_disposition(inline: bool, name: &str) -> HeaderValue {
    let kind = if inline { "inline" } else { "attachment" };
    let ascii: String = deunicode::deunicode(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_its_accents_and_cannot_break_the_header() {
        let value = content_disposition(false, "Leçon 3 – \"Pythagore\".pdf");
        let text = value.to_str().expect("ascii");
        assert!(text.starts_with("attachment; filename=\"Lecon 3 - _Pythagore_.pdf\""));
        assert!(text.contains("filename*=UTF-8''Le%C3%A7on%203%20%E2%80%93%20%22Pythagore%22.pdf"));
    }
}
