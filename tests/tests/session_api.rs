//! The JSON session API (`docs/api.md`): sign in, bearer tokens, sign out, throttling, CSRF, expiry.

use std::thread::sleep;
use std::time::Duration;

use preau_tests::{Client, Server, StatusCode, DEMO_PASSWORD};
use serde_json::{json, Value};

#[test]
fn signing_in_returns_a_token_a_csrf_token_the_user_and_a_strict_cookie() {
    let server = Server::demo();
    let response = Client::new()
        .post(server.url("/api/v1/session"))
        .json(&json!({"login": "eleve.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.starts_with("preau_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");
    let body: Value = response.json().expect("JSON");
    assert!(body["token"].as_str().is_some_and(|t| t.len() >= 40));
    assert!(body["csrf"].as_str().is_some_and(|t| t.len() >= 40));
    assert_eq!(body["must_change_password"], false);
    assert_eq!(body["user"]["login"], "eleve.demo");
    assert_eq!(body["user"]["profile"], "National_ELV");
    assert_eq!(body["user"]["classes"], json!(["4B"]));
}

#[test]
fn wrong_credentials_get_401_with_the_error_shape() {
    let server = Server::demo();
    for (login, password) in [
        ("eleve.demo", "pas le bon"),
        ("personne.inconnue", DEMO_PASSWORD),
    ] {
        let response = Client::new()
            .post(server.url("/api/v1/session"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().expect("JSON");
        assert_eq!(body["error"]["code"], "invalid_credentials");
        assert_eq!(
            body["error"]["message"],
            "Identifiant ou mot de passe incorrect."
        );
    }
    let malformed = Client::new()
        .post(server.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body("{\"login\": ")
        .send()
        .expect("request");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body: Value = malformed.json().expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_request");
}

#[test]
fn a_bearer_token_works_until_the_session_is_deleted() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (status, me) = server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["login"], "enseignant.demo");
    assert_eq!(me["profile"], "National_ENS");
    let classes = me["classes"].as_array().expect("classes");
    assert!(classes.contains(&json!("4B")), "{me}");
    let deleted = Client::new()
        .delete(server.url("/api/v1/session"))
        .bearer_auth(&token)
        .send()
        .expect("request");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let (status, body) = server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[test]
fn repeated_failures_are_throttled_with_retry_after_even_for_the_right_password() {
    let server = Server::demo_with(&[("PREAU_SECURITY_LOGIN_FAILURES_PER_ACCOUNT", "3")]);
    let attempt = |password: &str| {
        Client::new()
            .post(server.url("/api/v1/session"))
            .json(&json!({"login": "eleve.demo", "password": password}))
            .send()
            .expect("request")
    };
    for _ in 0..3 {
        assert_eq!(attempt("devine").status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = attempt(DEMO_PASSWORD);
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry_after > 0 && retry_after <= 15 * 60, "{retry_after}");
    let body: Value = throttled.json().expect("JSON");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    // Another account from the same address is not locked by these three failures.
    server.api_login("parent.demo", DEMO_PASSWORD);
}

#[test]
fn wrong_current_passwords_on_the_password_change_are_throttled_on_the_api_and_the_page() {
    let server = Server::demo_with(&[("PREAU_SECURITY_LOGIN_FAILURES_PER_ACCOUNT", "3")]);
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let change = |current: &str| {
        Client::new()
            .post(server.url("/api/v1/me/password"))
            .bearer_auth(&token)
            .json(&json!({"current": current, "new": "un cartable bleu"}))
            .send()
            .expect("request")
    };
    for _ in 0..3 {
        assert_eq!(change("devine").status(), StatusCode::BAD_REQUEST);
    }
    let throttled = change(DEMO_PASSWORD);
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry_after > 0 && retry_after <= 15 * 60, "{retry_after}");
    let body: Value = throttled.json().expect("JSON");
    assert_eq!(body["error"]["code"], "too_many_attempts");

    // The same account's form is locked too, with the French message, and so is its sign-in.
    let browser = server.signed_in_browser("parent.demo");
    let html = browser.get(server.url("/compte")).send().expect("request");
    let csrf = preau_tests::csrf_of(&html.text().expect("HTML"));
    for _ in 0..3 {
        let wrong = browser
            .post(server.url("/compte/mot-de-passe"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", "devine"),
                ("new", "un cartable bleu"),
                ("confirm", "un cartable bleu"),
            ])
            .send()
            .expect("request");
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    }
    let page = browser
        .post(server.url("/compte/mot-de-passe"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", DEMO_PASSWORD),
            ("new", "un cartable bleu"),
            ("confirm", "un cartable bleu"),
        ])
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers().get("retry-after").is_some());
    let html = page.text().expect("HTML");
    assert!(html.contains("Trop de tentatives"), "{html}");
    let sign_in = Client::new()
        .post(server.url("/api/v1/session"))
        .json(&json!({"login": "parent.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request");
    assert_eq!(sign_in.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[test]
fn cookie_authenticated_writes_need_the_csrf_token() {
    let server = Server::demo();
    let browser = server.browser();
    let answer: Value = browser
        .post(server.url("/api/v1/session"))
        .json(&json!({"login": "eleve.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request")
        .json()
        .expect("JSON");
    let csrf = answer["csrf"].as_str().expect("csrf").to_owned();
    let change = json!({"current": DEMO_PASSWORD, "new": "un cartable bleu"});
    let refused = browser
        .post(server.url("/api/v1/me/password"))
        .json(&change)
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().expect("JSON");
    assert_eq!(body["error"]["code"], "csrf_failed");
    let wrong = browser
        .post(server.url("/api/v1/me/password"))
        .header("x-csrf-token", "pas-le-bon-jeton")
        .json(&change)
        .send()
        .expect("request");
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let accepted = browser
        .post(server.url("/api/v1/me/password"))
        .header("x-csrf-token", &csrf)
        .json(&change)
        .send()
        .expect("request");
    assert_eq!(accepted.status(), StatusCode::OK);
    server.api_login("eleve.demo", "un cartable bleu");
}

#[test]
fn a_form_posted_from_another_site_is_refused() {
    let server = Server::demo();
    let response = server
        .browser()
        .post(server.url("/connexion"))
        .header("origin", "https://pirate.example")
        .form(&[("login", "eleve.demo"), ("password", DEMO_PASSWORD)])
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
}

#[test]
fn an_idle_session_expires() {
    let server = Server::demo_with(&[("PREAU_SESSION_IDLE_TIMEOUT", "2s")]);
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    assert_eq!(server.get_json(&token, "/api/v1/me").0, StatusCode::OK);
    sleep(Duration::from_millis(3100));
    assert_eq!(
        server.get_json(&token, "/api/v1/me").0,
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn a_used_session_still_ends_at_its_absolute_expiry() {
    let server = Server::demo_with(&[("PREAU_SESSION_ABSOLUTE_TIMEOUT", "3s")]);
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    for _ in 0..2 {
        assert_eq!(server.get_json(&token, "/api/v1/me").0, StatusCode::OK);
        sleep(Duration::from_secs(1));
    }
    sleep(Duration::from_millis(1500));
    assert_eq!(
        server.get_json(&token, "/api/v1/me").0,
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn changing_the_password_ends_the_other_sessions() {
    let server = Server::demo();
    let (phone, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (laptop, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let response = Client::new()
        .post(server.url("/api/v1/me/password"))
        .bearer_auth(&laptop)
        .json(&json!({"current": DEMO_PASSWORD, "new": "trousse et compas"}))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().expect("JSON");
    let fresh = answer["token"].as_str().expect("new token");
    assert_eq!(
        server.get_json(&phone, "/api/v1/me").0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.get_json(&laptop, "/api/v1/me").0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(server.get_json(fresh, "/api/v1/me").0, StatusCode::OK);
}
