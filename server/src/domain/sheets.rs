//! « Fiches de connexion »: the login and one-time activation code of each account of a class
//! that still waits for activation, for the administrator to print and teachers to hand out.

use super::access::{self, Action};
use super::account::{Account, AccountState};
use super::profile::Profile;
use super::{Domain, DomainError};

/// Who the sheets are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Pupils,
    /// The parents of the class's pupils (one sheet per parent, naming their child).
    Parents,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetLine {
    pub name: String,
    /// The child, for a parent's sheet.
    pub child: Option<String>,
    pub login: String,
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSheets {
    pub class_label: String,
    pub sheets: Vec<SheetLine>,
    /// Accounts of that audience already activated: no sheet for them.
    pub already_active: usize,
}

impl Domain {
    pub fn connection_sheets(
        &self,
        viewer: &Account,
        class: &str,
        audience: Audience,
    ) -> Result<ClassSheets, DomainError> {
        if !access::allows(viewer, Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        let establishment = self.establishment()?;
        let class_label = establishment
            .class(class)
            .map(|c| c.label.clone())
            .ok_or_else(|| DomainError::UnknownClass(class.to_owned()))?;
        let accounts: Vec<Account> = self.accounts.all().collect::<Result<_, _>>()?;
        let mut pupils: Vec<&Account> = accounts
            .iter()
            .filter(|a| a.profile == Profile::Eleve && a.class() == Some(class))
            .filter(|a| !matches!(a.state, AccountState::Deactivated { .. }))
            .collect();
        pupils.sort_by_key(|a| (a.last_name.to_lowercase(), a.first_name.to_lowercase()));
        let mut sheets = Vec::new();
        let mut already_active = 0;
        let mut add = |account: &Account, child: Option<String>| match &account.state {
            AccountState::ToActivate { code } => sheets.push(SheetLine {
                name: account.display_name(),
                child,
                login: account.login.clone(),
                code: code.clone(),
            }),
            AccountState::Active => already_active += 1,
            AccountState::Deactivated { .. } => {}
        };
        match audience {
            Audience::Pupils => pupils.iter().for_each(|pupil| add(pupil, None)),
            Audience::Parents => {
                for pupil in &pupils {
                    for parent in accounts.iter().filter(|a| a.is_parent_of(pupil.id)) {
                        add(parent, Some(pupil.display_name()));
                    }
                }
            }
        }
        Ok(ClassSheets {
            class_label,
            sheets,
            already_active,
        })
    }
}
