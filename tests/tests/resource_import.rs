//! Bulk import through the page: a teacher uploads a zip of files with its `ressources.csv`; the
//! pupils of the class it is published to then find the resources, and a faulty CSV creates
//! nothing.

use std::io::Write;
use std::path::Path;

use preau_tests::{csrf_of, readable, Client, Server, StatusCode, DEMO_PASSWORD};
use reqwest::blocking::multipart::{Form, Part};

fn collection() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import/collection.zip"))
        .expect("the committed collection")
}

/// The import form as a browser posts it: the CSRF field first, then the file.
fn import_form(csrf: &str, archive: Vec<u8>) -> Form {
    Form::new().text("csrf", csrf.to_owned()).part(
        "archive",
        Part::bytes(archive)
            .file_name("collection.zip")
            .mime_str("application/zip")
            .expect("media type"),
    )
}

/// The teacher's browser on the import page, and the page's CSRF token.
fn import_page(server: &Server) -> (Client, String) {
    let teacher = server.signed_in_browser("enseignant.demo");
    let page = teacher
        .get(server.url("/ressources/import"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_of(&page.text().expect("HTML"));
    (teacher, csrf)
}

fn titles_found(server: &Server, token: &str, query: &str) -> Vec<String> {
    let (status, page) = server.get_json(token, &format!("/api/v1/resources?q={query}"));
    assert_eq!(status, StatusCode::OK, "{page}");
    page["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["title"].as_str().map(str::to_owned))
        .collect()
}

fn total(server: &Server, token: &str) -> u64 {
    let (_, page) = server.get_json(token, "/api/v1/resources");
    page["total"].as_u64().expect("total")
}

#[test]
fn a_teacher_imports_a_collection_that_the_pupils_of_their_class_then_find() {
    let server = Server::demo();
    let (teacher, csrf) = import_page(&server);

    let response = teacher
        .post(server.url("/ressources/import"))
        .multipart(import_form(&csrf, collection()))
        .send()
        .expect("request");

    assert_eq!(response.status(), StatusCode::OK);
    let html = readable(&response.text().expect("HTML"));
    assert!(html.contains("4 ressources ont été importées"), "{html}");
    assert!(html.contains("Repère orthonormé"), "{html}");
    assert!(
        html.contains("href=\"/ressources/"),
        "links to the resources: {html}"
    );
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    assert!(
        titles_found(&server, &pupil, "orthonorme").contains(&"Repère orthonormé".to_owned()),
        "a pupil of 4B finds the image"
    );
    assert!(
        titles_found(&server, &pupil, "pythagore").contains(&"Les fractions : le cours".to_owned()),
        "and the PDF by its text"
    );
}

#[test]
fn a_faulty_csv_is_refused_line_by_line_and_creates_nothing() {
    let server = Server::demo();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let before = total(&server, &admin);
    let (teacher, csrf) = import_page(&server);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("ressources.csv", zip::write::SimpleFileOptions::default())
        .expect("starts");
    zip.write_all(
        "fichier;titre;description;type;disciplines;niveaux;themes;mots_cles;licence;lien;classes\n\
         ;Un bon lien;;;Mathématiques;4e;;;;https://example.org/bon;4B\n\
         ;Un lien fautif;;;Mathématique;4e;;;;https://example.org/fautif;4B\n"
            .as_bytes(),
    )
    .expect("writes");
    let archive = zip.finish().expect("finishes").into_inner();

    let response = teacher
        .post(server.url("/ressources/import"))
        .multipart(import_form(&csrf, archive))
        .send()
        .expect("request");

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = readable(&response.text().expect("HTML"));
    assert!(
        html.contains("Ligne 3 : discipline inconnue « Mathématique »."),
        "{html}"
    );
    assert!(html.contains("Rien n&#x27;a été importé") || html.contains("Rien n'a été importé"));
    assert_eq!(total(&server, &admin), before, "not even the good line");
}

#[test]
fn only_those_who_publish_resources_may_import() {
    let server = Server::demo();
    let pupil = server.signed_in_browser("eleve.demo");
    let page = pupil
        .get(server.url("/ressources/import"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
}
