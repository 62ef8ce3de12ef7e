//! Gathers feed files from files, folders and zip archives.
//!
//! Archives come from outside (académie transfers, uploads), so they are opened defensively:
//! an entry whose path leaves the archive refuses the whole archive, and decompression is
//! bounded by counting the bytes actually produced, since the sizes in zip headers can lie.

use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use super::error::{FeedError, Problem, Report};

/// A feed file to parse: its display name and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// Bounds on what one zip archive may expand to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_entries: usize,
    pub(crate) max_entry_size: u64,
    pub(crate) max_total_size: u64,
    pub(crate) max_ratio: u64,
    /// The ratio is only checked past this size: tiny files compress unevenly. AAF XML
    /// compresses about 20:1, zip bombs about 1000:1.
    pub(crate) ratio_floor: u64,
}

const MIB: u64 = 1024 * 1024;

/// Generous for a whole académie split in parts, far below what would exhaust the appliance.
pub(crate) const LIMITS: Limits = Limits {
    max_entries: 1_000,
    max_entry_size: 512 * MIB,
    max_total_size: 2048 * MIB,
    max_ratio: 100,
    ratio_floor: MIB,
};

/// Reads the files, folders (their XML files and zip archives, not their subfolders) and zip archives.
pub(crate) fn gather_paths(
    inputs: &[impl AsRef<Path>],
    limits: &Limits,
    report: &mut Report,
) -> Vec<Source> {
    let files = read_paths(inputs, report);
    gather_uploads(files, limits, report)
}

/// Reads the files and the XML files and zip archives of the folders as they are, without
/// opening the archives: `(display name, bytes)` pairs for [`gather_uploads`], which may run in
/// another process (the running server).
pub(crate) fn read_paths(
    inputs: &[impl AsRef<Path>],
    report: &mut Report,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for input in inputs {
        let path = input.as_ref();
        if path.is_dir() {
            read_folder(path, report, &mut files);
        } else if let Some(bytes) = read_path(path, report) {
            files.push((path.display().to_string(), bytes));
        }
    }
    files
}

/// Same as [`gather_paths`] for uploaded `(file name, bytes)` pairs.
pub(crate) fn gather_uploads(
    uploads: Vec<(String, Vec<u8>)>,
    limits: &Limits,
    report: &mut Report,
) -> Vec<Source> {
    let mut sources = Vec::new();
    for (name, bytes) in uploads {
        add(name, bytes, limits, report, &mut sources);
    }
    sources
}

fn read_path(path: &Path, report: &mut Report) -> Option<Vec<u8>> {
    std::fs::read(path)
        .map_err(|error| {
            let problem = Problem::new(
                &path.display().to_string(),
                format!("impossible de lire le fichier : {error}"),
            );
            report.error(FeedError::Read(problem));
        })
        .ok()
}

fn read_folder(folder: &Path, report: &mut Report, files: &mut Vec<(String, Vec<u8>)>) {
    let folder_name = folder.display().to_string();
    let listing =
        std::fs::read_dir(folder).and_then(|entries| entries.collect::<Result<Vec<_>, _>>());
    let mut entries = match listing {
        Ok(entries) => entries,
        Err(error) => {
            let problem = Problem::new(
                &folder_name,
                format!("impossible de lister le dossier : {error}"),
            );
            return report.error(FeedError::Read(problem));
        }
    };
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = path.display().to_string();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            report.warn(Problem::new(
                &name,
                "ignoré : les sous-dossiers ne sont pas lus",
            ));
        } else if !has_extension(&file_name, ".xml") && !has_extension(&file_name, ".zip") {
            // Checked before reading: a folder may hold large files that are none of ours.
            report.warn(Problem::new(
                &name,
                "ignoré : ni un fichier XML ni une archive zip",
            ));
        } else if let Some(bytes) = read_path(&path, report) {
            files.push((name, bytes));
        }
    }
}

/// Adds a zip archive's XML files, or else the file itself as XML.
fn add(
    name: String,
    bytes: Vec<u8>,
    limits: &Limits,
    report: &mut Report,
    sources: &mut Vec<Source>,
) {
    if is_zip(&name, &bytes) {
        read_zip(&name, &bytes, limits, report, sources);
    } else {
        sources.push(Source { name, bytes });
    }
}

fn is_zip(name: &str, bytes: &[u8]) -> bool {
    has_extension(name, ".zip")
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
}

fn has_extension(name: &str, extension: &str) -> bool {
    name.len() >= extension.len()
        && name
            .get(name.len() - extension.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(extension))
}

fn read_zip(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    report: &mut Report,
    sources: &mut Vec<Source>,
) {
    let refuse = |report: &mut Report, file: &str, message: String| {
        report.error(FeedError::Archive(Problem::new(file, message)));
    };
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(error) => return refuse(report, name, format!("archive zip illisible : {error}")),
    };
    if archive.len() > limits.max_entries {
        let message = format!(
            "l'archive contient {} entrées, plus que les {} autorisées",
            archive.len(),
            limits.max_entries
        );
        return refuse(report, name, message);
    }
    for entry_name in archive.file_names() {
        let checked = entry_name
            .map_err(|error| format!("l'archive contient une entrée au nom illisible : {error}"))
            .and_then(|entry_name| check_entry_path(&entry_name));
        if let Err(message) = checked {
            return refuse(report, name, message);
        }
    }
    let mut total = 0;
    let mut found = Vec::new();
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(error) => {
                return refuse(
                    report,
                    name,
                    format!(
                        "impossible de lire l'entrée n° {} de l'archive : {error}",
                        index + 1
                    ),
                )
            }
        };
        let entry_name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let display = format!("{name}!/{entry_name}");
        if entry.is_dir() || is_mac_metadata(&entry_name) {
            continue;
        }
        if entry.is_symlink() || !has_extension(&entry_name, ".xml") {
            report.warn(Problem::new(
                &display,
                "ignoré : ce n'est pas un fichier XML",
            ));
            continue;
        }
        let compressed = entry.compressed_size().min(bytes.len() as u64);
        match read_bounded(&mut entry, compressed, limits, &mut total) {
            Ok(content) => found.push(Source {
                name: display,
                bytes: content,
            }),
            Err(message) => return refuse(report, &display, message),
        }
    }
    sources.extend(found);
}

/// Refuses paths that could point outside the archive if it were ever extracted.
fn check_entry_path(path: &str) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "l'archive contient une entrée dangereuse, « {path} » : {why}"
        ))
    };
    let bytes = path.as_bytes();
    let has_drive =
        bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic);
    if path.contains('\0') {
        refuse("son nom contient un caractère NUL")
    } else if path.starts_with(['/', '\\']) || has_drive {
        refuse("c'est un chemin absolu")
    } else if path.split(['/', '\\']).any(|part| part == "..") {
        refuse("elle sort de l'archive par « .. »")
    } else {
        Ok(())
    }
}

/// macOS adds `__MACOSX/` and `._name` resource forks that look like XML files but are not.
fn is_mac_metadata(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|part| part == "__MACOSX" || part.starts_with("._"))
}

fn read_bounded(
    entry: &mut impl Read,
    compressed: u64,
    limits: &Limits,
    total: &mut u64,
) -> Result<Vec<u8>, String> {
    let mut content = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        let read = entry
            .read(&mut chunk)
            .map_err(|error| format!("impossible de décompresser le fichier : {error}"))?;
        if read == 0 {
            return Ok(content);
        }
        content.extend_from_slice(&chunk[..read]);
        *total += read as u64;
        let size = content.len() as u64;
        if size > limits.max_entry_size {
            return Err(format!(
                "le fichier décompressé dépasse {}, la limite pour un fichier",
                in_units(limits.max_entry_size)
            ));
        }
        if *total > limits.max_total_size {
            return Err(format!(
                "l'archive décompressée dépasse {} au total",
                in_units(limits.max_total_size)
            ));
        }
        if size > limits.ratio_floor && size > compressed.saturating_mul(limits.max_ratio) {
            return Err(format!(
                "le fichier grossit plus de {} fois à la décompression ({compressed} octets compressés \
                 en donnent plus de {size}) ; refusé comme bombe de décompression (zip bomb)",
                limits.max_ratio
            ));
        }
    }
}

fn in_units(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} Mio", bytes / MIB)
    } else {
        format!("{bytes} octets")
    }
}

#[cfg(test)]
mod tests;
