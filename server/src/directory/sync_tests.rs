use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::SeedableRng;

use super::{run, run_from_folder, RunError, SyncOutcome};
use crate::config::Config;
use crate::directory::history::{RunStatus, SyncRecord};
use crate::directory::inbox::Inbox;
use crate::directory::source::SyncSource;
use crate::directory::testing::fixture_path;
use crate::domain::access::Actor;
use crate::domain::clock::testing::ManualClock;
use crate::domain::tables::Tables;
use crate::domain::Domain;

fn domain_with(source: SyncSource) -> (tempfile::TempDir, Domain, Inbox) {
    let data = tempfile::tempdir().expect("temp dir");
    let store = Tables::open(&data.path().join("db"), 64 << 20).expect("store opens");
    let mut config = Config::default();
    config.directory.source = source;
    let domain = Domain::new(store, Arc::new(config), Arc::new(ManualClock::default()));
    let inbox = Inbox::of(data.path());
    (data, domain, inbox)
}

fn sync(domain: &Domain, inbox: &Inbox) -> SyncOutcome {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    run(domain, Actor::System, inbox, &mut rng).expect("the run is recorded")
}

fn ran(outcome: SyncOutcome) -> SyncRecord {
    match outcome {
        SyncOutcome::Ran(run) => run.record,
        SyncOutcome::Nothing { folder } => panic!("nothing to do in {}", folder.display()),
    }
}

fn full_export() -> Vec<PathBuf> {
    std::fs::read_dir(fixture_path("sample"))
        .expect("sample folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.to_string_lossy().contains("ENT2D_Complet"))
        .collect()
}

fn drop_into(folder: &Path, files: &[PathBuf]) {
    std::fs::create_dir_all(folder).expect("creates");
    for file in files {
        std::fs::copy(file, folder.join(file.file_name().expect("name"))).expect("copies");
    }
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("lists")
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

fn accounts(domain: &Domain) -> usize {
    domain.accounts().all().count()
}

#[test]
fn an_empty_inbox_is_nothing_to_do_and_is_not_recorded() {
    let (_data, domain, inbox) = domain_with(SyncSource::Inbox);
    let outcome = sync(&domain, &inbox);
    assert!(
        matches!(&outcome, SyncOutcome::Nothing { folder } if folder == inbox.dir()),
        "{outcome:?}"
    );
    assert!(outcome.succeeded());
    assert!(
        inbox.dir().is_dir(),
        "the inbox is created for the next drop"
    );
    assert_eq!(inbox.last_run().expect("reads"), None);
}

#[test]
fn the_files_in_the_inbox_are_applied_archived_and_recorded() {
    let (_data, domain, inbox) = domain_with(SyncSource::Inbox);
    drop_into(inbox.dir(), &full_export());
    std::fs::write(inbox.dir().join(".ENT2D_upload_en_cours.xml"), b"<half").expect("writes");
    std::fs::write(inbox.dir().join("LISEZMOI.txt"), b"notes").expect("writes");

    let record = ran(sync(&domain, &inbox));

    assert_eq!(record.status, RunStatus::Applied);
    assert!(record.applied);
    assert_eq!(record.files.len(), 6);
    assert_eq!(
        (
            record.created.pupils,
            record.created.parents,
            record.created.staff
        ),
        (32, 56, 23)
    );
    assert_eq!(accounts(&domain), 111);
    let archive = inbox.dir().join("archive/20260907T080000Z");
    assert_eq!(record.moved_to.as_deref(), Some(archive.as_path()));
    assert_eq!(names_in(&archive), record.files);
    assert_eq!(
        names_in(inbox.dir()),
        [
            ".ENT2D_upload_en_cours.xml",
            "LISEZMOI.txt",
            "archive",
            "history.jsonl"
        ]
    );
    assert_eq!(inbox.last_run().expect("reads"), Some(record));
}

#[test]
fn a_rejected_feed_is_quarantined_with_its_report_and_changes_nothing() {
    let (_data, domain, inbox) = domain_with(SyncSource::Inbox);
    let mut files = full_export();
    files.push(fixture_path("bad/bad_date.xml"));
    drop_into(inbox.dir(), &files);

    let outcome = sync(&domain, &inbox);
    assert!(!outcome.succeeded());
    let record = ran(outcome);

    assert_eq!(
        (record.status, record.applied),
        (RunStatus::Rejected, false)
    );
    assert!(record.errors > 0);
    assert_eq!(accounts(&domain), 0);
    let quarantine = inbox.dir().join("quarantine/20260907T080000Z");
    assert_eq!(record.moved_to.as_deref(), Some(quarantine.as_path()));
    let kept = names_in(&quarantine);
    assert!(kept.contains(&"bad_date.xml".to_owned()), "{kept:?}");
    assert_eq!(kept.len(), 7 + 2);
    let rapport = std::fs::read_to_string(quarantine.join("rapport.txt")).expect("rapport");
    assert!(rapport.contains("Import refusé"), "{rapport}");
    assert!(
        rapport.contains("ligne 4, enregistrement 3000006"),
        "{rapport}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(quarantine.join("report.json")).expect("report"))
            .expect("JSON");
    assert_eq!(report["applied"], false);
    assert_eq!(names_in(inbox.dir()), ["history.jsonl", "quarantine"]);
}

#[test]
fn a_missing_source_folder_is_a_failed_run_in_the_history() {
    let (data, domain, inbox) = domain_with(SyncSource::Folder("/nonexistent/aaf".into()));
    let record = ran(sync(&domain, &inbox));
    assert_eq!(record.status, RunStatus::Failed);
    let failure = record.failure.clone().expect("a reason");
    assert!(failure.contains("/nonexistent/aaf"), "{failure}");
    assert_eq!(inbox.history().expect("reads"), vec![record]);
    assert!(data.path().join("inbox/history.jsonl").is_file());
}

/// Serves `body` with `status` to each of `requests` connections on a loopback port.
fn serve_once(status: &'static str, body: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.expect("connection");
            let mut request = Vec::new();
            let mut byte = [0_u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).expect("reads") == 1 {
                request.push(byte[0]);
            }
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).expect("writes");
            stream.write_all(&body).expect("writes");
        }
    });
    format!("http://{address}")
}

fn zip_of(files: &[PathBuf]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).expect("name");
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer
            .write_all(&std::fs::read(file).expect("reads"))
            .expect("writes");
    }
    writer.finish().expect("zip").into_inner()
}

#[test]
fn a_url_source_is_downloaded_into_the_inbox_then_applied_and_archived() {
    let base = serve_once("200 OK", zip_of(&full_export()), 1);
    let url = format!("{base}/export/0691234A.zip")
        .parse()
        .expect("a source");
    let (_data, domain, inbox) = domain_with(url);

    let record = ran(sync(&domain, &inbox));

    assert_eq!(record.status, RunStatus::Applied, "{record:?}");
    assert_eq!(record.files, ["0691234A.zip"]);
    assert_eq!(record.source, format!("{base}/export/0691234A.zip"));
    assert_eq!(accounts(&domain), 111);
    let archive = record.moved_to.expect("archived");
    assert_eq!(names_in(&archive), ["0691234A.zip"]);
}

#[test]
fn a_url_that_fails_is_a_failed_run_with_the_reason_and_no_file() {
    let base = serve_once("404 Not Found", b"absent".to_vec(), 1);
    let (_data, domain, inbox) = domain_with(format!("{base}/a.zip").parse().expect("source"));
    let record = ran(sync(&domain, &inbox));
    assert_eq!(record.status, RunStatus::Failed);
    let failure = record.failure.expect("a reason");
    assert!(failure.contains("404"), "{failure}");
    assert_eq!(names_in(inbox.dir()), ["history.jsonl"]);

    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let (_data, domain, inbox) =
        domain_with(format!("http://{closed}/a.zip").parse().expect("source"));
    let record = ran(sync(&domain, &inbox));
    assert_eq!(record.status, RunStatus::Failed);
    let failure = record.failure.expect("a reason");
    assert!(
        failure.contains("impossible de télécharger l'export"),
        "{failure}"
    );
    assert!(failure.to_lowercase().contains("connect"), "{failure}");
}

#[test]
fn only_administrators_and_the_appliance_run_a_sync() {
    let school = crate::demo::testing::DemoSchool::new();
    let inbox = Inbox::of(school.dir.path());
    drop_into(inbox.dir(), &full_export());
    let waiting = names_in(inbox.dir());
    let before = school.domain.tables().content();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);

    for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
        let person = school.account(login);
        let refused = run(&school.domain, Actor::Person(&person), &inbox, &mut rng);
        assert!(
            matches!(refused, Err(RunError::Forbidden)),
            "{login}: {refused:?}"
        );
        let folder = inbox.dir().to_path_buf();
        let refused = run_from_folder(
            &school.domain,
            Actor::Person(&person),
            &inbox,
            &folder,
            login.into(),
            &mut rng,
        );
        assert!(
            matches!(refused, Err(RunError::Forbidden)),
            "{login}: {refused:?}"
        );
    }

    assert_eq!(names_in(inbox.dir()), waiting, "the files wait for a run");
    assert_eq!(
        inbox.last_run().expect("reads"),
        None,
        "nothing is recorded"
    );
    assert!(
        school.domain.tables().content() == before,
        "the store is untouched"
    );
    let admin = school.account("admin.demo");
    let outcome = run(&school.domain, Actor::Person(&admin), &inbox, &mut rng);
    assert!(matches!(outcome, Ok(SyncOutcome::Ran(_))), "{outcome:?}");
}
