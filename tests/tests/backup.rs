//! Backups and restores end to end, with the real binary: a backup asked from the
//! administration page while the demo collège serves and a client sends messages, restored
//! into an empty folder and compared tree by tree and file by file; damaged, cut and foreign
//! archives refused in French with the target left empty; every older store backed up before
//! its upgrade; a newer store refused untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use preau_tests::{
    binary, cli, csrf_of, data_dir, free_port, html_of, preau_on, Options, Server, StatusCode,
    DEMO_PASSWORD,
};

/// The members of a backup: name → bytes.
fn members(archive: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(archive).expect("opens")).expect("a zip");
    (0..zip.len())
        .map(|index| {
            let mut member = zip.by_index(index).expect("member");
            let mut bytes = Vec::new();
            member.read_to_end(&mut bytes).expect("reads");
            (member.name().expect("a name").into_owned(), bytes)
        })
        .collect()
}

/// The records of a tree member: length-prefixed keys and values.
/// A tree's entries, as (key, value) in key order.
type Records = Vec<(Vec<u8>, Vec<u8>)>;

fn records(bytes: &[u8]) -> Records {
    fn take(rest: &mut &[u8]) -> Vec<u8> {
        let (length, tail) = rest.split_at(4);
        let length = u32::from_be_bytes(length.try_into().expect("4 bytes")) as usize;
        let (item, tail) = tail.split_at(length);
        *rest = tail;
        item.to_vec()
    }
    let mut rest = bytes;
    let mut found = Vec::new();
    while !rest.is_empty() {
        let key = take(&mut rest);
        let value = take(&mut rest);
        found.push((key, value));
    }
    found
}

fn tree(members: &BTreeMap<String, Vec<u8>>, name: &str) -> Records {
    records(
        members
            .get(&format!("store/{name}"))
            .unwrap_or_else(|| panic!("tree {name}")),
    )
}

fn keys(members: &BTreeMap<String, Vec<u8>>, name: &str) -> BTreeSet<Vec<u8>> {
    tree(members, name)
        .into_iter()
        .map(|(key, _)| key)
        .collect()
}

/// Every file of `dir`, recursively, by relative path.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let relative = path.strip_prefix(root).expect("under").to_owned();
                into.insert(relative, std::fs::read(&path).expect("reads"));
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

fn is_empty_or_absent(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

/// `preau restore` with its standard error.
fn restore(archive: &Path, target: &Path) -> (bool, String) {
    let output = preau_on(target, &["restore"])
        .arg(archive)
        .output()
        .expect("runs preau");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asks the server for a backup from the administration page; returns the downloaded archive.
fn back_up_from_the_admin_page(server: &Server, into: &Path) -> PathBuf {
    let admin = server.signed_in_browser("admin.demo");
    let page = html_of(&admin, &server.url("/admin/sauvegardes"));
    assert!(page.contains("Sauvegarder maintenant"), "{page}");
    let response = admin
        .post(server.url("/admin/sauvegardes"))
        .form(&[("csrf", csrf_of(&page))])
        .send()
        .expect("posts");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    assert_eq!(location, "/admin/sauvegardes?resultat=ok");
    let page = html_of(&admin, &server.url(&location));
    assert!(page.contains("La sauvegarde a été faite."));
    let link = page
        .split("href=\"/admin/sauvegardes/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a download link")
        .to_owned();
    assert!(link.ends_with("-manuelle.zip"), "{link}");
    let response = admin
        .get(server.url(&format!("/admin/sauvegardes/{link}")))
        .send()
        .expect("downloads");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let path = into.join(&link);
    std::fs::write(&path, response.bytes().expect("body")).expect("writes");
    path
}

#[test]
fn a_backup_taken_while_the_demo_serves_and_a_client_writes_restores_identically() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, _, pupil) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let pupil_id = format!("personne:{}", pupil["user"]["id"]);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (url, stop) = (server.url("/api/v1/messages"), stop.clone());
        std::thread::spawn(move || {
            let client = preau_tests::Client::new();
            let mut sent = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let response = client
                    .post(&url)
                    .bearer_auth(&teacher)
                    .json(&serde_json::json!({
                        "to": [pupil_id],
                        "subject": format!("Message {sent}"),
                        "body": "Pendant la sauvegarde.",
                    }))
                    .send()
                    .expect("sends");
                assert_eq!(response.status(), StatusCode::CREATED);
                sent += 1;
            }
            sent
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let downloads = data_dir();
    let archive = back_up_from_the_admin_page(&server, downloads.path());
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let sent = writer.join().expect("writer");
    let first = members(&archive);
    let sent_in_backup = tree(&first, "messages").len();
    assert!(sent > 0 && sent_in_backup > 0);
    // One moment of the store: every copy of a message is in the mailboxes exactly when its
    // holder row is, and names a message that exists.
    let holders: BTreeSet<Vec<u8>> = keys(&first, "mail_holders")
        .into_iter()
        .map(|key| [&key[8..], &key[..8]].concat())
        .collect();
    assert_eq!(keys(&first, "mailboxes"), holders);
    let messages = keys(&first, "messages");
    for mailbox in keys(&first, "mailboxes") {
        assert!(
            messages.contains(&mailbox[8..]),
            "a copy of a missing message"
        );
    }

    let target = data_dir();
    let restored = target.path().join("donnees");
    let (ok, stderr) = restore(&archive, &restored);
    assert!(ok, "{stderr}");
    assert!(restored.join("index").is_dir(), "the index is rebuilt");
    // Every record: the restored store, backed up again by the binary, has the same trees.
    let again = target.path().join("again.zip");
    let (status, out) = cli(
        &restored,
        &["backup", "--out", again.to_str().expect("path")],
    );
    assert!(status.success(), "{out}");
    let second = members(&again);
    let stores = |members: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Records> {
        members
            .keys()
            .filter_map(|name| name.strip_prefix("store/"))
            .map(|name| (name.to_owned(), tree(members, name)))
            .collect()
    };
    let (before, after) = (stores(&first), stores(&second));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, records) in &before {
        assert!(
            records == &after[name],
            "tree {name} differs after the round trip"
        );
    }
    // Every file, byte for byte, on disk in the restored folder.
    let files_in_backup: BTreeMap<PathBuf, Vec<u8>> = first
        .iter()
        .filter_map(|(name, bytes)| {
            name.strip_prefix("files/")
                .map(|path| (PathBuf::from(path), bytes.clone()))
        })
        .collect();
    assert!(!files_in_backup.is_empty(), "the demo has files");
    let mut on_disk = files_under(&restored.join("files"));
    on_disk.retain(|path, _| !path.starts_with("tmp"));
    assert!(on_disk == files_in_backup, "the restored files differ");

    // The restored collège runs: people sign in and find their messages.
    let mut restored_server = Server::start(Options {
        data: Some(restored.clone()),
        ..Options::default()
    });
    let (token, _, _) = restored_server.api_login("eleve.demo", DEMO_PASSWORD);
    let (status, _) = restored_server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::OK);
    restored_server.terminate();
}

fn a_demo_backup() -> (tempfile::TempDir, PathBuf) {
    let server = Server::demo();
    let dir = data_dir();
    let archive = back_up_from_the_admin_page(&server, dir.path());
    (dir, archive)
}

#[test]
fn damaged_cut_and_foreign_archives_are_refused_in_french_and_nothing_is_restored() {
    let (dir, archive) = a_demo_backup();
    let bytes = std::fs::read(&archive).expect("reads");
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 0x40;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("abimee.zip", flipped, "Rien n'a été restauré."),
        (
            "coupee.zip",
            bytes[..bytes.len() / 2].to_vec(),
            "Ce fichier n'est pas une archive zip lisible : il est tronqué ou abîmé. Rien n'a été restauré.",
        ),
        ("autre.zip", {
            let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            out.start_file("photo.jpg", zip::write::SimpleFileOptions::default()).expect("starts");
            std::io::Write::write_all(&mut out, b"pas une photo").expect("writes");
            out.finish().expect("finishes").into_inner()
        }, "Ce fichier n'est pas une sauvegarde de Préau. Rien n'a été restauré."),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writes");
        let parent = data_dir();
        let target = parent.path().join("donnees");
        std::fs::create_dir(&target).expect("an empty target");
        let (ok, stderr) = restore(&path, &target);
        assert!(!ok, "{name} was restored");
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert!(
            is_empty_or_absent(&target),
            "{name}: the target is not empty"
        );
        assert_eq!(
            std::fs::read_dir(parent.path()).expect("lists").count(),
            1,
            "{name}: something was left next to the target"
        );
    }
    // The archive itself is fine, and a data directory that is not empty is refused.
    let parent = data_dir();
    let (ok, stderr) = restore(&archive, parent.path().join("donnees").as_path());
    assert!(ok, "{stderr}");
    let (ok, stderr) = restore(&archive, parent.path().join("donnees").as_path());
    assert!(!ok);
    assert!(stderr.contains("n'est pas vide"), "{stderr}");
}

/// A data directory whose store is a copy of `tests/fixtures/<name>`.
fn data_with_fixture(name: &str) -> tempfile::TempDir {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let data = data_dir();
    let db = data.path().join("db");
    std::fs::create_dir_all(&db).expect("creates");
    for entry in std::fs::read_dir(fixture).expect("fixture").flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), db.join(entry.file_name())).expect("copies");
        }
    }
    data
}

#[test]
fn every_earlier_schema_is_backed_up_by_the_binary_before_its_upgrade_and_the_backup_restores() {
    for version in 1..=8 {
        let data = data_with_fixture(&format!("store-v{version}"));
        let mut server = Server::start(Options {
            data: Some(data.path().to_path_buf()),
            ..Options::default()
        });
        server.terminate();
        let backups: Vec<PathBuf> = std::fs::read_dir(data.path().join("backups"))
            .expect("a backups folder")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "zip"))
            .collect();
        assert_eq!(backups.len(), 1, "v{version}: {backups:?}");
        let name = backups[0]
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(name.ends_with("-avant-mise-a-jour.zip"), "{name}");
        let manifest: serde_json::Value =
            serde_json::from_slice(&members(&backups[0])["manifest.json"]).expect("json");
        assert_eq!(manifest["schema_version"], version, "the store as it was");
        let target = data_dir();
        let (ok, stderr) = restore(&backups[0], target.path());
        assert!(ok, "v{version}: {stderr}");
    }
}

#[test]
fn an_older_binary_refuses_a_newer_store_and_changes_nothing() {
    let data = data_with_fixture("store-v7");
    let db = data.path().join("db");
    {
        let store = sled::open(&db).expect("opens");
        let meta = store.open_tree("meta").expect("meta");
        meta.insert("schema_version", &999u32.to_be_bytes())
            .expect("writes");
        store.flush().expect("flushes");
    }
    // As the newer binary that migrated it leaves it: the version repeated next to the store.
    std::fs::write(data.path().join("schema-version"), "999\n").expect("writes");
    let before = files_under(data.path());
    let mut child = Command::new(binary())
        .arg("serve")
        .arg("--data")
        .arg(data.path())
        .arg("--listen")
        .arg(format!("127.0.0.1:{}", free_port()))
        .env_remove("PREAU_BIN")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the binary did not refuse the store"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("reads");
    assert!(
        stderr.contains("ont le schéma 999, plus récent que ce que connaît cette version de Préau"),
        "{stderr}"
    );
    assert!(
        before == files_under(data.path()),
        "the data directory changed"
    );
}

/// Waits until the administration page says how the last nightly backup went; returns the page.
fn last_nightly_page(server: &Server) -> String {
    let admin = server.signed_in_browser("admin.demo");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = html_of(&admin, &server.url("/admin/sauvegardes"));
        if !page.contains("aucune pour l&#x27;instant") && !page.contains("aucune pour l'instant") {
            return page;
        }
        assert!(Instant::now() < deadline, "no nightly backup ran: {page}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_scheduled_backup_is_copied_kept_by_retention_and_its_failure_shows_on_the_admin_page() {
    let usb = data_dir();
    let server = Server::demo_with(&[
        ("PREAU_BACKUP_SCHEDULE", "2s"),
        ("PREAU_BACKUP_COPY_TO", usb.path().to_str().expect("path")),
    ]);
    let page = last_nightly_page(&server);
    assert!(page.contains("réussie"), "{page}");
    assert!(page.contains("automatique"), "{page}");
    // Two more runs: retention keeps the newest of the day, here and on the copy.
    std::thread::sleep(Duration::from_secs(5));
    for folder in [server.data.join("backups"), usb.path().to_path_buf()] {
        let nightly: Vec<String> = std::fs::read_dir(&folder)
            .expect("lists")
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with("-quotidienne.zip"))
            .collect();
        assert_eq!(nightly.len(), 1, "{}: {nightly:?}", folder.display());
    }
    drop(server);

    // A copy that cannot be made (the « disk » is a file) fails the run, in French on the page.
    let not_a_folder = usb.path().join("pas-un-dossier");
    std::fs::write(&not_a_folder, "").expect("writes");
    let server = Server::demo_with(&[
        ("PREAU_BACKUP_SCHEDULE", "2s"),
        ("PREAU_BACKUP_COPY_TO", not_a_folder.to_str().expect("path")),
    ]);
    let page = last_nightly_page(&server);
    assert!(page.contains("échouée"), "{page}");
    assert!(
        page.contains("est écrite sur ce serveur, mais n'a pas pu être copiée vers"),
        "{page}"
    );
}

#[test]
fn preau_backup_run_beside_the_serving_demo_asks_the_server_and_its_archive_restores() {
    let server = Server::demo();
    let out = data_dir();
    let archive = out.path().join("sauvegarde.zip");
    let (status, printed) = cli(
        &server.data,
        &["backup", "--out", archive.to_str().expect("a UTF-8 path")],
    );
    assert!(status.success(), "{printed}");
    assert!(printed.starts_with("sauvegarde écrite : "), "{printed}");
    assert!(archive.is_file());
    let kept: Vec<_> = std::fs::read_dir(server.data.join("backups"))
        .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
        .unwrap_or_default();
    assert!(
        !kept
            .iter()
            .any(|name| name.to_string_lossy().ends_with(".zip")),
        "the server's copy is taken over, not left behind: {kept:?}"
    );
    let target = data_dir();
    let (restored, said) = restore(&archive, &target.path().join("restored"));
    assert!(restored, "{said}");
    let restarted = Server::start(Options {
        data: Some(target.path().join("restored")),
        ..Options::default()
    });
    restarted.api_login("parent.demo", DEMO_PASSWORD);
}

/// `kill -9` at any moment of `preau backup` leaves either a whole archive that restores, or no
/// archive at all: what it was writing (`….zip.part`) is refused by a restore.
#[test]
fn a_backup_killed_at_any_moment_leaves_no_archive_that_passes_verification() {
    let mut server = Server::demo();
    // The CLI backs up by itself when no server runs: its own process is the one killed.
    server.terminate();
    let data = server.data.clone();
    let out_dir = data_dir();
    let mut killed = 0;
    let mut finished = 0;
    let mut refused = 0;
    for delay_ms in [5u64, 15, 30, 60, 100, 150, 250, 400, 700, 1200] {
        let out = out_dir.path().join(format!("killed-{delay_ms}.zip"));
        let mut child = preau_on(&data, &["backup", "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("runs preau backup");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let done_before = child.try_wait().expect("wait").is_some();
        let _ = child.kill();
        let status = child.wait().expect("reaped");
        let partial = out.with_extension("zip.part");
        if done_before && status.success() {
            finished += 1;
            let target = out_dir.path().join(format!("restored-{delay_ms}"));
            let (ok, said) = restore(&out, &target);
            assert!(ok, "a finished backup restores: {said}");
            assert!(
                !partial.exists(),
                "nothing partial left by a finished backup"
            );
            continue;
        }
        killed += 1;
        assert!(
            !out.exists() || {
                // Killed after the rename: the archive is whole.
                let target = out_dir.path().join(format!("restored-{delay_ms}"));
                restore(&out, &target).0
            },
            "a killed backup leaves no archive under its name, or a whole one ({delay_ms} ms)"
        );
        if partial.exists() {
            let target = out_dir.path().join(format!("refused-{delay_ms}"));
            let (ok, said) = restore(&partial, &target);
            assert!(
                !ok,
                "the partial file of a killed backup is refused ({delay_ms} ms)"
            );
            assert!(!said.is_empty(), "with a reason");
            assert!(is_empty_or_absent(&target), "and nothing is restored");
            refused += 1;
        }
    }
    assert!(killed >= 1, "at least one backup was killed mid-way");
    eprintln!(
        "{killed} backups killed ({refused} partial files refused), {finished} finished before \
         their kill"
    );
}
