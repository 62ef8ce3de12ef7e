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
    people: Mutex<HashMap<u64, watch::Sender<usize>>>,
    /// Cancelled when the server stops: every stream ends, so that the graceful shutdown does
    /// not wait for tabs that would never close on their own.
    closing: CancellationToken,
}

/// One tab's view of its person's count; the person's channel goes with their last tab.
pub struct Subscription {
    receiver: watch::Receiver<usize>,
    person: u64,
    hub: Arc<LiveCounts>,
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
            .or_insert_with(|| watch::Sender::new(0))
            .subscribe();
        Subscription {
            receiver,
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
}

impl Subscription {
    /// The next count, once it changed; `None` if the channel is gone.
    pub async fn changed(&mut self) -> Option<usize> {
        self.receiver.changed().await.ok()?;
        Some(*self.receiver.borrow_and_update())
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
            sender.send_replace(unseen);
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
        assert_eq!(first.changed().await, Some(2), "the latest count only");
        assert_eq!(second.changed().await, Some(2));
        drop(first);
        assert!(hub.watches(7), "a tab is still open");
        drop(second);
        assert!(!hub.watches(7));
        assert!(lock(&hub.people).is_empty(), "nothing kept for nobody");
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
