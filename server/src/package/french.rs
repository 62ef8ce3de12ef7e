//! Refusals of a package as the teacher who uploaded it reads them: what is wrong and, when
//! they can do something about it, what to do.

use super::{PackageError, PathProblem};

const REFUSED: &str = "Le paquet est refusé\u{a0}:";

impl PackageError {
    /// The message shown to the teacher, in French.
    pub fn french(&self) -> String {
        match self {
            Self::NotZip { .. } => "Ce fichier n’est pas une archive zip lisible.".to_owned(),
            Self::TooManyEntries { count, limit } => format!(
                "{REFUSED} il contient {} fichiers, plus que les {} autorisés.",
                number(*count),
                number(*limit)
            ),
            Self::UnsafePath { entry, problem } => {
                let file = quoted(entry);
                match problem {
                    PathProblem::ParentDirectory => format!(
                        "{REFUSED} le fichier {file} sort du dossier du paquet (zip-slip)."
                    ),
                    PathProblem::Absolute => {
                        format!("{REFUSED} le fichier {file} a un chemin absolu.")
                    }
                    PathProblem::DriveLetter => format!(
                        "{REFUSED} le fichier {file} désigne un lecteur Windows."
                    ),
                    PathProblem::Backslash => format!(
                        "{REFUSED} le nom du fichier {file} contient une barre oblique inverse (\\)."
                    ),
                    PathProblem::Nul => {
                        format!("{REFUSED} le nom du fichier {file} contient un caractère nul.")
                    }
                }
            }
            Self::Symlink { entry } => format!(
                "{REFUSED} {} est un lien symbolique, ce qui n’est pas permis.",
                quoted(entry)
            ),
            Self::Encrypted { entry } => format!(
                "{REFUSED} le fichier {} est chiffré. Enregistrez l’archive sans mot de passe.",
                quoted(entry)
            ),
            Self::UnsupportedCompression { entry, method } => format!(
                "{REFUSED} le fichier {} est compressé avec une méthode que Préau ne sait pas lire \
                 ({method}). Recréez l’archive en zip standard (méthode Deflate).",
                quoted(entry)
            ),
            Self::DeclaredTooLarge { limit, .. } | Self::UnpackedTooLarge { limit, .. } => {
                format!(
                    "{REFUSED} il se décompresse en plus de {} (bombe zip).",
                    size(*limit)
                )
            }
            Self::RatioTooHigh { entry, limit, .. } => format!(
                "{REFUSED} le fichier {} grossit plus de {limit} fois à la décompression (bombe zip).",
                quoted(entry)
            ),
            Self::Damaged { entry, .. } => format!(
                "{REFUSED} le fichier {} est endommagé et ne peut pas être décompressé.",
                quoted(entry)
            ),
            Self::InvalidManifest { line, .. } => format!(
                "{REFUSED} le fichier imsmanifest.xml est mal formé (ligne {line})."
            ),
            Self::NoLaunchResource => format!(
                "{REFUSED} le fichier imsmanifest.xml n’indique aucune page de départ."
            ),
            Self::LaunchMissing { href } => format!(
                "{REFUSED} la page de départ {} indiquée par imsmanifest.xml n’est pas dans l’archive.",
                quoted(href)
            ),
            Self::NoStartPage => "Le paquet n’a pas de page de départ\u{a0}: ajoutez un \
                                  index.html ou un imsmanifest.xml."
                .to_owned(),
        }
    }
}

/// A name between French quotes, its control characters made visible.
fn quoted(name: &str) -> String {
    let visible: String = name
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    format!("«\u{a0}{visible}\u{a0}»")
}

/// A number with its thousands set apart, as French writes them: `12 000`.
fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    grouped
}

fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{}\u{a0}Mio", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{}\u{a0}Kio", bytes / KIB)
    } else {
        format!("{bytes}\u{a0}octets")
    }
}
