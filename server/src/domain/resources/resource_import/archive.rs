//! The zip side of an import: vetting every entry's header before anything is decompressed,
//! finding the CSV and the files its lines name, and decompressing a file within bounds.
//!
//! Entry names are vetted and ratios bounded as a package's are ([`crate::package`]); unlike a
//! package, an encrypted entry or a link refuses only the lines that name it.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::folding::fold_path;
use super::{ImportLimits, ImportProblem, LineProblem, CSV_NAME};
use crate::package::{ratio_allowance, safe_path};

/// A file of the archive.
pub(super) struct Entry {
    pub(super) index: usize,
    /// As declared by its header.
    pub(super) size: u64,
    pub(super) compressed: u64,
    /// Neither encrypted nor a symbolic link.
    pub(super) readable: bool,
}

/// The files of a vetted archive, by their normalised path.
#[derive(Default)]
pub(super) struct Entries {
    pub(super) files: BTreeMap<String, Entry>,
    /// Folded path → paths: `Cours.PDF` for `cours.pdf`, as on the teacher's own computer, and
    /// macOS's decomposed accents for the CSV's composed ones.
    folded: BTreeMap<String, Vec<String>>,
}

/// Why a file could not be decompressed.
pub(super) enum Unpack {
    Unreadable,
    TooLarge,
    Ratio,
    Budget,
}

impl Unpack {
    pub(super) fn problem(self, line: u64, path: String, limits: &ImportLimits) -> ImportProblem {
        let problem = match self {
            Unpack::Ratio => {
                return ImportProblem::CompressedTooMuch {
                    entry: path,
                    limit: limits.max_ratio,
                }
            }
            Unpack::Budget => {
                return ImportProblem::UnpackedTooLarge {
                    limit: limits.max_unpacked_bytes,
                }
            }
            Unpack::Unreadable => LineProblem::UnreadableFile(path),
            Unpack::TooLarge => LineProblem::FileTooLarge {
                path,
                limit: limits.max_file_bytes,
            },
        };
        ImportProblem::Line { line, problem }
    }
}

impl Entries {
    /// Reads every header before anything is decompressed: one unsafe name or bomb-like entry
    /// refuses the archive, whether the CSV uses it or not.
    pub(super) fn vet<R: Read + Seek>(
        zip: &ZipArchive<R>,
        limits: &ImportLimits,
    ) -> Result<Self, Vec<ImportProblem>> {
        if zip.len() > limits.max_entries {
            return Err(vec![ImportProblem::TooManyEntries {
                count: zip.len(),
                limit: limits.max_entries,
            }]);
        }
        let mut entries = Entries::default();
        let mut problems = Vec::new();
        let mut declared = 0u64;
        for index in 0..zip.len() {
            let header = zip
                .by_index_data(index)
                .and_then(|entry| Ok((entry.name()?.into_owned(), entry)));
            let (name, entry) = match header {
                Ok(header) => header,
                Err(error) => {
                    problems.push(ImportProblem::NotZip(error.to_string()));
                    continue;
                }
            };
            let Ok(path) = safe_path(&name) else {
                problems.push(ImportProblem::UnsafeEntry(name));
                continue;
            };
            if entry.is_dir() {
                continue;
            }
            let (size, compressed) = (entry.size(), entry.compressed_size());
            declared = declared.saturating_add(size);
            if size > ratio_allowance(compressed, &limits.package_limits()) {
                problems.push(ImportProblem::CompressedTooMuch {
                    entry: path,
                    limit: limits.max_ratio,
                });
                continue;
            }
            entries
                .folded
                .entry(fold_path(&path))
                .or_default()
                .push(path.clone());
            let readable = !entry.encrypted() && !entry.is_symlink();
            entries.files.insert(
                path,
                Entry {
                    index,
                    size,
                    compressed,
                    readable,
                },
            );
        }
        if declared > limits.max_unpacked_bytes {
            problems.push(ImportProblem::UnpackedTooLarge {
                limit: limits.max_unpacked_bytes,
            });
        }
        if problems.is_empty() {
            Ok(entries)
        } else {
            Err(problems)
        }
    }

    /// The CSV that describes the collection: the one named `ressources.csv`, else the only CSV
    /// (macOS's `__MACOSX/` copies and hidden files aside).
    pub(super) fn csv(&self) -> Result<String, ImportProblem> {
        let csvs: Vec<&String> = self
            .files
            .keys()
            .filter(|path| {
                let hidden = path.starts_with("__MACOSX/")
                    || path.split('/').any(|segment| segment.starts_with('.'));
                !hidden && path.to_lowercase().ends_with(".csv")
            })
            .collect();
        let named: Vec<&String> = csvs
            .iter()
            .copied()
            .filter(|path| file_name(path).eq_ignore_ascii_case(CSV_NAME))
            .collect();
        match (named.as_slice(), csvs.as_slice()) {
            ([one], _) | ([], [one]) => Ok((*one).clone()),
            ([], []) => Err(ImportProblem::NoCsv),
            _ => Err(ImportProblem::SeveralCsv(
                csvs.into_iter().cloned().collect(),
            )),
        }
    }

    /// The path of the file `wanted` names: exactly, else by its folded form when only one
    /// file has it.
    pub(super) fn find(&self, wanted: &str) -> Option<&str> {
        if let Some((path, _)) = self.files.get_key_value(wanted) {
            return Some(path);
        }
        match self.folded.get(&fold_path(wanted)).map(Vec::as_slice) {
            Some([path]) => Some(path),
            _ => None,
        }
    }

    /// Decompresses `path` (a key of `files`), refusing it as soon as it passes `max` bytes,
    /// its ratio, or the archive's total with `unpacked` bytes already out.
    pub(super) fn unpack<R: Read + Seek>(
        &self,
        zip: &mut ZipArchive<R>,
        path: &str,
        max: u64,
        unpacked: u64,
        limits: &ImportLimits,
    ) -> Result<Vec<u8>, Unpack> {
        let entry = self.files.get(path).ok_or(Unpack::Unreadable)?;
        let by_ratio = ratio_allowance(entry.compressed, &limits.package_limits());
        let budget = limits.max_unpacked_bytes.saturating_sub(unpacked);
        let cap = max.min(by_ratio).min(budget);
        let file = zip.by_index(entry.index).map_err(|_| Unpack::Unreadable)?;
        let mut bytes = Vec::new();
        file.take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| Unpack::Unreadable)?;
        let size = bytes.len() as u64;
        if size > by_ratio {
            Err(Unpack::Ratio)
        } else if size > max {
            Err(Unpack::TooLarge)
        } else if size > budget {
            Err(Unpack::Budget)
        } else if size == 0 {
            // The header said there were bytes (empty files are refused before).
            Err(Unpack::Unreadable)
        } else {
            Ok(bytes)
        }
    }
}

/// The last segment of a path in the archive.
pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
