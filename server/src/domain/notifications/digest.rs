//! The e-mail digests: what waits in `notifications_unmailed` for each person, gathered so that
//! the relay (`crate::relay`) sends each one e-mail, then forgets what was sent. Only
//! notifications still unseen wait there: opening one's feed takes them out.

use super::notification::{parse_key, Notification};
use crate::domain::{Domain, DomainError};
use crate::store::{codec, StoreError};

/// Lines of one digest at most; it says how many more there are.
pub const MAX_LINES: usize = 50;

/// One person's e-mail: their notifications not yet e-mailed, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub owner: u64,
    pub name: String,
    pub email: String,
    pub notifications: Vec<Notification>,
    /// How many more wait beyond [`MAX_LINES`] (sent as a count).
    pub more: usize,
    /// The rows it covers, forgotten once it is sent.
    keys: Vec<sled::IVec>,
}

impl Domain {
    /// The digests to send now, one per person with an e-mail address who has notifications
    /// not yet e-mailed. What waits for someone without an address, whose account is no longer
    /// active, or who turned the digest off, is forgotten here: it would never go anywhere. The appliance's own job
    /// (`preau serve`), for every person at once: no viewer asks.
    pub fn notification_digests(&self) -> Result<Vec<Digest>, DomainError> {
        let tables = self.tables();
        let mut waiting: Vec<(u64, Vec<sled::IVec>)> = Vec::new();
        for key in tables.notifications_unmailed.iter().keys() {
            let key = key.map_err(StoreError::from)?;
            let Some((owner, _)) = parse_key(&key) else {
                continue;
            };
            match waiting.last_mut() {
                Some((last, keys)) if *last == owner => keys.push(key),
                _ => waiting.push((owner, vec![key])),
            }
        }
        let mut digests = Vec::new();
        let mut nowhere = sled::Batch::default();
        for (owner, keys) in waiting {
            let account = self.accounts().get_shared(owner)?;
            let opted_out = tables
                .digest_opt_outs
                .contains_key(crate::store::keys::id(owner))
                .map_err(StoreError::from)?;
            let address = account
                .as_ref()
                .filter(|account| account.is_active() && !opted_out)
                .and_then(|account| account.email.clone())
                .filter(|email| !email.trim().is_empty());
            let (Some(account), Some(email)) = (account, address) else {
                for key in keys {
                    nowhere.remove(key);
                }
                continue;
            };
            let mut notifications = Vec::new();
            for key in keys.iter().take(MAX_LINES) {
                // A row pruned meanwhile is simply not in the digest.
                if let Some(bytes) = tables
                    .notifications
                    .tree()
                    .get(key)
                    .map_err(StoreError::from)?
                {
                    notifications.push(codec::decode::<Notification>("notifications", &bytes)?);
                }
            }
            digests.push(Digest {
                owner,
                name: account.display_name(),
                email,
                more: keys.len().saturating_sub(MAX_LINES),
                notifications,
                keys,
            });
        }
        tables
            .notifications_unmailed
            .apply_batch(nowhere)
            .map_err(StoreError::from)?;
        Ok(digests)
    }

    /// Forgets what `digest` covered, once it is sent (or once its address proved to be one no
    /// e-mail can go to): it is not e-mailed again.
    pub fn digest_sent(&self, digest: &Digest) -> Result<(), DomainError> {
        let mut sent = sled::Batch::default();
        for key in &digest.keys {
            sent.remove(key.clone());
        }
        self.tables()
            .notifications_unmailed
            .apply_batch(sent)
            .map_err(StoreError::from)?;
        Ok(())
    }
}

#[cfg(test)]
impl Digest {
    /// A digest that covers no stored row, for the tests of its wording.
    pub fn for_test(
        name: &str,
        email: &str,
        notifications: Vec<Notification>,
        more: usize,
    ) -> Self {
        Self {
            owner: 0,
            name: name.to_owned(),
            email: email.to_owned(),
            notifications,
            more,
            keys: Vec::new(),
        }
    }
}
