//! The server's end of the control socket: started by `preau serve` once its domain is built,
//! stopped (socket removed, running commands finished) when it stops.

use std::io::{BufReader, ErrorKind};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::net::{UnixListener, UnixStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use super::commands::{self, Output};
use super::protocol::{self, Event};
use crate::domain::Domain;

/// How long the command line may take to send its request, and to read each answer: a stuck
/// peer must not hold a blocking thread for ever.
const IO_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    #[error(
        "another preau server is running on this data directory (it answers on {0}); stop it first"
    )]
    AnotherServer(String),
    #[error("cannot tell whether a server answers on {path}")]
    Unknown {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create the control socket {path}")]
    Create {
        path: String,
        source: std::io::Error,
    },
}

/// Refuses when another server answers on the control socket of `data`, and removes a socket
/// that nothing answers on any more (its server was killed). Called before the store is opened,
/// so that a second `preau serve` says why it cannot run rather than failing on the store's
/// lock.
pub fn claim(data: &Path) -> Result<(), ListenerError> {
    if !super::usable(data) {
        return Ok(());
    }
    let path = super::socket_path(data);
    match std::os::unix::net::UnixStream::connect(&path) {
        Ok(_) => Err(ListenerError::AnotherServer(path.display().to_string())),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
        Err(error) if error.kind() == ErrorKind::ConnectionRefused => {
            tracing::info!(path = %path.display(), "removing the control socket of a server that is gone");
            std::fs::remove_file(&path).map_err(|source| ListenerError::Unknown {
                path: path.display().to_string(),
                source,
            })
        }
        Err(source) => Err(ListenerError::Unknown {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// The running control socket.
pub struct ControlListener {
    path: PathBuf,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl ControlListener {
    /// Listens on `data/control.sock` for commands to run on `domain`. The socket is made in a
    /// fresh owner-only folder, made owner-only itself, then moved into place: there is no
    /// moment when another user could connect, whatever the umask.
    ///
    /// `None` when the path of `data` is too long for a socket address: the server then runs
    /// without, as the log says.
    pub fn start(data: &Path, domain: Domain) -> Result<Option<Self>, ListenerError> {
        if !super::usable(data) {
            tracing::warn!(data = %data.display(), "the data directory's path is too long for a control socket: administration commands will need the server stopped");
            return Ok(None);
        }
        let path = super::socket_path(data);
        let private = data.join(super::PRIVATE_DIR);
        let create_error = |source| ListenerError::Create {
            path: path.display().to_string(),
            source,
        };
        match std::fs::remove_dir_all(&private) {
            Ok(()) => {}
            Err(error) if error.kind() == ErrorKind::NotFound => {}
            Err(error) => return Err(create_error(error)),
        }
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&private)
            .map_err(create_error)?;
        let fresh = private.join(super::SOCKET_NAME);
        let listener = UnixListener::bind(&fresh).map_err(create_error)?;
        std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o600))
            .and_then(|()| std::fs::rename(&fresh, &path))
            .and_then(|()| std::fs::remove_dir(&private))
            .map_err(create_error)?;
        let (stop, stopped) = oneshot::channel();
        let data = data.to_path_buf();
        let task = tokio::spawn(accept(listener, domain, data, stopped));
        tracing::info!(path = %path.display(), "control socket ready");
        Ok(Some(Self { path, stop, task }))
    }

    /// Stops accepting, removes the socket and waits for the commands running to finish.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(error) = std::fs::remove_file(&self.path) {
            tracing::warn!(%error, path = %self.path.display(), "cannot remove the control socket");
        }
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the control socket task failed");
        }
    }
}

async fn accept(
    listener: UnixListener,
    domain: Domain,
    data: PathBuf,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut running = JoinSet::new();
    let server_uid = rustix::process::geteuid().as_raw();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let Some(stream) = admitted(stream, server_uid).await else {
                        continue;
                    };
                    let domain = domain.clone();
                    let data = data.clone();
                    running.spawn_blocking(move || serve_connection(stream, &domain, &data));
                }
                Err(error) => {
                    // Out of descriptors, most likely: wait rather than spin.
                    tracing::warn!(%error, "cannot accept a control connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = running.join_next(), if !running.is_empty() => {}
        }
    }
    drop(listener);
    while running.join_next().await.is_some() {}
}

/// Whether a peer of this user may run commands: the server's own user and root. The socket's
/// mode already keeps others out; this holds even if someone loosens it.
fn peer_allowed(peer_uid: u32, server_uid: u32) -> bool {
    peer_uid == server_uid || peer_uid == 0
}

/// The connection as a blocking stream when its peer is allowed; otherwise it is told why and
/// closed.
async fn admitted(stream: UnixStream, server_uid: u32) -> Option<std::os::unix::net::UnixStream> {
    let peer = match stream.peer_cred() {
        Ok(credentials) => credentials.uid(),
        Err(error) => {
            tracing::warn!(%error, "cannot tell who connects to the control socket");
            return None;
        }
    };
    let stream = match stream.into_std().and_then(|s| {
        s.set_nonblocking(false)?;
        s.set_read_timeout(Some(IO_TIMEOUT))?;
        s.set_write_timeout(Some(IO_TIMEOUT))?;
        Ok(s)
    }) {
        Ok(stream) => stream,
        Err(error) => {
            tracing::warn!(%error, "cannot set up a control connection");
            return None;
        }
    };
    if peer_allowed(peer, server_uid) {
        return Some(stream);
    }
    tracing::warn!(
        peer_uid = peer,
        "control connection refused: neither the server's user nor root"
    );
    let refusal = Event::Failed {
        message: format!(
            "the running server only takes commands from its own user (uid {server_uid}) or root"
        ),
    };
    let _ =
        tokio::task::spawn_blocking(move || protocol::write_event(&mut &stream, &refusal)).await;
    None
}

/// Reads one request, runs it and answers; on a blocking thread, as the commands are.
fn serve_connection(stream: std::os::unix::net::UnixStream, domain: &Domain, data: &Path) {
    let command = match protocol::read_request(&mut BufReader::new(&stream)) {
        Ok(command) => command,
        Err(error) => {
            tracing::warn!(%error, "unreadable control request");
            let message = error.to_string();
            let _ = protocol::write_event(&mut &stream, &Event::Failed { message });
            return;
        }
    };
    let name = command.name();
    tracing::info!(command = name, "running a command from the control socket");
    // Its writes wait for a backup in progress, as the ENT's own do, so that a backup stays
    // one moment of the store; a backup closes the gate itself and must not hold it open.
    let _permit = (!matches!(command, protocol::Command::Backup))
        .then(|| tokio::runtime::Handle::current().block_on(domain.write_permit()));
    let mut out = Connection {
        stream: &stream,
        gone: false,
    };
    let last = match commands::execute(domain, data, command, &mut out) {
        Ok(code) => {
            tracing::info!(command = name, exit_code = code, "control command done");
            Event::Exit { code }
        }
        Err(error) => {
            tracing::warn!(command = name, %error, "control command failed");
            // With its causes, as `main` prints the error of a command run in-process.
            Event::Failed {
                message: format!("{:#}", anyhow::Error::from(error)),
            }
        }
    };
    out.send(&last);
}

/// The command's output, sent as it comes. A command line that went away (Ctrl-C) does not
/// stop the command: it ends as it would have, its output unread.
struct Connection<'a> {
    stream: &'a std::os::unix::net::UnixStream,
    gone: bool,
}

impl Connection<'_> {
    fn send(&mut self, event: &Event) {
        if self.gone {
            return;
        }
        let mut stream = self.stream;
        if let Err(error) = protocol::write_event(&mut stream, event) {
            tracing::warn!(%error, "the command line left before the command's end");
            self.gone = true;
        }
    }
}

impl Output for Connection<'_> {
    fn print(&mut self, text: &str) {
        self.send(&Event::Output {
            text: text.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::control::client::{self, ClientError};
    use crate::control::protocol::Command;
    use crate::domain::clock::testing::ManualClock;
    use crate::domain::tables::Tables;

    struct Collected(String);

    impl Output for Collected {
        fn print(&mut self, text: &str) {
            self.0.push_str(text);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_command_sent_to_the_socket_runs_in_the_server_and_a_stop_removes_it() {
        let data = tempfile::tempdir().unwrap();
        let store = Tables::open(&data.path().join("db"), 16 << 20).unwrap();
        let domain = Domain::new(
            store,
            Arc::new(Config::default()),
            Arc::new(ManualClock::default()),
        );
        let listener = ControlListener::start(data.path(), domain.clone())
            .unwrap()
            .expect("a short path");
        let path = crate::control::socket_path(data.path());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(!data.path().join(".control.new").exists());

        let dir = data.path().to_path_buf();
        let (created, unknown) = tokio::task::spawn_blocking(move || {
            let mut out = Collected(String::new());
            let command = Command::CreateAdmin {
                login: "admin.college".to_owned(),
            };
            let code = client::run(&dir, &command, &mut out).unwrap();
            let command = Command::ResetPassword {
                login: "personne.inconnue".to_owned(),
            };
            let unknown = client::run(&dir, &command, &mut Collected(String::new()));
            ((code, out.0), unknown)
        })
        .await
        .unwrap();
        assert_eq!(created.0, Some(0));
        assert!(
            created.1.starts_with("identifiant : admin.college\n"),
            "{}",
            created.1
        );
        assert!(
            domain
                .accounts()
                .by_login("admin.college")
                .unwrap()
                .is_some(),
            "the server's own domain sees the account"
        );
        assert!(
            matches!(unknown, Err(ClientError::Failed(_))),
            "{unknown:?}"
        );

        listener.stop().await;
        assert!(!path.exists());
    }

    #[test]
    fn only_the_servers_user_and_root_are_let_in() {
        assert!(peer_allowed(998, 998));
        assert!(peer_allowed(0, 998));
        assert!(!peer_allowed(1000, 998));
        assert!(!peer_allowed(65534, 0));
    }

    #[test]
    fn a_socket_left_by_a_killed_server_is_removed_and_a_live_one_refuses() {
        let data = tempfile::tempdir().unwrap();
        let path = crate::control::socket_path(data.path());
        assert!(claim(data.path()).is_ok(), "no socket at all");

        let live = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(matches!(
            claim(data.path()),
            Err(ListenerError::AnotherServer(_))
        ));

        // A listener dropped leaves its file behind, as `kill -9` does.
        drop(live);
        assert!(path.exists());
        claim(data.path()).unwrap();
        assert!(!path.exists());
    }
}
