//! The sled store: the source of truth for everything Préau knows.
//!
//! Values are JSON documents behind a one-byte codec tag ([`codec`]); [`schema`] counts versions
//! and runs the migrations the domain gives it (`domain/migrations.rs`).

pub mod codec;
mod error;
mod gate;
pub mod keys;
pub mod schema;
mod table;

pub use error::StoreError;
pub use gate::{Closed, WriteGate, WritePermit};
pub use table::Table;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A tree's name and its entries, in key order.
#[cfg(test)]
pub type TreeContent = (Vec<u8>, Vec<(sled::IVec, sled::IVec)>);

/// The opened store. It knows trees, the encoding of values and schema versions, not what the
/// trees hold: the domain opens its typed tables ([`Store::table`]) and brings its migrations.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    pub meta: sled::Tree,
    gate: WriteGate,
}

impl Store {
    /// Opens (or creates) the store in `dir` and runs the `migrations` it has not had yet.
    pub fn open(
        dir: &Path,
        cache_bytes: u64,
        migrations: &[schema::Migration],
    ) -> Result<Self, StoreError> {
        let store = Self::open_unmigrated(dir, cache_bytes)?;
        store.migrate(migrations)?;
        Ok(store)
    }

    /// Opens (or creates) the store in `dir` as it is, without migrating it: the start checks
    /// its version first (and backs it up before an upgrade, `crate::backup::upgrade`).
    pub fn open_unmigrated(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open()
            .map_err(|error| StoreError::from_open(dir, error))?;
        Ok(Self {
            meta: db.open_tree(schema::META)?,
            db,
            gate: WriteGate::default(),
        })
    }

    /// Runs the `migrations` the store has not had yet (a newer store is refused untouched).
    pub fn migrate(&self, migrations: &[schema::Migration]) -> Result<(), StoreError> {
        schema::migrate(&self.db, migrations, chrono::Utc::now())
    }

    /// The gate writers pass and a backup closes ([`gate`]).
    pub fn gate(&self) -> &WriteGate {
        &self.gate
    }

    /// The names of every tree, sorted (sled's default tree included).
    pub fn tree_names(&self) -> Vec<sled::IVec> {
        let mut names = self.db.tree_names();
        names.sort();
        names
    }

    /// An identifier at least as high as every one [`Store::next_id`] gave so far: a restored
    /// store must not give them again.
    pub fn id_watermark(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()? + 1)
    }

    /// Makes [`Store::next_id`] give identifiers above `watermark` (a restored store).
    pub fn raise_ids_to(&self, watermark: u64) -> Result<(), StoreError> {
        // sled can only count up, one at a time; a million ids take a few milliseconds.
        while self.db.generate_id()? < watermark {}
        Ok(())
    }

    /// The tree `name`, with raw bytes (indexes, sets).
    pub fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(name)?)
    }

    /// The tree `name`, whose values are all `V`s.
    pub fn table<V: Serialize + DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Table<V>, StoreError> {
        Ok(Table::new(self.tree(name)?))
    }

    /// A fresh identifier, unique for the life of the store.
    pub fn next_id(&self) -> Result<u64, StoreError> {
        // sled ids start at 0; 0 is kept free so that it can never name a real record.
        Ok(self.db.generate_id()? + 1)
    }

    /// Makes every write so far durable. Concurrent callers share one fsync.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }

    /// Blocking flush, for the CLI and for shutdown.
    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.db)
    }

    /// Every tree with every key and value, in order: tests compare two of these to prove that
    /// an operation changed nothing at all.
    #[cfg(test)]
    pub fn content(&self) -> Vec<TreeContent> {
        let mut names = self.db.tree_names();
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let entries = self
                    .db
                    .open_tree(&name)
                    .map(|tree| tree.iter().filter_map(Result::ok).collect())
                    .unwrap_or_default();
                (name.to_vec(), entries)
            })
            .collect()
    }
}
