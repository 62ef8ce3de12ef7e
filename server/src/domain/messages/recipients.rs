//! Recipients of the messagerie: persons and groups by role, each with an opaque id, how each
//! person stands to a sender ([`Reach`]), and the expansion of a group into persons.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::rules::Reach;
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::school::indexed::IndexedEstablishment;

/// A recipient as the forms and the API name it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecipientId {
    Person(u64),
    Group(GroupId),
}

/// A group by role.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GroupId {
    /// The pupils of a class or group.
    Pupils(Target),
    /// Their parents.
    Parents(Target),
    /// Who teaches them (for a class: also the teachers of its pupils' groups and the
    /// professeur principal).
    Teachers(Target),
    /// A class's équipe pédagogique: its teachers and the vie scolaire.
    Team(String),
    AllStaff,
    AllTeachers,
    VieScolaire,
    Direction,
}

fn target_code(target: &Target) -> String {
    match target {
        Target::Class(code) => format!("classe:{code}"),
        Target::Group(code) => format!("groupe:{code}"),
    }
}

fn parse_target(text: &str) -> Option<Target> {
    let (kind, code) = text.split_once(':')?;
    if code.is_empty() {
        return None;
    }
    match kind {
        "classe" => Some(Target::Class(code.to_owned())),
        "groupe" => Some(Target::Group(code.to_owned())),
        _ => None,
    }
}

impl RecipientId {
    /// The opaque id: `personne:12`, `parents:classe:4B`, `personnels`…
    pub fn code(&self) -> String {
        match self {
            RecipientId::Person(id) => format!("personne:{id}"),
            RecipientId::Group(group) => match group {
                GroupId::Pupils(target) => format!("eleves:{}", target_code(target)),
                GroupId::Parents(target) => format!("parents:{}", target_code(target)),
                GroupId::Teachers(target) => format!("enseignants:{}", target_code(target)),
                GroupId::Team(class) => format!("equipe:{class}"),
                GroupId::AllStaff => "personnels".to_owned(),
                GroupId::AllTeachers => "tous-les-enseignants".to_owned(),
                GroupId::VieScolaire => "vie-scolaire".to_owned(),
                GroupId::Direction => "direction".to_owned(),
            },
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let group = match text {
            "personnels" => GroupId::AllStaff,
            "tous-les-enseignants" => GroupId::AllTeachers,
            "vie-scolaire" => GroupId::VieScolaire,
            "direction" => GroupId::Direction,
            _ => {
                let (kind, rest) = text.split_once(':')?;
                match kind {
                    "personne" => return rest.parse().ok().map(RecipientId::Person),
                    "eleves" => GroupId::Pupils(parse_target(rest)?),
                    "parents" => GroupId::Parents(parse_target(rest)?),
                    "enseignants" => GroupId::Teachers(parse_target(rest)?),
                    "equipe" if !rest.is_empty() => GroupId::Team(rest.to_owned()),
                    _ => return None,
                }
            }
        };
        Some(RecipientId::Group(group))
    }

    pub fn is_group(&self) -> bool {
        matches!(self, RecipientId::Group(_))
    }
}

/// Whether an account still receives messages: everyone but those who left.
pub fn receives(account: &Account) -> bool {
    !matches!(account.state, AccountState::Deactivated { .. })
}

/// The directory as the messagerie reads it for one operation: every account, with the
/// lookups that group expansion and [`Reach`] need.
pub struct People {
    accounts: HashMap<u64, Arc<Account>>,
    /// Accounts in name order.
    ordered: Vec<u64>,
}

impl People {
    pub fn new(accounts: impl IntoIterator<Item = Arc<Account>>) -> Self {
        let mut accounts: HashMap<u64, Arc<Account>> = accounts
            .into_iter()
            .map(|account| (account.id, account))
            .collect();
        accounts.shrink_to_fit();
        let mut ordered: Vec<&Account> =
            accounts.values().map(|account| account.as_ref()).collect();
        ordered.sort_by_cached_key(|account| {
            (
                account.last_name.to_lowercase(),
                account.first_name.to_lowercase(),
                account.id,
            )
        });
        let ordered = ordered.into_iter().map(|account| account.id).collect();
        Self { accounts, ordered }
    }

    pub fn get(&self, id: u64) -> Option<&Account> {
        self.accounts.get(&id).map(|account| account.as_ref())
    }

    /// Every account in name order.
    pub fn in_order(&self) -> impl Iterator<Item = &Account> {
        self.ordered.iter().filter_map(|id| self.get(*id))
    }

    fn pupil_in(account: &Account, target: &Target) -> bool {
        let Some(schooling) = &account.pupil else {
            return false;
        };
        match target {
            Target::Class(code) => schooling.class.as_deref() == Some(code.as_str()),
            Target::Group(code) => schooling.groups.iter().any(|group| group == code),
        }
    }

    /// The classes and groups of a pupil.
    pub fn targets_of(account: &Account) -> Vec<Target> {
        let Some(schooling) = &account.pupil else {
            return Vec::new();
        };
        schooling
            .class
            .iter()
            .map(|class| Target::Class(class.clone()))
            .chain(
                schooling
                    .groups
                    .iter()
                    .map(|group| Target::Group(group.clone())),
            )
            .collect()
    }

    /// The teachers of a pupil: who teaches their class or groups, and their professeur
    /// principal.
    pub fn teachers_of_pupil(establishment: &IndexedEstablishment, pupil: &Account) -> Vec<u64> {
        let Some(schooling) = &pupil.pupil else {
            return Vec::new();
        };
        let mut teachers: Vec<u64> = establishment
            .teachers_of(schooling.class.as_deref(), &schooling.groups)
            .iter()
            .map(|taught| taught.teacher)
            .collect();
        if let Some(class) = &schooling.class {
            teachers.extend(
                establishment
                    .principals
                    .iter()
                    .filter(|principal| &principal.class == class)
                    .map(|principal| principal.teacher),
            );
        }
        teachers.sort_unstable();
        teachers.dedup();
        teachers
    }

    /// The persons a group reaches today: those who left are not counted.
    pub fn members(&self, establishment: &IndexedEstablishment, group: &GroupId) -> Vec<u64> {
        let present = |account: &&Account| receives(account);
        let with_profile = |profiles: &[Profile]| -> Vec<u64> {
            self.in_order()
                .filter(present)
                .filter(|account| profiles.contains(&account.profile))
                .map(|account| account.id)
                .collect()
        };
        match group {
            GroupId::Pupils(target) => self
                .in_order()
                .filter(present)
                .filter(|account| {
                    account.profile == Profile::Eleve && Self::pupil_in(account, target)
                })
                .map(|account| account.id)
                .collect(),
            GroupId::Parents(target) => {
                let pupils: HashSet<u64> = self
                    .members(establishment, &GroupId::Pupils(target.clone()))
                    .into_iter()
                    .collect();
                self.in_order()
                    .filter(present)
                    .filter(|account| {
                        account.profile == Profile::Parent
                            && account
                                .children
                                .iter()
                                .any(|child| pupils.contains(&child.pupil))
                    })
                    .map(|account| account.id)
                    .collect()
            }
            GroupId::Teachers(target) => {
                let mut teachers: Vec<u64> = match target {
                    Target::Class(class) => {
                        let mut groups: Vec<String> = Vec::new();
                        for pupil in self.members(establishment, &GroupId::Pupils(target.clone())) {
                            if let Some(schooling) =
                                self.get(pupil).and_then(|account| account.pupil.as_ref())
                            {
                                for group in &schooling.groups {
                                    if !groups.contains(group) {
                                        groups.push(group.clone());
                                    }
                                }
                            }
                        }
                        let mut found: Vec<u64> = establishment
                            .teachers_of(Some(class), &groups)
                            .iter()
                            .map(|taught| taught.teacher)
                            .collect();
                        found.extend(
                            establishment
                                .principals
                                .iter()
                                .filter(|principal| &principal.class == class)
                                .map(|principal| principal.teacher),
                        );
                        found
                    }
                    Target::Group(group) => establishment
                        .teachers_of(None, std::slice::from_ref(group))
                        .iter()
                        .map(|taught| taught.teacher)
                        .collect(),
                };
                teachers.sort_unstable();
                teachers.dedup();
                teachers.retain(|id| self.get(*id).is_some_and(receives));
                teachers
            }
            GroupId::Team(class) => {
                let mut team = self.members(
                    establishment,
                    &GroupId::Teachers(Target::Class(class.clone())),
                );
                team.extend(with_profile(&[Profile::VieScolaire]));
                team
            }
            GroupId::AllStaff => with_profile(&[
                Profile::Enseignant,
                Profile::Documentaliste,
                Profile::Direction,
                Profile::VieScolaire,
                Profile::Administratif,
            ]),
            GroupId::AllTeachers => with_profile(&[Profile::Enseignant]),
            GroupId::VieScolaire => with_profile(&[Profile::VieScolaire]),
            GroupId::Direction => with_profile(&[Profile::Direction]),
        }
    }

    /// The group's name in French: « Parents de 4e B ».
    pub fn group_label(establishment: &IndexedEstablishment, group: &GroupId) -> String {
        match group {
            GroupId::Pupils(target) => format!("Élèves de {}", establishment.target_label(target)),
            GroupId::Parents(target) => {
                format!("Parents de {}", establishment.target_label(target))
            }
            GroupId::Teachers(target) => {
                format!("Enseignants de {}", establishment.target_label(target))
            }
            GroupId::Team(class) => format!(
                "Équipe pédagogique de {}",
                establishment.target_label(&Target::Class(class.clone()))
            ),
            GroupId::AllStaff => "Tous les personnels".to_owned(),
            GroupId::AllTeachers => "Tous les enseignants".to_owned(),
            GroupId::VieScolaire => "Vie scolaire".to_owned(),
            GroupId::Direction => "Direction".to_owned(),
        }
    }

    /// Every group of the establishment.
    pub fn groups(establishment: &IndexedEstablishment) -> Vec<GroupId> {
        let mut groups = vec![
            GroupId::AllStaff,
            GroupId::AllTeachers,
            GroupId::VieScolaire,
            GroupId::Direction,
        ];
        for target in establishment.targets() {
            if let Target::Class(class) = &target {
                groups.push(GroupId::Team(class.clone()));
            }
            groups.push(GroupId::Teachers(target.clone()));
            groups.push(GroupId::Parents(target.clone()));
            groups.push(GroupId::Pupils(target));
        }
        groups
    }

    /// A person as a recipient list shows them: « Léa Martin · Élève de 4e B ».
    pub fn person_label(&self, establishment: &IndexedEstablishment, account: &Account) -> String {
        let what = match account.profile {
            Profile::Eleve => match account.class() {
                Some(class) => format!("Élève de {}", establishment.class_label(class)),
                None => "Élève".to_owned(),
            },
            Profile::Parent => {
                let children: Vec<String> = account
                    .children
                    .iter()
                    .filter_map(|child| self.get(child.pupil))
                    .map(|child| child.first_name.clone())
                    .collect();
                if children.is_empty() {
                    "Parent".to_owned()
                } else {
                    format!("Parent de {}", children.join(", "))
                }
            }
            profile => profile.label().to_owned(),
        };
        format!("{} · {what}", account.display_name())
    }
}

/// A sender as [`Reach`] sees them: their links, read once per operation.
pub struct SenderLinks {
    id: u64,
    profile: Profile,
    /// A pupil's teachers, or the teachers of a parent's children.
    their_teachers: HashSet<u64>,
    /// A pupil's class.
    class: Option<String>,
    children: HashSet<u64>,
    /// What a teacher teaches or leads.
    taught: Vec<Target>,
}

impl SenderLinks {
    pub fn of(people: &People, establishment: &IndexedEstablishment, sender: &Account) -> Self {
        let mut their_teachers = HashSet::new();
        match sender.profile {
            Profile::Eleve => {
                their_teachers.extend(People::teachers_of_pupil(establishment, sender))
            }
            Profile::Parent => {
                for child in &sender.children {
                    if let Some(pupil) = people.get(child.pupil).filter(|pupil| receives(pupil)) {
                        their_teachers.extend(People::teachers_of_pupil(establishment, pupil));
                    }
                }
            }
            _ => {}
        }
        Self {
            id: sender.id,
            profile: sender.profile,
            their_teachers,
            class: sender.class().map(str::to_owned),
            children: sender.children.iter().map(|child| child.pupil).collect(),
            taught: if sender.profile == Profile::Enseignant {
                establishment.taught_by(sender.id)
            } else {
                Vec::new()
            },
        }
    }

    /// How `recipient` stands to the sender.
    pub fn reach(&self, people: &People, recipient: &Account) -> Reach {
        let teaches = |pupil: &Account| {
            People::targets_of(pupil)
                .iter()
                .any(|target| self.taught.contains(target))
        };
        match recipient.profile {
            Profile::Enseignant if self.their_teachers.contains(&recipient.id) => {
                Reach::TheirTeacher
            }
            Profile::Enseignant => Reach::Teacher,
            Profile::VieScolaire => Reach::VieScolaire,
            Profile::Direction => Reach::Direction,
            Profile::Documentaliste | Profile::Administratif => Reach::OtherStaff,
            Profile::Eleve => {
                if self.profile == Profile::Parent && self.children.contains(&recipient.id) {
                    Reach::OwnChild
                } else if self.profile == Profile::Eleve
                    && self.class.is_some()
                    && recipient.class() == self.class.as_deref()
                {
                    Reach::Classmate
                } else if self.profile == Profile::Enseignant && teaches(recipient) {
                    Reach::TaughtPupil
                } else {
                    Reach::Pupil
                }
            }
            Profile::Parent => {
                let taught_child = self.profile == Profile::Enseignant
                    && recipient
                        .children
                        .iter()
                        .filter_map(|child| people.get(child.pupil))
                        .any(teaches);
                if taught_child {
                    Reach::TaughtParent
                } else {
                    Reach::Parent
                }
            }
        }
    }

    pub fn id(&self) -> u64 {
        self.id
    }
}

/// Accent- and case-folded text, for matching what is typed against names and labels.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Whether every word of `query` (folded) starts a word of `label` (folded).
pub fn matches(query_words: &[String], label: &str) -> bool {
    let folded = fold(label);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    query_words
        .iter()
        .all(|query| words.iter().any(|word| word.starts_with(query.as_str())))
}

/// The words of a query, folded.
pub fn query_words(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}
