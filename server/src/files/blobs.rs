//! The blob folder: `files/ab/abcdef…` named by the SHA-256 of the content, written through a
//! temporary file in `files/tmp/` and renamed into place, so a blob is either whole or absent.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::FileError;

#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
    /// Held shared by a backup while it copies blobs, exclusively by [`BlobStore::remove`]: a
    /// blob the backed-up store refers to cannot vanish before it is copied.
    removal: Arc<RwLock<()>>,
}

/// An upload being received: bytes go to a temporary file and into the hash as they come.
pub struct Staging {
    file: tokio::fs::File,
    path: tempfile::TempPath,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

/// A complete upload, not yet part of the store: dropping it deletes the temporary file.
#[derive(Debug)]
pub struct Staged {
    pub path: tempfile::TempPath,
    /// Lowercase hex SHA-256 of the content.
    pub hash: String,
    pub size: u64,
    /// The name the file had on the uploader's machine (last path component only).
    pub name: String,
}

impl BlobStore {
    /// The blob folder of the data directory.
    pub fn of(data: &Path) -> Self {
        Self {
            root: data.join("files"),
            removal: Arc::default(),
        }
    }

    /// Keeps every blob in place until dropped (a backup copying them).
    pub fn hold_removals(&self) -> RwLockReadGuard<'_, ()> {
        // A poisoned lock only means a removal panicked; the blobs are still there to copy.
        self.removal
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob `hash` lives; `None` for anything that is not a SHA-256 in hex, so that
    /// a hash read from outside can never name another path.
    pub fn path_of(&self, hash: &str) -> Option<PathBuf> {
        let valid =
            hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        valid.then(|| self.root.join(&hash[..2]).join(hash))
    }

    pub fn contains(&self, hash: &str) -> bool {
        self.path_of(hash).is_some_and(|path| path.is_file())
    }

    /// Starts receiving a file of at most `limit` bytes.
    pub fn stage(&self, limit: u64) -> Result<Staging, FileError> {
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)
            .map_err(FileError::io(format!("create {}", tmp.display())))?;
        let (file, path) = tempfile::NamedTempFile::new_in(&tmp)
            .map_err(FileError::io("create a temporary file"))?
            .into_parts();
        Ok(Staging {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
            limit,
        })
    }

    /// Stages bytes already in memory (bulk import, tests).
    pub fn stage_bytes(&self, name: &str, bytes: &[u8], limit: u64) -> Result<Staged, FileError> {
        if bytes.len() as u64 > limit {
            return Err(FileError::TooLarge { limit });
        }
        if bytes.is_empty() {
            return Err(FileError::Empty);
        }
        let tmp = self.root.join("tmp");
        std::fs::create_dir_all(&tmp)
            .map_err(FileError::io(format!("create {}", tmp.display())))?;
        let mut file = tempfile::NamedTempFile::new_in(&tmp)
            .map_err(FileError::io("create a temporary file"))?;
        std::io::Write::write_all(&mut file, bytes).map_err(FileError::io("write an upload"))?;
        file.as_file()
            .sync_all()
            .map_err(FileError::io("sync an upload"))?;
        Ok(Staged {
            path: file.into_temp_path(),
            hash: hex(&Sha256::digest(bytes)),
            size: bytes.len() as u64,
            name: file_name(name),
        })
    }

    /// Moves a staged upload to its content address (a blob already there is the same bytes,
    /// so the staged copy is simply dropped). Returns whether the blob is new.
    pub fn commit(&self, staged: Staged) -> Result<bool, FileError> {
        let Some(target) = self.path_of(&staged.hash) else {
            return Err(FileError::Io {
                context: "commit a blob".to_owned(),
                source: std::io::Error::other("invalid hash"),
            });
        };
        if target.is_file() {
            return Ok(false);
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(FileError::io(format!("create {}", parent.display())))?;
        }
        staged.path.persist(&target).map_err(|e| FileError::Io {
            context: format!("rename into {}", target.display()),
            source: e.error,
        })?;
        Ok(true)
    }

    /// Deletes the blob `hash`, if present.
    pub fn remove(&self, hash: &str) -> Result<(), FileError> {
        let Some(path) = self.path_of(hash) else {
            return Ok(());
        };
        let _held = self
            .removal
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(FileError::Io {
                context: format!("remove {}", path.display()),
                source: error,
            }),
        }
    }
}

impl Staging {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), FileError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(FileError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        self.file
            .write_all(chunk)
            .await
            .map_err(FileError::io("write an upload"))
    }

    /// The upload is complete: made durable and named by its hash.
    pub async fn finish(mut self, name: &str) -> Result<Staged, FileError> {
        if self.size == 0 {
            return Err(FileError::Empty);
        }
        self.file
            .flush()
            .await
            .map_err(FileError::io("flush an upload"))?;
        self.file
            .sync_all()
            .await
            .map_err(FileError::io("sync an upload"))?;
        Ok(Staged {
            path: self.path,
            hash: hex(&self.hasher.finalize()),
            size: self.size,
            name: file_name(name),
        })
    }
}

/// The last component of a browser-supplied file name, without control characters.
fn file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "fichier".to_owned()
    } else {
        clean.trim().to_owned()
    }
}

/// Lowercase hex, as hashes are written in the store and in file names.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_is_stored_once_under_its_hash_and_a_failed_upload_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blobs = BlobStore::of(dir.path());
        let mut staging = blobs.stage(1 << 20).expect("stages");
        staging.write(b"bonjour ").await.expect("writes");
        staging.write("élèves".as_bytes()).await.expect("writes");
        let staged = staging
            .finish("C:\\Users\\prof\\cours.pdf")
            .await
            .expect("finishes");
        assert_eq!(staged.name, "cours.pdf");
        assert_eq!(staged.size, 16);
        let hash = staged.hash.clone();
        assert!(blobs.commit(staged).expect("commits"), "a new blob");
        let again = blobs
            .stage_bytes("autre.pdf", "bonjour élèves".as_bytes(), 1 << 20)
            .expect("stages");
        assert_eq!(again.hash, hash, "same bytes, same address");
        assert!(!blobs.commit(again).expect("commits"), "already there");
        let stored = std::fs::read(blobs.path_of(&hash).expect("valid")).expect("reads");
        assert_eq!(stored, "bonjour élèves".as_bytes());

        let mut big = blobs.stage(4).expect("stages");
        assert!(matches!(
            big.write(b"12345").await,
            Err(FileError::TooLarge { limit: 4 })
        ));
        drop(big);
        let leftovers = std::fs::read_dir(blobs.root().join("tmp"))
            .expect("tmp exists")
            .count();
        assert_eq!(leftovers, 0, "the refused upload's temporary file is gone");
        blobs.remove(&hash).expect("removes");
        assert!(!blobs.contains(&hash));
    }

    #[test]
    fn only_a_sha256_names_a_blob() {
        let blobs = BlobStore::of(Path::new("/data"));
        assert!(blobs.path_of("../../etc/passwd").is_none());
        assert!(blobs.path_of(&"A".repeat(64)).is_none());
        assert_eq!(
            blobs.path_of(&"ab".repeat(32)),
            Some(PathBuf::from(format!("/data/files/ab/{}", "ab".repeat(32))))
        );
    }
}
