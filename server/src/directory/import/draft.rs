//! A person as the import leaves them: the stored account, with the feed's records applied.

use crate::directory::{self, Field, Parent, Person, Pupil, Staff, StaffProfile, Teaching};
use crate::domain::accounts::account::{Account, AccountState, Responsibility, Schooling};
use crate::domain::accounts::profile::Profile;

/// The three kinds of persons of the directory, one per kind of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PersonKind {
    Pupil,
    Parent,
    Staff,
}

impl PersonKind {
    pub fn of_profile(profile: Profile) -> Self {
        match profile {
            Profile::Eleve => Self::Pupil,
            Profile::Parent => Self::Parent,
            _ => Self::Staff,
        }
    }
}

/// Where a record came from, for the warnings about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: u64,
    pub record: String,
}

/// One person of the directory, identified by their jointure (the key of the map holding it).
#[derive(Clone, Debug)]
pub struct Draft {
    pub kind: PersonKind,
    /// The account as stored; `None` for a person new to the store.
    pub stored: Option<Account>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub profile: Profile,
    /// Pupils only.
    pub schooling: Schooling,
    /// Pupils only, when this feed gives it: the MEF, which tells the level of the class.
    pub mef: Option<String>,
    /// Pupils only: their responsible persons by jointure (the authoritative side of the link).
    pub parents: Vec<(String, Responsibility)>,
    /// Parents only, when this feed gives it: the pupils they say they are responsible for.
    pub listed_pupils: Vec<String>,
    /// Staff only: the classes they teach, as `(class code, BCN subject code)`.
    pub class_teachings: Vec<(String, String)>,
    /// Staff only: the groups they teach, as `(group code, BCN subject code)`.
    pub group_teachings: Vec<(String, String)>,
    /// Staff only: classes of which they are professeur principal.
    pub principal_of: Vec<String>,
    /// Whether the person is in the directory once the feed is applied.
    pub present: bool,
    /// The last record of this feed about the person; `None` when no record mentioned them.
    pub origin: Option<Origin>,
    /// Whether the feed said anything about the person: a record, or a full export of their kind.
    pub covered: bool,
}

impl Draft {
    /// A stored account, as the import starts from it.
    pub fn from_stored(account: Account) -> Self {
        Self {
            kind: PersonKind::of_profile(account.profile),
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            email: account.email.clone(),
            profile: account.profile,
            schooling: account.pupil.clone().unwrap_or_else(empty_schooling),
            mef: None,
            parents: Vec::new(),
            listed_pupils: Vec::new(),
            class_teachings: Vec::new(),
            group_teachings: Vec::new(),
            principal_of: Vec::new(),
            present: !matches!(account.state, AccountState::Deactivated { .. }),
            origin: None,
            covered: false,
            stored: Some(account),
        }
    }

    /// A person the store does not know yet.
    pub fn new(kind: PersonKind) -> Self {
        Self {
            kind,
            stored: None,
            first_name: String::new(),
            last_name: String::new(),
            email: None,
            profile: match kind {
                PersonKind::Pupil => Profile::Eleve,
                PersonKind::Parent => Profile::Parent,
                PersonKind::Staff => Profile::Administratif,
            },
            schooling: empty_schooling(),
            mef: None,
            parents: Vec::new(),
            listed_pupils: Vec::new(),
            class_teachings: Vec::new(),
            group_teachings: Vec::new(),
            principal_of: Vec::new(),
            present: false,
            origin: None,
            covered: false,
        }
    }

    fn person(&mut self, person: &Person, whole: bool) {
        if let Some(name) = text(&person.first_name, whole) {
            self.first_name = name.unwrap_or_default();
        }
        if let Some(name) = text(&person.last_name, whole) {
            self.last_name = name.unwrap_or_default();
        }
        if let Some(mail) = text(&person.mail, whole) {
            self.email = mail;
        }
    }

    /// Applies a pupil record of `structure`; `whole` for an `addRequest`.
    pub fn pupil(&mut self, pupil: &Pupil, structure: &str, whole: bool) {
        self.person(&pupil.person, whole);
        if let Some(date) = field(&pupil.person.birth_date, whole) {
            self.schooling.birth_date = date;
        }
        if let Some(ine) = text(&pupil.ine, whole) {
            self.schooling.ine = ine;
        }
        if let Some(classes) = field(&pupil.classes, whole) {
            self.schooling.class = classes
                .unwrap_or_default()
                .into_iter()
                .find(|class| class.structure == structure)
                .map(|class| class.code);
        }
        if let Some(groups) = field(&pupil.groups, whole) {
            self.schooling.groups = groups
                .unwrap_or_default()
                .into_iter()
                .filter(|group| group.structure == structure)
                .map(|group| group.code)
                .collect();
        }
        if let Some(mef) = field(&pupil.mef, whole) {
            self.mef = mef;
        }
        if let Some(links) = field(&pupil.parents, whole) {
            self.parents = links
                .unwrap_or_default()
                .into_iter()
                .filter_map(|link| {
                    let level = match link.responsibility {
                        directory::Responsibility::Legal => Responsibility::Legal,
                        directory::Responsibility::InCharge => Responsibility::InCharge,
                        // A contact without responsibility gets no access to the pupil.
                        directory::Responsibility::None => return None,
                    };
                    Some((link.parent, level))
                })
                .collect();
        }
    }

    /// Applies a parent record; `whole` for an `addRequest`.
    pub fn parent(&mut self, parent: &Parent, whole: bool) {
        self.person(&parent.person, whole);
        if let Some(pupils) = field(&parent.pupils, whole) {
            self.listed_pupils = pupils.unwrap_or_default();
        }
    }

    /// Applies a staff record of `structure`; `whole` for an `addRequest`.
    pub fn staff(&mut self, staff: &Staff, structure: &str, whole: bool) {
        self.person(&staff.person, whole);
        if let Some(functions) = field(&staff.functions, whole) {
            let functions = functions.unwrap_or_default();
            let here = functions
                .iter()
                .find(|function| function.structure == structure)
                .or(functions.first());
            self.profile = here.map_or(Profile::Administratif, |f| profile(f.profile));
        }
        if let Some(teachings) = field(&staff.class_subjects, whole) {
            self.class_teachings = teachings_in(teachings, structure);
        }
        if let Some(teachings) = field(&staff.group_subjects, whole) {
            self.group_teachings = teachings_in(teachings, structure);
        }
        if let Some(classes) = field(&staff.head_teacher_of, whole) {
            self.principal_of = classes
                .unwrap_or_default()
                .into_iter()
                .filter(|class| class.structure == structure)
                .map(|class| class.code)
                .collect();
        }
    }
}

/// The SDET profile of a staff function.
pub fn profile(staff: StaffProfile) -> Profile {
    match staff {
        StaffProfile::Ens => Profile::Enseignant,
        StaffProfile::Dir => Profile::Direction,
        StaffProfile::Evs => Profile::VieScolaire,
        StaffProfile::Doc => Profile::Documentaliste,
        StaffProfile::Eta => Profile::Administratif,
    }
}

/// `(class or group code, subject)` of the teachings in `structure`, without repeats.
fn teachings_in(teachings: Option<Vec<Teaching>>, structure: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for teaching in teachings.unwrap_or_default() {
        let pair = (teaching.group.code, teaching.subject);
        if teaching.group.structure == structure && !found.contains(&pair) {
            found.push(pair);
        }
    }
    found
}

fn empty_schooling() -> Schooling {
    Schooling {
        class: None,
        groups: Vec::new(),
        birth_date: None,
        ine: None,
        since: None,
        past: Vec::new(),
    }
}

/// What a record says about a field: `None` to keep the current value, `Some(value)` to set it.
/// An `addRequest` describes the whole object, so there an absent attribute clears the value.
fn field<T: Clone>(field: &Field<T>, whole: bool) -> Option<Option<T>> {
    match field {
        Field::Value(value) => Some(Some(value.clone())),
        Field::Empty => Some(None),
        Field::Absent if whole => Some(None),
        Field::Absent => None,
    }
}

fn text(value: &Field<String>, whole: bool) -> Option<Option<String>> {
    field(value, whole)
}
