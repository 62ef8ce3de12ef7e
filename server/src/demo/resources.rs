//! The demo collège's resource library: about three hundred resources its teachers published,
//! read from `library.txt` (written for the demo, CC BY-SA 4.0). Each goes to a class (or a
//! language group) of its level, or to the whole establishment, under the name of the teacher
//! who teaches it there; some carry a real document or an interactive module.

use crate::domain::resources::resource::ResourceKind;
use crate::domain::resources::{DraftSource, ResourceDraft};
use crate::domain::school::establishment::{Establishment, Level, Target};
use crate::domain::{Domain, DomainError};
use crate::extract::Priority;

use super::documents::DocumentFormat;
use super::school::*;

const LIBRARY: &str = include_str!("library.txt");

/// The licence the demo library is published under.
const LICENCE: &str = "CC BY-SA 4.0";

/// One line of the library.
#[derive(Debug, Clone, PartialEq)]
struct Entry<'a> {
    discipline: &'static str,
    level: Level,
    /// `None`: the whole establishment; `Some('B')`: class B of the level (or the level's group
    /// for a subject taught to groups).
    class: Option<char>,
    kind: ResourceKind,
    document: Option<DocumentFormat>,
    theme: Option<&'a str>,
    title: &'a str,
    description: &'a str,
    keywords: Vec<String>,
    /// The attached document's text.
    text: &'a str,
}

fn discipline(name: &str) -> Option<&'static str> {
    Some(match name {
        "francais" => FRANCAIS,
        "maths" => MATHS,
        "hg" => HISTOIRE_GEO,
        "emc" => EMC,
        "anglais" => ANGLAIS,
        "espagnol" => ESPAGNOL,
        "allemand" => ALLEMAND,
        "physique" => PHYSIQUE,
        "svt" => SVT,
        "techno" => TECHNOLOGIE,
        "sciences" => SCIENCES_TECHNO,
        "arts" => ARTS,
        "musique" => MUSIQUE,
        "eps" => EPS,
        "latin" => LATIN,
        _ => return None,
    })
}

fn kind(name: &str) -> Option<ResourceKind> {
    Some(match name {
        "cours" => ResourceKind::Document,
        "exercice" => ResourceKind::Exercise,
        "video" => ResourceKind::Video,
        "lien" => ResourceKind::Link,
        "audio" => ResourceKind::Audio,
        "image" => ResourceKind::Image,
        "parcours" => ResourceKind::Package,
        _ => return None,
    })
}

/// Parses one line; `None` for a comment, a blank line or a malformed line (the test below
/// keeps the file free of those).
fn parse(line: &str) -> Option<Entry<'_>> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let fields: Vec<&str> = line.split('|').map(str::trim).collect();
    let [discipline_name, level, class, kind_name, document, theme, title, description, keywords, text] =
        fields.as_slice()
    else {
        return None;
    };
    let level = match *level {
        "6" => Level::Sixieme,
        "5" => Level::Cinquieme,
        "4" => Level::Quatrieme,
        "3" => Level::Troisieme,
        _ => return None,
    };
    let class = match *class {
        "tous" => None,
        letter => Some(
            letter
                .chars()
                .next()
                .filter(|c| LETTERS.contains(&c.to_string().as_str()))?,
        ),
    };
    let document = match *document {
        "-" => None,
        code => Some(DocumentFormat::from_code(code)?),
    };
    Some(Entry {
        discipline: discipline(discipline_name)?,
        level,
        class,
        kind: kind(kind_name)?,
        document,
        theme: (*theme != "-").then_some(*theme),
        title,
        description,
        keywords: keywords
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect(),
        text,
    })
}

fn level_terms(level: Level) -> Vec<String> {
    let (level, cycle) = match level {
        Level::Sixieme => ("num-018", "num-630"),
        Level::Cinquieme => ("num-020", "num-631"),
        Level::Quatrieme => ("num-021", "num-631"),
        Level::Troisieme => ("num-023", "num-631"),
    };
    vec![level.to_owned(), cycle.to_owned()]
}

/// Who publishes `entry` and to whom: the teacher of its subject in the class it names (or in
/// the level's first class, for the whole establishment), or in the level's group when the
/// subject is taught to groups.
fn publisher(establishment: &Establishment, entry: &Entry) -> Option<(u64, Option<Target>)> {
    let digit = &entry.level.label()[..1];
    let class_code = format!("{digit}{}", entry.class.unwrap_or('A'));
    let teachings = establishment
        .teachings
        .iter()
        .filter(|t| t.subject == entry.discipline);
    let mut in_class = None;
    let mut in_group = None;
    for teaching in teachings {
        match &teaching.target {
            Target::Class(code) if *code == class_code => in_class = Some(teaching),
            Target::Group(code) if code.starts_with(digit) && in_group.is_none() => {
                in_group = Some(teaching)
            }
            _ => {}
        }
    }
    let teaching = in_class.or(in_group)?;
    Some((
        teaching.teacher,
        entry.class.map(|_| teaching.target.clone()),
    ))
}

pub fn seed(domain: &Domain) -> Result<usize, DomainError> {
    let establishment = domain.establishment()?;
    let mut created = 0;
    for entry in LIBRARY.lines().filter_map(parse) {
        let Some((teacher, target)) = publisher(&establishment, &entry) else {
            tracing::warn!(title = entry.title, "no teacher for a demo resource");
            continue;
        };
        let Some(author) = domain.accounts().get(teacher)? else {
            continue;
        };
        let limit = domain.config().files.max_upload_bytes();
        let source = match (entry.kind, entry.document) {
            (ResourceKind::Package, _) => {
                let subject = establishment.subject_label(entry.discipline);
                let bytes = super::package::quiz_package(
                    entry.title,
                    &subject,
                    &entry.description.to_lowercase(),
                )
                .map_err(DomainError::DemoPackage)?;
                DraftSource::Upload(domain.blobs()?.stage_bytes("parcours.zip", &bytes, limit)?)
            }
            (_, Some(format)) => {
                let bytes = format
                    .write(entry.title, entry.text)
                    .map_err(DomainError::DemoDocument)?;
                DraftSource::Upload(domain.blobs()?.stage_bytes(
                    format.file_name(),
                    &bytes,
                    limit,
                )?)
            }
            _ => {
                let slug: String = crate::domain::accounts::login_name::base_login(entry.title, "")
                    .chars()
                    .take(48)
                    .collect();
                DraftSource::Link(format!(
                    "https://ressources.exemple.fr/{}/{slug}",
                    entry.discipline
                ))
            }
        };
        // The collège's library was there before anyone signed in: a bulk import, which
        // notifies no one and leaves the extraction queue to people who wait.
        domain.create_resource_with(
            &author,
            ResourceDraft {
                title: entry.title.to_owned(),
                description: entry.description.to_owned(),
                kind: Some(entry.kind),
                disciplines: vec![entry.discipline.to_owned()],
                levels: level_terms(entry.level),
                themes: entry.theme.map(str::to_owned).into_iter().collect(),
                keywords: entry.keywords.clone(),
                licence: LICENCE.to_owned(),
                source,
                targets: target.map(|target| vec![target]),
                published: true,
            },
            Priority::Bulk,
        )?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::resources::resource::Audience;

    #[test]
    fn every_line_of_the_library_is_a_resource() {
        let lines: Vec<&str> = LIBRARY
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .collect();
        let bad: Vec<&&str> = lines.iter().filter(|line| parse(line).is_none()).collect();
        assert!(bad.is_empty(), "malformed lines: {bad:#?}");
        assert!(lines.len() >= 290, "{} resources", lines.len());
        let files = lines
            .iter()
            .filter_map(|line| parse(line))
            .filter(|entry| entry.document.is_some())
            .inspect(|entry| assert!(!entry.text.is_empty(), "{} has no text", entry.title))
            .count();
        assert!(files >= 8, "{files} resources with a document");
        let pdfs = lines
            .iter()
            .filter_map(|line| parse(line))
            .filter(|entry| entry.document == Some(DocumentFormat::Pdf))
            .count();
        assert!(pdfs >= 9, "{pdfs} resources with a PDF");
    }

    #[test]
    fn titles_are_unique() {
        let mut titles: Vec<&str> = LIBRARY.lines().filter_map(parse).map(|e| e.title).collect();
        let count = titles.len();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), count);
    }

    #[test]
    fn the_demo_publishes_every_resource_of_the_library_under_its_teacher() {
        let school = crate::demo::testing::DemoSchool::new();
        let resources: Vec<_> = school
            .domain
            .tables()
            .resources
            .values()
            .collect::<Result<_, _>>()
            .expect("reads");
        let expected = LIBRARY.lines().filter_map(parse).count();
        assert_eq!(resources.len(), expected);
        let to_4b = |r: &&crate::domain::resources::resource::Resource| matches!(&r.audience, Audience::Targets(targets) if targets.contains(&Target::Class("4B".to_owned())));
        assert!(
            resources
                .iter()
                .filter(to_4b)
                .any(|r| r.kind == ResourceKind::Package),
            "eleve.demo's class has an interactive module"
        );
    }
}
