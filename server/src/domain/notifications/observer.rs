//! How the domain tells whoever listens that a person's count of unseen notifications changed,
//! without knowing who listens: `preau serve` plugs in the hub that feeds the open tabs
//! (`http/live.rs`); the command line and the tests plug in nothing.

/// Told, after each write, the new count of unseen notifications of the people it concerns.
pub trait UnseenObserver: Send + Sync {
    /// Whether anyone listens for `owner` now: the count is read only for them, so that a
    /// notification to a thousand people reads a handful of counts, not a thousand.
    fn watches(&self, owner: u64) -> bool;

    /// `owner` now has `unseen` notifications they have not seen.
    fn unseen_changed(&self, owner: u64, unseen: usize);
}
