//! A person's card in the directory: who they are and where they belong, for those allowed to
//! see it ([`access::allows`] with [`Action::ViewAccount`]).

use serde::Serialize;

use super::access::{self, Action};
use super::account::Account;
use super::{Domain, DomainError};

#[derive(Clone, Debug, Serialize)]
pub struct PersonCard {
    pub id: u64,
    pub login: String,
    pub display_name: String,
    pub profile: &'static str,
    pub profile_label: &'static str,
    pub state: &'static str,
    /// Staff and the person themselves see the e-mail address.
    pub email: Option<String>,
    /// A pupil's class: `(code, label)`.
    pub class: Option<(String, String)>,
    /// A pupil's group labels.
    pub groups: Vec<String>,
    /// A pupil's parents, for staff: name, link and e-mail.
    pub guardians: Vec<Relative>,
    /// A parent's children, for staff and the parent.
    pub children: Vec<Relative>,
    /// A teacher's classes with subjects (labels), e.g. « 4e B : Mathématiques ».
    pub teaching: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Relative {
    pub id: u64,
    pub display_name: String,
    /// « Responsable légal », « Personne en charge », or the child's class.
    pub detail: String,
    pub email: Option<String>,
}

impl Domain {
    pub fn person_card(&self, viewer: &Account, id: u64) -> Result<PersonCard, DomainError> {
        let person = self
            .accounts
            .get(id)?
            .ok_or(DomainError::UnknownPerson(id))?;
        let allowed = access::allows(
            viewer,
            Action::ViewAccount {
                owner: person.id,
                owner_profile: person.profile,
            },
        );
        if !allowed {
            return Err(DomainError::Forbidden);
        }
        let staff = viewer.profile.is_staff() || viewer.is_admin;
        let establishment = self.establishment()?;
        let class = person
            .class()
            .map(|code| (code.to_owned(), establishment.class_label(code)));
        let groups = person
            .pupil
            .as_ref()
            .map(|pupil| {
                pupil
                    .groups
                    .iter()
                    .map(|code| {
                        establishment
                            .groups
                            .iter()
                            .find(|group| &group.code == code)
                            .map(|group| group.label.clone())
                            .unwrap_or_else(|| code.clone())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut guardians = Vec::new();
        if staff && person.pupil.is_some() {
            for account in self.accounts.all() {
                let account = account?;
                if let Some(link) = account.children.iter().find(|l| l.pupil == person.id) {
                    guardians.push(Relative {
                        id: account.id,
                        display_name: account.display_name(),
                        detail: link.responsibility.label().to_owned(),
                        email: account.email.clone(),
                    });
                }
            }
        }
        let mut children = Vec::new();
        if staff || viewer.id == person.id {
            for link in &person.children {
                if let Some(child) = self.accounts.get_shared(link.pupil)? {
                    children.push(Relative {
                        id: child.id,
                        display_name: child.display_name(),
                        detail: child
                            .class()
                            .map(|code| establishment.class_label(code))
                            .unwrap_or_default(),
                        email: None,
                    });
                }
            }
        }
        let teaching = establishment
            .duties_of(person.id)
            .into_iter()
            .map(|duty| {
                let mut what: Vec<String> = duty
                    .subjects
                    .iter()
                    .map(|subject| establishment.subject_label(subject))
                    .collect();
                if duty.principal {
                    what.push("professeur principal".to_owned());
                }
                format!(
                    "{}\u{a0}: {}",
                    establishment.class_label(&duty.class),
                    what.join(", ")
                )
            })
            .collect();
        Ok(PersonCard {
            id: person.id,
            login: person.login.clone(),
            display_name: person.display_name(),
            profile: person.profile.code(),
            profile_label: person.profile.label(),
            state: person.state.code(),
            email: (staff || viewer.id == person.id)
                .then(|| person.email.clone())
                .flatten(),
            class,
            groups,
            guardians,
            children,
            teaching,
        })
    }
}
