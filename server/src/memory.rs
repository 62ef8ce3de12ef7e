//! Giving memory back to the system: promptly under load, and at once after bulk work.
//!
//! The binary allocates through mimalloc, which keeps freed pages for a while (one second by default in mimalloc 3,
//! and on threads that have gone idle, until some later allocation collects them). Under the
//! mixed load of `make soak` (256 connections: pages, searches, sign-ins, uploads) each worker
//! thread frees megabytes of short-lived blocks per second, and with that delay the pages of many
//! threads pile up: the anonymous RSS under load rose to 206–265 MiB over ten minutes. Handed
//! back at once, it stays lower (figures in `docs/operations.md`).
// The unsafe calls of the workspace (the lint is `deny` rather than `forbid` for them): FFI calls
// into the allocator the binary already runs on, taking no pointer.
#![allow(unsafe_code)]

use std::os::raw::c_long;

/// How long mimalloc keeps a freed page before handing it back, in milliseconds.
pub const PURGE_DELAY_MS: c_long = 0;

/// mimalloc's own environment variable for the delay: when an operator sets it, it wins.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// `mi_option_purge_delay` in `mi_option_t` (mimalloc 3, which `libmimalloc-sys` builds, and 2
/// alike: include/mimalloc.h), which `libmimalloc-sys` does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's purge delay to [`PURGE_DELAY_MS`] unless `MIMALLOC_PURGE_DELAY` is set.
pub fn set_purge_delay() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
        return;
    }
    // SAFETY: setting an option takes no pointer; mimalloc reads options with atomic loads.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

/// The purge delay mimalloc applies now, in milliseconds.
pub fn purge_delay() -> c_long {
    // SAFETY: reading an option takes no pointer.
    unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }
}

/// Returns the pages mimalloc holds free, of every thread, to the system.
pub fn release_freed() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_reads() {
        if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
            return;
        }
        // 1000 ms is mimalloc 3's default for this option (src/options.c), and no neighbour's.
        assert_eq!(purge_delay(), 1000);
        set_purge_delay();
        assert_eq!(purge_delay(), PURGE_DELAY_MS);
    }
}
