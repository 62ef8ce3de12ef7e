//! Class lists: the classes of the establishment with their pupils and teachers, as those
//! allowed to see them (see [`access::class_scope`]) see them.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::domain::access::{self, ClassScope};
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

#[derive(Clone, Debug, Serialize)]
pub struct ClassSummary {
    pub code: String,
    pub label: String,
    /// `6e`, `5e`, `4e`, `3e`, or `null` when the directory gave no level.
    pub level: Option<&'static str>,
    /// Pupils of the class who have not left the establishment.
    pub pupils: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Member {
    pub id: u64,
    pub login: String,
    pub display_name: String,
    pub state: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Teacher {
    #[serde(flatten)]
    pub member: Member,
    /// Subject labels taught to the class or to one of its pupils' groups.
    pub subjects: Vec<String>,
    pub principal: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClassMembers {
    pub code: String,
    pub label: String,
    pub pupils: Vec<Member>,
    pub teachers: Vec<Teacher>,
}

fn member(account: &Account) -> Member {
    Member {
        id: account.id,
        login: account.login.clone(),
        display_name: account.display_name(),
        state: account.state.code(),
    }
}

fn is_present(account: &Account) -> bool {
    !matches!(account.state, AccountState::Deactivated { .. })
}

impl Domain {
    fn class_scope_of(&self, viewer: &Account) -> Result<ClassScope, DomainError> {
        let establishment = self.establishment()?;
        Ok(access::class_scope(viewer, || {
            establishment
                .duties_of(viewer.id)
                .into_iter()
                .map(|duty| duty.class)
                .collect()
        }))
    }

    /// The classes `viewer` may see, in the establishment's order, with their pupil counts.
    pub fn classes_for(&self, viewer: &Account) -> Result<Vec<ClassSummary>, DomainError> {
        let scope = self.class_scope_of(viewer)?;
        if scope == ClassScope::None {
            return Err(DomainError::Forbidden);
        }
        let establishment = self.establishment()?;
        let mut counts: HashMap<String, usize> = HashMap::new();
        for account in self.accounts.all() {
            let account = account?;
            if let (Some(class), true) = (account.class(), is_present(&account)) {
                *counts.entry(class.to_owned()).or_default() += 1;
            }
        }
        Ok(establishment
            .classes
            .iter()
            .filter(|class| scope.includes(&class.code))
            .map(|class| ClassSummary {
                code: class.code.clone(),
                label: class.label.clone(),
                level: class.level.map(|level| level.label()),
                pupils: counts.get(&class.code).copied().unwrap_or(0),
            })
            .collect())
    }

    /// The pupils and teachers of `code`, for those allowed to see that class.
    pub fn class_members(&self, viewer: &Account, code: &str) -> Result<ClassMembers, DomainError> {
        let scope = self.class_scope_of(viewer)?;
        if scope == ClassScope::None {
            return Err(DomainError::Forbidden);
        }
        let establishment = self.establishment()?;
        let class = establishment
            .class(code)
            .ok_or_else(|| DomainError::UnknownClass(code.to_owned()))?;
        // A class one does not teach answers as one that does not exist: a teacher learns
        // nothing of other classes by trying their codes.
        if !scope.includes(code) {
            return Err(DomainError::UnknownClass(code.to_owned()));
        }
        let mut pupils: Vec<Arc<Account>> = Vec::new();
        let mut groups: Vec<String> = Vec::new();
        for account in self.accounts.all() {
            let account = account?;
            if account.profile == Profile::Eleve
                && account.class() == Some(code)
                && is_present(&account)
            {
                if let Some(schooling) = &account.pupil {
                    for group in &schooling.groups {
                        if !groups.contains(group) {
                            groups.push(group.clone());
                        }
                    }
                }
                pupils.push(Arc::new(account));
            }
        }
        pupils.sort_by(|a, b| {
            (a.last_name.to_lowercase(), a.first_name.to_lowercase())
                .cmp(&(b.last_name.to_lowercase(), b.first_name.to_lowercase()))
        });
        let mut teachers: Vec<Teacher> = Vec::new();
        let mut add =
            |id: u64, subject: Option<&str>, principal: bool| -> Result<(), DomainError> {
                let index = match teachers.iter().position(|t| t.member.id == id) {
                    Some(index) => index,
                    None => match self.accounts.get_shared(id)? {
                        Some(account) if is_present(&account) => {
                            teachers.push(Teacher {
                                member: member(&account),
                                subjects: Vec::new(),
                                principal: false,
                            });
                            teachers.len() - 1
                        }
                        _ => return Ok(()),
                    },
                };
                if let Some(subject) = subject {
                    let label = establishment.subject_label(subject);
                    if !teachers[index].subjects.contains(&label) {
                        teachers[index].subjects.push(label);
                    }
                }
                teachers[index].principal |= principal;
                Ok(())
            };
        for teaching in &establishment.teachings {
            let concerns = match &teaching.target {
                Target::Class(class) => class == code,
                Target::Group(group) => groups.contains(group),
            };
            if concerns {
                add(teaching.teacher, Some(&teaching.subject), false)?;
            }
        }
        for principal in establishment.principals.iter().filter(|p| p.class == code) {
            add(principal.teacher, None, true)?;
        }
        Ok(ClassMembers {
            code: class.code.clone(),
            label: class.label.clone(),
            pupils: pupils.iter().map(|p| member(p)).collect(),
            teachers,
        })
    }
}
