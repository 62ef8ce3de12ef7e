//! Embeds the web assets into the binary: the stylesheet and icons of `assets/`, the WASM bundle
//! that `make` builds into `target/site/pkg/`, and a boot script that loads it. Files get
//! content-hashed names (served `immutable`) and precompressed gzip and brotli twins.
//!
//! Without a bundle (a plain `cargo build`), pages are still complete: they just do not hydrate.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use sha2::{Digest, Sha256};

struct Entry {
    url: String,
    bytes: Vec<u8>,
    content_type: &'static str,
    immutable: bool,
}

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest_dir
        .parent()
        .expect("server/ is inside the workspace");
    let assets_dir = root.join("assets");
    let site_dir = env::var("PREAU_SITE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target").join("site"));
    let pkg_dir = site_dir.join("pkg");
    println!("cargo:rerun-if-env-changed=PREAU_SITE_DIR");
    println!("cargo:rerun-if-changed={}", assets_dir.display());
    println!("cargo:rerun-if-changed={}", pkg_dir.display());

    let mut entries = Vec::new();
    let mut consts = String::new();

    let stylesheet = hashed(&assets_dir.join("style.css"), "/assets/style", ".css");
    let _ = writeln!(consts, "pub const STYLESHEET: &str = {:?};", stylesheet.url);
    entries.push(stylesheet);
    for (file, url, content_type) in [
        ("favicon.svg", "/favicon.svg", "image/svg+xml"),
        ("favicon.svg", "/favicon.ico", "image/svg+xml"),
        (
            "manifest.webmanifest",
            "/manifest.webmanifest",
            "application/manifest+json",
        ),
        // The service worker answers for the whole site only from the root.
        ("offline/sw.js", "/sw.js", "text/javascript; charset=utf-8"),
        (
            "offline/offline.js",
            "/hors-ligne.js",
            "text/javascript; charset=utf-8",
        ),
        // The header's live count of notifications, on every signed-in page.
        (
            "live/notifications.js",
            "/notifications.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        entries.push(Entry {
            url: url.to_owned(),
            bytes: read(&assets_dir.join(file)),
            content_type,
            immutable: false,
        });
    }
    let _ = writeln!(consts, "pub const FAVICON: &str = \"/favicon.svg\";");
    let _ = writeln!(
        consts,
        "pub const OFFLINE_SCRIPT: &str = \"/hors-ligne.js\";"
    );
    let _ = writeln!(
        consts,
        "pub const MANIFEST: &str = \"/manifest.webmanifest\";"
    );
    let _ = writeln!(
        consts,
        "pub const LIVE_SCRIPT: &str = \"/notifications.js\";"
    );

    let js = pkg_dir.join("preau.js");
    let wasm = pkg_dir.join("preau_bg.wasm");
    if js.is_file() && wasm.is_file() {
        let wasm_entry = hashed(&wasm, "/pkg/preau", "_bg.wasm");
        let js_entry = hashed(&js, "/pkg/preau", ".js");
        // Loaded only by pages that have islands: starts the bundle, then hydrates each island
        // (its element names the bundle's function for it), then tells tests it is done.
        let boot = format!(
            "import init, * as bundle from {js:?};\n\
             await init({{ module_or_path: {wasm:?} }});\n\
             bundle.hydrate();\n\
             for (const island of document.querySelectorAll(\"leptos-island\")) {{\n\
             \x20 const hydrateIsland = bundle[island.dataset.component];\n\
             \x20 if (hydrateIsland) await hydrateIsland(island);\n\
             \x20 else console.warn(`no function for the island ${{island.dataset.component}}`);\n\
             }}\n\
             document.documentElement.setAttribute(\"data-hydrated\", \"true\");\n",
            js = js_entry.url,
            wasm = wasm_entry.url
        );
        let boot_entry = Entry {
            url: format!("/assets/boot-{}.js", short_hash(boot.as_bytes())),
            bytes: boot.into_bytes(),
            content_type: "text/javascript; charset=utf-8",
            immutable: true,
        };
        let _ = writeln!(
            consts,
            "pub const BOOT_SCRIPT: Option<&str> = Some({:?});",
            boot_entry.url
        );
        let _ = writeln!(
            consts,
            "pub const PKG_JS: Option<&str> = Some({:?});",
            js_entry.url
        );
        let _ = writeln!(
            consts,
            "pub const PKG_WASM: Option<&str> = Some({:?});",
            wasm_entry.url
        );
        entries.extend([wasm_entry, js_entry, boot_entry]);
        collect_snippets(&pkg_dir.join("snippets"), "/pkg/snippets", &mut entries);
    } else {
        println!(
            "cargo:warning=no WASM bundle in {}: pages will not hydrate (run `make build`)",
            pkg_dir.display()
        );
        consts.push_str("pub const BOOT_SCRIPT: Option<&str> = None;\n");
        consts.push_str("pub const PKG_JS: Option<&str> = None;\n");
        consts.push_str("pub const PKG_WASM: Option<&str> = None;\n");
    }

    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    let mut table = String::from("pub static ASSETS: &[Asset] = &[\n");
    for (index, entry) in entries.iter().enumerate() {
        let base = out_dir.join(format!("asset-{index}"));
        fs::write(&base, &entry.bytes).expect("writes asset");
        let gzip = compressible(entry.content_type).then(|| gzip(&entry.bytes));
        let brotli = compressible(entry.content_type).then(|| brotli(&entry.bytes));
        let variant = |data: Option<Vec<u8>>, suffix: &str| -> String {
            match data {
                Some(data) if data.len() < entry.bytes.len() => {
                    let path = base.with_extension(suffix);
                    fs::write(&path, data).expect("writes compressed asset");
                    format!("Some(include_bytes!({:?}))", path.display().to_string())
                }
                _ => "None".to_owned(),
            }
        };
        let _ = writeln!(
            table,
            "    Asset {{ path: {:?}, content_type: {:?}, immutable: {}, etag: {:?}, body: include_bytes!({:?}), gzip: {}, brotli: {} }},",
            entry.url,
            entry.content_type,
            entry.immutable,
            format!("\"{}\"", short_hash(&entry.bytes)),
            base.display().to_string(),
            variant(gzip, "gz"),
            variant(brotli, "br"),
        );
    }
    table.push_str("];\n");
    fs::write(out_dir.join("assets.rs"), consts + &table).expect("writes assets.rs");
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn hashed(path: &Path, prefix: &str, suffix: &str) -> Entry {
    let bytes = read(path);
    Entry {
        url: format!("{prefix}-{}{suffix}", short_hash(&bytes)),
        content_type: content_type(path),
        bytes,
        immutable: true,
    }
}

fn collect_snippets(dir: &Path, url: &str, entries: &mut Vec<Entry>) {
    let Ok(listing) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = listing.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let child = format!("{url}/{name}");
        if path.is_dir() {
            collect_snippets(&path, &child, entries);
        } else {
            entries.push(Entry {
                url: child,
                bytes: read(&path),
                content_type: content_type(&path),
                immutable: false,
            });
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    !content_type.starts_with("image/png")
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in-memory write");
    encoder.finish().expect("in-memory write")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in-memory write");
    out
}
