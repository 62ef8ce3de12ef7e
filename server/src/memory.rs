//! Giving memory back to the system after bulk work.
//!
//! The binary allocates through mimalloc, which keeps freed pages for a while (and, on threads
//! that have gone idle or ended, until some later allocation happens to collect them). After a
//! one-off burst such as rebuilding the search index at start, that kept memory is most of the
//! process's anonymous RSS: collecting it at once brings the box back to its resting size.

/// Returns the pages mimalloc holds free, of every thread, to the system.
// The one unsafe call of the workspace (the lint is `deny` rather than `forbid` for it): an FFI
// call without arguments, into the allocator the binary already runs on.
#[allow(unsafe_code)]
pub fn release_freed() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
