//! Whether a person wants their notifications e-mailed as a digest: yes unless they said no on
//! their account page (a parent may prefer the ENT alone to one more e-mail). Only the person
//! decides, for themselves.

use crate::domain::accounts::account::Account;
use crate::domain::{Domain, DomainError};
use crate::store::{keys, StoreError};

impl Domain {
    /// Whether `viewer`'s notifications go into the e-mail digest (when the relay is on and
    /// they have an address).
    pub fn wants_digest(&self, viewer: &Account) -> Result<bool, DomainError> {
        Ok(!self
            .tables()
            .digest_opt_outs
            .contains_key(keys::id(viewer.id))
            .map_err(StoreError::from)?)
    }

    /// Turns `viewer`'s digest on or off. Off also forgets what waited for the next digest:
    /// turning it back on starts from what comes next, not with a backlog.
    pub fn set_wants_digest(&self, viewer: &Account, wanted: bool) -> Result<(), DomainError> {
        let tables = self.tables();
        let key = keys::id(viewer.id);
        if wanted {
            tables
                .digest_opt_outs
                .remove(key)
                .map_err(StoreError::from)?;
            return Ok(());
        }
        tables
            .digest_opt_outs
            .insert(key, &[])
            .map_err(StoreError::from)?;
        let mut waiting = sled::Batch::default();
        for row in tables.notifications_unmailed.scan_prefix(key).keys() {
            waiting.remove(row.map_err(StoreError::from)?);
        }
        tables
            .notifications_unmailed
            .apply_batch(waiting)
            .map_err(StoreError::from)?;
        Ok(())
    }
}
