//! Each person's share of the work that costs the box most: uploads being received, package
//! files being streamed. One person (or one script with a pupil's session) gets a few at a
//! time, so that the rest of the school keeps signing in and searching.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::plain_lock::lock;

/// Concurrent work per person: at most `permits` at once, at most `max_waiting` more waiting.
pub struct Shares {
    permits: usize,
    max_waiting: usize,
    people: Mutex<HashMap<u64, Arc<Share>>>,
}

struct Share {
    semaphore: Arc<Semaphore>,
    waiting: AtomicUsize,
}

/// A unit of work being done; its share is given back when it is dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    person: u64,
    shares: Arc<Shares>,
}

impl Shares {
    pub fn new(permits: usize, max_waiting: usize) -> Arc<Self> {
        Arc::new(Self {
            permits,
            max_waiting,
            people: Mutex::new(HashMap::new()),
        })
    }

    fn share_of(&self, person: u64) -> Arc<Share> {
        lock(&self.people)
            .entry(person)
            .or_insert_with(|| {
                Arc::new(Share {
                    semaphore: Arc::new(Semaphore::new(self.permits)),
                    waiting: AtomicUsize::new(0),
                })
            })
            .clone()
    }

    /// A slot now, or `None` when the person already uses all of theirs.
    pub fn try_take(self: &Arc<Self>, person: u64) -> Option<Slot> {
        let share = self.share_of(person);
        let permit = share.semaphore.clone().try_acquire_owned().ok();
        drop(share);
        match permit {
            Some(permit) => Some(self.slot(permit, person)),
            None => {
                self.forget_idle(person);
                None
            }
        }
    }

    /// A slot, waiting up to `patience` for one; `None` when the wait is too long or too many of
    /// the person's requests already wait.
    pub async fn take(self: &Arc<Self>, person: u64, patience: Duration) -> Option<Slot> {
        let share = self.share_of(person);
        if share.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            share.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let permit = tokio::time::timeout(patience, share.semaphore.clone().acquire_owned()).await;
        share.waiting.fetch_sub(1, Ordering::SeqCst);
        drop(share);
        match permit {
            Ok(Ok(permit)) => Some(self.slot(permit, person)),
            _ => {
                self.forget_idle(person);
                None
            }
        }
    }

    fn slot(self: &Arc<Self>, permit: OwnedSemaphorePermit, person: u64) -> Slot {
        Slot {
            _permit: permit,
            person,
            shares: self.clone(),
        }
    }

    /// Drops the person's entry once nothing of theirs runs or waits, so that the map holds only
    /// the people at work.
    fn forget_idle(&self, person: u64) {
        let mut people = lock(&self.people);
        let idle = people.get(&person).is_some_and(|share| {
            Arc::strong_count(share) == 1
                && share.waiting.load(Ordering::SeqCst) == 0
                && share.semaphore.available_permits() == self.permits
        });
        if idle {
            people.remove(&person);
        }
    }

    /// People with work running or waiting (for tests and operations).
    pub fn busy_people(&self) -> usize {
        lock(&self.people).len()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // The permit goes back first (fields drop after this body), so count it as returned.
        let shares = self.shares.clone();
        let person = self.person;
        let mut people = lock(&shares.people);
        let idle = people.get(&person).is_some_and(|share| {
            Arc::strong_count(share) == 1
                && share.waiting.load(Ordering::SeqCst) == 0
                && share.semaphore.available_permits() + 1 == shares.permits
        });
        if idle {
            people.remove(&person);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_person_gets_their_share_and_others_are_not_affected() {
        let shares = Shares::new(2, 1);
        let first = shares.try_take(7).expect("first");
        let second = shares.try_take(7).expect("second");
        assert!(shares.try_take(7).is_none(), "a third at once is refused");
        assert!(shares.try_take(8).is_some(), "someone else still gets one");
        drop(first);
        assert!(
            shares.try_take(7).is_some(),
            "a slot comes back when dropped"
        );
        drop(second);
    }

    #[tokio::test]
    async fn waiting_is_bounded_in_time_and_in_number() {
        let shares = Shares::new(1, 1);
        let held = shares.try_take(7).expect("first");
        let waiter = {
            let shares = shares.clone();
            tokio::spawn(async move { shares.take(7, Duration::from_secs(5)).await.is_some() })
        };
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            shares.take(7, Duration::from_secs(5)).await.is_none(),
            "a second waiter is one too many"
        );
        drop(held);
        assert!(
            waiter.await.expect("joins"),
            "the waiter gets the freed slot"
        );
        assert!(shares.take(7, Duration::from_millis(10)).await.is_some());
    }

    #[tokio::test]
    async fn the_map_forgets_people_once_their_work_is_done() {
        let shares = Shares::new(2, 4);
        let slots: Vec<Slot> = (0..100).filter_map(|p| shares.try_take(p)).collect();
        assert_eq!(shares.busy_people(), 100);
        drop(slots);
        assert_eq!(shares.busy_people(), 0);
        let held = shares.try_take(1).expect("slot");
        assert!(shares.take(1, Duration::from_millis(5)).await.is_some());
        drop(held);
        assert_eq!(shares.busy_people(), 0);
    }
}
