//! The first start of a box with no administrator: the token in the log, `/installation` from
//! the school's network only, a refused form that keeps what was typed, then the restart with
//! the choices (HTTPS on, the establishment named, the administrator signing in).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use preau_tests::{binary, data_dir, free_port, readable, StatusCode};
use reqwest::blocking::Client;

struct Appliance {
    child: Child,
    token: String,
    port: u16,
}

impl Drop for Appliance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `preau serve` on `data` and reads the installation token from its log.
fn start(data: &std::path::Path, env: &[(&str, &str)]) -> Appliance {
    let port = free_port();
    let mut command = Command::new(binary());
    command
        .args(["serve", "--data"])
        .arg(data)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .env_remove("PREAU_BIN")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("starts preau");
    let log = child.stderr.take().expect("its log");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(log).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let _ = sender.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let token = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("the token in the log within 60 s");
        if let Some((_, rest)) = line.split_once("installation token: ") {
            break rest.trim_end_matches(')').trim().to_owned();
        }
    };
    Appliance { child, token, port }
}

fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(true)
        .build()
        .expect("client")
}

fn form<'a>(token: &'a str, uai: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("jeton", token),
        ("uai", uai),
        ("nom", "Collège des Tilleuls"),
        ("identifiant", "direction"),
        ("mot_de_passe", "un mot de passe sûr"),
        ("confirmation", "un mot de passe sûr"),
        ("source", "dossier"),
        ("adresse", ""),
        ("horaire", "off"),
        ("tls", "self-signed"),
        ("certificat", ""),
        ("cle", ""),
    ]
}

#[test]
fn a_new_box_is_installed_from_the_school_network_with_its_token_and_restarts_with_https() {
    let data = data_dir();
    let started = start(data.path(), &[]);
    let base = format!("http://127.0.0.1:{}", started.port);
    let http = client();
    for path in ["/", "/connexion"] {
        let answer = http.get(format!("{base}{path}")).send().expect("request");
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(answer.headers()["location"], "/installation");
    }
    let page = http
        .get(format!("{base}/installation?jeton={}", started.token))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().expect("HTML");
    assert!(page.contains("Mise en service de Préau"));
    assert!(
        page.contains(&started.token),
        "the token of the address is kept"
    );

    // A wrong token: refused, what was typed kept, no password sent back.
    let refused = http
        .post(format!("{base}/installation"))
        .form(&form("AAAAA-BBBBB-CCCCC", "0130042X"))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let text = refused.text().expect("HTML");
    assert!(readable(&text).contains("Ce jeton d'installation n'est pas le bon"));
    assert!(text.contains("Collège des Tilleuls") && !text.contains("un mot de passe sûr"));

    // A mistake: refused with its sentence, nothing created.
    let mistaken = http
        .post(format!("{base}/installation"))
        .form(&form(&started.token, "013004"))
        .send()
        .expect("request");
    assert_eq!(mistaken.status(), StatusCode::BAD_REQUEST);
    assert!(readable(&mistaken.text().expect("HTML")).contains("7 chiffres et d'une lettre"));
    assert!(!data.path().join("installation.toml").exists());

    // Done: the page says so, then the server restarts with HTTPS.
    let done = http
        .post(format!("{base}/installation"))
        .form(&form(&started.token, "0130042x"))
        .send()
        .expect("request");
    assert_eq!(done.status(), StatusCode::OK);
    assert!(readable(&done.text().expect("HTML")).contains("Préau est en service"));
    let settings = data.path().join("installation.toml");
    let mode = std::fs::metadata(&settings)
        .expect("written")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let written = std::fs::read_to_string(&settings).expect("readable");
    assert!(
        written.contains("0130042X") && written.contains("self-signed"),
        "{written}"
    );

    let secure = format!("https://127.0.0.1:{}", started.port);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(answer) = http.get(format!("{secure}/healthz")).send() {
            if answer.status() == StatusCode::OK {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no HTTPS /healthz within 60 s of the installation"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let signed_in = http
        .post(format!("{secure}/api/v1/session"))
        .json(&serde_json::json!({"login": "direction", "password": "un mot de passe sûr"}))
        .send()
        .expect("request");
    assert_eq!(signed_in.status(), StatusCode::OK);
    let sign_in_page = http
        .get(format!("{secure}/connexion"))
        .send()
        .expect("request");
    assert_eq!(
        sign_in_page.status(),
        StatusCode::OK,
        "no more installation"
    );
    assert!(sign_in_page
        .text()
        .expect("HTML")
        .contains("Collège des Tilleuls"));
    let gone = http
        .get(format!("{secure}/installation"))
        .send()
        .expect("request");
    assert_eq!(gone.status(), StatusCode::SEE_OTHER);
}

#[test]
fn the_installation_page_answers_no_one_outside_the_school_network() {
    let data = data_dir();
    // Behind a proxy that says where the request comes from, with HTTPS fixed by the
    // environment.
    let started = start(
        data.path(),
        &[
            ("PREAU_HTTP_TRUSTED_PROXIES", "127.0.0.1"),
            ("PREAU_TLS_MODE", "off"),
        ],
    );
    let base = format!("http://127.0.0.1:{}", started.port);
    let http = client();
    for (address, expected) in [
        ("8.8.8.8", StatusCode::FORBIDDEN),
        ("192.168.1.20", StatusCode::OK),
    ] {
        let answer = http
            .get(format!("{base}/installation"))
            .header("x-forwarded-for", address)
            .send()
            .expect("request");
        assert_eq!(answer.status(), expected, "{address}");
        if expected == StatusCode::OK {
            let page = readable(&answer.text().expect("HTML"));
            assert!(
                page.contains("Réglages fixés par le fichier de configuration")
                    && page.contains("Mode HTTPS")
                    && page.contains("sans HTTPS"),
                "what the environment fixes is shown: {page}"
            );
            assert!(
                !page.contains("name=\"tls\"") && page.contains("name=\"uai\""),
                "and not asked, unlike the rest: {page}"
            );
        }
    }
    let refused = http
        .post(format!("{base}/installation"))
        .header("x-forwarded-for", "8.8.8.8")
        .form(&form(&started.token, "0130042X"))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(readable(&refused.text().expect("HTML")).contains("réseau de l'établissement"));
    assert!(
        !data.path().join("installation.toml").exists(),
        "nothing written"
    );
}

#[test]
fn an_administrator_made_from_the_command_line_ends_the_wait_for_the_installation() {
    let data = data_dir();
    let started = start(data.path(), &[]);
    let base = format!("http://127.0.0.1:{}", started.port);
    let http = client();
    let home = http.get(format!("{base}/")).send().expect("request");
    assert_eq!(home.headers()["location"], "/installation");
    // Through the running server's control socket.
    let once = preau_tests::create_admin(data.path());
    assert!(!once.is_empty());
    let home = http.get(format!("{base}/")).send().expect("request");
    assert_ne!(
        home.headers().get("location").and_then(|l| l.to_str().ok()),
        Some("/installation")
    );
    let page = http
        .get(format!("{base}/installation"))
        .send()
        .expect("request");
    assert_eq!(page.headers()["location"], "/connexion");
    let refused = http
        .post(format!("{base}/installation"))
        .form(&form(&started.token, "0130042X"))
        .send()
        .expect("request");
    assert_eq!(
        refused.status(),
        StatusCode::SEE_OTHER,
        "nothing to install any more"
    );
    assert!(!data.path().join("installation.toml").exists());
}
