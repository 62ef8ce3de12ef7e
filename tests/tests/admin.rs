//! The administrator's pages: the directory sync status and the printable « fiches de connexion ».

use preau_tests::{csrf_of, readable, Server, StatusCode, DEMO_PASSWORD};

#[test]
fn the_admin_home_shows_the_directory_sync_and_its_next_run() {
    let server = Server::demo();
    let html = readable(
        &server
            .signed_in_browser("admin.demo")
            .get(server.url("/admin"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(html.contains("Annuaire académique"), "{html}");
    assert!(html.contains("Prochaine synchronisation"));
    assert!(
        html.contains(" à 02:30"),
        "the default schedule is nightly at 02:30: {html}"
    );
    assert!(html.contains("aucune pour l&#x27;instant") || html.contains("aucune pour l'instant"));
    assert!(html.contains("href=\"/admin/fiches/3C?pour=parents\""));
}

/// The code printed next to `login` on a sheets page.
fn code_on_sheet(html: &str, login: &str) -> Option<String> {
    let after = html.split(&format!(">{login}</dd>")).nth(1)?;
    let code = after.split("<dd class=\"code\">").nth(1)?;
    code.split("</dd>").next().map(str::to_owned)
}

#[test]
fn parents_sheets_carry_the_login_and_a_fresh_code_that_activates_the_account() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let browser = server.signed_in_browser("admin.demo");
    let page = browser
        .get(server.url("/admin/fiches/3C?pour=parents"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let confirmation = readable(&page.text().expect("HTML"));
    let (_, waiting) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_TUT&state=to_activate",
    );
    let parents: Vec<String> = waiting["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|parent| parent["login"].as_str().expect("login").to_owned())
        .collect();
    assert!(
        !parents.is_empty(),
        "the families of 3C wait for activation"
    );
    assert!(
        confirmation.contains(&format!(
            "Parents en attente d&#x27;activation</dt><dd>{}</dd>",
            parents.len()
        )) || confirmation.contains(&format!(
            "Parents en attente d'activation</dt><dd>{}</dd>",
            parents.len()
        )),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("value=\"parents\" checked"),
        "{confirmation}"
    );
    assert!(
        !confirmation.contains("class=\"sheet card\""),
        "no code before the POST"
    );

    let csrf = csrf_of(&confirmation);
    let print = |csrf: &str| {
        browser
            .post(server.url("/admin/fiches/3C"))
            .header("host", "ent.college-jean-moulin.fr")
            .form(&[("csrf", csrf), ("pour", "parents")])
            .send()
            .expect("request")
    };
    let printed = print(&csrf);
    assert_eq!(printed.status(), StatusCode::OK);
    assert_eq!(
        printed
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let html = readable(&printed.text().expect("HTML"));
    assert!(html.contains("Fiches de connexion · 3e C"), "{html}");
    assert!(
        html.contains("http://ent.college-jean-moulin.fr/activation"),
        "{html}"
    );
    assert!(html.contains("Valable jusqu"), "{html}");
    assert_eq!(html.matches("class=\"sheet card\"").count(), parents.len());
    let codes: Vec<String> = parents
        .iter()
        .map(|login| code_on_sheet(&html, login).unwrap_or_else(|| panic!("{login}'s sheet")))
        .collect();
    assert!(codes.iter().all(|code| code.len() == 17), "{codes:?}");

    // Printing again issues new codes: the first sheets stop working, the new ones activate.
    let reprinted = readable(&print(&csrf).text().expect("HTML"));
    let fresh = code_on_sheet(&reprinted, &parents[0]).expect("a new sheet");
    assert_ne!(fresh, codes[0]);
    assert_eq!(
        server
            .activate(&parents[0], &codes[0], "mon cahier vert")
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        server
            .activate(&parents[0], &fresh, "mon cahier vert")
            .status(),
        StatusCode::SEE_OTHER
    );
    server.api_login(&parents[0], "mon cahier vert");

    let pupils = readable(
        &browser
            .post(server.url("/admin/fiches/3C"))
            .form(&[("csrf", csrf.as_str()), ("pour", "eleves")])
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(
        pupils.contains("Aucun compte à activer dans cette classe."),
        "3C pupils are active: {pupils}"
    );
    let summary = readable(
        &browser
            .get(server.url("/admin/fiches/3C"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(summary.contains("Comptes déjà activés"), "{summary}");
    assert!(summary.contains("value=\"tous\" checked"), "{summary}");
}

#[test]
fn printing_sheets_needs_the_form_s_csrf_token() {
    let server = Server::demo();
    let browser = server.signed_in_browser("admin.demo");
    let refused = browser
        .post(server.url("/admin/fiches/3C"))
        .form(&[("pour", "parents")])
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!refused
        .text()
        .expect("HTML")
        .contains("class=\"sheet card\""));
}

#[test]
fn only_the_administrator_prints_sheets() {
    let server = Server::demo();
    for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
        let browser = server.signed_in_browser(login);
        let page = browser
            .get(server.url("/admin/fiches/3C?pour=parents"))
            .send()
            .expect("request");
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{login}");
        let home = browser.get(server.url("/compte")).send().expect("request");
        let csrf = csrf_of(&home.text().expect("HTML"));
        let response = browser
            .post(server.url("/admin/fiches/3C"))
            .form(&[("csrf", csrf.as_str()), ("pour", "parents")])
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{login}");
        assert!(!response
            .text()
            .expect("HTML")
            .contains("Code d&#x27;activation"));
    }
    let unknown = server
        .signed_in_browser("admin.demo")
        .get(server.url("/admin/fiches/9Z"))
        .send()
        .expect("request");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[test]
fn the_administrator_issues_a_code_to_an_account_waiting_for_activation_only() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, waiting) = server.get_json(&admin, "/api/v1/admin/accounts?state=to_activate");
    let login = waiting["accounts"][0]["login"]
        .as_str()
        .expect("an account to activate")
        .to_owned();
    let (status, first) = server.issue_activation_code(&admin, &login);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["login"], login.as_str());
    let expires_at = first["expires_at"].as_str().expect("expiry");
    let (_, card) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
    assert_eq!(card["activation_expires_at"], expires_at);
    let (_, second) = server.issue_activation_code(&admin, &login);
    assert_ne!(first["code"], second["code"]);
    assert_eq!(
        server
            .activate(
                &login,
                first["code"].as_str().expect("code"),
                "mon cahier vert"
            )
            .status(),
        StatusCode::BAD_REQUEST,
        "the previous code stops working"
    );

    let (status, body) = server.issue_activation_code(&admin, "eleve.demo");
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "not_waiting_for_activation");
    let (status, body) = server.issue_activation_code(&admin, "personne.inconnue");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_login");
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (status, body) = server.issue_activation_code(&teacher, &login);
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.get("code").is_none());
}
