//! A pedagogical resource that a teacher publishes to the establishment or to some classes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::school::establishment::Target;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub kind: ResourceKind,
    /// BCN codes.
    pub disciplines: Vec<String>,
    /// ScoLOMFR 022 ids (`num-021` 4e, `num-631` cycle 4…).
    pub levels: Vec<String>,
    /// ScoLOMFR 015 programme theme ids.
    pub themes: Vec<String>,
    pub keywords: Vec<String>,
    pub author: u64,
    pub licence: String,
    pub content: Content,
    pub audience: Audience,
    /// A draft is seen by its author (and administrators) only.
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Document,
    Link,
    Video,
    Audio,
    Image,
    Package,
    Exercise,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 7] = [
        ResourceKind::Document,
        ResourceKind::Link,
        ResourceKind::Video,
        ResourceKind::Audio,
        ResourceKind::Image,
        ResourceKind::Package,
        ResourceKind::Exercise,
    ];

    /// The API name, also used by the search index.
    pub fn code(self) -> &'static str {
        match self {
            ResourceKind::Document => "document",
            ResourceKind::Link => "link",
            ResourceKind::Video => "video",
            ResourceKind::Audio => "audio",
            ResourceKind::Image => "image",
            ResourceKind::Package => "package",
            ResourceKind::Exercise => "exercise",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Document => "Document",
            ResourceKind::Link => "Lien",
            ResourceKind::Video => "Vidéo",
            ResourceKind::Audio => "Audio",
            ResourceKind::Image => "Image",
            ResourceKind::Package => "Module interactif",
            ResourceKind::Exercise => "Exercice",
        }
    }
}

/// Where the resource's content is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    /// An online resource.
    Link { url: String },
    /// An uploaded file (document, image, audio, video…).
    File { file: StoredFile },
    /// An uploaded zip package (IMS CP, SCORM or plain HTML), served from its launch page.
    Package {
        file: StoredFile,
        package: PackageSummary,
    },
}

impl Content {
    pub fn file(&self) -> Option<&StoredFile> {
        match self {
            Content::Link { .. } => None,
            Content::File { file } | Content::Package { file, .. } => Some(file),
        }
    }
}

/// A file kept in the blob folder under its content hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// Lowercase hex SHA-256: the file's name under `data/files/`.
    pub hash: String,
    /// The name it was uploaded with (offered back on download).
    pub name: String,
    pub media_type: String,
    pub size: u64,
}

/// What the package inspection found, kept to serve the package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageSummary {
    /// `scorm12`, `scorm2004`, `ims_cp` or `html`.
    pub standard: String,
    /// The start page, a path inside the zip.
    pub launch: String,
    pub entries: usize,
    pub unpacked_bytes: u64,
}

/// Who the resource is published to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "targets", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone in the establishment.
    Establishment,
    /// These classes and groups.
    Targets(Vec<Target>),
}

impl Audience {
    /// The search index's audience terms of a published resource.
    pub fn terms(&self) -> Vec<String> {
        match self {
            Audience::Establishment => vec![ESTABLISHMENT_TERM.to_owned()],
            Audience::Targets(targets) => targets.iter().map(target_term).collect(),
        }
    }
}

/// The audience term of « everyone ».
pub const ESTABLISHMENT_TERM: &str = "etablissement";

/// The term every published resource has, whatever its audience: those who may find every
/// published resource look for it, and drafts never have it.
pub const PUBLISHED_TERM: &str = "publie";

pub fn target_term(target: &Target) -> String {
    match target {
        Target::Class(code) => format!("classe:{code}"),
        Target::Group(code) => format!("groupe:{code}"),
    }
}

pub fn author_term(author: u64) -> String {
    format!("auteur:{author}")
}
