//! Uploaded files, content-addressed under `data/files/`: a file is stored once under the
//! SHA-256 of its bytes, whoever uploads it and however many resources use it. Metadata (size,
//! who uploaded it, which resources use it) lives in sled; see [`crate::domain::files`].

mod blobs;
pub mod media;

pub(crate) use blobs::hex;
pub use blobs::{BlobStore, Staged, Staging};

/// What can go wrong while receiving or storing a file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the upload is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload is empty")]
    Empty,
    #[error("file storage: {context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl FileError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| FileError::Io { context, source }
    }
}
