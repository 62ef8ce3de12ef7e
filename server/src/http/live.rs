//! The live counts of unseen notifications behind `GET /api/v1/notifications/stream`: one
//! `watch` channel per person who has a tab open, fed by the domain (this is its
//! [`UnseenObserver`]) and read by each of their tabs' event streams. A person with no tab open
//! costs nothing, and a notification to a thousand people reads the counts of those watching
//! only. A `watch` keeps the latest count alone: a tab that falls behind skips to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::domain::notifications::observer::UnseenObserver;
use crate::plain_lock::lock;

pub struct LiveCounts {
    people: Mutex<HashMap<u64, watch::Sender<Shared>>>,
    /// Cancelled when the server stops: every stream ends, so that the graceful shutdown does
    /// not wait for tabs that would never close on their own.
    closing: CancellationToken,
}

/// What a person's channel holds.
#[derive(Clone, Copy, Default)]
struct Shared {
    /// The latest count told; none before the first (each tab reads its own first count).
    unseen: Option<usize>,
    /// Bumped by [`LiveCounts::recheck`].
    rechecks: u64,
}

/// One tab's view of its person's count; the person's channel goes with their last tab.
pub struct Subscription {
    receiver: watch::Receiver<Shared>,
    rechecks: u64,
    person: u64,
    hub: Arc<LiveCounts>,
}

/// Why a tab's stream woke.
#[derive(Debug, PartialEq, Eq)]
pub struct Wake {
    /// The latest count, if one was told.
    pub unseen: Option<usize>,
    /// A session of the person ended: the stream checks its own.
    pub recheck: bool,
}

impl LiveCounts {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            people: Mutex::new(HashMap::new()),
            closing: CancellationToken::new(),
        })
    }

    /// Listens for `person`'s count from now on. Subscribe before reading the count to show
    /// first: a change in between is then sent as well, never lost.
    pub fn subscribe(self: &Arc<Self>, person: u64) -> Subscription {
        let receiver = lock(&self.people)
            .entry(person)
            .or_insert_with(|| watch::Sender::new(Shared::default()))
            .subscribe();
        let rechecks = receiver.borrow().rechecks;
        Subscription {
            receiver,
            rechecks,
            person,
            hub: self.clone(),
        }
    }

    /// Cancelled when the server stops.
    pub fn closing(&self) -> CancellationToken {
        self.closing.clone()
    }

    /// Ends every stream: the server is stopping.
    pub fn close(&self) {
        self.closing.cancel();
    }

    /// Wakes `person`'s streams so that each checks its session at once: a tab signed out
    /// elsewhere stops following now rather than at its next periodic check.
    pub fn recheck(&self, person: u64) {
        if let Some(sender) = lock(&self.people).get(&person) {
            sender.send_modify(|shared| shared.rechecks += 1);
        }
    }
}

impl Subscription {
    /// What changed since the last call; `None` if the channel is gone.
    pub async fn changed(&mut self) -> Option<Wake> {
        self.receiver.changed().await.ok()?;
        let shared = *self.receiver.borrow_and_update();
        let recheck = shared.rechecks != self.rechecks;
        self.rechecks = shared.rechecks;
        Some(Wake {
            unseen: shared.unseen,
            recheck,
        })
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut people = lock(&self.hub.people);
        // This subscription's receiver is still alive here: it is the last one at 1.
        if people
            .get(&self.person)
            .is_some_and(|sender| sender.receiver_count() <= 1)
        {
            people.remove(&self.person);
        }
    }
}

impl UnseenObserver for LiveCounts {
    fn watches(&self, owner: u64) -> bool {
        lock(&self.people).contains_key(&owner)
    }

    fn unseen_changed(&self, owner: u64, unseen: usize) {
        if let Some(sender) = lock(&self.people).get(&owner) {
            sender.send_modify(|shared| shared.unseen = Some(unseen));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_tab_of_a_person_gets_their_new_count_and_the_last_tab_closes_the_channel() {
        let hub = LiveCounts::new();
        let mut first = hub.subscribe(7);
        let mut second = hub.subscribe(7);
        assert!(hub.watches(7) && !hub.watches(8));
        hub.unseen_changed(8, 5);
        hub.unseen_changed(7, 1);
        hub.unseen_changed(7, 2);
        let latest = Some(Wake {
            unseen: Some(2),
            recheck: false,
        });
        assert_eq!(first.changed().await, latest, "the latest count only");
        assert_eq!(second.changed().await, latest);
        drop(first);
        assert!(hub.watches(7), "a tab is still open");
        drop(second);
        assert!(!hub.watches(7));
        assert!(lock(&hub.people).is_empty(), "nothing kept for nobody");
    }

    #[tokio::test]
    async fn a_recheck_wakes_the_person_s_tabs_with_their_count_unchanged() {
        let hub = LiveCounts::new();
        let mut tab = hub.subscribe(7);
        let mut other = hub.subscribe(8);
        hub.recheck(7);
        hub.recheck(9);
        let woken = tokio::time::timeout(std::time::Duration::from_secs(1), tab.changed());
        let told_nothing = Wake {
            unseen: None,
            recheck: true,
        };
        assert_eq!(
            woken.await.expect("woken"),
            Some(told_nothing),
            "no count made up"
        );
        hub.unseen_changed(7, 3);
        assert_eq!(
            tab.changed().await,
            Some(Wake {
                unseen: Some(3),
                recheck: false
            })
        );
        hub.recheck(7);
        assert_eq!(
            tab.changed().await,
            Some(Wake {
                unseen: Some(3),
                recheck: true
            })
        );
        let asleep = tokio::time::timeout(std::time::Duration::from_millis(50), other.changed());
        assert!(asleep.await.is_err(), "another person's tab sleeps on");
        assert!(!hub.watches(9), "nobody listening: nothing created");
    }

    #[tokio::test]
    async fn closing_wakes_every_stream() {
        let hub = LiveCounts::new();
        let closing = hub.closing();
        hub.close();
        tokio::time::timeout(std::time::Duration::from_secs(1), closing.cancelled())
            .await
            .expect("resolves once closed");
    }
}
