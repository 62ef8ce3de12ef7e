//! Account storage and the rules around logins and passwords.

pub mod account;
pub mod activation;
pub mod census;
mod first_admin;
pub mod login_name;
pub mod me;
pub mod password;
pub mod profile;
pub mod session;
pub mod sessions;
pub mod sign_in;
pub mod throttle;

use std::sync::Arc;

use rand::{CryptoRng, Rng};

use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;

use crate::domain::access::{self, Action, Actor};
use crate::domain::accounts::account::{Account, AccountState, ChildLink, Schooling};
use crate::domain::accounts::activation::ActivationCode;
use crate::domain::accounts::profile::Profile;
use crate::domain::clock::Clock;
use crate::domain::entropy::{Entropy, SystemEntropy};
use crate::domain::tables::Tables;
use crate::domain::{Domain, DomainError};
use crate::store::{codec, keys, StoreError};
use password::{PasswordPolicy, PasswordProblem};

#[derive(Clone)]
pub struct Accounts {
    store: Tables,
    clock: Arc<dyn Clock>,
    pub(in crate::domain) entropy: Arc<dyn Entropy>,
    policy: PasswordPolicy,
}

/// What it takes to create an account.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// A fixed login (demo and admin accounts); otherwise one is generated from the name.
    pub login: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub profile: Profile,
    pub is_admin: bool,
    pub initial: InitialState,
    pub jointure: Option<String>,
    pub pupil: Option<Schooling>,
    pub children: Vec<ChildLink>,
}

#[derive(Clone, Debug)]
pub enum InitialState {
    /// Active with this password hash.
    Active { password_hash: String },
    /// Active with a one-time password that must be changed at first sign-in.
    OneTimePassword { password_hash: String },
    /// Waiting for activation with this code.
    ToActivate { code: ActivationCode },
}

impl Accounts {
    /// Accounts whose password salts come from the system's generator
    /// ([`super::Domain::with_entropy`] changes it).
    pub fn new(store: Tables, clock: Arc<dyn Clock>, policy: PasswordPolicy) -> Self {
        Self {
            store,
            clock,
            entropy: Arc::new(SystemEntropy),
            policy,
        }
    }

    /// The PHC hash of `password`, salted from this domain's entropy.
    pub fn hash_password(&self, password: &str) -> Result<String, DomainError> {
        password::hash(password, self.entropy.as_ref())
    }

    pub fn policy(&self) -> PasswordPolicy {
        self.policy
    }

    pub fn get(&self, id: u64) -> Result<Option<Account>, DomainError> {
        Ok(self.store.accounts.get(keys::id(id))?)
    }

    /// The account with `id`, shared: for reads on hot paths (every request, every page).
    pub fn get_shared(&self, id: u64) -> Result<Option<Arc<Account>>, DomainError> {
        Ok(self.store.accounts.get_shared(keys::id(id))?)
    }

    pub fn by_login(&self, login: &str) -> Result<Option<Account>, DomainError> {
        let login = login_name::normalize(login);
        self.through(&self.store.logins, login.as_bytes())
    }

    /// The account an index (`logins`, `jointures`) names under `key`.
    fn through(&self, index: &sled::Tree, key: &[u8]) -> Result<Option<Account>, DomainError> {
        let id = index.get(key).map_err(StoreError::from)?;
        match id.as_deref().and_then(keys::parse_id) {
            Some(id) => self.get(id),
            None => Ok(None),
        }
    }

    /// Every account, in id order.
    pub fn all(&self) -> impl Iterator<Item = Result<Account, DomainError>> + '_ {
        self.store
            .accounts
            .values()
            .map(|account| account.map_err(DomainError::from))
    }

    /// Every account, shared and decoded at most once for the same bytes (see
    /// [`Accounts::get_shared`]): for the messagerie, which reads the whole directory to check
    /// who may write to whom.
    pub fn all_shared(&self) -> Result<Vec<Arc<Account>>, DomainError> {
        let mut all = Vec::with_capacity(self.store.accounts.len());
        for key in self.store.accounts.tree().iter().keys() {
            let key = key.map_err(StoreError::from)?;
            if let Some(account) = self.store.accounts.get_shared(&key)? {
                all.push(account);
            }
        }
        Ok(all)
    }

    /// Stores a new account under a free login, atomically with its login index entry.
    pub fn create(&self, new: NewAccount) -> Result<Account, DomainError> {
        let base = match &new.login {
            Some(fixed) => {
                let fixed = login_name::normalize(fixed);
                if !login_name::is_valid(&fixed) {
                    return Err(DomainError::InvalidLogin(fixed));
                }
                fixed
            }
            None => login_name::base_login(&new.first_name, &new.last_name),
        };
        let now = self.clock.now();
        let id = self.store.next_id()?;
        let (state, password_hash, must_change_password, password_changed_at) = match new.initial {
            InitialState::Active { password_hash } => {
                (AccountState::Active, Some(password_hash), false, Some(now))
            }
            InitialState::OneTimePassword { password_hash } => {
                (AccountState::Active, Some(password_hash), true, Some(now))
            }
            InitialState::ToActivate { code } => {
                (AccountState::ToActivate { code }, None, false, None)
            }
        };
        let mut account = Account {
            id,
            login: base.clone(),
            first_name: new.first_name,
            last_name: new.last_name,
            email: new.email,
            profile: new.profile,
            is_admin: new.is_admin,
            state,
            password_hash,
            must_change_password,
            jointure: new.jointure,
            pupil: new.pupil,
            children: new.children,
            created_at: now,
            updated_at: now,
            password_changed_at,
        };
        let fixed = new.login.is_some();
        let trees = (
            self.store.accounts.tree(),
            &self.store.logins,
            &self.store.jointures,
        );
        let login = trees.transaction(
            |(accounts, logins, jointures): &(
                TransactionalTree,
                TransactionalTree,
                TransactionalTree,
            )| {
                let login = if fixed {
                    if logins.get(base.as_bytes())?.is_some() {
                        return abort(DomainError::LoginTaken(base.clone()));
                    }
                    base.clone()
                } else {
                    free_login(logins, &base)?
                };
                if let Some(jointure) = &account.jointure {
                    if jointures.get(jointure.as_bytes())?.is_some() {
                        return abort(DomainError::JointureTaken(jointure.clone()));
                    }
                    jointures.insert(jointure.as_bytes(), &keys::id(id))?;
                }
                let mut stored = account.clone();
                stored.login = login.clone();
                let bytes = codec::encode(&stored)
                    .map_err(|e| ConflictableTransactionError::Abort(DomainError::from(e)))?;
                accounts.insert(&keys::id(id), bytes)?;
                logins.insert(login.as_bytes(), &keys::id(id))?;
                Ok(login)
            },
        );
        account.login = login.map_err(from_transaction)?;
        Ok(account)
    }

    /// The account that came from the directory under `jointure`.
    pub fn by_jointure(&self, jointure: &str) -> Result<Option<Account>, DomainError> {
        self.through(&self.store.jointures, jointure.as_bytes())
    }

    /// Writes back an account whose login did not change, keeping the jointure index in step.
    pub fn save(&self, account: &mut Account) -> Result<(), DomainError> {
        account.updated_at = self.clock.now();
        let bytes = codec::encode(&*account)?;
        let id = keys::id(account.id);
        let jointure = account.jointure.clone();
        (self.store.accounts.tree(), &self.store.jointures)
            .transaction(
                |(accounts, jointures): &(TransactionalTree, TransactionalTree)| {
                    let previous = match accounts.get(id)? {
                        Some(old) => {
                            codec::decode::<Account>("accounts", &old)
                                .map_err(|e| {
                                    ConflictableTransactionError::Abort(DomainError::from(e))
                                })?
                                .jointure
                        }
                        None => None,
                    };
                    if previous != jointure {
                        if let Some(new) = &jointure {
                            if jointures.get(new.as_bytes())?.is_some() {
                                return abort(DomainError::JointureTaken(new.clone()));
                            }
                            jointures.insert(new.as_bytes(), &id)?;
                        }
                        if let Some(old) = &previous {
                            jointures.remove(old.as_bytes())?;
                        }
                    }
                    accounts.insert(&id, bytes.clone())?;
                    Ok(())
                },
            )
            .map_err(from_transaction)
    }

    /// Checks a login and password. Unknown logins cost the same time as wrong passwords.
    pub fn verify_credentials(&self, login: &str, password: &str) -> Result<Account, DomainError> {
        let Some(account) = self.by_login(login)? else {
            password::verify_nothing(password);
            return Err(DomainError::InvalidCredentials);
        };
        let Some(hash) = account.password_hash.as_deref() else {
            password::verify_nothing(password);
            return Err(DomainError::InvalidCredentials);
        };
        if !password::verify(password, hash) || !account.is_active() {
            return Err(DomainError::InvalidCredentials);
        }
        Ok(account)
    }

    /// Replaces the password of `account` after checking the current one and the policy.
    pub fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<Account, DomainError> {
        let hash = account.password_hash.as_deref().unwrap_or_default();
        if !password::verify(current, hash) {
            return Err(DomainError::WrongCurrentPassword);
        }
        if new != confirm {
            return Err(DomainError::PasswordMismatch);
        }
        if new == current {
            return Err(DomainError::WeakPassword(PasswordProblem::Unchanged));
        }
        self.policy
            .check(&account.login, new)
            .map_err(DomainError::WeakPassword)?;
        let mut updated = account.clone();
        updated.password_hash = Some(self.hash_password(new)?);
        updated.must_change_password = false;
        updated.password_changed_at = Some(self.clock.now());
        self.save(&mut updated)?;
        Ok(updated)
    }

    /// First sign-in: the activation code of the « fiche de connexion », issued less than
    /// `lifetime` ago, and a chosen password. An expired code says so only once it is right, so
    /// that guessing learns nothing from it.
    pub fn activate(
        &self,
        login: &str,
        code: &str,
        new: &str,
        confirm: &str,
        lifetime: std::time::Duration,
    ) -> Result<Account, DomainError> {
        let account = self
            .by_login(login)?
            .ok_or(DomainError::InvalidActivation)?;
        let AccountState::ToActivate { code: expected } = &account.state else {
            return Err(DomainError::InvalidActivation);
        };
        if !expected.matches(code) {
            return Err(DomainError::InvalidActivation);
        }
        if expected.expires_at(lifetime) <= self.clock.now() {
            return Err(DomainError::ActivationExpired);
        }
        if new != confirm {
            return Err(DomainError::PasswordMismatch);
        }
        self.policy
            .check(&account.login, new)
            .map_err(DomainError::WeakPassword)?;
        let mut updated = account;
        updated.state = AccountState::Active;
        updated.password_hash = Some(self.hash_password(new)?);
        updated.must_change_password = false;
        updated.password_changed_at = Some(self.clock.now());
        self.save(&mut updated)?;
        Ok(updated)
    }

    /// Gives `login` a fresh one-time password to change at next sign-in; activates the account.
    /// Callers end its sessions: [`Domain::reset_password`].
    fn reset_password(
        &self,
        login: &str,
        rng: &mut (impl Rng + CryptoRng),
    ) -> Result<(Account, String), DomainError> {
        let mut account = self
            .by_login(login)?
            .ok_or_else(|| DomainError::UnknownLogin(login.to_owned()))?;
        let secret = password::one_time_code(rng);
        account.password_hash = Some(self.hash_password(&secret)?);
        account.state = AccountState::Active;
        account.must_change_password = true;
        account.password_changed_at = Some(self.clock.now());
        self.save(&mut account)?;
        Ok((account, secret))
    }

    /// Creates an administrator with a one-time password, or makes an existing account one.
    fn create_admin(
        &self,
        login: &str,
        rng: &mut (impl Rng + CryptoRng),
    ) -> Result<(Account, String), DomainError> {
        if let Some(mut existing) = self.by_login(login)? {
            existing.is_admin = true;
            self.save(&mut existing)?;
            return self.reset_password(&existing.login, rng);
        }
        let secret = password::one_time_code(rng);
        let account = self.create(NewAccount {
            login: Some(login.to_owned()),
            first_name: "Administrateur".to_owned(),
            last_name: "ENT".to_owned(),
            email: None,
            profile: Profile::Administratif,
            is_admin: true,
            initial: InitialState::OneTimePassword {
                password_hash: self.hash_password(&secret)?,
            },
            jointure: None,
            pupil: None,
            children: Vec::new(),
        })?;
        Ok((account, secret))
    }
}

impl Domain {
    /// Gives `login` a fresh one-time password drawn from `rng` and ends all its sessions: for
    /// administrators and the command line.
    pub fn reset_password(
        &self,
        actor: Actor,
        login: &str,
        rng: &mut (impl Rng + CryptoRng),
    ) -> Result<(Account, String), DomainError> {
        self.hand_out_password(actor, "password reset", |accounts| {
            accounts.reset_password(login, rng)
        })
    }

    /// Creates an ENT administrator with a one-time password drawn from `rng`, or makes an
    /// existing account one (then as [`Domain::reset_password`]).
    pub fn create_admin(
        &self,
        actor: Actor,
        login: &str,
        rng: &mut (impl Rng + CryptoRng),
    ) -> Result<(Account, String), DomainError> {
        self.hand_out_password(actor, "administrator created", |accounts| {
            accounts.create_admin(login, rng)
        })
    }

    /// Runs `give` (which hands an account a one-time password) for an administrator or the
    /// appliance, then ends the account's sessions and logs `what` with who did it.
    fn hand_out_password(
        &self,
        actor: Actor,
        what: &'static str,
        give: impl FnOnce(&Accounts) -> Result<(Account, String), DomainError>,
    ) -> Result<(Account, String), DomainError> {
        if !access::actor_allows(actor, Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        let given = give(&self.accounts)?;
        self.sessions.revoke_all(given.0.id)?;
        tracing::info!(by = %actor.login(), login = %given.0.login, "{what}");
        Ok(given)
    }
}

/// The first free login for `base` (`base`, `base2`, `base3`…), read inside a transaction so that
/// two creations cannot take the same one.
pub(crate) fn free_login(
    logins: &TransactionalTree,
    base: &str,
) -> Result<String, sled::transaction::UnabortableTransactionError> {
    let mut failure = None;
    let login =
        login_name::unique_login(base, |candidate| match logins.get(candidate.as_bytes()) {
            Ok(found) => found.is_some(),
            Err(error) => {
                failure = Some(error);
                // Stop the search at once: the error is returned below.
                false
            }
        });
    match failure {
        Some(error) => Err(error),
        None => Ok(login),
    }
}

fn abort<T>(error: DomainError) -> Result<T, ConflictableTransactionError<DomainError>> {
    Err(ConflictableTransactionError::Abort(error))
}

fn from_transaction(error: sled::transaction::TransactionError<DomainError>) -> DomainError {
    match error {
        sled::transaction::TransactionError::Abort(error) => error,
        sled::transaction::TransactionError::Storage(error) => StoreError::from(error).into(),
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::domain::clock::testing::ManualClock;

    pub fn temp_store() -> (tempfile::TempDir, Tables) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Tables::open(dir.path(), 16 << 20).expect("store opens");
        (dir, store)
    }

    fn accounts(store: &Tables) -> Accounts {
        accounts_at(store, Arc::new(ManualClock::default()))
    }

    fn accounts_at(store: &Tables, clock: Arc<ManualClock>) -> Accounts {
        Accounts::new(store.clone(), clock, PasswordPolicy { min_length: 8 })
    }

    /// A code issued at the manual clock's start.
    fn waiting(code: &str) -> InitialState {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        InitialState::ToActivate {
            code: ActivationCode::of(code, &mut rng, ManualClock::default().now()),
        }
    }

    const LIFETIME: std::time::Duration = std::time::Duration::from_secs(90 * 86_400);

    fn pupil(first: &str, last: &str, initial: InitialState) -> NewAccount {
        NewAccount {
            login: None,
            first_name: first.into(),
            last_name: last.into(),
            email: None,
            profile: Profile::Eleve,
            is_admin: false,
            initial,
            jointure: None,
            pupil: None,
            children: Vec::new(),
        }
    }

    #[test]
    fn homonyms_get_distinct_logins_and_both_are_found() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        let code = waiting("AAAAA-BBBBB");
        let first = accounts
            .create(pupil("Emma", "Martin", code.clone()))
            .expect("creates");
        let second = accounts
            .create(pupil("Emma", "MARTIN", code))
            .expect("creates");
        assert_eq!(first.login, "emma.martin");
        assert_eq!(second.login, "emma.martin2");
        assert_eq!(
            accounts
                .by_login("Emma.Martin2")
                .expect("reads")
                .map(|a| a.id),
            Some(second.id)
        );
    }

    #[test]
    fn a_person_is_found_by_jointure_after_a_rename_and_a_jointure_is_unique() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        let mut new = pupil("Emma", "Martin", waiting("X"));
        new.jointure = Some("3000006".into());
        let mut emma = accounts.create(new.clone()).expect("creates");
        emma.last_name = "Martin-Roux".into();
        accounts.save(&mut emma).expect("saves");
        let found = accounts
            .by_jointure("3000006")
            .expect("reads")
            .expect("found");
        assert_eq!(
            (found.id, found.last_name.as_str()),
            (emma.id, "Martin-Roux")
        );
        assert!(matches!(
            accounts.create(new),
            Err(DomainError::JointureTaken(_))
        ));
        assert_eq!(
            store.logins.len(),
            1,
            "the refused account left no login behind"
        );
        emma.jointure = Some("3000099".into());
        accounts.save(&mut emma).expect("saves");
        assert!(accounts.by_jointure("3000006").expect("reads").is_none());
        assert_eq!(
            accounts
                .by_jointure("3000099")
                .expect("reads")
                .map(|a| a.id),
            Some(emma.id)
        );
    }

    #[test]
    fn a_fixed_login_cannot_be_taken_twice() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        accounts
            .create_admin("admin.college", &mut rand::rngs::OsRng)
            .expect("creates");
        let mut again = pupil("A", "B", waiting("X"));
        again.login = Some("admin.college".into());
        assert!(matches!(
            accounts.create(again),
            Err(DomainError::LoginTaken(_))
        ));
    }

    #[test]
    fn activation_needs_the_right_code_and_a_valid_password() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        let code = "KQ7RM-T4XWZ-H8PNA".to_owned();
        let account = accounts
            .create(pupil("Inès", "Da Silva", waiting(&code)))
            .expect("creates");
        assert!(matches!(
            accounts.verify_credentials(&account.login, "anything"),
            Err(DomainError::InvalidCredentials)
        ));
        let activate = |typed: &str, password: &str| {
            accounts.activate(&account.login, typed, password, password, LIFETIME)
        };
        assert!(matches!(
            activate("KQ7RM-T4XWZ-H8PNB", "un bon mot"),
            Err(DomainError::InvalidActivation)
        ));
        assert!(matches!(
            activate("kq7rmt4xwzh8pna", "court"),
            Err(DomainError::WeakPassword(PasswordProblem::TooShort(8)))
        ));
        let active = activate("kq7rm t4xwz h8pna", "un bon mot").expect("activates");
        assert!(active.is_active());
        assert!(accounts
            .verify_credentials(&account.login, "un bon mot")
            .is_ok());
        assert!(matches!(
            activate(&code, "un autre mot"),
            Err(DomainError::InvalidActivation)
        ));
    }

    #[test]
    fn an_expired_code_is_refused_as_expired_only_when_it_is_the_right_one() {
        let (_dir, store) = temp_store();
        let clock = Arc::new(ManualClock::default());
        let accounts = accounts_at(&store, clock.clone());
        let account = accounts
            .create(pupil("Inès", "Da Silva", waiting("KQ7RM-T4XWZ-H8PNA")))
            .expect("creates");
        clock.advance(chrono::TimeDelta::days(90));
        let activate = |typed: &str| {
            accounts.activate(&account.login, typed, "un bon mot", "un bon mot", LIFETIME)
        };
        assert!(matches!(
            activate("KQ7RM-T4XWZ-H8PNA"),
            Err(DomainError::ActivationExpired)
        ));
        assert!(matches!(
            activate("AAAAA-AAAAA-AAAAA"),
            Err(DomainError::InvalidActivation)
        ));
        clock.advance(chrono::TimeDelta::days(-1));
        assert!(
            activate("KQ7RM-T4XWZ-H8PNA").is_ok(),
            "still valid a day earlier"
        );
    }

    #[test]
    fn a_one_time_password_must_be_changed_and_the_change_checks_the_current_one() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        let (admin, secret) = accounts
            .create_admin("admin.college", &mut rand::rngs::OsRng)
            .expect("creates");
        assert!(admin.must_change_password);
        let signed_in = accounts
            .verify_credentials("admin.college", &secret)
            .expect("signs in");
        assert!(matches!(
            accounts.change_password(&signed_in, "wrong", "nouveau secret", "nouveau secret"),
            Err(DomainError::WrongCurrentPassword)
        ));
        assert!(matches!(
            accounts.change_password(&signed_in, &secret, "nouveau secret", "nouveau secrez"),
            Err(DomainError::PasswordMismatch)
        ));
        let changed = accounts
            .change_password(&signed_in, &secret, "nouveau secret", "nouveau secret")
            .expect("changes");
        assert!(!changed.must_change_password);
        assert!(accounts
            .verify_credentials("admin.college", &secret)
            .is_err());
        assert!(accounts
            .verify_credentials("admin.college", "nouveau secret")
            .is_ok());
    }

    #[test]
    fn a_deactivated_account_cannot_sign_in_even_with_its_password() {
        let (_dir, store) = temp_store();
        let accounts = accounts(&store);
        let hash = accounts.hash_password("mot de passe").expect("hashes");
        let mut account = accounts
            .create(pupil(
                "Léo",
                "Roux",
                InitialState::Active {
                    password_hash: hash,
                },
            ))
            .expect("creates");
        assert!(accounts
            .verify_credentials("leo.roux", "mot de passe")
            .is_ok());
        account.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        accounts.save(&mut account).expect("saves");
        assert!(matches!(
            accounts.verify_credentials("leo.roux", "mot de passe"),
            Err(DomainError::InvalidCredentials)
        ));
    }

    #[test]
    fn only_administrators_and_the_appliance_reset_a_password() {
        use rand::SeedableRng;
        let school = crate::demo::testing::DemoSchool::new();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let before = school.account("eleve.demo");
        for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
            let person = school.account(login);
            let refused =
                school
                    .domain
                    .reset_password(Actor::Person(&person), "eleve.demo", &mut rng);
            assert!(matches!(refused, Err(DomainError::Forbidden)), "{login}");
        }
        assert_eq!(school.account("eleve.demo"), before, "nothing changed");

        let admin = school.account("admin.demo");
        let (account, secret) = school
            .domain
            .reset_password(Actor::Person(&admin), "eleve.demo", &mut rng)
            .expect("an administrator resets");
        assert!(account.must_change_password);
        let (_, again) = school
            .domain
            .reset_password(Actor::System, "eleve.demo", &mut rng)
            .expect("the command line resets");
        assert_ne!(secret, again);
        assert!(school
            .domain
            .accounts
            .verify_credentials("eleve.demo", &again)
            .is_ok());
    }
}
