//! Activation codes: the one-time secret of a « fiche de connexion », with which a person signs
//! in for the first time and chooses their password.
//!
//! Only a hash of the code is stored, with the moment it was issued: a copy of the store does
//! not give away the accounts that wait for activation, and a code left in a schoolbag stops
//! working after [`SecurityConfig::activation_code_lifetime`](crate::config::SecurityConfig).
//! Since nobody can read a code back, the administrator issues fresh ones whenever sheets are
//! printed, which ends the previous code of each account.

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::access::{self, Action};
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::{Domain, DomainError};
use crate::files::hex;

/// A code as stored: a salted SHA-256 of it, and when it was issued.
///
/// SHA-256 rather than argon2: a code is 15 characters drawn at random from 31, about 74 bits,
/// which no one can search offline even at billions of hashes per second (argon2 protects
/// passwords because people choose weak ones; these are not chosen). A fast hash keeps issuing
/// the codes of a whole directory import or of a class's sheets instant. The per-code salt keeps
/// one search from covering every waiting account at once. Codes of the old 10-character format,
/// hashed by the store migration to schema 5, are weaker (about 50 bits) and expire like the
/// others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationCode {
    /// 16 random bytes, lowercase hex.
    pub salt: String,
    /// SHA-256 of the salt and the normalised code, lowercase hex.
    pub hash: String,
    pub issued_at: DateTime<Utc>,
}

/// A fresh code, `XXXXX-XXXXX-XXXXX` in readable characters, to print once and never store.
pub fn new_code(rng: &mut impl Rng) -> String {
    super::password::readable_code(rng, 3)
}

/// Codes are compared without their hyphens, spaces and case, as people type them.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn digest(salt: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"preau activation code\0");
    hasher.update(salt.as_bytes());
    hasher.update(b"\0");
    hasher.update(normalize_code(code).as_bytes());
    hex(&hasher.finalize())
}

impl ActivationCode {
    /// What to store for `code`, issued at `now`.
    pub fn of(code: &str, rng: &mut impl Rng, now: DateTime<Utc>) -> Self {
        let salt = hex(&rng.gen::<[u8; 16]>());
        Self {
            hash: digest(&salt, code),
            salt,
            issued_at: now,
        }
    }

    /// Whether `typed` is this code, in constant time.
    pub fn matches(&self, typed: &str) -> bool {
        let typed = digest(&self.salt, typed);
        bool::from(subtle::ConstantTimeEq::ct_eq(
            typed.as_bytes(),
            self.hash.as_bytes(),
        ))
    }

    pub fn expires_at(&self, lifetime: std::time::Duration) -> DateTime<Utc> {
        chrono::TimeDelta::from_std(lifetime)
            .ok()
            .and_then(|lifetime| self.issued_at.checked_add_signed(lifetime))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// A code just issued: shown once, to be printed or handed over.
#[derive(Clone, Debug)]
pub struct IssuedCode {
    pub account: Account,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

impl Domain {
    /// When a code issued now would stop working.
    pub fn activation_expiry(&self, code: &ActivationCode) -> DateTime<Utc> {
        code.expires_at(self.config.security.activation_code_lifetime)
    }

    /// Gives `login`, which waits for activation, a fresh code; the previous one stops working.
    pub fn issue_activation_code(
        &self,
        viewer: &Account,
        login: &str,
        rng: &mut impl Rng,
    ) -> Result<IssuedCode, DomainError> {
        if !access::allows(viewer, Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        let account = self
            .accounts
            .by_login(login)?
            .ok_or_else(|| DomainError::UnknownLogin(login.to_owned()))?;
        let issued = self.reissue(account, rng)?;
        tracing::info!(admin = %viewer.login, login = %issued.account.login, "activation code issued");
        Ok(issued)
    }

    /// A fresh code for `account`, stored hashed.
    pub(in crate::domain) fn reissue(
        &self,
        mut account: Account,
        rng: &mut impl Rng,
    ) -> Result<IssuedCode, DomainError> {
        if !matches!(account.state, AccountState::ToActivate { .. }) {
            return Err(DomainError::NotWaitingForActivation(account.login));
        }
        let code = new_code(rng);
        let stored = ActivationCode::of(&code, rng, self.clock.now());
        let expires_at = self.activation_expiry(&stored);
        account.state = AccountState::ToActivate { code: stored };
        self.accounts.save(&mut account)?;
        Ok(IssuedCode {
            account,
            code,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::testing::DemoSchool;
    use crate::domain::clock::Clock;
    use rand::SeedableRng;

    fn rng() -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(1)
    }

    #[test]
    fn codes_are_readable_three_groups_of_five() {
        let code = new_code(&mut rng());
        assert_eq!(code.len(), 17);
        assert_eq!(code.matches('-').count(), 2);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalize_code(&code.to_lowercase()), code.replace('-', ""));
    }

    #[test]
    fn only_a_salted_hash_is_kept_and_it_matches_the_code_as_people_type_it() {
        let mut rng = rng();
        let code = "KQ7RM-T4XWZ-H8PNA";
        let stored = ActivationCode::of(code, &mut rng, Utc::now());
        let json = serde_json::to_string(&stored).expect("serialises");
        assert!(
            !json.contains("KQ7RM") && !json.contains("KQ7RMT4XWZ"),
            "{json}"
        );
        assert!(stored.matches("kq7rm t4xwz h8pna"));
        assert!(!stored.matches("KQ7RM-T4XWZ-H8PNB"));
        let again = ActivationCode::of(code, &mut rng, Utc::now());
        assert_ne!(stored.hash, again.hash, "each code has its own salt");
    }

    #[test]
    fn a_code_expires_its_lifetime_after_it_was_issued() {
        let issued_at = DateTime::<Utc>::UNIX_EPOCH;
        let stored = ActivationCode::of("AAAAA", &mut rng(), issued_at);
        let lifetime = std::time::Duration::from_secs(90 * 86_400);
        assert_eq!(
            stored.expires_at(lifetime),
            issued_at + chrono::TimeDelta::days(90)
        );
        assert_eq!(
            stored.expires_at(std::time::Duration::MAX),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn only_an_administrator_issues_a_code_and_only_for_an_account_waiting_for_activation() {
        let school = DemoSchool::new();
        let domain = &school.domain;
        let admin = school.account("admin.demo");
        let waiting = domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .find(|a| matches!(a.state, AccountState::ToActivate { .. }))
            .expect("a 3C parent waits for activation");
        let teacher = school.account("enseignant.demo");
        assert!(matches!(
            domain.issue_activation_code(&teacher, &waiting.login, &mut rng()),
            Err(DomainError::Forbidden)
        ));
        assert!(matches!(
            domain.issue_activation_code(&admin, "eleve.demo", &mut rng()),
            Err(DomainError::NotWaitingForActivation(_))
        ));
        assert!(matches!(
            domain.issue_activation_code(&admin, "personne.inconnue", &mut rng()),
            Err(DomainError::UnknownLogin(_))
        ));
        let first = domain
            .issue_activation_code(&admin, &waiting.login, &mut rng())
            .expect("issued");
        assert_eq!(
            first.expires_at,
            school.clock.now() + chrono::TimeDelta::days(90)
        );
        let second = domain
            .issue_activation_code(&admin, &waiting.login, &mut rand::rngs::OsRng)
            .expect("issued again");
        let stored = domain
            .accounts
            .get(waiting.id)
            .expect("reads")
            .expect("kept");
        let AccountState::ToActivate { code } = &stored.state else {
            panic!("still waiting: {:?}", stored.state);
        };
        assert!(code.matches(&second.code));
        assert!(
            !code.matches(&first.code),
            "the previous code stops working"
        );
    }
}
