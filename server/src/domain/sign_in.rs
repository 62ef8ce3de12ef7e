//! Signing in and out, and the password operations that end or open sessions. These run argon2:
//! call them from a blocking thread.

use std::net::IpAddr;

use super::account::Account;
use super::session::Session;
use super::{Domain, DomainError};

/// A freshly opened session.
pub struct Opened {
    pub token: String,
    pub session: Session,
    pub account: Account,
}

impl Domain {
    /// Checks the credentials under throttling, then opens a session.
    pub fn sign_in(
        &self,
        login: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Opened, DomainError> {
        let login = super::login_name::normalize(login);
        self.throttle.check(&login, address)?;
        match self.accounts.verify_credentials(&login, password) {
            Ok(account) => {
                self.throttle.record_success(&login);
                self.open(account)
            }
            Err(DomainError::InvalidCredentials) => {
                self.throttle.record_failure(&login, address);
                tracing::info!(login = %login, %address, "failed sign-in");
                Err(DomainError::InvalidCredentials)
            }
            Err(other) => Err(other),
        }
    }

    /// Changes the password, ends every session of the account and opens a new one for the
    /// person who made the change.
    pub fn change_password(
        &self,
        account: &Account,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<Opened, DomainError> {
        let updated = self
            .accounts
            .change_password(account, current, new, confirm)?;
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
        let login = super::login_name::normalize(login);
        self.throttle.check(&login, address)?;
        match self.accounts.activate(&login, code, new, confirm) {
            Ok(account) => self.open(account),
            Err(DomainError::InvalidActivation) => {
                self.throttle.record_failure(&login, address);
                Err(DomainError::InvalidActivation)
            }
            Err(other) => Err(other),
        }
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
