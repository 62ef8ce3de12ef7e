//! Errors of the search index.

use std::path::PathBuf;

/// What can go wrong while opening, writing or querying the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A writer panicked while holding the lock; the index may lack its last write until the
    /// next rebuild.
    #[error("search index writer lock poisoned")]
    WriterPoisoned,
}

impl SearchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }
}
