//! A whole feed: every file of the inputs, parsed, typed and put in import order.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::archive::{gather_paths, gather_uploads, read_paths, Source, LIMITS};
use super::error::{FeedError, FeedErrors, Problem, Report};
use super::feed_name::{ExportType, FeedFileName, FeedKind};
use super::records::{map_records, Records};
use super::xml::parse_records;

/// A directory feed, read and typed, ready to be compared with the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The files in import order: by export day, full export before delta, kind
    /// ([`FeedKind`] order), part; files with an unrecognised name come last, by kind.
    pub files: Vec<FeedFile>,
    /// Non-blocking observations, for the import report.
    pub warnings: Vec<Problem>,
}

/// One file of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFile {
    /// Display name, e.g. `export.zip!/ENT2D_Complet_20260901_Eleve_0000.xml`.
    pub source: String,
    /// What the file name says, when it follows the AAF convention.
    pub name: Option<FeedFileName>,
    /// Kind of the records, from the name or else from the records' category.
    pub kind: FeedKind,
    /// The typed records, in file order.
    pub records: Records,
}

impl FeedFile {
    /// Full export or delta. A file whose name does not say is taken as a delta: only a file
    /// known to be a full export may deactivate the persons it leaves out.
    pub fn export(&self) -> ExportType {
        self.name.map_or(ExportType::Delta, |name| name.export)
    }
}

/// Reads the feed from files, folders and zip archives, given in any order.
///
/// Every input is read even after an error, so that the report lists all problems at once.
/// Any error refuses the whole feed: applying part of an export could deactivate the persons
/// of a refused record or file.
pub fn read_feed(inputs: &[impl AsRef<Path>]) -> Result<Feed, FeedErrors> {
    let mut report = Report::default();
    let sources = gather_paths(inputs, &LIMITS, &mut report);
    build(sources, report)
}

/// Same as [`read_feed`] for uploaded `(file name, bytes)` pairs: XML files or zip archives.
pub fn read_uploaded_feed(uploads: Vec<(String, Vec<u8>)>) -> Result<Feed, FeedErrors> {
    let mut report = Report::default();
    let sources = gather_uploads(uploads, &LIMITS, &mut report);
    build(sources, report)
}

/// A feed's files as read from the administrator's paths, archives still closed: what
/// `preau directory import` hands to the import, in its own process or over the control socket
/// to a running server (which may run as a user that cannot read the administrator's files).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedInput {
    pub files: Vec<InputFile>,
    /// Files and folders that could not be read: errors of the report.
    pub unreadable: Vec<Problem>,
    /// Entries of folders left aside: warnings of the report.
    pub ignored: Vec<Problem>,
}

/// One file of a [`FeedInput`]: an XML file or a zip archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path as the administrator gave it (or found in a folder given), as reports show it.
    pub name: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

impl FeedInput {
    /// Reads files and folders as [`read_feed`] does, without parsing anything.
    pub fn read(inputs: &[impl AsRef<Path>]) -> Self {
        let mut report = Report::default();
        let files = read_paths(inputs, &mut report)
            .into_iter()
            .map(|(name, bytes)| InputFile { name, bytes })
            .collect();
        Self {
            files,
            unreadable: report.errors.iter().map(|e| e.problem().clone()).collect(),
            ignored: report.warnings,
        }
    }

    /// The bytes of all its files.
    pub fn size(&self) -> u64 {
        self.files.iter().map(|f| f.bytes.len() as u64).sum()
    }
}

/// Same as [`read_feed`] for files read by [`FeedInput::read`], maybe in another process.
pub fn read_feed_input(input: FeedInput) -> Result<Feed, FeedErrors> {
    let mut report = Report {
        errors: input.unreadable.into_iter().map(FeedError::Read).collect(),
        warnings: input.ignored,
    };
    let uploads = input.files.into_iter().map(|f| (f.name, f.bytes)).collect();
    let sources = gather_uploads(uploads, &LIMITS, &mut report);
    build(sources, report)
}

/// File bytes in JSON as base64: a quarter more than raw, where a JSON array of numbers would be
/// four times as much.
mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

fn build(sources: Vec<Source>, mut report: Report) -> Result<Feed, FeedErrors> {
    let mut files: Vec<FeedFile> = sources
        .into_iter()
        .filter_map(|source| read_file(source, &mut report))
        .collect();
    files.sort_by(|a, b| {
        let key = |file: &FeedFile| (file.name.is_none(), file.name, file.kind);
        key(a).cmp(&key(b)).then_with(|| a.source.cmp(&b.source))
    });
    warn_about_parts(&files, &mut report);
    if report.errors.is_empty() {
        Ok(Feed {
            files,
            warnings: report.warnings,
        })
    } else {
        Err(FeedErrors {
            errors: report.errors,
            warnings: report.warnings,
        })
    }
}

fn read_file(source: Source, report: &mut Report) -> Option<FeedFile> {
    let file = source.name.as_str();
    let name = FeedFileName::parse(file);
    let records = parse_records(file, &source.bytes)
        .map_err(|error| report.error(error))
        .ok()?;
    let Some(kind) = name
        .map(|n| n.kind)
        .or_else(|| records.first().map(|r| r.category))
    else {
        report.error(FeedError::Kind(Problem::new(
            file,
            "impossible de reconnaître le type de ce fichier : son nom ne suit pas le modèle \
             <préfixe>_<Complet|Delta>_<aaaammjj>_<type>_<nnnn>.xml et il ne contient aucun \
             enregistrement",
        )));
        return None;
    };
    let strays: Vec<_> = records.iter().filter(|r| r.category != kind).collect();
    if let Some(first) = strays.first() {
        let others = match strays.len() - 1 {
            0 => String::new(),
            1 => " (1 autre enregistrement de ce fichier ne correspond pas non plus)".to_owned(),
            more => format!(
                " ({more} autres enregistrements de ce fichier ne correspondent pas non plus)"
            ),
        };
        report.error(FeedError::Kind(
            Problem::new(
                file,
                format!(
                    "un enregistrement de type {} dans un fichier de type {kind}{others}",
                    first.category
                ),
            )
            .at_line(first.line)
            .for_record(&first.id),
        ));
        return None;
    }
    if records.is_empty() {
        report.warn(Problem::new(
            file,
            "le fichier ne contient aucun enregistrement",
        ));
    }
    let records = map_records(kind, file, records, report);
    Some(FeedFile {
        source: source.name,
        name,
        kind,
        records,
    })
}

/// Parts of one export and kind must run `_0000`, `_0001`, …: a gap means a lost file, and a
/// repeat means the same file was given twice.
fn warn_about_parts(files: &[FeedFile], report: &mut Report) {
    let mut parts: BTreeMap<_, Vec<(u32, &str)>> = BTreeMap::new();
    for file in files {
        if let Some(name) = file.name {
            let group = parts
                .entry((name.date, name.export, name.kind))
                .or_default();
            group.push((name.seq, &file.source));
        }
    }
    for ((date, export, kind), group) in parts {
        let Some(&(last, last_source)) = group.last() else {
            continue;
        };
        for seq in 0..last {
            if !group.iter().any(|&(present, _)| present == seq) {
                report.warn(Problem::new(
                    last_source,
                    format!(
                        "il manque la partie {seq:04} de l'export {export} {kind} du {}",
                        date.format("%d/%m/%Y")
                    ),
                ));
            }
        }
        for pair in group.windows(2) {
            if pair[0].0 == pair[1].0 {
                report.warn(Problem::new(
                    pair[1].1,
                    format!(
                        "la même partie est aussi lue depuis {} ; les deux sont importées",
                        pair[0].1
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests;
