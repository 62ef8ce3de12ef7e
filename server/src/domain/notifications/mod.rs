//! Notifications: a feed per person of what concerns them (a message received, a news item, a
//! resource published to their class…), with a count of what they have not seen. Any service
//! notifies through one call, [`Domain::notify`]; who may read a feed is decided in
//! [`access`] (one's own only).
//!
//! Storage: one row per person reached (`owner ‖ id`, the same bytes for all of them), plus an
//! index of the unseen ones (`notifications_unseen`, keys only: the header's count is a prefix
//! count, no value decoded) and, when the e-mail relay is configured, of those not yet e-mailed
//! (`notifications_unmailed`, see `digest.rs`). Feeds keep [`KEEP_PER_PERSON`] rows and
//! [`KEEP_DAYS`] days ([`Domain::prune_notifications`], run every hour by `preau serve`).

pub mod digest;
pub mod notification;
pub mod observer;
pub mod preferences;

mod hooks;

use std::sync::Arc;

use chrono::Duration;

use self::notification::{key, parse_key, Notification};
use self::observer::UnseenObserver;
use super::access::{self, Action};
use super::accounts::account::Account;
use super::{Domain, DomainError};
use crate::store::{codec, StoreError};

/// Lines per page of a feed.
pub const PAGE_SIZE: usize = 30;
/// The newest rows a feed keeps; older ones go at the next pruning.
pub const KEEP_PER_PERSON: usize = 200;
/// Days a row is kept at most.
pub const KEEP_DAYS: i64 = 60;

/// One line of a feed, as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    pub id: u64,
    pub notification: Notification,
    /// False until the owner opens their feed after it came.
    pub seen: bool,
}

/// One page of a feed, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub entries: Vec<FeedEntry>,
    /// Unseen rows in the whole feed (not only this page).
    pub unseen: usize,
    /// From 1.
    pub page: usize,
    /// At least 1, even for an empty feed.
    pub pages: usize,
}

impl Domain {
    /// Sends the count of unseen notifications of the people it concerns to `observer` (the
    /// live hub of `preau serve`) after each change.
    pub fn with_unseen_observer(mut self, observer: Arc<dyn UnseenObserver>) -> Self {
        self.unseen_observer = Some(observer);
        self
    }

    /// Adds `notification` to the feed of each of `owners` (duplicates count once). One row per
    /// person, written as one batch per tree and not flushed: whoever acknowledges the change
    /// that caused it flushes once for everything (a message to a thousand parents costs one
    /// fsync, not a thousand). The rows are written before the unseen index, so that a crash in
    /// between leaves rows read as seen, never a count of rows that are not there.
    pub fn notify(&self, owners: &[u64], notification: &Notification) -> Result<(), DomainError> {
        let mut owners = owners.to_vec();
        owners.sort_unstable();
        owners.dedup();
        if owners.is_empty() {
            return Ok(());
        }
        let tables = self.tables();
        let id = tables.next_id()?;
        let value = sled::IVec::from(codec::encode(notification)?);
        let mut rows = sled::Batch::default();
        let mut unseen = sled::Batch::default();
        let mut unmailed = sled::Batch::default();
        let relayed = self.config().notifications.relay_enabled();
        for owner in &owners {
            let key = key(*owner, id);
            rows.insert(&key[..], value.clone());
            unseen.insert(&key[..], &[]);
            if relayed
                && !tables
                    .digest_opt_outs
                    .contains_key(crate::store::keys::id(*owner))
                    .map_err(StoreError::from)?
            {
                unmailed.insert(&key[..], &[]);
            }
        }
        tables
            .notifications
            .tree()
            .apply_batch(rows)
            .map_err(StoreError::from)?;
        tables
            .notifications_unseen
            .apply_batch(unseen)
            .map_err(StoreError::from)?;
        if relayed {
            tables
                .notifications_unmailed
                .apply_batch(unmailed)
                .map_err(StoreError::from)?;
        }
        self.announce_unseen(&owners);
        tracing::debug!(
            kind = notification.kind.code(),
            reached = owners.len(),
            "notified"
        );
        Ok(())
    }

    /// [`Domain::notify`] for a service whose own write is already done: a notification that
    /// cannot be written is logged, and the message, news item or resource stays as written
    /// (answering an error would make its author send it again).
    pub(crate) fn notify_or_log(&self, owners: &[u64], notification: &Notification) {
        if let Err(error) = self.notify(owners, notification) {
            tracing::error!(
                %error,
                kind = notification.kind.code(),
                "cannot write the notifications"
            );
        }
    }

    /// Tells the observer the new count of each of `owners` it watches.
    fn announce_unseen(&self, owners: &[u64]) {
        let Some(observer) = &self.unseen_observer else {
            return;
        };
        for owner in owners {
            if !observer.watches(*owner) {
                continue;
            }
            match self.unseen_of(*owner) {
                Ok(unseen) => observer.unseen_changed(*owner, unseen),
                Err(error) => tracing::warn!(%error, owner, "cannot count unseen notifications"),
            }
        }
    }

    /// How many notifications `owner` has not seen: a count of keys under their prefix, no row
    /// decoded (every signed-in page asks it for the header).
    fn unseen_of(&self, owner: u64) -> Result<usize, DomainError> {
        let mut count = 0;
        for key in self
            .tables()
            .notifications_unseen
            .scan_prefix(owner.to_be_bytes())
            .keys()
        {
            key.map_err(StoreError::from)?;
            count += 1;
        }
        Ok(count)
    }

    fn may_read_notifications(&self, viewer: &Account) -> Result<(), DomainError> {
        if access::allows(viewer, Action::ReadNotifications { owner: viewer.id }) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// The count of `viewer`'s own unseen notifications.
    pub fn unseen_notifications(&self, viewer: &Account) -> Result<usize, DomainError> {
        self.may_read_notifications(viewer)?;
        self.unseen_of(viewer.id)
    }

    /// Page `page` (from 1) of `viewer`'s own feed, newest first; the page after the last one
    /// is empty. Nothing is marked seen ([`Domain::mark_notifications_seen`] does).
    pub fn notifications(&self, viewer: &Account, page: usize) -> Result<Feed, DomainError> {
        self.may_read_notifications(viewer)?;
        let page = page.max(1);
        let tables = self.tables();
        let prefix = viewer.id.to_be_bytes();
        let mut total = 0;
        let mut entries = Vec::new();
        let skip = (page - 1).saturating_mul(PAGE_SIZE);
        for row in tables.notifications.tree().scan_prefix(prefix).rev() {
            let (key, bytes) = row.map_err(StoreError::from)?;
            total += 1;
            if total <= skip || entries.len() >= PAGE_SIZE {
                continue;
            }
            let Some((_, id)) = parse_key(&key) else {
                continue;
            };
            let notification: Notification = codec::decode("notifications", &bytes)?;
            let seen = !tables
                .notifications_unseen
                .contains_key(&key)
                .map_err(StoreError::from)?;
            entries.push(FeedEntry {
                id,
                notification,
                seen,
            });
        }
        Ok(Feed {
            entries,
            unseen: self.unseen_of(viewer.id)?,
            page,
            pages: total.div_ceil(PAGE_SIZE).max(1),
        })
    }

    /// Marks everything in `viewer`'s feed seen (they opened it): nothing of it will be
    /// e-mailed either. Returns how many were unseen.
    pub fn mark_notifications_seen(&self, viewer: &Account) -> Result<usize, DomainError> {
        self.may_read_notifications(viewer)?;
        let tables = self.tables();
        let mut seen = sled::Batch::default();
        let mut count = 0;
        for key in tables
            .notifications_unseen
            .scan_prefix(viewer.id.to_be_bytes())
            .keys()
        {
            seen.remove(key.map_err(StoreError::from)?);
            count += 1;
        }
        if count == 0 {
            return Ok(0);
        }
        let mut mailed = sled::Batch::default();
        for key in tables
            .notifications_unmailed
            .scan_prefix(viewer.id.to_be_bytes())
            .keys()
        {
            mailed.remove(key.map_err(StoreError::from)?);
        }
        tables
            .notifications_unseen
            .apply_batch(seen)
            .map_err(StoreError::from)?;
        tables
            .notifications_unmailed
            .apply_batch(mailed)
            .map_err(StoreError::from)?;
        self.announce_unseen(&[viewer.id]);
        Ok(count)
    }

    /// Drops what each feed no longer keeps: beyond its newest [`KEEP_PER_PERSON`] rows, and
    /// rows older than [`KEEP_DAYS`] days. Rows are in id order, which is date order, so only
    /// the oldest rows of each feed are decoded. Returns how many rows went.
    pub fn prune_notifications(&self) -> Result<usize, DomainError> {
        let tables = self.tables();
        let cutoff = self.clock().now() - Duration::days(KEEP_DAYS);
        let mut dropped: Vec<sled::IVec> = Vec::new();
        let mut owners: Vec<u64> = Vec::new();
        let mut feed: Vec<(sled::IVec, sled::IVec)> = Vec::new();
        let mut current: Option<u64> = None;
        let rows = tables.notifications.tree().iter();
        // One more turn with no row closes the last feed.
        for row in rows.map(Some).chain(std::iter::once(None)) {
            let next = match row {
                Some(row) => {
                    let (key, bytes) = row.map_err(StoreError::from)?;
                    let Some((owner, _)) = parse_key(&key) else {
                        continue;
                    };
                    Some((owner, key, bytes))
                }
                None => None,
            };
            let owner = next.as_ref().map(|(owner, _, _)| *owner);
            if current != owner {
                if let Some(previous) = current {
                    let before = dropped.len();
                    dropped.extend(expired(std::mem::take(&mut feed), cutoff)?);
                    if dropped.len() > before {
                        owners.push(previous);
                    }
                }
                current = owner;
            }
            if let Some((_, key, bytes)) = next {
                feed.push((key, bytes));
            }
        }
        if dropped.is_empty() {
            return Ok(0);
        }
        let batch = || {
            let mut batch = sled::Batch::default();
            for key in &dropped {
                batch.remove(key.clone());
            }
            batch
        };
        tables
            .notifications_unmailed
            .apply_batch(batch())
            .map_err(StoreError::from)?;
        tables
            .notifications_unseen
            .apply_batch(batch())
            .map_err(StoreError::from)?;
        tables
            .notifications
            .tree()
            .apply_batch(batch())
            .map_err(StoreError::from)?;
        self.announce_unseen(&owners);
        tracing::info!(
            dropped = dropped.len(),
            feeds = owners.len(),
            "old notifications dropped"
        );
        Ok(dropped.len())
    }
}

/// The rows of one feed (oldest first) that go: those beyond the newest [`KEEP_PER_PERSON`],
/// and those dated before `cutoff`.
fn expired(
    feed: Vec<(sled::IVec, sled::IVec)>,
    cutoff: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<sled::IVec>, DomainError> {
    let excess = feed.len().saturating_sub(KEEP_PER_PERSON);
    let mut dropped = Vec::new();
    for (index, (key, bytes)) in feed.into_iter().enumerate() {
        if index >= excess {
            let notification: Notification = codec::decode("notifications", &bytes)?;
            if notification.date >= cutoff {
                break;
            }
        }
        dropped.push(key);
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests;
