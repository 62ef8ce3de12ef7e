//! Locking a mutex that guards plain data (counters, maps of caches): a panic elsewhere while it
//! was held leaves that data usable, so the poison is cleared rather than spread to every later
//! request.

use std::sync::{Mutex, MutexGuard};

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
