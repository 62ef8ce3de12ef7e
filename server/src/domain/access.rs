//! Who may do what. Every permission decision of the services built so far is made here, so
//! that it can be read — and tested — as one matrix.

use super::accounts::account::Account;
use super::accounts::profile::Profile;
use super::agenda::event::EventAudience;
use super::messages::rules::{CommunicationRules, Reach, Sender};
use super::news::item::NewsAudience;
use super::school::establishment::{Establishment, Target};

/// Something a person may try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// The administration pages and `/api/v1/admin/*`.
    Administer,
    /// See a person's card (name, login, profile, class, e-mail, relatives).
    ViewAccount(&'a Card<'a>),
    /// Publish pedagogical resources.
    CreateResource,
    /// Change or delete a resource.
    EditResource { author: u64 },
    /// Open an unpublished resource: its author's, and an administrator's for support.
    OpenDraft { author: u64 },
    /// See the timetable of a class or group. `viewer_targets` are the classes and groups that
    /// concern the viewer, as the caller read them: a pupil's own, a parent's children's, a
    /// teacher's taught ones.
    ViewTimetable {
        target: &'a Target,
        viewer_targets: &'a [Target],
    },
    /// Enter, import and change the timetable.
    ManageTimetable,
    /// Read the cahier de textes of a class or group on a date. `viewer_targets` are the classes
    /// and groups that concern the viewer on that date, as the caller read them: those a pupil
    /// was in then, those a parent's child was in then, those a teacher teaches or leads.
    ReadLogbook {
        target: &'a Target,
        viewer_targets: &'a [Target],
    },
    /// Fill the cahier de textes of a session taught by `teachers` (with its replacement).
    WriteLogbook { teachers: &'a [u64] },
    /// Put direction's visa on an entry.
    VisaLogbook,
    /// Hand in a file for a homework the pupil may read.
    HandIn,
    /// See and download what pupils handed in for a homework of a session taught by `teachers`.
    ReadHandIns { teachers: &'a [u64] },
    /// See an agenda event by `author` for `audience`. `viewer_targets` are the classes and
    /// groups that concern the viewer: a pupil's, a parent's children's, a teacher's.
    SeeEvent {
        audience: &'a EventAudience,
        author: u64,
        viewer_targets: &'a [Target],
    },
    /// Create an event for `audience`; `teaches` are the classes and groups the viewer teaches
    /// or leads.
    CreateEvent {
        audience: &'a EventAudience,
        teaches: &'a [Target],
    },
    /// Change or remove an event by `author` for `audience`.
    EditEvent {
        author: u64,
        audience: &'a EventAudience,
    },
    /// See a news item by `author` for `audience`; `viewer_targets` as for events.
    SeeNews {
        audience: &'a NewsAudience,
        author: u64,
        viewer_targets: &'a [Target],
    },
    /// Publish news for `audience`; `teaches` as for events.
    PublishNews {
        audience: &'a NewsAudience,
        teaches: &'a [Target],
    },
    /// Remove a news item by `author`.
    RemoveNews { author: u64 },
    /// Write a message to someone who stands to the viewer as `reach`, under the
    /// administrator's `rules`. `answering`: that person wrote the message being answered, and
    /// whoever received a message may answer its sender.
    WriteMessage {
        reach: Reach,
        rules: &'a CommunicationRules,
        answering: bool,
    },
    /// Read the notifications of `owner`, see how many are unseen and mark them seen.
    ReadNotifications { owner: u64 },
    /// Sign in to a service of the CAS registry open to `profiles` (`None`: every profile).
    OpenCasService { profiles: Option<&'a [Profile]> },
}

/// Whose card is asked for, and what links the viewer to them, as the caller read it from the
/// store: the decision itself stays here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Card<'a> {
    pub owner: u64,
    pub owner_profile: Profile,
    /// Where the owner is schooled: a pupil's class and groups, a parent's children's.
    pub owner_targets: &'a [Target],
    /// The classes and groups the viewer teaches or leads (empty for anyone but a teacher).
    pub viewer_teaches: &'a [Target],
}

/// Where a person may publish resources: administrators anywhere, anyone else (a teacher, in
/// practice: see [`Action::CreateResource`]) to the classes and groups they teach or lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishScope {
    Anywhere,
    Only(Vec<Target>),
}

impl PublishScope {
    pub fn allows(&self, target: &Target) -> bool {
        match self {
            PublishScope::Anywhere => true,
            PublishScope::Only(targets) => targets.contains(target),
        }
    }

    /// The classes and groups of `establishment` to offer in a publishing form.
    pub fn choices(&self, establishment: &Establishment) -> Vec<Target> {
        match self {
            PublishScope::Anywhere => establishment.targets(),
            PublishScope::Only(targets) => targets.clone(),
        }
    }
}

pub fn publish_scope(editor: &Account, establishment: &Establishment) -> PublishScope {
    if editor.is_admin {
        PublishScope::Anywhere
    } else {
        PublishScope::Only(establishment.taught_by(editor.id))
    }
}

/// Which resources a person may find: those whose index terms (see
/// [`visible_terms`](super::resources::visible_terms)) meet these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceScope {
    pub terms: Vec<String>,
}

impl ResourceScope {
    pub fn allows(&self, terms: &[String]) -> bool {
        terms.iter().any(|term| self.terms.contains(term))
    }
}

/// The resources `viewer` may find: their own, drafts included, and published ones meant for
/// them. `targets` are the classes and groups that concern them: a pupil's class and groups, a
/// parent's children's, a teacher's classes and groups taught. Direction, vie scolaire, the
/// librarian and administrators find every published resource; nobody finds another's drafts
/// (an administrator opens one only by its address, see [`Action::OpenDraft`]).
pub fn resource_scope(viewer: &Account, targets: &[Target]) -> ResourceScope {
    use super::resources::resource::{
        author_term, target_term, ESTABLISHMENT_TERM, PUBLISHED_TERM,
    };
    if !viewer.is_active() {
        return ResourceScope { terms: Vec::new() };
    }
    let mut terms = vec![author_term(viewer.id)];
    if viewer.is_admin
        || matches!(
            viewer.profile,
            Profile::Direction | Profile::Documentaliste | Profile::VieScolaire
        )
    {
        terms.push(PUBLISHED_TERM.to_owned());
    } else {
        terms.push(ESTABLISHMENT_TERM.to_owned());
        terms.extend(targets.iter().map(target_term));
    }
    ResourceScope { terms }
}

/// Which classes' lists (pupils, teachers) a person may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassScope {
    /// Direction, vie scolaire, librarian, administrative staff and administrators: every class.
    All,
    /// A teacher: the classes they teach or lead.
    Only(Vec<String>),
    /// Pupils and parents: no class list (a parent sees their children's teachers on the home page).
    None,
}

impl ClassScope {
    pub fn includes(&self, class: &str) -> bool {
        match self {
            ClassScope::All => true,
            ClassScope::Only(classes) => classes.iter().any(|c| c == class),
            ClassScope::None => false,
        }
    }
}

/// The classes `viewer` may list; `duties` are the classes they teach or lead.
pub fn class_scope(viewer: &Account, duties: impl FnOnce() -> Vec<String>) -> ClassScope {
    if !viewer.is_active() {
        return ClassScope::None;
    }
    if viewer.is_admin {
        return ClassScope::All;
    }
    match viewer.profile {
        Profile::Eleve | Profile::Parent => ClassScope::None,
        Profile::Enseignant => ClassScope::Only(duties()),
        Profile::Documentaliste
        | Profile::Direction
        | Profile::VieScolaire
        | Profile::Administratif => ClassScope::All,
    }
}

/// Who asks for an operation that the command line and the scheduler run as well as people.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A signed-in person: [`allows`] decides.
    Person(&'a Account),
    /// The appliance itself: its command line, run by whoever holds a shell on the box (who
    /// could read the store anyway), and its scheduler. It administers and does nothing else.
    System,
}

impl Actor<'_> {
    /// The login to name in logs.
    pub fn login(&self) -> &str {
        match self {
            Actor::Person(account) => &account.login,
            Actor::System => "(système)",
        }
    }
}

/// Decides whether `actor` may perform `action`.
pub fn actor_allows(actor: Actor, action: Action) -> bool {
    match actor {
        Actor::Person(viewer) => allows(viewer, action),
        Actor::System => action == Action::Administer,
    }
}

/// Decides whether `viewer` may perform `action`.
pub fn allows(viewer: &Account, action: Action) -> bool {
    if !viewer.is_active() {
        return false;
    }
    match action {
        Action::Administer => viewer.is_admin,
        Action::CreateResource => {
            viewer.is_admin
                || matches!(
                    viewer.profile,
                    Profile::Enseignant | Profile::Documentaliste | Profile::Direction
                )
        }
        Action::EditResource { author } | Action::OpenDraft { author } => {
            viewer.is_admin || viewer.id == author
        }
        Action::ViewAccount(card) => may_view_card(viewer, card),
        Action::ViewTimetable {
            target,
            viewer_targets,
        } => {
            viewer.is_admin
                || matches!(
                    viewer.profile,
                    Profile::Direction
                        | Profile::VieScolaire
                        | Profile::Administratif
                        | Profile::Documentaliste
                )
                || viewer_targets.contains(target)
        }
        Action::ManageTimetable => {
            viewer.is_admin || matches!(viewer.profile, Profile::Direction | Profile::VieScolaire)
        }
        Action::ReadLogbook {
            target,
            viewer_targets,
        } => {
            viewer.is_admin
                || matches!(viewer.profile, Profile::Direction | Profile::VieScolaire)
                || viewer_targets.contains(target)
        }
        // The cahier de textes is the teacher's own record: only who teaches the session writes
        // it, not even an administrator.
        Action::WriteLogbook { teachers } | Action::ReadHandIns { teachers } => {
            viewer.profile == Profile::Enseignant && teachers.contains(&viewer.id)
        }
        Action::VisaLogbook => viewer.profile == Profile::Direction,
        Action::SeeEvent {
            audience,
            author,
            viewer_targets,
        } => match audience {
            EventAudience::Establishment => true,
            EventAudience::Staff => viewer.is_admin || viewer.profile.is_staff(),
            EventAudience::Targets(targets) => {
                oversees_school(viewer)
                    || viewer.id == author
                    || targets.iter().any(|target| viewer_targets.contains(target))
            }
            EventAudience::Personal => viewer.id == author,
        },
        // Anyone keeps a personal agenda; the establishment's and the staff's are direction's
        // and vie scolaire's; a teacher adds events for the classes and groups they teach.
        Action::CreateEvent { audience, teaches } => match audience {
            EventAudience::Personal => true,
            EventAudience::Establishment | EventAudience::Staff => oversees_school(viewer),
            EventAudience::Targets(targets) => {
                oversees_school(viewer)
                    || (viewer.profile == Profile::Enseignant
                        && !targets.is_empty()
                        && targets.iter().all(|target| teaches.contains(target)))
            }
        },
        Action::SeeNews {
            audience,
            author,
            viewer_targets,
        } => match audience {
            NewsAudience::Establishment => true,
            NewsAudience::Staff => viewer.is_admin || viewer.profile.is_staff(),
            NewsAudience::Targets(targets) => {
                oversees_school(viewer)
                    || viewer.id == author
                    || targets.iter().any(|target| viewer_targets.contains(target))
            }
        },
        // Direction and vie scolaire publish to everyone; a teacher to the classes and groups
        // they teach.
        Action::PublishNews { audience, teaches } => match audience {
            NewsAudience::Establishment | NewsAudience::Staff => oversees_school(viewer),
            NewsAudience::Targets(targets) => {
                oversees_school(viewer)
                    || (viewer.profile == Profile::Enseignant
                        && !targets.is_empty()
                        && targets.iter().all(|target| teaches.contains(target)))
            }
        },
        Action::RemoveNews { author } => {
            viewer.id == author || viewer.is_admin || viewer.profile == Profile::Direction
        }
        Action::EditEvent { author, audience } => {
            viewer.id == author
                || (*audience != EventAudience::Personal
                    && (viewer.is_admin || viewer.profile == Profile::Direction))
        }
        Action::HandIn => viewer.profile == Profile::Eleve,
        Action::WriteMessage {
            reach,
            rules,
            answering,
        } => answering || rules.allows(Sender::of(viewer), reach),
        // A feed says what one receives: nobody reads another's, not even an administrator.
        Action::ReadNotifications { owner } => viewer.id == owner,
        // The administrator's list of profiles decides, for administrators too: a staff-only
        // service is not opened by an administrator whose profile is a pupil's.
        Action::OpenCasService { profiles } => {
            profiles.is_none_or(|profiles| profiles.contains(&viewer.profile))
        }
    }
}

/// Whether the messagerie is a service of `viewer`: everyone who may sign in.
pub fn uses_messages(viewer: &Account) -> bool {
    viewer.is_active()
}

/// Direction, vie scolaire and administrators: they see and announce for every class.
fn oversees_school(viewer: &Account) -> bool {
    viewer.is_admin || matches!(viewer.profile, Profile::Direction | Profile::VieScolaire)
}

/// Whether the cahier de textes is a service of `viewer` at all (the navigation): pupils, parents,
/// teachers, vie scolaire, direction and administrators. What each may read is
/// [`Action::ReadLogbook`].
pub fn uses_logbook(viewer: &Account) -> bool {
    viewer.is_active()
        && (viewer.is_admin
            || matches!(
                viewer.profile,
                Profile::Eleve
                    | Profile::Parent
                    | Profile::Enseignant
                    | Profile::Direction
                    | Profile::VieScolaire
            ))
}

/// What a card shows beyond name, login, profile, schooling and teaching, to a viewer who may
/// open it ([`Action::ViewAccount`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardDetail {
    /// The e-mail address.
    pub email: bool,
    /// A pupil's parents (each still only if the viewer may open the parent's own card).
    pub guardians: bool,
    /// A parent's children (each still only if the viewer may open the child's card).
    pub children: bool,
}

/// Staff and administrators see a card whole; a person sees their own e-mail and children but
/// not the parents listed on their own card (a pupil's family situation is the school's to show).
pub fn card_detail(viewer: &Account, owner: u64) -> CardDetail {
    let staff = viewer.is_admin || viewer.profile.is_staff();
    let own = viewer.id == owner;
    CardDetail {
        email: staff || own,
        guardians: staff,
        children: staff || own,
    }
}

/// A person sees their own card. Beyond it: a parent their children; a teacher their colleagues,
/// the pupils of the classes and groups they teach and those pupils' parents; the librarian the
/// staff and every pupil (not the parents); vie scolaire, direction, the administrative staff
/// and ENT administrators everyone.
fn may_view_card(viewer: &Account, card: &Card<'_>) -> bool {
    if card.owner == viewer.id || viewer.is_admin {
        return true;
    }
    let taught = || {
        card.owner_targets
            .iter()
            .any(|target| card.viewer_teaches.contains(target))
    };
    match viewer.profile {
        Profile::Eleve => false,
        Profile::Parent => card.owner_profile == Profile::Eleve && viewer.is_parent_of(card.owner),
        Profile::Enseignant => card.owner_profile.is_staff() || taught(),
        Profile::Documentaliste => card.owner_profile != Profile::Parent,
        Profile::VieScolaire | Profile::Direction | Profile::Administratif => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::account::{AccountState, ChildLink, Responsibility};

    fn person(id: u64, profile: Profile, is_admin: bool) -> Account {
        let now = chrono::Utc::now();
        Account {
            id,
            login: format!("p{id}"),
            first_name: "P".into(),
            last_name: "Q".into(),
            email: None,
            profile,
            is_admin,
            state: AccountState::Active,
            password_hash: None,
            must_change_password: false,
            jointure: None,
            pupil: None,
            children: Vec::new(),
            created_at: now,
            updated_at: now,
            password_changed_at: None,
        }
    }

    #[test]
    fn administrators_publish_anywhere_and_teachers_where_they_teach() {
        use crate::domain::school::establishment::{Class, Group, Principal, Teaching};
        let class = |code: &str| Class {
            code: code.into(),
            label: code.into(),
            level: None,
        };
        let establishment = Establishment {
            classes: vec![class("4A"), class("4B"), class("3C")],
            groups: vec![Group {
                code: "LATIN".into(),
                label: "Latin".into(),
            }],
            teachings: vec![Teaching {
                teacher: 7,
                target: Target::Group("LATIN".into()),
                subject: "020100".into(),
            }],
            principals: vec![Principal {
                teacher: 7,
                class: "4B".into(),
            }],
            ..Establishment::default()
        };
        let admin = publish_scope(&person(1, Profile::Administratif, true), &establishment);
        assert_eq!(admin, PublishScope::Anywhere);
        assert_eq!(admin.choices(&establishment).len(), 4);
        let teacher = publish_scope(&person(7, Profile::Enseignant, false), &establishment);
        assert!(teacher.allows(&Target::Class("4B".into())));
        assert!(teacher.allows(&Target::Group("LATIN".into())));
        assert!(!teacher.allows(&Target::Class("4A".into())));
        assert_eq!(teacher.choices(&establishment).len(), 2);
        // Another teacher of the same establishment teaches none of these.
        let other = publish_scope(&person(8, Profile::Enseignant, false), &establishment);
        assert!(other.choices(&establishment).is_empty());
        assert!(!other.allows(&Target::Class("4B".into())));
    }

    #[test]
    fn a_timetable_is_seen_by_those_it_concerns_and_the_staff_and_managed_by_vie_scolaire_and_direction(
    ) {
        let class = Target::Class("4B".into());
        let linked = [Target::Class("4B".into()), Target::Group("4-ESP2".into())];
        let other = [Target::Class("3A".into())];
        for profile in Profile::ALL {
            let viewer = person(3, profile, false);
            let staff = matches!(
                profile,
                Profile::Direction
                    | Profile::VieScolaire
                    | Profile::Administratif
                    | Profile::Documentaliste
            );
            let view = |targets: &[Target]| {
                allows(
                    &viewer,
                    Action::ViewTimetable {
                        target: &class,
                        viewer_targets: targets,
                    },
                )
            };
            // Pupils, parents and teachers through their links; the staff whatever the class.
            assert!(view(&linked), "{profile:?}");
            assert_eq!(view(&other), staff, "{profile:?}");
            assert_eq!(view(&[]), staff, "{profile:?}");
            let manages = matches!(profile, Profile::Direction | Profile::VieScolaire);
            assert_eq!(
                allows(&viewer, Action::ManageTimetable),
                manages,
                "{profile:?}"
            );
            let admin = person(4, profile, true);
            assert!(allows(&admin, Action::ManageTimetable));
            assert!(allows(
                &admin,
                Action::ViewTimetable {
                    target: &class,
                    viewer_targets: &[]
                }
            ));
        }
        let mut gone = person(5, Profile::VieScolaire, false);
        gone.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!allows(&gone, Action::ManageTimetable));
    }

    #[test]
    fn a_cahier_de_textes_is_read_by_those_it_concerns_written_by_its_teachers_and_signed_by_direction(
    ) {
        let four_b = Target::Class("4B".into());
        let mine = [four_b.clone()];
        let read = |viewer: &Account, targets: &[Target]| {
            allows(
                viewer,
                Action::ReadLogbook {
                    target: &four_b,
                    viewer_targets: targets,
                },
            )
        };
        let pupil = person(3, Profile::Eleve, false);
        let teacher = person(7, Profile::Enseignant, false);
        let colleague = person(8, Profile::Enseignant, false);
        let head = person(9, Profile::Direction, false);
        let cpe = person(10, Profile::VieScolaire, false);
        let admin = person(11, Profile::Administratif, true);
        let secretary = person(12, Profile::Administratif, false);
        assert!(read(&pupil, &mine) && !read(&pupil, &[]));
        assert!(read(&teacher, &mine) && !read(&colleague, &[]));
        assert!(read(&head, &[]) && read(&cpe, &[]) && read(&admin, &[]));
        assert!(!read(&secretary, &[]));
        let teachers = [7];
        let write = |viewer: &Account| {
            allows(
                viewer,
                Action::WriteLogbook {
                    teachers: &teachers,
                },
            )
        };
        assert!(write(&teacher));
        assert!(!write(&colleague) && !write(&head) && !write(&admin) && !write(&pupil));
        assert!(allows(
            &teacher,
            Action::ReadHandIns {
                teachers: &teachers
            }
        ));
        assert!(!allows(
            &colleague,
            Action::ReadHandIns {
                teachers: &teachers
            }
        ));
        assert!(allows(&head, Action::VisaLogbook));
        assert!(!allows(&cpe, Action::VisaLogbook) && !allows(&admin, Action::VisaLogbook));
        assert!(allows(&pupil, Action::HandIn) && !allows(&teacher, Action::HandIn));
        let mut left = person(3, Profile::Eleve, false);
        left.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!read(&left, &mine) && !allows(&left, Action::HandIn));
    }

    #[test]
    fn events_are_seen_by_their_audience_and_announced_by_those_in_charge() {
        let four_b = Target::Class("4B".into());
        let mine = [four_b.clone()];
        let pupil = person(3, Profile::Eleve, false);
        let parent = person(4, Profile::Parent, false);
        let teacher = person(7, Profile::Enseignant, false);
        let head = person(9, Profile::Direction, false);
        let cpe = person(10, Profile::VieScolaire, false);
        let secretary = person(12, Profile::Administratif, false);
        let class = EventAudience::Targets(vec![four_b.clone()]);
        let see = |viewer: &Account, audience: &EventAudience, author: u64, targets: &[Target]| {
            allows(
                viewer,
                Action::SeeEvent {
                    audience,
                    author,
                    viewer_targets: targets,
                },
            )
        };
        assert!(see(&pupil, &EventAudience::Establishment, 9, &[]));
        assert!(see(&parent, &class, 9, &mine) && see(&pupil, &class, 9, &mine));
        assert!(!see(&pupil, &class, 9, &[]) && !see(&parent, &class, 9, &[]));
        assert!(see(&cpe, &class, 9, &[]) && see(&head, &class, 7, &[]));
        assert!(!see(&pupil, &EventAudience::Staff, 9, &mine));
        assert!(see(&secretary, &EventAudience::Staff, 9, &[]));
        assert!(see(&pupil, &EventAudience::Personal, 3, &[]));
        assert!(
            !see(&head, &EventAudience::Personal, 3, &[]),
            "a personal agenda is private"
        );
        let create = |viewer: &Account, audience: &EventAudience, teaches: &[Target]| {
            allows(viewer, Action::CreateEvent { audience, teaches })
        };
        assert!(create(&pupil, &EventAudience::Personal, &[]));
        assert!(
            !create(&pupil, &class, &mine)
                && !create(&teacher, &EventAudience::Establishment, &mine)
        );
        assert!(create(&teacher, &class, &mine) && !create(&teacher, &class, &[]));
        assert!(create(&cpe, &EventAudience::Establishment, &[]) && create(&head, &class, &[]));
        let edit = |viewer: &Account, author: u64, audience: &EventAudience| {
            allows(viewer, Action::EditEvent { author, audience })
        };
        assert!(edit(&teacher, 7, &class) && !edit(&teacher, 8, &class));
        assert!(edit(&head, 7, &class) && !edit(&head, 3, &EventAudience::Personal));
        assert!(!edit(&cpe, 9, &EventAudience::Establishment));
    }

    #[test]
    fn news_reaches_its_audience_and_comes_from_those_in_charge_of_it() {
        let four_b = Target::Class("4B".into());
        let mine = [four_b.clone()];
        let class = NewsAudience::Targets(vec![four_b.clone()]);
        let pupil = person(3, Profile::Eleve, false);
        let teacher = person(7, Profile::Enseignant, false);
        let head = person(9, Profile::Direction, false);
        let cpe = person(10, Profile::VieScolaire, false);
        let see = |viewer: &Account, audience: &NewsAudience, targets: &[Target]| {
            allows(
                viewer,
                Action::SeeNews {
                    audience,
                    author: 7,
                    viewer_targets: targets,
                },
            )
        };
        assert!(see(&pupil, &NewsAudience::Establishment, &[]));
        assert!(see(&pupil, &class, &mine) && !see(&pupil, &class, &[]));
        assert!(
            !see(&pupil, &NewsAudience::Staff, &mine) && see(&teacher, &NewsAudience::Staff, &[])
        );
        assert!(
            see(&cpe, &class, &[]) && see(&teacher, &class, &[]),
            "its author sees it"
        );
        let publish = |viewer: &Account, audience: &NewsAudience, teaches: &[Target]| {
            allows(viewer, Action::PublishNews { audience, teaches })
        };
        assert!(!publish(&pupil, &class, &mine));
        assert!(
            publish(&teacher, &class, &mine)
                && !publish(&teacher, &NewsAudience::Establishment, &mine)
        );
        assert!(!publish(&teacher, &class, &[]));
        assert!(publish(&cpe, &NewsAudience::Establishment, &[]) && publish(&head, &class, &[]));
        assert!(allows(&teacher, Action::RemoveNews { author: 7 }));
        assert!(
            !allows(&cpe, Action::RemoveNews { author: 7 })
                && allows(&head, Action::RemoveNews { author: 7 })
        );
    }

    #[test]
    fn messages_follow_the_rules_and_a_sender_may_always_be_answered() {
        use crate::domain::messages::rules::{CommunicationRules, Reach, Sender};
        let rules = CommunicationRules::default();
        let write = |viewer: &Account, reach: Reach, answering: bool| {
            allows(
                viewer,
                Action::WriteMessage {
                    reach,
                    rules: &rules,
                    answering,
                },
            )
        };
        for profile in Profile::ALL {
            let viewer = person(3, profile, false);
            let sender = Sender::of(&viewer);
            for reach in Reach::ALL {
                let expected = match sender {
                    Sender::Pupil | Sender::Parent => matches!(
                        reach,
                        Reach::TheirTeacher | Reach::VieScolaire | Reach::Direction
                    ),
                    Sender::Teacher | Sender::OtherStaff => reach.applies_to(sender),
                };
                assert_eq!(
                    write(&viewer, reach, false),
                    expected,
                    "{profile:?} {reach:?}"
                );
                assert!(write(&viewer, reach, true), "{profile:?} answers {reach:?}");
            }
            assert!(uses_messages(&viewer));
        }
        let mut gone = person(5, Profile::Enseignant, false);
        gone.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!write(&gone, Reach::Teacher, true) && !uses_messages(&gone));
        let open = CommunicationRules::of([(Sender::Pupil, Reach::Classmate)]);
        let pupil = person(6, Profile::Eleve, false);
        assert!(allows(
            &pupil,
            Action::WriteMessage {
                reach: Reach::Classmate,
                rules: &open,
                answering: false
            }
        ));
        assert!(!allows(
            &pupil,
            Action::WriteMessage {
                reach: Reach::TheirTeacher,
                rules: &open,
                answering: false
            }
        ));
    }

    #[test]
    fn everyone_reads_their_own_notifications_and_nobody_another_s() {
        for profile in Profile::ALL {
            for is_admin in [false, true] {
                let viewer = person(3, profile, is_admin);
                assert!(
                    allows(&viewer, Action::ReadNotifications { owner: 3 }),
                    "{profile:?} (admin: {is_admin}) reads their own"
                );
                assert!(
                    !allows(&viewer, Action::ReadNotifications { owner: 4 }),
                    "{profile:?} (admin: {is_admin}) reads another's"
                );
            }
        }
        let mut gone = person(3, Profile::Parent, false);
        gone.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!allows(&gone, Action::ReadNotifications { owner: 3 }));
        assert!(!actor_allows(
            Actor::System,
            Action::ReadNotifications { owner: 3 }
        ));
    }

    #[test]
    fn only_administrators_administer() {
        for profile in Profile::ALL {
            assert!(
                !allows(&person(1, profile, false), Action::Administer),
                "{profile:?}"
            );
            assert!(
                allows(&person(1, profile, true), Action::Administer),
                "{profile:?}"
            );
        }
        let mut deactivated = person(1, Profile::Administratif, true);
        deactivated.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!allows(&deactivated, Action::Administer));
    }

    #[test]
    fn class_lists_are_for_staff_and_teachers_see_their_own_classes() {
        let duties = || vec!["4B".to_owned()];
        for (profile, expected) in [
            (Profile::Eleve, ClassScope::None),
            (Profile::Parent, ClassScope::None),
            (Profile::Enseignant, ClassScope::Only(vec!["4B".to_owned()])),
            (Profile::Documentaliste, ClassScope::All),
            (Profile::Direction, ClassScope::All),
            (Profile::VieScolaire, ClassScope::All),
            (Profile::Administratif, ClassScope::All),
        ] {
            assert_eq!(
                class_scope(&person(1, profile, false), duties),
                expected,
                "{profile:?}"
            );
        }
        assert_eq!(
            class_scope(&person(1, Profile::Eleve, true), duties),
            ClassScope::All
        );
        let teacher = class_scope(&person(1, Profile::Enseignant, false), duties);
        assert!(teacher.includes("4B") && !teacher.includes("3A"));
    }

    #[test]
    fn teachers_librarians_and_direction_publish_and_only_authors_edit() {
        for (profile, creates) in [
            (Profile::Eleve, false),
            (Profile::Parent, false),
            (Profile::Enseignant, true),
            (Profile::Documentaliste, true),
            (Profile::Direction, true),
            (Profile::VieScolaire, false),
            (Profile::Administratif, false),
        ] {
            assert_eq!(
                allows(&person(1, profile, false), Action::CreateResource),
                creates,
                "{profile:?}"
            );
        }
        let teacher = person(1, Profile::Enseignant, false);
        assert!(allows(&teacher, Action::EditResource { author: 1 }));
        assert!(!allows(&teacher, Action::EditResource { author: 2 }));
        assert!(allows(
            &person(9, Profile::Administratif, true),
            Action::EditResource { author: 2 }
        ));
    }

    #[test]
    fn a_pupil_finds_what_is_published_to_the_establishment_their_class_or_group() {
        let pupil = person(5, Profile::Eleve, false);
        let scope = resource_scope(
            &pupil,
            &[Target::Class("4B".into()), Target::Group("4-ESP2".into())],
        );
        assert!(scope.allows(&["etablissement".to_owned()]));
        assert!(scope.allows(&["classe:4A".to_owned(), "classe:4B".to_owned()]));
        assert!(scope.allows(&["groupe:4-ESP2".to_owned()]));
        assert!(!scope.allows(&["classe:4A".to_owned()]));
        assert!(!scope.allows(&["auteur:7".to_owned()]));
        assert!(scope.allows(&["auteur:5".to_owned()]), "one's own drafts");
        assert!(
            !scope.allows(&["publie".to_owned()]),
            "published for another class"
        );
    }

    /// Index terms of a draft by author 7, and of a resource author 7 published to 4A.
    fn draft_of_7() -> Vec<String> {
        vec!["auteur:7".to_owned()]
    }

    fn published_by_7_to_4a() -> Vec<String> {
        ["auteur:7", "publie", "classe:4A"]
            .map(str::to_owned)
            .to_vec()
    }

    #[test]
    fn staff_who_oversee_everything_find_every_published_resource_but_no_one_else_s_drafts() {
        for (profile, is_admin) in [
            (Profile::Direction, false),
            (Profile::VieScolaire, false),
            (Profile::Documentaliste, false),
            (Profile::Eleve, true),
        ] {
            let scope = resource_scope(&person(1, profile, is_admin), &[]);
            assert!(scope.allows(&published_by_7_to_4a()), "{profile:?}");
            assert!(!scope.allows(&draft_of_7()), "{profile:?} finds a draft");
            assert!(scope.allows(&["auteur:1".to_owned()]), "{profile:?}'s own");
        }
        let teacher = resource_scope(&person(1, Profile::Enseignant, false), &[]);
        assert!(!teacher.allows(&published_by_7_to_4a()));
        assert!(!teacher.allows(&draft_of_7()));
    }

    #[test]
    fn a_draft_opens_for_its_author_and_for_an_administrator_only() {
        let draft = Action::OpenDraft { author: 7 };
        assert!(allows(&person(7, Profile::Enseignant, false), draft));
        assert!(allows(&person(1, Profile::Administratif, true), draft));
        for profile in Profile::ALL {
            assert!(!allows(&person(1, profile, false), draft), "{profile:?}");
        }
    }

    fn card<'a>(
        owner: u64,
        profile: Profile,
        targets: &'a [Target],
        taught: &'a [Target],
    ) -> Card<'a> {
        Card {
            owner,
            owner_profile: profile,
            owner_targets: targets,
            viewer_teaches: taught,
        }
    }

    const NOWHERE: &[Target] = &[];

    fn class_4b() -> Vec<Target> {
        vec![Target::Class("4B".into()), Target::Group("4-ESP2".into())]
    }

    #[test]
    fn everyone_sees_their_own_card_and_a_pupil_nothing_else() {
        for profile in Profile::ALL {
            assert!(
                allows(
                    &person(10, profile, false),
                    Action::ViewAccount(&card(10, profile, NOWHERE, NOWHERE))
                ),
                "{profile:?}"
            );
        }
        let pupil = person(10, Profile::Eleve, false);
        let targets = class_4b();
        for profile in Profile::ALL {
            assert!(
                !allows(
                    &pupil,
                    Action::ViewAccount(&card(11, profile, &targets, &[]))
                ),
                "a pupil sees a {profile:?}"
            );
        }
    }

    #[test]
    fn a_parent_sees_their_own_children_only() {
        let mut parent = person(2, Profile::Parent, false);
        parent.children.push(ChildLink {
            pupil: 10,
            responsibility: Responsibility::Legal,
        });
        let targets = class_4b();
        let child = card(10, Profile::Eleve, &targets, &[]);
        assert!(allows(&parent, Action::ViewAccount(&child)));
        assert!(!allows(
            &parent,
            Action::ViewAccount(&card(11, Profile::Eleve, &targets, &[]))
        ));
        for profile in [Profile::Parent, Profile::Enseignant, Profile::Direction] {
            assert!(
                !allows(&parent, Action::ViewAccount(&card(20, profile, &[], &[]))),
                "{profile:?}"
            );
        }
    }

    #[test]
    fn a_teacher_sees_colleagues_the_pupils_they_teach_and_those_pupils_parents() {
        let teacher = person(3, Profile::Enseignant, false);
        let taught = vec![Target::Class("4B".into()), Target::Group("3-LAT".into())];
        let in_4b = vec![Target::Class("4B".into()), Target::Group("4-ESP2".into())];
        let in_3a_latin = vec![Target::Class("3A".into()), Target::Group("3-LAT".into())];
        let in_5c = vec![Target::Class("5C".into())];
        let sees = |profile, targets: &[Target]| {
            allows(
                &teacher,
                Action::ViewAccount(&card(30, profile, targets, &taught)),
            )
        };
        assert!(sees(Profile::Eleve, &in_4b), "a pupil of a taught class");
        assert!(
            sees(Profile::Eleve, &in_3a_latin),
            "a pupil of a taught group"
        );
        assert!(!sees(Profile::Eleve, &in_5c), "a pupil taught by others");
        assert!(
            sees(Profile::Parent, &in_4b),
            "the parent of a taught pupil"
        );
        assert!(!sees(Profile::Parent, &in_5c), "another parent");
        for colleague in [
            Profile::Enseignant,
            Profile::Documentaliste,
            Profile::Direction,
            Profile::VieScolaire,
            Profile::Administratif,
        ] {
            assert!(sees(colleague, &[]), "{colleague:?}");
        }
    }

    #[test]
    fn the_librarian_sees_staff_and_every_pupil_but_no_parent() {
        let librarian = person(4, Profile::Documentaliste, false);
        let targets = class_4b();
        for (profile, expected) in [
            (Profile::Eleve, true),
            (Profile::Parent, false),
            (Profile::Enseignant, true),
            (Profile::Direction, true),
            (Profile::VieScolaire, true),
            (Profile::Administratif, true),
        ] {
            assert_eq!(
                allows(
                    &librarian,
                    Action::ViewAccount(&card(40, profile, &targets, &[]))
                ),
                expected,
                "{profile:?}"
            );
        }
    }

    #[test]
    fn vie_scolaire_direction_administrative_staff_and_administrators_see_everyone() {
        let targets = class_4b();
        let viewers = [
            person(5, Profile::VieScolaire, false),
            person(5, Profile::Direction, false),
            person(5, Profile::Administratif, false),
            person(5, Profile::Eleve, true),
            person(5, Profile::Parent, true),
        ];
        for viewer in &viewers {
            for profile in Profile::ALL {
                assert!(
                    allows(
                        viewer,
                        Action::ViewAccount(&card(50, profile, &targets, &[]))
                    ),
                    "{:?} (admin: {}) → {profile:?}",
                    viewer.profile,
                    viewer.is_admin
                );
            }
        }
        let mut deactivated = person(5, Profile::Direction, false);
        deactivated.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!allows(
            &deactivated,
            Action::ViewAccount(&card(50, Profile::Eleve, &targets, &[]))
        ));
    }

    #[test]
    fn staff_see_a_card_whole_and_others_only_their_own_contact_and_children() {
        let whole = CardDetail {
            email: true,
            guardians: true,
            children: true,
        };
        let own = CardDetail {
            email: true,
            guardians: false,
            children: true,
        };
        let bare = CardDetail {
            email: false,
            guardians: false,
            children: false,
        };
        for profile in Profile::ALL {
            let viewer = person(10, profile, false);
            let expected = if profile.is_staff() { whole } else { bare };
            assert_eq!(card_detail(&viewer, 11), expected, "{profile:?} on another");
            let expected = if profile.is_staff() { whole } else { own };
            assert_eq!(card_detail(&viewer, 10), expected, "{profile:?} on own");
            assert_eq!(
                card_detail(&person(10, profile, true), 11),
                whole,
                "admin {profile:?}"
            );
        }
    }

    #[test]
    fn the_appliance_administers_and_people_as_their_profile_says() {
        assert!(actor_allows(Actor::System, Action::Administer));
        assert!(!actor_allows(Actor::System, Action::CreateResource));
        assert!(!actor_allows(
            Actor::System,
            Action::OpenDraft { author: 1 }
        ));
        let admin = person(1, Profile::Administratif, true);
        let teacher = person(2, Profile::Enseignant, false);
        assert!(actor_allows(Actor::Person(&admin), Action::Administer));
        assert!(!actor_allows(Actor::Person(&teacher), Action::Administer));
    }

    #[test]
    fn a_cas_service_opens_to_the_profiles_it_lists_and_to_everyone_without_a_list() {
        let staff = [
            Profile::Enseignant,
            Profile::VieScolaire,
            Profile::Direction,
        ];
        for profile in Profile::ALL {
            let viewer = person(1, profile, false);
            assert!(allows(&viewer, Action::OpenCasService { profiles: None }));
            assert_eq!(
                allows(
                    &viewer,
                    Action::OpenCasService {
                        profiles: Some(&staff)
                    }
                ),
                staff.contains(&profile),
                "{profile:?}"
            );
        }
        let admin_pupil = person(2, Profile::Eleve, true);
        assert!(!allows(
            &admin_pupil,
            Action::OpenCasService {
                profiles: Some(&staff)
            }
        ));
        let mut left = person(3, Profile::Enseignant, false);
        left.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        assert!(!allows(&left, Action::OpenCasService { profiles: None }));
    }
}
