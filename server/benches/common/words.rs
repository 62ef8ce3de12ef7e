//! The words generated resources are written with: titles, descriptions and keywords of school
//! resources in French. Shared by the search bench and the `seed_resources` example (each
//! includes this file with `#[path]`), so that the index they measure holds the same text.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub const NOUNS: &[&str] = &[
    "fraction",
    "équation",
    "triangle",
    "théorème",
    "volcan",
    "séisme",
    "révolution",
    "empire",
    "poème",
    "conte",
    "récit",
    "verbe",
    "grammaire",
    "orthographe",
    "cellule",
    "respiration",
    "énergie",
    "circuit",
    "molécule",
    "atome",
    "climat",
    "paysage",
    "carte",
    "frise",
    "citoyen",
    "démocratie",
    "laïcité",
    "peinture",
    "sculpture",
    "chanson",
    "rythme",
    "programme",
    "algorithme",
    "robot",
    "vocabulaire",
    "dialogue",
    "proportionnalité",
    "probabilité",
    "statistique",
    "géométrie",
    "cercle",
    "pyramide",
    "volume",
    "aire",
    "vitesse",
    "lumière",
    "son",
    "digestion",
    "écosystème",
    "évolution",
    "guerre",
    "traité",
    "roi",
    "république",
];
pub const ADJECTIVES: &[&str] = &[
    "simple",
    "complexe",
    "interactif",
    "illustré",
    "guidé",
    "différencié",
    "collaboratif",
    "numérique",
    "historique",
    "scientifique",
    "littéraire",
    "pratique",
    "visuel",
    "sonore",
    "progressif",
    "complet",
    "court",
    "détaillé",
];
pub const FORMS: &[&str] = &[
    "Fiche",
    "Exercices",
    "Évaluation",
    "Séquence",
    "Activité",
    "Cours",
    "Quiz",
    "Vidéo",
    "Carte mentale",
    "Dossier",
    "Atelier",
    "Projet",
    "Révisions",
    "Corrigé",
];
pub const FILLER: &[&str] = &[
    "les",
    "élèves",
    "découvrent",
    "travaillent",
    "sur",
    "la",
    "notion",
    "de",
    "avec",
    "des",
    "documents",
    "et",
    "une",
    "méthode",
    "pour",
    "comprendre",
    "chaque",
    "étape",
    "du",
    "en",
    "classe",
    "autonomie",
    "groupe",
    "questions",
    "réponses",
    "exemples",
    "schéma",
];
/// The text of one generated resource.
pub struct Text {
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
}

pub fn pick<'a>(rng: &mut ChaCha8Rng, words: &[&'a str]) -> &'a str {
    words.choose(rng).copied().unwrap_or_default()
}

/// `words` words, three in ten of them nouns of the subjects, the rest everyday words.
pub fn sentence(rng: &mut ChaCha8Rng, words: usize) -> String {
    let mut out = Vec::with_capacity(words);
    for _ in 0..words {
        let vocabulary = if rng.gen_bool(0.3) { NOUNS } else { FILLER };
        out.push(pick(rng, vocabulary));
    }
    out.join(" ")
}

/// « Fiche : fraction illustré », 15 to 40 words of description and three keywords.
pub fn text(rng: &mut ChaCha8Rng) -> Text {
    let description_words = rng.gen_range(15..40);
    let title = format!(
        "{} : {} {}",
        pick(rng, FORMS),
        pick(rng, NOUNS),
        pick(rng, ADJECTIVES)
    );
    Text {
        title,
        description: sentence(rng, description_words),
        keywords: (0..3).map(|_| pick(rng, NOUNS).to_owned()).collect(),
    }
}
