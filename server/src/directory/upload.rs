//! Files an administrator uploads from the admin page: staged under
//! `data/inbox/staging/<lot>/`, previewed with a dry run, then applied as a sync run (archived or
//! quarantined, recorded in the history). The scheduler never sees them: it only takes files
//! lying directly in the inbox.

use std::path::{Path, PathBuf};

use rand::Rng;

use super::import::{self, ImportError, ImportReport, Mode};
use super::inbox::Inbox;
use crate::domain::access::{self, Action, Actor};
use crate::domain::Domain;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("only administrators upload directory files")]
    Forbidden,
    #[error("no file was uploaded")]
    Empty,
    #[error("{0}: only XML files and zip archives of them are accepted")]
    Unsupported(String),
    #[error("unknown upload {0}")]
    UnknownLot(String),
    #[error("cannot write the upload to {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// An upload waiting in the staging area, named by a random id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lot {
    pub id: String,
    pub dir: PathBuf,
    pub files: Vec<String>,
}

fn staging(inbox: &Inbox) -> PathBuf {
    inbox.dir().join("staging")
}

/// Writes `files` (name, content) into a new lot. Names are reduced to a safe file name.
pub fn stage(
    actor: Actor,
    inbox: &Inbox,
    files: Vec<(String, Vec<u8>)>,
    rng: &mut impl Rng,
) -> Result<Lot, UploadError> {
    if !access::actor_allows(actor, Action::Administer) {
        return Err(UploadError::Forbidden);
    }
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, bytes)| !(name.is_empty() && bytes.is_empty()))
        .collect();
    if files.is_empty() {
        return Err(UploadError::Empty);
    }
    let id: String = (0..16)
        .map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)]))
        .collect();
    let dir = staging(inbox).join(&id);
    let write_error = |path: &Path, source| UploadError::Write {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
    let mut names = Vec::with_capacity(files.len());
    for (index, (name, bytes)) in files.into_iter().enumerate() {
        let safe = safe_name(&name);
        let lower = safe.to_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".zip")) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(UploadError::Unsupported(name));
        }
        // Two uploads with the same name must not overwrite each other.
        let stored = if names.contains(&safe) {
            format!("{index}-{safe}")
        } else {
            safe
        };
        let path = dir.join(&stored);
        std::fs::write(&path, bytes).map_err(|e| write_error(&path, e))?;
        names.push(stored);
    }
    Ok(Lot {
        id,
        dir,
        files: names,
    })
}

/// The lot named `id`, if it is a lot id and still staged.
pub fn find(inbox: &Inbox, id: &str) -> Result<PathBuf, UploadError> {
    let well_formed = id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let dir = staging(inbox).join(id);
    if well_formed && dir.is_dir() {
        Ok(dir)
    } else {
        Err(UploadError::UnknownLot(id.to_owned()))
    }
}

/// What applying the lot would do; writes nothing.
pub fn preview(
    domain: &Domain,
    actor: Actor,
    lot: &Path,
    rng: &mut impl Rng,
) -> Result<ImportReport, ImportError> {
    import::import(domain, actor, &[lot], Mode::DryRun, rng)
}

/// Removes a lot (a rejected preview, or an applied lot whose files were filed away).
pub fn discard(lot: &Path) {
    if let Err(error) = std::fs::remove_dir_all(lot) {
        tracing::warn!(path = %lot.display(), %error, "cannot remove a staged upload");
    }
}

/// The last path component, with anything but letters, digits, `.`, `-` and `_` replaced.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "fichier.xml".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn uploaded_names_cannot_escape_the_lot_or_hide() {
        assert_eq!(safe_name("../../etc/passwd.xml"), "passwd.xml");
        assert_eq!(
            safe_name("C:\\export\\ENT2D Complet.zip"),
            "ENT2D_Complet.zip"
        );
        assert_eq!(safe_name(".hidden.xml"), "hidden.xml");
        assert_eq!(safe_name("élèves.xml"), "_l_ves.xml");
    }

    #[test]
    fn a_lot_keeps_every_file_and_refuses_other_kinds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inbox = Inbox::of(dir.path());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let lot = stage(
            Actor::System,
            &inbox,
            vec![
                ("a.xml".into(), b"<x/>".to_vec()),
                ("a.xml".into(), b"<y/>".to_vec()),
            ],
            &mut rng,
        )
        .expect("staged");
        assert_eq!(lot.files, ["a.xml", "1-a.xml"]);
        assert_eq!(find(&inbox, &lot.id).expect("found"), lot.dir);
        assert!(matches!(
            find(&inbox, "../staging"),
            Err(UploadError::UnknownLot(_))
        ));
        let refused = stage(
            Actor::System,
            &inbox,
            vec![("photo.png".into(), vec![1, 2])],
            &mut rng,
        );
        assert!(matches!(refused, Err(UploadError::Unsupported(_))));
        assert!(matches!(
            stage(Actor::System, &inbox, Vec::new(), &mut rng),
            Err(UploadError::Empty)
        ));
        discard(&lot.dir);
        assert!(find(&inbox, &lot.id).is_err());
    }

    #[test]
    fn only_administrators_stage_an_upload() {
        let school = crate::demo::testing::DemoSchool::new();
        let inbox = Inbox::of(school.dir.path());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let files = || vec![("a.xml".to_owned(), b"<x/>".to_vec())];
        for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
            let person = school.account(login);
            let refused = stage(Actor::Person(&person), &inbox, files(), &mut rng);
            assert!(matches!(refused, Err(UploadError::Forbidden)), "{login}");
        }
        assert!(!staging(&inbox).exists(), "nothing written");
        let admin = school.account("admin.demo");
        assert!(stage(Actor::Person(&admin), &inbox, files(), &mut rng).is_ok());
    }
}
