//! Views of the messagerie pages.

use serde::{Deserialize, Serialize};

/// A folder in the folder list, with its count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FolderLink {
    pub href: String,
    pub label: String,
    /// Unread messages (reçus) or messages (brouillons, corbeille); `None`: no count shown.
    pub count: Option<usize>,
    pub current: bool,
}

/// `/messagerie`, `/messagerie/envoyes`, `/messagerie/brouillons`, `/messagerie/corbeille`,
/// `/messagerie/recherche`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FolderView {
    /// « Reçus », « Envoyés »…
    pub title: String,
    pub folders: Vec<FolderLink>,
    pub lines: Vec<MessageLine>,
    /// « 12 messages, 3 non lus ».
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The form that empties the trash, on the trash's page.
    pub empty_trash: Option<String>,
    /// What was searched, on the search page.
    pub query: Option<String>,
}

/// A message in a folder's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageLine {
    pub href: String,
    /// The sender, or the recipients in the sent and drafts folders.
    pub who: String,
    pub subject: String,
    pub date: String,
    pub read: bool,
    pub attachments: bool,
    /// In search results: the folder it lies in.
    pub folder: Option<String>,
}

/// `/messagerie/messages/{id}`: the message and its conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub subject: String,
    pub back: String,
    pub back_label: String,
    /// Oldest first; the one opened is `current`.
    pub messages: Vec<ShownMessage>,
    pub reply: Option<String>,
    pub reply_all: Option<String>,
    pub forward: String,
    /// Form actions.
    pub mark_unread: Option<String>,
    pub trash: Option<String>,
    pub restore: Option<String>,
    pub delete: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownMessage {
    pub anchor: String,
    pub from: String,
    pub to: String,
    pub date: String,
    /// Cleaned HTML, from the server's sanitizer.
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub current: bool,
    /// A link to the message itself, for the other messages of the conversation.
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub href: String,
    pub name: String,
    pub size: String,
}

/// A recipient in the writing form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecipientChoice {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

/// An attachment a draft or a forwarded message already carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptFile {
    pub hash: String,
    pub name: String,
    pub size: String,
}

/// `/messagerie/nouveau`: the writing form, again with what was typed when refused or after a
/// search for recipients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComposeView {
    pub title: String,
    /// The recipients chosen so far.
    pub chosen: Vec<RecipientChoice>,
    /// What was searched, and what it found (unchecked).
    pub query: String,
    pub matches: Vec<RecipientChoice>,
    /// « Aucun destinataire ne correspond » after a search that found nothing.
    pub searched: bool,
    pub subject: String,
    pub body: String,
    pub in_reply_to: Option<u64>,
    pub forwarding: Option<u64>,
    pub draft: Option<u64>,
    pub files: Vec<KeptFile>,
    pub max_upload: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// `/admin/communication`: the communication rules as a matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesView {
    /// Column heads: who writes.
    pub senders: Vec<String>,
    pub rows: Vec<RuleRow>,
    pub saved: bool,
}

/// A row of the matrix: to whom, and for each sender whether it is allowed (`None`: the
/// relation cannot hold for that sender).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    pub label: String,
    pub cells: Vec<Option<RuleCell>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleCell {
    /// The checkbox's value, `sender:reach`.
    pub value: String,
    pub allowed: bool,
    /// For screen readers: « Élèves → La direction ».
    pub label: String,
}
