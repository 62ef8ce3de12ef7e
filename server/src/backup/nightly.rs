//! The nightly backup inside `preau serve`: at `[backup] schedule`, a backup into
//! `data/backups/`, a copy to `[backup] copy_to` when set, retention pruning of both folders,
//! and the result recorded for the administration page (and logged).

use std::path::{Path, PathBuf};

use super::retention::{self, LastRun};
use super::{create, folder, BackupError, BackupKind};
use crate::domain::Domain;
use crate::scheduled::ScheduledJob;

/// The running job; [`NightlyBackup::stop`] ends it.
pub struct NightlyBackup(ScheduledJob);

impl NightlyBackup {
    pub fn start(domain: Domain, data: PathBuf) -> Self {
        match retention::remove_partials(&folder(&data)) {
            Ok(0) => {}
            Ok(removed) => {
                tracing::warn!(removed, "removed the unfinished backups of a previous run")
            }
            Err(error) => tracing::error!(%error, "cannot remove unfinished backups"),
        }
        let schedule = domain.config().backup.schedule;
        let running = domain.clone();
        Self(ScheduledJob::start(
            domain,
            schedule,
            "nightly backup",
            move || {
                let (domain, data) = (running.clone(), data.clone());
                async move {
                    run_once(&domain, &data).await;
                }
            },
        ))
    }

    /// Stops the job; a backup under way finishes first.
    pub async fn stop(self) {
        self.0.stop().await;
    }
}

/// One nightly backup, its copy and pruning; the outcome is logged and recorded.
pub async fn run_once(domain: &Domain, data: &Path) -> LastRun {
    let at = domain.clock().now();
    let outcome = backup_copy_prune(domain, data).await;
    let run = match outcome {
        Ok(name) => LastRun {
            at,
            file: Some(name),
            failure: None,
        },
        Err(Failure {
            file,
            french,
            error,
        }) => {
            tracing::error!(%error, "nightly backup failed");
            LastRun {
                at,
                file,
                failure: Some(french),
            }
        }
    };
    if let Err(error) = retention::record_last_run(&folder(data), &run) {
        tracing::error!(%error, "cannot record the result of the nightly backup");
    }
    run
}

/// What went wrong: the backup written (if it was), what the administrator is told, and the
/// error for the log.
struct Failure {
    file: Option<String>,
    french: String,
    error: BackupError,
}

async fn backup_copy_prune(domain: &Domain, data: &Path) -> Result<String, Failure> {
    let config = &domain.config().backup;
    let written = create(domain, data, BackupKind::Nightly)
        .await
        .map_err(|error| Failure {
            file: None,
            french: error.french(),
            error,
        })?;
    let name = written.name.clone();
    let (keep_daily, keep_weekly) = (config.keep_daily, config.keep_weekly);
    let pruned = retention::prune(&folder(data), keep_daily, keep_weekly).map_err(|error| Failure {
        file: Some(name.clone()),
        french: format!(
            "{name} est écrite, mais les anciennes sauvegardes automatiques n'ont pas pu être supprimées : le disque risque de se remplir."
        ),
        error,
    })?;
    if pruned > 0 {
        tracing::info!(pruned, "old nightly backups removed");
    }
    if let Some(copy_to) = &config.copy_to {
        let (source, target) = (folder(data).join(&name), copy_to.join(&name));
        let copy = copy_to.clone();
        tokio::task::spawn_blocking(move || -> Result<(), BackupError> {
            copy_file(&source, &target)?;
            retention::prune(&copy, keep_daily, keep_weekly)?;
            Ok(())
        })
        .await
        .unwrap_or_else(|error| {
            Err(BackupError::io("the copy task")(std::io::Error::other(
                error.to_string(),
            )))
        })
        .map_err(|error| Failure {
            file: Some(name.clone()),
            french: format!(
                "{name} est écrite sur ce serveur, mais n'a pas pu être copiée vers {} (disque absent, plein ou en lecture seule ?).",
                copy_to.display()
            ),
            error,
        })?;
        tracing::info!(to = %copy_to.display(), "nightly backup copied");
    }
    Ok(name)
}

/// Copies through a `.part` file renamed once synced: a disk pulled out mid-copy never holds
/// a truncated backup under a backup's name.
fn copy_file(source: &Path, target: &Path) -> Result<(), BackupError> {
    let partial = target.with_extension("zip.part");
    let result = (|| {
        std::fs::copy(source, &partial)
            .map_err(BackupError::io(format!("copy to {}", partial.display())))?;
        std::fs::File::open(&partial)
            .and_then(|file| file.sync_all())
            .map_err(BackupError::io(format!("sync {}", partial.display())))?;
        std::fs::rename(&partial, target)
            .map_err(BackupError::io(format!("rename to {}", target.display())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}
