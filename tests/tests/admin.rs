//! The administrator's pages: the directory sync status and the printable « fiches de connexion ».

use preau_tests::{readable, Server, StatusCode, DEMO_PASSWORD};

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

#[test]
fn parents_sheets_carry_the_login_and_the_code_that_activates_the_account() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let browser = server.signed_in_browser("admin.demo");
    let page = browser
        .get(server.url("/admin/fiches/3C?pour=parents"))
        .header("host", "ent.college-jean-moulin.fr")
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let html = readable(&page.text().expect("HTML"));
    assert!(html.contains("Fiches de connexion des parents"));
    assert!(
        html.contains("http://ent.college-jean-moulin.fr/activation"),
        "{html}"
    );
    let (_, waiting) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_TUT&state=to_activate",
    );
    let parents = waiting["accounts"].as_array().expect("accounts");
    assert!(!parents.is_empty());
    let mut shown = 0;
    for parent in parents {
        let login = parent["login"].as_str().expect("login");
        let (_, card) = server.get_json(&admin, &format!("/api/v1/admin/accounts/{login}"));
        let code = card["activation_code"].as_str().expect("code");
        if html.contains(&format!(">{login}<")) {
            assert!(
                html.contains(&format!(">{code}<")),
                "{login}'s code is on the sheet"
            );
            shown += 1;
        }
    }
    assert!(shown > 0, "the waiting parents of 3C have sheets");
    assert_eq!(html.matches("class=\"sheet card\"").count(), shown);

    let pupils = readable(
        &browser
            .get(server.url("/admin/fiches/3C"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(
        pupils.contains("Aucun compte à activer dans cette classe."),
        "3C pupils are active"
    );
    assert!(pupils.contains("compte(s) déjà activé(s)"));
}

#[test]
fn only_the_administrator_prints_sheets() {
    let server = Server::demo();
    for login in ["enseignant.demo", "eleve.demo", "parent.demo"] {
        let response = server
            .signed_in_browser(login)
            .get(server.url("/admin/fiches/3C?pour=parents"))
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
