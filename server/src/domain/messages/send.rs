//! Writing: checking the recipients against the rules (groups expanded), saving a draft,
//! sending in one transaction.

use std::collections::HashSet;

use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::message::{self, Addressee, Folder, MailboxEntry, Message};
use super::recipients::{self, People, RecipientId, SenderLinks};
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::logbook::content;
use crate::domain::resources::resource::StoredFile;
use crate::domain::{Domain, DomainError};
use crate::files::Staged;
use crate::store::{codec, StoreError};

/// A message as the form or the API describes it.
#[derive(Clone, Debug, Default)]
pub struct Composed {
    /// Recipient ids ([`RecipientId::code`]).
    pub to: Vec<String>,
    pub subject: String,
    /// As typed or as the editor sent it: cleaned here.
    pub body: String,
    /// The message answered: its sender may always be answered, and the answer joins its
    /// conversation.
    pub in_reply_to: Option<u64>,
    /// A message forwarded: those of its attachments named in `keep` come along.
    pub forwarding: Option<u64>,
    /// The draft this is, when one is being finished.
    pub draft: Option<u64>,
    /// Hashes of the draft's attachments to keep (the others are taken off).
    pub keep: Vec<String>,
}

/// Why a message is refused; the pages word it in French.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MessageProblem {
    #[error("no recipient")]
    NoRecipient,
    #[error("no subject")]
    NoSubject,
    #[error("no text")]
    NoBody,
    #[error("the subject or the text is too long")]
    TooLong,
    #[error("unknown recipient {0}")]
    UnknownRecipient(String),
    #[error("too many attachments")]
    TooManyAttachments,
}

/// Most attachments one message carries.
pub const MAX_ATTACHMENTS: usize = 10;
const MAX_SUBJECT: usize = 200;

/// The recipients once checked: as chosen, and as persons.
struct Checked {
    to: Vec<Addressee>,
    persons: Vec<u64>,
}

impl Domain {
    /// Checks `ids` against the rules for `viewer`: every person, every member of every group.
    /// Refused ones are named in [`DomainError::RecipientsRefused`]; nothing is written.
    fn check_recipients(
        &self,
        viewer: &Account,
        ids: &[String],
        answering: Option<u64>,
    ) -> Result<Checked, DomainError> {
        let people = self.people()?;
        let establishment = self.establishment()?;
        let rules = self.communication_rules()?;
        let links = SenderLinks::of(&people, &establishment, viewer);
        let mut to = Vec::new();
        let mut persons: Vec<u64> = Vec::new();
        let mut seen: HashSet<u64> = HashSet::new();
        let mut refused: Vec<(String, String)> = Vec::new();
        let mut chosen: Vec<RecipientId> = Vec::new();
        for text in ids {
            let id = RecipientId::parse(text).ok_or_else(|| {
                DomainError::InvalidMessage(MessageProblem::UnknownRecipient(text.clone()))
            })?;
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        if chosen.is_empty() {
            return Err(DomainError::InvalidMessage(MessageProblem::NoRecipient));
        }
        let allowed = |recipient: &Account| {
            recipient.id == viewer.id
                || access::allows(
                    viewer,
                    Action::WriteMessage {
                        reach: links.reach(&people, recipient),
                        rules: &rules,
                        answering: answering == Some(recipient.id),
                    },
                )
        };
        for id in chosen {
            let unknown =
                || DomainError::InvalidMessage(MessageProblem::UnknownRecipient(id.code()));
            match &id {
                RecipientId::Person(person) => {
                    let account = people.get(*person).ok_or_else(unknown)?;
                    let label = people.person_label(&establishment, account);
                    if !recipients::receives(account) {
                        refused.push((
                            id.code(),
                            format!("{} (a quitté l'établissement)", account.display_name()),
                        ));
                        continue;
                    }
                    if !allowed(account) {
                        refused.push((id.code(), label));
                        continue;
                    }
                    if seen.insert(account.id) {
                        persons.push(account.id);
                    }
                    to.push(Addressee {
                        id: id.code(),
                        label,
                    });
                }
                RecipientId::Group(group) => {
                    if !People::groups(&establishment).contains(group) {
                        return Err(unknown());
                    }
                    let label = People::group_label(&establishment, group);
                    let members = people.members(&establishment, group);
                    let refuses = members
                        .iter()
                        .filter_map(|member| people.get(*member))
                        .any(|member| !allowed(member));
                    if refuses || members.is_empty() {
                        refused.push((id.code(), label));
                        continue;
                    }
                    for member in members {
                        if seen.insert(member) {
                            persons.push(member);
                        }
                    }
                    to.push(Addressee {
                        id: id.code(),
                        label,
                    });
                }
            }
        }
        if !refused.is_empty() {
            return Err(DomainError::RecipientsRefused(refused));
        }
        Ok(Checked { to, persons })
    }

    /// The sender `viewer` answers, when `in_reply_to` is a message they received.
    fn answered_sender(
        &self,
        viewer: &Account,
        in_reply_to: Option<u64>,
    ) -> Result<Option<u64>, DomainError> {
        let Some(id) = in_reply_to else {
            return Ok(None);
        };
        let entry = self.mailbox_entry(viewer.id, id)?;
        Ok(entry
            .filter(|entry| entry.from != viewer.id)
            .map(|entry| entry.from))
    }

    /// The message's attachments: the draft's kept ones, a forwarded message's, the new upload.
    fn gather_attachments(
        &self,
        viewer: &Account,
        composed: &Composed,
        previous: Option<&Message>,
        upload: Option<Staged>,
    ) -> Result<Vec<StoredFile>, DomainError> {
        let mut files: Vec<StoredFile> = previous
            .map(|draft| {
                draft
                    .attachments
                    .iter()
                    .filter(|file| composed.keep.contains(&file.hash))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if let Some(forwarded) = composed.forwarding {
            // Only a message one holds may be forwarded.
            if self.mailbox_entry(viewer.id, forwarded)?.is_some() {
                if let Some(message) = self
                    .tables()
                    .messages
                    .get(crate::store::keys::id(forwarded))?
                {
                    for file in message.attachments {
                        if composed.keep.contains(&file.hash)
                            && !files.iter().any(|kept| kept.hash == file.hash)
                        {
                            files.push(file);
                        }
                    }
                }
            }
        }
        if let Some(staged) = upload {
            if files.len() >= MAX_ATTACHMENTS {
                return Err(DomainError::InvalidMessage(
                    MessageProblem::TooManyAttachments,
                ));
            }
            files.push(self.accept_upload(viewer, staged)?);
        }
        if files.len() > MAX_ATTACHMENTS {
            return Err(DomainError::InvalidMessage(
                MessageProblem::TooManyAttachments,
            ));
        }
        Ok(files)
    }

    /// The id of a message being written (the draft's own, or a fresh one) and its
    /// conversation: the answered message's, when the writer holds it, else its own.
    fn place(
        &self,
        viewer: &Account,
        previous: Option<&Message>,
        in_reply_to: Option<u64>,
    ) -> Result<(u64, u64), DomainError> {
        let id = match previous {
            Some(draft) => draft.id,
            None => self.tables().next_id()?,
        };
        let thread = match in_reply_to {
            Some(answered) => self
                .mailbox_entry(viewer.id, answered)?
                .map_or(id, |entry| entry.thread),
            None => id,
        };
        Ok((id, thread))
    }

    /// The draft `id` of `viewer`, if it is one of theirs.
    pub fn own_draft(&self, viewer: &Account, id: u64) -> Result<Message, DomainError> {
        self.tables()
            .messages
            .get(crate::store::keys::id(id))?
            .filter(|message| message.from == viewer.id && message.is_draft())
            .ok_or(DomainError::UnknownMessage(id))
    }

    /// Saves a draft (a new one, or `composed.draft` changed): recipients are not checked
    /// until it is sent.
    pub fn save_draft(
        &self,
        viewer: &Account,
        composed: Composed,
        upload: Option<Staged>,
    ) -> Result<Message, DomainError> {
        if !access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        let previous = composed
            .draft
            .map(|id| self.own_draft(viewer, id))
            .transpose()?;
        let subject = composed.subject.trim().to_owned();
        let body = content::clean(&composed.body);
        if subject.chars().count() > MAX_SUBJECT || body.len() > content::MAX_CONTENT {
            return Err(DomainError::InvalidMessage(MessageProblem::TooLong));
        }
        let mut to = Vec::new();
        for text in &composed.to {
            let id = RecipientId::parse(text).ok_or_else(|| {
                DomainError::InvalidMessage(MessageProblem::UnknownRecipient(text.clone()))
            })?;
            let label = self.recipient_label(&id)?.ok_or_else(|| {
                DomainError::InvalidMessage(MessageProblem::UnknownRecipient(text.clone()))
            })?;
            if !to.iter().any(|known: &Addressee| known.id == id.code()) {
                to.push(Addressee {
                    id: id.code(),
                    label,
                });
            }
        }
        let attachments = self.gather_attachments(viewer, &composed, previous.as_ref(), upload)?;
        let now = self.clock().now();
        let (id, thread) = self.place(viewer, previous.as_ref(), composed.in_reply_to)?;
        let draft = Message {
            id,
            thread,
            from: viewer.id,
            to,
            recipients: Vec::new(),
            subject,
            body,
            attachments,
            sent_at: None,
            updated_at: now,
            in_reply_to: composed.in_reply_to.or(composed.forwarding),
        };
        self.write_message(previous.as_ref(), &draft, &[])?;
        if let Some(previous) = &previous {
            self.release_dropped(previous, &draft)?;
        }
        Ok(draft)
    }

    /// Sends a message (a new one, or `composed.draft`): every recipient is checked first, and
    /// the message reaches everyone or no one.
    pub fn send_message(
        &self,
        viewer: &Account,
        composed: Composed,
        upload: Option<Staged>,
    ) -> Result<Message, DomainError> {
        if !access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        let previous = composed
            .draft
            .map(|id| self.own_draft(viewer, id))
            .transpose()?;
        let answering = self.answered_sender(viewer, composed.in_reply_to)?;
        let checked = self.check_recipients(viewer, &composed.to, answering)?;
        let problem = |problem| Err(DomainError::InvalidMessage(problem));
        let subject = composed.subject.trim().to_owned();
        if subject.is_empty() {
            return problem(MessageProblem::NoSubject);
        }
        let body = content::clean(&composed.body);
        if body.is_empty() {
            return problem(MessageProblem::NoBody);
        }
        if subject.chars().count() > MAX_SUBJECT || body.len() > content::MAX_CONTENT {
            return problem(MessageProblem::TooLong);
        }
        let attachments = self.gather_attachments(viewer, &composed, previous.as_ref(), upload)?;
        let now = self.clock().now();
        let (id, thread) = self.place(viewer, previous.as_ref(), composed.in_reply_to)?;
        let sent = Message {
            id,
            thread,
            from: viewer.id,
            to: checked.to,
            recipients: checked.persons,
            subject,
            body,
            attachments,
            sent_at: Some(now),
            updated_at: now,
            in_reply_to: composed.in_reply_to.or(composed.forwarding),
        };
        self.write_message(previous.as_ref(), &sent, &sent.recipients)?;
        if let Some(previous) = &previous {
            self.release_dropped(previous, &sent)?;
        }
        tracing::info!(
            message = sent.id,
            by = %viewer.login,
            recipients = sent.recipients.len(),
            "message sent"
        );
        self.notify_message(viewer, &sent);
        Ok(sent)
    }

    /// Releases the blobs a draft carried and its new version no longer does.
    fn release_dropped(&self, previous: &Message, now: &Message) -> Result<(), DomainError> {
        for file in &previous.attachments {
            if !now.attachments.iter().any(|kept| kept.hash == file.hash) {
                self.release_file(&file.hash)?;
            }
        }
        Ok(())
    }

    /// Writes `message` (replacing `previous`, a draft), the sender's copy and one copy per
    /// recipient, in one transaction; then the message's one document in the mail index.
    fn write_message(
        &self,
        previous: Option<&Message>,
        message: &Message,
        recipients: &[u64],
    ) -> Result<(), DomainError> {
        let tables = self.tables();
        let summary = |folder: Folder, read: bool| MailboxEntry {
            message: message.id,
            thread: message.thread,
            folder,
            origin: folder,
            read,
            trashed_at: None,
            from: message.from,
            subject: message.subject.clone(),
            date: message.date(),
            has_attachments: !message.attachments.is_empty(),
            to_label: message
                .to
                .iter()
                .map(|addressee| addressee.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let own_folder = if message.is_draft() {
            Folder::Drafts
        } else {
            Folder::Sent
        };
        // The sender first, then every recipient once: one copy each.
        let mut holders: Vec<u64> = Vec::with_capacity(recipients.len() + 1);
        holders.push(message.from);
        holders.extend(recipients.iter().filter(|id| **id != message.from));
        let own = codec::encode(&summary(own_folder, true))?;
        let received = codec::encode(&summary(Folder::Inbox, false))?;
        let copies: Vec<([u8; 16], &[u8])> = holders
            .iter()
            .map(|owner| {
                let copy = if *owner == message.from {
                    own.as_slice()
                } else {
                    received.as_slice()
                };
                (message::mailbox_key(*owner, message.id), copy)
            })
            .collect();
        let old_files: Vec<Vec<u8>> = previous
            .map(|old| {
                old.attachments
                    .iter()
                    .map(|file| message::file_key(&file.hash, old.id))
                    .collect()
            })
            .unwrap_or_default();
        let new_files: Vec<Vec<u8>> = message
            .attachments
            .iter()
            .map(|file| message::file_key(&file.hash, message.id))
            .collect();
        let encoded = codec::encode(message)?;
        let holder_keys: Vec<[u8; 16]> = holders
            .iter()
            .map(|owner| message::holder_key(message.id, *owner))
            .collect();
        let trees = (
            tables.messages.tree(),
            tables.mailboxes.tree(),
            &tables.mail_holders,
            &tables.mail_files,
        );
        let written = trees.transaction(
            |(messages, mailboxes, holders_tree, files): &(
                TransactionalTree,
                TransactionalTree,
                TransactionalTree,
                TransactionalTree,
            )| {
                for key in &old_files {
                    files.remove(key.as_slice())?;
                }
                messages.insert(&crate::store::keys::id(message.id), encoded.as_slice())?;
                for (key, bytes) in &copies {
                    mailboxes.insert(&key[..], *bytes)?;
                }
                for key in &holder_keys {
                    holders_tree.insert(&key[..], &[])?;
                }
                for key in &new_files {
                    files.insert(key.as_slice(), &crate::store::keys::id(message.from))?;
                }
                Ok::<_, ConflictableTransactionError<StoreError>>(())
            },
        );
        written.map_err(|error| match error {
            TransactionError::Abort(error) => DomainError::from(error),
            TransactionError::Storage(error) => DomainError::from(StoreError::from(error)),
        })?;
        self.index_message(message, &holders);
        Ok(())
    }
}
