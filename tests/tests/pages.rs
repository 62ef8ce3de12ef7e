//! The French pages work with plain HTTP, as a browser without JavaScript uses them.

use preau_tests::{csrf_of, readable, Server, StatusCode, DEMO_PASSWORD};

fn location(response: &reqwest::blocking::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_visitor_is_sent_to_the_sign_in_page_and_comes_back_after_signing_in() {
    let server = Server::demo();
    let browser = server.browser();
    let home = browser.get(server.url("/compte")).send().expect("request");
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/connexion?suite=%2Fcompte");
    let page = browser
        .get(server.url("/connexion?suite=%2Fcompte"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().expect("HTML");
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
    assert!(html.contains("<label for=\"login\">Identifiant</label>"));
    assert!(html.contains("name=\"suite\" value=\"/compte\""));
    let signed_in = browser
        .post(server.url("/connexion"))
        .form(&[
            ("login", "eleve.demo"),
            ("password", DEMO_PASSWORD),
            ("suite", "/compte"),
        ])
        .send()
        .expect("request");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/compte");
    let account = browser.get(server.url("/compte")).send().expect("request");
    assert_eq!(account.status(), StatusCode::OK);
    assert!(account.text().expect("HTML").contains("eleve.demo"));
}

#[test]
fn the_sign_in_form_refuses_another_site_as_destination() {
    let server = Server::demo();
    let response = server
        .browser()
        .post(server.url("/connexion"))
        .form(&[
            ("login", "eleve.demo"),
            ("password", DEMO_PASSWORD),
            ("suite", "//pirate.example/"),
        ])
        .send()
        .expect("request");
    assert_eq!(location(&response), "/");
}

#[test]
fn a_destination_with_a_tab_or_a_line_break_goes_home_and_never_fails() {
    let server = Server::demo();
    for suite in ["/\t/evil.example", "/\r\nSet-Cookie: x", "/\n/evil.example"] {
        let browser = server.browser();
        let page = browser
            .get(server.url("/connexion"))
            .query(&[("suite", suite)])
            .send()
            .expect("request");
        assert_eq!(page.status(), StatusCode::OK, "{suite:?}");
        assert!(
            !page.text().expect("HTML").contains("evil.example"),
            "{suite:?} is not carried by the form"
        );
        let refused = browser
            .post(server.url("/connexion"))
            .form(&[
                ("login", "eleve.demo"),
                ("password", "faux"),
                ("suite", suite),
            ])
            .send()
            .expect("request");
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{suite:?}");
        let signed_in = browser
            .post(server.url("/connexion"))
            .form(&[
                ("login", "eleve.demo"),
                ("password", DEMO_PASSWORD),
                ("suite", suite),
            ])
            .send()
            .expect("request");
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{suite:?}");
        assert_eq!(location(&signed_in), "/", "{suite:?}");
        for cookie in signed_in.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().expect("ASCII");
            assert!(cookie.starts_with("preau_session="), "{cookie}");
        }
    }
}

#[test]
fn a_wrong_password_shows_the_form_again_with_a_french_error() {
    let server = Server::demo();
    let response = server
        .browser()
        .post(server.url("/connexion"))
        .form(&[("login", "eleve.demo"), ("password", "faux")])
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().expect("HTML");
    assert!(
        html.contains(
            "<p role=\"alert\" class=\"form-error\">Identifiant ou mot de passe incorrect.</p>"
        ),
        "{html}"
    );
    assert!(html.contains("value=\"eleve.demo\""), "the login is kept");
}

#[test]
fn each_demo_profile_sees_its_own_home_page() {
    let server = Server::demo();
    let expectations: [(&str, &[&str]); 4] = [
        ("eleve.demo", &["Bonjour Léa", "Élève", "4e B"]),
        (
            "parent.demo",
            &[
                "Bonjour Claire",
                "Parent d&#x27;élève",
                "Léa Fontaine",
                "Hugo Fontaine",
                "Ses professeurs",
                "Thomas Moreau",
            ],
        ),
        (
            "enseignant.demo",
            &[
                "Bonjour Thomas",
                "Mes classes",
                "4e B",
                "Mathématiques · professeur principal",
            ],
        ),
        (
            "admin.demo",
            &["Bonjour Nathalie", "href=\"/admin\"", "Administration"],
        ),
    ];
    for (login, texts) in expectations {
        let browser = server.signed_in_browser(login);
        let html = browser
            .get(server.url("/"))
            .send()
            .expect("request")
            .text()
            .expect("HTML");
        for text in texts {
            let found = html.contains(text) || html.contains(&text.replace("&#x27;", "'"));
            assert!(found, "{login}: missing {text:?}");
        }
        if login != "admin.demo" {
            assert!(
                !html.contains("href=\"/admin\""),
                "{login} must not be offered /admin"
            );
        }
    }
}

#[test]
fn a_parent_switches_child_with_a_plain_form() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (_, me) = server.get_json(&token, "/api/v1/me");
    let hugo = me["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["class"] == "6A")
        .expect("a child in 6A")["id"]
        .clone();
    let browser = server.signed_in_browser("parent.demo");
    let html = browser
        .get(server.url(&format!("/?enfant={hugo}")))
        .send()
        .expect("request")
        .text()
        .expect("HTML");
    let html = readable(&html);
    assert!(
        html.contains("<h2 id=\"titre-enfant\">Hugo Fontaine</h2>"),
        "{html}"
    );
    assert!(html.contains("Classe de 6e A"));
}

#[test]
fn signing_out_ends_the_session() {
    let server = Server::demo();
    let browser = server.signed_in_browser("eleve.demo");
    let home = browser
        .get(server.url("/"))
        .send()
        .expect("request")
        .text()
        .expect("HTML");
    let csrf = csrf_of(&home);
    let without_token = browser
        .post(server.url("/deconnexion"))
        .send()
        .expect("request");
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
    let out = browser
        .post(server.url("/deconnexion"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/connexion?au-revoir=1");
    let after = browser.get(server.url("/")).send().expect("request");
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
}

#[test]
fn unknown_pages_get_a_french_404_and_unknown_api_routes_a_json_404() {
    let server = Server::demo();
    let page = server
        .browser()
        .get(server.url("/nulle-part"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let html = page.text().expect("HTML");
    assert!(html.contains("Page introuvable"));
    let api = server
        .browser()
        .get(server.url("/api/v1/nulle-part"))
        .send()
        .expect("request");
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = api.json().expect("JSON");
    assert_eq!(body["error"]["code"], "not_found");
}

#[test]
fn every_answer_carries_the_security_headers() {
    let server = Server::demo();
    for path in ["/connexion", "/nulle-part", "/api/v1/me", "/healthz"] {
        let response = server
            .browser()
            .get(server.url(path))
            .send()
            .expect("request");
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(
            headers.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
        assert_eq!(
            headers.get("referrer-policy").map(|v| v.as_bytes()),
            Some(&b"same-origin"[..]),
            "{path}"
        );
    }
}

#[test]
fn an_account_is_activated_with_its_code_and_a_chosen_password() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, waiting) = server.get_json(&admin, "/api/v1/admin/accounts?state=to_activate");
    let login = waiting["accounts"][0]["login"]
        .as_str()
        .expect("an account to activate")
        .to_owned();
    let (_, card) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
    assert_eq!(card["activation_pending"], true);
    assert!(
        card.get("activation_code").is_none(),
        "codes are not readable"
    );
    let (status, issued) = server.issue_activation_code(&admin, &login);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(issued["login"], login.as_str());
    let code = issued["code"].as_str().expect("activation code").to_owned();

    let browser = server.browser();
    let page = browser
        .get(server.url("/activation"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let wrong = server.activate(&login, "AAAAA-AAAAA-AAAAA", "mon cahier vert");
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let html = wrong.text().expect("HTML");
    assert!(html.contains("activation incorrect"), "{html}");
    let activated = browser
        .post(server.url("/activation"))
        .form(&[
            ("login", login.as_str()),
            ("code", code.to_lowercase().as_str()),
            ("new", "mon cahier vert"),
            ("confirm", "mon cahier vert"),
        ])
        .send()
        .expect("request");
    assert_eq!(activated.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&activated), "/");
    assert_eq!(
        browser
            .get(server.url("/"))
            .send()
            .expect("request")
            .status(),
        StatusCode::OK
    );
    server.api_login(&login, "mon cahier vert");
    let (_, card) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
    assert_eq!(card["state"], "active");
    assert_eq!(card["activation_pending"], false);
    assert!(card["activation_expires_at"].is_null());
    assert_eq!(
        server.activate(&login, &code, "un autre cahier").status(),
        StatusCode::BAD_REQUEST,
        "a code serves once"
    );
}

#[test]
fn an_expired_activation_code_is_refused_with_a_french_message() {
    let server = Server::demo_with(&[("PREAU_SECURITY_ACTIVATION_CODE_LIFETIME", "1s")]);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, waiting) = server.get_json(&admin, "/api/v1/admin/accounts?state=to_activate");
    let login = waiting["accounts"][0]["login"]
        .as_str()
        .expect("an account to activate")
        .to_owned();
    let (_, issued) = server.issue_activation_code(&admin, &login);
    let code = issued["code"].as_str().expect("code");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let expired = server.activate(&login, code, "mon cahier vert");
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    let html = readable(&expired.text().expect("HTML"));
    assert!(
        html.contains("Ce code d&#x27;activation a expiré")
            || html.contains("Ce code d'activation a expiré"),
        "{html}"
    );
    let (_, card) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
    assert_eq!(card["state"], "to_activate");
}
