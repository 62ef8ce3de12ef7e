//! The domain's typed tables over the generic [`Store`]: which tree holds which record. A new
//! service declares its tables here, and its tree names in [`trees`] with a migration step.

use std::path::Path;

use super::accounts::account::Account;
use super::accounts::session::Session;
use super::agenda::event::Event;
use super::cas::registry::CasRegistry;
use super::logbook::entry::{HandIn, LessonEntry};
use super::messages::message::{MailboxEntry, Message};
use super::messages::rules::CommunicationRules;
use super::migrations::{self, trees};
use super::news::item::NewsBoard;
use super::notifications::notification::Notification;
use super::resources::files::FileRecord;
use super::resources::resource::Resource;
use super::school::indexed::IndexedEstablishment;
use super::timetable::change::SessionChange;
use super::timetable::schedule::IndexedTimetable;
use crate::store::{Store, StoreError, Table};

/// The opened store with its typed trees; cheap to clone.
#[derive(Clone)]
pub struct Tables {
    store: Store,
    pub meta: sled::Tree,
    /// account id → [`Account`]
    pub accounts: Table<Account>,
    /// login → account id (unique index)
    pub logins: sled::Tree,
    /// hash of a session token → [`Session`]
    pub sessions: Table<Session>,
    /// account id ‖ token hash → () (to revoke every session of an account)
    pub account_sessions: sled::Tree,
    /// [`crate::store::keys::ESTABLISHMENT`] → [`Establishment`], decoded with its lookups
    pub establishment: Table<IndexedEstablishment>,
    /// `ENTPersonJointure` → account id (unique index, kept with the accounts)
    pub jointures: sled::Tree,
    /// resource id → [`Resource`]
    pub resources: Table<Resource>,
    /// content hash → [`FileRecord`]
    pub files: Table<FileRecord>,
    /// resource id → text extracted from its file, for the search index
    pub resource_texts: Table<String>,
    /// [`TIMETABLE_KEY`](super::timetable::TIMETABLE_KEY) → every course, decoded with its lookups
    pub timetable: Table<IndexedTimetable>,
    /// date ‖ course id → the change to that session ([`super::timetable::change::key`])
    pub session_changes: Table<SessionChange>,
    /// account id → generation of its calendar subscription address (absent: 0)
    pub ics_generations: Table<u32>,
    /// date ‖ course id → the cahier de textes entry of that session ([`super::logbook::entry::key`])
    pub lesson_entries: Table<LessonEntry>,
    /// class or group ‖ date ‖ course id → () (a class's entries by date)
    pub logbook_by_target: sled::Tree,
    /// class or group ‖ due date ‖ homework id → entry key (« à faire » by due date)
    pub homework_due: sled::Tree,
    /// homework id → entry key
    pub homework_entries: sled::Tree,
    /// pupil id ‖ homework id → () (ticked done by the pupil)
    pub homework_done: sled::Tree,
    /// homework id ‖ pupil id → [`HandIn`]
    pub hand_ins: Table<HandIn>,
    /// event id → [`Event`]
    pub events: Table<Event>,
    /// day ‖ event id → () for every day an event covers
    pub events_by_day: sled::Tree,
    /// [`NEWS_KEY`](super::news::NEWS_KEY) → every news item
    pub news: Table<NewsBoard>,
    /// message id → [`Message`], sent or draft
    pub messages: Table<Message>,
    /// owner id ‖ message id → the owner's copy ([`super::messages::message::mailbox_key`])
    pub mailboxes: Table<MailboxEntry>,
    /// message id ‖ owner id → () (who still holds a copy)
    pub mail_holders: sled::Tree,
    /// blob hash ‖ 0 ‖ message id → sender id (attachments, for quotas and reference counting)
    pub mail_files: sled::Tree,
    /// [`RULES_KEY`](super::messages::rules::RULES_KEY) → the communication rules
    pub mail_rules: Table<CommunicationRules>,
    /// owner id ‖ notification id → [`Notification`] ([`super::notifications::notification::key`])
    pub notifications: Table<Notification>,
    /// owner id ‖ notification id → () while its owner has not seen it
    pub notifications_unseen: sled::Tree,
    /// owner id ‖ notification id → () while it waits for the e-mail digest (relay on only)
    pub notifications_unmailed: sled::Tree,
    /// news id → () once a news item shown from a later day than its publishing was announced
    pub news_announced: sled::Tree,
    /// person id → () for each person who turned the e-mail digest off
    pub digest_opt_outs: sled::Tree,
    /// [`REGISTRY_KEY`](super::cas::registry::REGISTRY_KEY) → the CAS services and home links
    /// the administrator registered
    pub cas_registry: Table<CasRegistry>,
    /// service id (big-endian) → the [`Logo`](super::cas::logo::Logo) of a registered service
    pub cas_logos: Table<super::cas::logo::Logo>,
}

impl Tables {
    /// Opens (or creates) the store in `dir`, runs pending migrations and opens every table.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        Self::of(Store::open(dir, cache_bytes, migrations::ALL)?)
    }

    /// The tables of an opened store.
    pub fn of(store: Store) -> Result<Self, StoreError> {
        Ok(Self {
            meta: store.meta.clone(),
            accounts: store.table(trees::ACCOUNTS)?,
            logins: store.tree(trees::LOGINS)?,
            sessions: store.table(trees::SESSIONS)?,
            account_sessions: store.tree(trees::ACCOUNT_SESSIONS)?,
            establishment: store.table(trees::ESTABLISHMENT)?,
            jointures: store.tree(trees::JOINTURES)?,
            resources: store.table(trees::RESOURCES)?,
            files: store.table(trees::FILES)?,
            resource_texts: store.table(trees::RESOURCE_TEXTS)?,
            timetable: store.table(trees::TIMETABLE)?,
            session_changes: store.table(trees::SESSION_CHANGES)?,
            ics_generations: store.table(trees::ICS_GENERATIONS)?,
            lesson_entries: store.table(trees::LESSON_ENTRIES)?,
            logbook_by_target: store.tree(trees::LOGBOOK_BY_TARGET)?,
            homework_due: store.tree(trees::HOMEWORK_DUE)?,
            homework_entries: store.tree(trees::HOMEWORK_ENTRIES)?,
            homework_done: store.tree(trees::HOMEWORK_DONE)?,
            hand_ins: store.table(trees::HAND_INS)?,
            events: store.table(trees::EVENTS)?,
            events_by_day: store.tree(trees::EVENTS_BY_DAY)?,
            news: store.table(trees::NEWS)?,
            messages: store.table(trees::MESSAGES)?,
            mailboxes: store.table(trees::MAILBOXES)?,
            mail_holders: store.tree(trees::MAIL_HOLDERS)?,
            mail_files: store.tree(trees::MAIL_FILES)?,
            mail_rules: store.table(trees::MAIL_RULES)?,
            notifications: store.table(trees::NOTIFICATIONS)?,
            notifications_unseen: store.tree(trees::NOTIFICATIONS_UNSEEN)?,
            notifications_unmailed: store.tree(trees::NOTIFICATIONS_UNMAILED)?,
            news_announced: store.tree(trees::NEWS_ANNOUNCED)?,
            digest_opt_outs: store.tree(trees::DIGEST_OPT_OUTS)?,
            cas_registry: store.table(trees::CAS_REGISTRY)?,
            cas_logos: store.table(trees::CAS_LOGOS)?,
            store,
        })
    }

    /// The generic store under the tables: what a backup exports and a restore fills.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A fresh identifier, unique for the life of the store.
    pub fn next_id(&self) -> Result<u64, StoreError> {
        self.store.next_id()
    }

    /// Makes every write so far durable. Concurrent callers share one fsync.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.store.flush().await
    }

    /// Blocking flush, for the CLI and for shutdown.
    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.store.flush_blocking()
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.store.schema_version()
    }

    /// Every tree with every key and value, in order: tests compare two of these to prove that
    /// an operation changed nothing at all.
    #[cfg(test)]
    pub fn content(&self) -> Vec<crate::store::TreeContent> {
        self.store.content()
    }
}
