//! A notification: one line of a person's feed saying that something concerns them, with where
//! to see it. Stored once per person it reaches, under that person's key range.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened, for the feed's wording and the API's `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A message arrived in the messagerie.
    Message,
    /// A news item was published to the person.
    News,
    /// A resource was published to the person's class or group.
    Resource,
}

impl NotificationKind {
    /// The API's name (`message`, `news`, `resource`).
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::Message => "message",
            NotificationKind::News => "news",
            NotificationKind::Resource => "resource",
        }
    }

    /// The service in words, as the feed shows it beside each line.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::Message => "Messagerie",
            NotificationKind::News => "Actualités",
            NotificationKind::Resource => "Ressources",
        }
    }
}

/// What a service says when it notifies: the same for everyone it reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub kind: NotificationKind,
    /// One line in French, e.g. « Nouveau message de Marc Durand : Sortie ».
    pub title: String,
    /// The local address where it is seen (`/messagerie/messages/12`).
    pub href: String,
    pub date: DateTime<Utc>,
}

/// Key of `owner`'s copy of notification `id`: a person's feed is one key range, oldest first
/// (ids only grow).
pub fn key(owner: u64, id: u64) -> [u8; 16] {
    let mut key = [0; 16];
    key[..8].copy_from_slice(&owner.to_be_bytes());
    key[8..].copy_from_slice(&id.to_be_bytes());
    key
}

/// The owner and id of a key of [`key`]'s layout.
pub fn parse_key(key: &[u8]) -> Option<(u64, u64)> {
    let owner = crate::store::keys::parse_id(key.get(..8)?)?;
    let id = crate::store::keys::parse_id(key.get(8..)?)?;
    Some((owner, id))
}
