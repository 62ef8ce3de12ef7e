//! `preau search reindex`: rebuilds the resource and mail indexes from the store.

use clap::Subcommand;

use crate::control::protocol::Command;

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the search indexes (resources, mail) from the store (the store is the source of
    /// truth).
    Reindex,
}

pub fn command(command: SearchCommand) -> Command {
    match command {
        SearchCommand::Reindex => Command::SearchReindex,
    }
}
