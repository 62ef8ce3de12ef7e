//! Administration while serving: with `preau serve` running, the administration commands run
//! in the server through its control socket, and what they change is seen over HTTP at once;
//! with the server killed, they open the store themselves.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use preau_tests::{
    admin_server, binary, cli, data_dir, free_port, preau_on, Client, Options, Server, StatusCode,
    DEMO_PASSWORD,
};
use serde_json::{json, Value};

fn demo_on(data: &Path) -> Server {
    Server::start(Options {
        demo: true,
        data: Some(data.to_path_buf()),
        ..Options::default()
    })
}

fn one_time_password(out: &str) -> String {
    out.lines()
        .find_map(|line| line.strip_prefix("mot de passe à usage unique : "))
        .unwrap_or_else(|| panic!("a one-time password is printed: {out}"))
        .to_owned()
}

fn sign_in_status(server: &Server, login: &str, password: &str) -> StatusCode {
    Client::new()
        .post(server.url("/api/v1/session"))
        .json(&json!({ "login": login, "password": password }))
        .send()
        .expect("request")
        .status()
}

fn sample_full_export() -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample");
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .expect("sample folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("ENT2D_Complet"))
        })
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    files
}

/// `preau directory import --json FILES…`: the exit code and the report.
fn import_json(data: &Path, files: &[String]) -> (i32, Value) {
    let mut args = vec!["directory", "import", "--json"];
    args.extend(files.iter().map(String::as_str));
    let (status, out) = cli(data, &args);
    let report = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (status.code().expect("exit code"), report)
}

fn pupils(server: &Server, admin: &str) -> u64 {
    let (status, page) = server.get_json(admin, "/api/v1/admin/accounts?profile=National_ELV");
    assert_eq!(status, StatusCode::OK);
    page["total"].as_u64().expect("total")
}

#[test]
fn reset_password_while_serving_signs_in_at_once_and_ends_the_sessions() {
    let data = data_dir();
    let server = demo_on(data.path());
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);

    let (status, out) = cli(data.path(), &["user", "reset-password", "eleve.demo"]);
    assert!(status.success(), "{out}");
    assert!(out.starts_with("identifiant : eleve.demo\n"), "{out}");
    assert!(
        out.ends_with("(à changer à la première connexion)\n"),
        "{out}"
    );
    let password = one_time_password(&out);

    assert_eq!(
        sign_in_status(&server, "eleve.demo", DEMO_PASSWORD),
        StatusCode::UNAUTHORIZED
    );
    let (_, _, answer) = server.api_login("eleve.demo", &password);
    assert_eq!(answer["must_change_password"], true);
    assert_eq!(
        server.get_json(&token, "/api/v1/me").0,
        StatusCode::UNAUTHORIZED,
        "the sessions of the account ended with the reset"
    );

    let served = failure_of(
        data.path(),
        &["user", "reset-password", "personne.inconnue"],
    );
    let mut server = server;
    server.kill();
    let in_process = failure_of(
        data.path(),
        &["user", "reset-password", "personne.inconnue"],
    );
    assert_eq!(served, in_process, "the same error either way");
    assert_eq!(served, "preau: no account with login personne.inconnue\n");
}

/// Runs a command that must fail; returns its standard error.
fn failure_of(data: &Path, args: &[&str]) -> String {
    let output = preau_on(data, args).output().expect("runs preau");
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn create_admin_while_serving_gives_an_administrator_who_signs_in_at_once() {
    let data = data_dir();
    let server = demo_on(data.path());
    let (status, out) = cli(data.path(), &["user", "create-admin", "nouvel.admin"]);
    assert!(status.success(), "{out}");
    let once = one_time_password(&out);
    let token = server.settle_password("nouvel.admin", &once);
    let (status, _) = server.get_json(&token, "/api/v1/admin/accounts?profile=National_ELV");
    assert_eq!(status, StatusCode::OK, "the new account administers");
}

#[test]
fn a_directory_import_while_serving_is_seen_at_once_and_a_rejected_one_changes_nothing() {
    let data = data_dir();
    let (server, admin) = admin_server(data.path());
    assert_eq!(pupils(&server, &admin), 0);

    let full = sample_full_export();
    let (code, report) = import_json(data.path(), &full);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["applied"], true);
    assert_eq!(report["created"]["pupils"], 32);
    assert_eq!(pupils(&server, &admin), 32, "seen over HTTP at once");

    let mut with_bad = full.clone();
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/bad/bad_date.xml");
    with_bad.push(bad.display().to_string());
    let (code, served) = import_json(data.path(), &with_bad);
    assert_eq!(code, 1, "{served}");
    assert_eq!(served["applied"], false);
    assert_eq!(pupils(&server, &admin), 32);

    // The same refusal in the command line's own process, once the server is gone: the same
    // report, word for word.
    let mut server = server;
    server.kill();
    let (code, in_process) = import_json(data.path(), &with_bad);
    assert_eq!(code, 1);
    assert_eq!(served, in_process);
}

#[test]
fn search_reindex_while_serving_rebuilds_the_index_the_server_searches() {
    let data = data_dir();
    let server = demo_on(data.path());
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, before) = server.get_json(&token, "/api/v1/resources?q=");
    let total = before["total"].as_u64().expect("total");
    assert!(total > 0);

    let (status, out) = cli(data.path(), &["search", "reindex"]);
    assert!(status.success(), "{out}");
    let rebuilt: u64 = out
        .lines()
        .find_map(|line| line.strip_prefix("index des ressources reconstruit : "))
        .and_then(|rest| rest.strip_suffix(" ressource(s)"))
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("the count is printed: {out}"));
    assert!(
        rebuilt >= total,
        "{rebuilt} rebuilt, {total} seen by a teacher"
    );
    assert!(out.contains("index des messages reconstruit : "), "{out}");
    let (status, after) = server.get_json(&token, "/api/v1/resources?q=");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["total"], before["total"]);
}

#[test]
fn the_socket_is_owner_only_left_stale_by_sigkill_and_gone_after_a_clean_stop() {
    let data = data_dir();
    let mut server = demo_on(data.path());
    let socket = data.path().join("control.sock");
    let mode = std::fs::metadata(&socket)
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    assert!(!data.path().join(".control.new").exists());

    server.kill();
    assert!(socket.exists(), "SIGKILL leaves the socket behind");
    let (status, out) = cli(data.path(), &["user", "reset-password", "eleve.demo"]);
    assert!(
        status.success(),
        "the command opens the store itself: {out}"
    );
    let password = one_time_password(&out);

    server.restart();
    server.api_login("eleve.demo", &password);
    assert!(server.terminate().success());
    assert!(!socket.exists(), "a clean stop removes the socket");
}

#[test]
fn a_second_server_on_the_same_data_directory_refuses_clearly() {
    let data = data_dir();
    let server = demo_on(data.path());
    let second = Command::new(binary())
        .arg("serve")
        .arg("--data")
        .arg(data.path())
        .arg("--listen")
        .arg(format!("127.0.0.1:{}", free_port()))
        .env_remove("PREAU_BIN")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts preau");
    let output = wait_with_deadline(second, Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another preau server is running on this data directory"),
        "{stderr}"
    );
    assert_eq!(
        sign_in_status(&server, "eleve.demo", DEMO_PASSWORD),
        StatusCode::OK
    );
    let socket: PathBuf = data.path().join("control.sock");
    assert!(socket.exists(), "the first server's socket is left alone");
    let (status, out) = cli(data.path(), &["user", "reset-password", "eleve.demo"]);
    assert!(status.success(), "{out}");
}

fn wait_with_deadline(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the second server did not stop by itself");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}
