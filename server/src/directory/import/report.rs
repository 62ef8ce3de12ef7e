//! The import report: what an import did (or would do), for the administrator and for scripts.

use serde::{Deserialize, Serialize};

use crate::directory::{FeedErrors, Problem};

use super::draft::PersonKind;

/// How many objects of each kind an outcome concerns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub pupils: usize,
    pub parents: usize,
    pub staff: usize,
    pub classes: usize,
    pub groups: usize,
    /// Subjects of the BCN referential.
    pub subjects: usize,
    /// MEF levels.
    pub mefs: usize,
}

impl Counts {
    /// The count of one kind of person.
    pub fn person(&mut self, kind: PersonKind) -> &mut usize {
        match kind {
            PersonKind::Pupil => &mut self.pupils,
            PersonKind::Parent => &mut self.parents,
            PersonKind::Staff => &mut self.staff,
        }
    }

    /// Pupils, parents and staff: the accounts concerned.
    pub fn persons(&self) -> usize {
        self.pupils + self.parents + self.staff
    }

    pub fn total(&self) -> usize {
        self.pupils
            + self.parents
            + self.staff
            + self.classes
            + self.groups
            + self.subjects
            + self.mefs
    }
}

/// A warning or an error, with where it was found; `line` and `record` are `null` when the
/// problem concerns a whole file or the whole feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportProblem {
    pub file: String,
    pub line: Option<u64>,
    pub record: Option<String>,
    pub message: String,
}

impl From<&Problem> for ReportProblem {
    fn from(problem: &Problem) -> Self {
        Self {
            file: problem.file.clone(),
            line: problem.line,
            record: problem.record.clone(),
            message: problem.message.clone(),
        }
    }
}

impl From<Problem> for ReportProblem {
    fn from(problem: Problem) -> Self {
        Self::from(&problem)
    }
}

/// The outcome of `preau directory import`. The first seven keys are a contract (`docs/cli.md`);
/// the others detail them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Whether the store now reflects the feed: false for a rejected feed and for a dry run.
    pub applied: bool,
    pub created: Counts,
    /// Objects whose data changed, including pupils who changed class (also in `moved`).
    pub updated: Counts,
    /// Persons who left (and can no longer sign in); classes, groups, subjects and MEFs removed.
    pub deactivated: Counts,
    pub unchanged: Counts,
    pub warnings: Vec<ReportProblem>,
    pub errors: Vec<ReportProblem>,
    /// Persons deactivated earlier who are back in the directory.
    pub reactivated: Counts,
    /// Pupils whose class changed.
    pub moved: Counts,
    /// Person records of other establishments, left aside.
    pub skipped: Counts,
    /// The UAI taken from the feed when none was configured nor stored.
    pub adopted_uai: Option<String>,
    /// Whether this was a dry run: nothing applied, by request.
    pub dry_run: bool,
}

impl ImportReport {
    /// The report of a feed the reader refused: nothing applied, every error listed.
    pub fn rejected(errors: &FeedErrors) -> Self {
        Self {
            errors: errors.errors.iter().map(|e| e.problem().into()).collect(),
            warnings: errors.warnings.iter().map(ReportProblem::from).collect(),
            ..Self::default()
        }
    }

    pub fn is_rejected(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether applying the plan changes the store.
    pub fn has_changes(&self) -> bool {
        self.created.total()
            + self.updated.total()
            + self.deactivated.total()
            + self.reactivated.total()
            > 0
            || self.adopted_uai.is_some()
    }
}
