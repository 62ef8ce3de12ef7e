//! A message of the messagerie, and where it lies in each person's mailbox.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::resources::resource::StoredFile;

/// A message, sent or still a draft. Sent messages are never changed: each person's copy is a
/// [`MailboxEntry`] that they read, move and delete on their own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    /// The conversation: the id of its first message.
    pub thread: u64,
    pub from: u64,
    /// The recipients as the sender chose them (persons and groups), with their labels then.
    pub to: Vec<Addressee>,
    /// Every person it reached, groups expanded (empty for a draft).
    pub recipients: Vec<u64>,
    pub subject: String,
    /// Cleaned HTML ([`crate::domain::logbook::content::clean`]).
    pub body: String,
    pub attachments: Vec<StoredFile>,
    /// `None` while it is a draft.
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The message this one answers or forwards.
    pub in_reply_to: Option<u64>,
}

impl Message {
    pub fn is_draft(&self) -> bool {
        self.sent_at.is_none()
    }

    /// When it was sent, or last saved for a draft.
    pub fn date(&self) -> DateTime<Utc> {
        self.sent_at.unwrap_or(self.updated_at)
    }
}

/// A recipient as chosen: a person or a group, by its opaque id
/// ([`super::recipients::RecipientId`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addressee {
    pub id: String,
    pub label: String,
}

/// The folders of a mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Inbox,
    Sent,
    Drafts,
    Trash,
}

impl Folder {
    pub const ALL: [Folder; 4] = [Folder::Inbox, Folder::Sent, Folder::Drafts, Folder::Trash];

    /// The API's name (`inbox`, `sent`, `drafts`, `trash`).
    pub fn code(self) -> &'static str {
        match self {
            Folder::Inbox => "inbox",
            Folder::Sent => "sent",
            Folder::Drafts => "drafts",
            Folder::Trash => "trash",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|folder| folder.code() == code)
    }
}

/// One person's copy of a message: in which folder, read or not. It repeats what a folder's
/// list shows, so that listing a folder reads no message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEntry {
    pub message: u64,
    pub thread: u64,
    pub folder: Folder,
    /// Where it goes back to when taken out of the trash.
    pub origin: Folder,
    pub read: bool,
    /// When it went to the trash: emptied [`TRASH_DAYS`](super::TRASH_DAYS) days later.
    pub trashed_at: Option<DateTime<Utc>>,
    pub from: u64,
    pub subject: String,
    pub date: DateTime<Utc>,
    pub has_attachments: bool,
    /// For the sender's copy: who it went to, in words.
    pub to_label: String,
}

impl MailboxEntry {
    /// Whether it has been in the trash for [`TRASH_DAYS`](super::TRASH_DAYS) days at `now`, and
    /// goes.
    pub fn trash_expired(&self, now: DateTime<Utc>) -> bool {
        self.folder == Folder::Trash
            && self
                .trashed_at
                .is_some_and(|at| at <= now - Duration::days(super::TRASH_DAYS))
    }
}

/// Key of `owner`'s copy of `message`: a mailbox is one key range, newest last.
pub fn mailbox_key(owner: u64, message: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&owner.to_be_bytes());
    key[8..].copy_from_slice(&message.to_be_bytes());
    key
}

/// Key of the row saying that `owner` holds a copy of `message`.
pub fn holder_key(message: u64, owner: u64) -> [u8; 16] {
    mailbox_key(message, owner)
}

/// Key of the row saying that `message` carries the blob `hash`.
pub fn file_key(hash: &str, message: u64) -> Vec<u8> {
    let mut key = hash.as_bytes().to_vec();
    key.push(0);
    key.extend_from_slice(&message.to_be_bytes());
    key
}
