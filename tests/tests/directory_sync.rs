//! `preau directory sync` and the scheduler of `preau serve`: feed files dropped in
//! `<data>/inbox/` are imported, then archived, or quarantined with their report when rejected;
//! every run that did something is a line of `inbox/history.jsonl`.

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use preau_tests::{cli, create_admin, data_dir, Options, Server, StatusCode, ADMIN_LOGIN};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf")
}

fn sample(prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("sample"))
        .expect("sample folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.to_string_lossy().contains(prefix))
        .collect();
    files.sort();
    files
}

fn drop_into_inbox(data: &Path, files: &[PathBuf]) {
    let inbox = data.join("inbox");
    std::fs::create_dir_all(&inbox).expect("creates the inbox");
    for file in files {
        std::fs::copy(file, inbox.join(file.file_name().expect("name"))).expect("copies");
    }
}

/// The names in `folder`, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The only run folder of `shelf` (`archive` or `quarantine`).
fn only_folder(data: &Path, shelf: &str) -> PathBuf {
    let folder = data.join("inbox").join(shelf);
    let runs = names_in(&folder);
    assert_eq!(runs.len(), 1, "{shelf}: {runs:?}");
    folder.join(&runs[0])
}

fn history(data: &Path) -> Vec<Value> {
    std::fs::read_to_string(data.join("inbox/history.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn sync(data: &Path) -> (i32, String) {
    let (status, out) = cli(data, &["directory", "sync"]);
    (status.code().expect("exit code"), out)
}

/// `preau directory import --json --dry-run FILES`: what the store would still take from them.
fn dry_run(data: &Path, files: &[PathBuf]) -> Value {
    let mut args = vec!["directory", "import", "--json", "--dry-run"];
    args.extend(files.iter().map(|f| f.to_str().expect("path")));
    let (_, out) = cli(data, &args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_sample_feed_dropped_in_the_inbox_is_applied_archived_and_recorded() {
    let data = data_dir();
    let files = sample("ENT2D_");
    drop_into_inbox(data.path(), &files);

    let (code, out) = sync(data.path());

    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Import appliqué."), "{out}");
    assert!(
        out.contains("élèves 32, parents 56, personnels 23"),
        "{out}"
    );
    assert!(out.contains("Fichiers archivés dans"), "{out}");
    assert_eq!(
        names_in(&data.path().join("inbox")),
        ["archive", "history.jsonl"]
    );
    let archived = names_in(&only_folder(data.path(), "archive"));
    assert_eq!(archived.len(), files.len());
    assert!(archived.contains(&"ENT2D_Delta_20260902_Eleve_0000.xml".to_owned()));
    let runs = history(data.path());
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["status"], "applied");
    assert_eq!(runs[0]["applied"], true);
    assert_eq!(runs[0]["created"]["pupils"], 32);
    assert_eq!(runs[0]["errors"], 0);
    assert_eq!(runs[0]["files"].as_array().map(Vec::len), Some(files.len()));
    for key in [
        "started_at",
        "finished_at",
        "updated",
        "deactivated",
        "unchanged",
        "warnings",
    ] {
        assert!(runs[0].get(key).is_some(), "{key}: {}", runs[0]);
    }
    assert_eq!(dry_run(data.path(), &files)["created"]["pupils"], 0);

    let (code, out) = sync(data.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("rien à importer"), "{out}");
    assert_eq!(
        history(data.path()).len(),
        1,
        "an empty run is not recorded"
    );
}

#[test]
fn a_bad_feed_is_refused_with_exit_1_quarantined_with_its_report_and_changes_nothing() {
    let data = data_dir();
    drop_into_inbox(data.path(), &sample("ENT2D_Complet"));
    assert_eq!(sync(data.path()).0, 0);
    let delta = sample("ENT2D_Delta");
    let before = dry_run(data.path(), &delta);
    let bad = fixtures().join("bad/bad_date.xml");
    drop_into_inbox(data.path(), &[delta.clone(), vec![bad]].concat());

    let (code, out) = sync(data.path());

    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Import refusé : aucune modification."),
        "{out}"
    );
    assert!(out.contains("ligne 4, enregistrement 3000006"), "{out}");
    assert!(out.contains("quarantaine"), "{out}");
    let quarantine = only_folder(data.path(), "quarantine");
    assert_eq!(
        names_in(&quarantine),
        [
            "ENT2D_Delta_20260902_Eleve_0000.xml",
            "bad_date.xml",
            "rapport.txt",
            "report.json"
        ]
    );
    let rapport = std::fs::read_to_string(quarantine.join("rapport.txt")).expect("rapport");
    assert!(rapport.contains("Import refusé"), "{rapport}");
    assert!(
        rapport.contains(
            "ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)"
        ),
        "the problem is told in French: {rapport}"
    );
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(quarantine.join("report.json")).expect("report"),
    )
    .expect("JSON");
    assert_eq!(report["applied"], false);
    assert!(report["errors"][0]["file"]
        .as_str()
        .is_some_and(|file| file.ends_with("bad_date.xml")));
    assert_eq!(
        report["errors"][0]["message"],
        "ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)"
    );
    assert_eq!(
        names_in(&data.path().join("inbox")),
        ["archive", "history.jsonl", "quarantine"]
    );
    let runs = history(data.path());
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (&runs[1]["status"], &runs[1]["applied"]),
        (&json!("rejected"), &json!(false))
    );

    let after = dry_run(data.path(), &delta);
    assert_eq!(before, after, "the rejected feed changed the store");
    assert_eq!(after["created"]["pupils"], 1, "the delta is still to apply");
}

#[test]
fn the_scheduler_of_the_server_imports_and_archives_a_feed_dropped_in_the_inbox() {
    let data = data_dir();
    let password = create_admin(data.path());
    drop_into_inbox(data.path(), &sample("ENT2D_Complet"));
    let mut server = Server::start(Options {
        data: Some(data.path().to_path_buf()),
        env: vec![("PREAU_DIRECTORY_SCHEDULE".to_owned(), "1s".to_owned())],
        ..Options::default()
    });
    let token = server.settle_password(ADMIN_LOGIN, &password);

    let deadline = Instant::now() + Duration::from_secs(20);
    let pupils = loop {
        let (status, page) = server.get_json(&token, "/api/v1/admin/accounts?profile=National_ELV");
        assert_eq!(status, StatusCode::OK, "{page}");
        // The history line is written last, once the files are archived.
        let recorded = std::fs::read_to_string(data.path().join("inbox/history.jsonl"))
            .is_ok_and(|text| text.ends_with('\n'));
        if recorded && page["total"] == 32 {
            break page["total"].clone();
        }
        assert!(
            Instant::now() < deadline,
            "the scheduler did not import the inbox within 20 s: {page}"
        );
        sleep(Duration::from_millis(100));
    };

    assert_eq!(pupils, 32);
    assert_eq!(names_in(&only_folder(data.path(), "archive")).len(), 6);
    assert_eq!(history(data.path())[0]["status"], "applied");
    assert!(
        server.terminate().success(),
        "the scheduler stops with the server"
    );
}
