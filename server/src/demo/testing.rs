//! The demo collège as unit tests use it: a seeded domain in a temporary folder (store and
//! uploaded files), with a clock the test moves by hand.

use std::sync::Arc;

use crate::domain::accounts::account::Account;
use crate::domain::clock::testing::ManualClock;
use crate::domain::Domain;
use crate::files::BlobStore;

pub(crate) struct DemoSchool {
    pub dir: tempfile::TempDir,
    pub domain: Domain,
    pub clock: Arc<ManualClock>,
}

impl DemoSchool {
    pub fn new() -> Self {
        Self::with_config(crate::config::Config::default())
    }

    /// The demo seeded under `config` (the e-mail relay on, say).
    pub fn with_config(config: crate::config::Config) -> Self {
        let (dir, store) = crate::domain::accounts::tests::temp_store();
        let clock = Arc::new(ManualClock::default());
        let domain = Domain::new(store, Arc::new(config), clock.clone())
            .with_files(BlobStore::of(dir.path()));
        super::seed_if_empty(&domain).expect("seeds");
        Self { dir, domain, clock }
    }

    pub fn account(&self, login: &str) -> Account {
        account(&self.domain, login)
    }
}

/// The account of `login`, which the test knows exists.
pub(crate) fn account(domain: &Domain, login: &str) -> Account {
    domain
        .accounts()
        .by_login(login)
        .expect("reads")
        .expect("exists")
}
