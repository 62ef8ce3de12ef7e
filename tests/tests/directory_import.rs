//! `preau directory import`: the sample académie feed through the real binary, checked through
//! the binary's own API; rejected feeds change nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use preau_tests::{admin_server, cli, data_dir, Client, Server, StatusCode};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf")
}

fn sample_files(prefix: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(fixtures().join("sample"))
        .expect("sample folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    files
}

/// Runs `preau directory import --json ARGS…`; returns the exit code and the report.
fn import(data: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["directory", "import", "--json"];
    all.extend_from_slice(args);
    let (status, out) = cli(data, &all);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (status.code().expect("exit code"), report)
}

fn import_files(data: &Path, files: &[String], extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<&str> = extra.to_vec();
    args.extend(files.iter().map(String::as_str));
    import(data, &args)
}

/// Signs in as `login` after an administrator reset; returns what `GET /api/v1/me` says.
fn me_of(server: &Server, admin: &str, login: &str) -> Value {
    let reset: Value = Client::new()
        .post(server.url(&format!("/api/v1/admin/accounts/{login}/reset-password")))
        .bearer_auth(admin)
        .send()
        .expect("request")
        .json()
        .expect("JSON");
    let token = server.settle_password(login, reset["password"].as_str().expect("password"));
    let (status, me) = server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::OK);
    me
}

fn total(server: &Server, token: &str, query: &str) -> u64 {
    let (status, page) = server.get_json(token, &format!("/api/v1/admin/accounts?{query}"));
    assert_eq!(status, StatusCode::OK);
    page["total"].as_u64().expect("total")
}

fn counts(report: &Value, outcome: &str) -> (u64, u64, u64, u64, u64) {
    let c = &report[outcome];
    let n = |key: &str| c[key].as_u64().unwrap_or_else(|| panic!("{outcome}.{key}"));
    (
        n("pupils"),
        n("parents"),
        n("staff"),
        n("classes"),
        n("groups"),
    )
}

#[test]
fn the_sample_full_export_creates_accounts_classes_links_and_teachings() {
    let data = data_dir();
    let (code, report) = import_files(data.path(), &sample_files("ENT2D_Complet"), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["applied"], true);
    assert_eq!(report["adopted_uai"], "0691234A");
    assert_eq!(counts(&report, "created"), (32, 56, 23, 8, 3));
    assert_eq!(counts(&report, "deactivated"), (0, 0, 0, 0, 0));
    for key in ["updated", "unchanged", "warnings", "errors"] {
        assert!(report.get(key).is_some(), "{key}");
    }

    let (server, admin) = admin_server(data.path());
    assert_eq!(total(&server, &admin, "profile=National_ELV"), 32);
    assert_eq!(total(&server, &admin, "profile=National_TUT"), 56);
    assert_eq!(total(&server, &admin, "profile=National_ENS"), 17);
    assert_eq!(total(&server, &admin, "profile=National_ELV&class=6A"), 4);
    assert_eq!(total(&server, &admin, "state=to_activate"), 111);
    let (_, emma) = server.get_json(&admin, "/api/v1/admin/accounts/emma.martin");
    assert_eq!(emma["class"], "6A");
    assert_eq!(emma["activation_pending"], true);
    assert!(emma["activation_expires_at"].is_string(), "{emma}");
    assert!(
        emma.get("activation_code").is_none(),
        "codes are not readable"
    );
    let (status, issued) = server.issue_activation_code(&admin, "emma.martin");
    assert_eq!(status, StatusCode::OK);
    let code = issued["code"].as_str().expect("code");
    assert_eq!(
        server
            .activate("emma.martin", code, "mon cahier vert")
            .status(),
        StatusCode::SEE_OTHER,
        "an imported account activates with a code the administrator issued"
    );

    let teacher = me_of(&server, &admin, "nathan.garcia");
    assert_eq!(teacher["profile"], "National_ENS");
    assert_eq!(teacher["classes"], json!(["6A", "5A", "4A", "3A"]));
    let (_, parents) = server.get_json(&admin, "/api/v1/admin/accounts?profile=National_TUT");
    let mother_login = parents["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["login"].as_str())
        .find(|login| login.starts_with("ga") && login.ends_with(".martin"))
        .expect("Emma's mother")
        .to_owned();
    let mother = me_of(&server, &admin, &mother_login);
    assert_eq!(mother["children"][0]["display_name"], "Emma MARTIN");
    assert_eq!(mother["children"][0]["responsibility"], "legal");
}

#[test]
fn the_delta_deactivates_and_creates_pupils_and_a_re_import_changes_nothing() {
    let data = data_dir();
    import_files(data.path(), &sample_files("ENT2D_Complet"), &[]);
    let (code, report) = import_files(data.path(), &sample_files("ENT2D_Delta"), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(counts(&report, "created").0, 1);
    assert_eq!(counts(&report, "deactivated").0, 1);
    assert_eq!(report["moved"]["pupils"], 1);

    let (code, again) = import_files(data.path(), &sample_files("ENT2D_"), &[]);
    assert_eq!(code, 0);
    assert_eq!(again["applied"], true);
    for outcome in ["created", "updated", "deactivated", "reactivated"] {
        assert_eq!(
            counts(&again, outcome),
            (0, 0, 0, 0, 0),
            "{outcome}: {again}"
        );
    }
    assert_eq!(counts(&again, "unchanged"), (33, 56, 23, 8, 3));

    let (server, admin) = admin_server(data.path());
    assert_eq!(
        total(&server, &admin, "profile=National_ELV&state=deactivated"),
        1
    );
    let (_, jade) = server.get_json(&admin, "/api/v1/admin/accounts/jade.robert");
    assert_eq!(jade["state"], "deactivated");
    let (_, elodie) = server.get_json(&admin, "/api/v1/admin/accounts/elodie.nouveau");
    assert_eq!(
        (elodie["class"].as_str(), elodie["state"].as_str()),
        (Some("6A"), Some("to_activate"))
    );
    let (_, moved) = server.get_json(&admin, "/api/v1/admin/accounts/yanis.vincent");
    assert_eq!(moved["class"], "6B");
}

#[test]
fn a_zip_of_the_sample_imports_like_the_files() {
    let data = data_dir();
    let zip_path = data.path().join("export.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("creates"));
    for file in sample_files("ENT2D_") {
        let name = Path::new(&file)
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name");
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer
            .write_all(&std::fs::read(&file).expect("reads"))
            .expect("writes");
    }
    writer.finish().expect("zip");
    let (code, report) = import(data.path(), &[zip_path.to_str().expect("path")]);
    assert_eq!(code, 0, "{report}");
    // The delta's new pupil is created; the pupil it deletes, added the day before in the same
    // archive, never gets an account.
    assert_eq!(counts(&report, "created"), (32, 56, 23, 8, 3));
    assert_eq!(counts(&report, "deactivated"), (0, 0, 0, 0, 0));
}

#[test]
fn every_bad_fixture_is_rejected_with_exit_1_and_changes_nothing() {
    let data = data_dir();
    import_files(data.path(), &sample_files("ENT2D_Complet"), &[]);
    let everything = sample_files("ENT2D_");
    let (_, before) = import_files(data.path(), &everything, &["--dry-run"]);
    let mut bad: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .expect("bad folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    bad.sort();
    assert_eq!(bad.len(), 8);
    for file in bad {
        let mut files = everything.clone();
        files.push(file.display().to_string());
        let (code, report) = import_files(data.path(), &files, &[]);
        assert_eq!(code, 1, "{}: {report}", file.display());
        assert_eq!(report["applied"], false);
        let errors = report["errors"].as_array().expect("errors");
        assert!(!errors.is_empty());
        assert!(errors[0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with(".xml")));
        assert_eq!(counts(&report, "created"), (0, 0, 0, 0, 0));
    }
    let (_, after) = import_files(data.path(), &everything, &["--dry-run"]);
    assert_eq!(before, after, "the rejected feeds changed the store");
    assert_eq!(after["created"]["pupils"], 1, "the delta is still to apply");
}

#[test]
fn the_human_report_is_in_french_and_a_dry_run_applies_nothing() {
    let data = data_dir();
    let mut args = vec!["directory", "import", "--dry-run"];
    let files = sample_files("ENT2D_Complet");
    args.extend(files.iter().map(String::as_str));
    let (status, out) = cli(data.path(), &args);
    assert!(status.success());
    assert!(out.contains("Simulation : rien n'a été appliqué."), "{out}");
    assert!(
        out.contains("élèves 32, parents 56, personnels 23"),
        "{out}"
    );
    let (code, report) = import_files(data.path(), &files, &["--dry-run"]);
    assert_eq!((code, report["created"]["pupils"].as_u64()), (0, Some(32)));

    let bad = fixtures().join("bad/bad_date.xml");
    let (status, out) = cli(
        data.path(),
        &["directory", "import", bad.to_str().expect("path")],
    );
    assert_eq!(status.code(), Some(1));
    assert!(out.contains("Import refusé"), "{out}");
    assert!(out.contains("ligne 4, enregistrement 3000006"), "{out}");
    assert!(
        out.contains(
            "ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)"
        ),
        "the problem is told in French: {out}"
    );
}
