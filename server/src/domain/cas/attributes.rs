//! What a service learns about the person it signs in: the attributes its administrator chose.

use super::service::CasAttribute;
use crate::domain::accounts::account::Account;
use crate::domain::school::establishment::{Establishment, Target};

/// One attribute with its values, in the order the service's list names them. An attribute
/// without a value (no e-mail, no class) is left out.
pub type Released = Vec<(&'static str, Vec<String>)>;

pub fn release(
    account: &Account,
    establishment: &Establishment,
    chosen: &[CasAttribute],
) -> Released {
    let mut released = Released::with_capacity(chosen.len());
    for attribute in chosen {
        let values = match attribute {
            CasAttribute::Login => vec![account.login.clone()],
            CasAttribute::DisplayName => vec![account.display_name()],
            CasAttribute::Email => account.email.iter().cloned().collect(),
            CasAttribute::Profile => vec![account.profile.code().to_owned()],
            CasAttribute::Uai => {
                if establishment.uai.is_empty() {
                    Vec::new()
                } else {
                    vec![establishment.uai.clone()]
                }
            }
            CasAttribute::Classes => {
                crate::domain::accounts::me::classes_of(account, establishment)
            }
            CasAttribute::Groups => groups(account, establishment),
            CasAttribute::Jointure => account.jointure.iter().cloned().collect(),
        };
        if !values.is_empty() && !released.iter().any(|(name, _)| *name == attribute.name()) {
            released.push((attribute.name(), values));
        }
    }
    released
}

/// A pupil's groups, or the groups a teacher teaches.
fn groups(account: &Account, establishment: &Establishment) -> Vec<String> {
    if let Some(pupil) = &account.pupil {
        return pupil.groups.clone();
    }
    let mut groups: Vec<String> = Vec::new();
    for teaching in establishment
        .teachings
        .iter()
        .filter(|t| t.teacher == account.id)
    {
        if let Target::Group(code) = &teaching.target {
            if !groups.contains(code) {
                groups.push(code.clone());
            }
        }
    }
    groups
}
