//! « Fiches de connexion »: the login and activation code of each account of a class that still
//! waits for activation, for the administrator to print and teachers to hand out.
//!
//! Codes are kept hashed, so a sheet cannot be printed twice: printing issues fresh codes, and
//! the codes of sheets printed before stop working.

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::domain::access::{self, Action};
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::{Domain, DomainError};

/// Who the sheets are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Pupils,
    /// The parents of the class's pupils (one sheet per parent, naming their children).
    Parents,
    Both,
}

impl Audience {
    fn pupils(self) -> bool {
        matches!(self, Audience::Pupils | Audience::Both)
    }

    fn parents(self) -> bool {
        matches!(self, Audience::Parents | Audience::Both)
    }
}

/// How many accounts of a class wait for activation, before sheets are printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetsSummary {
    pub class_label: String,
    pub pupils_waiting: usize,
    pub parents_waiting: usize,
    /// Pupils and parents of the class already activated: no sheet for them.
    pub already_active: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetLine {
    pub name: String,
    /// The children in the class, for a parent's sheet.
    pub children: Vec<String>,
    pub login: String,
    /// The fresh code, shown on this sheet only.
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSheets {
    pub class_label: String,
    pub sheets: Vec<SheetLine>,
    /// When the codes printed stop working (none when there was nothing to print).
    pub expires_at: Option<DateTime<Utc>>,
}

/// A class's pupils (present, by name) and their parents (each once, with their children in the
/// class), as read for the sheets.
struct Families {
    class_label: String,
    pupils: Vec<Account>,
    parents: Vec<(Account, Vec<String>)>,
}

impl Domain {
    fn families(&self, viewer: &Account, class: &str) -> Result<Families, DomainError> {
        if !access::allows(viewer, Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        let class_label = self
            .establishment()?
            .class(class)
            .map(|c| c.label.clone())
            .ok_or_else(|| DomainError::UnknownClass(class.to_owned()))?;
        let accounts: Vec<Account> = self.accounts.all().collect::<Result<_, _>>()?;
        let mut pupils: Vec<Account> = accounts
            .iter()
            .filter(|a| a.profile == Profile::Eleve && a.class() == Some(class))
            .filter(|a| !matches!(a.state, AccountState::Deactivated { .. }))
            .cloned()
            .collect();
        pupils.sort_by_key(|a| (a.last_name.to_lowercase(), a.first_name.to_lowercase()));
        // A parent of two pupils of the class gets one sheet: a second would end the first code.
        let mut parents: Vec<(Account, Vec<String>)> = Vec::new();
        for pupil in &pupils {
            for parent in accounts.iter().filter(|a| a.is_parent_of(pupil.id)) {
                match parents.iter_mut().find(|(known, _)| known.id == parent.id) {
                    Some((_, children)) => children.push(pupil.display_name()),
                    None => parents.push((parent.clone(), vec![pupil.display_name()])),
                }
            }
        }
        Ok(Families {
            class_label,
            pupils,
            parents,
        })
    }

    /// What printing the sheets of `class` would cover.
    pub fn sheets_summary(
        &self,
        viewer: &Account,
        class: &str,
    ) -> Result<SheetsSummary, DomainError> {
        let families = self.families(viewer, class)?;
        let waiting = |account: &Account| matches!(account.state, AccountState::ToActivate { .. });
        let everyone = || {
            families
                .pupils
                .iter()
                .chain(families.parents.iter().map(|(parent, _)| parent))
        };
        Ok(SheetsSummary {
            class_label: families.class_label.clone(),
            pupils_waiting: families.pupils.iter().filter(|a| waiting(a)).count(),
            parents_waiting: families.parents.iter().filter(|(a, _)| waiting(a)).count(),
            already_active: everyone().filter(|a| a.is_active()).count(),
        })
    }

    /// Issues fresh codes to the accounts of `class` and `audience` that wait for activation,
    /// and returns their sheets; the codes issued before stop working.
    pub fn print_connection_sheets(
        &self,
        viewer: &Account,
        class: &str,
        audience: Audience,
        rng: &mut impl Rng,
    ) -> Result<ClassSheets, DomainError> {
        let families = self.families(viewer, class)?;
        let mut to_issue: Vec<(Account, Vec<String>)> = Vec::new();
        if audience.pupils() {
            to_issue.extend(families.pupils.into_iter().map(|pupil| (pupil, Vec::new())));
        }
        if audience.parents() {
            to_issue.extend(families.parents);
        }
        let mut sheets = Vec::new();
        let mut expires_at = None;
        for (account, children) in to_issue {
            if !matches!(account.state, AccountState::ToActivate { .. }) {
                continue;
            }
            let issued = self.reissue(account, rng)?;
            expires_at = Some(issued.expires_at);
            sheets.push(SheetLine {
                name: issued.account.display_name(),
                children,
                login: issued.account.login,
                code: issued.code,
            });
        }
        tracing::info!(
            admin = %viewer.login,
            class,
            sheets = sheets.len(),
            "activation codes issued for the fiches de connexion"
        );
        Ok(ClassSheets {
            class_label: families.class_label,
            sheets,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::testing::DemoSchool;
    use rand::SeedableRng;

    fn rng() -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(5)
    }

    #[test]
    fn printing_issues_fresh_codes_that_activate_and_end_the_previous_ones() {
        let school = DemoSchool::new();
        let domain = &school.domain;
        let admin = school.account("admin.demo");
        let summary = domain.sheets_summary(&admin, "3C").expect("summary");
        assert_eq!(summary.class_label, "3e C");
        assert_eq!(summary.pupils_waiting, 0, "3C pupils are active");
        assert!(summary.parents_waiting > 0);

        let first = domain
            .print_connection_sheets(&admin, "3C", Audience::Both, &mut rng())
            .expect("printed");
        assert_eq!(first.sheets.len(), summary.parents_waiting);
        assert!(first.sheets.iter().all(|sheet| !sheet.children.is_empty()));
        let second = domain
            .print_connection_sheets(&admin, "3C", Audience::Parents, &mut rand::rngs::OsRng)
            .expect("printed again");
        let (old, new) = (&first.sheets[0], &second.sheets[0]);
        assert_eq!(old.login, new.login);
        let lifetime = domain.config.security.activation_code_lifetime;
        let activate = |code: &str| {
            domain
                .accounts
                .activate(&old.login, code, "un bon mot", "un bon mot", lifetime)
        };
        assert!(matches!(
            activate(&old.code),
            Err(DomainError::InvalidActivation)
        ));
        assert!(activate(&new.code).expect("activates").is_active());
        assert_eq!(
            domain
                .sheets_summary(&admin, "3C")
                .expect("summary")
                .parents_waiting,
            summary.parents_waiting - 1
        );
        assert!(domain
            .print_connection_sheets(&admin, "3C", Audience::Pupils, &mut rng())
            .expect("printed")
            .sheets
            .is_empty());
    }

    #[test]
    fn only_the_administrator_prints_sheets_of_a_known_class() {
        let school = DemoSchool::new();
        let domain = &school.domain;
        for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
            let viewer = school.account(login);
            assert!(matches!(
                domain.print_connection_sheets(&viewer, "3C", Audience::Both, &mut rng()),
                Err(DomainError::Forbidden)
            ));
            assert!(matches!(
                domain.sheets_summary(&viewer, "3C"),
                Err(DomainError::Forbidden)
            ));
        }
        let admin = school.account("admin.demo");
        assert!(matches!(
            domain.sheets_summary(&admin, "9Z"),
            Err(DomainError::UnknownClass(_))
        ));
    }
}
