//! The command line's end of the control socket: hands a command to the server running on the
//! data directory, if one runs.

use std::io::{BufReader, ErrorKind};
use std::os::unix::net::UnixStream;
use std::path::Path;

use super::commands::Output;
use super::protocol::{self, Command, Event, ProtocolError, MAX_FILE_BYTES};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("a server runs on this data directory but its control socket {path} cannot be reached (run preau as the server's user or as root)")]
    Connect {
        path: String,
        source: std::io::Error,
    },
    #[error("the files weigh {} MiB, more than the {} MiB a running server takes over its control socket", .0 >> 20, MAX_FILE_BYTES >> 20)]
    TooLarge(u64),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// The server's own words: what the command would have said in this process.
    #[error("{0}")]
    Failed(String),
}

/// Runs `command` in the server running on `data` and prints its output to `out`; returns its
/// exit code, or `None` when no server runs there (no socket, or one left by a server that was
/// killed): then the caller runs the command itself.
pub fn run(
    data: &Path,
    command: &Command,
    out: &mut dyn Output,
) -> Result<Option<u8>, ClientError> {
    if !super::usable(data) {
        return Ok(None);
    }
    let path = super::socket_path(data);
    let stream = match UnixStream::connect(&path) {
        Ok(stream) => stream,
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::NotFound | ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(None)
        }
        Err(source) => {
            return Err(ClientError::Connect {
                path: path.display().to_string(),
                source,
            })
        }
    };
    if let Command::DirectoryImport { input, .. } = command {
        if input.size() > MAX_FILE_BYTES {
            return Err(ClientError::TooLarge(input.size()));
        }
    }
    let mut reader = BufReader::new(&stream);
    if let Err(error) = protocol::write_request(&mut &stream, command) {
        // A server that refuses the peer says why and closes before reading the request.
        return match protocol::read_event(&mut reader) {
            Ok(Event::Failed { message }) => Err(ClientError::Failed(message)),
            _ => Err(error.into()),
        };
    }
    loop {
        match protocol::read_event(&mut reader)? {
            Event::Output { text } => out.print(&text),
            Event::Exit { code } => return Ok(Some(code)),
            Event::Failed { message } => return Err(ClientError::Failed(message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collected(String);

    impl Output for Collected {
        fn print(&mut self, text: &str) {
            self.0.push_str(text);
        }
    }

    #[test]
    fn without_a_server_or_with_a_stale_socket_the_command_runs_in_process() {
        let data = tempfile::tempdir().unwrap();
        let mut out = Collected(String::new());
        let command = Command::SearchReindex;
        assert!(run(data.path(), &command, &mut out).unwrap().is_none());

        let listener =
            std::os::unix::net::UnixListener::bind(super::super::socket_path(data.path())).unwrap();
        drop(listener);
        assert!(run(data.path(), &command, &mut out).unwrap().is_none());
        assert_eq!(out.0, "");
    }

    #[test]
    fn the_servers_output_and_exit_code_come_through() {
        let data = tempfile::tempdir().unwrap();
        let listener =
            std::os::unix::net::UnixListener::bind(super::super::socket_path(data.path())).unwrap();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let command = protocol::read_request(&mut BufReader::new(&stream)).unwrap();
            assert_eq!(command, Command::DirectorySync);
            for event in [
                Event::Output {
                    text: "Synchronisation : rien à importer.\n".to_owned(),
                },
                Event::Exit { code: 1 },
            ] {
                protocol::write_event(&mut &stream, &event).unwrap();
            }
        });
        let mut out = Collected(String::new());
        let code = run(data.path(), &Command::DirectorySync, &mut out).unwrap();
        server.join().unwrap();
        assert_eq!(code, Some(1));
        assert_eq!(out.0, "Synchronisation : rien à importer.\n");
    }
}
