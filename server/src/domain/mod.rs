//! Domain services: plain Rust over the store. Every permission check lives here, in
//! [`access`]; the HTTP layer only maps results to responses.

pub mod access;
pub mod accounts;
pub mod agenda;
pub mod cas;
pub mod clock;
pub mod entropy;
pub mod error;
pub mod logbook;
pub mod messages;
pub mod migrations;
pub mod news;
pub mod notifications;
pub mod resources;
pub mod school;
pub mod services;
pub mod tables;
pub mod timetable;

pub use error::DomainError;

use accounts::{password, sessions, throttle};
use school::establishment;
use school::indexed::IndexedEstablishment;

use std::sync::Arc;

use crate::config::Config;
use clock::Clock;
use tables::Tables;

/// Everything the HTTP layer and the CLI call into, cheap to clone. Its fields are private: the
/// HTTP layer goes through domain operations, never to the store.
#[derive(Clone)]
pub struct Domain {
    store: Tables,
    clock: Arc<dyn Clock>,
    accounts: accounts::Accounts,
    sessions: sessions::Sessions,
    throttle: Arc<throttle::LoginThrottle>,
    config: Arc<Config>,
    /// The resource search index, when the process opened one (`preau serve`, `preau search`).
    search: Option<Arc<crate::search::SearchIndex>>,
    /// The mail search index, when the process opened one (`preau serve`, `preau search`).
    mail_search: Option<Arc<crate::search::MailIndex>>,
    /// The blob folder, when the process keeps uploaded files (`preau serve`).
    blobs: Option<Arc<crate::files::BlobStore>>,
    /// Where the text of uploaded documents is extracted: in a confined child process under the
    /// CLI ([`Domain::with_extractor`]), in process by default.
    extractor: Arc<crate::extract::Extractor>,
    entropy: Arc<dyn entropy::Entropy>,
    /// Serialises the quota check and commit of uploads.
    upload_lock: Arc<std::sync::Mutex<()>>,
    /// CAS service tickets and renewals, in memory (see [`cas::tickets`]).
    cas_tickets: Arc<cas::tickets::Tickets>,
    /// Told each person's new count of unseen notifications (`preau serve`'s live hub).
    unseen_observer: Option<Arc<dyn notifications::observer::UnseenObserver>>,
}

impl Domain {
    pub fn new(store: Tables, config: Arc<Config>, clock: Arc<dyn Clock>) -> Self {
        let policy = password::PasswordPolicy {
            min_length: config.security.min_password_length,
        };
        Self {
            accounts: accounts::Accounts::new(store.clone(), clock.clone(), policy),
            sessions: sessions::Sessions::new(
                store.clone(),
                clock.clone(),
                sessions::Lifetimes {
                    idle: config.session.idle_timeout,
                    absolute: config.session.absolute_timeout,
                },
            ),
            throttle: Arc::new(throttle::LoginThrottle::new(
                clock.clone(),
                throttle::Limits {
                    per_account: config.security.login_failures_per_account,
                    per_address: config.security.login_failures_per_address,
                    window: config.security.login_throttle_window,
                },
            )),
            cas_tickets: Arc::new(cas::tickets::Tickets::new(config.cas.ticket_lifetime)),
            store,
            clock,
            config,
            search: None,
            mail_search: None,
            blobs: None,
            extractor: Arc::new(crate::extract::Extractor::InProcess),
            entropy: Arc::new(entropy::SystemEntropy),
            upload_lock: Arc::default(),
            unseen_observer: None,
        }
    }

    /// Draws session tokens, password salts and keys from `entropy` (a seeded one in tests).
    pub fn with_entropy(mut self, entropy: Arc<dyn entropy::Entropy>) -> Self {
        self.accounts.entropy = entropy.clone();
        self.sessions.entropy = entropy.clone();
        self.entropy = entropy;
        self
    }

    /// Extracts the text of uploads with `extractor`.
    pub fn with_extractor(mut self, extractor: crate::extract::Extractor) -> Self {
        self.extractor = Arc::new(extractor);
        self
    }

    pub fn accounts(&self) -> &accounts::Accounts {
        &self.accounts
    }

    pub fn sessions(&self) -> &sessions::Sessions {
        &self.sessions
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The tables themselves, for the directory import (which writes accounts and the
    /// establishment in one transaction), the command line's flush and tests. Never for HTTP code
    /// (`layering` test).
    pub(crate) fn tables(&self) -> &Tables {
        &self.store
    }

    /// Waits until no backup is exporting the store, and keeps the next from starting until
    /// the permit is dropped: whatever writes several trees holds one for the whole change.
    pub async fn write_permit(&self) -> crate::store::WritePermit {
        self.store.store().gate().permit().await
    }

    /// Blocking flush, for the command line and for shutdown.
    pub fn flush_blocking(&self) -> Result<(), DomainError> {
        Ok(self.store.flush_blocking()?)
    }

    /// Makes every write so far durable, before a change is acknowledged to anyone.
    pub async fn flush(&self) -> Result<(), DomainError> {
        Ok(self.store.flush().await?)
    }

    /// The establishment as stored, or an empty one before the first import or seeding.
    pub fn establishment(&self) -> Result<Arc<IndexedEstablishment>, DomainError> {
        Ok(self
            .store
            .establishment
            .get_shared(crate::store::keys::ESTABLISHMENT)?
            .unwrap_or_else(|| {
                Arc::new(establishment::Establishment::unnamed(&self.config).into())
            }))
    }
}
