//! Fixtures shared by the tests of the directory feed.

use std::path::PathBuf;

use super::error::Report;
use super::records::{map_records, Records};
use super::xml::parse_records;

/// `tests/fixtures/aaf/<relative>` of the repository.
pub(crate) fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/aaf/"
    ))
    .join(relative)
}

/// The bytes of `tests/fixtures/aaf/<relative>`.
pub(crate) fn fixture(relative: &str) -> Vec<u8> {
    let path = fixture_path(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A minimal UTF-8 feed file holding `requests`.
pub(crate) fn feed_xml(requests: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n\
         <ficAlimMENESR>\n{requests}\n</ficAlimMENESR>\n"
    )
    .into_bytes()
}

/// An `addRequest` of `category` (e.g. `categoriePersonne`/`Eleve`) with `attributes` as `(name, values)`.
pub(crate) fn add_request(
    category: (&str, &str),
    id: &str,
    attributes: &[(&str, &[&str])],
) -> String {
    let mut xml = format!(
        "<addRequest><operationalAttributes><attr name=\"{}\"><value>{}</value></attr>\
         </operationalAttributes><identifier><id>{id}</id></identifier><attributes>",
        category.0, category.1
    );
    for (name, values) in attributes {
        xml.push_str(&format!("<attr name=\"{name}\">"));
        for value in *values {
            xml.push_str(&format!("<value>{value}</value>"));
        }
        xml.push_str("</attr>");
    }
    xml.push_str("</attributes></addRequest>");
    xml
}

/// The typed records of one file, which must have no errors.
pub(crate) fn typed(name: &str, bytes: &[u8]) -> Records {
    let (records, report) = read_one(name, bytes);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    records
}

/// The errors of one file, as they read in the import report.
pub(crate) fn errors(name: &str, bytes: &[u8]) -> Vec<String> {
    read_one(name, bytes)
        .1
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The warnings of one file, as they read in the import report.
pub(crate) fn warnings(name: &str, bytes: &[u8]) -> Vec<String> {
    read_one(name, bytes)
        .1
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn read_one(name: &str, bytes: &[u8]) -> (Records, Report) {
    let records = parse_records(name, bytes).unwrap_or_else(|error| panic!("{error}"));
    let kind = records
        .first()
        .map(|record| record.category)
        .expect("a record");
    let mut report = Report::default();
    let typed = map_records(kind, name, records, &mut report);
    (typed, report)
}

/// A zip archive of `entries` (`name`, content), deflated; names ending in `/` are folders.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, options).unwrap();
        } else {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// The seven sample files as `(file name, bytes)`, in name order.
pub(crate) fn sample_files() -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_path("sample"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let bytes = fixture(&format!("sample/{name}"));
            (name, bytes)
        })
        .collect()
}
