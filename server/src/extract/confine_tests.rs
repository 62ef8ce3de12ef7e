//! The confinement seen from inside, as a parser that runs the attacker's code would try it.
//!
//! Each test starts this test binary again to run [`confined_probe`] alone: the probe confines
//! its process with [`confine_this_process`], as `preau internal extract-text` does first thing,
//! then makes one attempt and prints what came of it. Nothing of the probe ships: it is a test.

use std::io::{self, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use super::confine::confine_this_process;
use super::text_of;

/// The attempt the probe makes, in its environment; without it the probe does nothing.
const ATTEMPT: &str = "PREAU_CONFINED_PROBE";
/// Starts each line the probe prints for its parent, among the lines of the test harness.
const SAYS: &str = "probe says: ";

/// What the probe printed: how far the kernel confined it, and what came of its attempt.
#[derive(Debug)]
struct Report {
    landlock: String,
    seccomp: String,
    outcome: String,
}

/// Runs the probe in a child with `attempt`, `stdin` as its standard input.
fn probe(attempt: &str, stdin: Stdio) -> Report {
    let name = concat!(module_path!(), "::confined_probe");
    let name = name.split_once("::").map_or(name, |(_crate, path)| path);
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ATTEMPT, attempt)
        .stdin(stdin)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let said = |key: &str| {
        stdout
            .lines()
            // The harness names the test on the line of the first thing the probe says.
            .find_map(|line| line.split_once(SAYS)?.1.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key:?} in {stdout}\n{stderr}"))
            .to_owned()
    };
    Report {
        landlock: said("landlock: "),
        seccomp: said("seccomp: "),
        outcome: said("outcome: "),
    }
}

#[test]
#[ignore = "run in a child process by the other tests of this module"]
fn confined_probe() {
    let Ok(attempt) = std::env::var(ATTEMPT) else {
        return;
    };
    let confinement = confine_this_process().unwrap();
    println!("{SAYS}landlock: {:?}", confinement.landlock);
    println!("{SAYS}seccomp: {}", confinement.seccomp);
    let (verb, object) = attempt.split_once(' ').unwrap_or((&attempt, ""));
    let outcome = match verb {
        "read" => done(std::fs::read(object)),
        "create" => done(std::fs::File::create(object)),
        "list" => done(std::fs::read_dir(object)),
        "tcp" => done(std::net::TcpStream::connect(object)),
        "udp" => done(std::net::UdpSocket::bind("127.0.0.1:0")),
        "unix" => done(std::os::unix::net::UnixDatagram::unbound()),
        "run" => done(Command::new(object).status()),
        "thread" => done(
            std::thread::spawn(|| 6 * 7)
                .join()
                .map_err(|_| io::Error::other("the thread panicked")),
        ),
        "no-new-privs" => done(
            rustix::thread::no_new_privs()
                .map(|set| assert!(set, "no_new_privs is not set"))
                .map_err(io::Error::from),
        ),
        "extract" => {
            let (name, media_type) = object.split_once(' ').unwrap();
            let mut bytes = Vec::new();
            io::stdin().read_to_end(&mut bytes).unwrap();
            format!("{:?}", text_of(name, media_type, &bytes))
        }
        _ => panic!("unknown attempt {attempt}"),
    };
    println!("{SAYS}outcome: {outcome}");
}

/// "done", or how the attempt was refused: the error kind of the standard library.
fn done<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "done".to_owned(),
        Err(error) => format!("refused: {:?}", error.kind()),
    }
}

/// Whether Landlock confined the probe; says why the test stops short when it did not.
fn landlock_enforced(report: &Report) -> bool {
    let enforced = report.landlock != "NotEnforced";
    if !enforced {
        println!("skipped: Landlock is not available on this kernel, the probe reached the files");
    }
    enforced
}

/// A data directory as `preau serve` keeps it, with a store file and an uploaded file.
fn data_directory() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("db")).unwrap();
    std::fs::write(data.path().join("db/conf"), b"segment_size: 524288").unwrap();
    std::fs::create_dir_all(data.path().join("files")).unwrap();
    std::fs::write(data.path().join("files/bulletin.pdf"), b"%PDF-1.4").unwrap();
    data
}

#[test]
fn a_confined_child_can_neither_read_nor_list_nor_write_the_data_directory() {
    let data = data_directory();
    let path = |name: &str| data.path().join(name).display().to_string();

    let read = probe(&format!("read {}", path("db/conf")), Stdio::null());
    if !landlock_enforced(&read) {
        return;
    }
    let upload = probe(
        &format!("read {}", path("files/bulletin.pdf")),
        Stdio::null(),
    );
    let listed = probe(&format!("list {}", path("files")), Stdio::null());
    let created = probe(&format!("create {}", path("files/planted")), Stdio::null());

    assert_eq!(read.outcome, "refused: PermissionDenied");
    assert_eq!(upload.outcome, "refused: PermissionDenied");
    assert_eq!(listed.outcome, "refused: PermissionDenied");
    assert_eq!(created.outcome, "refused: PermissionDenied");
    assert!(!data.path().join("files/planted").exists());
}

#[test]
fn a_confined_child_can_open_no_file_of_the_system_either() {
    let report = probe("read /etc/passwd", Stdio::null());
    if !landlock_enforced(&report) {
        return;
    }
    assert_eq!(report.outcome, "refused: PermissionDenied");
}

#[test]
fn a_confined_child_can_open_no_socket() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();

    let tcp = probe(&format!("tcp {address}"), Stdio::null());
    let udp = probe("udp", Stdio::null());
    let unix = probe("unix", Stdio::null());

    assert_eq!(tcp.seccomp, "true", "the seccomp filter is installed");
    assert_eq!(tcp.outcome, "refused: PermissionDenied");
    assert_eq!(udp.outcome, "refused: PermissionDenied");
    assert_eq!(unix.outcome, "refused: PermissionDenied");
    listener.set_nonblocking(true).unwrap();
    assert!(listener.accept().is_err(), "nothing connected");
}

#[test]
fn a_confined_child_can_start_no_program() {
    let report = probe("run /bin/true", Stdio::null());

    assert_eq!(report.seccomp, "true", "the seccomp filter is installed");
    assert!(report.outcome.starts_with("refused: "), "{report:?}");
}

#[test]
fn a_confined_child_keeps_no_new_privs_and_may_still_start_a_thread() {
    assert_eq!(probe("no-new-privs", Stdio::null()).outcome, "done");
    assert_eq!(probe("thread", Stdio::null()).outcome, "done");
}

#[test]
fn a_confined_child_extracts_each_format_as_the_server_would() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/resources");
    for (name, media_type) in [
        ("fractions.pdf", "application/pdf"),
        ("fractions.odt", "application/vnd.oasis.opendocument.text"),
        (
            "fractions.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "fractions.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("fractions.html", "text/html"),
    ] {
        let path = fixtures.join(name);
        let unconfined = text_of(name, media_type, &std::fs::read(&path).unwrap());
        assert!(matches!(&unconfined, Ok(Some(text)) if text.contains("Les fractions")));

        let input = std::fs::File::open(&path).unwrap();
        let report = probe(&format!("extract {name} {media_type}"), input.into());

        assert_eq!(report.outcome, format!("{unconfined:?}"), "{name}");
    }
}
