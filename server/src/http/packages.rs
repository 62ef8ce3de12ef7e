//! Interactive packages served from their signed addresses: each file is streamed straight out
//! of the stored zip (inflated on the way when it is compressed), with ranges so that a video
//! seeks, within the share of concurrent streams of the person the address was made for.
//! Package pages run in a sandbox, in an opaque origin: no session cookie, no reading of the
//! ENT's pages, and no CORS grant (the package's files are for its own pages).

use std::collections::{HashMap, VecDeque};
use std::io::SeekFrom;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use flate2::{Decompress, FlushDecompress, Status};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::error::ApiError;
use super::files::confine;
use super::shares::Slot;
use super::AppState;
use crate::domain::resources::resource::Content;
use crate::domain::DomainError;
use crate::package::{EntryMap, Limits, Span, Stored};

/// A package's own scripts run, in an opaque origin: no cookie, no reading of the ENT's pages.
const PACKAGE_CSP: &str = "sandbox allow-scripts allow-forms allow-popups allow-modals; \
default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'; frame-ancestors 'self'";
/// How long a request waits for a turn among its person's streams before being refused.
const PATIENCE: Duration = Duration::from_secs(20);
/// Bytes read from the zip at a time.
const CHUNK: usize = 64 << 10;
/// Packages whose maps are kept: a few classes' current modules.
const MAPS_KEPT: usize = 32;

pub fn routes() -> Router<AppState> {
    Router::new().route("/paquets/{token}/{*path}", get(package_entry))
}

/// The maps of the packages served lately, so that a module's dozens of files do not each
/// reread its central directory.
#[derive(Default)]
pub struct PackageMaps {
    kept: Mutex<Kept>,
}

/// Maps by package hash, and the hashes from the oldest kept.
type Kept = (HashMap<String, Arc<EntryMap>>, VecDeque<String>);

impl PackageMaps {
    async fn get(&self, hash: &str, zip: PathBuf) -> Result<Arc<EntryMap>, DomainError> {
        if let Some(map) = self.lock().0.get(hash) {
            return Ok(map.clone());
        }
        let map = crate::http::blocking(move || {
            let file = std::fs::File::open(&zip).map_err(|source| file_io("open", &zip, source))?;
            Ok(EntryMap::read(
                std::io::BufReader::new(file),
                &Limits::default(),
            )?)
        })
        .await?;
        let map = Arc::new(map);
        let mut kept = self.lock();
        let (maps, order) = &mut *kept;
        if maps.insert(hash.to_owned(), map.clone()).is_none() {
            order.push_back(hash.to_owned());
        }
        while order.len() > MAPS_KEPT {
            if let Some(oldest) = order.pop_front() {
                maps.remove(&oldest);
            }
        }
        Ok(map)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        crate::plain_lock::lock(&self.kept)
    }
}

async fn package_entry(
    State(state): State<AppState>,
    Path((token, path)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match serve(&state, &token, &path, &headers).await {
        Ok(response) => response,
        Err(Refusal::Missing) => package_error(
            StatusCode::NOT_FOUND,
            "Ce fichier du module n'existe pas, ou son lien a expiré : rouvrez la ressource depuis l'ENT.",
        ),
        Err(Refusal::Busy) => {
            let mut response = package_error(
                StatusCode::TOO_MANY_REQUESTS,
                "Trop de fichiers demandés à la fois : patientez un instant puis rechargez.",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
        Err(Refusal::Failed(error)) => ApiError::from(error).into_response(),
    }
}

enum Refusal {
    Missing,
    Busy,
    Failed(DomainError),
}

impl From<DomainError> for Refusal {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::UnknownResource(_) => Refusal::Missing,
            DomainError::Package(error) => {
                tracing::warn!(%error, "a stored package cannot be served");
                Refusal::Missing
            }
            other => Refusal::Failed(other),
        }
    }
}

async fn serve(
    state: &AppState,
    token: &str,
    path: &str,
    headers: &HeaderMap,
) -> Result<Response, Refusal> {
    let (resource, viewer) = state.domain.package_by_token(token)?;
    let Content::Package { file, .. } = &resource.content else {
        return Err(Refusal::Missing);
    };
    let zip = state
        .domain
        .blobs()?
        .path_of(&file.hash)
        .ok_or(Refusal::Missing)?;
    let map = state.package_maps.get(&file.hash, zip.clone()).await?;
    let span = map.get(path).ok_or(Refusal::Missing)?;
    let slot = state
        .package_streams
        .take(viewer.id, PATIENCE)
        .await
        .ok_or(Refusal::Busy)?;
    let range = requested_range(headers, span.len);
    let (status, range) = match range {
        Requested::Whole => (StatusCode::OK, 0..span.len),
        Requested::Part(range) => (StatusCode::PARTIAL_CONTENT, range),
        Requested::Unsatisfiable => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{}", span.len)) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            confine(response.headers_mut(), PACKAGE_CSP);
            return Ok(response);
        }
    };
    let opened = tokio::fs::File::open(&zip)
        .await
        .map_err(|source| file_io("open", &zip, source))?;
    let reader = EntryReader::new(opened, span, range.clone(), slot)
        .await
        .map_err(|source| file_io("seek", &zip, source))?;
    let body = Body::from_stream(futures_util::stream::unfold(reader, |mut reader| async {
        match reader.next_chunk().await {
            Ok(Some(bytes)) => Some((Ok::<_, std::io::Error>(bytes), reader)),
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "a package file could not be sent whole");
                Some((Err(error), reader))
            }
        }
    }));
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(span.media_type),
    );
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(value) = HeaderValue::from_str(&(range.end - range.start).to_string()) {
        headers.insert(header::CONTENT_LENGTH, value);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {}-{}/{}", range.start, range.end - 1, span.len);
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::CONTENT_RANGE, value);
        }
    }
    confine(headers, PACKAGE_CSP);
    Ok(response)
}

enum Requested {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// One range of the entry, as asked; several ranges, or a header that does not parse, get the
/// whole entry (RFC 9110 lets a server ignore `Range`).
fn requested_range(headers: &HeaderMap, len: u64) -> Requested {
    let Some(value) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Requested::Whole;
    };
    let Ok(parsed) = http_range_header::parse_range_header(value) else {
        return Requested::Whole;
    };
    match parsed.validate(len) {
        Ok(ranges) if ranges.len() == 1 => {
            let range = &ranges[0];
            Requested::Part(*range.start()..range.end().saturating_add(1))
        }
        Ok(_) => Requested::Whole,
        Err(_) => Requested::Unsatisfiable,
    }
}

/// Reads one entry's bytes out of the zip, inflating them when they are compressed, and
/// gives the part of them asked for, chunk by chunk. Holds its person's stream slot until it is
/// dropped, that is until the answer is sent or the client goes away.
struct EntryReader {
    file: tokio::fs::File,
    /// Stored bytes not read yet.
    stored_left: u64,
    input: Vec<u8>,
    consumed: usize,
    inflater: Option<Decompress>,
    /// Inflated bytes still to skip before the range, then to send.
    skip: u64,
    send: u64,
    _slot: Slot,
}

impl EntryReader {
    async fn new(
        mut file: tokio::fs::File,
        span: Span,
        range: Range<u64>,
        slot: Slot,
    ) -> std::io::Result<Self> {
        let (start, stored_left, skip, inflater) = match span.stored {
            // A slice of the file: seek straight to the range.
            Stored::Plain => (span.offset + range.start, range.end - range.start, 0, None),
            // Inflated from the start of the entry, the bytes before the range dropped.
            Stored::Deflated => (
                span.offset,
                span.stored_len,
                range.start,
                Some(Decompress::new(false)),
            ),
        };
        file.seek(SeekFrom::Start(start)).await?;
        Ok(Self {
            file,
            stored_left,
            input: Vec::new(),
            consumed: 0,
            inflater,
            skip,
            send: range.end - range.start,
            _slot: slot,
        })
    }

    async fn next_chunk(&mut self) -> std::io::Result<Option<Bytes>> {
        while self.send > 0 {
            if self.consumed == self.input.len() {
                if self.stored_left == 0 {
                    return Ok(None);
                }
                let want = usize::try_from(self.stored_left).map_or(CHUNK, |left| left.min(CHUNK));
                self.input.resize(want, 0);
                self.file.read_exact(&mut self.input).await?;
                self.consumed = 0;
                self.stored_left -= want as u64;
            }
            let produced = match &mut self.inflater {
                None => {
                    self.consumed = 0;
                    std::mem::take(&mut self.input)
                }
                Some(inflater) => {
                    let mut out = Vec::with_capacity(4 * CHUNK);
                    let before = inflater.total_in();
                    let status = inflater
                        .decompress_vec(
                            &self.input[self.consumed..],
                            &mut out,
                            FlushDecompress::None,
                        )
                        .map_err(std::io::Error::other)?;
                    let used = usize::try_from(inflater.total_in() - before).unwrap_or(usize::MAX);
                    self.consumed = (self.consumed + used).min(self.input.len());
                    if status == Status::StreamEnd {
                        self.stored_left = 0;
                        self.consumed = self.input.len();
                    } else if used == 0 && out.is_empty() {
                        return Err(std::io::Error::other(
                            "the deflate stream makes no progress",
                        ));
                    }
                    out
                }
            };
            let skipped =
                usize::try_from(self.skip).map_or(produced.len(), |skip| skip.min(produced.len()));
            self.skip -= skipped as u64;
            let kept = &produced[skipped..];
            let kept =
                &kept[..usize::try_from(self.send).map_or(kept.len(), |send| send.min(kept.len()))];
            if !kept.is_empty() {
                self.send -= kept.len() as u64;
                return Ok(Some(Bytes::copy_from_slice(kept)));
            }
        }
        Ok(None)
    }
}

fn package_error(status: StatusCode, message: &'static str) -> Response {
    let mut response = (status, message).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PACKAGE_CSP),
    );
    response
}

fn file_io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> DomainError {
    DomainError::FileIo {
        action,
        path: path.display().to_string(),
        source,
    }
}
