//! `preau search reindex`: rebuilds the resource and mail indexes from the store.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search indexes (resources, mail) from the store (the store is the source of
    /// truth).
    Reindex,
}

pub fn run(data: &Path, config: Config, command: SearchCommand) -> anyhow::Result<ExitCode> {
    match command {
        SearchCommand::Reindex => {
            let domain = super::open_domain(data, config)?;
            let (resources, mail) = super::open_indexes(data)?;
            let domain = domain.with_search(resources).with_mail_search(mail);
            let count = domain.reindex_resources()?;
            println!("index des ressources reconstruit : {count} ressource(s)");
            let count = domain.reindex_messages()?;
            println!("index des messages reconstruit : {count} message(s)");
            Ok(ExitCode::SUCCESS)
        }
    }
}
