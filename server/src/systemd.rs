//! systemd's service protocol (`sd_notify`), for the packaged unit (`Type=notify`, `WatchdogSec`).
//!
//! Under systemd, `systemctl start preau` returns once the server answers, a wedged server is
//! restarted by the watchdog, and `systemctl status` shows a stop in progress. Without systemd
//! (`NOTIFY_SOCKET` unset: `make run`, the tests, a shell) every call here sends nothing.

use std::time::Duration;

use sd_notify::NotifyState;
use tokio::time::MissedTickBehavior;

use crate::domain::Domain;
use crate::store::StoreError;

/// Why a watchdog round did not ping: each one means requests would not be served either.
#[derive(Debug, thiserror::Error)]
enum SelfCheckError {
    #[error("the store cannot be read: {0}")]
    Store(#[from] StoreError),
    #[error("the store read panicked")]
    Panicked,
    #[error("no blocking thread ran the store read within {0:?}")]
    TimedOut(Duration),
}

/// Tells systemd that Préau serves, and starts pinging its watchdog when the unit has one.
/// Called once the listener is bound and the router built: from then on `/healthz` answers.
pub fn ready(domain: &Domain) {
    send(&[NotifyState::Ready]);
    if let Some(timeout) = sd_notify::watchdog_enabled() {
        tokio::spawn(watchdog(domain.clone(), timeout / 2));
    }
}

/// Tells systemd that the stop it asked for is under way (requests draining, store flushing).
pub fn stopping() {
    send(&[NotifyState::Stopping]);
}

fn send(states: &[NotifyState]) {
    if let Err(error) = sd_notify::notify(states) {
        tracing::warn!(%error, "cannot notify systemd");
    }
}

/// Pings at half of `WATCHDOG_USEC`, as systemd advises, but only after a self-check passed:
/// a blind timer would keep pinging from a server whose runtime still ticks while its store or
/// blocking threads are stuck, and systemd would never restart it.
async fn watchdog(domain: Domain, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    // After a slow check, ping at the next full interval rather than in a burst.
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match self_check(&domain, interval).await {
            Ok(()) => send(&[NotifyState::Watchdog]),
            Err(error) => {
                tracing::error!(%error, "self-check failed: systemd's watchdog not pinged")
            }
        }
    }
}

/// One read of the store on the blocking pool, where searches, uploads and sign-ins run: it
/// proves that the async runtime schedules, that a blocking thread takes work within `limit`,
/// and that sled answers.
async fn self_check(domain: &Domain, limit: Duration) -> Result<(), SelfCheckError> {
    let domain = domain.clone();
    let read = tokio::task::spawn_blocking(move || domain.tables().schema_version());
    match tokio::time::timeout(limit, read).await {
        Err(_) => Err(SelfCheckError::TimedOut(limit)),
        Ok(Err(_)) => Err(SelfCheckError::Panicked),
        Ok(Ok(version)) => version.map(drop).map_err(SelfCheckError::from),
    }
}
