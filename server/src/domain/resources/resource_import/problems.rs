//! What can be wrong with an import, in English for logs (`Display`) and in French for the
//! teacher who reads the import page (`french()`).

use super::table::Column;
use super::{CSV_NAME, MAX_CSV_BYTES};
use crate::domain::resources::{MAX_DESCRIPTION, MAX_TITLE};
use crate::package::PackageError;

/// Why an import was refused: everything wrong with the archive and its CSV. Nothing was
/// created.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the import is refused: {}", english(.problems))]
pub struct ImportRefusal {
    pub problems: Vec<ImportProblem>,
}

impl ImportRefusal {
    /// One French sentence per problem, as the import page lists them.
    pub fn french(&self) -> Vec<String> {
        self.problems.iter().map(ImportProblem::french).collect()
    }
}

fn english(problems: &[ImportProblem]) -> String {
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    texts.join("; ")
}

/// One thing wrong with an archive or its CSV.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    #[error("not a readable zip archive: {0}")]
    NotZip(String),
    #[error("{count} entries, more than {limit}")]
    TooManyEntries { count: usize, limit: usize },
    #[error("entry {0} names a path outside the archive")]
    UnsafeEntry(String),
    #[error("entry {entry} is compressed more than {limit} to 1")]
    CompressedTooMuch { entry: String, limit: u64 },
    #[error("the archive unpacks to more than {limit} bytes")]
    UnpackedTooLarge { limit: u64 },
    #[error("no {CSV_NAME} in the archive")]
    NoCsv,
    #[error("several CSV files could describe the resources: {}", .0.join(", "))]
    SeveralCsv(Vec<String>),
    #[error("{CSV_NAME} cannot be read or is larger than {MAX_CSV_BYTES} bytes")]
    UnreadableCsv,
    #[error("unknown columns: {}", .0.join(", "))]
    UnknownColumns(Vec<String>),
    #[error("column {0} appears twice")]
    DuplicateColumn(String),
    #[error("neither a fichier nor a lien column")]
    NoContentColumn,
    #[error("the CSV describes no resource")]
    NoRows,
    #[error("{count} rows, more than {limit}")]
    TooManyRows { count: usize, limit: usize },
    #[error("line {line}: {problem}")]
    Line { line: u64, problem: LineProblem },
}

/// What is wrong with one line of the CSV.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    #[error("the line cannot be read as CSV")]
    Unreadable,
    #[error("{found} columns instead of {expected}")]
    Columns { found: usize, expected: usize },
    #[error("neither a file nor a link")]
    NoContent,
    #[error("both a file and a link")]
    BothContents,
    #[error("the path {0} leaves the archive")]
    UnsafePath(String),
    #[error("no file {0} in the archive")]
    MissingFile(String),
    #[error("the file {0} is encrypted, a link or damaged")]
    UnreadableFile(String),
    #[error("the file {0} is empty")]
    EmptyFile(String),
    #[error("the file {path} is larger than {limit} bytes")]
    FileTooLarge { path: String, limit: u64 },
    #[error("no title")]
    NoTitle,
    #[error("the title is longer than {MAX_TITLE} characters")]
    TitleTooLong,
    #[error("the description is longer than {MAX_DESCRIPTION} characters")]
    DescriptionTooLong,
    #[error("unknown kind {0}")]
    UnknownKind(String),
    #[error("unknown discipline {0}")]
    UnknownDiscipline(String),
    #[error("unknown level {0}")]
    UnknownLevel(String),
    #[error("unknown theme {0}")]
    UnknownTheme(String),
    #[error("the theme {0} names several themes")]
    AmbiguousTheme(String),
    #[error("the link {0} is not an http(s) URL")]
    BadUrl(String),
    #[error("an interactive package must be a zip file")]
    PackageNeedsZip,
    #[error("unknown class or group {0}")]
    UnknownTarget(String),
    #[error("the author does not teach {0}")]
    NotTaught(String),
    #[error("the package is refused: {0}")]
    Package(PackageError),
}

impl ImportProblem {
    pub fn french(&self) -> String {
        match self {
            Self::NotZip(_) => "Le fichier déposé n'est pas une archive zip lisible.".to_owned(),
            Self::TooManyEntries { count, limit } => {
                format!("L'archive contient {count} éléments : {limit} au plus.")
            }
            Self::UnsafeEntry(entry) => format!(
                "L'archive contient un chemin qui en sort (« {entry} ») : elle est refusée."
            ),
            Self::CompressedTooMuch { entry, limit } => format!(
                "Le fichier « {entry} » est compressé plus de {limit} fois, ce qu'aucun \
                 document ne fait : l'archive est refusée."
            ),
            Self::UnpackedTooLarge { limit } => format!(
                "Une fois décompressée, l'archive dépasse {} Mio.",
                mib(*limit)
            ),
            Self::NoCsv => format!(
                "L'archive ne contient pas de fichier « {CSV_NAME} » qui décrive les ressources."
            ),
            Self::SeveralCsv(names) => format!(
                "L'archive contient plusieurs fichiers CSV ({}) : celui qui décrit les \
                 ressources doit être le seul à s'appeler « {CSV_NAME} ».",
                quoted(names)
            ),
            Self::UnreadableCsv => format!(
                "Le fichier « {CSV_NAME} » est illisible ou dépasse {} Mio.",
                mib(MAX_CSV_BYTES)
            ),
            Self::UnknownColumns(names) => format!(
                "Colonnes inconnues dans « {CSV_NAME} » : {}. Les colonnes possibles sont {}.",
                quoted(names),
                Column::ALL.map(Column::name).join(", ")
            ),
            Self::DuplicateColumn(name) => {
                format!("La colonne « {name} » apparaît deux fois dans « {CSV_NAME} ».")
            }
            Self::NoContentColumn => {
                format!("Il manque à « {CSV_NAME} » une colonne « fichier » ou « lien ».")
            }
            Self::NoRows => format!("« {CSV_NAME} » ne décrit aucune ressource."),
            Self::TooManyRows { count, limit } => {
                format!("« {CSV_NAME} » décrit {count} ressources : {limit} au plus par import.")
            }
            Self::Line { line, problem } => {
                let mut text = format!("Ligne {line} : {}", problem.french());
                if !text.ends_with('.') {
                    text.push('.');
                }
                text
            }
        }
    }
}

impl LineProblem {
    /// The problem after « Ligne N : ».
    pub fn french(&self) -> String {
        match self {
            Self::Unreadable => "ligne illisible (un guillemet n'est pas refermé ?)".to_owned(),
            Self::Columns { found, expected } => {
                format!("{found} colonnes au lieu de {expected}")
            }
            Self::NoContent => "ni fichier ni lien".to_owned(),
            Self::BothContents => {
                "un fichier et un lien à la fois : une ressource a l'un ou l'autre".to_owned()
            }
            Self::UnsafePath(path) => format!("le chemin « {path} » sort de l'archive"),
            Self::MissingFile(path) => format!("fichier « {path} » absent de l'archive"),
            Self::UnreadableFile(path) => format!(
                "le fichier « {path} » ne peut pas être lu (chiffré, lien ou endommagé)"
            ),
            Self::EmptyFile(path) => format!("le fichier « {path} » est vide"),
            Self::FileTooLarge { path, limit } => {
                format!("le fichier « {path} » dépasse {} Mio", mib(*limit))
            }
            Self::NoTitle => "titre manquant".to_owned(),
            Self::TitleTooLong => format!("titre de plus de {MAX_TITLE} caractères"),
            Self::DescriptionTooLong => {
                format!("description de plus de {MAX_DESCRIPTION} caractères")
            }
            Self::UnknownKind(value) => format!("type inconnu « {value} »"),
            Self::UnknownDiscipline(value) => format!("discipline inconnue « {value} »"),
            Self::UnknownLevel(value) => format!("niveau inconnu « {value} »"),
            Self::UnknownTheme(value) => format!("thème inconnu « {value} »"),
            Self::AmbiguousTheme(value) => format!(
                "plusieurs thèmes s'appellent « {value} » : donnez son identifiant (num-…)"
            ),
            Self::BadUrl(value) => format!(
                "le lien « {value} » doit commencer par https:// (ou http://)"
            ),
            Self::PackageNeedsZip => {
                "un module interactif se dépose sous forme d'archive zip".to_owned()
            }
            Self::UnknownTarget(value) => format!("classe ou groupe inconnu « {value} »"),
            Self::NotTaught(value) => format!(
                "vous ne pouvez publier qu'aux classes et groupes où vous enseignez, pas à « {value} »"
            ),
            Self::Package(problem) => format!("module interactif refusé : {}", problem.french()),
        }
    }
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|name| format!("« {name} »")).collect();
    names.join(", ")
}
