//! The layering rules of `docs/architecture.md`, checked on the source text so that a new
//! service cannot break them unnoticed: the store knows no domain type, HTTP code never reaches
//! the store, and pages never call the JSON API layer.

use std::path::{Path, PathBuf};

fn sources(under: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(under);
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).expect("source file");
                found.push((path, text));
            }
        }
    }
    assert!(!found.is_empty(), "no source under {under}");
    found
}

/// The part of a file that is built outside tests: tests may use anything.
fn non_test(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod ")
        .map_or(text, |test_module| &text[..test_module])
}

fn offenders(under: &str, forbidden: &[&str]) -> Vec<String> {
    sources(under)
        .into_iter()
        .filter(|(path, _)| !path.to_string_lossy().ends_with("_tests.rs"))
        .flat_map(|(path, text)| {
            forbidden
                .iter()
                .filter(|needle| non_test(&text).contains(*needle))
                .map(|needle| format!("{} uses {needle}", path.display()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_store_knows_no_domain_type() {
    assert_eq!(offenders("store", &["crate::domain"]), Vec::<String>::new());
}

#[test]
fn http_code_goes_through_domain_operations() {
    assert_eq!(
        offenders("http", &["crate::store", ".tables()"]),
        Vec::<String>::new()
    );
}

#[test]
fn pages_do_not_call_the_api_layer() {
    assert_eq!(
        offenders(
            "http/pages",
            &["http::api", "super::api", "super::super::api"]
        ),
        Vec::<String>::new()
    );
}
