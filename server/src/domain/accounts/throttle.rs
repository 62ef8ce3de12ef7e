//! Login throttling: after too many failures, an account or a client address waits.
//!
//! Kept in memory: a restart forgives, which is acceptable for a school box and keeps failed
//! attempts from costing a disk write. The memory is bounded: each counter tracks at most
//! [`MAX_TRACKED`] keys, however many distinct logins or addresses a flood brings.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::clock::Clock;
use crate::domain::DomainError;
use crate::plain_lock::lock;

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

/// Keys each counter tracks at most: about a megabyte per counter, far more than the people
/// and networks of one establishment.
pub const MAX_TRACKED: usize = 10_000;

struct Counters<K> {
    windows: HashMap<K, Window>,
    capacity: usize,
}

#[derive(Clone, Copy)]
struct Window {
    started: DateTime<Utc>,
    failures: u32,
}

impl<K: Eq + Hash + Clone> Counters<K> {
    fn new(capacity: usize) -> Self {
        Self {
            windows: HashMap::new(),
            capacity,
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

    fn fail(&mut self, key: K, max: u32, window: chrono::TimeDelta, now: DateTime<Utc>) {
        if !self.windows.contains_key(&key) && self.windows.len() >= self.capacity {
            self.make_room(max, window, now);
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

    /// Forgets expired windows; when that is not enough, the oldest tenth of the others, those
    /// not locked first, so that a flood of new keys is the last thing to free a locked one.
    /// Evicting a tenth at once keeps a flood from paying a full scan on every failure.
    fn make_room(&mut self, max: u32, window: chrono::TimeDelta, now: DateTime<Utc>) {
        self.windows.retain(|_, w| w.started + window > now);
        if self.windows.len() < self.capacity {
            return;
        }
        let mut by_age: Vec<(bool, DateTime<Utc>, K)> = self
            .windows
            .iter()
            .map(|(key, w)| (w.failures >= max, w.started, key.clone()))
            .collect();
        by_age.sort_unstable_by_key(|(locked, started, _)| (*locked, *started));
        let evicted = (self.capacity / 10).max(1);
        for (_, _, key) in by_age.into_iter().take(evicted) {
            self.windows.remove(&key);
        }
    }
}

/// What the per-address counter counts by. An IPv6 host usually holds a whole /64 and can
/// change address within it at will, so IPv6 addresses count by their /64; IPv4 addresses,
/// IPv4-mapped IPv6 ones included (a dual-stack listener sees those), count one by one.
fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

impl LoginThrottle {
    pub fn new(clock: Arc<dyn Clock>, limits: Limits) -> Self {
        Self {
            clock,
            limits,
            accounts: Mutex::new(Counters::new(MAX_TRACKED)),
            addresses: Mutex::new(Counters::new(MAX_TRACKED)),
        }
    }

    fn window(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::from_std(self.limits.window).unwrap_or(chrono::TimeDelta::MAX)
    }

    /// Refuses an attempt while the login or the address is locked out.
    pub fn check(&self, login: &str, address: IpAddr) -> Result<(), DomainError> {
        let now = self.clock.now();
        let by_account = lock(&self.accounts).wait(
            &login.to_owned(),
            self.limits.per_account,
            self.window(),
            now,
        );
        throttled(
            by_account
                .into_iter()
                .chain(self.address_wait(address, now))
                .max(),
        )
    }

    /// Refuses an attempt while the address is locked out, for an attempt that names no valid
    /// login (and so must not become a login key).
    pub fn check_address(&self, address: IpAddr) -> Result<(), DomainError> {
        throttled(self.address_wait(address, self.clock.now()))
    }

    fn address_wait(&self, address: IpAddr, now: DateTime<Utc>) -> Option<Duration> {
        lock(&self.addresses).wait(
            &address_key(address),
            self.limits.per_address,
            self.window(),
            now,
        )
    }

    pub fn record_failure(&self, login: &str, address: IpAddr) {
        let now = self.clock.now();
        lock(&self.accounts).fail(
            login.to_owned(),
            self.limits.per_account,
            self.window(),
            now,
        );
        self.record_address_failure(address);
    }

    pub fn record_address_failure(&self, address: IpAddr) {
        let now = self.clock.now();
        lock(&self.addresses).fail(
            address_key(address),
            self.limits.per_address,
            self.window(),
            now,
        );
    }

    /// How many logins the account counter tracks.
    #[cfg(test)]
    pub fn tracked_logins(&self) -> usize {
        lock(&self.accounts).windows.len()
    }

    /// A successful sign-in clears the account's failures (not the address's: one person's
    /// success must not reset a guessing campaign from a shared address).
    pub fn record_success(&self, login: &str) {
        lock(&self.accounts).windows.remove(login);
    }
}

fn throttled(wait: Option<Duration>) -> Result<(), DomainError> {
    match wait {
        Some(wait) => Err(DomainError::Throttled {
            retry_after: wait.max(Duration::from_secs(1)),
        }),
        None => Ok(()),
    }
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

    #[test]
    fn ipv6_addresses_count_by_their_64_and_ipv4_mapped_ones_as_ipv4() {
        let clock = Arc::new(ManualClock::default());
        let throttle = throttle(clock);
        for host in 1..=5u16 {
            let address = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, host));
            throttle.record_failure(&format!("eleve{host}"), address);
        }
        let same_64 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0xffff, 1, 2, 3));
        let next_64 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
        assert!(throttle.check("someone.else", same_64).is_err());
        assert!(throttle.check("someone.else", next_64).is_ok());

        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("address");
        let plain: IpAddr = "192.0.2.7".parse().expect("address");
        let neighbour: IpAddr = "192.0.2.8".parse().expect("address");
        for n in 0..5 {
            throttle.record_failure(&format!("parent{n}"), mapped);
        }
        assert!(throttle.check("someone.else", plain).is_err());
        assert!(
            throttle.check("someone.else", neighbour).is_ok(),
            "IPv4 counts per address"
        );
    }

    #[test]
    fn a_flood_of_distinct_logins_and_addresses_keeps_the_counters_bounded() {
        let clock = Arc::new(ManualClock::default());
        let throttle = throttle(clock.clone());
        for _ in 0..3 {
            throttle.record_failure("emma.martin", HOME);
        }
        for n in 0..(3 * MAX_TRACKED as u32) {
            let address = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            throttle.record_failure(&format!("inconnu{n}"), address);
            if n % 1000 == 0 {
                clock.advance(chrono::TimeDelta::seconds(1));
            }
        }
        assert!(lock(&throttle.accounts).windows.len() <= MAX_TRACKED);
        assert!(lock(&throttle.addresses).windows.len() <= MAX_TRACKED);
        assert!(
            throttle.check("emma.martin", OTHER).is_err(),
            "a locked account outlives the flood of unlocked ones"
        );
    }

    #[test]
    fn a_full_counter_forgets_expired_windows_first_then_the_oldest() {
        let mut counters: Counters<u32> = Counters::new(10);
        let window = chrono::TimeDelta::seconds(600);
        let start = DateTime::<Utc>::UNIX_EPOCH;
        for key in 0..5 {
            counters.fail(key, 3, window, start);
        }
        let later = start + chrono::TimeDelta::seconds(500);
        for key in 5..10 {
            counters.fail(
                key,
                3,
                window,
                later + chrono::TimeDelta::seconds(i64::from(key)),
            );
        }
        let expired = start + chrono::TimeDelta::seconds(700);
        counters.fail(10, 3, window, expired);
        assert_eq!(counters.windows.len(), 6, "the five expired ones went");
        for key in 11..15 {
            counters.fail(key, 3, window, expired);
        }
        assert_eq!(counters.windows.len(), 10);
        counters.fail(15, 3, window, expired);
        assert_eq!(counters.windows.len(), 10);
        assert!(!counters.windows.contains_key(&5), "the oldest went");
        assert!(counters.windows.contains_key(&15));
    }
}
