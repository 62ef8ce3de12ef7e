//! Login throttling: after too many failures, an account or a client address waits.
//!
//! Kept in memory: a restart forgives, which is acceptable for a school box and keeps failed
//! attempts from costing a disk write.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::clock::Clock;
use super::DomainError;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_account: u32,
    pub per_address: u32,
    pub window: Duration,
}

pub struct LoginThrottle {
    clock: Arc<dyn Clock>,
    limits: Limits,
    accounts: Mutex<Counters<String>>,
    addresses: Mutex<Counters<IpAddr>>,
}

struct Counters<K> {
    windows: HashMap<K, Window>,
}

#[derive(Clone, Copy)]
struct Window {
    started: DateTime<Utc>,
    failures: u32,
}

/// Past this many tracked keys, expired windows are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

impl<K: Eq + Hash + Clone> Counters<K> {
    fn new() -> Self {
        Self {
            windows: HashMap::new(),
        }
    }

    fn wait(
        &self,
        key: &K,
        max: u32,
        window: chrono::TimeDelta,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let current = self.windows.get(key)?;
        let ends = current.started + window;
        (current.failures >= max && ends > now).then(|| (ends - now).to_std().unwrap_or_default())
    }

    fn fail(&mut self, key: K, window: chrono::TimeDelta, now: DateTime<Utc>) {
        if self.windows.len() > SWEEP_ABOVE {
            self.windows.retain(|_, w| w.started + window > now);
        }
        let entry = self.windows.entry(key).or_insert(Window {
            started: now,
            failures: 0,
        });
        if entry.started + window <= now {
            *entry = Window {
                started: now,
                failures: 0,
            };
        }
        entry.failures += 1;
    }
}

impl LoginThrottle {
    pub fn new(clock: Arc<dyn Clock>, limits: Limits) -> Self {
        Self {
            clock,
            limits,
            accounts: Mutex::new(Counters::new()),
            addresses: Mutex::new(Counters::new()),
        }
    }

    fn window(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::from_std(self.limits.window).unwrap_or(chrono::TimeDelta::MAX)
    }

    /// Refuses an attempt while the login or the address is locked out.
    pub fn check(&self, login: &str, address: IpAddr) -> Result<(), DomainError> {
        let now = self.clock.now();
        let window = self.window();
        let by_account =
            lock(&self.accounts).wait(&login.to_owned(), self.limits.per_account, window, now);
        let by_address = lock(&self.addresses).wait(&address, self.limits.per_address, window, now);
        match by_account.into_iter().chain(by_address).max() {
            Some(wait) => Err(DomainError::Throttled {
                retry_after: wait.max(Duration::from_secs(1)),
            }),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, login: &str, address: IpAddr) {
        let now = self.clock.now();
        let window = self.window();
        lock(&self.accounts).fail(login.to_owned(), window, now);
        lock(&self.addresses).fail(address, window, now);
    }

    /// A successful sign-in clears the account's failures (not the address's: one person's
    /// success must not reset a guessing campaign from a shared address).
    pub fn record_success(&self, login: &str) {
        lock(&self.accounts).windows.remove(login);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain counters behind: still usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::testing::ManualClock;

    fn throttle(clock: Arc<ManualClock>) -> LoginThrottle {
        LoginThrottle::new(
            clock,
            Limits {
                per_account: 3,
                per_address: 5,
                window: Duration::from_secs(600),
            },
        )
    }

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2));

    #[test]
    fn an_account_is_locked_after_its_limit_until_the_window_ends() {
        let clock = Arc::new(ManualClock::default());
        let throttle = throttle(clock.clone());
        for _ in 0..3 {
            assert!(throttle.check("emma.martin", HOME).is_ok());
            throttle.record_failure("emma.martin", HOME);
        }
        match throttle.check("emma.martin", OTHER) {
            Err(DomainError::Throttled { retry_after }) => {
                assert_eq!(retry_after, Duration::from_secs(600))
            }
            other => panic!("expected a lock, got {other:?}"),
        }
        assert!(throttle.check("hugo.petit", OTHER).is_ok());
        clock.advance(chrono::TimeDelta::seconds(601));
        assert!(throttle.check("emma.martin", HOME).is_ok());
    }

    #[test]
    fn an_address_is_locked_after_failures_on_many_accounts() {
        let clock = Arc::new(ManualClock::default());
        let throttle = throttle(clock);
        for n in 0..5 {
            throttle.record_failure(&format!("eleve{n}"), HOME);
        }
        assert!(throttle.check("someone.else", HOME).is_err());
        assert!(throttle.check("someone.else", OTHER).is_ok());
    }

    #[test]
    fn a_success_clears_the_account_but_not_the_address() {
        let clock = Arc::new(ManualClock::default());
        let throttle = throttle(clock);
        for _ in 0..2 {
            throttle.record_failure("emma.martin", HOME);
        }
        throttle.record_success("emma.martin");
        for _ in 0..2 {
            throttle.record_failure("emma.martin", HOME);
        }
        assert!(throttle.check("emma.martin", OTHER).is_ok());
        throttle.record_failure("emma.martin", OTHER);
        assert!(throttle.check("emma.martin", OTHER).is_err());
    }
}
