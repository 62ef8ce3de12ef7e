//! Password hashing (argon2id) and the rules a new password must follow.

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use rand::Rng;
use std::sync::{Condvar, Mutex, PoisonError};

use crate::domain::entropy::{Entropy, SystemEntropy};
use crate::domain::DomainError;

#[derive(Clone, Copy, Debug)]
pub struct PasswordPolicy {
    pub min_length: usize,
}

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("shorter than {0} characters")]
    TooShort(usize),
    #[error("longer than {MAX_LENGTH} characters")]
    TooLong,
    #[error("same as the login")]
    SameAsLogin,
    #[error("same as the current password")]
    Unchanged,
}

/// Long enough for any passphrase, short enough that hashing cannot be used to exhaust the box.
pub const MAX_LENGTH: usize = 256;

impl PasswordPolicy {
    pub fn check(&self, login: &str, password: &str) -> Result<(), PasswordProblem> {
        let length = password.chars().count();
        if length < self.min_length {
            return Err(PasswordProblem::TooShort(self.min_length));
        }
        if length > MAX_LENGTH {
            return Err(PasswordProblem::TooLong);
        }
        if password.trim().eq_ignore_ascii_case(login) {
            return Err(PasswordProblem::SameAsLogin);
        }
        Ok(())
    }
}

/// At most this many argon2 computations at once. Each takes 19 MiB (argon2's default memory
/// cost) and a core for its whole run: more at once would only share the two cores of the box
/// while holding their memory (a burst of sign-ins on 4 blocking threads took 76 MiB).
const CONCURRENT_HASHES: usize = 2;

static BUSY: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// One of the [`CONCURRENT_HASHES`] places, given back when dropped (even by a panic).
struct HashingSlot;

impl HashingSlot {
    fn wait() -> HashingSlot {
        let mut busy = BUSY.lock().unwrap_or_else(PoisonError::into_inner);
        while *busy >= CONCURRENT_HASHES {
            busy = FREED.wait(busy).unwrap_or_else(PoisonError::into_inner);
        }
        *busy += 1;
        HashingSlot
    }
}

impl Drop for HashingSlot {
    fn drop(&mut self) {
        let mut busy = BUSY.lock().unwrap_or_else(PoisonError::into_inner);
        *busy = busy.saturating_sub(1);
        FREED.notify_one();
    }
}

/// The PHC string of `password`, salted with 16 bytes of `entropy`.
pub fn hash(password: &str, entropy: &dyn Entropy) -> Result<String, DomainError> {
    let mut salt = [0u8; 16];
    entropy.fill(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(DomainError::Hashing)?;
    let _slot = HashingSlot::wait();
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(DomainError::Hashing)
}

/// Constant-time check of `password` against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => {
            let _slot = HashingSlot::wait();
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        }
        Err(_) => false,
    }
}

/// Burns the time of one verification, so that an unknown login answers as slowly as a known one.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(dummy) = DUMMY.get_or_init(|| hash("préau: no such account", &SystemEntropy).ok())
    {
        let _ = verify(password, dummy);
    }
}

/// A one-time password that people can read off paper and type: 10 characters, `XXXXX-XXXXX`,
/// stored as an argon2 hash like any password and changed at first sign-in.
pub fn one_time_code(rng: &mut impl Rng) -> String {
    readable_code(rng, 2)
}

/// `groups` groups of 5 characters from an alphabet of 31 without look-alikes (no 0/O, 1/I/L),
/// joined by hyphens: about 24.8 bits per group.
pub fn readable_code(rng: &mut impl Rng, groups: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut code = String::with_capacity(groups * 6);
    for i in 0..groups * 5 {
        if i > 0 && i % 5 == 0 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_more_than_two_hashes_run_at_once() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let first = HashingSlot::wait();
        let second = HashingSlot::wait();
        let third_started = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&third_started);
        let third = std::thread::spawn(move || {
            let _slot = HashingSlot::wait();
            flag.store(true, Ordering::SeqCst);
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            !third_started.load(Ordering::SeqCst),
            "a third hash ran beside two"
        );
        drop(first);
        third.join().expect("the third hash ends");
        assert!(third_started.load(Ordering::SeqCst));
        drop(second);
    }
    use rand::SeedableRng;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("cartable rouge", &SystemEntropy).expect("hashes");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("cartable rouge", &stored));
        assert!(!verify("cartable bleu", &stored));
        assert!(!verify("cartable rouge", "not a hash"));
    }

    #[test]
    fn the_policy_refuses_short_long_and_login_passwords() {
        let policy = PasswordPolicy { min_length: 8 };
        assert_eq!(
            policy.check("emma.martin", "court"),
            Err(PasswordProblem::TooShort(8))
        );
        assert_eq!(
            policy.check("emma.martin", &"x".repeat(300)),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            policy.check("emma.martin", "Emma.Martin"),
            Err(PasswordProblem::SameAsLogin)
        );
        assert_eq!(policy.check("emma.martin", "préau à la récré"), Ok(()));
    }

    #[test]
    fn one_time_passwords_are_readable() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let code = one_time_code(&mut rng);
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
    }
}
