//! The zip side of a package: opening it, vetting every entry's header, and decompressing an
//! entry within bounds.
//!
//! Headers are vetted all at once before any byte is decompressed, so a hostile archive is
//! refused cheaply. Decompression then counts the bytes actually produced, through a `take`
//! one byte past what is allowed: the declared sizes are the attacker's to write.

use std::io::{self, Read, Seek, Write};

use zip::read::ZipFileEntry;
use zip::{ZipArchive, SUPPORTED_COMPRESSION_METHODS};

use super::{Limits, PackageError, PathProblem};

/// Below this unpacked size the ratio is not checked: small files compress unevenly, and
/// a megabyte is harmless however well it compresses.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// A file of the archive (not a folder), under its normalised path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct File {
    pub(super) index: usize,
    pub(super) path: String,
}

/// Opens the zip and refuses it at once when its central directory lists too many entries.
pub(super) fn open<R: Read + Seek>(
    reader: R,
    limits: &Limits,
) -> Result<ZipArchive<R>, PackageError> {
    let zip = ZipArchive::new(reader).map_err(|error| PackageError::NotZip {
        reason: error.to_string(),
    })?;
    if zip.len() > limits.max_entries {
        return Err(PackageError::TooManyEntries {
            count: zip.len(),
            limit: limits.max_entries,
        });
    }
    Ok(zip)
}

/// Vets every entry's header and the sum of the declared sizes; gives the files, in zip order.
pub(super) fn check_entries<R: Read + Seek>(
    zip: &ZipArchive<R>,
    limits: &Limits,
) -> Result<Vec<File>, PackageError> {
    let mut files = Vec::new();
    let mut declared = 0u64;
    for index in 0..zip.len() {
        let entry = header(zip, index)?;
        declared = declared.saturating_add(entry.size());
        if let Some(file) = check_entry(index, &entry, limits)? {
            files.push(file);
        }
    }
    if declared > limits.max_unpacked_bytes {
        return Err(PackageError::DeclaredTooLarge {
            declared,
            limit: limits.max_unpacked_bytes,
        });
    }
    Ok(files)
}

fn header<R: Read + Seek>(
    zip: &ZipArchive<R>,
    index: usize,
) -> Result<ZipFileEntry<'_>, PackageError> {
    zip.by_index_data(index)
        .map_err(|error| PackageError::Damaged {
            entry: format!("#{}", index + 1),
            reason: error.to_string(),
        })
}

/// Refuses an entry that is unsafe whatever its content; `None` for a folder.
fn check_entry(
    index: usize,
    entry: &ZipFileEntry<'_>,
    limits: &Limits,
) -> Result<Option<File>, PackageError> {
    let name = entry.name().map_err(|error| PackageError::Damaged {
        entry: format!("#{}", index + 1),
        reason: error.to_string(),
    })?;
    let path = safe_path(&name).map_err(|problem| PackageError::UnsafePath {
        entry: name.into_owned(),
        problem,
    })?;
    if entry.is_symlink() {
        return Err(PackageError::Symlink { entry: path });
    }
    if entry.encrypted() {
        return Err(PackageError::Encrypted { entry: path });
    }
    let method = entry.compression();
    if !SUPPORTED_COMPRESSION_METHODS.contains(&method) {
        return Err(PackageError::UnsupportedCompression {
            entry: path,
            method: method.to_string(),
        });
    }
    let (compressed, size) = (entry.compressed_size(), entry.size());
    if size > ratio_allowance(compressed, limits) {
        return Err(PackageError::RatioTooHigh {
            entry: path,
            compressed,
            unpacked: size,
            limit: limits.max_ratio,
        });
    }
    Ok((!entry.is_dir()).then_some(File { index, path }))
}

pub(crate) fn ratio_allowance(compressed: u64, limits: &Limits) -> u64 {
    compressed.saturating_mul(limits.max_ratio).max(RATIO_FLOOR)
}

/// Decompresses `file` into `out` and gives its size, refusing it as soon as it passes the
/// ratio allowed or takes the package (`unpacked` bytes so far) past its total.
pub(super) fn unpack<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    file: &File,
    unpacked: u64,
    limits: &Limits,
    out: &mut impl Write,
) -> Result<u64, PackageError> {
    let damaged = |error: &dyn std::fmt::Display| PackageError::Damaged {
        entry: file.path.clone(),
        reason: error.to_string(),
    };
    let data_end = zip.central_directory_start();
    let mut entry = zip.by_index(file.index).map_err(|error| damaged(&error))?;
    let compressed = entry.compressed_size();
    let declared = entry.size();
    let stored = entry.compression() == zip::CompressionMethod::Stored;
    check_span(entry.data_start(), compressed, declared, stored, data_end)
        .map_err(|reason| damaged(&reason))?;
    let budget = limits.max_unpacked_bytes.saturating_sub(unpacked);
    let by_ratio = ratio_allowance(compressed, limits);
    let cap = budget.min(by_ratio);
    let size = io::copy(&mut (&mut entry).take(cap.saturating_add(1)), out)
        .map_err(|error| damaged(&error))?;
    if size > budget {
        return Err(PackageError::UnpackedTooLarge {
            entry: file.path.clone(),
            limit: limits.max_unpacked_bytes,
        });
    }
    if size > by_ratio {
        return Err(PackageError::RatioTooHigh {
            entry: file.path.clone(),
            compressed,
            unpacked: size,
            limit: limits.max_ratio,
        });
    }
    if size != declared {
        return Err(damaged(&format!(
            "{size} bytes unpacked where its header declares {declared}"
        )));
    }
    Ok(size)
}

/// Refuses an entry whose data, as its central header places it, would run past the data of
/// the archive into its central directory, or a stored entry whose two sizes differ: served
/// straight from the file, such an entry would send bytes that are not its own (found by the
/// `package_zip` fuzz target).
pub(super) fn check_span(
    data_start: Option<u64>,
    compressed: u64,
    declared: u64,
    stored: bool,
    data_end: u64,
) -> Result<(), String> {
    let start = data_start.ok_or("its data cannot be located")?;
    if start
        .checked_add(compressed)
        .is_none_or(|end| end > data_end)
    {
        return Err(format!(
            "its {compressed} bytes of data would run past the archive's data"
        ));
    }
    if stored && compressed != declared {
        return Err(format!(
            "it is stored as {compressed} bytes but declares {declared}"
        ));
    }
    Ok(())
}

/// Keeps the first `max` bytes written and drops the rest: for a file read for its beginning
/// only, but unpacked whole so that its size is counted.
pub(super) struct Head {
    pub(super) bytes: Vec<u8>,
    max: usize,
}

impl Head {
    pub(super) fn new(max: usize) -> Self {
        Self {
            bytes: Vec::new(),
            max,
        }
    }
}

impl Write for Head {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = self.max.saturating_sub(self.bytes.len());
        self.bytes.extend_from_slice(&buf[..buf.len().min(room)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The normalised form of a path inside a package (`.` and empty segments dropped), or why it
/// could name something outside the package once extracted or resolved by a browser.
pub(crate) fn safe_path(path: &str) -> Result<String, PathProblem> {
    let bytes = path.as_bytes();
    let has_drive =
        bytes.get(1) == Some(&b':') && bytes.first().is_some_and(u8::is_ascii_alphabetic);
    if path.contains('\0') {
        Err(PathProblem::Nul)
    } else if path.starts_with('/') {
        Err(PathProblem::Absolute)
    } else if has_drive {
        Err(PathProblem::DriveLetter)
    } else if path.contains('\\') {
        Err(PathProblem::Backslash)
    } else if path.split('/').any(|segment| segment == "..") {
        Err(PathProblem::ParentDirectory)
    } else {
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty() && *segment != ".")
            .collect();
        Ok(segments.join("/"))
    }
}
