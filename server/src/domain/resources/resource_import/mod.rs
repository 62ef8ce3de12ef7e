//! Bulk import of resources (issue #4): a teacher brings an existing collection as one zip of
//! files with a `ressources.csv` that describes them, one line per resource.
//!
//! The import is all or nothing. Every line is checked before anything is written, and every
//! problem is reported at once with its line number, so that a teacher fixes the spreadsheet in
//! one go; a creation that still fails midway (a quota reached) removes what the import had
//! already created. The archive is hostile until proven otherwise (`archive`): entry names
//! that could leave it refuse it, and every file is decompressed through a `take` bounded by the
//! sizes allowed, since the sizes its headers declare are the sender's to write. Nothing is
//! extracted to disk under an entry's name: files go from the zip to the blob folder's staging
//! area.
//!
//! The steps, each in its module: `archive` vets the zip and finds the CSV, `table` reads the
//! CSV into rows, `rows` checks each row against the vocabularies and the classes, and this
//! module stages the files and creates the resources; `problems` says what went wrong.

mod archive;
mod folding;
mod problems;
mod rows;
mod table;
#[cfg(test)]
mod tests;

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use zip::ZipArchive;

use super::{DraftSource, ResourceDraft};
use crate::config::FilesConfig;
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::{Domain, DomainError};
use crate::extract::Priority;
use crate::package;
use archive::{file_name, Entries, Unpack};
pub use problems::{ImportProblem, ImportRefusal, LineProblem};
use rows::{CheckedRow, RowChecker};
use table::{decode, Table};

/// The CSV that describes the collection: this name anywhere in the archive, else its only CSV.
pub const CSV_NAME: &str = "ressources.csv";

/// A CSV of the largest import, descriptions included, stays well below this.
const MAX_CSV_BYTES: u64 = 16 << 20;

/// Bounds on one import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    pub max_rows: usize,
    pub max_entries: usize,
    /// Sum over the archive, declared and actually decompressed.
    pub max_unpacked_bytes: u64,
    /// One file, as the resource form accepts it.
    pub max_file_bytes: u64,
    /// Unpacked size over compressed size of one entry: documents compress up to about 20:1,
    /// zip bombs about 1000:1.
    pub max_ratio: u64,
}

impl ImportLimits {
    /// An import can never hold more than its author's file space.
    pub fn of(files: &FilesConfig) -> Self {
        Self {
            max_rows: 2000,
            max_entries: 10_000,
            max_unpacked_bytes: (files.quota_per_user_mb << 20).max(files.max_upload_bytes()),
            max_file_bytes: files.max_upload_bytes(),
            max_ratio: 200,
        }
    }

    /// The bounds a package's zip would have, for the checks the import shares with packages.
    fn package_limits(&self) -> package::Limits {
        package::Limits {
            max_entries: self.max_entries,
            max_unpacked_bytes: self.max_unpacked_bytes,
            max_ratio: self.max_ratio,
        }
    }
}

/// What an accepted import created, in the order of the CSV: `(id, title)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: Vec<(u64, String)>,
}

/// The drafts to create, each with its line, or everything that is wrong with the archive.
type Plan = Result<Vec<(u64, ResourceDraft)>, Vec<ImportProblem>>;

impl Domain {
    /// Imports the collection in the zip at `archive` for `author`: every resource its CSV
    /// describes, published, or none of them. `Ok(Err(_))` lists all that is wrong with the
    /// archive; a [`DomainError`] is anything else (storage, a quota reached midway).
    pub fn import_resources(
        &self,
        author: &Account,
        archive: &Path,
    ) -> Result<ImportOutcome, DomainError> {
        self.import_resources_within(author, archive, &ImportLimits::of(&self.config.files))
    }

    fn import_resources_within(
        &self,
        author: &Account,
        archive: &Path,
        limits: &ImportLimits,
    ) -> Result<ImportOutcome, DomainError> {
        if !access::allows(author, Action::CreateResource) {
            return Err(DomainError::Forbidden);
        }
        let file = std::fs::File::open(archive).map_err(|source| DomainError::FileIo {
            action: "open",
            path: archive.display().to_string(),
            source,
        })?;
        match self.plan_import(author, BufReader::new(file), limits)? {
            Ok(plan) => self.create_all(author, plan),
            Err(problems) => Err(ImportRefusal { problems }.into()),
        }
    }

    /// Checks the archive and every line, then stages the files.
    pub fn plan_import<R: Read + Seek>(
        &self,
        author: &Account,
        reader: R,
        limits: &ImportLimits,
    ) -> Result<Plan, DomainError> {
        let mut zip = match ZipArchive::new(reader) {
            Ok(zip) => zip,
            Err(error) => return Ok(Err(vec![ImportProblem::NotZip(error.to_string())])),
        };
        let entries = match Entries::vet(&zip, limits) {
            Ok(entries) => entries,
            Err(problems) => return Ok(Err(problems)),
        };
        let csv_path = match entries.csv() {
            Ok(path) => path,
            Err(problem) => return Ok(Err(vec![problem])),
        };
        let csv = match entries.unpack(&mut zip, &csv_path, MAX_CSV_BYTES, 0, limits) {
            Ok(bytes) => bytes,
            Err(Unpack::Ratio) => {
                return Ok(Err(vec![ImportProblem::CompressedTooMuch {
                    entry: csv_path,
                    limit: limits.max_ratio,
                }]))
            }
            Err(_) => return Ok(Err(vec![ImportProblem::UnreadableCsv])),
        };
        let mut unpacked = csv.len() as u64;
        let table = match Table::parse(&decode(&csv), limits) {
            Ok(table) => table,
            Err(problems) => return Ok(Err(problems)),
        };
        let establishment = self.establishment()?;
        let scope = access::publish_scope(author, &establishment);
        let checker = RowChecker::new(establishment, scope, &entries, &csv_path, limits);
        let mut problems = table.problems;
        let mut checked = Vec::new();
        for row in &table.rows {
            match checker.check(row) {
                Ok(row) => checked.push(row),
                Err(found) => {
                    problems.extend(found.into_iter().map(|problem| ImportProblem::Line {
                        line: row.line,
                        problem,
                    }))
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|problem| match problem {
                ImportProblem::Line { line, .. } => *line,
                _ => 0,
            });
            return Ok(Err(problems));
        }
        let mut plan = Vec::new();
        for CheckedRow {
            line,
            mut draft,
            file,
        } in checked
        {
            if let Some(path) = file {
                match entries.unpack(&mut zip, &path, limits.max_file_bytes, unpacked, limits) {
                    Ok(bytes) => {
                        unpacked += bytes.len() as u64;
                        let staged = self.blobs()?.stage_bytes(
                            file_name(&path),
                            &bytes,
                            limits.max_file_bytes,
                        )?;
                        draft.source = DraftSource::Upload(staged);
                    }
                    Err(error) => {
                        problems.push(error.problem(line, path, limits));
                        continue;
                    }
                }
            }
            plan.push((line, draft));
        }
        Ok(if problems.is_empty() {
            Ok(plan)
        } else {
            Err(problems)
        })
    }

    /// Creates the planned resources in order; on the first failure, deletes those already
    /// created, so that nothing of the import remains.
    fn create_all(
        &self,
        author: &Account,
        plan: Vec<(u64, ResourceDraft)>,
    ) -> Result<ImportOutcome, DomainError> {
        let mut created = Vec::new();
        for (line, draft) in plan {
            match self.create_resource_with(author, draft, Priority::Bulk) {
                Ok(resource) => created.push((resource.id, resource.title)),
                Err(error) => {
                    for (id, _) in created.iter().rev() {
                        if let Err(undo) = self.delete_resource(author, *id) {
                            tracing::error!(error = %undo, id, "an interrupted import left a resource");
                        }
                    }
                    return match error {
                        DomainError::Package(problem) => Err(ImportRefusal {
                            problems: vec![ImportProblem::Line {
                                line,
                                problem: LineProblem::Package(problem),
                            }],
                        }
                        .into()),
                        other => Err(other),
                    };
                }
            }
        }
        Ok(ImportOutcome { created })
    }
}
