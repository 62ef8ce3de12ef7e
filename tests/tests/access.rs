//! Authorisation is decided on the server: pupils stay out of administration, parents see only
//! their own children.

use preau_tests::{Server, StatusCode, DEMO_PASSWORD};
use serde_json::Value;

#[test]
fn a_pupil_is_refused_the_admin_page_and_the_admin_api() {
    let server = Server::demo();
    let pupil = server.signed_in_browser("eleve.demo");
    let page = pupil.get(server.url("/admin")).send().expect("request");
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    let html = page.text().expect("HTML");
    assert!(html.contains("Accès refusé"), "{html}");
    assert!(html.contains("lang=\"fr\""));

    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    for path in [
        "/api/v1/admin/accounts",
        "/api/v1/admin/accounts/admin.demo",
    ] {
        let (status, body) = server.get_json(&token, path);
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    let reset = preau_tests::Client::new()
        .post(server.url("/api/v1/admin/accounts/admin.demo/reset-password"))
        .bearer_auth(&token)
        .send()
        .expect("request");
    assert_eq!(reset.status(), StatusCode::FORBIDDEN);
}

#[test]
fn every_non_admin_profile_is_refused_administration_and_the_admin_is_let_in() {
    let server = Server::demo();
    for login in ["enseignant.demo", "parent.demo", "eleve.demo"] {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        assert_eq!(
            server.get_json(&token, "/api/v1/admin/accounts").0,
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    let (token, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (status, page) = server.get_json(&token, "/api/v1/admin/accounts?profile=National_ELV");
    assert_eq!(status, StatusCode::OK);
    let total = page["total"].as_u64().expect("total");
    assert!(
        (280..=340).contains(&total),
        "about 300 pupils, got {total}"
    );
    let admin = server.signed_in_browser("admin.demo");
    let html = admin.get(server.url("/admin")).send().expect("request");
    assert_eq!(html.status(), StatusCode::OK);
    assert!(html.text().expect("HTML").contains("0130042X"));
}

#[test]
fn a_parent_sees_exactly_their_own_children() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, parent_card) = server.get_json(&admin, "/api/v1/admin/accounts/parent.demo");
    let mut linked: Vec<u64> = parent_card["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    linked.sort_unstable();

    let (token, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (status, me) = server.get_json(&token, "/api/v1/me");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["profile"], "National_TUT");
    let children = me["children"].as_array().expect("children");
    let mut ids: Vec<u64> = children.iter().filter_map(|c| c["id"].as_u64()).collect();
    ids.sort_unstable();
    assert_eq!(ids, linked);
    assert_eq!(children.len(), 2);
    let (_, pupil) = server.get_json(&admin, "/api/v1/admin/accounts/eleve.demo");
    let pupil_id = pupil["id"].as_u64().expect("id");
    let lea = children
        .iter()
        .find(|c| c["id"].as_u64() == Some(pupil_id))
        .expect("eleve.demo is a child of parent.demo");
    assert_eq!(lea["class"], "4B");
    assert_eq!(lea["display_name"], "Léa Fontaine");
    for child in children {
        assert!(
            child["display_name"].is_string() && child["class"].is_string(),
            "{child}"
        );
    }

    // Another parent of the collège has other children, none of these.
    let (_, page) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_TUT&state=active",
    );
    let other = page["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["login"] != "parent.demo")
        .expect("another parent")
        .clone();
    let (_, reset) = {
        let response = preau_tests::Client::new()
            .post(server.url(&format!(
                "/api/v1/admin/accounts/{}/reset-password",
                other["login"].as_str().expect("login")
            )))
            .bearer_auth(&admin)
            .send()
            .expect("request");
        (response.status(), response.json::<Value>().expect("JSON"))
    };
    let (other_token, _, _) = server.api_login(
        other["login"].as_str().expect("login"),
        reset["password"].as_str().expect("one-time password"),
    );
    let new_password = serde_json::json!({"current": reset["password"], "new": "un autre parent"});
    let changed: Value = preau_tests::Client::new()
        .post(server.url("/api/v1/me/password"))
        .bearer_auth(&other_token)
        .json(&new_password)
        .send()
        .expect("request")
        .json()
        .expect("JSON");
    let other_token = changed["token"].as_str().expect("token");
    let (_, other_me) = server.get_json(other_token, "/api/v1/me");
    let other_ids: Vec<u64> = other_me["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["id"].as_u64())
        .collect();
    assert!(!other_ids.is_empty());
    assert!(other_ids.iter().all(|id| !ids.contains(id)), "{other_me}");
}

#[test]
fn a_parent_cannot_display_a_child_that_is_not_theirs_on_the_home_page() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, stranger) = server.get_json(&admin, "/api/v1/admin/accounts?class=5A");
    let stranger = &stranger["accounts"][0];
    let parent = server.signed_in_browser("parent.demo");
    let html = parent
        .get(server.url(&format!("/?enfant={}", stranger["id"])))
        .send()
        .expect("request")
        .text()
        .expect("HTML");
    let name = stranger["display_name"].as_str().expect("name");
    assert!(
        !html.contains(name),
        "{name} leaked into parent.demo's home page"
    );
    assert!(html.contains("Léa Fontaine"));
}

/// The id of `login`, as the administrator sees it.
fn id_of(server: &Server, admin: &str, login: &str) -> u64 {
    let (status, card) = server.get_json(admin, &format!("/api/v1/admin/accounts/{login}"));
    assert_eq!(status, StatusCode::OK, "{login}");
    card["id"].as_u64().expect("id")
}

/// A pupil of a class that enseignant.demo neither teaches nor leads, and one of their parents.
fn stranger_to_the_teacher(server: &Server, admin: &str) -> (u64, u64) {
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, me) = server.get_json(&teacher, "/api/v1/me");
    let taught: Vec<&str> = me["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let class = ["6B", "6C", "5A", "5B", "5C", "4A", "4C", "3A", "3B"]
        .into_iter()
        .find(|class| !taught.contains(class))
        .expect("a class enseignant.demo does not teach");
    let (_, pupils) = server.get_json(
        admin,
        &format!("/api/v1/admin/accounts?profile=National_ELV&class={class}"),
    );
    let pupil = pupils["accounts"][0]["id"].as_u64().expect("a pupil");
    let (_, card) = server.get_json(admin, &format!("/api/v1/people/{pupil}"));
    let parent = card["guardians"][0]["id"].as_u64().expect("a parent");
    (pupil, parent)
}

/// Status and body of `/api/v1/people/{id}` for `token`.
fn card(server: &Server, token: &str, id: u64) -> (StatusCode, Value) {
    server.get_json(token, &format!("/api/v1/people/{id}"))
}

#[test]
fn person_cards_follow_each_profile_s_relation_to_the_person() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let lea = id_of(&server, &admin, "eleve.demo");
    let claire = id_of(&server, &admin, "parent.demo");
    let thomas = id_of(&server, &admin, "enseignant.demo");
    let librarian = id_of(&server, &admin, "anne.delaunay");
    let (stranger, stranger_parent) = stranger_to_the_teacher(&server, &admin);
    let visible = |login: &str, expected: &[(u64, bool)]| {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        for (id, sees) in expected {
            let (status, _) = card(&server, &token, *id);
            let wanted = if *sees {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, wanted, "{login} → card {id}");
        }
    };
    visible(
        "eleve.demo",
        &[
            (lea, true),
            (claire, false),
            (thomas, false),
            (stranger, false),
        ],
    );
    visible(
        "parent.demo",
        &[
            (claire, true),
            (lea, true),
            (thomas, false),
            (stranger, false),
            (stranger_parent, false),
        ],
    );
    visible(
        "enseignant.demo",
        &[
            (thomas, true),
            (lea, true),
            (claire, true),
            (librarian, true),
            (stranger, false),
            (stranger_parent, false),
        ],
    );
    visible(
        "anne.delaunay",
        &[
            (lea, true),
            (stranger, true),
            (thomas, true),
            (claire, false),
            (stranger_parent, false),
        ],
    );
    for everyone in [
        "bernard.rousseau",
        "mehdi.ould-ahmed",
        "sylvie.meunier",
        "admin.demo",
    ] {
        visible(
            everyone,
            &[
                (lea, true),
                (claire, true),
                (stranger, true),
                (stranger_parent, true),
                (thomas, true),
            ],
        );
    }

    // The librarian sees a pupil, not the pupil's parents nor their e-mails.
    let (token, _, _) = server.api_login("anne.delaunay", DEMO_PASSWORD);
    let (_, pupil) = card(&server, &token, lea);
    assert!(
        pupil["guardians"].as_array().expect("list").is_empty(),
        "{pupil}"
    );
    // The teacher of 4B sees Léa's parents, with their e-mails.
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, pupil) = card(&server, &token, lea);
    let guardians = pupil["guardians"].as_array().expect("list");
    assert!(
        guardians
            .iter()
            .any(|g| g["display_name"] == "Claire Fontaine" && g["email"].is_string()),
        "{pupil}"
    );
}

#[test]
fn a_forbidden_card_answers_exactly_as_an_unknown_one_on_the_api_and_the_page() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (stranger, stranger_parent) = stranger_to_the_teacher(&server, &admin);
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let unknown = card(&server, &teacher, 999_999);
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
    assert_eq!(unknown.1["error"]["code"], "unknown_person");
    for id in [stranger, stranger_parent] {
        assert_eq!(card(&server, &teacher, id), unknown, "card {id}");
    }

    let browser = server.signed_in_browser("enseignant.demo");
    let page = |id: u64| {
        let response = browser
            .get(server.url(&format!("/personnes/{id}")))
            .send()
            .expect("request");
        (response.status(), response.text().expect("HTML"))
    };
    let (status, unknown_page) = page(999_999);
    assert_eq!(status, StatusCode::NOT_FOUND);
    for id in [stranger, stranger_parent] {
        assert_eq!(
            page(id),
            (StatusCode::NOT_FOUND, unknown_page.clone()),
            "page {id}"
        );
    }
}

/// Every `/personnes/{id}` link of `html`.
fn card_links(html: &str) -> Vec<String> {
    html.split("href=\"/personnes/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| format!("/personnes/{id}"))
        .collect()
}

#[test]
fn class_lists_and_cards_link_only_to_cards_their_reader_can_open() {
    let server = Server::demo();
    for login in ["enseignant.demo", "anne.delaunay"] {
        let browser = server.signed_in_browser(login);
        let class_page = preau_tests::html_of(&browser, &server.url("/classes/4B"));
        let mut links = card_links(&class_page);
        assert!(links.len() > 20, "{login}: {links:?}");
        // Teachers come first, pupils last: the last link is a pupil's card, with relatives.
        let pupil = links.last().cloned().expect("a pupil");
        links.extend(card_links(&preau_tests::html_of(
            &browser,
            &server.url(&pupil),
        )));
        for link in links {
            let status = browser
                .get(server.url(&link))
                .send()
                .expect("request")
                .status();
            assert_eq!(status, StatusCode::OK, "{login} follows {link}");
        }
    }
}

#[test]
fn a_draft_stays_its_author_s_and_only_the_administrator_opens_it_for_support() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let form = reqwest::blocking::multipart::Form::new()
        .text(
            "metadata",
            serde_json::json!({"title": "Zygomorphie des fleurs", "published": false}).to_string(),
        )
        .part(
            "file",
            reqwest::blocking::multipart::Part::bytes(b"zygomorphie : brouillon".to_vec())
                .file_name("notes.txt"),
        );
    let response = preau_tests::Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(&teacher)
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let draft: Value = response.json().expect("JSON");
    let id = draft["id"].as_u64().expect("id");
    let found = |token: &str| {
        let (status, page) = server.get_json(token, "/api/v1/resources?q=zygomorphie");
        assert_eq!(status, StatusCode::OK);
        page["total"].as_u64().expect("total")
    };
    assert_eq!(found(&teacher), 1, "the author finds their draft");
    for login in [
        "bernard.rousseau",
        "mehdi.ould-ahmed",
        "anne.delaunay",
        "admin.demo",
    ] {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        assert_eq!(found(&token), 0, "{login} found a draft");
    }
    for login in [
        "bernard.rousseau",
        "mehdi.ould-ahmed",
        "anne.delaunay",
        "eleve.demo",
    ] {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        let (status, body) = server.get_json(&token, &format!("/api/v1/resources/{id}"));
        assert_eq!(status, StatusCode::NOT_FOUND, "{login}");
        assert_eq!(body["error"]["code"], "unknown_resource");
        let browser = server.signed_in_browser(login);
        for path in [
            format!("/ressources/{id}"),
            format!("/ressources/{id}/fichier"),
        ] {
            let status = browser
                .get(server.url(&path))
                .send()
                .expect("request")
                .status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{login} {path}");
        }
    }
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (status, opened) = server.get_json(&admin, &format!("/api/v1/resources/{id}"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(opened["title"], "Zygomorphie des fleurs");
    let admin_browser = server.signed_in_browser("admin.demo");
    let file = admin_browser
        .get(server.url(&format!("/ressources/{id}/fichier")))
        .send()
        .expect("request");
    assert_eq!(file.status(), StatusCode::OK);
}
