//! The académie's directory feed (AAF) as an upload: one `ficAlimMENESR` XML file (UTF-8 or
//! ISO-8859-15) or a zip archive of them, through `read_uploaded_feed`, the entry point of the
//! import page. The first byte picks the file name, which says the kind of records (or that the
//! upload is a zip); the rest is the file. A zip is recognised by its name or by its magic bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preau_server::directory::read_uploaded_feed;

const NAMES: [&str; 8] = [
    "ENT2D_Complet_20260901_Eleve_0000.xml",
    "ENT2D_Complet_20260901_PersEducNat_0000.xml",
    "ENT2D_Complet_20260901_PersRelEleve_0000.xml",
    "ENT2D_Complet_20260901_EtabEducNat_0000.xml",
    "ENT2D_Complet_20260901_MatiereEducNat_0000.xml",
    "ENT2D_Delta_20260902_MefEducNat_0001.xml",
    "export.xml",
    "export.zip",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let is_zip = name.ends_with(".zip")
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06");
    match read_uploaded_feed(vec![(name.to_owned(), bytes.to_vec())]) {
        Ok(feed) => {
            if !is_zip {
                assert!(
                    feed.files.len() <= 1,
                    "one XML file gave {} files",
                    feed.files.len()
                );
            }
            for file in &feed.files {
                // The kind a conventional name says is the kind of the file's records.
                if let Some(file_name) = file.name {
                    assert_eq!(file_name.kind, file.kind, "{}", file.source);
                    assert_eq!(file_name.export, file.export());
                }
                if is_zip {
                    assert!(file.source.starts_with(name), "{}", file.source);
                } else {
                    assert_eq!(file.source, name);
                }
            }
        }
        // A refused feed always says why.
        Err(errors) => assert!(!errors.errors.is_empty()),
    }
});
