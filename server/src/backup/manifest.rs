//! `manifest.json`, the first member of every backup: what made it, of which store, when, what
//! it holds, and the SHA-256 of every other member, so that a restore can refuse anything else.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::BackupKind;

/// The member that describes the others.
pub const MANIFEST: &str = "manifest.json";
/// What `format` says in a Préau backup: a zip without it is someone else's.
pub const FORMAT: &str = "preau-backup";
/// The layout of the members; a restore refuses a layout it does not know.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The version of the Préau that wrote it.
    pub preau_version: String,
    /// The schema version of the exported store.
    pub schema_version: u32,
    pub created_at: DateTime<Utc>,
    pub kind: BackupKind,
    /// Entries per tree of the store.
    pub trees: BTreeMap<String, u64>,
    /// Uploaded files (blobs) in the archive.
    pub files: u64,
    /// Identifiers the store had given out: the restored store gives higher ones.
    pub next_id: u64,
    /// Member name → lowercase hex SHA-256 of its bytes, for every member but this one.
    pub members: BTreeMap<String, String>,
}

impl Manifest {
    pub fn new(schema_version: u32, created_at: DateTime<Utc>, kind: BackupKind) -> Self {
        Self {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            preau_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version,
            created_at,
            kind,
            trees: BTreeMap::new(),
            files: 0,
            next_id: 0,
            members: BTreeMap::new(),
        }
    }
}
