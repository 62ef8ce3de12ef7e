//! The store's trees and the forward migrations that bring an older store to this binary's
//! version ([`crate::store::schema`] runs them).
//!
//! | version | change |
//! |---|---|
//! | 1 | accounts, logins, sessions, account_sessions, establishment |
//! | 2 | jointures: the directory key (`ENTPersonJointure`) of each account that has one |
//! | 3 | resources (created empty) |
//! | 4 | files (blob metadata by hash) and resource_texts (text extracted from uploads), created empty |
//! | 5 | activation codes hashed: `to_activate` accounts keep a salted hash and an issue date |
//!
//! `tests/fixtures/store-v1/` to `store-v4/` hold stores written by those versions, opened by the
//! tests below to prove that every older store still comes up to date.

use chrono::{DateTime, Utc};

use crate::store::schema::Migration;
use crate::store::{codec, keys, StoreError};

pub mod trees {
    pub const META: &str = crate::store::schema::META;
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
pub const CURRENT: u32 = crate::store::schema::latest(ALL);

/// Every step, in order.
pub const ALL: &[Migration] = &[
    // Version 0 is an empty store: nothing to transform, trees are created on first use.
    Migration {
        to: 1,
        run: |_, _| Ok(()),
    },
    Migration {
        to: 2,
        run: |db, _| index_jointures(db),
    },
    // The resources tree starts empty: nothing to transform.
    Migration {
        to: 3,
        run: |_, _| Ok(()),
    },
    // Uploads start with this version: no resource has a file yet.
    Migration {
        to: 4,
        run: |_, _| Ok(()),
    },
    Migration {
        to: 5,
        run: hash_activation_codes,
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
        let account: WithJointure = codec::decode(trees::ACCOUNTS, &bytes)?;
        if let Some(jointure) = account.jointure {
            batch.insert(jointure.as_bytes(), &keys::id(account.id));
        }
    }
    jointures.apply_batch(batch)?;
    Ok(())
}

/// Replaces each activation code kept in clear by its salted hash (see
/// [`ActivationCode`](crate::domain::activation::ActivationCode)). The old codes had no date:
/// they count as issued by this migration, so that they still work for a full lifetime and then
/// expire like any other. A code that is already hashed (a migration cut short) is left alone.
fn hash_activation_codes(db: &sled::Db, now: DateTime<Utc>) -> Result<(), StoreError> {
    use crate::domain::activation::ActivationCode;
    let accounts = db.open_tree(trees::ACCOUNTS)?;
    let mut batch = sled::Batch::default();
    for entry in accounts.iter() {
        let (key, bytes) = entry?;
        let mut account: serde_json::Value = codec::decode(trees::ACCOUNTS, &bytes)?;
        let Some(clear) = account["state"]["code"].as_str() else {
            continue;
        };
        let hashed = ActivationCode::of(clear, &mut rand::rngs::OsRng, now);
        account["state"]["code"] =
            serde_json::to_value(hashed).map_err(|e| StoreError::Encode(e.to_string()))?;
        batch.insert(key, codec::encode(&account)?);
    }
    accounts.apply_batch(batch)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::{migrate, version};

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("opens");
        (dir, db)
    }

    #[test]
    fn a_new_store_is_brought_to_the_current_version() {
        let (_dir, db) = temp_db();
        assert_eq!(version(&db).expect("reads"), 0);
        migrate(&db, ALL, Utc::now()).expect("migrates");
        assert_eq!(version(&db).expect("reads"), CURRENT);
    }

    /// A copy of the committed store `tests/fixtures/{name}`, to migrate without changing it.
    fn fixture(name: &str) -> tempfile::TempDir {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(name);
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
        dir
    }

    /// `tests/fixtures/store-v1` was written by the version-1 code: two directory accounts (a
    /// pupil and her parent, with jointures), an administrator, a session and the establishment.
    #[test]
    fn a_version_1_store_opens_migrated_with_its_data_intact() {
        let dir = fixture("store-v1");
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 1);
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("migrates");
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

    /// `tests/fixtures/store-v4` was written by the version-4 code: a pupil (`ines.da-silva`,
    /// code `KQ7RM-T4XWZ`) and her parent (`marc.da-silva`, code `H8PNA-WX3QZ`) waiting for
    /// activation with their codes in clear, and an active administrator.
    #[test]
    fn a_version_4_store_keeps_only_hashes_of_its_activation_codes_which_still_work_then_expire() {
        use crate::domain::account::AccountState;
        use crate::domain::accounts::Accounts;
        use crate::domain::clock::testing::ManualClock;
        use crate::domain::clock::Clock;
        use crate::domain::password::PasswordPolicy;
        use crate::domain::DomainError;

        let dir = fixture("store-v4");
        let clock = std::sync::Arc::new(ManualClock::default());
        let migrated_at = clock.now();
        {
            let raw = sled::open(dir.path()).expect("opens raw");
            assert_eq!(version(&raw).expect("reads"), 4);
            let accounts = raw.open_tree(trees::ACCOUNTS).expect("tree");
            let clear = |accounts: &sled::Tree| {
                accounts.iter().values().any(|value| {
                    let value = value.expect("reads");
                    String::from_utf8_lossy(&value).contains("KQ7RM-T4XWZ")
                })
            };
            assert!(clear(&accounts), "the fixture holds a code in clear");
            migrate(&raw, ALL, migrated_at).expect("migrates");
            assert!(!clear(&accounts), "no code is left in clear");
            raw.flush().expect("flushes");
        }
        let store = crate::domain::tables::Tables::open(dir.path(), 1 << 20).expect("opens");
        assert_eq!(store.schema_version().expect("reads"), CURRENT);
        let accounts = Accounts::new(store, clock.clone(), PasswordPolicy { min_length: 8 });
        for login in ["ines.da-silva", "marc.da-silva"] {
            let account = accounts.by_login(login).expect("reads").expect("kept");
            let AccountState::ToActivate { code } = &account.state else {
                panic!("{login} still waits for activation: {:?}", account.state);
            };
            assert_eq!(code.issued_at, migrated_at, "{login}");
        }
        let admin = accounts
            .by_login("admin.college")
            .expect("reads")
            .expect("kept");
        assert!(admin.is_active());
        assert!(crate::domain::password::verify(
            "ancien-mot",
            admin.password_hash.as_deref().expect("hash")
        ));
        let lifetime = std::time::Duration::from_secs(90 * 86_400);
        clock.advance(chrono::TimeDelta::days(89));
        let pupil = accounts
            .activate(
                "ines.da-silva",
                "kq7rm-t4xwz",
                "un bon mot",
                "un bon mot",
                lifetime,
            )
            .expect("the old code works until it expires");
        assert!(pupil.is_active());
        clock.advance(chrono::TimeDelta::days(1));
        assert!(matches!(
            accounts.activate(
                "marc.da-silva",
                "H8PNA-WX3QZ",
                "un bon mot",
                "un bon mot",
                lifetime
            ),
            Err(DomainError::ActivationExpired)
        ));
    }
}
