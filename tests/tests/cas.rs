//! The CAS 3.0 server end to end, with python-cas (an independent CAS client from PyPI, `make
//! test-deps` installs it) as the third-party service: tickets issued through `/cas/login`,
//! validated by the client's own parsers (CAS 3.0 XML, CAS 2.0 XML, CAS 1.0 text; the JSON
//! answer by Python's), replay, wrong service, expiry, `renew`, profiles, unknown services,
//! `logout`, single logout, proxy tickets (python-cas's own proxy client, with its callback
//! over HTTPS) and the services' logos.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use preau_tests::{free_port, readable, Client, Options, Server, StatusCode, DEMO_PASSWORD};
use reqwest::header::LOCATION;
use serde_json::{json, Value};

/// Debian's Python, where `make test-deps` installs python-cas.
const PYTHON: &str = "/usr/bin/python3";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("support/cas_service.py")
}

/// The third-party web service (python-cas) on a free port, until dropped.
struct ThirdParty {
    child: Child,
    base: String,
}

impl ThirdParty {
    fn start(port: u16, cas_url: &str, callback: &Callback) -> Self {
        let mut child = Command::new(PYTHON)
            .arg(script())
            .args(["serve", &port.to_string(), cas_url])
            .arg(callback.port.to_string())
            .arg(&callback.cert)
            .arg(&callback.key)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("reads");
        assert_eq!(
            line.trim(),
            "ready",
            "python-cas is installed (make test-deps)"
        );
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// The single logout requests received: `[{"path", "session_index"}]`.
    fn logouts(&self) -> Vec<Value> {
        reqwest::blocking::get(format!("{}/slo", self.base))
            .expect("request")
            .json()
            .expect("json")
    }
}

impl Drop for ThirdParty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The third party's proxy callback: HTTPS on its own port, with a certificate for 127.0.0.1
/// issued by an authority of the test's own, which Préau is told to trust
/// (`cas.proxy_callback_ca`).
struct Callback {
    port: u16,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Callback {
    fn issue(dir: &Path) -> Self {
        let ca_key = rcgen::KeyPair::generate().expect("key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "Autorité de test du portail");
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).expect("authority");
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .expect("params")
            .signed_by(&key, &*ca)
            .expect("certificate");
        let callback = Self {
            port: free_port(),
            ca: dir.join("ca.pem"),
            cert: dir.join("callback.pem"),
            key: dir.join("callback-key.pem"),
        };
        std::fs::write(&callback.ca, ca.pem()).expect("writes");
        std::fs::write(&callback.cert, cert.pem()).expect("writes");
        std::fs::write(&callback.key, key.serialize_pem()).expect("writes");
        callback
    }

    fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }
}

/// The demo collège with three registered services: the third party's `/app/` (every profile,
/// single logout), a staff-only one, and its `/portal/`, which may proxy.
struct Setup {
    server: Server,
    third_party: ThirdParty,
    callback: Callback,
    _config: tempfile::TempDir,
}

fn setup(env: &[(&str, &str)]) -> Setup {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let config = tempfile::tempdir().expect("temp dir");
    let callback = Callback::issue(config.path());
    let file = config.path().join("preau.toml");
    std::fs::write(
        &file,
        format!(
            r#"
[cas]
proxy_callback_ca = "{ca}"

[[cas.services]]
name = "Moodle du collège"
url = "{base}/app/"
attributes = ["login", "display_name", "email", "profile", "uai", "classes", "groups"]
single_logout = true

[[cas.services]]
name = "Vie scolaire"
url = "{base}/staff/"
attributes = ["login", "profile"]
profiles = ["ENS", "EVS", "DIR"]

[[cas.services]]
name = "Portail"
url = "{base}/portal/"
attributes = ["login"]
proxy = true
"#,
            ca = callback.ca.display()
        ),
    )
    .expect("writes the configuration");
    let mut vars: Vec<(String, String)> = vec![(
        "PREAU_CONFIG".to_owned(),
        file.to_string_lossy().into_owned(),
    )];
    vars.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let server = Server::start(Options {
        demo: true,
        env: vars,
        ..Options::default()
    });
    let third_party = ThirdParty::start(port, &server.url("/cas"), &callback);
    Setup {
        server,
        third_party,
        callback,
        _config: config,
    }
}

impl Setup {
    fn app(&self, path: &str) -> String {
        format!("{}/app/{path}", self.third_party.base)
    }

    fn staff(&self) -> String {
        format!("{}/staff/", self.third_party.base)
    }

    fn login_url(&self, service: &str, extra: &str) -> String {
        let service: String = form_urlencoded::byte_serialize(service.as_bytes()).collect();
        self.server
            .url(&format!("/cas/login?service={service}{extra}"))
    }

    /// The ticket `browser` is sent back to `service` with.
    fn ticket(&self, browser: &Client, service: &str) -> String {
        let response = browser
            .get(self.login_url(service, ""))
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        ticket_of(&response, service)
    }

    /// Validates with python-cas: `{"user", "attributes"}`.
    fn validate(&self, service: &str, ticket: &str, how: &str) -> Value {
        validate_with(&self.server.url("/cas"), service, ticket, how, false)
    }
}

fn validate_with(cas: &str, service: &str, ticket: &str, how: &str, renew: bool) -> Value {
    let mut command = Command::new(PYTHON);
    command
        .arg(script())
        .args(["validate", cas, service, ticket, how]);
    if renew {
        command.arg("renew");
    }
    let output = command.output().expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

fn ticket_of(response: &reqwest::blocking::Response, service: &str) -> String {
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a redirect");
    let ticket = location
        .strip_prefix(&format!(
            "{service}{}ticket=",
            if service.contains('?') { '&' } else { '?' }
        ))
        .unwrap_or_else(|| panic!("back to {service} with a ticket: {location}"));
    assert!(
        ticket.starts_with("ST-") && ticket.len() >= 3 + 22,
        "{ticket}"
    );
    ticket.to_owned()
}

#[test]
fn a_ticket_is_validated_once_by_the_client_with_the_attributes_chosen() {
    let setup = setup(&[]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let service = setup.app("cours");
    let ticket = setup.ticket(&pupil, &service);
    let validated = setup.validate(&service, &ticket, "p3");
    assert_eq!(validated["user"], "eleve.demo");
    let attributes = &validated["attributes"];
    assert_eq!(attributes["displayName"], "Léa Fontaine");
    assert_eq!(attributes["profile"], "National_ELV");
    assert_eq!(attributes["classes"], "4B");
    assert_eq!(attributes["login"], "eleve.demo");
    assert_eq!(attributes["isFromNewLogin"], "false");
    assert!(attributes["uai"].as_str().is_some_and(|uai| uai.len() == 8));
    assert!(
        attributes.get("ENTPersonJointure").is_none(),
        "not chosen for this service"
    );
    // Replay: the same ticket again is refused, by every endpoint.
    for how in ["p3", "v2", "v1"] {
        assert_eq!(
            setup.validate(&service, &ticket, how)["user"],
            Value::Null,
            "{how}"
        );
    }
}

#[test]
fn each_format_parses_with_its_reader_and_cas_1_answers_yes_or_no() {
    let setup = setup(&[]);
    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let service = setup.app("");
    for how in ["v2", "v1", "json"] {
        let ticket = setup.ticket(&teacher, &service);
        let validated = setup.validate(&service, &ticket, how);
        assert_eq!(validated["user"], "enseignant.demo", "{how}");
        if how == "json" {
            assert_eq!(validated["attributes"]["profile"], json!(["National_ENS"]));
            assert!(validated["attributes"]["classes"]
                .as_array()
                .is_some_and(|classes| classes.iter().any(|c| c == "4B")));
        }
    }
    let http = setup.server.browser();
    let refused = http
        .get(setup.server.url(&format!(
            "/cas/validate?service={}&ticket=ST-inconnu",
            setup.app("")
        )))
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert_eq!(refused, "no\n\n");
    let json: Value = http
        .get(setup.server.url(&format!(
            "/cas/p3/serviceValidate?service={}&ticket=ST-x&format=JSON",
            setup.app("")
        )))
        .send()
        .expect("request")
        .json()
        .expect("json");
    assert_eq!(
        json["serviceResponse"]["authenticationFailure"]["code"],
        "INVALID_TICKET"
    );
    let missing = http
        .get(setup.server.url("/cas/serviceValidate?ticket=ST-x"))
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert!(missing.contains("code=\"INVALID_REQUEST\""), "{missing}");
    let hostile = http
        .get(setup.server.url(&format!(
            "/cas/serviceValidate?service={}&ticket=%3Cx%3E%26",
            setup.app("")
        )))
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert!(
        hostile.contains("Ticket &lt;x&gt;&amp; not recognized"),
        "{hostile}"
    );
    let proxy = http
        .get(
            setup
                .server
                .url("/cas/proxy?pgt=PGT-1&targetService=https://x.example/"),
        )
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert!(proxy.contains("code=\"INVALID_TICKET\""), "{proxy}");
}

#[test]
fn a_ticket_for_another_address_is_refused_and_used_up() {
    let setup = setup(&[]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let service = setup.app("cours");
    let ticket = setup.ticket(&pupil, &service);
    let raw = setup
        .server
        .browser()
        .get(setup.server.url(&format!(
            "/cas/serviceValidate?service={}&ticket={ticket}",
            setup.app("autre")
        )))
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert!(raw.contains("code=\"INVALID_SERVICE\""), "{raw}");
    assert_eq!(setup.validate(&service, &ticket, "p3")["user"], Value::Null);
}

#[test]
fn an_expired_ticket_is_refused() {
    let setup = setup(&[("PREAU_CAS_TICKET_LIFETIME", "1s")]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let service = setup.app("");
    let ticket = setup.ticket(&pupil, &service);
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(setup.validate(&service, &ticket, "p3")["user"], Value::Null);
    // The same lifetime, well used, works (validated at once, without starting Python, so that
    // a loaded machine cannot make it late).
    let ticket = setup.ticket(&pupil, &service);
    let answer = setup
        .server
        .browser()
        .get(setup.server.url(&format!(
            "/cas/p3/serviceValidate?service={service}&ticket={ticket}"
        )))
        .send()
        .expect("request")
        .text()
        .expect("text");
    assert!(
        answer.contains("<cas:user>eleve.demo</cas:user>"),
        "{answer}"
    );
}

#[test]
fn renew_asks_for_the_password_again_even_with_a_session() {
    let setup = setup(&[]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let service = setup.app("");
    // A ticket from the open session does not satisfy a validation that asks for `renew`.
    let sso = setup.ticket(&pupil, &service);
    let cas = setup.server.url("/cas");
    assert_eq!(
        validate_with(&cas, &service, &sso, "p3", true)["user"],
        Value::Null
    );
    let asked = pupil
        .get(setup.login_url(&service, "&renew=true"))
        .send()
        .expect("request");
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let to_form = asked.headers()[LOCATION].to_str().expect("text").to_owned();
    assert!(
        to_form.starts_with("/connexion?renouveler=1&suite="),
        "{to_form}"
    );
    let form = pupil
        .get(setup.server.url(&to_form))
        .send()
        .expect("request");
    assert_eq!(
        form.status(),
        StatusCode::OK,
        "the form, despite the session"
    );
    let page = readable(&form.text().expect("text"));
    assert!(
        page.contains("saisir à nouveau votre mot de passe"),
        "{page}"
    );
    let suite: String = url_param(&to_form, "suite");
    // Coming back with the nonce but without signing in again gives no ticket.
    let skipped = pupil.get(setup.server.url(&suite)).send().expect("request");
    let skipped_to = skipped.headers()[LOCATION].to_str().expect("text");
    assert!(
        skipped_to.starts_with("/connexion?renouveler=1"),
        "{skipped_to}"
    );
    let signed = pupil
        .post(setup.server.url("/connexion"))
        .form(&[
            ("login", "eleve.demo"),
            ("password", DEMO_PASSWORD),
            ("suite", suite.as_str()),
        ])
        .send()
        .expect("request");
    assert_eq!(signed.headers()[LOCATION], suite.as_str());
    let back = pupil.get(setup.server.url(&suite)).send().expect("request");
    let ticket = ticket_of(&back, &service);
    let validated = validate_with(&cas, &service, &ticket, "p3", true);
    assert_eq!(validated["user"], "eleve.demo");
    assert_eq!(validated["attributes"]["isFromNewLogin"], "true");
    // The nonce works once.
    let again = pupil.get(setup.server.url(&suite)).send().expect("request");
    assert!(again.headers()[LOCATION]
        .to_str()
        .expect("text")
        .starts_with("/connexion?renouveler=1"));
}

fn url_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[test]
fn a_pupil_is_refused_a_staff_service_and_nobody_gets_a_ticket_for_an_unknown_one() {
    let setup = setup(&[]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let refused = pupil
        .get(setup.login_url(&setup.staff(), ""))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = readable(&refused.text().expect("text"));
    assert!(
        page.contains("Le service «\u{a0}Vie scolaire\u{a0}» n'est pas ouvert à votre profil."),
        "{page}"
    );
    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let ticket = setup.ticket(&teacher, &setup.staff());
    assert_eq!(
        setup.validate(&setup.staff(), &ticket, "p3")["user"],
        "enseignant.demo"
    );
    let anonymous = setup.server.browser();
    for unknown in [
        "https://evil.example/".to_owned(),
        format!("{}/autre/", setup.third_party.base),
        format!("{}.evil.example/app/", setup.third_party.base),
    ] {
        for (who, browser) in [("teacher", &teacher), ("anonymous", &anonymous)] {
            for extra in ["", "&gateway=true", "&renew=true"] {
                let response = browser
                    .get(setup.login_url(&unknown, extra))
                    .send()
                    .expect("request");
                assert_eq!(
                    response.status(),
                    StatusCode::FORBIDDEN,
                    "{who} {unknown}{extra}"
                );
                let page = readable(&response.text().expect("text"));
                assert!(
                    page.contains("n'est pas enregistré auprès de l'ENT"),
                    "{page}"
                );
            }
        }
    }
}

#[test]
fn without_a_session_login_goes_through_the_sign_in_page_or_back_with_gateway() {
    let setup = setup(&[]);
    let browser = setup.server.browser();
    let service = setup.app("");
    let asked = browser
        .get(setup.login_url(&service, ""))
        .send()
        .expect("request");
    let to = asked.headers()[LOCATION].to_str().expect("text").to_owned();
    assert!(to.starts_with("/connexion?suite="), "{to}");
    let suite = url_param(&to, "suite");
    let signed = browser
        .post(setup.server.url("/connexion"))
        .form(&[
            ("login", "parent.demo"),
            ("password", DEMO_PASSWORD),
            ("suite", suite.as_str()),
        ])
        .send()
        .expect("request");
    assert_eq!(signed.headers()[LOCATION], suite.as_str());
    let back = browser
        .get(setup.server.url(&suite))
        .send()
        .expect("request");
    let ticket = ticket_of(&back, &service);
    assert_eq!(
        setup.validate(&service, &ticket, "p3")["user"],
        "parent.demo"
    );
    let gateway = setup
        .server
        .browser()
        .get(setup.login_url(&service, "&gateway=true"))
        .send()
        .expect("request");
    assert_eq!(gateway.status(), StatusCode::SEE_OTHER);
    assert_eq!(gateway.headers()[LOCATION], service.as_str(), "no ticket");
}

#[test]
fn logout_ends_the_session_tells_the_services_and_redirects_only_to_a_registered_one() {
    let setup = setup(&[]);
    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let service = setup.app("cours");
    let opened = setup.ticket(&teacher, &service);
    // The staff service did not ask for single logout.
    setup.ticket(&teacher, &setup.staff());
    let out = teacher
        .get(setup.server.url(&format!(
            "/cas/logout?service={}",
            form_urlencoded::byte_serialize(setup.app("").as_bytes()).collect::<String>()
        )))
        .send()
        .expect("request");
    assert_eq!(out.headers()[LOCATION], setup.app("").as_str());
    let home = teacher.get(setup.server.url("/")).send().expect("request");
    assert_eq!(home.status(), StatusCode::SEE_OTHER, "signed out");
    let deadline = Instant::now() + Duration::from_secs(10);
    let logouts = loop {
        let logouts = setup.third_party.logouts();
        if !logouts.is_empty() || Instant::now() > deadline {
            break logouts;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        logouts,
        vec![json!({"path": "/app/cours", "session_index": opened})]
    );
    // « Se déconnecter » of Préau tells them too; an unregistered `service` is not followed.
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let second = setup.ticket(&pupil, &service);
    let csrf = preau_tests::csrf_of(&preau_tests::html_of(&pupil, &setup.server.url("/")));
    let signed_out = pupil
        .post(setup.server.url("/deconnexion"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    let deadline = Instant::now() + Duration::from_secs(10);
    while setup.third_party.logouts().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        setup.third_party.logouts()[1]["session_index"],
        second.as_str()
    );
    let elsewhere = setup
        .server
        .browser()
        .get(
            setup
                .server
                .url("/cas/logout?service=https://evil.example/"),
        )
        .send()
        .expect("request");
    assert_eq!(elsewhere.headers()[LOCATION], "/connexion?au-revoir=1");
}

impl ThirdParty {
    /// The single logout requests, once there are `count` of them (or what came in 20 s).
    fn logouts_once(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let logouts = self.logouts();
            if logouts.len() >= count || Instant::now() > deadline {
                return logouts;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn a_session_revoked_by_a_password_reset_or_expired_tells_the_services_once() {
    let setup = setup(&[("PREAU_SESSION_IDLE_TIMEOUT", "4s")]);
    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let service = setup.app("cours");
    let opened = setup.ticket(&teacher, &service);
    let (admin, _, _) = setup.server.api_login("admin.demo", DEMO_PASSWORD);
    let reset = Client::new()
        .post(
            setup
                .server
                .url("/api/v1/admin/accounts/enseignant.demo/reset-password"),
        )
        .bearer_auth(&admin)
        .send()
        .expect("request");
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        setup.third_party.logouts_once(1),
        vec![json!({"path": "/app/cours", "session_index": opened})]
    );
    let home = teacher.get(setup.server.url("/")).send().expect("request");
    assert_eq!(home.status(), StatusCode::SEE_OTHER, "the session is over");
    // A pupil's session left idle past its timeout ends too, and is told of once.
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let idle = setup.ticket(&pupil, &setup.app(""));
    let logouts = setup.third_party.logouts_once(2);
    assert_eq!(logouts.len(), 2, "{logouts:?}");
    assert_eq!(logouts[1]["session_index"], idle.as_str());
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!(setup.third_party.logouts().len(), 2, "once per ticket");
}

#[test]
fn the_administrator_registers_a_service_and_a_link_which_open_to_their_profiles_and_make_tiles() {
    let mut setup = setup(&[]);
    let admin = setup.server.signed_in_browser("admin.demo");
    let page_url = setup.server.url("/admin/services");
    let page = readable(&preau_tests::html_of(&admin, &page_url));
    assert!(
        page.contains("Services du fichier de configuration"),
        "{page}"
    );
    assert!(page.contains("Moodle du collège") && page.contains("Vie scolaire"));
    assert!(
        !page.contains("Retirer ce service"),
        "the file's services are read-only"
    );
    let csrf = preau_tests::csrf_of(&page);
    let cdi = format!("{}/cdi/", setup.third_party.base);
    let post = |path: &str, fields: &[(&str, &str)]| {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        admin
            .post(setup.server.url(path))
            .form(&form)
            .send()
            .expect("request")
    };
    // A refused form comes back as typed, the reason next to its field, and nothing written.
    let wildcard = post(
        "/admin/services",
        &[
            ("nom", "Tout"),
            ("adresse", "https://*"),
            ("attributs", "display_name"),
            ("profils", "National_ENS"),
            ("tuile", "oui"),
        ],
    );
    assert_eq!(wildcard.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = readable(&wildcard.text().expect("text"));
    assert!(
        refusal.contains(
            "<p id=\"adresse-erreur\" class=\"form-error\">«\u{a0}https://*\u{a0}» contient un joker"
        ),
        "{refusal}"
    );
    assert!(refusal.contains("aria-describedby=\"adresse-erreur adresse-aide\""));
    assert!(refusal.contains("value=\"Tout\"") && refusal.contains("value=\"https://*\""));
    for checked in [
        "id=\"attribut-display_name\" name=\"attributs\" value=\"display_name\" checked",
        "id=\"profil-National_ENS\" name=\"profils\" value=\"National_ENS\" checked",
        "id=\"tuile\" name=\"tuile\" value=\"oui\" checked",
    ] {
        assert!(refusal.contains(checked), "{checked} kept: {refusal}");
    }
    assert!(!refusal.contains("id=\"deconnexion\" name=\"deconnexion\" value=\"oui\" checked"));
    assert!(!refusal.contains("nom-erreur"), "only the address is wrong");
    let nameless = post(
        "/admin/liens",
        &[
            ("libelle", "  "),
            ("adresse", "https://dictionnaire.example/"),
        ],
    );
    assert_eq!(nameless.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = readable(&nameless.text().expect("text"));
    assert!(
        refusal.contains("<p id=\"libelle-erreur\" class=\"form-error\">Donnez-lui un nom.</p>"),
        "{refusal}"
    );
    assert!(refusal.contains("value=\"https://dictionnaire.example/\""));
    let unchanged = readable(&preau_tests::html_of(&admin, &page_url));
    assert!(
        unchanged.contains("Aucun service enregistré ici") && unchanged.contains("Aucun lien"),
        "nothing written: {unchanged}"
    );
    let covered = post(
        "/admin/services",
        &[("nom", "Doublon"), ("adresse", &setup.app("x"))],
    );
    assert_eq!(covered.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let registered = post(
        "/admin/services",
        &[
            ("nom", "Catalogue du CDI"),
            ("adresse", &cdi),
            ("attributs", "display_name"),
            ("attributs", "classes"),
            ("profils", "National_ENS"),
            ("profils", "National_DOC"),
            ("tuile", "oui"),
        ],
    );
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let linked = post(
        "/admin/liens",
        &[
            ("libelle", "Dictionnaire en ligne"),
            ("adresse", "https://dictionnaire.example/"),
            ("profils", "National_ELV"),
        ],
    );
    assert_eq!(linked.status(), StatusCode::SEE_OTHER);
    // Registered durably: the next start still has them.
    setup.server.restart();
    let page_url = setup.server.url("/admin/services");
    let page = readable(&preau_tests::html_of(&admin_again(&setup), &page_url));
    assert!(
        page.contains("Catalogue du CDI") && page.contains("Dictionnaire en ligne"),
        "{page}"
    );

    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let service = format!("{cdi}recherche?q=verne");
    let ticket = setup.ticket(&teacher, &service);
    let validated = setup.validate(&service, &ticket, "p3");
    assert_eq!(validated["user"], "enseignant.demo");
    assert!(validated["attributes"]["displayName"].is_string());
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let refused = pupil
        .get(setup.login_url(&service, ""))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let teacher_home = readable(&preau_tests::html_of(&teacher, &setup.server.url("/")));
    assert!(
        teacher_home.contains(&format!("href=\"{cdi}\"")),
        "a tile for the teacher"
    );
    assert!(!teacher_home.contains("Dictionnaire en ligne"));
    let pupil_home = readable(&preau_tests::html_of(&pupil, &setup.server.url("/")));
    assert!(!pupil_home.contains("Catalogue du CDI"), "not the pupil's");
    assert!(pupil_home.contains("href=\"https://dictionnaire.example/\""));

    // Removed, the service gets no ticket any more.
    let admin = admin_again(&setup);
    let page = preau_tests::html_of(&admin, &page_url);
    let csrf = preau_tests::csrf_of(&page);
    let action = page
        .split("action=\"")
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .find(|action| {
            action.starts_with("/admin/services/")
                && action.ends_with("/supprimer")
                && !action.contains("/logo")
        })
        .expect("a removal form")
        .to_owned();
    let removed = admin
        .post(setup.server.url(&action))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let gone = teacher
        .get(setup.login_url(&service, ""))
        .send()
        .expect("request");
    assert_eq!(gone.status(), StatusCode::FORBIDDEN);
}

fn admin_again(setup: &Setup) -> Client {
    setup.server.signed_in_browser("admin.demo")
}

impl Setup {
    fn portal(&self, path: &str) -> String {
        format!("{}/portal/{path}", self.third_party.base)
    }

    /// A validation's raw XML answer at `endpoint`, with `extra` query parameters.
    fn raw_validation(&self, endpoint: &str, service: &str, ticket: &str, extra: &str) -> String {
        let service: String = form_urlencoded::byte_serialize(service.as_bytes()).collect();
        self.server
            .browser()
            .get(self.server.url(&format!(
                "/cas/{endpoint}?service={service}&ticket={ticket}{extra}"
            )))
            .send()
            .expect("request")
            .text()
            .expect("text")
    }

    /// `/cas/proxy`'s raw XML answer.
    fn raw_proxy(&self, pgt: &str, target: &str) -> String {
        let target: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
        self.server
            .browser()
            .get(
                self.server
                    .url(&format!("/cas/proxy?pgt={pgt}&targetService={target}")),
            )
            .send()
            .expect("request")
            .text()
            .expect("text")
    }
}

fn pgt_url(callback: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(callback.as_bytes()).collect();
    format!("&pgtUrl={encoded}")
}

#[test]
fn a_portal_allowed_to_proxy_opens_another_service_in_the_pupils_name_with_python_cas() {
    let setup = setup(&[]);
    let pupil = setup.server.signed_in_browser("eleve.demo");
    let portal = setup.portal("");
    let ticket = setup.ticket(&pupil, &portal);
    let target = setup.app("notes");
    let output = Command::new(PYTHON)
        .arg(script())
        .args([
            "proxy",
            &setup.server.url("/cas"),
            &portal,
            &ticket,
            &setup.callback.url("/pgt"),
            &target,
            &setup.third_party.base,
        ])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let steps: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(steps["user"], "eleve.demo");
    assert!(
        steps["pgtiou"]
            .as_str()
            .is_some_and(|iou| iou.starts_with("PGTIOU-")),
        "{steps}"
    );
    assert!(
        steps["pgt"]
            .as_str()
            .is_some_and(|pgt| pgt.starts_with("PGT-")),
        "the callback took it over HTTPS: {steps}"
    );
    assert!(
        steps["proxy_ticket"]
            .as_str()
            .is_some_and(|pt| pt.starts_with("PT-")),
        "{steps}"
    );
    assert_eq!(steps["proxied_user"], "eleve.demo");
    assert_eq!(
        steps["proxied_attributes"]["displayName"], "Léa Fontaine",
        "the target's own attributes: {steps}"
    );
    assert_eq!(steps["proxies"], json!([setup.callback.url("/pgt")]));
    assert_eq!(
        steps["service_validate_of_a_proxy_ticket"],
        Value::Null,
        "serviceValidate takes no proxy ticket"
    );
    let pgt = steps["pgt"].as_str().expect("pgt").to_owned();

    // The pupil may not open the staff service: no proxy ticket for it either.
    let staff = setup.raw_proxy(&pgt, &setup.staff());
    assert!(staff.contains("code=\"UNAUTHORIZED_SERVICE\""), "{staff}");
    let missing = setup.raw_proxy(&pgt, "");
    assert!(missing.contains("code=\"INVALID_REQUEST\""), "{missing}");

    // A service not allowed to proxy, a callback that is not https or not on the service's
    // host: refused, and the ticket is used up all the same.
    let moodle = setup.app("");
    let ticket = setup.ticket(&pupil, &moodle);
    let answer = setup.raw_validation(
        "p3/serviceValidate",
        &moodle,
        &ticket,
        &pgt_url(&setup.callback.url("/pgt")),
    );
    assert!(
        answer.contains("code=\"UNAUTHORIZED_SERVICE_PROXY\""),
        "{answer}"
    );
    for callback in [
        format!("http://127.0.0.1:{}/pgt", setup.callback.port),
        "https://localhost.evil.example/pgt".to_owned(),
    ] {
        let ticket = setup.ticket(&pupil, &portal);
        let answer =
            setup.raw_validation("p3/serviceValidate", &portal, &ticket, &pgt_url(&callback));
        assert!(
            answer.contains("code=\"INVALID_PROXY_CALLBACK\""),
            "{callback}: {answer}"
        );
        assert_eq!(setup.validate(&portal, &ticket, "p3")["user"], Value::Null);
    }
    // A callback that does not take the ticket (404): validated, without a proxy-granting
    // ticket, as the specification says.
    let ticket = setup.ticket(&pupil, &portal);
    let answer = setup.raw_validation(
        "proxyValidate",
        &portal,
        &ticket,
        &pgt_url(&setup.callback.url("/refuse")),
    );
    assert!(
        answer.contains("<cas:user>eleve.demo</cas:user>")
            && !answer.contains("proxyGrantingTicket"),
        "{answer}"
    );

    // The proxy-granting ticket ends with the pupil's session.
    let csrf = preau_tests::csrf_of(&preau_tests::html_of(&pupil, &setup.server.url("/")));
    let signed_out = pupil
        .post(setup.server.url("/deconnexion"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    let after = setup.raw_proxy(&pgt, &target);
    assert!(after.contains("code=\"INVALID_TICKET\""), "{after}");
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/logos")
            .join(name),
    )
    .expect("fixture")
}

#[test]
fn a_registered_service_gets_a_png_logo_on_its_tile_and_svg_or_oversized_images_are_refused() {
    let setup = setup(&[]);
    let admin = setup.server.signed_in_browser("admin.demo");
    let page_url = setup.server.url("/admin/services");
    let csrf = preau_tests::csrf_of(&preau_tests::html_of(&admin, &page_url));
    let registered = admin
        .post(setup.server.url("/admin/services"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("nom", "Catalogue du CDI"),
            ("adresse", &format!("{}/cdi/", setup.third_party.base)),
            ("tuile", "oui"),
        ])
        .send()
        .expect("request");
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let page = preau_tests::html_of(&admin, &page_url);
    let action = page
        .split("action=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|action| action.ends_with("/logo"))
        .expect("a logo form for the registered service")
        .to_owned();
    let send = |name: &str, bytes: Vec<u8>, media_type: &str| {
        let part = reqwest::blocking::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(media_type)
            .expect("media type");
        admin
            .post(setup.server.url(&action))
            .multipart(
                reqwest::blocking::multipart::Form::new()
                    .text("csrf", csrf.clone())
                    .part("logo", part),
            )
            .send()
            .expect("request")
    };
    // Refused, with the reason under the service's logo field, and nothing written: an SVG
    // (even named .png), an image over 256 KB, a file that is no image.
    let mut oversized = fixture("cdi.png");
    oversized.resize(300 * 1024, 0);
    for (name, bytes, media_type, reason) in [
        (
            "logo.svg",
            fixture("script.svg"),
            "image/svg+xml",
            "Les images SVG ne sont pas acceptées",
        ),
        (
            "logo.png",
            fixture("script.svg"),
            "image/png",
            "Les images SVG ne sont pas acceptées",
        ),
        (
            "grand.png",
            oversized,
            "image/png",
            "Ce logo pèse 300\u{a0}Ko\u{a0}: 256\u{a0}Ko au plus.",
        ),
        (
            "logo.png",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            "image/png",
            "Ce fichier n'est pas une image PNG, JPEG ou WebP.",
        ),
    ] {
        let refused = send(name, bytes, media_type);
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let text = readable(&refused.text().expect("text"));
        assert!(
            text.contains("class=\"form-error\"") && text.contains(reason),
            "{name}: {text}"
        );
        assert!(!text.contains("class=\"service-logo\""), "nothing written");
    }
    let png = fixture("cdi.png");
    let sent = send("cdi.png", png.clone(), "application/octet-stream");
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    // A teacher's home tile shows it, decorative beside the name; anyone signed in reads it as
    // the image it was checked to be.
    let teacher = setup.server.signed_in_browser("enseignant.demo");
    let home = preau_tests::html_of(&teacher, &setup.server.url("/"));
    let src = home
        .split("<img src=\"/services/")
        .nth(1)
        .map(|rest| format!("/services/{rest}"))
        .as_deref()
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("a logo on the tile: {home}"))
        .replace("&amp;", "&");
    assert!(home.contains("class=\"service-logo\""));
    assert!(
        src.starts_with("/services/") && src.contains("/logo?v="),
        "{src}"
    );
    assert!(home.contains(&format!("src=\"{}\" alt=\"\"", src.replace('&', "&amp;"))));
    let logo = teacher.get(setup.server.url(&src)).send().expect("request");
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.headers()["x-content-type-options"], "nosniff");
    assert_eq!(logo.bytes().expect("bytes").to_vec(), png);
    let anonymous = setup
        .server
        .browser()
        .get(setup.server.url(&src))
        .send()
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "signed in only");

    // Taken away: the tile has none, its address answers 404.
    let page = preau_tests::html_of(&admin, &page_url);
    assert!(page.contains("Retirer le logo"), "{page}");
    let removed = admin
        .post(setup.server.url(&format!("{action}/supprimer")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let home = preau_tests::html_of(&teacher, &setup.server.url("/"));
    assert!(home.contains("Catalogue du CDI") && !home.contains("service-logo"));
    let gone = teacher.get(setup.server.url(&src)).send().expect("request");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}
