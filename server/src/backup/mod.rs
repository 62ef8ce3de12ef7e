//! Backups and restores of a whole establishment: one zip with the store exported tree by tree,
//! the uploaded files, the configuration file and a manifest (`manifest.rs`) that names the
//! SHA-256 of every member. The derived search indexes are left out: a restore rebuilds them.
//!
//! - [`write_to`] / [`create`]: a consistent backup of a running server (or of the command
//!   line's own store), `archive.rs`;
//! - [`restore::restore`]: into an empty data directory, all or nothing, `restore.rs`;
//! - nightly backups with retention and their last result, `nightly.rs` and `retention.rs`;
//! - the backup taken before a newer binary migrates the store, `upgrade.rs`.

mod archive;
pub mod manifest;
pub mod nightly;
pub mod restore;
pub mod retention;
pub mod upgrade;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Domain;
use crate::store::StoreError;

pub use archive::write_archive;
pub use manifest::Manifest;
pub use retention::BackupFile;

/// Why a backup was taken; part of its file name, so that the administrator sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupKind {
    /// Asked for: `preau backup`, « Sauvegarder maintenant ».
    Manual,
    /// The nightly job.
    Nightly,
    /// Taken at start, before a newer binary migrated the store.
    PreUpgrade,
}

impl BackupKind {
    pub const ALL: [BackupKind; 3] = [Self::Manual, Self::Nightly, Self::PreUpgrade];

    /// The word in file names.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Manual => "manuelle",
            Self::Nightly => "quotidienne",
            Self::PreUpgrade => "avant-mise-a-jour",
        }
    }

    /// What the administration page says.
    pub fn label(self) -> &'static str {
        match self {
            Self::Manual => "manuelle",
            Self::Nightly => "automatique",
            Self::PreUpgrade => "avant mise à jour",
        }
    }
}

/// What can go wrong while backing up or restoring. [`BackupError::french`] is what a person
/// is told; the `Display` text is for the logs.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("no uploaded files in this process")]
    NoFiles,
    #[error("the archive cannot be read as a zip (truncated or damaged): {0}")]
    Unreadable(String),
    #[error("the archive is not a Préau backup: {0}")]
    Foreign(String),
    #[error("the backup has layout version {0}, unknown to this binary")]
    UnknownLayout(u32),
    #[error("the backup has schema version {found}, newer than this binary knows ({known})")]
    TooNew { found: u32, known: u32 },
    #[error("member {member} is damaged: {reason}")]
    Corrupt { member: String, reason: String },
    #[error("the target data directory {0} is not empty")]
    TargetNotEmpty(PathBuf),
    #[error("cannot rebuild the search index of the restored data: {0}")]
    Index(String),
}

impl BackupError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }

    /// The message for the administrator, in French.
    pub fn french(&self) -> String {
        match self {
            Self::Io { .. } | Self::Store(_) | Self::Zip(_) | Self::NoFiles => {
                "La sauvegarde n'a pas pu être écrite (erreur de disque ou de base) ; le journal du serveur en donne le détail.".to_owned()
            }
            Self::Unreadable(_) => {
                "Ce fichier n'est pas une archive zip lisible : il est tronqué ou abîmé. Rien n'a été restauré.".to_owned()
            }
            Self::Foreign(_) => {
                "Ce fichier n'est pas une sauvegarde de Préau. Rien n'a été restauré.".to_owned()
            }
            Self::UnknownLayout(_) => {
                "Cette sauvegarde a un format que cette version de Préau ne connaît pas. Rien n'a été restauré.".to_owned()
            }
            Self::TooNew { found, known } => format!(
                "Cette sauvegarde vient d'une version plus récente de Préau (schéma {found}, cette version s'arrête au schéma {known}) : installez une version à jour pour la restaurer. Rien n'a été restauré."
            ),
            Self::Corrupt { member, .. } => format!(
                "La sauvegarde est abîmée : « {member} » ne correspond pas à son empreinte. Rien n'a été restauré."
            ),
            Self::TargetNotEmpty(path) => format!(
                "Le dossier de données {} n'est pas vide : une sauvegarde se restaure dans un dossier vide ou absent.",
                path.display()
            ),
            Self::Index(_) => {
                "L'index de recherche des données restaurées n'a pas pu être reconstruit. Rien n'a été restauré.".to_owned()
            }
        }
    }
}

/// The folder of automatic and manual backups in a data directory.
pub fn folder(data: &Path) -> PathBuf {
    data.join("backups")
}

/// Backs the running server up into `out`: the store as of one moment (writers wait at the
/// gate while it is exported, a few seconds), then the uploaded files, which cannot be removed
/// until they are copied. The call for `preau backup --out FILE` when a server runs.
pub async fn write_to(
    domain: &Domain,
    out: &Path,
    kind: BackupKind,
) -> Result<Manifest, BackupError> {
    let tables = domain.tables().clone();
    let blobs = domain.blobs().map_err(|_| BackupError::NoFiles)?.clone();
    let config_file = domain.config().source_file.clone();
    let now = domain.clock().now();
    let out = out.to_owned();
    let closed = tables.store().gate().close().await;
    tokio::task::spawn_blocking(move || {
        write_archive(
            tables.store(),
            &blobs,
            closed,
            config_file.as_deref(),
            &out,
            kind,
            now,
        )
    })
    .await
    .map_err(|error| BackupError::Io {
        context: "the backup task".to_owned(),
        source: std::io::Error::other(error.to_string()),
    })?
}

/// Backs the running server up into `data/backups/`, named after its time and `kind`.
pub async fn create(
    domain: &Domain,
    data: &Path,
    kind: BackupKind,
) -> Result<BackupFile, BackupError> {
    let now = domain.clock().now();
    let path = folder(data).join(retention::file_name(now, kind));
    let manifest = write_to(domain, &path, kind).await?;
    let size = std::fs::metadata(&path)
        .map_err(BackupError::io(format!("read {}", path.display())))?
        .len();
    tracing::info!(
        file = %path.display(),
        size,
        trees = manifest.trees.len(),
        files = manifest.files,
        "backup written"
    );
    Ok(BackupFile {
        name: retention::file_name(now, kind),
        created_at: now,
        kind,
        size,
    })
}

/// `created_at` as in file names: sortable, no colon (FAT-formatted USB disks refuse them).
fn stamp(created_at: DateTime<Utc>) -> String {
    created_at.format("%Y%m%d-%H%M%S").to_string()
}
#[cfg(test)]
mod tests;
