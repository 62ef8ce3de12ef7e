//! Who may do what. Every permission decision of the services built so far is made here, so
//! that it can be read — and tested — as one matrix.

use super::account::Account;
use super::profile::Profile;

/// Something a person may try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The administration pages and `/api/v1/admin/*`.
    Administer,
    /// See another account's card (name, login, profile, class).
    ViewAccount { owner: u64, owner_profile: Profile },
    /// Publish pedagogical resources.
    CreateResource,
    /// Change or delete a resource.
    EditResource { author: u64 },
}

/// Which resources a person may find: every one, or those whose audience terms (see
/// [`Audience::terms`](super::resource::Audience::terms)) meet these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceScope {
    All,
    Terms(Vec<String>),
}

impl ResourceScope {
    pub fn allows(&self, terms: &[String]) -> bool {
        match self {
            ResourceScope::All => true,
            ResourceScope::Terms(mine) => terms.iter().any(|term| mine.contains(term)),
        }
    }
}

/// The resources `viewer` may find. `targets` are the classes and groups that concern them: a
/// pupil's class and groups, a parent's children's, a teacher's classes and groups taught.
pub fn resource_scope(viewer: &Account, targets: &[super::establishment::Target]) -> ResourceScope {
    use super::resource::{author_term, target_term, ESTABLISHMENT_TERM};
    if !viewer.is_active() {
        return ResourceScope::Terms(Vec::new());
    }
    if viewer.is_admin
        || matches!(
            viewer.profile,
            Profile::Direction | Profile::Documentaliste | Profile::VieScolaire
        )
    {
        return ResourceScope::All;
    }
    let mut terms = vec![ESTABLISHMENT_TERM.to_owned(), author_term(viewer.id)];
    terms.extend(targets.iter().map(target_term));
    ResourceScope::Terms(terms)
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
        Action::EditResource { author } => viewer.is_admin || viewer.id == author,
        Action::ViewAccount {
            owner,
            owner_profile,
        } => {
            owner == viewer.id
                || viewer.is_admin
                || viewer.profile.is_staff()
                || (viewer.profile == Profile::Parent
                    && owner_profile == Profile::Eleve
                    && viewer.is_parent_of(owner))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::{AccountState, ChildLink, Responsibility};

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
        use crate::domain::establishment::Target;
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
        assert_eq!(
            resource_scope(&person(1, Profile::Direction, false), &[]),
            ResourceScope::All
        );
        assert_eq!(
            resource_scope(&person(1, Profile::Eleve, true), &[]),
            ResourceScope::All
        );
    }

    #[test]
    fn account_cards_follow_profile_and_ownership() {
        let pupil_card = Action::ViewAccount {
            owner: 10,
            owner_profile: Profile::Eleve,
        };
        let mut parent = person(2, Profile::Parent, false);
        assert!(!allows(&parent, pupil_card));
        parent.children.push(ChildLink {
            pupil: 10,
            responsibility: Responsibility::Legal,
        });
        assert!(allows(&parent, pupil_card));
        assert!(!allows(&person(11, Profile::Eleve, false), pupil_card));
        assert!(allows(&person(10, Profile::Eleve, false), pupil_card));
        for staff in [
            Profile::Enseignant,
            Profile::Documentaliste,
            Profile::Direction,
            Profile::VieScolaire,
            Profile::Administratif,
        ] {
            assert!(allows(&person(3, staff, false), pupil_card), "{staff:?}");
        }
        let parent_card = Action::ViewAccount {
            owner: 20,
            owner_profile: Profile::Parent,
        };
        assert!(!allows(&parent, parent_card));
    }
}
