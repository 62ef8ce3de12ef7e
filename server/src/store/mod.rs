//! The sled store: the source of truth for everything Préau knows.
//!
//! Values are JSON documents behind a one-byte codec tag ([`codec`]); the layout of every tree is
//! described in [`schema`], with the migrations that bring an older store up to date.

pub mod codec;
mod error;
pub mod keys;
pub mod schema;
mod table;

pub use error::StoreError;
pub use table::Table;

use std::path::Path;

use crate::domain::account::Account;
use crate::domain::establishment::Establishment;
use crate::domain::files::FileRecord;
use crate::domain::resource::Resource;
use crate::domain::session::Session;

/// A tree's name and its entries, in key order.
#[cfg(test)]
pub type TreeContent = (Vec<u8>, Vec<(sled::IVec, sled::IVec)>);

/// The opened store with its typed trees.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    pub meta: sled::Tree,
    /// account id → [`Account`]
    pub accounts: Table<Account>,
    /// login → account id (unique index)
    pub logins: sled::Tree,
    /// hash of a session token → [`Session`]
    pub sessions: Table<Session>,
    /// account id ‖ token hash → () (to revoke every session of an account)
    pub account_sessions: sled::Tree,
    /// [`keys::ESTABLISHMENT`] → [`Establishment`]
    pub establishment: Table<Establishment>,
    /// `ENTPersonJointure` → account id (unique index, kept with the accounts)
    pub jointures: sled::Tree,
    /// resource id → [`Resource`]
    pub resources: Table<Resource>,
    /// content hash → [`FileRecord`]
    pub files: Table<FileRecord>,
    /// resource id → text extracted from its file, for the search index
    pub resource_texts: Table<String>,
}

impl Store {
    /// Opens (or creates) the store in `dir` and runs pending migrations.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open()
            .map_err(|error| StoreError::from_open(dir, error))?;
        schema::migrate(&db)?;
        Self::from_db(db)
    }

    fn from_db(db: sled::Db) -> Result<Self, StoreError> {
        Ok(Self {
            meta: db.open_tree(schema::trees::META)?,
            accounts: Table::new(db.open_tree(schema::trees::ACCOUNTS)?),
            logins: db.open_tree(schema::trees::LOGINS)?,
            sessions: Table::new(db.open_tree(schema::trees::SESSIONS)?),
            account_sessions: db.open_tree(schema::trees::ACCOUNT_SESSIONS)?,
            establishment: Table::new(db.open_tree(schema::trees::ESTABLISHMENT)?),
            jointures: db.open_tree(schema::trees::JOINTURES)?,
            resources: Table::new(db.open_tree(schema::trees::RESOURCES)?),
            files: Table::new(db.open_tree(schema::trees::FILES)?),
            resource_texts: Table::new(db.open_tree(schema::trees::RESOURCE_TEXTS)?),
            db,
        })
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
