//! Actualités end to end, with JavaScript off: vie scolaire publishes an illustrated item to
//! 4B through the multipart form; its pupils and their parents read it on the list, the item's
//! page and the home page; 3A does not; a picture that is not an image is refused whole; an
//! item dated later waits for its day.

use std::path::Path;

use preau_tests::{csrf_of, html_of, readable, Client, Server, StatusCode};
use reqwest::blocking::multipart::{Form, Part};
use reqwest::header::{CONTENT_TYPE, LOCATION};

fn publish(
    server: &Server,
    browser: &Client,
    fields: &[(&str, &str)],
    picture: Option<(&str, Vec<u8>)>,
) -> reqwest::blocking::Response {
    let csrf = csrf_of(&html_of(browser, &server.url("/actualites/nouvelle")));
    let mut form = Form::new().text("csrf", csrf);
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = picture {
        form = form.part("fichier", Part::bytes(bytes).file_name(name.to_owned()));
    }
    browser
        .post(server.url("/actualites/nouvelle"))
        .multipart(form)
        .send()
        .expect("request")
}

fn page(browser: &Client, server: &Server, path: &str) -> (StatusCode, String) {
    let response = browser.get(server.url(path)).send().expect("request");
    (
        response.status(),
        readable(&response.text().unwrap_or_default()),
    )
}

#[test]
fn an_item_reaches_its_class_and_their_parents_with_its_picture_and_no_one_else() {
    let server = Server::demo();
    let cpe = server.signed_in_browser("cpe.demo");
    let image = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resources/carte-mentale.png"),
    )
    .expect("fixture");
    let fields = [
        ("titre", "Photo de classe des 4e B"),
        ("texte", "Le photographe passe **jeudi**.\n\nPensez à votre plus beau sourire <script>alert(1)</script>"),
        ("public", "classe:4B"),
        ("du", "2026-01-01"),
        ("une", "oui"),
    ];
    let published = publish(&server, &cpe, &fields, Some(("photo.png", image.clone())));
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let address = published.headers()[LOCATION]
        .to_str()
        .expect("address")
        .to_owned();

    for login in ["eleve.demo", "parent.demo"] {
        let browser = server.signed_in_browser(login);
        let (status, list) = page(&browser, &server, "/actualites");
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("Photo de classe des 4e B"), "{login}: {list}");
        let (_, home) = page(&browser, &server, "/");
        assert!(
            home.contains("Photo de classe des 4e B"),
            "{login}'s home page"
        );
        let (status, item) = page(&browser, &server, &address);
        assert_eq!(status, StatusCode::OK);
        assert!(item.contains("Pensez à votre plus beau sourire"), "{item}");
        assert!(!item.contains("<script>alert"), "cleaned on the server");
        let picture = browser
            .get(server.url(&format!("{address}/image")))
            .send()
            .expect("request");
        assert_eq!(picture.status(), StatusCode::OK);
        assert_eq!(picture.headers()[CONTENT_TYPE], "image/png");
        assert_eq!(picture.bytes().expect("bytes").to_vec(), image);
    }

    // A pupil of 3A finds neither the item nor its picture.
    let (admin, _, _) = server.api_login("admin.demo", preau_tests::DEMO_PASSWORD);
    let (_, others) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_ELV&class=3A&state=active",
    );
    let other = others["accounts"][0]["login"]
        .as_str()
        .expect("a pupil of 3A")
        .to_owned();
    let stranger = server.signed_in_browser(&other);
    let (_, list) = page(&stranger, &server, "/actualites");
    assert!(!list.contains("Photo de classe des 4e B"));
    assert_eq!(page(&stranger, &server, &address).0, StatusCode::NOT_FOUND);
    assert_eq!(
        page(&stranger, &server, &format!("{address}/image")).0,
        StatusCode::NOT_FOUND
    );

    // A picture that is not an image is refused, in French, with what was typed; nothing is
    // published.
    let refused = publish(
        &server,
        &cpe,
        &[
            ("titre", "Affiche piégée"),
            ("texte", "Texte"),
            ("public", "etablissement"),
            ("du", "2026-01-01"),
        ],
        Some((
            "affiche.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
        )),
    );
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let answer = readable(&refused.text().expect("HTML"));
    assert!(
        answer.contains("L'illustration doit être une image"),
        "{answer}"
    );
    assert!(answer.contains("Affiche piégée"), "what was typed is kept");
    let (_, list) = page(
        &server.signed_in_browser("eleve.demo"),
        &server,
        "/actualites",
    );
    assert!(!list.contains("Affiche piégée"));

    // An item dated later waits for its day; its author sees it coming.
    let later = publish(
        &server,
        &cpe,
        &[
            ("titre", "Vacances d'été"),
            ("texte", "Bonnes vacances à tous !"),
            ("public", "etablissement"),
            ("du", "2099-07-01"),
        ],
        None,
    );
    assert_eq!(later.status(), StatusCode::SEE_OTHER);
    let (_, list) = page(
        &server.signed_in_browser("eleve.demo"),
        &server,
        "/actualites",
    );
    assert!(!list.contains("Vacances d'été"));
    let (_, own) = page(&cpe, &server, "/actualites");
    assert!(
        own.contains("Vacances d'été") && own.contains("À partir du"),
        "{own}"
    );
}
