//! `data/inbox/`: where feed files wait for the directory sync, and where the sync keeps what it
//! took (`archive/`), what it refused (`quarantine/`) and its history (`history.jsonl`).

use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

/// The inbox of one data directory.
#[derive(Clone, Debug)]
pub struct Inbox {
    dir: PathBuf,
}

/// Where the files of a run go once it is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    /// Applied feeds, kept for reference.
    Archive,
    /// Rejected feeds, with their report, for an administrator to look at.
    Quarantine,
}

impl Inbox {
    /// The inbox of the data directory `data`.
    pub fn of(data: &Path) -> Self {
        Self {
            dir: data.join("inbox"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// One JSON line per sync run, oldest first.
    pub fn history_file(&self) -> PathBuf {
        self.dir.join("history.jsonl")
    }

    /// Creates the folder where the files of a run started at `at` go, e.g.
    /// `archive/20260907T023000Z/`. Runs never share a folder: a second run in the same second
    /// gets a numbered one.
    pub fn new_folder(&self, shelf: Shelf, at: DateTime<Utc>) -> io::Result<PathBuf> {
        let parent = self.dir.join(match shelf {
            Shelf::Archive => "archive",
            Shelf::Quarantine => "quarantine",
        });
        std::fs::create_dir_all(&parent)?;
        let stamp = at.format("%Y%m%dT%H%M%SZ").to_string();
        let mut attempt = 1;
        loop {
            let name = match attempt {
                1 => stamp.clone(),
                n => format!("{stamp}-{n}"),
            };
            let folder = parent.join(name);
            match std::fs::create_dir(&folder) {
                Ok(()) => return Ok(folder),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => attempt += 1,
                Err(error) => return Err(error),
            }
        }
    }
}

/// Moves `file` into `folder`, keeping its name. A source folder may be on another file
/// system than the data directory, where a rename cannot cross: then copy and remove.
pub fn move_into(file: &Path, folder: &Path) -> io::Result<PathBuf> {
    let name = file
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let target = folder.join(name);
    if std::fs::rename(file, &target).is_err() {
        std::fs::copy(file, &target)?;
        std::fs::remove_file(file)?;
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_in_the_same_second_get_their_own_folder() {
        let data = tempfile::tempdir().expect("temp dir");
        let inbox = Inbox::of(data.path());
        let at = "2026-09-07T00:30:00Z".parse().expect("instant");
        let first = inbox.new_folder(Shelf::Archive, at).expect("folder");
        let second = inbox.new_folder(Shelf::Archive, at).expect("folder");
        let refused = inbox.new_folder(Shelf::Quarantine, at).expect("folder");
        assert_eq!(first, data.path().join("inbox/archive/20260907T003000Z"));
        assert_eq!(second, data.path().join("inbox/archive/20260907T003000Z-2"));
        assert_eq!(
            refused,
            data.path().join("inbox/quarantine/20260907T003000Z")
        );
    }

    #[test]
    fn a_file_moves_into_a_folder_under_its_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("export.zip");
        std::fs::write(&file, b"PK").expect("writes");
        let folder = dir.path().join("archive");
        std::fs::create_dir(&folder).expect("creates");
        let moved = move_into(&file, &folder).expect("moves");
        assert_eq!(moved, folder.join("export.zip"));
        assert!(!file.exists());
        assert_eq!(std::fs::read(moved).expect("reads"), b"PK");
    }
}
