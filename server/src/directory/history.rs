//! The history of the directory sync: one JSON line per run in `data/inbox/history.jsonl`.
//!
//! A file rather than a store tree: it sits next to the files it describes, an administrator
//! can read it with any tool, and appending a line cannot disturb the store.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::import::{Counts, ImportReport};
use super::inbox::Inbox;

/// One run that found something to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRecord {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The source as configured, e.g. `the inbox` or the URL.
    pub source: String,
    /// The names of the files taken.
    pub files: Vec<String>,
    pub status: RunStatus,
    /// Whether the store now reflects the files.
    pub applied: bool,
    pub created: Counts,
    pub updated: Counts,
    pub deactivated: Counts,
    pub reactivated: Counts,
    pub unchanged: Counts,
    pub errors: usize,
    pub warnings: usize,
    /// Where the files went: the archive or quarantine folder of the run.
    pub moved_to: Option<PathBuf>,
    /// Why the run failed, in French (it is shown to the administrator).
    pub failure: Option<String>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// The feed was imported and its files archived.
    Applied,
    /// The feed was refused for its content and its files quarantined; the store is unchanged.
    Rejected,
    /// The run could not be carried out (network, disk, store); see `failure`.
    Failed,
}

impl SyncRecord {
    /// A run over `files` started at `started_at`, with the counts of `report` when the import
    /// got as far as one.
    pub fn new(
        started_at: DateTime<Utc>,
        source: String,
        files: Vec<String>,
        report: Option<&ImportReport>,
    ) -> Self {
        let tally = |pick: fn(&ImportReport) -> &Counts| report.map(pick).copied();
        Self {
            started_at,
            finished_at: started_at,
            source,
            files,
            status: match report {
                Some(report) if report.is_rejected() => RunStatus::Rejected,
                Some(_) => RunStatus::Applied,
                None => RunStatus::Failed,
            },
            applied: report.is_some_and(|r| r.applied),
            created: tally(|r| &r.created).unwrap_or_default(),
            updated: tally(|r| &r.updated).unwrap_or_default(),
            deactivated: tally(|r| &r.deactivated).unwrap_or_default(),
            reactivated: tally(|r| &r.reactivated).unwrap_or_default(),
            unchanged: tally(|r| &r.unchanged).unwrap_or_default(),
            errors: report.map_or(0, |r| r.errors.len()),
            warnings: report.map_or(0, |r| r.warnings.len()),
            moved_to: None,
            failure: None,
        }
    }

    /// Marks the run failed for `reason`.
    pub fn fail(&mut self, reason: impl std::fmt::Display) {
        self.status = RunStatus::Failed;
        self.failure = Some(reason.to_string());
    }
}

/// The history could not be written or read.
#[derive(Debug, thiserror::Error)]
#[error("directory sync history {path}: {source}")]
pub struct HistoryError {
    path: String,
    source: std::io::Error,
}

impl Inbox {
    /// Appends `record` to the history.
    pub fn record(&self, record: &SyncRecord) -> Result<(), HistoryError> {
        let path = self.history_file();
        let fail = |source| HistoryError {
            path: path.display().to_string(),
            source,
        };
        let mut line = serde_json::to_vec(record).map_err(|e| fail(e.into()))?;
        line.push(b'\n');
        std::fs::create_dir_all(self.dir()).map_err(fail)?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(fail)?;
        // One write per line, so that a reader never sees half a record followed by another.
        file.write_all(&line).map_err(fail)?;
        file.sync_data().map_err(fail)
    }

    /// Every recorded run, most recent first. A line that cannot be read (cut short by a power
    /// loss while it was written) is left out rather than hiding the others.
    pub fn history(&self) -> Result<Vec<SyncRecord>, HistoryError> {
        let path = self.history_file();
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(HistoryError {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        let mut runs = Vec::new();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|source| HistoryError {
                path: path.display().to_string(),
                source,
            })?;
            if let Ok(record) = serde_json::from_str(&line) {
                runs.push(record);
            }
        }
        runs.reverse();
        Ok(runs)
    }

    /// The most recent run, if any.
    pub fn last_run(&self) -> Result<Option<SyncRecord>, HistoryError> {
        Ok(self.history()?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(created_pupils: usize) -> ImportReport {
        let mut report = ImportReport {
            applied: true,
            ..ImportReport::default()
        };
        report.created.pupils = created_pupils;
        report
    }

    #[test]
    fn runs_are_read_back_most_recent_first_and_a_cut_line_is_skipped() {
        let data = tempfile::tempdir().expect("temp dir");
        let inbox = Inbox::of(data.path());
        assert_eq!(inbox.last_run().expect("reads"), None);
        let first_at = "2026-09-07T00:30:00Z".parse().expect("instant");
        let first = SyncRecord::new(
            first_at,
            "the inbox".into(),
            vec!["a.xml".into()],
            Some(&report(32)),
        );
        inbox.record(&first).expect("written");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(inbox.history_file())
            .expect("opens");
        file.write_all(b"{\"started_at\":\"2026-09-0")
            .expect("writes");
        file.write_all(b"\n").expect("writes");
        let mut second = SyncRecord::new(first_at, "the inbox".into(), Vec::new(), None);
        second.fail("cannot download");
        inbox.record(&second).expect("written");

        let history = inbox.history().expect("reads");
        assert_eq!(history, vec![second.clone(), first.clone()]);
        assert_eq!(inbox.last_run().expect("reads"), Some(second));
        assert_eq!(first.status, RunStatus::Applied);
        assert_eq!(first.created.pupils, 32);
    }

    #[test]
    fn a_rejected_report_makes_a_rejected_run_that_applied_nothing() {
        let mut rejected = ImportReport::default();
        rejected.errors.push(super::super::import::ReportProblem {
            file: "a.xml".into(),
            line: Some(4),
            record: None,
            message: "bad date".into(),
        });
        let record = SyncRecord::new(
            "2026-09-07T00:30:00Z".parse().expect("instant"),
            "the inbox".into(),
            vec!["a.xml".into()],
            Some(&rejected),
        );
        assert_eq!(
            (record.status, record.applied, record.errors),
            (RunStatus::Rejected, false, 1)
        );
        let line = serde_json::to_value(&record).expect("JSON");
        assert_eq!(line["status"], "rejected");
        assert_eq!(line["created"]["pupils"], 0);
    }
}
