//! Messagerie: internal mail between the people of the establishment, within the
//! communication rules ([`rules`], decided in [`access`]). A message is stored once; each person
//! who sent or received it holds a [`MailboxEntry`] in their own folders, and searches them
//! ([`Domain::search_messages`], through the mail index: `mail_search.rs`).

pub mod message;
pub mod recipients;
pub mod rules;

mod mail_search;
mod mailbox;
mod send;

use std::sync::Arc;

use self::recipients::{People, RecipientId, SenderLinks};
use self::rules::CommunicationRules;
use super::access::{self, Action};
use super::accounts::account::Account;
use super::{Domain, DomainError};

pub use mailbox::FolderPage;
pub use send::{Composed, MessageProblem, MAX_ATTACHMENTS};

/// Days a message stays in the trash before it is deleted for good.
pub const TRASH_DAYS: i64 = 30;
/// Messages per page of a folder.
pub const PAGE_SIZE: usize = 50;
/// How many matches a recipient search gives.
pub const SEARCH_LIMIT: usize = 20;

/// A recipient the viewer may choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: RecipientId,
    pub label: String,
    /// For a group: how many it reaches today.
    pub members: Option<usize>,
}

impl Domain {
    /// The rules in force (the defaults until the administrator changes them).
    pub fn communication_rules(&self) -> Result<Arc<CommunicationRules>, DomainError> {
        Ok(self
            .tables()
            .mail_rules
            .get_shared(rules::RULES_KEY)?
            .unwrap_or_default())
    }

    /// Replaces the communication rules: the ENT administrator's.
    pub fn set_communication_rules(
        &self,
        viewer: &Account,
        rules: CommunicationRules,
    ) -> Result<(), DomainError> {
        if !access::allows(viewer, Action::Administer) {
            return Err(DomainError::Forbidden);
        }
        self.tables().mail_rules.insert(rules::RULES_KEY, &rules)?;
        tracing::info!(by = %viewer.login, allowed = rules.allowed.len(), "communication rules changed");
        Ok(())
    }

    /// The directory as the messagerie reads it for one operation.
    pub(crate) fn people(&self) -> Result<People, DomainError> {
        Ok(People::new(self.accounts().all_shared()?))
    }

    /// The persons and groups `viewer` may write to whose names contain every word of `query`
    /// (at the start of a word, accents and case aside), groups first, at most `limit`. An empty
    /// query lists the groups and, for pupils and parents, their teachers.
    pub fn recipients_for(
        &self,
        viewer: &Account,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Candidate>, DomainError> {
        if !access::uses_messages(viewer) {
            return Err(DomainError::Forbidden);
        }
        let people = self.people()?;
        let establishment = self.establishment()?;
        let rules = self.communication_rules()?;
        let links = SenderLinks::of(&people, &establishment, viewer);
        let words = recipients::query_words(query);
        let may_write = |recipient: &Account| {
            recipient.id != viewer.id
                && recipients::receives(recipient)
                && access::allows(
                    viewer,
                    Action::WriteMessage {
                        reach: links.reach(&people, recipient),
                        rules: &rules,
                        answering: false,
                    },
                )
        };
        let mut found = Vec::new();
        for group in People::groups(&establishment) {
            if found.len() >= limit {
                break;
            }
            let label = People::group_label(&establishment, &group);
            if !words.is_empty() && !recipients::matches(&words, &label) {
                continue;
            }
            let members = people.members(&establishment, &group);
            let reachable = !members.is_empty()
                && members
                    .iter()
                    .filter_map(|id| people.get(*id))
                    .filter(|member| member.id != viewer.id)
                    .all(may_write);
            if reachable {
                found.push(Candidate {
                    id: RecipientId::Group(group),
                    label,
                    members: Some(members.len()),
                });
            }
        }
        for person in people.in_order() {
            if found.len() >= limit {
                break;
            }
            if words.is_empty() && links.reach(&people, person) != rules::Reach::TheirTeacher {
                continue;
            }
            if !may_write(person) {
                continue;
            }
            let label = people.person_label(&establishment, person);
            if words.is_empty() || recipients::matches(&words, &label) {
                found.push(Candidate {
                    id: RecipientId::Person(person.id),
                    label,
                    members: None,
                });
            }
        }
        Ok(found)
    }

    /// The label of a recipient id, as a form shows a chosen one; `None` for an unknown id.
    pub fn recipient_label(&self, id: &RecipientId) -> Result<Option<String>, DomainError> {
        let establishment = self.establishment()?;
        Ok(match id {
            RecipientId::Person(person) => {
                let people = self.people()?;
                people
                    .get(*person)
                    .map(|account| people.person_label(&establishment, account))
            }
            RecipientId::Group(group) => People::groups(&establishment)
                .contains(group)
                .then(|| People::group_label(&establishment, group)),
        })
    }
}

#[cfg(test)]
mod tests;
