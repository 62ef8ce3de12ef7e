//! Publishing resources: creation, edition and deletion with their checks, and who sees what.

pub mod files;
pub mod package_links;
pub mod resource;
pub mod resource_import;
pub mod resource_search;
pub mod understanding;
pub mod vocabulary;

use crate::domain::access::{self, Action, ResourceScope};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::resources::resource::{
    author_term, Audience, Content, PackageSummary, Resource, ResourceKind, PUBLISHED_TERM,
};
use crate::domain::resources::vocabulary::Vocabulary;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};
use crate::extract::Priority;
use crate::files::media::media_type_of;
use crate::files::Staged;
use crate::package::{Limits as PackageLimits, Standard};
use crate::store::keys;

/// What a person submits to create or change a resource.
#[derive(Debug, Default)]
pub struct ResourceDraft {
    pub title: String,
    pub description: String,
    /// `None`: taken from the uploaded file (or a link for a URL).
    pub kind: Option<ResourceKind>,
    pub disciplines: Vec<String>,
    pub levels: Vec<String>,
    pub themes: Vec<String>,
    pub keywords: Vec<String>,
    pub licence: String,
    pub source: DraftSource,
    /// `None`: the whole establishment.
    pub targets: Option<Vec<Target>>,
    pub published: bool,
}

/// Where the content of a draft comes from.
#[derive(Debug, Default)]
pub enum DraftSource {
    /// Keep the current content (an edit that changes only the description, say).
    #[default]
    Keep,
    Link(String),
    /// A received file: a document, a medium, or a zip package when the kind says so.
    Upload(Staged),
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
    #[error("neither a link nor a file")]
    NoContent,
    #[error("an interactive package must be a zip file")]
    PackageNeedsZip,
    #[error("not allowed to publish to {0}")]
    Target(String),
    #[error("published to classes, but none chosen")]
    NoAudience,
}

pub(crate) const MAX_TITLE: usize = 200;
pub(crate) const MAX_DESCRIPTION: usize = 5000;

/// What a resource takes as a link: an http(s) URL, without spaces, of 2000 bytes at most.
pub(crate) fn valid_link(url: &str) -> bool {
    let web = url.starts_with("https://") || url.starts_with("http://");
    web && url.len() <= 2000 && !url.contains(char::is_whitespace)
}

impl Domain {
    /// The classes and groups that concern `viewer` for resources.
    pub fn resource_targets(&self, viewer: &Account) -> Result<Vec<Target>, DomainError> {
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
            _ => targets.extend(self.establishment()?.taught_by(viewer.id)),
        }
        targets.sort();
        targets.dedup();
        Ok(targets)
    }

    /// The classes and groups `editor` may publish to, to offer in a form.
    pub fn publish_choices(&self, editor: &Account) -> Result<Vec<Target>, DomainError> {
        let establishment = self.establishment()?;
        Ok(access::publish_scope(editor, &establishment).choices(&establishment))
    }

    pub fn resource_scope(&self, viewer: &Account) -> Result<ResourceScope, DomainError> {
        Ok(access::resource_scope(
            viewer,
            &self.resource_targets(viewer)?,
        ))
    }

    /// The resource `id` if `viewer` may see it. A draft opens for its author only, and for an
    /// administrator helping them: that access is logged.
    pub fn resource_for(&self, viewer: &Account, id: u64) -> Result<Resource, DomainError> {
        let resource = self
            .store
            .resources
            .get(keys::id(id))?
            .ok_or(DomainError::UnknownResource(id))?;
        let visible = if resource.published {
            self.resource_scope(viewer)?
                .allows(&visible_terms(&resource))
        } else {
            access::allows(
                viewer,
                Action::OpenDraft {
                    author: resource.author,
                },
            )
        };
        if !visible {
            // Not found rather than forbidden: a pupil learns nothing of other classes' resources.
            return Err(DomainError::UnknownResource(id));
        }
        if !resource.published && resource.author != viewer.id {
            tracing::info!(
                admin = %viewer.login,
                resource = id,
                author = resource.author,
                "an administrator opened someone else's draft"
            );
        }
        Ok(resource)
    }

    /// The resource `id` if `editor` may change or delete it: callers ask before reading what
    /// would change it (an upload is not received for someone who may not write).
    pub fn editable_resource(&self, editor: &Account, id: u64) -> Result<Resource, DomainError> {
        let current = self.resource_for(editor, id)?;
        if access::allows(
            editor,
            Action::EditResource {
                author: current.author,
            },
        ) {
            Ok(current)
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// Creates the resource `draft` describes for `author`, who is waiting for it, and tells
    /// the pupils it is published to.
    pub fn create_resource(
        &self,
        author: &Account,
        draft: ResourceDraft,
    ) -> Result<Resource, DomainError> {
        let resource = self.create_resource_with(author, draft, Priority::Interactive)?;
        self.notify_resource(author, &resource, None);
        Ok(resource)
    }

    /// Creates a resource whose text is extracted with `priority`: a bulk import passes
    /// [`Priority::Bulk`], so that its files wait behind single uploads. Nobody is notified: a
    /// collection of a hundred resources would be a hundred lines in every pupil's feed.
    pub(crate) fn create_resource_with(
        &self,
        author: &Account,
        mut draft: ResourceDraft,
        priority: Priority,
    ) -> Result<Resource, DomainError> {
        if !access::allows(author, Action::CreateResource) {
            return Err(DomainError::Forbidden);
        }
        let incoming = self.incoming(
            std::mem::take(&mut draft.source),
            draft.kind,
            None,
            priority,
        )?;
        incoming.fill_in(&mut draft);
        let now = self.clock.now();
        let mut resource = self.checked(author, draft, self.store.next_id()?, author.id, now)?;
        self.store_with_content(author, &mut resource, incoming, None)?;
        Ok(resource)
    }

    pub fn update_resource(
        &self,
        editor: &Account,
        id: u64,
        mut draft: ResourceDraft,
    ) -> Result<Resource, DomainError> {
        let current = self.editable_resource(editor, id)?;
        let incoming = self.incoming(
            std::mem::take(&mut draft.source),
            draft.kind,
            Some(&current),
            Priority::Interactive,
        )?;
        incoming.fill_in(&mut draft);
        let mut resource = self.checked(editor, draft, id, current.author, current.created_at)?;
        resource.updated_at = self.clock.now();
        self.store_with_content(editor, &mut resource, incoming, Some(&current))?;
        self.notify_resource(editor, &resource, Some(&current));
        Ok(resource)
    }

    pub fn delete_resource(&self, editor: &Account, id: u64) -> Result<Resource, DomainError> {
        let current = self.editable_resource(editor, id)?;
        self.store.resources.remove(keys::id(id))?;
        self.store.resource_texts.remove(keys::id(id))?;
        self.unindex_resource(id)?;
        if let Some(file) = current.content.file() {
            self.release_file(&file.hash)?;
        }
        Ok(current)
    }

    /// Commits the content (an upload within the quotas), then writes the resource and its
    /// text and indexes it. A file that ends up unused is removed.
    fn store_with_content(
        &self,
        editor: &Account,
        resource: &mut Resource,
        incoming: Incoming,
        current: Option<&Resource>,
    ) -> Result<(), DomainError> {
        resource.kind = incoming.kind;
        let text = incoming.text.clone();
        resource.content = match incoming.content {
            IncomingContent::Ready(content) => content,
            IncomingContent::File(staged) => Content::File {
                file: self.accept_upload(editor, staged)?,
            },
            IncomingContent::Package(staged, package) => Content::Package {
                file: self.accept_upload(editor, staged)?,
                package,
            },
        };
        let written = self
            .store
            .resources
            .insert(keys::id(resource.id), resource)
            .map_err(DomainError::from)
            .and_then(|()| match &text {
                Some(text) => Ok(self
                    .store
                    .resource_texts
                    .insert(keys::id(resource.id), text)?),
                None => Ok(()),
            });
        if let Err(error) = written {
            if let Some(file) = resource.content.file() {
                if current.and_then(|c| c.content.file()) != Some(file) {
                    self.release_file(&file.hash)?;
                }
            }
            return Err(error);
        }
        let body = match text {
            Some(text) => text,
            None => self
                .store
                .resource_texts
                .get(keys::id(resource.id))?
                .unwrap_or_default(),
        };
        self.index_resource(resource, &body)?;
        if let Some(previous) = current.and_then(|c| c.content.file()) {
            if resource.content.file() != Some(previous) {
                self.release_file(&previous.hash)?;
            }
        }
        Ok(())
    }

    /// Checks the content of a draft without writing anything: the link, or the uploaded file
    /// (a package is inspected, a document's text extracted with `priority`).
    fn incoming(
        &self,
        source: DraftSource,
        kind: Option<ResourceKind>,
        current: Option<&Resource>,
        priority: Priority,
    ) -> Result<Incoming, DomainError> {
        let problem = |p: DraftProblem| DomainError::InvalidResource(p);
        match source {
            DraftSource::Keep => {
                let current = current.ok_or(problem(DraftProblem::NoContent))?;
                let kind = kind.unwrap_or(current.kind);
                let is_package = matches!(current.content, Content::Package { .. });
                if (kind == ResourceKind::Package) != is_package {
                    return Err(problem(DraftProblem::PackageNeedsZip));
                }
                Ok(Incoming {
                    kind,
                    content: IncomingContent::Ready(current.content.clone()),
                    text: None,
                    manifest: None,
                })
            }
            DraftSource::Link(url) => {
                let url = url.trim().to_owned();
                if !valid_link(&url) {
                    return Err(problem(DraftProblem::Url));
                }
                let kind = kind.unwrap_or(ResourceKind::Link);
                if kind == ResourceKind::Package {
                    return Err(problem(DraftProblem::PackageNeedsZip));
                }
                Ok(Incoming {
                    kind,
                    content: IncomingContent::Ready(Content::Link { url }),
                    text: Some(String::new()),
                    manifest: None,
                })
            }
            DraftSource::Upload(staged) => {
                let media_type = media_type_of(&staged.name);
                let kind = match kind {
                    None | Some(ResourceKind::Link) => kind_of_upload(&media_type),
                    Some(kind) => kind,
                };
                if kind == ResourceKind::Package {
                    if media_type != "application/zip" {
                        return Err(problem(DraftProblem::PackageNeedsZip));
                    }
                    let archive = std::fs::File::open(&staged.path)
                        .map_err(crate::files::FileError::io("open a staged package"))?;
                    let info = crate::package::inspect(
                        std::io::BufReader::new(archive),
                        &PackageLimits::default(),
                    )?;
                    let package = PackageSummary {
                        standard: standard_code(info.standard).to_owned(),
                        launch: info.launch.clone(),
                        entries: info.entries,
                        unpacked_bytes: info.unpacked_bytes,
                    };
                    let text = Some(info.text.clone());
                    return Ok(Incoming {
                        kind,
                        content: IncomingContent::Package(staged, package),
                        text,
                        manifest: Some(info),
                    });
                }
                let text = Some(extracted_text(
                    &self.extractor,
                    &staged,
                    &media_type,
                    priority,
                ));
                Ok(Incoming {
                    kind,
                    content: IncomingContent::File(staged),
                    text,
                    manifest: None,
                })
            }
        }
    }

    /// Validates `draft`'s fields against the vocabularies and what `editor` may target; the
    /// content and kind are set from the checked [`Incoming`] afterwards.
    pub fn checked(
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
        let audience = match draft.targets {
            None => Audience::Establishment,
            Some(targets) if targets.is_empty() => return Err(problem(DraftProblem::NoAudience)),
            Some(targets) => {
                let scope = access::publish_scope(editor, &*self.establishment()?);
                if let Some(refused) = targets.iter().find(|t| !scope.allows(t)) {
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
            kind: draft.kind.unwrap_or(ResourceKind::Document),
            disciplines: clean(draft.disciplines),
            levels: clean(draft.levels),
            themes: clean(draft.themes),
            keywords: clean(draft.keywords),
            author,
            licence: draft.licence.trim().to_owned(),
            content: Content::Link { url: String::new() },
            audience,
            published: draft.published,
            created_at,
            updated_at: created_at,
        })
    }
}

/// A draft's content once checked, before anything is written.
struct Incoming {
    kind: ResourceKind,
    content: IncomingContent,
    /// Text for the index; `None` keeps what is stored.
    text: Option<String>,
    /// What a package's manifest says, to fill in what the teacher left empty.
    manifest: Option<crate::package::PackageInfo>,
}

enum IncomingContent {
    Ready(Content),
    File(Staged),
    Package(Staged, PackageSummary),
}

impl Incoming {
    /// A package's manifest brings a title, description and keywords, and through its ScoLOMFR
    /// classification the levels (with their cycle), themes and themes' disciplines that
    /// Préau's vocabularies know: they fill the fields left empty.
    fn fill_in(&self, draft: &mut ResourceDraft) {
        let Some(info) = &self.manifest else {
            return;
        };
        if draft.title.trim().is_empty() {
            if let Some(title) = &info.title {
                draft.title = title.chars().take(MAX_TITLE).collect();
            }
        }
        if draft.description.trim().is_empty() {
            if let Some(description) = &info.description {
                draft.description = description.chars().take(MAX_DESCRIPTION).collect();
            }
        }
        if draft.keywords.is_empty() {
            draft.keywords = info.keywords.clone();
        }
        let vocabulary = Vocabulary::embedded();
        let add = |list: &mut Vec<String>, id: &str| {
            if !list.iter().any(|known| known == id) {
                list.push(id.to_owned());
            }
        };
        if draft.levels.is_empty() {
            for level in info
                .taxons
                .iter()
                .filter(|id| vocabulary.level_label(id).is_some())
            {
                add(&mut draft.levels, level);
                if let Some(cycle) = vocabulary.cycle_of(level) {
                    add(&mut draft.levels, cycle);
                }
            }
        }
        let themes = info.taxons.iter().filter_map(|id| vocabulary.theme(id));
        if draft.themes.is_empty() {
            draft.themes = themes.clone().map(|theme| theme.id.clone()).collect();
        }
        if draft.disciplines.is_empty() {
            for theme in themes {
                add(&mut draft.disciplines, &theme.discipline);
            }
        }
    }
}

/// How a package's standard is stored (and shown in the API).
fn standard_code(standard: Standard) -> &'static str {
    match standard {
        Standard::Scorm12 => "scorm12",
        Standard::Scorm2004 => "scorm2004",
        Standard::ImsCp => "ims_cp",
        Standard::Html => "html",
    }
}

/// The French name of a stored standard code.
pub fn standard_label(code: &str) -> &'static str {
    let standard = match code {
        "scorm12" => Standard::Scorm12,
        "scorm2004" => Standard::Scorm2004,
        "ims_cp" => Standard::ImsCp,
        _ => Standard::Html,
    };
    standard.label_fr()
}

/// The kind an uploaded file most likely is, from its media type.
fn kind_of_upload(media_type: &str) -> ResourceKind {
    match media_type.split('/').next() {
        Some("image") => ResourceKind::Image,
        Some("audio") => ResourceKind::Audio,
        Some("video") => ResourceKind::Video,
        _ if media_type == "application/zip" => ResourceKind::Package,
        _ => ResourceKind::Document,
    }
}

/// Files above this are indexed by their metadata only.
const MAX_EXTRACTED_FILE: u64 = 64 << 20;

/// The text of an uploaded document for the index; a file whose text cannot be read is still
/// accepted, found by its title and description.
fn extracted_text(
    extractor: &crate::extract::Extractor,
    staged: &Staged,
    media_type: &str,
    priority: Priority,
) -> String {
    if staged.size > MAX_EXTRACTED_FILE {
        return String::new();
    }
    match extractor.text(&staged.path, &staged.name, media_type, priority) {
        Ok(text) => text.unwrap_or_default(),
        Err(error) => {
            tracing::warn!(%error, name = %staged.name, "no text extracted from an upload");
            String::new()
        }
    }
}

/// The classes and groups `teacher` teaches (what they may publish to).
/// Who may find `resource`: its author always; once published, its audience and those who find
/// every published resource ([`PUBLISHED_TERM`]).
pub fn visible_terms(resource: &Resource) -> Vec<String> {
    let mut terms = vec![author_term(resource.author)];
    if resource.published {
        terms.push(PUBLISHED_TERM.to_owned());
        terms.extend(resource.audience.terms());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::testing::{account, DemoSchool};

    fn demo_domain() -> (DemoSchool, Domain) {
        let school = DemoSchool::new();
        let domain = school.domain.clone();
        (school, domain)
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
            source: DraftSource::Link("https://example.org/fractions".into()),
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
        let taught = domain
            .establishment()
            .expect("establishment")
            .taught_by(teacher.id);
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
        bad.source = DraftSource::Link("javascript:alert(1)".into());
        assert!(matches!(
            domain.create_resource(&teacher, bad),
            Err(DomainError::InvalidResource(DraftProblem::Url))
        ));
        assert!(matches!(
            domain.create_resource(&teacher, draft(Some(Vec::new()))),
            Err(DomainError::InvalidResource(DraftProblem::NoAudience))
        ));
        let mut bad = draft(None);
        bad.title = "   ".into();
        assert!(matches!(
            domain.create_resource(&teacher, bad),
            Err(DomainError::InvalidResource(DraftProblem::Title))
        ));
    }

    #[test]
    fn a_package_s_scolomfr_classification_fills_empty_levels_themes_and_disciplines() {
        use std::io::Write;
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let taxon = |id: &str| format!("<lom:taxon><lom:id>{id}</lom:id></lom:taxon>");
        let classification = |source: &str, taxons: String| {
            format!(
                "<lom:classification><lom:taxonPath><lom:source><lom:string language=\"x-none\">\
                 {source}</lom:string></lom:source>{taxons}</lom:taxonPath></lom:classification>"
            )
        };
        let manifest = format!(
            r#"<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                xmlns:lom="http://ltsc.ieee.org/xsd/LOM"><metadata><lom:lom><lom:general>
                <lom:title><lom:string language="fr">Le calcul littéral</lom:string></lom:title>
                </lom:general>{}{}</lom:lom></metadata><organizations/><resources>
                <resource identifier="R" type="webcontent" href="index.html"/></resources></manifest>"#,
            classification(
                "scolomfr-voc-022",
                taxon("scolomfr-voc-022-num-021") + &taxon("scolomfr-voc-022-num-99999"),
            ),
            classification(
                "scolomfr-voc-015",
                taxon("http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-015-num-951"),
            ),
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, content) in [
            ("imsmanifest.xml", manifest.as_str()),
            (
                "index.html",
                "<!DOCTYPE html><title>Calcul</title><p>2(x + 3)</p>",
            ),
        ] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(content.as_bytes()).expect("content");
        }
        let bytes = zip.finish().expect("zip").into_inner();
        let staged = domain
            .blobs()
            .expect("file storage")
            .stage_bytes("calcul.zip", &bytes, 1 << 20)
            .expect("staged");
        let package = ResourceDraft {
            kind: Some(ResourceKind::Package),
            licence: "CC BY-SA".into(),
            source: DraftSource::Upload(staged),
            targets: Some(vec![Target::Class("4B".into())]),
            published: true,
            ..ResourceDraft::default()
        };

        let created = domain.create_resource(&teacher, package).expect("created");

        let stored = domain.resource_for(&teacher, created.id).expect("stored");
        assert_eq!(stored.title, "Le calcul littéral");
        assert_eq!(stored.levels, ["num-021", "num-631"]);
        assert_eq!(stored.themes, ["num-951"]);
        assert_eq!(stored.disciplines, ["061300"]);
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

    #[test]
    fn a_draft_is_hidden_from_direction_vie_scolaire_and_the_librarian_but_opens_for_an_administrator(
    ) {
        let (_dir, domain) = demo_domain();
        let teacher = account(&domain, "enseignant.demo");
        let mut unpublished = draft(None);
        unpublished.published = false;
        let resource = domain
            .create_resource(&teacher, unpublished)
            .expect("created");
        for profile in [
            Profile::Direction,
            Profile::VieScolaire,
            Profile::Documentaliste,
        ] {
            let overseer = domain
                .accounts
                .all()
                .filter_map(Result::ok)
                .find(|a| a.profile == profile && !a.is_admin)
                .expect("someone of that profile");
            assert!(
                matches!(
                    domain.resource_for(&overseer, resource.id),
                    Err(DomainError::UnknownResource(_))
                ),
                "{profile:?} opened a draft"
            );
        }
        let admin = account(&domain, "admin.demo");
        assert_eq!(
            domain
                .resource_for(&admin, resource.id)
                .expect("support access")
                .id,
            resource.id
        );
        assert!(domain.resource_for(&teacher, resource.id).is_ok());
    }
}
