//! The notifications' job inside `preau serve`: every `[notifications] digest_interval` (an
//! hour by default), feeds are pruned to what they keep, the news items published for a day
//! that has come are announced and, when the relay is on, each person gets one digest of what
//! waits for them. A digest that cannot be sent waits for the next
//! round; nothing here stops the server.

use std::sync::Arc;

use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use super::{Relay, RelayError};
use crate::domain::notifications::digest::Digest;
use crate::domain::{Domain, DomainError};

/// The running job; [`NotificationTask::stop`] ends it.
pub struct NotificationTask {
    stop: Arc<Notify>,
    task: JoinHandle<()>,
}

impl NotificationTask {
    /// Starts the job over `domain`; refuses to start when the relay's settings are unusable.
    pub fn start(domain: Domain) -> Result<Self, RelayError> {
        let relay = Relay::from_config(&domain.config().notifications)?;
        match &relay {
            Some(_) => tracing::info!(
                host = domain.config().notifications.smtp_host.as_deref().unwrap_or_default(),
                every = %humantime::format_duration(domain.config().notifications.digest_interval),
                "notification digests are relayed by e-mail"
            ),
            None => tracing::info!("notifications are not relayed by e-mail"),
        }
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(run(domain, relay, stop.clone()));
        Ok(Self { stop, task })
    }

    /// Stops the job; a round under way finishes first.
    pub async fn stop(self) {
        self.stop.notify_one();
        if self.task.await.is_err() {
            tracing::error!("the notifications job panicked");
        }
    }
}

async fn run(domain: Domain, relay: Option<Relay>, stop: Arc<Notify>) {
    let every = domain.config().notifications.digest_interval;
    // The first round comes one interval after the start: a server restarted often does not
    // send digests more often for it.
    let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = stop.notified() => return,
        }
        let upkeep = domain.clone();
        let permit = domain.write_permit().await;
        let done = blocking(move || {
            let _permit = permit;
            upkeep.prune_notifications()?;
            upkeep.announce_due_news()
        })
        .await;
        match done {
            Ok(0) => {}
            Ok(announced) => tracing::info!(announced, "news of the day announced"),
            Err(error) => {
                tracing::error!(%error, "cannot prune the notifications or announce the news")
            }
        }
        if let Some(relay) = &relay {
            send_digests(&domain, relay).await;
        }
    }
}

/// One round: every digest waiting, each forgotten once the server took it. When the server
/// cannot be reached the round stops there: the rest waits for the next one.
async fn send_digests(domain: &Domain, relay: &Relay) {
    let gathering = domain.clone();
    let found = blocking(move || {
        let name = gathering.establishment()?.name.clone();
        Ok((name, gathering.notification_digests()?))
    })
    .await;
    let (establishment, digests) = match found {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "cannot gather the notification digests");
            return;
        }
    };
    let (mut sent, mut waiting) = (0, 0);
    for (index, digest) in digests.iter().enumerate() {
        let outcome = match relay.message(&establishment, digest) {
            Ok(message) => relay.send(message).await,
            Err(error) => Err(error),
        };
        match outcome {
            Ok(()) => {
                sent += 1;
                forget(domain, digest).await;
            }
            Err(error @ RelayError::Recipient { .. }) => {
                tracing::warn!(%error, person = digest.owner, "notification digest dropped");
                forget(domain, digest).await;
            }
            Err(error) if error.is_worth_retrying() => {
                waiting = digests.len() - index;
                tracing::warn!(%error, waiting, "notification digests wait for the next round");
                break;
            }
            Err(error) => {
                waiting += 1;
                tracing::warn!(%error, person = digest.owner, "notification digest refused; tried again next round");
            }
        }
    }
    if let Err(error) = domain.flush().await {
        tracing::error!(%error, "cannot flush the store after sending digests");
    }
    if sent > 0 || waiting > 0 {
        tracing::info!(sent, waiting, "notification digests relayed");
    }
}

async fn forget(domain: &Domain, digest: &Digest) {
    let (forgetting, digest) = (domain.clone(), digest.clone());
    let permit = domain.write_permit().await;
    let forgotten: Result<(), DomainError> = blocking(move || {
        let _permit = permit;
        forgetting.digest_sent(&digest)
    })
    .await;
    if let Err(error) = forgotten {
        tracing::error!(%error, "cannot record a digest as sent: it may go again");
    }
}

/// Domain work on the blocking pool, as the HTTP handlers do it.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DomainError> + Send + 'static,
) -> Result<T, DomainError> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|join| Err(DomainError::Worker(join)))
}
