//! `preau directory import FILE… [--dry-run] [--json]`, `preau directory sync`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::control::protocol::Command;
use crate::directory::FeedInput;

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

/// The files are read here, by the administrator's user: a running server may not be allowed
/// to read them, and gets their bytes.
pub fn command(command: DirectoryCommand) -> Command {
    match command {
        DirectoryCommand::Import(args) => Command::DirectoryImport {
            input: FeedInput::read(&args.files),
            dry_run: args.dry_run,
            json: args.json,
        },
        DirectoryCommand::Sync => Command::DirectorySync,
    }
}
