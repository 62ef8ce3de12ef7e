//! The first start of a box with no administrator: a one-time token is written to the log, and
//! `/installation` (reachable only from the box's own network, with that token) sets the
//! establishment, creates the administrator, and chooses the directory feed and HTTPS. Those
//! choices go to `data/installation.toml`, read beneath the configuration file at every start;
//! the server then restarts itself to apply them.

pub mod choices;
mod local;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

pub use local::is_local;

use crate::domain::accounts::activation::{new_code, normalize_code};
use choices::Settings;

/// Where the installation page's choices are kept.
pub fn settings_path(data: &Path) -> PathBuf {
    data.join("installation.toml")
}

/// A box waiting for its installation.
pub struct Installation {
    token_hash: [u8; 32],
    data: PathBuf,
    /// The `section.key`s the configuration file or the environment sets: not asked.
    explicit: BTreeSet<String>,
    done: AtomicBool,
    /// One installation at a time: two forms sent at once make one administrator.
    writing: tokio::sync::Mutex<()>,
    restart: CancellationToken,
}

impl Installation {
    /// A pending installation with a fresh token, returned to be written to the log once.
    pub fn open(data: &Path, explicit: BTreeSet<String>) -> (Self, String) {
        let token = new_code(&mut rand::rngs::OsRng);
        let installation = Self {
            token_hash: digest(&token),
            data: data.to_path_buf(),
            explicit,
            done: AtomicBool::new(false),
            writing: tokio::sync::Mutex::new(()),
            restart: CancellationToken::new(),
        };
        (installation, token)
    }

    /// Whether `typed` is the token (hyphens, spaces and case aside, as people type it).
    pub fn accepts(&self, typed: &str) -> bool {
        digest(typed) == self.token_hash
    }

    pub fn is_pending(&self) -> bool {
        !self.done.load(Ordering::Acquire)
    }

    /// Ends the wait without the page: an administrator was made another way (`preau user
    /// create-admin` through the running server).
    pub fn close(&self) {
        self.done.store(true, Ordering::Release);
    }

    pub fn is_explicit(&self, key: &str) -> bool {
        self.explicit.contains(key)
    }

    /// Held while one form is applied.
    pub async fn lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writing.lock().await
    }

    /// Writes `settings` (whole, or not at all) and marks the installation done.
    pub fn finish(&self, settings: &Settings) -> std::io::Result<()> {
        let text = settings.to_toml(|key| self.is_explicit(key));
        let path = settings_path(&self.data);
        let partial = path.with_extension("toml.partiel");
        write_private(&partial, text.as_bytes())?;
        std::fs::rename(&partial, &path)?;
        self.done.store(true, Ordering::Release);
        Ok(())
    }

    /// Asks the server to restart with the new settings.
    pub fn restart(&self) {
        self.restart.cancel();
    }

    /// Cancelled when a restart is asked.
    pub fn restart_asked(&self) -> CancellationToken {
        self.restart.clone()
    }
}

fn digest(token: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"preau installation token\0");
    hasher.update(normalize_code(token).as_bytes());
    hasher.finalize().into()
}

/// Owner-only, synced: it names the certificate's key file and the feed's address.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_accepted_as_people_type_it_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (installation, token) = Installation::open(dir.path(), BTreeSet::new());
        assert!(installation.accepts(&token));
        assert!(installation.accepts(&token.to_lowercase().replace('-', " ")));
        assert!(!installation.accepts(""));
        assert!(!installation.accepts(&token[1..]));
        let (other, _) = Installation::open(dir.path(), BTreeSet::new());
        assert!(!other.accepts(&token), "each start draws its own");
    }
}
