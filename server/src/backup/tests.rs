//! Backups of the demo collège taken and restored in process: every tree and every file comes
//! back identical, a backup taken while writers work is one moment of the store, and damaged,
//! cut or foreign archives are refused with the target left empty.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::restore::{restore, verify};
use super::*;
use crate::config::Config;
use crate::domain::clock::testing::ManualClock;
use crate::domain::tables::Tables;
use crate::files::BlobStore;

/// The demo collège in a data directory laid out as `preau serve` lays it out.
fn demo_data() -> (tempfile::TempDir, Domain) {
    let data = tempfile::tempdir().expect("temp dir");
    let tables = Tables::open(&data.path().join("db"), 16 << 20).expect("opens");
    let domain = Domain::new(
        tables,
        Arc::new(Config::default()),
        Arc::new(ManualClock::default()),
    )
    .with_files(BlobStore::of(data.path()));
    crate::demo::seed_if_empty(&domain).expect("seeds");
    domain.flush_blocking().expect("flushes");
    (data, domain)
}

/// Every file under `dir/files`, by relative path, with its bytes.
fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.map(|e| e.expect("entry")) {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                let relative = path.strip_prefix(root).expect("under root").to_owned();
                into.insert(relative, std::fs::read(&path).expect("reads"));
            }
        }
    }
    let mut found = BTreeMap::new();
    let root = dir.join("files");
    walk(&root, &root, &mut found);
    found.retain(|path, _| !path.starts_with("tmp"));
    found
}

/// The restored store; sled lets go of a store's lock a moment after the restore drops it.
fn open_restored(target: &Path) -> Tables {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Tables::open(&target.join("db"), 16 << 20) {
            Ok(tables) => return tables,
            Err(crate::store::StoreError::Locked(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(error) => panic!("the restored store does not open: {error}"),
        }
    }
}

fn target() -> (tempfile::TempDir, PathBuf) {
    let parent = tempfile::tempdir().expect("temp dir");
    let target = parent.path().join("restored");
    (parent, target)
}

#[tokio::test]
async fn a_backup_of_the_demo_restores_every_record_and_every_file_identically() {
    let (data, domain) = demo_data();
    let installed = crate::installation::settings_path(data.path());
    std::fs::write(
        &installed,
        "[establishment]\nname = \"Collège Jean Moulin\"\n",
    )
    .expect("writes");
    let archive = data.path().join("backups/demo.zip");
    let manifest = write_to(&domain, &archive, BackupKind::Manual)
        .await
        .expect("backs up");
    assert!(manifest.files > 0, "the demo has uploaded files");
    assert!(manifest.trees["messages"] > 0 && manifest.trees["lesson_entries"] > 0);
    let (_parent, target) = target();
    let restored = restore(&archive, &target, &Config::default()).expect("restores");
    assert_eq!(restored, manifest);
    let tables = open_restored(&target);
    assert!(
        tables.content() == domain.tables().content(),
        "a tree differs after the round trip"
    );
    assert_eq!(files_of(&target), files_of(data.path()));
    assert!(target.join("index").is_dir(), "the index is rebuilt");
    assert_eq!(
        std::fs::read(crate::installation::settings_path(&target)).expect("restored"),
        std::fs::read(&installed).expect("reads"),
        "the installation's choices come back into the data directory"
    );
    // Identifiers given after the restore are new ones.
    assert!(tables.next_id().expect("id") > manifest.next_id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writers_work_is_one_moment_of_the_store() {
    let (data, domain) = demo_data();
    let store = domain.tables().store().clone();
    let (left, right) = (
        store.tree("pair_left").expect("tree"),
        store.tree("pair_right").expect("tree"),
    );
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..4u32 {
        let (domain, left, right, stop) =
            (domain.clone(), left.clone(), right.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let permit = domain.write_permit().await;
                let key = [writer.to_be_bytes(), n.to_be_bytes()].concat();
                left.insert(&key, b"l").expect("writes");
                // A gap between the two trees: an export that ran here without the gate would
                // hold the left entry and not the right one.
                tokio::time::sleep(std::time::Duration::from_micros(50)).await;
                right.insert(&key, b"r").expect("writes");
                drop(permit);
                n += 1;
            }
            n
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let archive = data.path().join("backups/busy.zip");
    let manifest = write_to(&domain, &archive, BackupKind::Manual)
        .await
        .expect("backs up");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut written = 0;
    for writer in writers {
        written += writer.await.expect("writer");
    }
    let left_count = manifest.trees["pair_left"];
    assert!(
        left_count > 0 && u64::from(written) > left_count,
        "writes went on around the backup"
    );
    let (_parent, target) = target();
    restore(&archive, &target, &Config::default()).expect("restores");
    let tables = open_restored(&target);
    let keys = |name: &str| -> Vec<sled::IVec> {
        tables
            .store()
            .tree(name)
            .expect("tree")
            .iter()
            .keys()
            .map(|k| k.expect("key"))
            .collect()
    };
    assert_eq!(keys("pair_left"), keys("pair_right"));
    assert_eq!(keys("pair_left").len() as u64, left_count);
}

#[test]
fn a_blob_cannot_be_removed_while_a_backup_holds_the_files() {
    let data = tempfile::tempdir().expect("temp dir");
    let blobs = BlobStore::of(data.path());
    let staged = blobs.stage_bytes("a.txt", b"bonjour", 100).expect("stages");
    let hash = staged.hash.clone();
    blobs.commit(staged).expect("commits");
    let held = blobs.hold_removals();
    let remover = {
        let (blobs, hash) = (blobs.clone(), hash.clone());
        std::thread::spawn(move || blobs.remove(&hash))
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(blobs.contains(&hash), "removed while held");
    drop(held);
    remover.join().expect("joins").expect("removes");
    assert!(!blobs.contains(&hash));
}

/// An archive of the demo, and a fresh place to restore it.
async fn demo_archive() -> (tempfile::TempDir, PathBuf) {
    let (data, domain) = demo_data();
    let archive = data.path().join("demo.zip");
    write_to(&domain, &archive, BackupKind::Manual)
        .await
        .expect("backs up");
    (data, archive)
}

fn refused(archive: &Path) -> BackupError {
    let (_parent, target) = target();
    let error = restore(archive, &target, &Config::default()).expect_err("refused");
    assert!(!target.exists(), "the target was left: {error}");
    let leftovers: Vec<_> = std::fs::read_dir(target.parent().expect("parent"))
        .expect("lists")
        .collect();
    assert!(leftovers.is_empty(), "the staging folder was left");
    error
}

#[tokio::test]
async fn a_flipped_byte_is_refused_and_nothing_is_restored() {
    let (_data, archive) = demo_archive().await;
    let mut bytes = std::fs::read(&archive).expect("reads");
    // In the middle of the members' data, far from the directory at the end.
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x40;
    std::fs::write(&archive, &bytes).expect("writes");
    let error = refused(&archive);
    assert!(
        matches!(
            error,
            BackupError::Corrupt { .. } | BackupError::Unreadable(_)
        ),
        "{error:?}"
    );
    assert!(error.french().contains("Rien n'a été restauré"));
}

#[tokio::test]
async fn a_cut_archive_is_refused_and_nothing_is_restored() {
    let (_data, archive) = demo_archive().await;
    let bytes = std::fs::read(&archive).expect("reads");
    std::fs::write(&archive, &bytes[..bytes.len() / 2]).expect("writes");
    let error = refused(&archive);
    assert!(matches!(error, BackupError::Unreadable(_)), "{error:?}");
    assert!(error.french().contains("tronqué ou abîmé"));
}

#[tokio::test]
async fn a_changed_member_with_a_valid_zip_is_refused_by_its_sha256() {
    let (data, archive) = demo_archive().await;
    // Rewrite the archive with one blob's bytes changed but the manifest kept: zip's own CRC
    // is right, only the manifest's SHA-256 can tell.
    let rewritten = data.path().join("changed.zip");
    let mut source =
        zip::ZipArchive::new(std::fs::File::open(&archive).expect("opens")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&rewritten).expect("creates"));
    let mut changed = false;
    for index in 0..source.len() {
        let mut member = source.by_index(index).expect("member");
        let name = member.name().expect("a name").into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut bytes).expect("reads");
        if name.starts_with("files/") && !changed {
            bytes.push(b'!');
            changed = true;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("starts");
        out.write_all(&bytes).expect("writes");
    }
    out.finish().expect("finishes");
    assert!(changed);
    let error = refused(&rewritten);
    assert!(matches!(error, BackupError::Corrupt { .. }), "{error:?}");
    assert!(verify(&rewritten).is_err());
    assert!(verify(&archive).is_ok());
}

#[test]
fn a_zip_that_is_not_a_backup_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("photos.zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&archive).expect("creates"));
    out.start_file("photo.jpg", zip::write::SimpleFileOptions::default())
        .expect("starts");
    out.write_all(b"not a photo").expect("writes");
    out.finish().expect("finishes");
    let error = refused(&archive);
    assert!(matches!(error, BackupError::Foreign(_)), "{error:?}");
    assert_eq!(
        error.french(),
        "Ce fichier n'est pas une sauvegarde de Préau. Rien n'a été restauré."
    );
}

#[tokio::test]
async fn a_backup_of_a_newer_schema_is_refused() {
    let (data, archive) = demo_archive().await;
    let rewritten = data.path().join("newer.zip");
    let mut source =
        zip::ZipArchive::new(std::fs::File::open(&archive).expect("opens")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&rewritten).expect("creates"));
    for index in 0..source.len() {
        let mut member = source.by_index(index).expect("member");
        let name = member.name().expect("a name").into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut bytes).expect("reads");
        if name == manifest::MANIFEST {
            let mut manifest: Manifest = serde_json::from_slice(&bytes).expect("manifest");
            manifest.schema_version += 1;
            bytes = serde_json::to_vec(&manifest).expect("encodes");
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("starts");
        out.write_all(&bytes).expect("writes");
    }
    out.finish().expect("finishes");
    let error = refused(&rewritten);
    assert!(matches!(error, BackupError::TooNew { .. }), "{error:?}");
    assert!(error.french().contains("version plus récente de Préau"));
}

#[tokio::test]
async fn a_restore_into_a_data_directory_that_is_not_empty_is_refused() {
    let (data, archive) = demo_archive().await;
    let error = restore(&archive, data.path(), &Config::default()).expect_err("refused");
    assert!(matches!(error, BackupError::TargetNotEmpty(_)), "{error:?}");
}
