//! Files behind resources: accepting an upload within the quotas, knowing who uses a blob, and
//! removing a blob once nothing refers to it any more.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::StoredFile;
use crate::domain::{Domain, DomainError};
use crate::files::media::media_type_of;
use crate::files::{BlobStore, Staged};

/// What sled knows of a blob (the `files` tree, keyed by hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub size: u64,
    pub uploaded_by: u64,
    pub uploaded_at: DateTime<Utc>,
}

/// Whose space is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaScope {
    Person,
    Establishment,
}

impl Domain {
    /// Gives the domain its blob folder; uploads are refused without one.
    pub fn with_files(mut self, blobs: BlobStore) -> Self {
        self.blobs = Some(std::sync::Arc::new(blobs));
        self
    }

    pub fn blobs(&self) -> Result<&BlobStore, DomainError> {
        self.blobs.as_deref().ok_or(DomainError::NoFileStorage)
    }

    /// Bytes of distinct files used by `author`: their resources' files, the attachments of the
    /// cahier de textes entries they wrote, what they handed in.
    pub fn file_usage_of(&self, author: u64) -> Result<u64, DomainError> {
        let mut seen = std::collections::BTreeMap::new();
        for resource in self.store.resources.values() {
            let resource = resource?;
            if resource.author == author {
                if let Some(file) = resource.content.file() {
                    seen.insert(file.hash.clone(), file.size);
                }
            }
        }
        for entry in self.store.lesson_entries.values() {
            let entry = entry?;
            if entry.author == author {
                for file in &entry.attachments {
                    seen.insert(file.hash.clone(), file.size);
                }
            }
        }
        for hash in self.message_files_of(author)? {
            if let Some(record) = self.store.files.get(hash.as_bytes())? {
                seen.insert(hash, record.size);
            }
        }
        for (hash, size) in self.news_files_of(author)? {
            seen.insert(hash, size);
        }
        for row in self.store.hand_ins.tree().iter() {
            let (key, _) = row.map_err(crate::store::StoreError::from)?;
            if key.get(8..) == Some(&author.to_be_bytes()[..]) {
                if let Some(hand_in) = self.store.hand_ins.get(&key)? {
                    seen.insert(hand_in.file.hash, hand_in.file.size);
                }
            }
        }
        Ok(seen.values().sum())
    }

    /// Bytes of every blob of the establishment.
    pub fn file_usage_total(&self) -> Result<u64, DomainError> {
        let mut total = 0;
        for record in self.store.files.values() {
            total += record?.size;
        }
        Ok(total)
    }

    /// Makes `staged` part of the store for `author`, within their quota and the
    /// establishment's. A file they already use costs nothing more.
    pub(in crate::domain) fn accept_upload(
        &self,
        author: &Account,
        staged: Staged,
    ) -> Result<StoredFile, DomainError> {
        let blobs = self.blobs()?;
        // One upload at a time is checked and committed, so two uploads cannot both fit in the
        // last megabytes of a quota.
        let _guard = self
            .upload_lock
            .lock()
            .map_err(|_| DomainError::UploadLockPoisoned)?;
        let quota = &self.config.files;
        let already = self.store.files.get(staged.hash.as_bytes())?.is_some();
        if !already {
            let used = self.file_usage_of(author.id)?;
            let limit = quota.quota_per_user_mb << 20;
            if used + staged.size > limit {
                return Err(DomainError::QuotaExceeded {
                    scope: QuotaScope::Person,
                    used,
                    quota: limit,
                });
            }
            let total = self.file_usage_total()?;
            let limit = quota.quota_establishment_mb << 20;
            if total + staged.size > limit {
                return Err(DomainError::QuotaExceeded {
                    scope: QuotaScope::Establishment,
                    used: total,
                    quota: limit,
                });
            }
        }
        let stored = StoredFile {
            hash: staged.hash.clone(),
            media_type: media_type_of(&staged.name),
            name: staged.name.clone(),
            size: staged.size,
        };
        blobs.commit(staged)?;
        if !already {
            self.store.files.insert(
                stored.hash.as_bytes(),
                &FileRecord {
                    size: stored.size,
                    uploaded_by: author.id,
                    uploaded_at: self.clock.now(),
                },
            )?;
        }
        Ok(stored)
    }

    /// Removes the blob `hash` when no resource, cahier de textes entry or hand-in uses it any
    /// more.
    pub(in crate::domain) fn release_file(&self, hash: &str) -> Result<(), DomainError> {
        for resource in self.store.resources.values() {
            if resource?.content.file().is_some_and(|f| f.hash == hash) {
                return Ok(());
            }
        }
        for entry in self.store.lesson_entries.values() {
            if entry?.attachments.iter().any(|f| f.hash == hash) {
                return Ok(());
            }
        }
        for hand_in in self.store.hand_ins.values() {
            if hand_in?.file.hash == hash {
                return Ok(());
            }
        }
        if self.news_uses_file(hash)? || self.messages_use_file(hash)? {
            return Ok(());
        }
        self.store.files.remove(hash.as_bytes())?;
        self.blobs()?.remove(hash)?;
        Ok(())
    }
}
