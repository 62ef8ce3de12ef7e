//! The box's health at one moment, read once for the administration page and for `/metrics`.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::certificate::CertificateInfo;
use super::disk::DiskUse;
use super::metrics::Snapshot;
use super::recent_errors::LoggedProblem;
use super::Monitoring;
use crate::backup::retention::{self, BackupFile, LastRun};
use crate::directory::history::{RunStatus, SyncRecord};
use crate::directory::inbox::Inbox;
use crate::domain::accounts::census::Census;
use crate::domain::{Domain, DomainError};

pub struct Health {
    pub uptime: std::time::Duration,
    pub started_at: DateTime<Utc>,
    /// `None` when the data directory could not be measured (the error is logged).
    pub disk: Option<DiskUse>,
    pub newest_backup: Option<BackupFile>,
    pub last_nightly: Option<LastRun>,
    pub last_sync: Option<SyncRecord>,
    pub certificate: Option<CertificateInfo>,
    pub census: Census,
    pub sessions: usize,
    pub recent_problems: Vec<LoggedProblem>,
}

impl Health {
    /// Blocking: measures the disk (at most every 30 s), lists the backups, counts accounts.
    pub fn read(
        domain: &Domain,
        monitoring: &Monitoring,
        data: &Path,
    ) -> Result<Self, DomainError> {
        let disk = monitoring
            .disk_use(data)
            .map_err(|error| tracing::warn!(%error, "cannot measure the data directory"))
            .ok();
        let backups = crate::backup::folder(data);
        let newest_backup = match retention::list(&backups) {
            Ok(list) => list.into_iter().max_by_key(|file| file.created_at),
            Err(error) => {
                tracing::warn!(%error, "cannot list the backups");
                None
            }
        };
        let last_sync = Inbox::of(data)
            .last_run()
            .map_err(|error| tracing::warn!(%error, "cannot read the directory sync history"))
            .ok()
            .flatten();
        Ok(Self {
            uptime: monitoring.uptime(),
            started_at: monitoring.started_at,
            disk,
            newest_backup,
            last_nightly: retention::last_run(&backups),
            last_sync,
            certificate: monitoring.certificate(),
            census: domain.accounts().census()?,
            sessions: domain.sessions().stored(),
            recent_problems: monitoring.errors.latest(),
        })
    }

    /// Whether free space is under the configured threshold.
    pub fn disk_is_low(&self, warning_percent: u8) -> bool {
        self.disk
            .as_ref()
            .is_some_and(|disk| disk.available_percent() < u64::from(warning_percent))
    }

    /// What `/metrics` publishes of this.
    pub fn snapshot(&self) -> Snapshot {
        let mut accounts = Vec::new();
        for (profile, counts) in &self.census.by_profile {
            for (state, count) in [
                ("active", counts.active),
                ("to_activate", counts.to_activate),
                ("deactivated", counts.deactivated),
            ] {
                accounts.push((profile.code().to_owned(), state, count));
            }
        }
        Snapshot {
            uptime: self.uptime,
            disk_parts: self
                .disk
                .as_ref()
                .map(|disk| {
                    vec![
                        ("store", disk.store),
                        ("files", disk.files),
                        ("index", disk.index),
                        ("backups", disk.backups),
                    ]
                })
                .unwrap_or_default(),
            disk_available: self.disk.as_ref().map_or(0, |disk| disk.available),
            sessions: self.sessions,
            accounts,
            last_backup: self
                .newest_backup
                .as_ref()
                .map(|file| file.created_at.timestamp()),
            last_nightly: self
                .last_nightly
                .as_ref()
                .map(|run| (run.at.timestamp(), run.failure.is_none())),
            last_sync: self.last_sync.as_ref().map(|run| {
                (
                    run.finished_at.timestamp(),
                    matches!(run.status, RunStatus::Applied),
                )
            }),
            certificate_expiry: self
                .certificate
                .as_ref()
                .map(|info| info.not_after.timestamp()),
        }
    }
}
