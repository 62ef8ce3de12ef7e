//! A person's card in the directory: who they are and where they belong, for those allowed to
//! see it ([`access::allows`] with [`Action::ViewAccount`]). The card lists only the relatives
//! whose own card the viewer may open.

use serde::Serialize;

use crate::domain::access::{self, Action, Card};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

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
    /// A pupil's parents, for staff who may see them: name, link and e-mail.
    pub guardians: Vec<Relative>,
    /// A parent's children, for the parent and staff who may see them.
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
    /// The card of `id` for `viewer`. A card they may not see answers exactly as an unknown id,
    /// so that nobody learns which ids exist.
    pub fn person_card(&self, viewer: &Account, id: u64) -> Result<PersonCard, DomainError> {
        let establishment = self.establishment()?;
        let viewer_teaches = match viewer.profile {
            Profile::Enseignant => establishment.taught_by(viewer.id),
            _ => Vec::new(),
        };
        let person = self
            .accounts
            .get(id)?
            .ok_or(DomainError::UnknownPerson(id))?;
        if !self.may_see(viewer, &viewer_teaches, &person)? {
            return Err(DomainError::UnknownPerson(id));
        }
        let detail = access::card_detail(viewer, person.id);
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
        if detail.guardians && person.pupil.is_some() {
            for account in self.accounts.all() {
                let account = account?;
                let Some(link) = account.children.iter().find(|l| l.pupil == person.id) else {
                    continue;
                };
                if self.may_see(viewer, &viewer_teaches, &account)? {
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
        if detail.children {
            for link in &person.children {
                let Some(child) = self.accounts.get_shared(link.pupil)? else {
                    continue;
                };
                if self.may_see(viewer, &viewer_teaches, &child)? {
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
            email: detail.email.then(|| person.email.clone()).flatten(),
            class,
            groups,
            guardians,
            children,
            teaching,
        })
    }

    /// Whether `viewer`, who teaches `viewer_teaches`, may open `owner`'s card.
    fn may_see(
        &self,
        viewer: &Account,
        viewer_teaches: &[Target],
        owner: &Account,
    ) -> Result<bool, DomainError> {
        let mut owner_targets = Vec::new();
        // Only a teacher's decision depends on where the owner is schooled: others skip the reads.
        if !viewer_teaches.is_empty() {
            schooling_targets(owner, &mut owner_targets);
            for link in &owner.children {
                if let Some(child) = self.accounts.get_shared(link.pupil)? {
                    schooling_targets(&child, &mut owner_targets);
                }
            }
        }
        Ok(access::allows(
            viewer,
            Action::ViewAccount(&Card {
                owner: owner.id,
                owner_profile: owner.profile,
                owner_targets: &owner_targets,
                viewer_teaches,
            }),
        ))
    }
}

/// A pupil's class and groups, added to `into`.
fn schooling_targets(pupil: &Account, into: &mut Vec<Target>) {
    if let Some(schooling) = &pupil.pupil {
        into.extend(schooling.class.iter().cloned().map(Target::Class));
        into.extend(schooling.groups.iter().cloned().map(Target::Group));
    }
}
