//! A job run inside `preau serve` at each slot of a [`Schedule`] (the directory sync, the nightly
//! backup), until the server stops.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::directory::schedule::Schedule;
use crate::domain::Domain;

/// The longest single sleep. Waiting in short steps and asking the clock again keeps the runs
/// on time when the system clock is set (an appliance without a battery-backed clock gets its
/// time from NTP after boot) or the machine was suspended.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// The running job; [`ScheduledJob::stop`] ends it.
pub struct ScheduledJob {
    name: &'static str,
    stop: Arc<Notify>,
    task: Option<JoinHandle<()>>,
}

impl ScheduledJob {
    /// Runs `run` at each slot of `schedule` by `domain`'s clock; nothing when it is off.
    /// `name` is for the log ("directory sync", "nightly backup").
    pub fn start<F, Fut>(domain: Domain, schedule: Schedule, name: &'static str, run: F) -> Self
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let stop = Arc::new(Notify::new());
        let task = if schedule == Schedule::Off {
            tracing::info!("{name} is off");
            None
        } else {
            tracing::info!(schedule = %schedule, "{name} scheduled");
            Some(tokio::spawn(run_on_schedule(
                domain,
                schedule,
                stop.clone(),
                run,
            )))
        };
        Self { name, stop, task }
    }

    /// Stops the job; a run under way finishes first.
    pub async fn stop(self) {
        self.stop.notify_one();
        if let Some(task) = self.task {
            if task.await.is_err() {
                tracing::error!("the {} job panicked", self.name);
            }
        }
    }
}

async fn run_on_schedule<F, Fut>(domain: Domain, schedule: Schedule, stop: Arc<Notify>, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
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
        run().await;
    }
}
