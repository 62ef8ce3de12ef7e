//! The command line: `preau serve`, `preau user …`, `preau directory …`, `preau search …`.

mod backup;
mod directory;
mod extract;
mod search;
mod serve;
mod user;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::control;
use crate::domain::clock::SystemClock;
use crate::domain::Domain;
use crate::extract::Extractor;
use crate::search::{MailIndex, SearchIndex};

#[derive(Parser, Debug)]
#[command(
    name = "preau",
    version,
    about = "Préau — the ENT of one establishment"
)]
pub struct Cli {
    /// Data directory (store, index, files, inbox, backups, TLS).
    #[arg(long, global = true, env = "PREAU_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Configuration file (TOML); `preau.toml` is read when present.
    #[arg(long, global = true, env = "PREAU_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the appliance.
    Serve(serve::ServeArgs),
    /// Administrator accounts: bootstrap and recovery.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The académie directory feed (AAF).
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Write a consistent backup of the data directory (store, files, configuration).
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data directory.
    Restore(backup::RestoreArgs),
    /// The search indexes (resources, mail).
    #[command(subcommand)]
    Search(search::SearchCommand),
    /// What the server runs in child processes.
    #[command(subcommand, hide = true)]
    Internal(extract::InternalCommand),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = || load_config(cli.config.as_deref(), &cli.data);
    match cli.command {
        Command::Serve(args) => serve::run(&cli.data, config()?, args),
        Command::User(command) => administer(&cli.data, config, user::command(command)),
        Command::Directory(command) => administer(&cli.data, config, directory::command(command)),
        Command::Backup(args) => backup::backup(&cli.data, config()?, args),
        Command::Restore(args) => backup::restore(&cli.data, config()?, args),
        Command::Search(command) => administer(&cli.data, config, search::command(command)),
        // The extracting child needs no configuration, and its environment is cleared.
        Command::Internal(command) => extract::run(command),
    }
}

/// Runs an administration command in the server running on `data`, or else in this process
/// over the store (the configuration is then read: the server has its own).
fn administer(
    data: &Path,
    config: impl FnOnce() -> anyhow::Result<Config>,
    command: control::protocol::Command,
) -> anyhow::Result<ExitCode> {
    let out = &mut control::commands::Stdout;
    if let Some(code) = control::client::run(data, &command, out)? {
        return Ok(ExitCode::from(code));
    }
    let domain = open_domain(data, config()?)?;
    let domain = match command {
        control::protocol::Command::SearchReindex => {
            let (resources, mail) = open_indexes(data)?;
            domain.with_search(resources).with_mail_search(mail)
        }
        _ => domain,
    };
    let code = control::commands::execute(&domain, data, command, out)?;
    Ok(ExitCode::from(code))
}

fn load_config(explicit: Option<&Path>, data: &Path) -> anyhow::Result<Config> {
    let default = Path::new("preau.toml");
    let file = match explicit {
        Some(path) => Some(path),
        None => default.is_file().then_some(default),
    };
    let installed = crate::installation::settings_path(data);
    Ok(Config::load_installed(
        Some(&installed),
        file,
        std::env::vars(),
    )?)
}

/// Opens the search indexes of `data`: resources in `data/index/`, mail in `data/index/mail/`.
fn open_indexes(data: &Path) -> anyhow::Result<(SearchIndex, MailIndex)> {
    let dir = data.join("index");
    let resources = SearchIndex::open(&dir)
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    let dir = dir.join("mail");
    let mail = MailIndex::open(&dir)
        .with_context(|| format!("cannot open the mail index in {}", dir.display()))?;
    Ok((resources, mail))
}

/// Opens the search indexes of `data` and attaches them to `domain`, rebuilding each from the
/// store when it is new, of an older schema, or `rebuild` is asked.
async fn attach_search(domain: Domain, data: &Path, rebuild: bool) -> anyhow::Result<Domain> {
    let (resources, mail) = open_indexes(data)?;
    let rebuild_resources = rebuild || resources.needs_rebuild();
    let rebuild_mail = rebuild || mail.needs_rebuild();
    let domain = domain.with_search(resources).with_mail_search(mail);
    if rebuild_resources {
        let indexing = domain.clone();
        let count = tokio::task::spawn_blocking(move || indexing.reindex_resources())
            .await
            .context("indexing panicked")??;
        tracing::info!(resources = count, "search index rebuilt from the store");
    }
    if rebuild_mail {
        let indexing = domain.clone();
        let count = tokio::task::spawn_blocking(move || indexing.reindex_messages())
            .await
            .context("indexing panicked")??;
        tracing::info!(messages = count, "mail index rebuilt from the store");
    }
    if rebuild_resources || rebuild_mail {
        crate::memory::release_freed();
    }
    Ok(domain)
}

/// Opens the store of `data` and builds the domain over it.
fn open_domain(data: &Path, config: Config) -> anyhow::Result<Domain> {
    let db_dir = data.join("db");
    let store = crate::backup::upgrade::open_tables(data, &config)
        .with_context(|| format!("cannot open the store in {}", db_dir.display()))?;
    Ok(Domain::new(store, Arc::new(config), Arc::new(SystemClock))
        .with_files(crate::files::BlobStore::of(data))
        .with_extractor(confined_extractor()))
}

/// Text of uploads is extracted by this binary in a confined child: a crafted file then costs
/// that child, never the server. What of the confinement this kernel lacks is logged here, once.
fn confined_extractor() -> Extractor {
    if let Err(error) = crate::extract::confine::log_kernel_support() {
        tracing::error!(%error, "the text extractor cannot confine itself: uploads will be kept without their text");
    }
    let timeout = crate::extract::sandbox::TIMEOUT;
    // `/proc/self/exe` names the running binary even once an upgrade replaced its file.
    let this = std::path::Path::new("/proc/self/exe");
    if this.exists() {
        return Extractor::Subprocess {
            program: this.to_path_buf(),
            timeout,
        };
    }
    match std::env::current_exe() {
        Ok(program) => Extractor::Subprocess { program, timeout },
        Err(error) => {
            tracing::warn!(%error, "the path of preau is unknown: text of uploads is extracted unconfined");
            Extractor::InProcess
        }
    }
}
