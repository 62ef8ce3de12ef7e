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

/// The owner-only folder of `data` where the server binds its socket before moving it into place.
const PRIVATE_DIR: &str = ".control.new";

/// The longest path a Unix socket address holds (`sun_path` is 108 bytes, the last a NUL).
const MAX_SOCKET_PATH: usize = 107;

/// The control socket of the data directory `data`.
pub fn socket_path(data: &Path) -> PathBuf {
    data.join(SOCKET_NAME)
}

/// Whether `data`'s path, as given, is short enough to name its sockets. Past that, the server
/// runs without a control socket and the commands open the store themselves, as before there
/// was one.
pub fn usable(data: &Path) -> bool {
    data.join(PRIVATE_DIR).join(SOCKET_NAME).as_os_str().len() <= MAX_SOCKET_PATH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_directory_too_deep_for_a_socket_address_has_no_control_socket() {
        assert!(usable(Path::new("/var/lib/preau/data")));
        assert!(usable(Path::new("data")));
        let deep = format!("/srv/{}/data", "établissement".repeat(6));
        assert!(!usable(Path::new(&deep)));
    }
}
