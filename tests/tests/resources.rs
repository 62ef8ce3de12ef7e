//! Finding resources: `GET /api/v1/resources` within what each person may see.

use preau_tests::{Server, StatusCode, DEMO_PASSWORD};
use serde_json::Value;

fn search(server: &Server, token: &str, query: &str) -> Value {
    let (status, page) = server.get_json(token, &format!("/api/v1/resources?{query}"));
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    page
}

#[test]
fn a_pupil_finds_the_resources_of_their_discipline_and_level() {
    let server = Server::demo();
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let page = search(&server, &pupil, "discipline=061300&level=num-021");
    let total = page["total"].as_u64().expect("total");
    assert!(total >= 1, "{page}");
    for hit in page["hits"].as_array().expect("hits") {
        assert!(
            hit["disciplines"]
                .as_array()
                .expect("list")
                .contains(&Value::from("061300")),
            "{hit}"
        );
        assert!(
            hit["levels"]
                .as_array()
                .expect("list")
                .contains(&Value::from("num-021")),
            "{hit}"
        );
        assert!(hit["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")));
    }
    assert_eq!(page["facets"]["discipline"]["061300"].as_u64(), Some(total));
}

#[test]
fn a_pupil_never_gets_a_hit_or_a_count_from_another_class() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let everything = search(&server, &admin, "");
    let mine = search(&server, &pupil, "");
    assert!(mine["total"].as_u64() < everything["total"].as_u64());

    // Resources published to 3e classes only: the pupil of 4B sees none of them, anywhere.
    let mut foreign = Vec::new();
    let mut page = 1;
    loop {
        let listed = search(&server, &admin, &format!("level=num-023&page={page}"));
        let hits = listed["hits"].as_array().expect("hits").clone();
        if hits.is_empty() {
            break;
        }
        for hit in hits {
            let id = hit["id"].as_u64().expect("id");
            let (_, resource) = server.get_json(&admin, &format!("/api/v1/resources/{id}"));
            if resource["audience"]["to"] == "targets" {
                foreign.push(id);
            }
        }
        page += 1;
    }
    assert!(!foreign.is_empty(), "the demo publishes to 3e classes");
    for id in &foreign {
        let (status, _) = server.get_json(&pupil, &format!("/api/v1/resources/{id}"));
        assert_eq!(status, StatusCode::NOT_FOUND, "resource {id}");
    }
    let theirs = search(&server, &pupil, "level=num-023");
    let visible: Vec<u64> = theirs["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_u64())
        .collect();
    assert!(visible.iter().all(|id| !foreign.contains(id)));
    let counted = theirs["facets"]["level"]["num-023"].as_u64().unwrap_or(0);
    assert_eq!(
        counted,
        theirs["total"].as_u64().expect("total"),
        "counts only what they may see"
    );
}

#[test]
fn an_accent_free_or_mistyped_query_still_finds_the_resource() {
    let server = Server::demo();
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let exact = search(&server, &pupil, "q=r%C3%A9soudre");
    let exact_total = exact["total"].as_u64().expect("total");
    assert!(
        exact_total >= 1,
        "the demo has a « Résoudre … » resource for 4B: {exact}"
    );
    let folded = search(&server, &pupil, "q=resoudre");
    assert_eq!(folded["total"].as_u64(), Some(exact_total));
    let typo = search(&server, &pupil, "q=resoudr");
    assert!(typo["total"].as_u64().expect("total") >= 1, "{typo}");
    let snippet = exact["hits"][0]["title_html"].as_str().expect("snippet");
    assert!(snippet.contains("<b>"), "{snippet}");
}

#[test]
fn the_search_needs_a_session_and_an_unknown_resource_is_404() {
    let server = Server::demo();
    let response = reqwest::blocking::get(server.url("/api/v1/resources?q=a")).expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (status, body) = server.get_json(&pupil, "/api/v1/resources/999999");
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "unknown_resource");
}

#[test]
fn the_resource_page_searches_and_filters_with_plain_links_and_forms() {
    let server = Server::demo();
    let browser = server.signed_in_browser("eleve.demo");
    let page = browser
        .get(server.url("/ressources?q=resoudre&discipline=061300"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let html = preau_tests::readable(&page.text().expect("HTML"));
    assert!(
        html.contains("<form method=\"get\" action=\"/ressources\""),
        "{html}"
    );
    assert!(html.contains("<b>"), "matches are highlighted: {html}");
    assert!(html.contains("Mathématiques"));
    assert!(
        html.contains("aria-current=\"true\" class=\"chip\">Mathématiques ("),
        "the chosen discipline is marked: {html}"
    );
    let all = preau_tests::readable(
        &browser
            .get(server.url("/ressources"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(all.contains("ressources</p>"), "a count is shown: {all}");
    assert!(
        all.contains("href=\"/ressources?level=num-021\""),
        "a level facet link: {all}"
    );
}
