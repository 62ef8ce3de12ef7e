//! `preau search reindex`: rebuilds the resource index from the store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search index from the store (the store is the source of truth).
    Reindex,
}

pub fn run(data: &Path, config: Config, command: SearchCommand) -> anyhow::Result<ExitCode> {
    match command {
        SearchCommand::Reindex => {
            let domain = super::open_domain(data, config)?;
            let dir = data.join("index");
            let index = crate::search::SearchIndex::open(&dir)
                .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
            let count = domain.with_search(index).reindex_resources()?;
            println!("index des ressources reconstruit : {count} ressource(s)");
            Ok(ExitCode::SUCCESS)
        }
    }
}
