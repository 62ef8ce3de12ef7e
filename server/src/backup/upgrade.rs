//! Every start checks the store's schema version before anything writes to it: a store of an
//! older schema is backed up into `data/backups/` (a « avant-mise-a-jour » backup) and then
//! migrated forward; a store of a newer schema than this binary knows is refused untouched.
//!
//! sled rewrites some of its files (its snapshot, the tail of its log) whenever it opens a
//! store, even one that is only read. So the version is also kept next to the store, in
//! `data/schema-version`, written by every binary from this one on once the store is at its
//! version: a newer store is refused on that file's word before sled touches anything. Without
//! the file (a store of an older binary, never too new), sled is asked.

use std::path::Path;

use super::{folder, retention, write_archive, BackupError, BackupKind};
use crate::config::Config;
use crate::domain::migrations;
use crate::domain::tables::Tables;
use crate::files::BlobStore;
use crate::store::schema::latest;
use crate::store::{Store, StoreError};

/// Why the store of a data directory cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "Les données de {dir} ont le schéma {found}, plus récent que ce que connaît cette version de Préau (schéma {known}) : installez la version de Préau qui les a écrites, ou une plus récente. Rien n'a été modifié."
    )]
    TooNew { dir: String, found: u32, known: u32 },
    #[error("the backup before the upgrade of the store to schema {to} failed, so the store was not migrated: {source}")]
    Backup {
        to: u32,
        #[source]
        source: BackupError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The file next to the store that repeats its schema version.
pub const VERSION_FILE: &str = "schema-version";

/// What `data/schema-version` says, if it says a version.
fn recorded_version(data: &Path) -> Option<u32> {
    std::fs::read_to_string(data.join(VERSION_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Writes `data/schema-version` (through a renamed temporary file: never half a number).
pub fn record_version(data: &Path, version: u32) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: data.join(VERSION_FILE).display().to_string(),
        source,
    };
    let partial = data.join(format!("{VERSION_FILE}.part"));
    std::fs::write(&partial, format!("{version}\n")).map_err(io)?;
    std::fs::rename(&partial, data.join(VERSION_FILE)).map_err(io)
}

/// Opens the store of `data`, backing it up first when this binary is about to migrate it.
pub fn open_tables(data: &Path, config: &Config) -> Result<Tables, OpenError> {
    let dir = data.join("db");
    let known = latest(migrations::ALL);
    let too_new = |found| OpenError::TooNew {
        dir: dir.display().to_string(),
        found,
        known,
    };
    if let Some(found) = recorded_version(data).filter(|found| *found > known) {
        return Err(too_new(found));
    }
    let store = Store::open_unmigrated(&dir, config.store.cache_size_mb << 20)?;
    let found = store.schema_version()?;
    if found > known {
        return Err(too_new(found));
    }
    // Version 0 is a new, empty store: there is nothing to keep.
    if found > 0 && found < known {
        let now = chrono::Utc::now();
        let path = folder(data).join(retention::file_name(now, BackupKind::PreUpgrade));
        let closed = store.gate().try_close().ok_or_else(|| OpenError::Backup {
            to: known,
            source: BackupError::Io {
                context: "close the write gate".to_owned(),
                source: std::io::Error::other("a writer is already at work"),
            },
        })?;
        let manifest = write_archive(
            &store,
            &BlobStore::of(data),
            closed,
            config.source_file.as_deref(),
            &path,
            BackupKind::PreUpgrade,
            now,
        )
        .map_err(|source| OpenError::Backup { to: known, source })?;
        tracing::info!(
            from = found,
            to = known,
            backup = %path.display(),
            trees = manifest.trees.len(),
            "store backed up before its upgrade"
        );
    }
    store.migrate(migrations::ALL)?;
    record_version(data, known)?;
    Ok(Tables::of(store)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A data directory whose store is a copy of `tests/fixtures/<name>`.
    fn data_with_fixture(name: &str) -> tempfile::TempDir {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(name);
        let data = tempfile::tempdir().expect("temp dir");
        let db = data.path().join("db");
        std::fs::create_dir_all(&db).expect("creates");
        for entry in std::fs::read_dir(fixture).expect("fixture exists") {
            let entry = entry.expect("entry");
            if entry.path().is_file() {
                std::fs::copy(entry.path(), db.join(entry.file_name())).expect("copies");
            }
        }
        data
    }

    fn files_and_bytes(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut found: Vec<_> = std::fs::read_dir(dir)
            .expect("lists")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .map(|p| {
                let bytes = std::fs::read(&p).expect("reads");
                (p, bytes)
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_older_store_is_backed_up_before_it_is_migrated_and_the_backup_restores() {
        let known = latest(migrations::ALL);
        for version in 1..known {
            let data = data_with_fixture(&format!("store-v{version}"));
            let tables = open_tables(data.path(), &Config::default()).expect("opens");
            assert_eq!(tables.schema_version().expect("reads"), known);
            drop(tables);
            let backups = retention::list(&folder(data.path())).expect("lists");
            assert_eq!(backups.len(), 1, "v{version}: one backup");
            assert_eq!(backups[0].kind, BackupKind::PreUpgrade);
            let archive = folder(data.path()).join(&backups[0].name);
            let manifest = super::super::restore::verify(&archive).expect("verifies");
            assert_eq!(manifest.schema_version, version, "the store as it was");
            let target = tempfile::tempdir().expect("temp dir");
            super::super::restore::restore(&archive, target.path(), &Config::default())
                .unwrap_or_else(|error| panic!("v{version}: {error}"));
            // Opening again finds the store up to date: no second backup.
            open_tables(data.path(), &Config::default()).expect("opens again");
            assert_eq!(
                retention::list(&folder(data.path())).expect("lists").len(),
                1
            );
        }
    }

    #[test]
    fn a_store_of_a_newer_schema_is_refused_and_left_byte_for_byte() {
        let data = data_with_fixture("store-v7");
        let known = latest(migrations::ALL);
        drop(open_tables(data.path(), &Config::default()).expect("upgrades"));
        std::fs::remove_dir_all(folder(data.path())).expect("removes the backup");
        {
            let store = Store::open_unmigrated(&data.path().join("db"), 16 << 20).expect("opens");
            store
                .meta
                .insert("schema_version", &(known + 1).to_be_bytes())
                .expect("writes");
            store.flush_blocking().expect("flushes");
        }
        // As the newer binary that migrated it would have left it.
        record_version(data.path(), known + 1).expect("records");
        let before = files_and_bytes(&data.path().join("db"));
        let Err(error) = open_tables(data.path(), &Config::default()) else {
            panic!("a newer store was opened");
        };
        assert!(
            matches!(error, OpenError::TooNew { found, .. } if found == known + 1),
            "{error:?}"
        );
        assert!(error
            .to_string()
            .contains("plus récent que ce que connaît cette version"));
        assert_eq!(files_and_bytes(&data.path().join("db")), before);
        assert!(
            !folder(data.path()).exists(),
            "no backup of a store left alone"
        );
    }
}
