//! Publishing resources: creation, edition and deletion with their checks, and who sees what.

use super::access::{self, Action, ResourceScope};
use super::account::Account;
use super::establishment::{Establishment, Target};
use super::profile::Profile;
use super::resource::{author_term, Audience, Content, Resource, ResourceKind};
use super::vocabulary::Vocabulary;
use super::{Domain, DomainError};
use crate::store::keys;

/// What a person submits to create or change a resource.
#[derive(Clone, Debug, Default)]
pub struct ResourceDraft {
    pub title: String,
    pub description: String,
    pub kind: Option<ResourceKind>,
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    pub themes: Vec<String>,
    pub keywords: Vec<String>,
    pub licence: String,
    pub url: String,
    /// `None`: the whole establishment.
    pub targets: Option<Vec<Target>>,
    pub published: bool,
}

/// Why a draft is refused, field by field (shown next to the form's fields).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DraftProblem {
    #[error("the title is empty or longer than 200 characters")]
    Title,
    #[error("the description is longer than 5000 characters")]
    Description,
    #[error("no kind")]
    Kind,
    #[error("unknown discipline {0}")]
    Discipline(String),
    #[error("unknown level {0}")]
    Level(String),
    #[error("unknown theme {0}")]
    Theme(String),
    #[error("the address is not an http(s) URL")]
    Url,
    #[error("not allowed to publish to {0}")]
    Target(String),
}

const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 5000;

impl Domain {
    /// The classes and groups that concern `viewer` for resources.
    pub fn resource_targets(&self, viewer: &Account) -> Result<Vec<Target>, DomainError> {
        let establishment = self.establishment()?;
        let mut targets = Vec::new();
        let mut add_pupil = |pupil: &Account| {
            if let Some(schooling) = &pupil.pupil {
                targets.extend(schooling.class.iter().cloned().map(Target::Class));
                targets.extend(schooling.groups.iter().cloned().map(Target::Group));
            }
        };
        match viewer.profile {
            Profile::Eleve => add_pupil(viewer),
            Profile::Parent => {
                for link in &viewer.children {
                    if let Some(child) = self.accounts.get_shared(link.pupil)? {
                        add_pupil(&child);
                    }
                }
            }
            _ => targets.extend(taught_targets(&establishment, viewer.id)),
        }
        targets.sort_by_key(|t| format!("{t:?}"));
        targets.dedup();
        Ok(targets)
    }

    pub fn resource_scope(&self, viewer: &Account) -> Result<ResourceScope, DomainError> {
        Ok(access::resource_scope(
            viewer,
            &self.resource_targets(viewer)?,
        ))
    }

    /// The resource `id` if `viewer` may see it.
    pub fn resource_for(&self, viewer: &Account, id: u64) -> Result<Resource, DomainError> {
        let resource = self
            .store
            .resources
            .get(keys::id(id))?
            .ok_or(DomainError::UnknownResource(id))?;
        if self
            .resource_scope(viewer)?
            .allows(&visible_terms(&resource))
        {
            Ok(resource)
        } else {
            // Not found rather than forbidden: a pupil learns nothing of other classes' resources.
            Err(DomainError::UnknownResource(id))
        }
    }

    pub fn create_resource(
        &self,
        author: &Account,
        draft: ResourceDraft,
    ) -> Result<Resource, DomainError> {
        if !access::allows(author, Action::CreateResource) {
            return Err(DomainError::Forbidden);
        }
        let now = self.clock.now();
        let resource = self.checked(author, draft, self.store.next_id()?, author.id, now)?;
        self.store
            .resources
            .insert(keys::id(resource.id), &resource)?;
        self.index_resource(&resource)?;
        Ok(resource)
    }

    pub fn update_resource(
        &self,
        editor: &Account,
        id: u64,
        draft: ResourceDraft,
    ) -> Result<Resource, DomainError> {
        let current = self.resource_for(editor, id)?;
        if !access::allows(
            editor,
            Action::EditResource {
                author: current.author,
            },
        ) {
            return Err(DomainError::Forbidden);
        }
        let mut resource = self.checked(editor, draft, id, current.author, current.created_at)?;
        resource.updated_at = self.clock.now();
        self.store.resources.insert(keys::id(id), &resource)?;
        self.index_resource(&resource)?;
        Ok(resource)
    }

    pub fn delete_resource(&self, editor: &Account, id: u64) -> Result<Resource, DomainError> {
        let current = self.resource_for(editor, id)?;
        if !access::allows(
            editor,
            Action::EditResource {
                author: current.author,
            },
        ) {
            return Err(DomainError::Forbidden);
        }
        self.store.resources.remove(keys::id(id))?;
        self.unindex_resource(id)?;
        Ok(current)
    }

    /// Validates `draft` against the vocabularies and what `editor` may target.
    fn checked(
        &self,
        editor: &Account,
        draft: ResourceDraft,
        id: u64,
        author: u64,
        created_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Resource, DomainError> {
        let vocabulary = Vocabulary::embedded();
        let problem = |p: DraftProblem| DomainError::InvalidResource(p);
        let title = draft.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(problem(DraftProblem::Title));
        }
        if draft.description.chars().count() > MAX_DESCRIPTION {
            return Err(problem(DraftProblem::Description));
        }
        let kind = draft.kind.ok_or(problem(DraftProblem::Kind))?;
        if let Some(unknown) = draft
            .disciplines
            .iter()
            .find(|code| vocabulary.discipline_label(code).is_none())
        {
            return Err(problem(DraftProblem::Discipline(unknown.clone())));
        }
        if let Some(unknown) = draft
            .levels
            .iter()
            .find(|id| vocabulary.level_label(id).is_none())
        {
            return Err(problem(DraftProblem::Level(unknown.clone())));
        }
        if let Some(unknown) = draft
            .themes
            .iter()
            .find(|id| vocabulary.theme(id).is_none())
        {
            return Err(problem(DraftProblem::Theme(unknown.clone())));
        }
        let url = draft.url.trim().to_owned();
        let web = url.starts_with("https://") || url.starts_with("http://");
        if !web || url.len() > 2000 || url.contains(char::is_whitespace) {
            return Err(problem(DraftProblem::Url));
        }
        let audience = match draft.targets {
            None => Audience::Establishment,
            Some(targets) => {
                let allowed = if editor.is_admin {
                    None
                } else {
                    Some(taught_targets(self.establishment()?.as_ref(), editor.id))
                };
                if let Some(refused) = targets
                    .iter()
                    .find(|t| allowed.as_ref().is_some_and(|allowed| !allowed.contains(t)))
                {
                    return Err(problem(DraftProblem::Target(format!("{refused:?}"))));
                }
                Audience::Targets(targets)
            }
        };
        let clean = |list: Vec<String>| -> Vec<String> {
            let mut list: Vec<String> = list
                .into_iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect();
            list.dedup();
            list
        };
        Ok(Resource {
            id,
            title,
            description: draft.description.trim().to_owned(),
            kind,
            disciplines: clean(draft.disciplines),
            levels: clean(draft.levels),
            themes: clean(draft.themes),
            keywords: clean(draft.keywords),
            author,
            licence: draft.licence.trim().to_owned(),
            content: Content::Link { url },
            audience,
            published: draft.published,
            created_at,
            updated_at: created_at,
        })
    }
}

/// The classes and groups `teacher` teaches (what they may publish to).
fn taught_targets(establishment: &Establishment, teacher: u64) -> Vec<Target> {
    let mut targets: Vec<Target> = establishment
        .teachings
        .iter()
        .filter(|teaching| teaching.teacher == teacher)
        .map(|teaching| teaching.target.clone())
        .collect();
    targets.extend(
        establishment
            .principals
            .iter()
            .filter(|p| p.teacher == teacher)
            .map(|p| Target::Class(p.class.clone())),
    );
    targets.sort_by_key(|t| format!("{t:?}"));
    targets.dedup();
    targets
}

/// Who may find `resource`: its audience once published, its author always.
pub fn visible_terms(resource: &Resource) -> Vec<String> {
    let mut terms = vec![author_term(resource.author)];
    if resource.published {
        terms.extend(resource.audience.terms());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::domain::clock::testing::ManualClock;
    use std::sync::Arc;

    fn demo_domain() -> (tempfile::TempDir, Domain) {
        let (dir, store) = crate::domain::accounts::tests::temp_store();
        let domain = Domain::new(
            store,
            Arc::new(crate::config::Config::default()),
            Arc::new(ManualClock::default()),
        );
        demo::seed_if_empty(&domain).expect("seeds");
        (dir, domain)
    }

    fn account(domain: &Domain, login: &str) -> Account {
        domain
            .accounts
            .by_login(login)
            .expect("reads")
            .expect("exists")
    }

    fn draft(targets: Option<Vec<Target>>) -> ResourceDraft {
        ResourceDraft {
            title: "Les fractions en 4e".into(),
            description: "Additionner des fractions : exercices corrigés.".into(),
            kind: Some(ResourceKind::Link),
            disciplines: vec!["061300".into()],
            levels: vec!["num-021".into()],
            themes: vec!["num-951".into()],
            keywords: vec!["fractions".into()],
            licence: "CC BY-SA".into(),
            url: "https://example.org/fractions".into(),
            targets,
            published: true,
        }
    }

    #[test]
    fn a_teacher_publishes_to_their_class_and_only_its_pupils_find_it() {
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let resource = domain
            .create_resource(&teacher, draft(Some(vec![Target::Class("4B".into())])))
            .expect("created");
        let lea = account(&domain, "eleve.demo");
        assert_eq!(
            domain
                .resource_for(&lea, resource.id)
                .expect("visible")
                .title,
            "Les fractions en 4e"
        );
        let parent = account(&domain, "parent.demo");
        assert!(
            domain.resource_for(&parent, resource.id).is_ok(),
            "a parent sees their child's resources"
        );
        let other = domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .find(|a| a.class() == Some("5A"))
            .expect("a pupil of 5A");
        assert!(matches!(
            domain.resource_for(&other, resource.id),
            Err(DomainError::UnknownResource(_))
        ));
    }

    #[test]
    fn a_teacher_cannot_publish_to_a_class_they_do_not_teach_and_pupils_cannot_publish() {
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let taught = taught_targets(
            domain.establishment().expect("establishment").as_ref(),
            teacher.id,
        );
        let foreign = ["6B", "6C", "5B", "5C", "4A", "4C", "3A", "3B", "3C"]
            .iter()
            .map(|c| Target::Class((*c).into()))
            .find(|t| !taught.contains(t))
            .expect("a class not taught");
        assert!(matches!(
            domain.create_resource(&teacher, draft(Some(vec![foreign]))),
            Err(DomainError::InvalidResource(DraftProblem::Target(_)))
        ));
        let pupil = account(&domain, "eleve.demo");
        assert!(matches!(
            domain.create_resource(&pupil, draft(None)),
            Err(DomainError::Forbidden)
        ));
    }

    #[test]
    fn a_draft_is_checked_against_the_vocabularies() {
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let mut bad = draft(None);
        bad.levels = vec!["num-999".into()];
        assert_eq!(
            domain
                .create_resource(&teacher, bad)
                .map(|r| r.id)
                .map_err(|e| e.to_string()),
            Err("invalid resource: unknown level num-999".into())
        );
        let mut bad = draft(None);
        bad.url = "javascript:alert(1)".into();
        assert!(matches!(
            domain.create_resource(&teacher, bad),
            Err(DomainError::InvalidResource(DraftProblem::Url))
        ));
        let mut bad = draft(None);
        bad.title = "   ".into();
        assert!(matches!(
            domain.create_resource(&teacher, bad),
            Err(DomainError::InvalidResource(DraftProblem::Title))
        ));
    }

    #[test]
    fn only_the_author_or_an_administrator_changes_or_deletes_and_a_draft_stays_private() {
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let mut unpublished = draft(None);
        unpublished.published = false;
        let resource = domain
            .create_resource(&teacher, unpublished)
            .expect("created");
        let lea = account(&domain, "eleve.demo");
        assert!(
            domain.resource_for(&lea, resource.id).is_err(),
            "drafts are the author's"
        );
        let colleague = domain
            .accounts
            .all()
            .filter_map(Result::ok)
            .find(|a| a.profile == Profile::Enseignant && a.id != teacher.id)
            .expect("another teacher");
        assert!(domain.delete_resource(&colleague, resource.id).is_err());
        let mut changed = draft(None);
        changed.title = "Fractions (corrigé)".into();
        let updated = domain
            .update_resource(&teacher, resource.id, changed)
            .expect("updated");
        assert_eq!(updated.title, "Fractions (corrigé)");
        assert!(
            domain.resource_for(&lea, resource.id).is_ok(),
            "published now"
        );
        let admin = account(&domain, "admin.demo");
        domain
            .delete_resource(&admin, resource.id)
            .expect("deleted by the admin");
        assert!(matches!(
            domain.resource_for(&teacher, resource.id),
            Err(DomainError::UnknownResource(_))
        ));
    }
}
