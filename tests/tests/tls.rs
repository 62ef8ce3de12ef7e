//! HTTPS with a self-signed certificate generated on first start; session cookies get `Secure`.

use preau_tests::{Options, Server, StatusCode, DEMO_PASSWORD};

#[test]
fn under_tls_the_certificate_is_generated_once_and_the_session_cookie_is_secure() {
    let mut server = Server::start(Options {
        demo: true,
        tls: true,
        ..Options::default()
    });
    assert!(server.base.starts_with("https://"));
    let cert = server.data.join("tls").join("cert.pem");
    let first = std::fs::read(&cert).expect("a certificate in data/tls/");
    let response = server
        .browser()
        .post(server.url("/api/v1/session"))
        .json(&serde_json::json!({"login": "eleve.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request over TLS");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(
        cookie.starts_with("__Host-preau_session=") && !cookie.contains("Domain"),
        "the __Host- prefix pins the cookie to this origin: {cookie}"
    );
    let hsts = response
        .headers()
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(hsts.starts_with("max-age="), "HSTS under TLS: {hsts:?}");

    let plain = reqwest::blocking::Client::new()
        .get(server.url("/healthz").replace("https://", "http://"))
        .send();
    if let Ok(answer) = plain {
        assert!(
            !answer.status().is_success(),
            "no plain HTTP on the TLS port"
        );
    }

    server.restart();
    assert_eq!(
        std::fs::read(&cert).expect("kept"),
        first,
        "the certificate is kept across restarts"
    );
    let status = server.terminate();
    assert!(status.success(), "{status}");
}
