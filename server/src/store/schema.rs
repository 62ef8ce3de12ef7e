//! Tree names, the schema version, and the forward migrations that bring an older store to it.
//!
//! | version | change |
//! |---|---|
//! | 1 | accounts, logins, sessions, account_sessions, establishment |
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
}

/// The version this binary writes.
pub const CURRENT: u32 = 1;

const VERSION_KEY: &[u8] = b"schema_version";

struct Migration {
    /// The version the store has once this step ran.
    to: u32,
    run: fn(&sled::Db) -> Result<(), StoreError>,
}

/// Version 0 is an empty store: nothing to transform, trees are created on first use.
const MIGRATIONS: &[Migration] = &[Migration {
    to: 1,
    run: |_| Ok(()),
}];

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

    #[test]
    fn a_store_from_a_newer_binary_is_refused() {
        let (_dir, db) = temp_db();
        let meta = db.open_tree(trees::META).expect("tree");
        meta.insert(VERSION_KEY, &(CURRENT + 1).to_be_bytes())
            .expect("writes");
        assert!(matches!(migrate(&db), Err(StoreError::TooNew { .. })));
    }
}
