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
