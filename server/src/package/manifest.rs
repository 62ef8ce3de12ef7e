//! Reads `imsmanifest.xml`: which standard the package follows, which page opens it, and the
//! LOM metadata teachers would otherwise type again.
//!
//! ```text
//! manifest      := metadata? organizations resources
//! metadata      := schema? schemaversion? (lom | adlcp:location)?
//! organizations := organization* (@default names one)
//! organization  := title? item*  (items nest; @identifierref points at a resource)
//! resources     := resource*     (@identifier, @href, @xml:base)
//! lom/general   := title? description* keyword*, each made of langstring (LOM 1.2) or string (LOM 2004)
//! lom/classification := taxonpath*, each taxon* with an id (ScoLOMFR: levels 022, themes 015)
//! ```
//! Nested sub-manifests and item- or resource-level metadata are not read.

use super::xml::{self, clean, names, Element, Visitor};
use super::{PackageError, Standard};

/// What the manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Manifest {
    pub(super) standard: Standard,
    /// The launch resource's `href` behind its `xml:base`s, relative to the manifest's folder;
    /// `None` when no resource has one.
    pub(super) launch: Option<String>,
    pub(super) lom: Lom,
    /// The title of the organisation the launch page comes from.
    pub(super) organization_title: Option<String>,
    /// A metadata file given by `adlcp:location` instead of an inline `lom`.
    pub(super) metadata_location: Option<String>,
}

/// The descriptive part of LOM metadata, each text in the language chosen for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Lom {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) keywords: Vec<String>,
    /// The taxon ids of every classification, as [`taxon_id`] shortens them, without repeats.
    pub(super) taxons: Vec<String>,
}

impl Lom {
    /// Fills what `self` lacks from `other`.
    pub(super) fn or(self, other: Lom) -> Lom {
        Lom {
            title: self.title.or(other.title),
            description: self.description.or(other.description),
            keywords: if self.keywords.is_empty() {
                other.keywords
            } else {
                self.keywords
            },
            taxons: if self.taxons.is_empty() {
                other.taxons
            } else {
                self.taxons
            },
        }
    }
}

/// Parses the bytes of `imsmanifest.xml`.
pub(super) fn parse(bytes: &[u8]) -> Result<Manifest, PackageError> {
    let mut scan = ManifestScan::default();
    xml::walk(&xml::decode(bytes), &mut scan)?;
    Ok(scan.finish())
}

/// Parses a metadata file whose root is `lom`; `None` when it is not well-formed.
pub(super) fn parse_lom(bytes: &[u8]) -> Option<Lom> {
    let mut scan = RootLomScan::default();
    xml::walk(&xml::decode(bytes), &mut scan).ok()?;
    Some(scan.lom.finish())
}

#[derive(Debug, Default)]
struct Organization {
    identifier: String,
    title: Option<String>,
    first_item_ref: Option<String>,
}

#[derive(Debug)]
struct Resource {
    identifier: String,
    href: Option<String>,
}

#[derive(Debug, Default)]
struct ManifestScan {
    schema: Option<String>,
    schema_version: Option<String>,
    /// The standard an `adlcp` namespace declaration implies.
    adlcp: Option<Standard>,
    default_organization: Option<String>,
    organizations: Vec<Organization>,
    resources: Vec<Resource>,
    metadata_location: Option<String>,
    lom: LomScan,
}

const ADLCP_SCORM_12: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
const ADLCP_SCORM_2004: &str = "http://www.adlnet.org/xsd/adlcp_v1p3";

impl Visitor for ManifestScan {
    fn open(&mut self, path: &[Element]) {
        let Some(element) = path.last() else { return };
        for namespace in element.namespaces() {
            if namespace.eq_ignore_ascii_case(ADLCP_SCORM_12) {
                self.adlcp = Some(Standard::Scorm12);
            } else if namespace.eq_ignore_ascii_case(ADLCP_SCORM_2004) {
                self.adlcp = Some(Standard::Scorm2004);
            }
        }
        match names(path).as_slice() {
            ["manifest", "metadata", "lom", rest @ ..] => self.lom.open(rest),
            ["manifest", "organizations"] => {
                self.default_organization = element.attribute("default").map(str::to_owned);
            }
            ["manifest", "organizations", "organization"] => {
                self.organizations.push(Organization {
                    identifier: element.attribute("identifier").unwrap_or("").to_owned(),
                    ..Organization::default()
                });
            }
            ["manifest", "organizations", "organization", .., "item"] => {
                let reference = element.attribute("identifierref").filter(|r| !r.is_empty());
                if let (Some(organization), Some(reference)) =
                    (self.organizations.last_mut(), reference)
                {
                    organization
                        .first_item_ref
                        .get_or_insert_with(|| reference.to_owned());
                }
            }
            ["manifest", "resources", "resource"] => self.resources.push(Resource {
                identifier: element.attribute("identifier").unwrap_or("").to_owned(),
                href: element
                    .attribute("href")
                    .filter(|href| !href.trim().is_empty())
                    .map(|href| with_bases(path, href.trim())),
            }),
            _ => {}
        }
    }

    fn close(&mut self, path: &[Element], text: &str) {
        match names(path).as_slice() {
            ["manifest", "metadata", "lom", rest @ ..] => self.lom.close(path, rest, text),
            ["manifest", "metadata", "schema"] => self.schema = clean(text),
            ["manifest", "metadata", "schemaversion"] => self.schema_version = clean(text),
            ["manifest", "metadata", "location"] => self.metadata_location = clean(text),
            ["manifest", "organizations", "organization", "title"] => {
                if let Some(organization) = self.organizations.last_mut() {
                    organization.title = clean(text);
                }
            }
            _ => {}
        }
    }
}

impl ManifestScan {
    fn finish(self) -> Manifest {
        let organization = self
            .organizations
            .iter()
            .find(|o| Some(&o.identifier) == self.default_organization.as_ref())
            .or(self.organizations.first());
        let href_of = |identifier: &String| {
            let resource = self.resources.iter().find(|r| &r.identifier == identifier);
            resource.and_then(|resource| resource.href.clone())
        };
        let launch = organization
            .and_then(|organization| organization.first_item_ref.as_ref())
            .and_then(href_of)
            .or_else(|| self.resources.iter().find_map(|r| r.href.clone()));
        Manifest {
            standard: standard(
                self.schema.as_deref(),
                self.schema_version.as_deref(),
                self.adlcp,
            ),
            launch,
            lom: self.lom.finish(),
            organization_title: organization.and_then(|o| o.title.clone()),
            metadata_location: self.metadata_location,
        }
    }
}

/// SCORM says its version in `schemaversion` ("1.2", "2004 4th Edition", "CAM 1.3"); IMS CP
/// uses "1.1.4" and the like. Manifests without metadata still bind the `adlcp` namespace of
/// their SCORM version.
fn standard(schema: Option<&str>, version: Option<&str>, adlcp: Option<Standard>) -> Standard {
    let says_scorm = schema.is_none_or(|schema| {
        let schema = schema.to_ascii_uppercase();
        schema.contains("SCORM") || schema.contains("ADL")
    });
    match version {
        Some(version) if version.contains("2004") || version.contains("CAM 1.3") => {
            Standard::Scorm2004
        }
        Some("1.2") if says_scorm || adlcp.is_some() => Standard::Scorm12,
        _ => adlcp.unwrap_or(Standard::ImsCp),
    }
}

/// `href` behind the `xml:base`s of the manifest, the resources and the resource. Each base is
/// taken as a folder: authors write `xml:base="cours"` meaning `cours/`.
fn with_bases(path: &[Element], href: &str) -> String {
    let mut joined = String::new();
    for base in path.iter().filter_map(|element| element.attribute("base")) {
        let base = base.trim();
        if base.contains("://") || base.starts_with('/') {
            // An absolute base makes the launch page external; it will not be found in the zip.
            joined.clear();
        }
        joined.push_str(base);
        if !joined.is_empty() && !joined.ends_with('/') {
            joined.push('/');
        }
    }
    joined.push_str(href);
    joined
}

/// A LOM `general` element's texts and the `classification`s' taxon ids, gathered from its
/// `lom` element down.
#[derive(Debug, Default)]
struct LomScan {
    titles: Vec<LangString>,
    descriptions: Vec<LangString>,
    keywords: Vec<Vec<LangString>>,
    taxons: Vec<String>,
}

#[derive(Debug)]
struct LangString {
    language: Option<String>,
    text: String,
}

impl LomScan {
    /// `below_lom` are the names under the `lom` element.
    fn open(&mut self, below_lom: &[&str]) {
        if below_lom == ["general", "keyword"] {
            self.keywords.push(Vec::new());
        }
    }

    fn close(&mut self, path: &[Element], below_lom: &[&str], text: &str) {
        let Some(text) = clean(text) else { return };
        // LOM 1.2 lets taxons nest; LOM 2004 lists them in the path.
        if let ["classification", "taxonpath", .., "taxon", "id"] = below_lom {
            let id = taxon_id(&text).to_owned();
            if !self.taxons.contains(&id) {
                self.taxons.push(id);
            }
            return;
        }
        let language = path
            .last()
            .and_then(|element| element.attribute("lang").or(element.attribute("language")))
            .map(str::to_owned);
        // Some tools write the text right in `title`, without a langstring.
        let field = match below_lom {
            ["general", field] | ["general", field, "langstring" | "string"] => *field,
            _ => return,
        };
        let string = LangString { language, text };
        match field {
            "title" => self.titles.push(string),
            "description" => self.descriptions.push(string),
            "keyword" => {
                if let Some(keyword) = self.keywords.last_mut() {
                    keyword.push(string);
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> Lom {
        Lom {
            title: in_french(self.titles),
            description: in_french(self.descriptions),
            keywords: self.keywords.into_iter().filter_map(in_french).collect(),
            taxons: self.taxons,
        }
    }
}

/// The concept's own part of a ScoLOMFR id, as Préau's vocabularies write it: `num-951` out of
/// `scolomfr-voc-015-num-951` or of its concept URI. Other ids are kept as written.
fn taxon_id(id: &str) -> &str {
    let Some(start) = id.rfind("num-") else {
        return id;
    };
    let number = &id[start + "num-".len()..];
    let after_separator = id[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    if after_separator && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
        &id[start..]
    } else {
        id
    }
}

/// French if there is some, else the text with no language, else the first.
fn in_french(strings: Vec<LangString>) -> Option<String> {
    let french = |s: &LangString| {
        s.language
            .as_deref()
            .is_some_and(|l| l.get(..2).is_some_and(|l| l.eq_ignore_ascii_case("fr")))
    };
    let position = strings
        .iter()
        .position(french)
        .or_else(|| strings.iter().position(|s| s.language.is_none()))
        .unwrap_or(0);
    strings.into_iter().nth(position).map(|s| s.text)
}

/// A metadata file referenced by `adlcp:location`, whose root is `lom`.
#[derive(Debug, Default)]
struct RootLomScan {
    lom: LomScan,
}

impl Visitor for RootLomScan {
    fn open(&mut self, path: &[Element]) {
        if let ["lom", rest @ ..] = names(path).as_slice() {
            self.lom.open(rest);
        }
    }

    fn close(&mut self, path: &[Element], text: &str) {
        if let ["lom", rest @ ..] = names(path).as_slice() {
            self.lom.close(path, rest, text);
        }
    }
}
