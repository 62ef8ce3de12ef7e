//! How many accounts each profile has in each state: the administrator's overview and
//! `/metrics` count the same way.

use super::account::AccountState;
use super::profile::Profile;
use super::Accounts;
use crate::domain::DomainError;

/// Accounts of one profile, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateCounts {
    pub active: usize,
    pub to_activate: usize,
    pub deactivated: usize,
}

/// Every profile of [`Profile::ALL`], in that order, with its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Census {
    pub by_profile: Vec<(Profile, StateCounts)>,
}

impl Accounts {
    /// Counts every account once.
    pub fn census(&self) -> Result<Census, DomainError> {
        let mut by_profile: Vec<(Profile, StateCounts)> = Profile::ALL
            .iter()
            .map(|profile| (*profile, StateCounts::default()))
            .collect();
        for account in self.all() {
            let account = account?;
            if let Some((_, counts)) = by_profile
                .iter_mut()
                .find(|(profile, _)| *profile == account.profile)
            {
                match account.state {
                    AccountState::Active => counts.active += 1,
                    AccountState::ToActivate { .. } => counts.to_activate += 1,
                    AccountState::Deactivated { .. } => counts.deactivated += 1,
                }
            }
        }
        Ok(Census { by_profile })
    }
}

#[cfg(test)]
mod tests {
    use crate::demo::testing::DemoSchool;
    use crate::domain::accounts::profile::Profile;

    #[test]
    fn every_account_is_counted_once_under_its_profile_and_state() {
        let school = DemoSchool::new();
        let domain = &school.domain;
        let census = domain.accounts().census().expect("census");
        let total: usize = census
            .by_profile
            .iter()
            .map(|(_, c)| c.active + c.to_activate + c.deactivated)
            .sum();
        assert_eq!(total, domain.accounts().all().count());
        let teachers = census
            .by_profile
            .iter()
            .find(|(profile, _)| *profile == Profile::Enseignant)
            .map(|(_, counts)| *counts)
            .expect("teachers listed");
        assert!(teachers.active > 0, "the demo's teachers are active");
    }
}
