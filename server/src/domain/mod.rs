//! Domain services: plain Rust over the store. Every permission check lives here, in
//! [`access`]; the HTTP layer only maps results to responses.

pub mod access;
pub mod account;
pub mod accounts;
pub mod activation;
pub mod classes;
pub mod clock;
pub mod error;
pub mod establishment;
pub mod files;
pub mod login_name;
pub mod me;
pub mod package_links;
pub mod password;
pub mod people;
pub mod profile;
pub mod resource;
pub mod resource_import;
pub mod resource_search;
pub mod resources;
pub mod services;
pub mod session;
pub mod sessions;
pub mod sheets;
pub mod sign_in;
pub mod throttle;
pub mod vocabulary;

pub use error::DomainError;

use std::sync::Arc;

use crate::config::Config;
use crate::store::Store;
use clock::Clock;

/// Everything the HTTP layer and the CLI call into, cheap to clone.
#[derive(Clone)]
pub struct Domain {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub accounts: accounts::Accounts,
    pub sessions: sessions::Sessions,
    pub throttle: Arc<throttle::LoginThrottle>,
    pub config: Arc<Config>,
    /// The resource search index, when the process opened one (`preau serve`, `preau search`).
    pub search: Option<Arc<crate::search::SearchIndex>>,
    /// The blob folder, when the process keeps uploaded files (`preau serve`).
    pub blobs: Option<Arc<crate::files::BlobStore>>,
    /// Where the text of uploaded documents is extracted: in a confined child process under the
    /// CLI ([`Domain::with_extractor`]), in process by default.
    pub extractor: Arc<crate::extract::Extractor>,
    /// Serialises the quota check and commit of uploads.
    upload_lock: Arc<std::sync::Mutex<()>>,
}

impl Domain {
    pub fn new(store: Store, config: Arc<Config>, clock: Arc<dyn Clock>) -> Self {
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
            store,
            clock,
            config,
            search: None,
            blobs: None,
            extractor: Arc::new(crate::extract::Extractor::InProcess),
            upload_lock: Arc::default(),
        }
    }

    /// Extracts the text of uploads with `extractor`.
    pub fn with_extractor(mut self, extractor: crate::extract::Extractor) -> Self {
        self.extractor = Arc::new(extractor);
        self
    }

    /// Makes every write so far durable, before a change is acknowledged to anyone.
    pub async fn flush(&self) -> Result<(), DomainError> {
        Ok(self.store.flush().await?)
    }

    /// The establishment as stored, or an empty one before the first import or seeding.
    pub fn establishment(&self) -> Result<Arc<establishment::Establishment>, DomainError> {
        Ok(self
            .store
            .establishment
            .get_shared(crate::store::keys::ESTABLISHMENT)?
            .unwrap_or_else(|| Arc::new(establishment::Establishment::unnamed(&self.config))))
    }
}
