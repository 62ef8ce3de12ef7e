//! End-to-end harness: runs the real `preau` binary on a temporary data directory and a free
//! loopback port, and gives tests an HTTP client for it.
//!
//! The binary is built once by `make e2e` and named by `PREAU_BIN`; without it, the debug build
//! of the workspace is used.

pub mod aaf_generator;
pub mod router_source;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

pub use reqwest::blocking::Client;
pub use reqwest::StatusCode;

pub const DEMO_PASSWORD: &str = "preau-demo";
/// The administrator that [`create_admin`] makes, and the password [`Server::settle_password`]
/// gives it.
pub const ADMIN_LOGIN: &str = "admin.college";
pub const ADMIN_PASSWORD: &str = "une clé bien à moi";

/// The `preau` binary under test.
pub fn binary() -> PathBuf {
    match std::env::var_os("PREAU_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/preau"),
    }
}

/// A fresh data directory that disappears with the test.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("preau-e2e-")
        .tempdir()
        .expect("temp dir")
}

/// A `preau … ARGS` command on `data`, not yet run, with none of the test's own `PREAU_*`
/// variables (the binary reads every one as configuration).
pub fn preau_on(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(binary());
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("PREAU_BIN")
        .env("NO_COLOR", "1");
    command
}

/// Runs a `preau` CLI command on `data`; returns its exit status and standard output.
pub fn cli(data: &Path, args: &[&str]) -> (ExitStatus, String) {
    let output = preau_on(data, args).output().expect("runs preau");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        eprintln!("stderr: {}", String::from_utf8_lossy(&output.stderr));
    }
    (output.status, stdout)
}

/// `preau user create-admin` on `data` (server stopped); returns the printed one-time password.
pub fn create_admin(data: &Path) -> String {
    let (status, out) = cli(data, &["user", "create-admin", ADMIN_LOGIN]);
    assert!(status.success(), "create-admin failed: {out}");
    out.lines()
        .find_map(|line| line.strip_prefix("mot de passe à usage unique : "))
        .expect("the one-time password is printed")
        .to_owned()
}

/// A server on `data` with a fresh administrator signed in; returns the server and its token.
pub fn admin_server(data: &Path) -> (Server, String) {
    let once = create_admin(data);
    let server = Server::start(Options {
        data: Some(data.to_path_buf()),
        ..Options::default()
    });
    let token = server.settle_password(ADMIN_LOGIN, &once);
    (server, token)
}

/// GET `url` with `client` (its cookies) and the HTML answered, whatever the status.
pub fn html_of(client: &Client, url: &str) -> String {
    client
        .get(url)
        .send()
        .expect("request")
        .text()
        .expect("HTML")
}

/// The `csrf` hidden field of the first form of a page.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has a form with a CSRF token")
        .to_owned()
}

/// The page without the hydration markers (`<!>`) that separate text nodes, so that tests can
/// look for text as a person reads it.
pub fn readable(html: &str) -> String {
    html.replace("<!>", "")
}

/// A running server.
pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub data: PathBuf,
    env: Vec<(String, String)>,
    demo: bool,
    tls: bool,
    _owned_data: Option<tempfile::TempDir>,
}

/// How to start a server.
#[derive(Default)]
pub struct Options {
    pub demo: bool,
    pub env: Vec<(String, String)>,
    pub data: Option<PathBuf>,
    pub cwd: Option<PathBuf>,
    pub binary: Option<PathBuf>,
    /// Serve HTTPS with a self-signed certificate.
    pub tls: bool,
}

impl Server {
    /// The demo collège on a new data directory.
    pub fn demo() -> Self {
        Self::start(Options {
            demo: true,
            ..Options::default()
        })
    }

    /// The demo collège with configuration overrides (`PREAU_*` variables).
    pub fn demo_with(env: &[(&str, &str)]) -> Self {
        Self::start(Options {
            demo: true,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Options::default()
        })
    }

    pub fn start(options: Options) -> Self {
        let (owned, data) = match options.data {
            Some(path) => (None, path),
            None => {
                let dir = data_dir();
                let path = dir.path().to_path_buf();
                (Some(dir), path)
            }
        };
        let mut server = Self {
            child: None,
            base: String::new(),
            data,
            env: options.env,
            demo: options.demo,
            tls: options.tls,
            _owned_data: owned,
        };
        server.launch(options.binary.as_deref(), options.cwd.as_deref());
        server
    }

    fn launch(&mut self, binary_override: Option<&Path>, cwd: Option<&Path>) {
        let port = free_port();
        let mut command = Command::new(
            binary_override
                .map(Path::to_path_buf)
                .unwrap_or_else(binary),
        );
        command
            .arg("serve")
            .arg("--data")
            .arg(&self.data)
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .env_remove("PREAU_BIN")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        if self.demo {
            command.arg("--demo");
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        if self.tls {
            command.env("PREAU_TLS_MODE", "self-signed");
        }
        self.child = Some(command.spawn().expect("starts preau"));
        let scheme = if self.tls { "https" } else { "http" };
        self.base = format!("{scheme}://127.0.0.1:{port}");
        self.wait_ready();
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = self.browser();
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("preau exited before it was ready: {status}");
                }
            }
            if let Ok(response) = client.get(self.url("/healthz")).send() {
                if response.status() == StatusCode::OK {
                    return;
                }
            }
            sleep(Duration::from_millis(50));
        }
        panic!("preau did not answer /healthz within 60 s");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies and does not follow redirects (tests look at them). Under
    /// TLS it trusts the server's self-signed certificate, as a person accepting it once would.
    pub fn browser(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(self.tls)
            .build()
            .expect("client")
    }

    /// Signs in through the API; returns `(token, csrf, answer)`.
    pub fn api_login(&self, login: &str, password: &str) -> (String, String, serde_json::Value) {
        let response = Client::new()
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "login": login, "password": password }))
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {login}");
        let answer: serde_json::Value = response.json().expect("JSON");
        let token = answer["token"].as_str().expect("token").to_owned();
        let csrf = answer["csrf"].as_str().expect("csrf").to_owned();
        (token, csrf, answer)
    }

    /// Signs `login` in with a one-time password and replaces it with [`ADMIN_PASSWORD`];
    /// returns the new bearer token.
    pub fn settle_password(&self, login: &str, once: &str) -> String {
        let (token, _, _) = self.api_login(login, once);
        let answer: serde_json::Value = Client::new()
            .post(self.url("/api/v1/me/password"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"current": once, "new": ADMIN_PASSWORD}))
            .send()
            .expect("request")
            .json()
            .expect("JSON");
        answer["token"].as_str().expect("token").to_owned()
    }

    /// GET `path` with a bearer token; returns status and JSON body.
    pub fn get_json(&self, token: &str, path: &str) -> (StatusCode, serde_json::Value) {
        let response = Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .expect("request");
        let status = response.status();
        (status, response.json().unwrap_or(serde_json::Value::Null))
    }

    /// `POST /api/v1/admin/accounts/{login}/activation-code` as the administrator `admin` (a
    /// bearer token): the answer, with the fresh code shown once.
    pub fn issue_activation_code(
        &self,
        admin: &str,
        login: &str,
    ) -> (StatusCode, serde_json::Value) {
        let response = Client::new()
            .post(self.url(&format!("/api/v1/admin/accounts/{login}/activation-code")))
            .bearer_auth(admin)
            .send()
            .expect("request");
        let status = response.status();
        (status, response.json().unwrap_or(serde_json::Value::Null))
    }

    /// Activates `login` through the `/activation` form; returns the answer.
    pub fn activate(&self, login: &str, code: &str, password: &str) -> reqwest::blocking::Response {
        self.browser()
            .post(self.url("/activation"))
            .form(&[
                ("login", login),
                ("code", code),
                ("new", password),
                ("confirm", password),
            ])
            .send()
            .expect("request")
    }

    /// A cookie-carrying client signed in through the page form.
    pub fn signed_in_browser(&self, login: &str) -> Client {
        let client = self.browser();
        let response = client
            .post(self.url("/connexion"))
            .form(&[("login", login), ("password", DEMO_PASSWORD)])
            .send()
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "form sign-in of {login}"
        );
        client
    }

    /// SIGKILL, as a power cut would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends a signal by name (`HUP`: `systemctl reload`), the server going on.
    pub fn signal(&self, name: &str) {
        let child = self.child.as_ref().expect("running");
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name}");
    }

    /// SIGTERM, as systemd stops a service; returns the exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "preau did not stop on SIGTERM");
            sleep(Duration::from_millis(50));
        }
    }

    /// Starts the binary again on the same data directory.
    pub fn restart(&mut self) {
        self.kill();
        self.launch(None, None);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}
