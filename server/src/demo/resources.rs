//! The demo collège's resource library: each teacher publishes resources to the classes they
//! teach, on the themes of their programme, a few to the whole establishment.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::domain::resources::resource::ResourceKind;
use crate::domain::resources::vocabulary::Vocabulary;
use crate::domain::resources::{DraftSource, ResourceDraft};
use crate::domain::school::establishment::{Level, Target};
use crate::domain::{Domain, DomainError};
use crate::extract::Priority;

/// Resources per class and subject taught.
const PER_TEACHING: usize = 3;

const FORMATS: [(ResourceKind, &str, &str); 7] = [
    (
        ResourceKind::Document,
        "Fiche de cours",
        "La fiche de synthèse à relire avant l'évaluation",
    ),
    (
        ResourceKind::Exercise,
        "Exercices corrigés",
        "Une série d'exercices progressifs avec leur corrigé",
    ),
    (
        ResourceKind::Video,
        "Vidéo",
        "Une courte vidéo pour revoir la notion à la maison",
    ),
    (
        ResourceKind::Link,
        "Site de référence",
        "Une ressource en ligne choisie pour approfondir",
    ),
    (
        ResourceKind::Audio,
        "Podcast",
        "Un épisode à écouter, avec ses questions de compréhension",
    ),
    (
        ResourceKind::Image,
        "Carte mentale",
        "Le schéma qui résume les points essentiels",
    ),
    (
        ResourceKind::Package,
        "Parcours interactif",
        "Un module à suivre en autonomie, avec des quiz",
    ),
];

fn level_terms(level: Level) -> Vec<String> {
    let (level, cycle) = match level {
        Level::Sixieme => ("num-018", "num-630"),
        Level::Cinquieme => ("num-020", "num-631"),
        Level::Quatrieme => ("num-021", "num-631"),
        Level::Troisieme => ("num-023", "num-631"),
    };
    vec![level.to_owned(), cycle.to_owned()]
}

/// The programme themes of `discipline` for the cycle of `level` (the leaves of its tree).
fn themes_for(vocabulary: &Vocabulary, discipline: &str, level: Level) -> Vec<(String, String)> {
    let cycle = if level == Level::Sixieme {
        "cycle 3"
    } else {
        "cycle 4"
    };
    let root = vocabulary
        .disciplines_roots()
        .into_iter()
        .find(|theme| theme.discipline == discipline);
    let Some(root) = root else {
        return Vec::new();
    };
    let Some(cycle_node) = vocabulary
        .children_of(&root.id)
        .into_iter()
        .find(|node| node.label.contains(cycle))
    else {
        return Vec::new();
    };
    let mut leaves = Vec::new();
    let mut pending = vec![cycle_node.id.clone()];
    while let Some(id) = pending.pop() {
        let children = vocabulary.children_of(&id);
        if children.is_empty() && id != cycle_node.id {
            if let Some(theme) = vocabulary.theme(&id) {
                leaves.push((theme.id.clone(), theme.short_label().to_owned()));
            }
        }
        pending.extend(children.into_iter().map(|child| child.id.clone()));
    }
    leaves.sort();
    leaves
}

pub fn seed(domain: &Domain, rng: &mut ChaCha8Rng) -> Result<usize, DomainError> {
    let vocabulary = Vocabulary::embedded();
    let establishment = domain.establishment()?;
    let mut created = 0;
    for teaching in &establishment.teachings {
        let Target::Class(class) = &teaching.target else {
            continue;
        };
        let Some(level) = establishment.class(class).and_then(|c| c.level) else {
            continue;
        };
        let Some(author) = domain.accounts().get(teaching.teacher)? else {
            continue;
        };
        let themes = themes_for(vocabulary, &teaching.subject, level);
        let subject = establishment.subject_label(&teaching.subject);
        for _ in 0..PER_TEACHING {
            let (kind, format, blurb) = FORMATS[rng.gen_range(0..FORMATS.len())];
            let theme = themes.choose(rng).cloned();
            let topic = theme
                .as_ref()
                .map(|(_, label)| capitalise(label))
                .unwrap_or_else(|| format!("{subject} en {}", level.label()));
            let slug: String = crate::domain::accounts::login_name::base_login(&topic, "")
                .chars()
                .take(48)
                .collect();
            let whole_establishment = rng.gen_bool(0.08);
            let source = if kind == ResourceKind::Package {
                let bytes = super::package::quiz_package(&topic, &subject, &topic.to_lowercase())
                    .map_err(DomainError::DemoPackage)?;
                let limit = domain.config().files.max_upload_bytes();
                DraftSource::Upload(domain.blobs()?.stage_bytes("parcours.zip", &bytes, limit)?)
            } else {
                DraftSource::Link(format!(
                    "https://ressources.exemple.fr/{}/{slug}",
                    teaching.subject
                ))
            };
            // The collège's library was there before anyone signed in: a bulk import, which
            // notifies no one and leaves the extraction queue to people who wait.
            domain.create_resource_with(
                &author,
                ResourceDraft {
                    title: format!("{format} : {topic}"),
                    description: format!(
                        "{blurb}. {subject}, {} — {}.",
                        level.label(),
                        topic.to_lowercase()
                    ),
                    kind: Some(kind),
                    disciplines: vec![teaching.subject.clone()],
                    levels: level_terms(level),
                    themes: theme.into_iter().map(|(id, _)| id).collect(),
                    keywords: vec![subject.to_lowercase(), level.label().to_owned()],
                    licence: "CC BY-NC-SA 4.0".to_owned(),
                    source,
                    targets: (!whole_establishment).then(|| vec![Target::Class(class.clone())]),
                    published: true,
                },
                Priority::Bulk,
            )?;
            created += 1;
        }
    }
    Ok(created)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
