//! A person as they see themselves: the body of `GET /api/v1/me`, also used by the home page.

use serde::Serialize;

use crate::domain::accounts::account::{Account, Responsibility};
use crate::domain::school::establishment::Establishment;
use crate::domain::DomainError;

#[derive(Clone, Debug, Serialize)]
pub struct Me {
    pub id: u64,
    pub login: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
    /// SDET profile code, e.g. `National_ELV`.
    pub profile: &'static str,
    pub profile_label: &'static str,
    pub is_admin: bool,
    pub must_change_password: bool,
    /// Class codes: a pupil's class, or the classes a teacher teaches or leads.
    pub classes: Vec<String>,
    /// A parent's children (empty for everyone else).
    pub children: Vec<Child>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Child {
    pub id: u64,
    pub display_name: String,
    /// Class code, or `null` for a pupil without class.
    pub class: Option<String>,
    pub responsibility: Responsibility,
}

/// A pupil's class, or the classes a member of staff has duties in.
pub fn classes_of(account: &Account, establishment: &Establishment) -> Vec<String> {
    match account.class() {
        Some(class) => vec![class.to_owned()],
        None => establishment
            .duties_of(account.id)
            .into_iter()
            .map(|duty| duty.class)
            .collect(),
    }
}

/// Builds `account`'s own view. `find` looks up another account by id (the parent's children).
pub fn describe(
    account: &Account,
    establishment: &Establishment,
    find: impl Fn(u64) -> Result<Option<Account>, DomainError>,
) -> Result<Me, DomainError> {
    let classes = classes_of(account, establishment);
    let mut children = Vec::with_capacity(account.children.len());
    for link in &account.children {
        if let Some(child) = find(link.pupil)? {
            children.push(Child {
                id: child.id,
                display_name: child.display_name(),
                class: child.class().map(str::to_owned),
                responsibility: link.responsibility,
            });
        }
    }
    Ok(Me {
        id: account.id,
        login: account.login.clone(),
        display_name: account.display_name(),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        profile: account.profile.code(),
        profile_label: account.profile.label(),
        is_admin: account.is_admin,
        must_change_password: account.must_change_password,
        classes,
        children,
    })
}
