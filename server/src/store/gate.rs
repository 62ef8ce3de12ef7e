//! The write gate: every change to the store that must be seen whole by a backup holds a
//! [`WritePermit`] while it writes (HTTP writes, the directory sync, the notification jobs); a
//! backup holds the gate shut while it reads the trees, so that the trees it exports are one
//! moment of the store, not each tree at a different moment.
//!
//! sled itself offers no multi-tree snapshot (its transactions cannot iterate, and its export
//! reads one tree after another), hence a gate of our own. Readers never pass it.

use std::sync::Arc;

use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

/// Cheap to clone; every clone is the same gate.
#[derive(Clone, Default)]
pub struct WriteGate(Arc<RwLock<()>>);

/// Held by a writer: many writers at once, none while a backup reads.
pub struct WritePermit {
    _guard: OwnedRwLockReadGuard<()>,
}

/// Held by a backup while it exports: no writer is between two of its writes.
pub struct Closed {
    _guard: OwnedRwLockWriteGuard<()>,
}

impl WriteGate {
    /// Waits until no backup is exporting.
    pub async fn permit(&self) -> WritePermit {
        WritePermit {
            _guard: self.0.clone().read_owned().await,
        }
    }

    /// Waits until no writer holds a permit, then keeps new ones waiting until dropped.
    pub async fn close(&self) -> Closed {
        Closed {
            _guard: self.0.clone().write_owned().await,
        }
    }

    /// Shuts the gate now, or `None` if a writer holds a permit: for a process where nothing
    /// else writes yet (the command line, the start before serving).
    pub fn try_close(&self) -> Option<Closed> {
        let guard = self.0.clone().try_write_owned().ok()?;
        Some(Closed { _guard: guard })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_gate_keeps_writers_waiting_until_it_opens() {
        let gate = WriteGate::default();
        let closed = gate.close().await;
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.permit().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "a writer passed a closed gate");
        drop(closed);
        let _permit = waiting.await.expect("the writer passes once open");
    }
}
