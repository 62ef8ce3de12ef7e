//! An uploaded interactive package (SCORM, IMS CP, zipped web site) as raw zip bytes, through
//! `package::inspect` (vetting: zip-slip, links, encryption, bombs; manifest; launch page; text)
//! and `package::EntryMap::read` (where each file lies in the zip, to stream it to browsers).
//!
//! Invariants of an accepted package: every entry name is safe to extract and serve (no `..`
//! segment, not absolute, no backslash, drive letter or NUL), no entry is a link or encrypted,
//! the counts stay within the limits, its map is read too and has the launch page, and every
//! file's bytes lie inside the zip (a stored file is as long as its declared size: the server
//! streams `len` bytes from `offset`).
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use preau_server::package::{inspect, EntryMap, Limits, Stored};
use zip::ZipArchive;

fn assert_safe(name: &str) {
    let bytes = name.as_bytes();
    assert!(!name.starts_with('/'), "absolute entry accepted: {name:?}");
    assert!(!name.contains('\\'), "backslash accepted: {name:?}");
    assert!(!name.contains('\0'), "NUL accepted: {name:?}");
    assert!(
        !(bytes.get(1) == Some(&b':') && bytes[0].is_ascii_alphabetic()),
        "drive letter accepted: {name:?}"
    );
    assert!(
        !name.split('/').any(|segment| segment == ".."),
        "zip-slip accepted: {name:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(info) = inspect(Cursor::new(data), &limits) else {
        // The map is read as inspect reads the package: it must not panic either.
        let _ = EntryMap::read(Cursor::new(data), &limits);
        return;
    };
    assert!(info.entries <= limits.max_entries);
    assert!(info.unpacked_bytes <= limits.max_unpacked_bytes);
    assert_safe(&info.launch);
    assert!(
        !info.launch.is_empty() && !info.launch.ends_with('/'),
        "{:?}",
        info.launch
    );
    let zip = ZipArchive::new(Cursor::new(data)).expect("inspect opened this zip");
    assert_eq!(zip.len(), info.entries);
    let mut names = Vec::new();
    for index in 0..zip.len() {
        let entry = zip.by_index_data(index).expect("inspect read this header");
        let name = entry.name().expect("inspect read this name");
        assert_safe(&name);
        names.push(name.to_string());
        assert!(!entry.is_symlink(), "link accepted: {name:?}");
        assert!(!entry.encrypted(), "encrypted entry accepted: {name:?}");
    }
    let map =
        EntryMap::read(Cursor::new(data), &limits).expect("the map of an accepted package is read");
    assert!(map.len() <= info.entries);
    map.get(&info.launch)
        .expect("the launch page of an accepted package is in its map");
    for name in names {
        let Some(span) = map.get(&name) else { continue };
        let end = span.offset.checked_add(span.stored_len);
        assert!(
            end.is_some_and(|end| end <= data.len() as u64),
            "{name:?} lies past the end of the zip: {span:?}"
        );
        if span.stored == Stored::Plain {
            assert_eq!(
                span.len, span.stored_len,
                "{name:?} is stored with a lying size"
            );
        }
    }
});
