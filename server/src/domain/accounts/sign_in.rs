//! Signing in and out, and the password operations that end or open sessions. These run argon2:
//! call them from a blocking thread.

use std::net::IpAddr;

use crate::domain::accounts::account::Account;
use crate::domain::accounts::session::Session;
use crate::domain::{Domain, DomainError};

/// A freshly opened session.
pub struct Opened {
    pub token: String,
    pub session: Session,
    pub account: Account,
}

impl Domain {
    /// Checks the credentials under throttling, then opens a session. An over-long login fails
    /// at once: no account has one, so there is nothing to hash and no login key to count by.
    pub fn sign_in(
        &self,
        login: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Opened, DomainError> {
        let Some(login) = super::login_name::typed(login) else {
            self.refuse_overlong_login(address)?;
            tracing::info!(%address, "failed sign-in with an over-long login");
            return Err(DomainError::InvalidCredentials);
        };
        self.throttle.check(&login, address)?;
        match self.accounts.verify_credentials(&login, password) {
            Ok(account) => {
                self.throttle.record_success(&login);
                self.open(account)
            }
            Err(DomainError::InvalidCredentials) => {
                self.throttle.record_failure(&login, address);
                tracing::info!(login = %login.escape_debug(), %address, "failed sign-in");
                Err(DomainError::InvalidCredentials)
            }
            Err(other) => Err(other),
        }
    }

    /// Changes the password, ends every session of the account and opens a new one for the
    /// person who made the change. A wrong current password counts as a failed sign-in, for the
    /// account and for `address`: a stolen session must not become a way to guess the password
    /// faster than the sign-in form allows.
    pub fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
        confirm: &str,
        address: IpAddr,
    ) -> Result<Opened, DomainError> {
        self.throttle.check(&account.login, address)?;
        let updated = match self
            .accounts
            .change_password(account, current, new, confirm)
        {
            Ok(updated) => updated,
            Err(DomainError::WrongCurrentPassword) => {
                self.throttle.record_failure(&account.login, address);
                tracing::info!(
                    login = %account.login,
                    %address,
                    "wrong current password on a password change"
                );
                return Err(DomainError::WrongCurrentPassword);
            }
            Err(other) => return Err(other),
        };
        self.throttle.record_success(&account.login);
        self.sessions.revoke_all(updated.id)?;
        self.open(updated)
    }

    /// Activates an account with its one-time code and signs its owner in.
    pub fn activate(
        &self,
        login: &str,
        code: &str,
        new: &str,
        confirm: &str,
        address: IpAddr,
    ) -> Result<Opened, DomainError> {
        let Some(login) = super::login_name::typed(login) else {
            self.refuse_overlong_login(address)?;
            tracing::info!(%address, "failed activation with an over-long login");
            return Err(DomainError::InvalidActivation);
        };
        self.throttle.check(&login, address)?;
        let lifetime = self.config.security.activation_code_lifetime;
        match self.accounts.activate(&login, code, new, confirm, lifetime) {
            Ok(account) => {
                tracing::info!(login = %account.login, "account activated");
                self.open(account)
            }
            Err(DomainError::InvalidActivation) => {
                self.throttle.record_failure(&login, address);
                tracing::info!(login = %login.escape_debug(), %address, "failed activation");
                Err(DomainError::InvalidActivation)
            }
            Err(DomainError::ActivationExpired) => {
                tracing::info!(login = %login.escape_debug(), "expired activation code");
                Err(DomainError::ActivationExpired)
            }
            Err(other) => Err(other),
        }
    }

    /// An attempt with an over-long login still counts against its address.
    fn refuse_overlong_login(&self, address: IpAddr) -> Result<(), DomainError> {
        self.throttle.check_address(address)?;
        self.throttle.record_address_failure(address);
        Ok(())
    }

    fn open(&self, account: Account) -> Result<Opened, DomainError> {
        let (token, session) = self.sessions.open(account.id)?;
        Ok(Opened {
            token,
            session,
            account,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::{IpAddr, Ipv4Addr};
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::config::Config;
    use crate::domain::clock::testing::ManualClock;

    const ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

    fn empty_domain(env: &[(&str, &str)]) -> (tempfile::TempDir, Domain) {
        let (dir, store) = crate::domain::accounts::tests::temp_store();
        let env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        let config = Config::load(None, env).expect("configuration");
        let domain = Domain::new(store, Arc::new(config), Arc::new(ManualClock::default()));
        (dir, domain)
    }

    #[test]
    fn an_over_long_login_fails_without_becoming_a_throttle_key_but_counts_for_its_address() {
        let (_dir, domain) = empty_domain(&[("PREAU_SECURITY_LOGIN_FAILURES_PER_ADDRESS", "3")]);
        let long = "x".repeat(101);
        for _ in 0..3 {
            assert!(matches!(
                domain.sign_in(&long, "secret", ADDRESS),
                Err(DomainError::InvalidCredentials)
            ));
        }
        assert_eq!(domain.throttle.tracked_logins(), 0);
        assert!(matches!(
            domain.sign_in(&long, "secret", ADDRESS),
            Err(DomainError::Throttled { .. })
        ));
        assert!(matches!(
            domain.activate(&long, "AAAAA", "un mot", "un mot", ADDRESS),
            Err(DomainError::Throttled { .. })
        ));
        assert_eq!(domain.throttle.tracked_logins(), 0);
    }

    /// The log as a subscriber writes it, to check what a hostile login does to it.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
        type Writer = Captured;

        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn a_login_with_line_breaks_cannot_forge_a_log_line() {
        let (_dir, domain) = empty_domain(&[]);
        let log = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .finish();
        let forged = "eve\n2026-01-01T00:00:00Z  INFO admin.demo signed in\r\u{1b}[2K";
        tracing::subscriber::with_default(subscriber, || {
            assert!(domain.sign_in(forged, "secret", ADDRESS).is_err());
            assert!(domain
                .activate(forged, "AAAAA-AAAAA", "un mot", "un mot", ADDRESS)
                .is_err());
        });
        let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("UTF-8");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains(['\r', '\u{1b}']), "{text:?}");
        assert!(text.contains("eve\\n2026"), "{text}");
    }
}
