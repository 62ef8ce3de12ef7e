//! `preau directory import FILE… [--dry-run] [--json]`, `preau directory sync`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::config::Config;
use crate::directory::import::{self, Mode};
use crate::directory::inbox::Inbox;
use crate::directory::{french, sync};
use crate::domain::access::Actor;

#[derive(Subcommand, Debug)]
pub enum DirectoryCommand {
    /// Apply AAF XML files, folders or zip archives of them; print a report. Exit 1 and change
    /// nothing when the feed is rejected.
    Import(ImportArgs),
    /// One sync run from `[directory] source`, as the scheduler does it: import the files
    /// waiting there, archive them, or quarantine them with their report. Exit 1 when the run
    /// was rejected or failed.
    Sync,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// AAF XML files, folders of them, or zip archives.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Compute and print what the import would do; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(data: &Path, config: Config, command: DirectoryCommand) -> anyhow::Result<ExitCode> {
    let args = match command {
        DirectoryCommand::Import(args) => args,
        DirectoryCommand::Sync => return sync_once(data, config),
    };
    let domain = super::open_domain(data, config)?;
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let report = import::import(
        &domain,
        Actor::System,
        &args.files,
        mode,
        &mut rand::rngs::OsRng,
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", french::import_report(&report));
    }
    Ok(if report.is_rejected() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn sync_once(data: &Path, config: Config) -> anyhow::Result<ExitCode> {
    let domain = super::open_domain(data, config)?;
    let outcome = sync::run(
        &domain,
        Actor::System,
        &Inbox::of(data),
        &mut rand::rngs::OsRng,
    )?;
    print!("{}", french::sync_outcome(&outcome));
    Ok(if outcome.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
