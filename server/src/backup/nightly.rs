//! The nightly backup inside `preau serve`: at `[backup] schedule`, a backup into
//! `data/backups/`, a copy to `[backup] copy_to` when set, retention pruning of both folders,
//! and the result recorded for the administration page (and logged).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::retention::{self, LastRun};
use super::{create, folder, BackupError, BackupKind};
use crate::directory::schedule::Schedule;
use crate::domain::Domain;

/// As the directory scheduler: short sleeps, asking the clock again, keep runs on time when
/// the system clock is set after boot.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The running job; [`NightlyBackup::stop`] ends it.
pub struct NightlyBackup {
    stop: Arc<Notify>,
    task: Option<JoinHandle<()>>,
}

impl NightlyBackup {
    pub fn start(domain: Domain, data: PathBuf) -> Self {
        let stop = Arc::new(Notify::new());
        let schedule = domain.config().backup.schedule;
        let task = if schedule == Schedule::Off {
            tracing::info!("nightly backups are off");
            None
        } else {
            tracing::info!(schedule = %schedule, "nightly backups scheduled");
            Some(tokio::spawn(run_on_schedule(domain, data, stop.clone())))
        };
        Self { stop, task }
    }

    /// Stops the job; a backup under way finishes first.
    pub async fn stop(self) {
        self.stop.notify_one();
        if let Some(task) = self.task {
            if task.await.is_err() {
                tracing::error!("the nightly backup job panicked");
            }
        }
    }
}

async fn run_on_schedule(domain: Domain, data: PathBuf, stop: Arc<Notify>) {
    let schedule = domain.config().backup.schedule;
    let mut previous: Option<DateTime<Utc>> = None;
    loop {
        let now = domain.clock().now();
        let after = previous.map_or(now, |slot| slot.max(now));
        let Some(next) = schedule.next_run(after) else {
            return;
        };
        loop {
            let now = domain.clock().now();
            if now >= next {
                break;
            }
            let wait = (next - now).to_std().unwrap_or_default().min(MAX_SLEEP);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = stop.notified() => return,
            }
        }
        previous = Some(next);
        run_once(&domain, &data).await;
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
