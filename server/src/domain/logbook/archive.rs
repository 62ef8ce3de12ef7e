//! Everything pupils handed in for a homework, as one zip for the teacher: one file per pupil,
//! named after them, written to a temporary file that the response streams.

use std::collections::HashSet;
use std::io::Write;

use super::homework::PupilHandIn;
use crate::domain::accounts::account::Account;
use crate::domain::{Domain, DomainError};

/// The zip of homework `id`'s hand-ins, and how many files it holds.
pub struct HandInArchive {
    pub file: tempfile::NamedTempFile,
    pub count: usize,
}

impl Domain {
    pub fn hand_ins_archive(
        &self,
        viewer: &Account,
        id: u64,
    ) -> Result<HandInArchive, DomainError> {
        let hand_ins = self.hand_ins(viewer, id)?;
        let blobs = self.blobs()?;
        let io = |action: &'static str| {
            move |source: std::io::Error| DomainError::FileIo {
                action,
                path: "hand-in archive".to_owned(),
                source,
            }
        };
        let file = tempfile::NamedTempFile::new_in(blobs.root().join("tmp"))
            .or_else(|_| tempfile::NamedTempFile::new())
            .map_err(io("create"))?;
        let mut zip = zip::ZipWriter::new(file.reopen().map_err(io("open"))?);
        // Uploads are mostly PDFs and photos, compressed already: stored as they are.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        let mut names = HashSet::new();
        let mut count = 0;
        for PupilHandIn { pupil, hand_in } in &hand_ins {
            let Some(hand_in) = hand_in else { continue };
            let Some(path) = blobs.path_of(&hand_in.file.hash) else {
                continue;
            };
            let name = unique(&mut names, member_name(pupil, &hand_in.file.name));
            zip.start_file(name, options)
                .map_err(DomainError::Archive)?;
            let mut source = std::fs::File::open(&path).map_err(io("read"))?;
            std::io::copy(&mut source, &mut zip).map_err(io("write"))?;
            count += 1;
        }
        let mut inner = zip.finish().map_err(DomainError::Archive)?;
        inner.flush().map_err(io("write"))?;
        Ok(HandInArchive { file, count })
    }
}

/// « Martin Léa - exercice.pdf »: sorted by family name in any file manager, and free of the
/// characters a file system refuses.
fn member_name(pupil: &Account, original: &str) -> String {
    let raw = format!("{} {} - {}", pupil.last_name, pupil.first_name, original);
    raw.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

fn unique(names: &mut HashSet<String>, name: String) -> String {
    if names.insert(name.clone()) {
        return name;
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem.to_owned(), format!(".{extension}")),
        None => (name.clone(), String::new()),
    };
    let mut n = 2;
    loop {
        let candidate = format!("{stem} ({n}){extension}");
        if names.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_safe_and_unique() {
        let mut names = HashSet::new();
        assert_eq!(unique(&mut names, "a.pdf".into()), "a.pdf");
        assert_eq!(unique(&mut names, "a.pdf".into()), "a (2).pdf");
        assert_eq!(unique(&mut names, "a.pdf".into()), "a (3).pdf");
    }
}
