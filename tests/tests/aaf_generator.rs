//! The AAF generator: what it writes is a full export the real binary imports whole, with the
//! counts the generator announces, and imports again without a change.

use std::path::Path;

use encoding_rs::ISO_8859_15;
use preau_tests::aaf_generator::{write_full_export, ExportSummary};
use preau_tests::{admin_server, cli, data_dir, StatusCode};
use serde_json::{json, Value};

const SEED: u64 = 42;

fn export(accounts: usize, seed: u64) -> (tempfile::TempDir, ExportSummary) {
    let dir = tempfile::Builder::new()
        .prefix("preau-aaf-")
        .tempdir()
        .expect("temp dir");
    let summary = write_full_export(dir.path(), accounts, seed).expect("export written");
    (dir, summary)
}

/// Runs `preau directory import --json DIR`; returns the exit code and the report.
fn import(data: &Path, export: &Path) -> (i32, Value) {
    let folder = export.to_str().expect("path");
    let (status, out) = cli(data, &["directory", "import", "--json", folder]);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (status.code().expect("exit code"), report)
}

fn counts(report: &Value, outcome: &str) -> [u64; 7] {
    let c = &report[outcome];
    let n = |key: &str| c[key].as_u64().unwrap_or_else(|| panic!("{outcome}.{key}"));
    [
        n("pupils"),
        n("parents"),
        n("staff"),
        n("classes"),
        n("groups"),
        n("subjects"),
        n("mefs"),
    ]
}

fn expected(summary: &ExportSummary) -> [u64; 7] {
    [
        summary.pupils,
        summary.parents,
        summary.staff,
        summary.classes,
        summary.groups,
        summary.subjects,
        summary.mefs,
    ]
    .map(|n| n as u64)
}

#[test]
fn a_generated_export_imports_whole_and_a_second_import_changes_nothing() {
    let (dir, summary) = export(300, SEED);
    assert_eq!(summary.accounts(), 300);
    let data = data_dir();

    let (code, report) = import(data.path(), dir.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["applied"], true);
    assert_eq!(report["errors"], json!([]));
    assert_eq!(report["warnings"], json!([]), "the export points nowhere");
    assert_eq!(report["adopted_uai"], summary.uai.as_str());
    assert_eq!(counts(&report, "created"), expected(&summary));

    let (code, again) = import(data.path(), dir.path());
    assert_eq!(code, 0, "{again}");
    for outcome in ["created", "updated", "deactivated", "reactivated"] {
        assert_eq!(counts(&again, outcome), [0; 7], "{outcome}: {again}");
    }
    assert_eq!(counts(&again, "unchanged"), expected(&summary));
}

#[test]
fn the_homonym_pupils_get_distinct_logins() {
    let (dir, summary) = export(300, SEED);
    assert_eq!(summary.homonym, "Léa SAINT-MARTIN");
    let data = data_dir();
    let (code, report) = import(data.path(), dir.path());
    assert_eq!(code, 0, "{report}");

    let (server, admin) = admin_server(data.path());
    let mut ids = Vec::new();
    for login in ["lea.saint-martin", "lea.saint-martin2"] {
        let (status, account) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
        assert_eq!(status, StatusCode::OK, "{login}");
        assert_eq!(account["display_name"], summary.homonym.as_str());
        assert_eq!(account["profile"], "National_ELV");
        ids.push(account["id"].as_u64().expect("id"));
    }
    assert_ne!(ids[0], ids[1]);
    let (status, _) = server.get_json(&admin, "/api/v1/admin/accounts/lea.saint-martin3");
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_another_school() {
    let (first, one) = export(300, SEED);
    let (second, same) = export(300, SEED);
    let (_third, other) = export(300, SEED + 1);
    for (a, b) in one.files.iter().zip(&same.files) {
        let name = a.file_name().expect("name");
        assert_eq!(b.file_name(), Some(name));
        assert_eq!(
            std::fs::read(first.path().join(name)).expect("reads"),
            std::fs::read(second.path().join(name)).expect("reads"),
            "{name:?}"
        );
    }
    assert_ne!(
        std::fs::read(&one.files[4]).expect("reads"),
        std::fs::read(&other.files[4]).expect("reads")
    );
}

#[test]
fn the_parents_file_is_iso_8859_15_and_the_others_utf_8_like_the_sample() {
    let (_dir, summary) = export(300, SEED);
    let names: Vec<String> = summary
        .files
        .iter()
        .map(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned()
        })
        .collect();
    for kind in [
        "EtabEducNat",
        "MatiereEducNat",
        "MefEducNat",
        "PersEducNat",
        "Eleve",
    ] {
        let name = format!("ENT2D_Complet_20260901_{kind}_0000.xml");
        let index = names.iter().position(|n| *n == name).expect(&name);
        let bytes = std::fs::read(&summary.files[index]).expect("reads");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        assert!(text.ends_with("</ficAlimMENESR>\n"));
    }
    let parents = summary
        .files
        .iter()
        .find(|f| f.ends_with("ENT2D_Complet_20260901_PersRelEleve_0000.xml"))
        .expect("parents file");
    let bytes = std::fs::read(parents).expect("reads");
    assert!(
        String::from_utf8(bytes.clone()).is_err(),
        "accents are one byte"
    );
    let (text, malformed) = ISO_8859_15.decode_without_bom_handling(&bytes);
    assert!(!malformed);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n"));
    assert_eq!(
        text.matches("<addRequest>").count(),
        summary.parents,
        "one record a parent"
    );
}

#[test]
fn the_requested_size_gives_the_ratios_of_a_college() {
    let (_dir, summary) = export(2_500, 7);
    assert_eq!(summary.accounts(), 2_500);
    assert!((800..=1_000).contains(&summary.pupils), "{summary:?}");
    let per_class = summary.pupils as f64 / summary.classes as f64;
    assert!((22.0..=27.0).contains(&per_class), "{per_class}");
    let per_pupil = summary.parents as f64 / summary.pupils as f64;
    assert!((1.5..=1.9).contains(&per_pupil), "{per_pupil}");
    assert!((60..=120).contains(&summary.staff), "{summary:?}");
}
