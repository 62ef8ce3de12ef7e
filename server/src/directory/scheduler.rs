//! The directory sync on its schedule, inside `preau serve`: a tokio task that waits for the
//! next run of `[directory] schedule`, runs the sync on the blocking pool and logs the outcome.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::domain::access::Actor;
use crate::domain::Domain;

use super::history::RunStatus;
use super::inbox::Inbox;
use super::schedule::Schedule;
use super::sync::{self, SyncOutcome};

/// The longest single sleep. Waiting in short steps and asking the clock again keeps the runs
/// on time when the system clock is set (an appliance without a battery-backed clock gets its
/// time from NTP after boot) or the machine was suspended.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The running scheduler; [`Scheduler::stop`] ends it.
pub struct Scheduler {
    stop: Arc<Notify>,
    task: Option<JoinHandle<()>>,
}

impl Scheduler {
    /// Starts the schedule of `domain`'s configuration over the inbox `inbox`; does nothing
    /// when the sync is off.
    pub fn start(domain: Domain, inbox: Inbox) -> Self {
        let stop = Arc::new(Notify::new());
        let schedule = domain.config().directory.schedule;
        let task = if schedule == Schedule::Off {
            tracing::info!("directory sync is off");
            None
        } else {
            tracing::info!(
                schedule = %schedule,
                source = %domain.config().directory.source,
                "directory sync scheduled"
            );
            Some(tokio::spawn(run_on_schedule(domain, inbox, stop.clone())))
        };
        Self { stop, task }
    }

    /// Stops the scheduler; a run under way finishes first, so that its files are filed away
    /// and the run recorded.
    pub async fn stop(self) {
        self.stop.notify_one();
        if let Some(task) = self.task {
            if task.await.is_err() {
                tracing::error!("the directory sync scheduler panicked");
            }
        }
    }
}

async fn run_on_schedule(domain: Domain, inbox: Inbox, stop: Arc<Notify>) {
    let schedule = domain.config().directory.schedule;
    // The last run's slot: the next run is after it even if the clock has not gone past it yet.
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
        let (running, at) = (domain.clone(), inbox.clone());
        // A sync writes accounts and the establishment together: a backup sees all or none.
        let permit = domain.write_permit().await;
        let outcome = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            sync::run(&running, Actor::System, &at, &mut rand::rngs::OsRng)
        })
        .await;
        match outcome {
            Ok(Ok(outcome)) => log(&outcome),
            Ok(Err(error)) => tracing::error!(%error, "directory sync: cannot record the run"),
            Err(error) => tracing::error!(%error, "directory sync panicked"),
        }
    }
}

fn log(outcome: &SyncOutcome) {
    let record = match outcome {
        SyncOutcome::Nothing { folder } => {
            tracing::info!(folder = %folder.display(), "directory sync: nothing to import");
            return;
        }
        SyncOutcome::Ran(run) => &run.record,
    };
    let moved_to = record
        .moved_to
        .as_ref()
        .map(|path| path.display().to_string())
        .unwrap_or_default();
    match record.status {
        RunStatus::Applied => tracing::info!(
            files = record.files.len(),
            created = record.created.persons(),
            updated = record.updated.persons(),
            deactivated = record.deactivated.persons(),
            warnings = record.warnings,
            archive = %moved_to,
            "directory sync: feed applied"
        ),
        RunStatus::Rejected => tracing::warn!(
            files = record.files.len(),
            errors = record.errors,
            quarantine = %moved_to,
            "directory sync: feed rejected, nothing changed; see the report in the quarantine folder"
        ),
        RunStatus::Failed => tracing::error!(
            source = %record.source,
            failure = record.failure.as_deref().unwrap_or_default(),
            "directory sync failed; the next run tries again"
        ),
    }
}
