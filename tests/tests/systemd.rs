//! systemd's notification protocol as the packaged unit uses it (`Type=notify`, `WatchdogSec`):
//! the test plays systemd's part with its own `NOTIFY_SOCKET` and reads what the real binary sends.

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use preau_tests::{data_dir, Options, Server};

/// The next datagram, as text, or `None` once `timeout` has passed without one.
fn next_message(socket: &UnixDatagram, timeout: Duration) -> Option<String> {
    socket.set_read_timeout(Some(timeout)).expect("timeout set");
    let mut buffer = [0u8; 4096];
    let length = socket.recv(&mut buffer).ok()?;
    Some(String::from_utf8_lossy(&buffer[..length]).into_owned())
}

#[test]
fn under_systemd_the_server_says_ready_pings_the_watchdog_and_says_stopping() {
    let dir = data_dir();
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("notify socket");
    let data = dir.path().join("data");
    // A 600 ms watchdog: pings every 300 ms, each after a read of the store.
    let mut server = Server::start(Options {
        data: Some(data),
        env: vec![
            (
                "NOTIFY_SOCKET".to_owned(),
                socket_path.display().to_string(),
            ),
            ("WATCHDOG_USEC".to_owned(), "600000".to_owned()),
        ],
        ..Options::default()
    });

    // /healthz answered before `start` returned: READY=1 was already sent by then.
    let first = next_message(&socket, Duration::from_millis(500))
        .expect("a message is waiting once /healthz answers");
    assert_eq!(first, "READY=1\n");

    let started = Instant::now();
    let mut pings = 0;
    while pings < 3 {
        let message = next_message(&socket, Duration::from_secs(5)).expect("a watchdog ping");
        assert_eq!(message, "WATCHDOG=1\n");
        pings += 1;
    }
    // Three pings at half of 600 ms: about 900 ms, well inside the watchdog's patience.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "pings too slow: {:?}",
        started.elapsed()
    );

    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    let mut after_stop = Vec::new();
    while let Some(message) = next_message(&socket, Duration::from_millis(200)) {
        after_stop.push(message);
    }
    assert!(
        after_stop.iter().any(|message| message == "STOPPING=1\n"),
        "no STOPPING=1 among {after_stop:?}"
    );
}

#[test]
fn without_notify_socket_the_server_runs_as_before() {
    // NOTIFY_SOCKET unset (as under `make run`): sd-notify sends nothing, nothing fails.
    let mut server = Server::start(Options {
        env: vec![("WATCHDOG_USEC".to_owned(), "600000".to_owned())],
        ..Options::default()
    });
    std::thread::sleep(Duration::from_millis(700));
    let answer = server
        .browser()
        .get(server.url("/healthz"))
        .send()
        .expect("healthz");
    assert_eq!(answer.text().expect("body"), "ok");
    assert!(server.terminate().success());
}
