//! One person's mailbox: folders, read marks, the trash and its emptying, the conversation a
//! message belongs to.

use chrono::{DateTime, Utc};

use super::message::{self, Folder, MailboxEntry, Message};
use super::{PAGE_SIZE, TRASH_DAYS};
use crate::domain::access;
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::StoredFile;
use crate::domain::{Domain, DomainError};
use crate::store::{codec, keys, StoreError};

/// A page of a folder, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderPage {
    pub entries: Vec<MailboxEntry>,
    /// Messages in the folder.
    pub total: usize,
    /// Unread messages in the inbox.
    pub unread: usize,
    /// This page's number, from 1.
    pub page: usize,
    pub pages: usize,
}

/// A message as its reader opens it, with the rest of its conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub message: Message,
    pub entry: MailboxEntry,
    /// The other messages of the conversation the reader holds, oldest first.
    pub conversation: Vec<Message>,
}

fn owner_range(owner: u64) -> std::ops::Range<[u8; 16]> {
    message::mailbox_key(owner, 0)..message::mailbox_key(owner + 1, 0)
}

impl Domain {
    /// `owner`'s copy of `message`.
    pub(super) fn mailbox_entry(
        &self,
        owner: u64,
        message: u64,
    ) -> Result<Option<MailboxEntry>, DomainError> {
        Ok(self
            .tables()
            .mailboxes
            .get(message::mailbox_key(owner, message))?)
    }

    /// Every copy `owner` holds, oldest first.
    fn entries_of(&self, owner: u64) -> Result<Vec<MailboxEntry>, DomainError> {
        let mut entries = Vec::new();
        for entry in self.tables().mailboxes.range(owner_range(owner)) {
            entries.push(entry?);
        }
        Ok(entries)
    }

    /// The folder where `viewer` keeps `message`, if they hold it.
    pub fn folder_of(&self, viewer: &Account, message: u64) -> Result<Option<Folder>, DomainError> {
        Ok(self
            .mailbox_entry(viewer.id, message)?
            .map(|entry| entry.folder))
    }

    /// Unread messages in `viewer`'s inbox.
    pub fn unread_count(&self, viewer: &Account) -> Result<usize, DomainError> {
        let mut unread = 0;
        for entry in self.tables().mailboxes.range(owner_range(viewer.id)) {
            let entry = entry?;
            if entry.folder == Folder::Inbox && !entry.read {
                unread += 1;
            }
        }
        Ok(unread)
    }

    /// Page `page` (from 1) of `folder`, newest first. The trash is emptied of what has been
    /// there for [`TRASH_DAYS`] days first.
    pub fn folder(
        &self,
        viewer: &Account,
        folder: Folder,
        page: usize,
    ) -> Result<FolderPage, DomainError> {
        if !access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        self.purge_trash_of(viewer.id, self.clock().now())?;
        let entries = self.entries_of(viewer.id)?;
        let unread = entries
            .iter()
            .filter(|entry| entry.folder == Folder::Inbox && !entry.read)
            .count();
        let mut listed: Vec<MailboxEntry> = entries
            .into_iter()
            .filter(|entry| entry.folder == folder)
            .collect();
        listed.sort_by_key(|entry| std::cmp::Reverse((entry.date, entry.message)));
        let total = listed.len();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = page.clamp(1, pages);
        let entries = listed
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect();
        Ok(FolderPage {
            entries,
            total,
            unread,
            page,
            pages,
        })
    }

    /// The message `id` as `viewer` holds it, marked read, with its conversation.
    pub fn open_message(&self, viewer: &Account, id: u64) -> Result<Opened, DomainError> {
        let entry = self
            .modify_entry(viewer.id, id, |entry| {
                let changed = !entry.read;
                entry.read = true;
                changed
            })?
            .ok_or(DomainError::UnknownMessage(id))?;
        let message = self
            .tables()
            .messages
            .get(keys::id(id))?
            .ok_or(DomainError::UnknownMessage(id))?;
        let mut conversation = Vec::new();
        for other in self.entries_of(viewer.id)? {
            if other.thread == entry.thread
                && other.message != id
                && other.folder != Folder::Drafts
                && (other.folder != Folder::Trash || entry.folder == Folder::Trash)
            {
                if let Some(message) = self.tables().messages.get(keys::id(other.message))? {
                    conversation.push(message);
                }
            }
        }
        conversation.sort_by_key(|message| (message.date(), message.id));
        Ok(Opened {
            message,
            entry,
            conversation,
        })
    }

    /// A message `viewer` holds, as it is (its read mark unchanged): to answer or forward it.
    pub fn held_message(&self, viewer: &Account, id: u64) -> Result<Message, DomainError> {
        if self.mailbox_entry(viewer.id, id)?.is_none() {
            return Err(DomainError::UnknownMessage(id));
        }
        self.tables()
            .messages
            .get(keys::id(id))?
            .ok_or(DomainError::UnknownMessage(id))
    }

    /// An attachment of a message `viewer` holds.
    pub fn message_attachment(
        &self,
        viewer: &Account,
        id: u64,
        index: usize,
    ) -> Result<StoredFile, DomainError> {
        if self.mailbox_entry(viewer.id, id)?.is_none() {
            return Err(DomainError::UnknownMessage(id));
        }
        self.tables()
            .messages
            .get(keys::id(id))?
            .and_then(|message| message.attachments.into_iter().nth(index))
            .ok_or(DomainError::UnknownMessage(id))
    }

    /// Changes `owner`'s copy of `message` with `change` (which says whether it changed
    /// anything), without losing a concurrent change to the same copy.
    fn modify_entry(
        &self,
        owner: u64,
        message: u64,
        change: impl Fn(&mut MailboxEntry) -> bool,
    ) -> Result<Option<MailboxEntry>, DomainError> {
        let tree = self.tables().mailboxes.tree();
        let key = message::mailbox_key(owner, message);
        loop {
            let Some(bytes) = tree.get(key).map_err(StoreError::from)? else {
                return Ok(None);
            };
            let mut entry: MailboxEntry = codec::decode("mailboxes", &bytes)?;
            if !change(&mut entry) {
                return Ok(Some(entry));
            }
            let encoded = codec::encode(&entry)?;
            let swapped = tree
                .compare_and_swap(key, Some(bytes), Some(encoded))
                .map_err(StoreError::from)?;
            if swapped.is_ok() {
                return Ok(Some(entry));
            }
        }
    }

    /// Marks a message read or unread.
    pub fn set_message_read(
        &self,
        viewer: &Account,
        id: u64,
        read: bool,
    ) -> Result<(), DomainError> {
        self.modify_entry(viewer.id, id, |entry| {
            let changed = entry.read != read;
            entry.read = read;
            changed
        })?
        .map(|_| ())
        .ok_or(DomainError::UnknownMessage(id))
    }

    /// Moves a message to the trash (a draft is deleted at once).
    pub fn trash_message(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        let entry = self
            .mailbox_entry(viewer.id, id)?
            .ok_or(DomainError::UnknownMessage(id))?;
        if entry.folder == Folder::Drafts {
            return self.drop_copy(viewer.id, id);
        }
        let now = self.clock().now();
        self.modify_entry(viewer.id, id, |entry| {
            if entry.folder == Folder::Trash {
                return false;
            }
            entry.origin = entry.folder;
            entry.folder = Folder::Trash;
            entry.trashed_at = Some(now);
            true
        })?;
        Ok(())
    }

    /// Takes a message out of the trash, back where it was.
    pub fn restore_message(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        self.modify_entry(viewer.id, id, |entry| {
            if entry.folder != Folder::Trash {
                return false;
            }
            entry.folder = entry.origin;
            entry.trashed_at = None;
            true
        })?
        .map(|_| ())
        .ok_or(DomainError::UnknownMessage(id))
    }

    /// Deletes a message of the trash for good.
    pub fn delete_message(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        let entry = self
            .mailbox_entry(viewer.id, id)?
            .ok_or(DomainError::UnknownMessage(id))?;
        if !matches!(entry.folder, Folder::Trash | Folder::Drafts) {
            return Err(DomainError::UnknownMessage(id));
        }
        self.drop_copy(viewer.id, id)
    }

    /// Deletes everything in `viewer`'s trash.
    pub fn empty_trash(&self, viewer: &Account) -> Result<usize, DomainError> {
        let trashed: Vec<u64> = self
            .entries_of(viewer.id)?
            .into_iter()
            .filter(|entry| entry.folder == Folder::Trash)
            .map(|entry| entry.message)
            .collect();
        self.drop_copies(viewer.id, &trashed)?;
        Ok(trashed.len())
    }

    /// Deletes what has been in `owner`'s trash for [`TRASH_DAYS`] days.
    fn purge_trash_of(&self, owner: u64, now: DateTime<Utc>) -> Result<usize, DomainError> {
        let expired: Vec<u64> = self
            .entries_of(owner)?
            .into_iter()
            .filter(|entry| entry.trash_expired(now))
            .map(|entry| entry.message)
            .collect();
        self.drop_copies(owner, &expired)?;
        Ok(expired.len())
    }

    /// Deletes what has been in anyone's trash for [`TRASH_DAYS`] days (the server runs it
    /// every hour; each mailbox is also emptied when its owner opens it).
    pub fn purge_trash(&self) -> Result<usize, DomainError> {
        let now = self.clock().now();
        let mut owners: Vec<u64> = Vec::new();
        for key in self.tables().mailboxes.tree().iter().keys() {
            let key = key.map_err(StoreError::from)?;
            if let Some(owner) = key.get(..8).and_then(keys::parse_id) {
                if owners.last() != Some(&owner) {
                    owners.push(owner);
                }
            }
        }
        let mut purged = 0;
        for owner in owners {
            purged += self.purge_trash_of(owner, now)?;
        }
        if purged > 0 {
            tracing::info!(
                purged,
                "messages deleted from the trash after {TRASH_DAYS} days"
            );
        }
        Ok(purged)
    }

    /// Removes `owner`'s copy of `message`; the message itself and its files go once nobody
    /// holds it any more.
    fn drop_copy(&self, owner: u64, id: u64) -> Result<(), DomainError> {
        self.drop_copies(owner, &[id])
    }

    /// Removes `owner`'s copies of the messages `ids`, then tells the mail index in one write
    /// (emptying a trash of a hundred messages is one commit, not a hundred). The index is told
    /// even when a removal failed half-way: it reads what the store holds now.
    fn drop_copies(&self, owner: u64, ids: &[u64]) -> Result<(), DomainError> {
        if ids.is_empty() {
            return Ok(());
        }
        let removed = ids.iter().try_for_each(|id| self.remove_copy(owner, *id));
        self.refresh_mail_index(ids);
        removed
    }

    fn remove_copy(&self, owner: u64, id: u64) -> Result<(), DomainError> {
        let tables = self.tables();
        tables.mailboxes.remove(message::mailbox_key(owner, id))?;
        tables
            .mail_holders
            .remove(message::holder_key(id, owner))
            .map_err(StoreError::from)?;
        let still_held = tables
            .mail_holders
            .scan_prefix(keys::id(id))
            .next()
            .transpose()
            .map_err(StoreError::from)?
            .is_some();
        if still_held {
            return Ok(());
        }
        if let Some(message) = tables.messages.get(keys::id(id))? {
            tables.messages.remove(keys::id(id))?;
            for file in &message.attachments {
                tables
                    .mail_files
                    .remove(message::file_key(&file.hash, id))
                    .map_err(StoreError::from)?;
                self.release_file(&file.hash)?;
            }
        }
        Ok(())
    }

    /// Whether a message uses the blob `hash` (for the file store's reference counting).
    pub(crate) fn messages_use_file(&self, hash: &str) -> Result<bool, DomainError> {
        let mut prefix = hash.as_bytes().to_vec();
        prefix.push(0);
        Ok(self
            .tables()
            .mail_files
            .scan_prefix(prefix)
            .next()
            .transpose()
            .map_err(StoreError::from)?
            .is_some())
    }

    /// Blobs attached by `author` to their messages (hash), for their quota.
    pub(crate) fn message_files_of(&self, author: u64) -> Result<Vec<String>, DomainError> {
        let mut found = Vec::new();
        for row in self.tables().mail_files.iter() {
            let (key, sender) = row.map_err(StoreError::from)?;
            if keys::parse_id(&sender) == Some(author) {
                if let Some(end) = key.iter().position(|byte| *byte == 0) {
                    found.push(String::from_utf8_lossy(&key[..end]).into_owned());
                }
            }
        }
        Ok(found)
    }
}
