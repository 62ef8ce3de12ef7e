//! What the administrator and a monitoring system see of the running box: how long it has
//! run, its disk, its certificate, its latest errors, and the counters of `/metrics`.

pub mod certificate;
pub mod disk;
pub mod health;
pub mod metrics;
pub mod recent_errors;

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use certificate::CertificateInfo;
use disk::DiskUse;
use metrics::Metrics;
use recent_errors::RecentErrors;

/// Shared by the HTTP edge, the logging layer and the certificate reload.
pub struct Monitoring {
    pub started_at: DateTime<Utc>,
    started: Instant,
    pub metrics: Metrics,
    pub errors: Arc<RecentErrors>,
    certificate: RwLock<Option<CertificateInfo>>,
    /// Walking the files' folder costs a few milliseconds per thousand files: measured at most
    /// once per [`DISK_MEASURE_EVERY`], whatever the number of pages and scrapes.
    disk: RwLock<Option<(Instant, DiskUse)>>,
}

const DISK_MEASURE_EVERY: Duration = Duration::from_secs(30);

impl Monitoring {
    pub fn new(errors: Arc<RecentErrors>) -> Self {
        Self {
            started_at: Utc::now(),
            started: Instant::now(),
            metrics: Metrics::new(),
            errors,
            certificate: RwLock::new(None),
            disk: RwLock::new(None),
        }
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// The certificate being served, as last loaded.
    pub fn certificate(&self) -> Option<CertificateInfo> {
        self.certificate
            .read()
            .map(|info| info.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub fn set_certificate(&self, info: Option<CertificateInfo>) {
        match self.certificate.write() {
            Ok(mut slot) => *slot = info,
            Err(poisoned) => *poisoned.into_inner() = info,
        }
    }

    /// The disk use of `data`, measured now or at most [`DISK_MEASURE_EVERY`] ago. Blocking.
    pub fn disk_use(&self, data: &std::path::Path) -> Result<DiskUse, std::io::Error> {
        let fresh = |slot: &Option<(Instant, DiskUse)>| {
            slot.as_ref()
                .filter(|(at, _)| at.elapsed() < DISK_MEASURE_EVERY)
                .map(|(_, disk)| disk.clone())
        };
        if let Some(disk) = self.disk.read().ok().and_then(|slot| fresh(&slot)) {
            return Ok(disk);
        }
        let disk = DiskUse::measure(data)?;
        if let Ok(mut slot) = self.disk.write() {
            *slot = Some((Instant::now(), disk.clone()));
        }
        Ok(disk)
    }
}

impl Default for Monitoring {
    fn default() -> Self {
        Self::new(Arc::new(RecentErrors::default()))
    }
}
