//! One directory sync run, as the scheduler and `preau directory sync` do it: take the feed
//! files waiting in the source, import them together, then archive them when applied or
//! quarantine them with their report when rejected, and record the run in the history.
//!
//! A run that cannot be carried out (download, disk, store) leaves the files where they were,
//! so that the next run tries again, and is recorded as failed; it never stops the server.

use std::io;
use std::path::{Path, PathBuf};

use rand::Rng;

use crate::domain::access::{self, Action, Actor};
use crate::domain::Domain;

use super::download::{download, DownloadError};
use super::french;
use super::history::{HistoryError, RunStatus, SyncRecord};
use super::import::{self, ImportError, ImportReport, Mode};
use super::inbox::{move_into, Inbox, Shelf};
use super::source::SyncSource;

/// What a run did.
#[derive(Debug)]
pub enum SyncOutcome {
    /// The source folder held no feed file: nothing was done nor recorded.
    Nothing { folder: PathBuf },
    /// Files were taken, or the run failed: the run is in the history.
    Ran(Box<SyncRun>),
}

/// A run in the history, with the import's report when the import was carried out.
#[derive(Debug)]
pub struct SyncRun {
    pub record: SyncRecord,
    pub report: Option<ImportReport>,
}

impl SyncOutcome {
    /// Whether the run ended with a feed imported or nothing to do.
    pub fn succeeded(&self) -> bool {
        match self {
            Self::Nothing { .. } => true,
            Self::Ran(run) => run.record.status == RunStatus::Applied,
        }
    }
}

/// Why a run was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("only administrators and the appliance run a directory sync")]
    Forbidden,
    #[error(transparent)]
    History(#[from] HistoryError),
}

/// Why a run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot list the directory source folder {folder}: {source}")]
    List { folder: String, source: io::Error },
    #[error(transparent)]
    Download(#[from] DownloadError),
    #[error("the directory import could not be carried out: {0}")]
    Import(#[from] ImportError),
    #[error("the import is done but its files cannot be moved to {folder}: {source}")]
    FileAway { folder: String, source: io::Error },
}

impl SyncError {
    /// The reason in French, as the administrator reads it in the history (the English
    /// `Display` goes to the log).
    pub fn french(&self) -> String {
        match self {
            Self::List { folder, source } => {
                format!("impossible de lire le dossier source {folder} ({source})")
            }
            Self::Download(error) => error.french(),
            Self::Import(error) => format!("l'import n'a pas pu être effectué ({error})"),
            Self::FileAway { folder, source } => format!(
                "l'import est fait mais ses fichiers n'ont pas pu être rangés dans {folder} ({source})"
            ),
        }
    }
}

/// Marks `record` failed with the French reason, and logs the English one.
fn failed(record: &mut SyncRecord, error: SyncError) {
    tracing::warn!(%error, "directory sync run failed");
    record.fail(error.french());
}

/// Runs the sync once from the configured source. Activation codes of new accounts are drawn
/// from `rng`. Only writing the history can fail; everything else ends up in the outcome.
pub fn run(
    domain: &Domain,
    actor: Actor,
    inbox: &Inbox,
    rng: &mut impl Rng,
) -> Result<SyncOutcome, RunError> {
    if !access::actor_allows(actor, Action::Administer) {
        return Err(RunError::Forbidden);
    }
    let source = &domain.config().directory.source;
    let started_at = domain.clock().now();
    let folder = match source {
        SyncSource::Folder(folder) => folder.clone(),
        SyncSource::Inbox | SyncSource::Url(_) => inbox.dir().to_path_buf(),
    };
    let described = match source {
        SyncSource::Url(url) => url.to_string(),
        SyncSource::Inbox | SyncSource::Folder(_) => folder.display().to_string(),
    };
    let prepared = match source {
        SyncSource::Url(url) => download(url, &folder, started_at)
            .map(|_| ())
            .map_err(SyncError::from),
        SyncSource::Inbox => {
            std::fs::create_dir_all(&folder).map_err(|source| list_error(&folder, source))
        }
        SyncSource::Folder(_) => Ok(()),
    };
    match prepared {
        Ok(()) => run_at(domain, actor, inbox, &folder, described, started_at, rng),
        Err(error) => {
            let mut record = SyncRecord::new(started_at, described, Vec::new(), None);
            failed(&mut record, error);
            record.finished_at = domain.clock().now();
            inbox.record(&record)?;
            Ok(SyncOutcome::Ran(Box::new(SyncRun {
                record,
                report: None,
            })))
        }
    }
}

/// Imports the feed files of `folder` as a sync run does (archive or quarantine, history line),
/// whatever the configured source: the administrator's uploads go through here. `described`
/// says where the files came from in the history.
pub fn run_from_folder(
    domain: &Domain,
    actor: Actor,
    inbox: &Inbox,
    folder: &Path,
    described: String,
    rng: &mut impl Rng,
) -> Result<SyncOutcome, RunError> {
    if !access::actor_allows(actor, Action::Administer) {
        return Err(RunError::Forbidden);
    }
    run_at(
        domain,
        actor,
        inbox,
        folder,
        described,
        domain.clock().now(),
        rng,
    )
}

fn run_at(
    domain: &Domain,
    actor: Actor,
    inbox: &Inbox,
    folder: &Path,
    described: String,
    started_at: chrono::DateTime<chrono::Utc>,
    rng: &mut impl Rng,
) -> Result<SyncOutcome, RunError> {
    let (mut record, report) = match feed_files(folder) {
        Ok(files) if files.is_empty() => {
            return Ok(SyncOutcome::Nothing {
                folder: folder.to_path_buf(),
            })
        }
        Ok(files) => import_and_file_away(domain, actor, inbox, &files, described, started_at, rng),
        Err(error) => {
            let mut record = SyncRecord::new(started_at, described, Vec::new(), None);
            failed(&mut record, error);
            (record, None)
        }
    };
    record.finished_at = domain.clock().now();
    inbox.record(&record)?;
    Ok(SyncOutcome::Ran(Box::new(SyncRun { record, report })))
}

fn import_and_file_away(
    domain: &Domain,
    actor: Actor,
    inbox: &Inbox,
    files: &[PathBuf],
    source: String,
    started_at: chrono::DateTime<chrono::Utc>,
    rng: &mut impl Rng,
) -> (SyncRecord, Option<ImportReport>) {
    let names = files.iter().map(|file| display_name(file)).collect();
    let report = match import::import(domain, actor, files, Mode::Apply, rng) {
        Ok(report) => report,
        Err(error) => {
            let mut record = SyncRecord::new(started_at, source, names, None);
            failed(&mut record, SyncError::Import(error));
            return (record, None);
        }
    };
    let mut record = SyncRecord::new(started_at, source, names, Some(&report));
    let shelf = match record.status {
        RunStatus::Rejected => Shelf::Quarantine,
        RunStatus::Applied | RunStatus::Failed => Shelf::Archive,
    };
    match file_away(inbox, shelf, files, &report, started_at) {
        Ok(folder) => record.moved_to = Some(folder),
        Err(error) => failed(&mut record, error),
    }
    (record, Some(report))
}

/// The XML files and zip archives directly in `folder`, by name. Dot-files are left alone:
/// that is how a transfer (or [`download`]) hides a file it has not finished writing.
fn feed_files(folder: &Path) -> Result<Vec<PathBuf>, SyncError> {
    let entries = std::fs::read_dir(folder)
        .and_then(|entries| entries.collect::<Result<Vec<_>, _>>())
        .map_err(|source| list_error(folder, source))?;
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = display_name(path).to_ascii_lowercase();
            path.is_file()
                && !name.starts_with('.')
                && (name.ends_with(".xml") || name.ends_with(".zip"))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn list_error(folder: &Path, source: io::Error) -> SyncError {
    SyncError::List {
        folder: folder.display().to_string(),
        source,
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Moves `files` into a new folder of `shelf`; a quarantined feed gets its report beside it,
/// as JSON for tools and in French for the administrator.
fn file_away(
    inbox: &Inbox,
    shelf: Shelf,
    files: &[PathBuf],
    report: &ImportReport,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<PathBuf, SyncError> {
    let folder = inbox
        .new_folder(shelf, at)
        .map_err(|source| SyncError::FileAway {
            folder: inbox.dir().display().to_string(),
            source,
        })?;
    let fail = |source| SyncError::FileAway {
        folder: folder.display().to_string(),
        source,
    };
    if shelf == Shelf::Quarantine {
        let json = serde_json::to_vec_pretty(report).map_err(|e| fail(e.into()))?;
        std::fs::write(folder.join("report.json"), json).map_err(fail)?;
        std::fs::write(folder.join("rapport.txt"), french::import_report(report)).map_err(fail)?;
    }
    for file in files {
        move_into(file, &folder).map_err(fail)?;
    }
    Ok(folder)
}

#[cfg(test)]
#[path = "sync_tests.rs"]
mod tests;
