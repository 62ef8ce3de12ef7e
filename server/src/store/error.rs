use std::path::Path;

/// What can go wrong below the domain: the disk, sled, or a value that does not decode.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store I/O error on {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the data directory {0} is in use by another Préau process (stop `preau serve` first)"
    )]
    Locked(String),
    #[error("sled error: {0}")]
    Sled(#[from] sled::Error),
    #[error("cannot decode a value of tree {tree}: {message}")]
    Decode { tree: String, message: String },
    #[error("cannot encode a value: {0}")]
    Encode(String),
    #[error("the store has schema version {found}, newer than this binary knows ({known}); use a newer Préau")]
    TooNew { found: u32, known: u32 },
    #[error("migration to schema version {version} failed: {message}")]
    Migration { version: u32, message: String },
}

impl StoreError {
    pub(super) fn from_open(dir: &Path, error: sled::Error) -> Self {
        match error {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock => {
                Self::Locked(dir.display().to_string())
            }
            sled::Error::Io(io) if io.to_string().contains("lock") => {
                Self::Locked(dir.display().to_string())
            }
            other => Self::Sled(other),
        }
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(error: sled::transaction::TransactionError<StoreError>) -> Self {
        match error {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(inner) => Self::Sled(inner),
        }
    }
}
