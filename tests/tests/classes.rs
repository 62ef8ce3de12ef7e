//! Class lists: `GET /api/v1/classes`, `GET /api/v1/classes/{code}/members` and their pages, for
//! those allowed to see them.

use preau_tests::{readable, Server, StatusCode, DEMO_PASSWORD};
use serde_json::Value;

#[test]
fn the_administrator_lists_every_class_with_its_level_and_pupil_count() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (status, classes) = server.get_json(&token, "/api/v1/classes");
    assert_eq!(status, StatusCode::OK);
    let classes = classes.as_array().expect("a list");
    assert_eq!(classes.len(), 12);
    assert_eq!(classes[0]["code"], "6A");
    assert_eq!(classes[0]["label"], "6e A");
    assert_eq!(classes[0]["level"], "6e");
    let total: u64 = classes
        .iter()
        .map(|c| c["pupils"].as_u64().expect("count"))
        .sum();
    let (_, pupils) = server.get_json(&token, "/api/v1/admin/accounts?profile=National_ELV");
    assert_eq!(total, pupils["total"].as_u64().expect("total"));
}

#[test]
fn a_teacher_sees_their_own_classes_only() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, me) = server.get_json(&token, "/api/v1/me");
    let (status, classes) = server.get_json(&token, "/api/v1/classes");
    assert_eq!(status, StatusCode::OK);
    let codes: Vec<&str> = classes
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    let mine: Vec<&str> = me["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(codes, mine);
    assert!(codes.contains(&"4B"));
    let other = [
        "6A", "6B", "6C", "5A", "5B", "5C", "4A", "4B", "4C", "3A", "3B", "3C",
    ]
    .into_iter()
    .find(|code| !codes.contains(code))
    .expect("a class this teacher does not teach");
    let (status, body) = server.get_json(&token, &format!("/api/v1/classes/{other}/members"));
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "as for a class that does not exist"
    );
    assert_eq!(body["error"]["code"], "unknown_class");
    let (_, unknown) = server.get_json(&token, "/api/v1/classes/9Z/members");
    assert_eq!(unknown, body, "the same answer, word for word");
}

#[test]
fn class_members_are_the_pupils_of_the_class_and_its_teaching_team() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (status, members) = server.get_json(&token, "/api/v1/classes/4B/members");
    assert_eq!(status, StatusCode::OK);
    let pupils = members["pupils"].as_array().expect("pupils");
    assert!((24..=30).contains(&pupils.len()), "{} pupils", pupils.len());
    assert!(pupils
        .iter()
        .any(|p| p["login"] == "eleve.demo" && p["display_name"] == "Léa Fontaine"));
    for pupil in pupils {
        assert!(
            pupil["id"].is_u64() && pupil["state"].is_string(),
            "{pupil}"
        );
    }
    let teachers = members["teachers"].as_array().expect("teachers");
    let me = teachers
        .iter()
        .find(|t| t["login"] == "enseignant.demo")
        .expect("the maths teacher");
    assert_eq!(me["principal"], true);
    assert!(me["subjects"]
        .as_array()
        .expect("subjects")
        .contains(&Value::from("Mathématiques")));
    // Every pupil of the class is found in the admin's view of class 4B.
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, listed) = server.get_json(&admin, "/api/v1/admin/accounts?class=4B");
    assert_eq!(listed["total"].as_u64(), Some(pupils.len() as u64));
}

#[test]
fn pupils_and_parents_get_no_class_list_and_an_unknown_class_is_404() {
    let server = Server::demo();
    for login in ["eleve.demo", "parent.demo"] {
        let (token, _, _) = server.api_login(login, DEMO_PASSWORD);
        assert_eq!(
            server.get_json(&token, "/api/v1/classes").0,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            server.get_json(&token, "/api/v1/classes/4B/members").0,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        let page = server
            .signed_in_browser(login)
            .get(server.url("/classes"))
            .send()
            .expect("request");
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{login}");
    }
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (status, body) = server.get_json(&admin, "/api/v1/classes/9Z/members");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_class");
}

#[test]
fn the_class_pages_show_the_team_and_the_pupils_without_javascript() {
    let server = Server::demo();
    let browser = server.signed_in_browser("enseignant.demo");
    let list = readable(
        &browser
            .get(server.url("/classes"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(list.contains("href=\"/classes/4B\""), "{list}");
    let page = browser
        .get(server.url("/classes/4B"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let html = readable(&page.text().expect("HTML"));
    assert!(html.contains("Classe de 4e B"));
    assert!(html.contains("Équipe pédagogique"));
    assert!(html.contains("Thomas Moreau"));
    assert!(html.contains("Mathématiques · professeur principal"));
    assert!(html.contains("Léa Fontaine"));
}

#[test]
fn a_persons_card_follows_who_is_looking() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, lea) = server.get_json(&admin, "/api/v1/admin/accounts/eleve.demo");
    let lea = lea["id"].as_u64().expect("id");
    let (_, other) = server.get_json(&admin, "/api/v1/admin/accounts?class=5A");
    let stranger = other["accounts"][0]["id"].as_u64().expect("id");

    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (status, card) = server.get_json(&teacher, &format!("/api/v1/people/{lea}"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(card["display_name"], "Léa Fontaine");
    assert_eq!(card["class"], serde_json::json!(["4B", "4e B"]));
    let guardians = card["guardians"].as_array().expect("guardians");
    assert!(
        guardians
            .iter()
            .any(|g| g["display_name"] == "Claire Fontaine" && g["email"].is_string()),
        "{card}"
    );

    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (status, own) = server.get_json(&parent, &format!("/api/v1/people/{lea}"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        own["guardians"].as_array().expect("list").is_empty(),
        "parents do not get contact lists"
    );
    assert_eq!(
        server
            .get_json(&parent, &format!("/api/v1/people/{stranger}"))
            .0,
        StatusCode::NOT_FOUND,
        "a card one may not see answers as an unknown one"
    );

    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    assert_eq!(
        server.get_json(&pupil, &format!("/api/v1/people/{lea}")).0,
        StatusCode::OK
    );
    assert_eq!(
        server
            .get_json(&pupil, &format!("/api/v1/people/{stranger}"))
            .0,
        StatusCode::NOT_FOUND
    );

    let (status, body) = server.get_json(&admin, "/api/v1/people/999999");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_person");
    assert_eq!(
        server.get_json(&admin, "/api/v1/people/abc").0,
        StatusCode::NOT_FOUND
    );

    let page = readable(
        &server
            .signed_in_browser("enseignant.demo")
            .get(server.url(&format!("/personnes/{lea}")))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(
        page.contains("Responsables") && page.contains("Claire Fontaine"),
        "{page}"
    );
    let class_page = readable(
        &server
            .signed_in_browser("enseignant.demo")
            .get(server.url("/classes/4B"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(
        class_page.contains(&format!("href=\"/personnes/{lea}\"")),
        "names link to cards"
    );
}
