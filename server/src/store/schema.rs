//! The schema version of a store and the runner of forward migrations. Which trees exist and
//! what each step does is the domain's (`domain/migrations.rs`): the store only counts versions.
//!
//! A migration runs once, at start, before anything else opens the trees; it is forward only.

use chrono::{DateTime, Utc};

use super::StoreError;

/// The tree that holds the schema version (and other bookkeeping).
pub const META: &str = "meta";

const VERSION_KEY: &[u8] = b"schema_version";

/// One forward step.
pub struct Migration {
    /// The version the store has once this step ran.
    pub to: u32,
    /// The step, given the time the migration runs at.
    pub run: fn(&sled::Db, DateTime<Utc>) -> Result<(), StoreError>,
}

/// The version the last of `steps` brings a store to.
pub const fn latest(steps: &[Migration]) -> u32 {
    match steps.last() {
        Some(step) => step.to,
        None => 0,
    }
}

pub fn version(db: &sled::Db) -> Result<u32, StoreError> {
    let meta = db.open_tree(META)?;
    Ok(match meta.get(VERSION_KEY)? {
        Some(bytes) => {
            let array: [u8; 4] = bytes.as_ref().try_into().map_err(|_| StoreError::Decode {
                tree: META.to_owned(),
                message: "schema version is not 4 bytes".to_owned(),
            })?;
            u32::from_be_bytes(array)
        }
        None => 0,
    })
}

/// Brings `db` to the version of the last of `steps`, one step at a time, with `now` as the time
/// the steps that date something use; each step and its version bump are flushed together so
/// that a crash mid-way resumes at the step that did not finish. A store newer than the last
/// step is refused untouched.
pub fn migrate(db: &sled::Db, steps: &[Migration], now: DateTime<Utc>) -> Result<(), StoreError> {
    let found = version(db)?;
    let known = latest(steps);
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    let meta = db.open_tree(META)?;
    for step in steps.iter().filter(|step| step.to > found) {
        tracing::info!(to = step.to, "migrating store schema");
        (step.run)(db, now).map_err(|error| StoreError::Migration {
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

    const STEPS: &[Migration] = &[
        Migration {
            to: 1,
            run: |db, _| {
                db.open_tree("one")?.insert("k", "v")?;
                Ok(())
            },
        },
        Migration {
            to: 2,
            run: |_, _| Err(StoreError::Encode("step two fails".to_owned())),
        },
    ];

    #[test]
    fn steps_run_in_order_and_a_failed_step_leaves_the_version_of_the_last_good_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::open(dir.path()).expect("opens");
        assert_eq!(version(&db).expect("reads"), 0);
        let failed = migrate(&db, STEPS, Utc::now());
        assert!(
            matches!(failed, Err(StoreError::Migration { version: 2, .. })),
            "{failed:?}"
        );
        assert_eq!(version(&db).expect("reads"), 1);
        assert!(db
            .open_tree("one")
            .expect("tree")
            .contains_key("k")
            .expect("reads"));
        assert!(
            migrate(&db, &STEPS[..1], Utc::now()).is_ok(),
            "nothing left to do"
        );
    }

    #[test]
    fn a_store_from_a_newer_binary_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::open(dir.path()).expect("opens");
        let meta = db.open_tree(META).expect("tree");
        meta.insert(VERSION_KEY, &3u32.to_be_bytes())
            .expect("writes");
        assert!(matches!(
            migrate(&db, STEPS, Utc::now()),
            Err(StoreError::TooNew { found: 3, known: 2 })
        ));
    }
}
