//! The first administrator of a new box, created by the installation page with the password
//! its author chose (the command line's `preau user create-admin` hands out a one-time one
//! instead). Only while no administrator exists: afterwards, administrators make others.

use super::account::Account;
use super::profile::Profile;
use super::{Accounts, InitialState, NewAccount};
use crate::domain::DomainError;

impl Accounts {
    /// Whether some account administers the ENT.
    pub fn has_administrator(&self) -> Result<bool, DomainError> {
        for account in self.all() {
            if account?.is_admin {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Creates the box's first administrator, active with `password`.
    pub fn create_first_admin(
        &self,
        login: &str,
        password: &str,
        confirm: &str,
    ) -> Result<Account, DomainError> {
        if self.has_administrator()? {
            return Err(DomainError::AlreadyInstalled);
        }
        let login = super::login_name::normalize(login);
        if !super::login_name::is_valid(&login) {
            return Err(DomainError::InvalidLogin(login));
        }
        if password != confirm {
            return Err(DomainError::PasswordMismatch);
        }
        self.policy()
            .check(&login, password)
            .map_err(DomainError::WeakPassword)?;
        let account = self.create(NewAccount {
            login: Some(login),
            first_name: "Administrateur".to_owned(),
            last_name: "ENT".to_owned(),
            email: None,
            profile: Profile::Administratif,
            is_admin: true,
            initial: InitialState::Active {
                password_hash: self.hash_password(password)?,
            },
            jointure: None,
            pupil: None,
            children: Vec::new(),
        })?;
        tracing::info!(login = %account.login, "first administrator created at installation");
        Ok(account)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::accounts::password::PasswordPolicy;
    use crate::domain::clock::testing::ManualClock;

    #[test]
    fn the_first_administrator_signs_in_with_the_chosen_password_and_only_once() {
        let (_dir, store) = crate::domain::accounts::tests::temp_store();
        let accounts = Accounts::new(
            store,
            Arc::new(ManualClock::default()),
            PasswordPolicy { min_length: 8 },
        );
        assert!(!accounts.has_administrator().expect("reads"));
        assert!(matches!(
            accounts.create_first_admin("direction", "un mot de passe sûr", "un autre"),
            Err(DomainError::PasswordMismatch)
        ));
        assert!(matches!(
            accounts.create_first_admin("direction", "court", "court"),
            Err(DomainError::WeakPassword(_))
        ));
        assert!(matches!(
            accounts.create_first_admin(
                "Pas valide !",
                "un mot de passe sûr",
                "un mot de passe sûr"
            ),
            Err(DomainError::InvalidLogin(_))
        ));
        assert!(
            !accounts.has_administrator().expect("reads"),
            "nothing half made"
        );
        let admin = accounts
            .create_first_admin("direction", "un mot de passe sûr", "un mot de passe sûr")
            .expect("created");
        assert!(admin.is_admin && !admin.must_change_password);
        assert_eq!(
            accounts
                .verify_credentials("direction", "un mot de passe sûr")
                .expect("signs in")
                .id,
            admin.id
        );
        assert!(matches!(
            accounts.create_first_admin("autre", "un mot de passe sûr", "un mot de passe sûr"),
            Err(DomainError::AlreadyInstalled)
        ));
    }
}
