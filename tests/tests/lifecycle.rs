//! The appliance's life: CLI bootstrap, forced password change, durability across SIGKILL,
//! graceful SIGTERM, and the binary standing alone.

use preau_tests::{
    cli, create_admin, data_dir, Client, Options, Server, StatusCode, DEMO_PASSWORD,
};
use serde_json::{json, Value};

#[test]
fn create_admin_prints_a_one_time_password_that_must_be_changed_first() {
    let data = data_dir();
    let (status, out) = cli(data.path(), &["user", "create-admin", "admin.college"]);
    assert!(status.success());
    let password = out
        .lines()
        .find_map(|line| line.strip_prefix("mot de passe à usage unique : "))
        .expect("the one-time password is printed")
        .to_owned();
    let server = Server::start(Options {
        data: Some(data.path().to_path_buf()),
        ..Options::default()
    });
    let (token, _, answer) = server.api_login("admin.college", &password);
    assert_eq!(answer["must_change_password"], true);
    assert_eq!(answer["user"]["must_change_password"], true);
    let (status, body) = server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "password_change_required");
    assert_eq!(
        server.get_json(&token, "/api/v1/admin/accounts").0,
        StatusCode::FORBIDDEN
    );

    let changed = Client::new()
        .post(server.url("/api/v1/me/password"))
        .bearer_auth(&token)
        .json(&json!({"current": password, "new": "une clé bien à moi"}))
        .send()
        .expect("request");
    assert_eq!(changed.status(), StatusCode::OK);
    let answer: Value = changed.json().expect("JSON");
    assert_eq!(answer["must_change_password"], false);
    let token = answer["token"].as_str().expect("token");
    let (status, me) = server.get_json(token, "/api/v1/me");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["is_admin"], true);
    assert_eq!(
        server.get_json(token, "/api/v1/admin/accounts").0,
        StatusCode::OK
    );
}

#[test]
fn a_forced_change_sends_pages_to_the_account_page() {
    let data = data_dir();
    let password = create_admin(data.path());
    let server = Server::start(Options {
        data: Some(data.path().to_path_buf()),
        ..Options::default()
    });
    let browser = server.browser();
    let signed_in = browser
        .post(server.url("/connexion"))
        .form(&[("login", "admin.college"), ("password", password.as_str())])
        .send()
        .expect("request");
    assert_eq!(
        signed_in.headers().get("location").map(|v| v.as_bytes()),
        Some(&b"/compte"[..])
    );
    let home = browser.get(server.url("/admin")).send().expect("request");
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    let account = browser.get(server.url("/compte")).send().expect("request");
    assert!(account
        .text()
        .expect("HTML")
        .contains("Vous devez choisir un nouveau mot de passe"));
}

#[test]
fn reset_password_gives_a_new_one_time_password_and_ends_sessions() {
    let data = data_dir();
    let mut server = Server::start(Options {
        demo: true,
        data: Some(data.path().to_path_buf()),
        ..Options::default()
    });
    server.kill();
    let (status, out) = cli(data.path(), &["user", "reset-password", "eleve.demo"]);
    assert!(status.success(), "{out}");
    let password = out
        .lines()
        .find_map(|line| line.strip_prefix("mot de passe à usage unique : "))
        .expect("password")
        .to_owned();
    let (missing, _) = cli(
        data.path(),
        &["user", "reset-password", "personne.inconnue"],
    );
    assert!(!missing.success());
    server.restart();
    let refused = Client::new()
        .post(server.url("/api/v1/session"))
        .json(&json!({"login": "eleve.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let (_, _, answer) = server.api_login("eleve.demo", &password);
    assert_eq!(answer["must_change_password"], true);
}

#[test]
fn an_acknowledged_password_change_survives_sigkill() {
    let mut server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let response = Client::new()
        .post(server.url("/api/v1/me/password"))
        .bearer_auth(&token)
        .json(&json!({"current": DEMO_PASSWORD, "new": "craie et tableau"}))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let session: Value = response.json().expect("JSON");
    // The answer is in hand: kill at once, without giving the process any chance to flush.
    server.kill();
    server.restart();
    server.api_login("enseignant.demo", "craie et tableau");
    let survivor = session["token"].as_str().expect("token");
    assert_eq!(
        server.get_json(survivor, "/api/v1/me").0,
        StatusCode::OK,
        "the session was acknowledged too"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly_and_the_store_reopens() {
    let mut server = Server::demo();
    server.api_login("eleve.demo", DEMO_PASSWORD);
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    server.restart();
    server.api_login("eleve.demo", DEMO_PASSWORD);
}

#[test]
fn the_binary_alone_serves_the_whole_web_app() {
    let lonely = data_dir();
    let copy = lonely.path().join("preau");
    std::fs::copy(preau_tests::binary(), &copy).expect("copies the binary");
    let server = Server::start(Options {
        demo: true,
        binary: Some(copy),
        cwd: Some(lonely.path().to_path_buf()),
        data: Some(lonely.path().join("data")),
        ..Options::default()
    });
    let html = Client::new()
        .get(server.url("/connexion"))
        .send()
        .expect("request")
        .text()
        .expect("HTML");
    let assets: Vec<String> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("/assets/") || part.starts_with("/pkg/"))
        .map(str::to_owned)
        .collect();
    assert!(assets.iter().any(|a| a.ends_with(".css")), "{html}");
    assert!(
        assets.iter().any(|a| a.ends_with(".wasm")),
        "the WASM bundle is linked: {html}"
    );
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{html}");
    for asset in assets {
        let response = Client::new()
            .get(server.url(&asset))
            .header("accept-encoding", "br, gzip")
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        let cache = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(cache.contains("immutable"), "{asset}: {cache}");
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.as_bytes()),
            Some(&b"br"[..]),
            "{asset} is served precompressed"
        );
    }
}
