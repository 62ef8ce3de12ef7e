//! Opening, resolving, expiring and revoking sessions.
//!
//! The token given to the client is 32 random bytes; the store keeps only its SHA-256, so a copy
//! of the data directory does not hand out live sessions.

use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use sled::transaction::TransactionalTree;
use sled::Transactional;

use crate::domain::accounts::account::Account;
use crate::domain::accounts::session::Session;
use crate::domain::clock::Clock;
use crate::domain::entropy::{Entropy, SystemEntropy};
use crate::domain::tables::Tables;
use crate::domain::DomainError;
use crate::store::{codec, keys, StoreError};

#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// A session unused for this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
}

#[derive(Clone)]
pub struct Sessions {
    store: Tables,
    clock: Arc<dyn Clock>,
    pub(in crate::domain) entropy: Arc<dyn Entropy>,
    lifetimes: Lifetimes,
}

/// A resolved session with its account.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub token_hash: [u8; 32],
    pub session: Session,
    /// Shared with the accounts table's cache: no copy per request.
    pub account: Arc<Account>,
}

/// `last_seen_at` is rewritten at most this often: idle expiry does not need a write per request.
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

impl Sessions {
    /// Sessions with tokens drawn from the system's generator ([`super::Domain::with_entropy`]
    /// changes it).
    pub fn new(store: Tables, clock: Arc<dyn Clock>, lifetimes: Lifetimes) -> Self {
        Self {
            store,
            clock,
            entropy: Arc::new(SystemEntropy),
            lifetimes,
        }
    }

    pub fn lifetimes(&self) -> Lifetimes {
        self.lifetimes
    }

    /// Opens a session for `account`; returns the token to hand to the client.
    pub fn open(&self, account: u64) -> Result<(String, Session), DomainError> {
        let token = random_token(self.entropy.as_ref());
        let now = self.clock.now();
        let session = Session {
            account,
            csrf: random_token(self.entropy.as_ref()),
            created_at: now,
            last_seen_at: now,
        };
        let hash = hash_token(&token);
        let bytes = codec::encode(&session)?;
        (self.store.sessions.tree(), &self.store.account_sessions)
            .transaction(
                |(sessions, owned): &(TransactionalTree, TransactionalTree)| {
                    sessions.insert(&hash[..], bytes.clone())?;
                    owned.insert(keys::owned(account, &hash), &[])?;
                    Ok::<_, sled::transaction::ConflictableTransactionError<StoreError>>(())
                },
            )
            .map_err(StoreError::from)?;
        Ok((token, session))
    }

    /// The live session named by `token`, with its account. Expired sessions and sessions of
    /// accounts that can no longer sign in are removed and resolve to nothing.
    pub fn resolve(&self, token: &str) -> Result<Option<SignedIn>, DomainError> {
        let hash = hash_token(token);
        let Some(session) = self.store.sessions.get_shared(hash)? else {
            return Ok(None);
        };
        let now = self.clock.now();
        let expired = self.expired(&session, now);
        let account = if expired {
            None
        } else {
            self.store
                .accounts
                .get_shared(keys::id(session.account))?
                .filter(|account| account.is_active())
        };
        let Some(account) = account else {
            self.remove(session.account, &hash)?;
            return Ok(None);
        };
        let mut session = Session::clone(&session);
        if now - session.last_seen_at > TOUCH_EVERY {
            session.last_seen_at = now;
            self.store.sessions.insert(hash, &session)?;
        }
        Ok(Some(SignedIn {
            token_hash: hash,
            session,
            account,
        }))
    }

    fn expired(&self, session: &Session, now: chrono::DateTime<chrono::Utc>) -> bool {
        let idle =
            chrono::TimeDelta::from_std(self.lifetimes.idle).unwrap_or(chrono::TimeDelta::MAX);
        let absolute =
            chrono::TimeDelta::from_std(self.lifetimes.absolute).unwrap_or(chrono::TimeDelta::MAX);
        now - session.last_seen_at > idle || now - session.created_at > absolute
    }

    /// Whether the session of `token_hash` still holds (not ended, not expired, its account
    /// active), without counting as a use of it: a tab left open listening to its live count
    /// must not keep a session alive past its idle timeout.
    pub fn is_live(&self, token_hash: &[u8; 32]) -> Result<bool, DomainError> {
        let Some(session) = self.store.sessions.get_shared(token_hash)? else {
            return Ok(false);
        };
        if self.expired(&session, self.clock.now()) {
            return Ok(false);
        }
        Ok(self
            .store
            .accounts
            .get_shared(keys::id(session.account))?
            .is_some_and(|account| account.is_active()))
    }

    /// Sessions in the store, expired ones not yet swept included.
    pub fn stored(&self) -> usize {
        self.store.sessions.len()
    }

    /// Ends one session.
    pub fn close(&self, signed_in: &SignedIn) -> Result<(), DomainError> {
        self.remove(signed_in.session.account, &signed_in.token_hash)
    }

    /// Ends every session of `account` (password change, deactivation).
    pub fn revoke_all(&self, account: u64) -> Result<usize, DomainError> {
        let prefix = keys::id(account);
        let mut revoked = 0;
        for entry in self.store.account_sessions.scan_prefix(prefix) {
            let (key, _) = entry.map_err(StoreError::from)?;
            self.store.sessions.remove(&key[8..])?;
            self.store
                .account_sessions
                .remove(&key)
                .map_err(StoreError::from)?;
            revoked += 1;
        }
        Ok(revoked)
    }

    fn remove(&self, account: u64, hash: &[u8; 32]) -> Result<(), DomainError> {
        self.store.sessions.remove(hash)?;
        self.store
            .account_sessions
            .remove(keys::owned(account, hash))
            .map_err(StoreError::from)?;
        Ok(())
    }
}

fn random_token(entropy: &dyn Entropy) -> String {
    let mut bytes = [0u8; 32];
    entropy.fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::password::PasswordPolicy;
    use crate::domain::accounts::profile::Profile;
    use crate::domain::accounts::tests::temp_store;
    use crate::domain::accounts::{Accounts, InitialState, NewAccount};
    use crate::domain::clock::testing::ManualClock;

    fn setup() -> (
        tempfile::TempDir,
        Arc<ManualClock>,
        Accounts,
        Sessions,
        Account,
    ) {
        let (dir, store) = temp_store();
        let clock = Arc::new(ManualClock::default());
        let accounts = Accounts::new(
            store.clone(),
            clock.clone(),
            PasswordPolicy { min_length: 8 },
        );
        let sessions = Sessions::new(
            store,
            clock.clone(),
            Lifetimes {
                idle: Duration::from_secs(30 * 60),
                absolute: Duration::from_secs(8 * 3600),
            },
        );
        let account = accounts
            .create(NewAccount {
                login: None,
                first_name: "Paul".into(),
                last_name: "Girard".into(),
                email: None,
                profile: Profile::Enseignant,
                is_admin: false,
                initial: InitialState::Active {
                    password_hash: "x".into(),
                },
                jointure: None,
                pupil: None,
                children: Vec::new(),
            })
            .expect("creates");
        (dir, clock, accounts, sessions, account)
    }

    #[test]
    fn a_session_resolves_until_it_is_idle_too_long() {
        let (_dir, clock, _accounts, sessions, account) = setup();
        let (token, _) = sessions.open(account.id).expect("opens");
        for _ in 0..3 {
            clock.advance(chrono::TimeDelta::minutes(20));
            assert!(sessions.resolve(&token).expect("resolves").is_some());
        }
        clock.advance(chrono::TimeDelta::minutes(31));
        assert!(sessions.resolve(&token).expect("resolves").is_none());
    }

    #[test]
    fn a_session_is_live_until_it_ends_and_asking_does_not_keep_it_alive() {
        let (_dir, clock, _accounts, sessions, account) = setup();
        let (token, _) = sessions.open(account.id).expect("opens");
        let signed_in = sessions.resolve(&token).expect("resolves").expect("open");
        for _ in 0..3 {
            clock.advance(chrono::TimeDelta::minutes(10));
            assert!(sessions.is_live(&signed_in.token_hash).expect("reads"));
        }
        clock.advance(chrono::TimeDelta::minutes(1));
        assert!(
            !sessions.is_live(&signed_in.token_hash).expect("reads"),
            "idle for 31 minutes: asking is no use"
        );
        let (token, _) = sessions.open(account.id).expect("opens");
        let signed_in = sessions.resolve(&token).expect("resolves").expect("open");
        sessions.close(&signed_in).expect("closes");
        assert!(!sessions.is_live(&signed_in.token_hash).expect("reads"));
    }

    #[test]
    fn a_session_ends_at_its_absolute_expiry_even_if_used() {
        let (_dir, clock, _accounts, sessions, account) = setup();
        let (token, _) = sessions.open(account.id).expect("opens");
        for _ in 0..16 {
            clock.advance(chrono::TimeDelta::minutes(29));
            assert!(sessions.resolve(&token).expect("resolves").is_some());
        }
        clock.advance(chrono::TimeDelta::minutes(29));
        assert!(sessions.resolve(&token).expect("resolves").is_none());
    }

    #[test]
    fn revoking_an_account_ends_all_its_sessions_only() {
        let (_dir, _clock, _accounts, sessions, account) = setup();
        let (first, _) = sessions.open(account.id).expect("opens");
        let (second, _) = sessions.open(account.id).expect("opens");
        let (other, _) = sessions.open(account.id + 1000).expect("opens");
        assert_eq!(sessions.revoke_all(account.id).expect("revokes"), 2);
        assert!(sessions.resolve(&first).expect("resolves").is_none());
        assert!(sessions.resolve(&second).expect("resolves").is_none());
        // The other session's account does not exist, so it does not resolve either, but it was
        // not counted among the revoked ones.
        assert!(sessions.resolve(&other).expect("resolves").is_none());
    }

    #[test]
    fn a_deactivated_account_loses_its_sessions() {
        let (_dir, _clock, accounts, sessions, mut account) = setup();
        let (token, _) = sessions.open(account.id).expect("opens");
        account.state = crate::domain::accounts::account::AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        accounts.save(&mut account).expect("saves");
        assert!(sessions.resolve(&token).expect("resolves").is_none());
    }

    #[test]
    fn an_unknown_token_resolves_to_nothing() {
        let (_dir, _clock, _accounts, sessions, _account) = setup();
        assert!(sessions.resolve("not-a-token").expect("resolves").is_none());
    }

    #[test]
    fn tokens_come_from_the_domain_entropy_and_a_seed_repeats_them() {
        use crate::domain::entropy::testing::SeededEntropy;
        // Through `Domain::with_entropy`, which must reach the sessions.
        let tokens = |seed: u64| {
            let (_dir, store) = temp_store();
            let domain = crate::domain::Domain::new(
                store,
                Arc::new(crate::config::Config::default()),
                Arc::new(ManualClock::default()),
            )
            .with_entropy(Arc::new(SeededEntropy::new(seed)));
            let (token, session) = domain.sessions().open(7).expect("opens");
            (token, session.csrf)
        };
        let (token, csrf) = tokens(3);
        assert_eq!(
            tokens(3),
            (token.clone(), csrf.clone()),
            "same seed, same tokens"
        );
        assert_ne!(token, csrf);
        assert_ne!(tokens(4).0, token);
        assert_eq!(token.len(), 43, "32 bytes, base64url without padding");
    }
}
