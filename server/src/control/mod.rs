//! Administration while serving: `preau user …`, `preau directory import|sync` and
//! `preau search reindex` run inside the running server when there is one, so that what the
//! server holds in memory (accounts, sessions, the search index writer) sees the change at
//! once, and the store (which one process opens at a time) stays the server's.
//!
//! The command line finds the server by its socket, `data/control.sock`, which only the
//! server's user can open ([`listener`]); when nothing answers there, it opens the store itself
//! ([`client`]). Either way the command is the same function ([`commands::execute`]).

pub mod client;
pub mod commands;
pub mod listener;
pub mod protocol;

use std::path::{Path, PathBuf};

/// The socket's file name in the data directory.
pub const SOCKET_NAME: &str = "control.sock";

/// The control socket of the data directory `data`.
pub fn socket_path(data: &Path) -> PathBuf {
    data.join(SOCKET_NAME)
}
