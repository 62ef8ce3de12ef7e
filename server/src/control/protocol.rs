//! What goes over the control socket: one request, a JSON line from the command line, then
//! JSON lines from the server (the command's output as it comes, then its exit code or why it
//! failed). JSON because both ends are this binary but may be two versions of it during an
//! upgrade: a version number says so plainly instead of a garbled answer.

use std::io::{BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use crate::directory::FeedInput;

/// Bumped whenever a request or an event changes shape.
pub const VERSION: u32 = 1;

/// The most file bytes one request carries: a directory feed of a whole establishment is a few
/// megabytes, and the server holds the request in memory while it runs.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The longest request line: the files in base64 (4 bytes for 3) and room for the rest.
const MAX_REQUEST_LINE: u64 = MAX_FILE_BYTES / 3 * 4 + (1 << 20);

/// The longest event line: a report, never files.
const MAX_EVENT_LINE: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("the control socket failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("the other end closed the control connection before the end")]
    Closed,
    #[error("a control message is longer than the {0} bytes allowed")]
    TooLong(u64),
    #[error("a control message cannot be read: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("the running server speaks control protocol version {theirs}, this preau version {ours}: run the same version of preau as the server")]
    Version { ours: u32, theirs: u32 },
}

/// What the command line asks of the running server.
#[derive(Deserialize)]
struct Request {
    version: u32,
    command: Command,
}

/// The administration commands that run in the server when one runs, in this process
/// otherwise ([`super::commands::execute`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    CreateAdmin {
        login: String,
    },
    ResetPassword {
        login: String,
    },
    /// The files travel as bytes, read by the command line: the server may run as a user that
    /// cannot read the administrator's files, and a relative path would mean another folder.
    DirectoryImport {
        input: FeedInput,
        dry_run: bool,
        json: bool,
    },
    DirectorySync,
    SearchReindex,
    /// A backup written by the server into its `data/backups/`; the answer is the file's path,
    /// which the command line copies to its `--out` (the server's user may not write there).
    Backup,
}

impl Command {
    /// The command as the administrator typed it, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CreateAdmin { .. } => "user create-admin",
            Self::ResetPassword { .. } => "user reset-password",
            Self::DirectoryImport { .. } => "directory import",
            Self::DirectorySync => "directory sync",
            Self::SearchReindex => "search reindex",
            Self::Backup => "backup",
        }
    }
}

/// What the server answers, in order: any number of `Output`, then `Exit` or `Failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Text for the administrator's standard output, printed as it is.
    Output { text: String },
    /// The command ran to its end with this exit code.
    Exit { code: u8 },
    /// The command could not run; printed as `preau: MESSAGE`, exit code 1, as in-process.
    Failed { message: String },
}

pub fn write_request(writer: &mut impl Write, command: &Command) -> Result<(), ProtocolError> {
    /// [`Request`] borrowing its command: the files are not copied to be sent.
    #[derive(Serialize)]
    struct Outgoing<'a> {
        version: u32,
        command: &'a Command,
    }
    write_line(
        writer,
        &Outgoing {
            version: VERSION,
            command,
        },
    )
}

/// Reads the request; a request of another version is refused by its version, whatever its
/// shape.
pub fn read_request(reader: &mut impl BufRead) -> Result<Command, ProtocolError> {
    let line = read_line(reader, MAX_REQUEST_LINE)?;
    match serde_json::from_slice::<Request>(&line) {
        Ok(request) if request.version == VERSION => Ok(request.command),
        Ok(request) => Err(version_mismatch(request.version)),
        Err(error) => {
            #[derive(Deserialize)]
            struct Versioned {
                version: u32,
            }
            match serde_json::from_slice::<Versioned>(&line) {
                Ok(other) if other.version != VERSION => Err(version_mismatch(other.version)),
                _ => Err(error.into()),
            }
        }
    }
}

fn version_mismatch(theirs: u32) -> ProtocolError {
    ProtocolError::Version {
        ours: VERSION,
        theirs,
    }
}

pub fn write_event(writer: &mut impl Write, event: &Event) -> Result<(), ProtocolError> {
    write_line(writer, event)
}

pub fn read_event(reader: &mut impl BufRead) -> Result<Event, ProtocolError> {
    let line = read_line(reader, MAX_EVENT_LINE)?;
    Ok(serde_json::from_slice(&line)?)
}

fn write_line(writer: &mut impl Write, message: &impl Serialize) -> Result<(), ProtocolError> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    writer.write_all(&line)?;
    writer.flush()?;
    Ok(())
}

/// One line without its newline, at most `limit` bytes: a peer cannot make the other end hold
/// more than that.
fn read_line(reader: &mut impl BufRead, limit: u64) -> Result<Vec<u8>, ProtocolError> {
    let mut line = Vec::new();
    reader.take(limit + 1).read_until(b'\n', &mut line)?;
    if line.last() == Some(&b'\n') {
        line.pop();
        Ok(line)
    } else if line.len() as u64 > limit {
        Err(ProtocolError::TooLong(limit))
    } else {
        Err(ProtocolError::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::InputFile;

    fn import_command() -> Command {
        Command::DirectoryImport {
            input: FeedInput {
                files: vec![InputFile {
                    name: "../aaf/ENT2D_Complet_20260901_Eleve_0000.xml".to_owned(),
                    bytes: b"<?xml version=\"1.0\"?>\n\x00\xff binary too".to_vec(),
                }],
                ..FeedInput::default()
            },
            dry_run: true,
            json: false,
        }
    }

    #[test]
    fn a_request_and_its_events_come_out_as_they_went_in() {
        let commands = [
            Command::CreateAdmin {
                login: "admin.college".to_owned(),
            },
            Command::ResetPassword {
                login: "emma.martin".to_owned(),
            },
            import_command(),
            Command::DirectorySync,
            Command::SearchReindex,
        ];
        for command in commands {
            let mut wire = Vec::new();
            write_request(&mut wire, &command).unwrap();
            assert_eq!(read_request(&mut wire.as_slice()).unwrap(), command);
        }
        let events = [
            Event::Output {
                text: "identifiant : é\n".to_owned(),
            },
            Event::Exit { code: 1 },
            Event::Failed {
                message: "no account".to_owned(),
            },
        ];
        let mut wire = Vec::new();
        for event in &events {
            write_event(&mut wire, event).unwrap();
        }
        let mut reader = wire.as_slice();
        for event in events {
            assert_eq!(read_event(&mut reader).unwrap(), event);
        }
        assert!(matches!(
            read_event(&mut reader),
            Err(ProtocolError::Closed)
        ));
    }

    #[test]
    fn a_request_of_another_version_is_refused_by_its_version() {
        let wire = b"{\"version\":2,\"command\":{\"backup_to_the_moon\":{}}}\n";
        assert!(matches!(
            read_request(&mut wire.as_slice()),
            Err(ProtocolError::Version {
                ours: VERSION,
                theirs: 2
            })
        ));
    }

    #[test]
    fn a_cut_or_endless_line_is_refused() {
        assert!(matches!(
            read_request(&mut b"{\"version\":1".as_slice()),
            Err(ProtocolError::Closed)
        ));
        let endless = vec![b'a'; 100];
        assert!(matches!(
            read_line(&mut endless.as_slice(), 10),
            Err(ProtocolError::TooLong(10))
        ));
    }
}
