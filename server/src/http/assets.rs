//! Static files embedded at build time (see `server/build.rs`): content-hashed names served
//! `immutable`, with the precompressed variant the client accepts.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use preau_app::document::AssetLinks;

use super::AppState;

pub struct Asset {
    pub path: &'static str,
    pub content_type: &'static str,
    pub immutable: bool,
    pub etag: &'static str,
    pub body: &'static [u8],
    pub gzip: Option<&'static [u8]>,
    pub brotli: Option<&'static [u8]>,
}

mod generated {
    use super::Asset;
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

pub fn links() -> AssetLinks {
    AssetLinks {
        stylesheet: generated::STYLESHEET.to_owned(),
        favicon: generated::FAVICON.to_owned(),
        manifest: generated::MANIFEST.to_owned(),
        offline_script: generated::OFFLINE_SCRIPT.to_owned(),
        live_script: generated::LIVE_SCRIPT.to_owned(),
        boot_script: generated::BOOT_SCRIPT.map(str::to_owned),
        preload_module: generated::PKG_JS.map(str::to_owned),
        preload_wasm: generated::PKG_WASM.map(str::to_owned),
    }
}

pub fn routes() -> Router<AppState> {
    generated::ASSETS
        .iter()
        .fold(Router::new(), |router, asset| {
            router.route(
                asset.path,
                get(move |headers: HeaderMap| serve(asset, headers)),
            )
        })
}

async fn serve(asset: &'static Asset, request: HeaderMap) -> Response {
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    let matches_etag = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == asset.etag));
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if matches_etag {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let accepts = |coding: &str| {
        accepted
            .split(',')
            .any(|item| item.split(';').next().is_some_and(|c| c.trim() == coding))
    };
    let body = match (asset.brotli, asset.gzip) {
        (Some(brotli), _) if accepts("br") => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            brotli
        }
        (_, Some(gzip)) if accepts("gzip") => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            gzip
        }
        _ => asset.body,
    };
    (headers, body).into_response()
}
