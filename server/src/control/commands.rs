//! The administration commands themselves, over a domain: run by the server for a request on
//! its control socket, or by the command line in its own process when no server runs. One
//! function for both, so that the output and the exit code cannot differ.

use std::path::Path;

use rand::rngs::OsRng;

use super::protocol::Command;
use crate::directory::french;
use crate::directory::import::{self, ImportError, Mode};
use crate::directory::inbox::Inbox;
use crate::directory::sync::{self, RunError};
use crate::domain::access::Actor;
use crate::domain::{Domain, DomainError};
use crate::store::StoreError;

/// Why a command could not run (a rejected feed is not one: it is a report and exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Sync(#[from] RunError),
    #[error("cannot write the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error("a backup runs only inside the server")]
    NoRuntime,
}

/// Where a command's text goes: this process's standard output, or the control connection
/// back to the command line that asked.
pub trait Output {
    fn print(&mut self, text: &str);
}

/// The standard output of this process.
pub struct Stdout;

impl Output for Stdout {
    fn print(&mut self, text: &str) {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        // As `print!` would, minus its panic on a closed pipe (`preau … | head`).
        let _ = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
    }
}

/// Runs `command` on `domain` (of the data directory `data`), as the appliance itself; returns
/// the exit code.
pub fn execute(
    domain: &Domain,
    data: &Path,
    command: Command,
    out: &mut dyn Output,
) -> Result<u8, CommandError> {
    let rng = &mut OsRng;
    match command {
        Command::CreateAdmin { login } => {
            let (account, password) = domain.create_admin(Actor::System, &login, rng)?;
            domain.tables().flush_blocking()?;
            out.print(&one_time_password(&account.login, &password));
            Ok(0)
        }
        Command::ResetPassword { login } => {
            let (account, password) = domain.reset_password(Actor::System, &login, rng)?;
            domain.tables().flush_blocking()?;
            out.print(&one_time_password(&account.login, &password));
            Ok(0)
        }
        Command::DirectoryImport {
            input,
            dry_run,
            json,
        } => {
            let mode = if dry_run { Mode::DryRun } else { Mode::Apply };
            let report = import::import_input(domain, Actor::System, input, mode, rng)?;
            if json {
                out.print(&format!("{}\n", serde_json::to_string_pretty(&report)?));
            } else {
                out.print(&french::import_report(&report));
            }
            Ok(u8::from(report.is_rejected()))
        }
        Command::DirectorySync => {
            let outcome = sync::run(domain, Actor::System, &Inbox::of(data), rng)?;
            out.print(&french::sync_outcome(&outcome));
            Ok(u8::from(!outcome.succeeded()))
        }
        Command::SearchReindex => {
            let count = domain.reindex_resources()?;
            out.print(&format!(
                "index des ressources reconstruit : {count} ressource(s)\n"
            ));
            let count = domain.reindex_messages()?;
            out.print(&format!(
                "index des messages reconstruit : {count} message(s)\n"
            ));
            Ok(0)
        }
        Command::Backup => {
            // Inside the server, on one of its blocking threads: its runtime is there.
            let runtime =
                tokio::runtime::Handle::try_current().map_err(|_| CommandError::NoRuntime)?;
            let created = runtime.block_on(crate::backup::create(
                domain,
                data,
                crate::backup::BackupKind::Manual,
            ))?;
            let path = crate::backup::folder(data).join(&created.name);
            out.print(&format!("{}\n", path.display()));
            Ok(0)
        }
    }
}

fn one_time_password(login: &str, password: &str) -> String {
    format!(
        "identifiant : {login}\nmot de passe à usage unique : {password}\n(à changer à la première connexion)\n"
    )
}
