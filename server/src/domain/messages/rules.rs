//! The communication rules of the messagerie: for each kind of sender, to whom they may write.
//! The administrator changes them on a page; [`access::allows`](crate::domain::access::allows)
//! applies them to every recipient, groups expanded.

use serde::{Deserialize, Serialize};

use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;

/// Store key of the one rules record.
pub const RULES_KEY: &[u8] = b"communication_rules";

/// Who writes, as the rules group people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Pupil,
    Parent,
    Teacher,
    /// Direction, vie scolaire, the librarian, administrative and technical staff.
    OtherStaff,
}

impl Sender {
    pub const ALL: [Sender; 4] = [
        Sender::Pupil,
        Sender::Parent,
        Sender::Teacher,
        Sender::OtherStaff,
    ];

    pub fn of(account: &Account) -> Self {
        match account.profile {
            Profile::Eleve => Sender::Pupil,
            Profile::Parent => Sender::Parent,
            Profile::Enseignant => Sender::Teacher,
            Profile::Documentaliste
            | Profile::Direction
            | Profile::VieScolaire
            | Profile::Administratif => Sender::OtherStaff,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sender::Pupil => "eleves",
            Sender::Parent => "parents",
            Sender::Teacher => "enseignants",
            Sender::OtherStaff => "personnels",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sender::Pupil => "Élèves",
            Sender::Parent => "Parents",
            Sender::Teacher => "Enseignants",
            Sender::OtherStaff => "Autres personnels",
        }
    }
}

/// How a recipient stands to the sender, read from the directory: their classes, groups,
/// teachings and parent links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// A teacher of the pupil who writes, or of a child of the parent who writes.
    TheirTeacher,
    /// Any other teacher.
    Teacher,
    VieScolaire,
    Direction,
    /// The librarian and the administrative and technical staff.
    OtherStaff,
    /// The parent's own child.
    OwnChild,
    /// A pupil of the writing pupil's class.
    Classmate,
    /// A pupil the writing teacher teaches.
    TaughtPupil,
    /// Any other pupil.
    Pupil,
    /// A parent of a pupil the writing teacher teaches.
    TaughtParent,
    /// Any other parent.
    Parent,
}

impl Reach {
    pub const ALL: [Reach; 11] = [
        Reach::TheirTeacher,
        Reach::Teacher,
        Reach::VieScolaire,
        Reach::Direction,
        Reach::OtherStaff,
        Reach::OwnChild,
        Reach::Classmate,
        Reach::TaughtPupil,
        Reach::Pupil,
        Reach::TaughtParent,
        Reach::Parent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reach::TheirTeacher => "leurs-enseignants",
            Reach::Teacher => "enseignants",
            Reach::VieScolaire => "vie-scolaire",
            Reach::Direction => "direction",
            Reach::OtherStaff => "autres-personnels",
            Reach::OwnChild => "leurs-enfants",
            Reach::Classmate => "camarades",
            Reach::TaughtPupil => "leurs-eleves",
            Reach::Pupil => "eleves",
            Reach::TaughtParent => "parents-de-leurs-eleves",
            Reach::Parent => "parents",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reach::TheirTeacher => "Leurs enseignants (ceux de l'élève ou de ses enfants)",
            Reach::Teacher => "Les autres enseignants",
            Reach::VieScolaire => "La vie scolaire",
            Reach::Direction => "La direction",
            Reach::OtherStaff => "Le documentaliste et les personnels administratifs",
            Reach::OwnChild => "Leurs enfants",
            Reach::Classmate => "Les élèves de leur classe",
            Reach::TaughtPupil => "Leurs élèves",
            Reach::Pupil => "Les autres élèves",
            Reach::TaughtParent => "Les parents de leurs élèves",
            Reach::Parent => "Les autres parents",
        }
    }

    /// Whether the relation can hold for that kind of sender at all (a pupil has no child).
    pub fn applies_to(self, sender: Sender) -> bool {
        match self {
            Reach::TheirTeacher => matches!(sender, Sender::Pupil | Sender::Parent),
            Reach::OwnChild => sender == Sender::Parent,
            Reach::Classmate => sender == Sender::Pupil,
            Reach::TaughtPupil | Reach::TaughtParent => sender == Sender::Teacher,
            _ => true,
        }
    }
}

/// The rules in force: the pairs allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunicationRules {
    pub allowed: Vec<(Sender, Reach)>,
}

impl Default for CommunicationRules {
    /// Safe defaults: pupils and parents write to the pupil's teachers, vie scolaire and
    /// direction; the staff write to everyone.
    fn default() -> Self {
        let mut allowed = Vec::new();
        for sender in [Sender::Pupil, Sender::Parent] {
            for reach in [Reach::TheirTeacher, Reach::VieScolaire, Reach::Direction] {
                allowed.push((sender, reach));
            }
        }
        for sender in [Sender::Teacher, Sender::OtherStaff] {
            for reach in Reach::ALL {
                if reach.applies_to(sender) {
                    allowed.push((sender, reach));
                }
            }
        }
        Self { allowed }
    }
}

impl CommunicationRules {
    pub fn allows(&self, sender: Sender, reach: Reach) -> bool {
        self.allowed.contains(&(sender, reach))
    }

    /// The rules with exactly `pairs` allowed, those that cannot hold left out.
    pub fn of(pairs: impl IntoIterator<Item = (Sender, Reach)>) -> Self {
        let mut allowed: Vec<(Sender, Reach)> = pairs
            .into_iter()
            .filter(|(sender, reach)| reach.applies_to(*sender))
            .collect();
        allowed.sort();
        allowed.dedup();
        Self { allowed }
    }
}
