//! Tree names, the schema version, and the forward migrations that bring an older store to it.
//!
//! | version | change |
//! |---|---|
//! | 1 | accounts, logins, sessions, account_sessions, establishment |
//! | 2 | jointures: the directory key (`ENTPersonJointure`) of each account that has one |
//! | 3 | resources (created empty) |
//! | 4 | files (blob metadata by hash) and resource_texts (text extracted from uploads), created empty |
//!
//! A migration runs once, at start, before anything else opens the trees; it is forward only.
//! `tests/fixtures/store-v1/` holds a store written by version 1, opened by a test to prove the
//! chain still works.

use super::StoreError;

pub mod trees {
    pub const META: &str = "meta";
    pub const ACCOUNTS: &str = "accounts";
    pub const LOGINS: &str = "logins";
    pub const SESSIONS: &str = "sessions";
    pub const ACCOUNT_SESSIONS: &str = "account_sessions";
    pub const ESTABLISHMENT: &str = "establishment";
    pub const JOINTURES: &str = "jointures";
    pub const RESOURCES: &str = "resources";
    pub const FILES: &str = "files";
    pub const RESOURCE_TEXTS: &str = "resource_texts";
}

/// The version this binary writes.
pub const CURRENT: u32 = 4;

const VERSION_KEY: &[u8] = b"schema_version";

struct Migration {
    /// The version the store has once this step ran.
    to: u32,
    run: fn(&sled::Db) -> Result<(), StoreError>,
}

const MIGRATIONS: &[Migration] = &[
    // Version 0 is an empty store: nothing to transform, trees are created on first use.
    Migration {
        to: 1,
        run: |_| Ok(()),
    },
    Migration {
        to: 2,
        run: index_jointures,
    },
    // The resources tree starts empty: nothing to transform.
    Migration {
        to: 3,
        run: |_| Ok(()),
    },
    // Uploads start with this version: no resource has a file yet.
    Migration {
        to: 4,
        run: |_| Ok(()),
    },
];

/// Builds the `jointures` index from the accounts, so that the directory import finds a person
/// by their académie key whatever their name has become.
fn index_jointures(db: &sled::Db) -> Result<(), StoreError> {
    #[derive(serde::Deserialize)]
    struct WithJointure {
        id: u64,
        jointure: Option<String>,
    }
    let accounts = db.open_tree(trees::ACCOUNTS)?;
    let jointures = db.open_tree(trees::JOINTURES)?;
    let mut batch = sled::Batch::default();
    for entry in accounts.iter() {
        let (_, bytes) = entry?;
        let account: WithJointure = super::codec::decode(trees::ACCOUNTS, &bytes)?;
        if let Some(jointure) = account.jointure {
            batch.insert(jointure.as_bytes(), &super::keys::id(account.id));
        }
    }
    jointures.apply_batch(batch)?;
    Ok(())
}

pub fn version(db: &sled::Db) -> Result<u32, StoreError> {
    let meta = db.open_tree(trees::META)?;
    Ok(match meta.get(VERSION_KEY)? {
        Some(bytes) => {
            let array: [u8; 4] = bytes.as_ref().try_into().map_err(|_| StoreError::Decode {
                tree: trees::META.to_owned(),
                message: "schema version is not 4 bytes".to_owned(),
            })?;
            u32::from_be_bytes(array)
        }
        None => 0,
    })
}

/// Brings `db` to [`CURRENT`], one step at a time; each step and its version bump are flushed
/// together so that a crash mid-way resumes at the step that did not finish.
pub fn migrate(db: &sled::Db) -> Result<(), StoreError> {
    let found = version(db)?;
    if found > CURRENT {
        return Err(StoreError::TooNew {
            found,
            known: CURRENT,
        });
    }
    let meta = db.open_tree(trees::META)?;
    for step in MIGRATIONS.iter().filter(|step| step.to > found) {
        tracing::info!(to = step.to, "migrating store schema");
        (step.run)(db).map_err(|error| StoreError::Migration {
            version: step.to,
            message: error.to_string(),
        })?;
        meta.insert(VERSION_KEY, &step.to.to_be_bytes())?;
        db.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("opens");
        (dir, db)
    }

    #[test]
    fn a_new_store_is_brought_to_the_current_version() {
        let (_dir, db) = temp_db();
        assert_eq!(version(&db).expect("reads"), 0);
        migrate(&db).expect("migrates");
        assert_eq!(version(&db).expect("reads"), CURRENT);
    }

    /// `tests/fixtures/store-v1` was written by the version-1 code: two directory accounts (a
    /// pupil and her parent, with jointures), an administrator, a session and the establishment.
    #[test]
    fn a_version_1_store_opens_migrated_with_its_data_intact() {
        let fixture = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/store-v1"
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in std::fs::read_dir(fixture).expect("fixture exists") {
            let entry = entry.expect("entry");
            let target = dir.path().join(entry.file_name());
            if entry.path().is_dir() {
                std::fs::create_dir_all(&target).expect("copies");
            } else {
                std::fs::copy(entry.path(), target).expect("copies");
            }
        }
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 1);
        }
        let store = crate::store::Store::open(dir.path(), 1 << 20).expect("migrates");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let accounts: Vec<_> = store
            .accounts
            .values()
            .collect::<Result<_, _>>()
            .expect("accounts decode");
        assert_eq!(accounts.len(), 3);
        let pupil = accounts
            .iter()
            .find(|a| a.login == "emma.martin")
            .expect("pupil");
        assert_eq!(pupil.class(), Some("6A"));
        assert!(crate::domain::password::verify(
            "ancien-mot",
            pupil.password_hash.as_deref().expect("hash")
        ));
        let parent = accounts
            .iter()
            .find(|a| a.login == "sophie.martin")
            .expect("parent");
        assert!(parent.is_parent_of(pupil.id));
        assert_eq!(
            store.jointures.get("3000006").expect("reads").as_deref(),
            Some(&crate::store::keys::id(pupil.id)[..])
        );
        assert_eq!(
            store.jointures.get("3000013").expect("reads").as_deref(),
            Some(&crate::store::keys::id(parent.id)[..])
        );
        assert_eq!(
            store.jointures.len(),
            2,
            "the administrator has no jointure"
        );
        assert_eq!(store.sessions.len(), 1);
        let establishment = store
            .establishment
            .get(crate::store::keys::ESTABLISHMENT)
            .expect("reads")
            .expect("present");
        assert_eq!(establishment.uai, "0130042X");
    }

    #[test]
    fn a_store_from_a_newer_binary_is_refused() {
        let (_dir, db) = temp_db();
        let meta = db.open_tree(trees::META).expect("tree");
        meta.insert(VERSION_KEY, &(CURRENT + 1).to_be_bytes())
            .expect("writes");
        assert!(matches!(migrate(&db), Err(StoreError::TooNew { .. })));
    }
}
