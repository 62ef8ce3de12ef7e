//! An account: a person of the establishment who may sign in.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::accounts::activation::ActivationCode;
use crate::domain::accounts::profile::Profile;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: u64,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub profile: Profile,
    /// The ENT administrator role, on top of the profile.
    pub is_admin: bool,
    pub state: AccountState,
    /// Argon2id PHC string; `None` until the account is activated.
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    /// `ENTPersonJointure` of the académie directory, for accounts that come from it.
    pub jointure: Option<String>,
    /// Schooling data, for pupils.
    pub pupil: Option<Schooling>,
    /// The pupils a parent is responsible for.
    pub children: Vec<ChildLink>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub password_changed_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccountState {
    /// Created, waiting for its owner to sign in once with the code of their « fiche de connexion ».
    ToActivate {
        /// The code last issued, hashed (see [`ActivationCode`]).
        code: ActivationCode,
    },
    Active,
    /// Left the establishment or blocked: cannot sign in; data kept.
    Deactivated {
        since: DateTime<Utc>,
    },
}

impl AccountState {
    /// The API name of the state.
    pub fn code(&self) -> &'static str {
        match self {
            AccountState::ToActivate { .. } => "to_activate",
            AccountState::Active => "active",
            AccountState::Deactivated { .. } => "deactivated",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schooling {
    /// Class code, e.g. `4B`.
    pub class: Option<String>,
    /// Group codes, e.g. `4-ESP2`.
    pub groups: Vec<String>,
    pub birth_date: Option<NaiveDate>,
    pub ine: Option<String>,
    /// Since when the pupil is in this class and these groups; `None`: since before anything
    /// Préau recorded.
    #[serde(default)]
    pub since: Option<NaiveDate>,
    /// The classes and groups the pupil left, oldest first: the cahier de textes shows their
    /// entries up to the day of the change.
    #[serde(default)]
    pub past: Vec<PastSchooling>,
}

/// A class and groups a pupil was in, from `from` (`None`: since before anything Préau recorded)
/// to the day before `until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastSchooling {
    pub class: Option<String>,
    pub groups: Vec<String>,
    pub from: Option<NaiveDate>,
    pub until: NaiveDate,
}

impl Schooling {
    /// `self` as it stands once the directory says `new`, changed on `on`: a change of class or
    /// groups ends the current spell and starts another; the rest is taken from `new`.
    pub fn moved_to(&self, new: &Schooling, on: NaiveDate) -> Schooling {
        let mut next = new.clone();
        let mut groups = self.groups.clone();
        let mut new_groups = new.groups.clone();
        groups.sort();
        new_groups.sort();
        if self.class == new.class && groups == new_groups {
            next.since = self.since;
            next.past = self.past.clone();
            return next;
        }
        next.past = self.past.clone();
        // Changed twice on one day: the day's first class never counted.
        if self.since != Some(on) {
            next.past.push(PastSchooling {
                class: self.class.clone(),
                groups: self.groups.clone(),
                from: self.since,
                until: on,
            });
        }
        next.since = Some(on);
        next
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildLink {
    pub pupil: u64,
    pub responsibility: Responsibility,
}

/// Level of a parent's link to a pupil (`niveauResp` of the directory feed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsibility {
    /// 1: responsable légal.
    Legal,
    /// 2: personne en charge.
    InCharge,
}

impl Responsibility {
    pub fn label(self) -> &'static str {
        match self {
            Responsibility::Legal => "Responsable légal",
            Responsibility::InCharge => "Personne en charge",
        }
    }
}

impl Account {
    /// « Prénom Nom », as people are greeted and listed.
    pub fn display_name(&self) -> String {
        // Joined by hand: `format!` costs several times more, and a parent's home page lists
        // every teacher of every child.
        let mut name = String::with_capacity(self.first_name.len() + 1 + self.last_name.len());
        name.push_str(&self.first_name);
        name.push(' ');
        name.push_str(&self.last_name);
        name
    }

    pub fn is_active(&self) -> bool {
        self.state == AccountState::Active
    }

    pub fn class(&self) -> Option<&str> {
        self.pupil.as_ref().and_then(|pupil| pupil.class.as_deref())
    }

    pub fn is_parent_of(&self, pupil: u64) -> bool {
        self.children.iter().any(|link| link.pupil == pupil)
    }
}
