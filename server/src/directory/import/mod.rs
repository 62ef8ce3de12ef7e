//! The directory import: a feed read by [`read_feed`](super::read_feed), compared with the store
//! ([`plan`]), then applied in one transaction ([`apply`]), with a report of what changed.
//!
//! An import either applies entirely or changes nothing: a feed the reader refuses, or whose
//! establishment cannot be told, is rejected with its errors listed.

mod apply;
mod draft;
mod outcome;
mod plan;
mod report;
mod scope;
mod structures;
#[cfg(test)]
mod tests;

pub use report::{Counts, ImportReport, ReportProblem};

use std::path::Path;

use rand::Rng;

use crate::domain::access::{self, Action, Actor};
use crate::domain::{Domain, DomainError};
use crate::store::StoreError;

use super::{read_feed, read_feed_input, Feed, FeedInput};
use plan::{Plan, Stored};

/// Why an import could not be carried out (as opposed to a feed rejected for its content,
/// which is a report with errors).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("directory key {0} already belongs to another account")]
    JointureTaken(String),
}

impl From<ImportError> for DomainError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Store(error) => DomainError::Store(error),
            ImportError::Domain(error) => error,
            ImportError::JointureTaken(jointure) => DomainError::JointureTaken(jointure),
        }
    }
}

/// Whether to write the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Apply,
    /// Compute and report; write nothing.
    DryRun,
}

/// Reads `inputs` (XML files, folders, zip archives) and imports them, for an administrator or
/// the appliance itself.
pub fn import(
    domain: &Domain,
    actor: Actor,
    inputs: &[impl AsRef<Path>],
    mode: Mode,
    rng: &mut impl Rng,
) -> Result<ImportReport, ImportError> {
    // Checked before reading: whoever may not import learns nothing of the files.
    if !access::actor_allows(actor, Action::Administer) {
        return Err(DomainError::Forbidden.into());
    }
    match read_feed(inputs) {
        Ok(feed) => import_feed(domain, actor, &feed, mode, rng),
        Err(errors) => Ok(ImportReport::rejected(&errors)),
    }
}

/// Same as [`import`] for files already read by [`FeedInput::read`], maybe by another process:
/// `preau directory import` while the server runs.
pub fn import_input(
    domain: &Domain,
    actor: Actor,
    input: FeedInput,
    mode: Mode,
    rng: &mut impl Rng,
) -> Result<ImportReport, ImportError> {
    if !access::actor_allows(actor, Action::Administer) {
        return Err(DomainError::Forbidden.into());
    }
    match read_feed_input(input) {
        Ok(feed) => import_feed(domain, actor, &feed, mode, rng),
        Err(errors) => Ok(ImportReport::rejected(&errors)),
    }
}

/// Imports a feed already read. Activation codes of new accounts are drawn from `rng`.
pub fn import_feed(
    domain: &Domain,
    actor: Actor,
    feed: &Feed,
    mode: Mode,
    rng: &mut impl Rng,
) -> Result<ImportReport, ImportError> {
    if !access::actor_allows(actor, Action::Administer) {
        return Err(DomainError::Forbidden.into());
    }
    let stored = Stored {
        accounts: domain.accounts().all().collect::<Result<_, _>>()?,
        establishment: domain.establishment()?.record().clone(),
    };
    let config = &domain.config().establishment;
    let feed_warnings = feed.warnings.iter().map(ReportProblem::from);
    let plan = match Plan::compute(feed, stored, config.uai.as_deref(), config.name.is_some()) {
        Ok(plan) => plan,
        Err(problem) => {
            return Ok(ImportReport {
                errors: vec![problem.into()],
                warnings: feed_warnings.collect(),
                ..ImportReport::default()
            })
        }
    };
    let now = domain.clock().now();
    let mut ids = plan.provisional_ids();
    if mode == Mode::Apply {
        let new: Vec<String> = plan.new_people().map(str::to_owned).collect();
        for jointure in new {
            ids.insert(jointure, domain.tables().next_id()?);
        }
    }
    let outcome = plan.outcome(&ids, now, rng);
    let mut report = outcome.report.clone();
    report.warnings = feed_warnings.chain(report.warnings).collect();
    match mode {
        Mode::DryRun => report.dry_run = true,
        Mode::Apply => {
            if report.has_changes() || outcome.establishment.is_some() {
                apply::write(domain.tables(), &outcome)?;
                for account in &outcome.deactivated {
                    domain.sessions().revoke_all(*account)?;
                }
                domain.tables().flush_blocking()?;
            }
            report.applied = true;
        }
    }
    Ok(report)
}
