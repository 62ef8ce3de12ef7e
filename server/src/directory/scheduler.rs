//! The directory sync on its schedule, inside `preau serve`: a tokio task that waits for the
//! next run of `[directory] schedule`, runs the sync on the blocking pool and logs the outcome.

use crate::domain::access::Actor;
use crate::domain::Domain;
use crate::scheduled::ScheduledJob;

use super::history::RunStatus;
use super::inbox::Inbox;
use super::schedule::Schedule;
use super::sync::{self, SyncOutcome};

/// The running scheduler; [`Scheduler::stop`] ends it.
pub struct Scheduler(ScheduledJob);

impl Scheduler {
    /// Starts the schedule of `domain`'s configuration over the inbox `inbox`; does nothing
    /// when the sync is off.
    pub fn start(domain: Domain, inbox: Inbox) -> Self {
        let schedule = domain.config().directory.schedule;
        if schedule != Schedule::Off {
            tracing::info!(source = %domain.config().directory.source, "directory sync source");
        }
        let running = domain.clone();
        Self(ScheduledJob::start(
            domain,
            schedule,
            "directory sync",
            move || run_once(running.clone(), inbox.clone()),
        ))
    }

    /// Stops the scheduler; a run under way finishes first, so that its files are filed away
    /// and the run recorded.
    pub async fn stop(self) {
        self.0.stop().await;
    }
}

async fn run_once(domain: Domain, inbox: Inbox) {
    let running = domain.clone();
    // A sync writes accounts and the establishment together: a backup sees all or none.
    let permit = domain.write_permit().await;
    let outcome = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        sync::run(&running, Actor::System, &inbox, &mut rand::rngs::OsRng)
    })
    .await;
    match outcome {
        Ok(Ok(outcome)) => log(&outcome),
        Ok(Err(error)) => tracing::error!(%error, "directory sync: cannot record the run"),
        Err(error) => tracing::error!(%error, "directory sync panicked"),
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
