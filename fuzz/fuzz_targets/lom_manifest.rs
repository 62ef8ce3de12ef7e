//! The ScoLOMFR/LOM reader and the `imsmanifest.xml` reader of packages, on XML bytes.
//!
//! Input that has `<manifest` is the package's `imsmanifest.xml` (inline LOM, organisations,
//! resources, `xml:base`s); anything else is the LOM metadata file that a fixed SCORM 1.2
//! manifest names by `adlcp:location`. Either way it is zipped with a few pages and given to
//! `package::inspect`, the real entry point, so that the launch page is resolved against files.
//!
//! Invariants: a broken metadata file never refuses the package (it only leaves fields empty);
//! titles, descriptions and keywords are trimmed, whitespace-collapsed and non-empty; taxon ids
//! are non-empty and never repeated.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use preau_server::package::{inspect, Limits};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const PAGE: &[u8] = b"<!DOCTYPE html><html><body><p>Bonjour</p></body></html>";

/// A SCORM 1.2 manifest whose metadata are in `metadata.xml`.
const MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="fuzz" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion><adlcp:location>metadata.xml</adlcp:location></metadata>
  <organizations default="O"><organization identifier="O"><item identifier="I" identifierref="R"/></organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
</manifest>"#;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("starts an entry");
        zip.write_all(bytes).expect("writes an entry");
    }
    zip.finish().expect("finishes the zip").into_inner()
}

fn assert_clean(text: &str) {
    assert!(!text.is_empty());
    assert_eq!(text, text.split_whitespace().collect::<Vec<_>>().join(" "));
}

fuzz_target!(|data: &[u8]| {
    let is_manifest = data.windows(b"<manifest".len()).any(|w| w == b"<manifest");
    let pages: [(&str, &[u8]); 4] = [
        ("index.html", PAGE),
        ("exercice.html", PAGE),
        ("cours/index.html", PAGE),
        ("css/style.css", b"p { color: black }"),
    ];
    let mut entries = Vec::from(pages);
    if is_manifest {
        entries.push(("imsmanifest.xml", data));
        entries.push((
            "metadata.xml",
            b"<lom><general><title><string>Externe</string></title></general></lom>",
        ));
    } else {
        entries.push(("imsmanifest.xml", MANIFEST));
        entries.push(("metadata.xml", data));
    }
    let archive = zip_of(&entries);
    let info = match inspect(Cursor::new(archive), &Limits::default()) {
        Ok(info) => info,
        Err(error) => {
            assert!(is_manifest, "a metadata file refused the package: {error}");
            return;
        }
    };
    if let Some(title) = &info.title {
        assert_clean(title);
    }
    if let Some(description) = &info.description {
        assert_clean(description);
    }
    for keyword in &info.keywords {
        assert_clean(keyword);
    }
    for (position, taxon) in info.taxons.iter().enumerate() {
        assert!(!taxon.is_empty());
        assert!(
            !info.taxons[..position].contains(taxon),
            "taxon {taxon:?} repeated"
        );
    }
});
