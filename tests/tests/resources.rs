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
        // A link opens where it points; a package on its own page; a document from its file.
        assert!(hit["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")
                || u == format!("/ressources/{}", hit["id"])
                || u == format!("/ressources/{}/fichier", hit["id"])));
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
    let first = search(&server, &admin, "level=num-023");
    let total = first["total"].as_u64().expect("total");
    let per_page = first["per_page"].as_u64().expect("per page");
    for page in 1..=total.div_ceil(per_page) {
        let listed = search(&server, &admin, &format!("level=num-023&page={page}"));
        let hits = listed["hits"].as_array().expect("hits").clone();
        assert!(!hits.is_empty(), "page {page} of {total} hits");
        for hit in hits {
            let id = hit["id"].as_u64().expect("id");
            let (_, resource) = server.get_json(&admin, &format!("/api/v1/resources/{id}"));
            if resource["audience"]["to"] == "targets" {
                foreign.push(id);
            }
        }
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

/// The page's view as JSON, as the hydrated page fetches it with the session cookie.
fn view_json(browser: &preau_tests::Client, server: &Server, href: &str) -> Value {
    let json = href.replacen("/ressources", "/ressources.json", 1);
    let response = browser.get(server.url(&json)).send().expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{json}");
    response.json().expect("JSON")
}

fn page_html(browser: &preau_tests::Client, server: &Server, href: &str) -> String {
    let response = browser.get(server.url(href)).send().expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{href}");
    preau_tests::readable(&response.text().expect("HTML"))
}

/// An `href` as it appears in an HTML attribute.
fn attribute(href: &str) -> String {
    format!("href=\"{}\"", href.replace('&', "&amp;"))
}

fn facet_counts(links: &Value) -> Vec<(String, u64)> {
    links
        .as_array()
        .expect("facet links")
        .iter()
        .map(|link| {
            (
                link["label"].as_str().expect("label").to_owned(),
                link["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

#[test]
fn the_json_view_of_the_page_needs_a_session() {
    let server = Server::demo();
    let anonymous = server.browser();
    let response = anonymous
        .get(server.url("/ressources.json?q=fractions"))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().expect("JSON error");
    assert_eq!(body["error"]["code"], "unauthenticated");
    let page = anonymous
        .get(server.url("/ressources?q=fractions"))
        .send()
        .expect("request");
    assert_eq!(
        page.status(),
        StatusCode::SEE_OTHER,
        "the page sends to sign-in"
    );
}

#[test]
fn the_json_view_counts_only_what_is_published_to_the_pupil() {
    let server = Server::demo();
    let (pupil_token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let pupil = server.signed_in_browser("eleve.demo");
    let admin = server.signed_in_browser("admin.demo");

    let theirs = view_json(&pupil, &server, "/ressources?level=num-023");
    let everything = view_json(&admin, &server, "/ressources?level=num-023");
    let total = theirs["total"].as_u64().expect("total");
    assert!(total < everything["total"].as_u64().expect("total"));
    // The same search through the API, for the same person: the same numbers.
    let api = search(&server, &pupil_token, "level=num-023");
    assert_eq!(api["total"].as_u64(), Some(total));
    assert_eq!(
        facet_counts(&theirs["level_facets"])
            .iter()
            .find(|(label, _)| label == "3e")
            .map(|(_, count)| *count),
        (total > 0).then_some(total)
    );
    // Every resource has one kind: the kind counts add up to what the pupil may see.
    let kinds: u64 = facet_counts(&theirs["kind_facets"])
        .iter()
        .map(|(_, count)| count)
        .sum();
    assert_eq!(kinds, total, "{theirs}");
    for (label, count) in facet_counts(&theirs["discipline_facets"]) {
        let everyone: u64 = facet_counts(&everything["discipline_facets"])
            .iter()
            .find(|(other, _)| *other == label)
            .map(|(_, count)| *count)
            .expect("the administrator sees it too");
        assert!(count <= everyone, "{label}: {count} > {everyone}");
    }
    for hit in theirs["hits"].as_array().expect("hits") {
        let href = hit["href"].as_str().expect("href");
        let id = href.strip_prefix("/ressources/").expect("own page");
        let (status, _) = server.get_json(&pupil_token, &format!("/api/v1/resources/{id}"));
        assert_eq!(status, StatusCode::OK, "{href} is meant for the pupil");
    }
}

#[test]
fn the_theme_facet_walks_down_the_programme_and_back_up_keeping_the_filters() {
    let server = Server::demo();
    let pupil = server.signed_in_browser("eleve.demo");
    let start = "/ressources?discipline=061300&sort=date";
    let top = view_json(&pupil, &server, start);
    let total = top["total"].as_u64().expect("total");
    assert!(total >= 1, "the pupil has mathematics resources: {top}");
    assert_eq!(top["theme_facet"]["path"], Value::Array(Vec::new()));
    let roots = top["theme_facet"]["children"].as_array().expect("roots");
    let maths = roots
        .iter()
        .find(|link| link["label"] == "Mathématiques")
        .expect("the mathematics programme is offered");
    let maths_href = maths["href"].as_str().expect("href");
    assert_eq!(
        maths_href,
        "/ressources?discipline=061300&theme=061300&sort=date"
    );
    let html = page_html(&pupil, &server, start);
    assert!(
        html.contains("aria-label=\"Thèmes du programme\""),
        "{html}"
    );
    assert!(html.contains(&attribute(maths_href)), "{html}");

    let discipline = view_json(&pupil, &server, maths_href);
    assert_eq!(discipline["total"], maths["count"]);
    let cycle = discipline["theme_facet"]["children"]
        .as_array()
        .expect("cycles")
        .iter()
        .find(|link| link["label"] == "Mathématiques (cycle 4)")
        .expect("a 4e pupil has cycle 4 resources")
        .clone();
    let cycle_href = cycle["href"].as_str().expect("href");

    let chosen = view_json(&pupil, &server, cycle_href);
    assert_eq!(chosen["total"], cycle["count"]);
    assert_eq!(chosen["theme"], "num-947");
    let path: Vec<(&str, &str, bool)> = chosen["theme_facet"]["path"]
        .as_array()
        .expect("path")
        .iter()
        .map(|link| {
            (
                link["label"].as_str().expect("label"),
                link["href"].as_str().expect("href"),
                link["selected"].as_bool().expect("selected"),
            )
        })
        .collect();
    assert_eq!(
        path,
        [
            (
                "Tous les thèmes",
                "/ressources?discipline=061300&sort=date",
                false
            ),
            ("Mathématiques", maths_href, false),
            ("Mathématiques (cycle 4)", cycle_href, true),
        ]
    );
    let html = page_html(&pupil, &server, cycle_href);
    assert!(
        html.contains(&format!(
            "{}>Tous les thèmes</a>",
            attribute("/ressources?discipline=061300&sort=date")
        )),
        "a breadcrumb link goes back up: {html}"
    );
    assert!(
        html.contains("<a aria-current=\"true\">Mathématiques (cycle 4)</a>"),
        "the chosen node is not a link: {html}"
    );
    assert!(
        html.contains("<input type=\"hidden\" name=\"theme\" value=\"num-947\""),
        "the form keeps the theme: {html}"
    );
    assert!(
        html.contains("<option value=\"date\" selected"),
        "the form keeps the sort: {html}"
    );
}

#[test]
fn the_kind_facet_names_kinds_in_french_and_filters_by_them() {
    let server = Server::demo();
    let pupil = server.signed_in_browser("eleve.demo");
    let all = view_json(&pupil, &server, "/ressources?level=num-021");
    let kinds = all["kind_facets"].as_array().expect("kinds");
    assert!(!kinds.is_empty(), "{all}");
    let labels = [
        "Document",
        "Lien",
        "Vidéo",
        "Audio",
        "Image",
        "Module interactif",
        "Exercice",
    ];
    for kind in kinds {
        assert!(
            labels.contains(&kind["label"].as_str().expect("label")),
            "{kind}"
        );
    }
    let kind = &kinds[0];
    let href = kind["href"].as_str().expect("href");
    assert!(
        href.starts_with("/ressources?level=num-021&kind="),
        "{href}"
    );
    let html = page_html(&pupil, &server, "/ressources?level=num-021");
    assert!(html.contains("aria-label=\"Types\""), "{html}");
    assert!(html.contains(&attribute(href)), "{html}");

    let filtered = view_json(&pupil, &server, href);
    assert_eq!(filtered["total"], kind["count"]);
    let label = kind["label"].as_str().expect("label");
    for hit in filtered["hits"].as_array().expect("hits") {
        let detail = hit["detail"].as_str().expect("detail");
        assert!(detail.starts_with(&format!("{label} · ")), "{detail}");
    }
    let selected = &filtered["kind_facets"][0];
    assert_eq!(selected["selected"], true);
    assert_eq!(
        selected["href"], "/ressources?level=num-021",
        "the chosen kind's link removes it"
    );
}

#[test]
fn discipline_and_level_words_become_filters_the_pupil_sees_and_can_remove() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let api = search(&server, &token, "q=maths%204eme%20pythagore");
    assert_eq!(
        api["understood"],
        serde_json::json!([
            {"facet": "discipline", "value": "061300", "words": "maths"},
            {"facet": "level", "value": "num-021", "words": "4eme"}
        ])
    );
    assert_eq!(api["hits"][0]["title"], "Le théorème de Pythagore", "{api}");
    for hit in api["hits"].as_array().expect("hits") {
        assert!(hit["levels"]
            .as_array()
            .expect("levels")
            .contains(&Value::from("num-021")));
    }

    let pupil = server.signed_in_browser("eleve.demo");
    let view = view_json(&pupil, &server, "/ressources?q=maths+4eme+pythagore");
    assert_eq!(view["query"], "maths 4eme pythagore", "the words as typed");
    assert_eq!(view["discipline"], "", "no discipline was chosen");
    assert_eq!(view["level"], "");
    let understood = view["understood"].as_array().expect("understood");
    assert_eq!(understood.len(), 2, "{view}");
    assert_eq!(understood[0]["label"], "Mathématiques");
    assert_eq!(
        understood[0]["remove_href"], "/ressources?q=4eme+pythagore",
        "removing the filter removes its words"
    );
    let html = page_html(&pupil, &server, "/ressources?q=maths+4eme+pythagore");
    assert!(html.contains("Compris"), "{html}");
    assert!(
        html.contains(&attribute("/ressources?q=4eme+pythagore")),
        "{html}"
    );
}

#[test]
fn without_javascript_a_filter_read_in_the_words_leaves_with_them() {
    let server = Server::demo();
    let pupil = server.signed_in_browser("eleve.demo");
    let with_words = view_json(&pupil, &server, "/ressources?q=maths+fract");
    assert_eq!(with_words["query"], "maths fract", "{with_words}");
    assert_eq!(with_words["discipline"], "");
    assert_eq!(
        with_words["understood"][0]["remove_href"],
        "/ressources?q=fract"
    );
    for link in with_words["discipline_facets"].as_array().expect("facets") {
        assert!(
            !link["href"].as_str().expect("href").contains("maths"),
            "a facet link sets the filter in place of the words: {link}"
        );
    }
    // The form resubmitted without « maths », as the page rendered it: no filter any more.
    let without_words = view_json(&pupil, &server, "/ressources?q=fract");
    assert_eq!(without_words["understood"], serde_json::json!([]));
    assert_eq!(without_words["discipline"], "");
    let html = page_html(&pupil, &server, "/ressources?q=fract");
    assert!(!html.contains("Compris"), "{html}");
    // A discipline chosen in the select stays, words or not.
    let chosen = view_json(&pupil, &server, "/ressources?q=fract&discipline=020700");
    assert_eq!(chosen["discipline"], "020700");
    assert_eq!(chosen["understood"], serde_json::json!([]));
}

#[test]
fn a_word_only_a_demo_pdf_holds_finds_its_resource() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    // « cloportes » is only in the protocol attached to this resource, a PDF: the search found
    // it through the text extracted from the file.
    let page = search(&server, &token, "q=cloportes");
    assert_eq!(page["total"], 1, "{page}");
    let hit = &page["hits"][0];
    assert_eq!(
        hit["title"],
        "La biodiversité au collège : inventaire de la cour"
    );
    assert!(
        !hit.to_string().to_lowercase().contains("cloporte"),
        "{hit}"
    );
    let url = hit["url"].as_str().expect("url");
    assert_eq!(url, format!("/ressources/{}/fichier", hit["id"]));

    let pupil = server.signed_in_browser("eleve.demo");
    let file = pupil.get(server.url(url)).send().expect("file");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()["content-type"].to_str().expect("type"),
        "application/pdf"
    );
    assert!(file.bytes().expect("bytes").starts_with(b"%PDF-"));
}

#[test]
fn a_query_that_finds_nothing_offers_the_closest_words() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let api = search(&server, &token, "q=pytagorr");
    assert_eq!(api["total"], 0);
    assert_eq!(api["did_you_mean"], "pythagore", "{api}");
    let pupil = server.signed_in_browser("eleve.demo");
    let html = page_html(&pupil, &server, "/ressources?q=pytagorr");
    assert!(html.contains("Vouliez-vous dire"), "{html}");
    assert!(
        html.contains(&attribute("/ressources?q=pythagore")),
        "{html}"
    );
    let found = search(&server, &token, "q=pythagore");
    assert!(found["total"].as_u64().expect("total") > 0);
    assert_eq!(found["did_you_mean"], Value::Null);
}
