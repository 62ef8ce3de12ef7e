//! The administrator imports the académie's files from the admin page: upload, preview (nothing
//! written), apply, history — all as plain forms.

use std::path::Path;

use preau_tests::{
    admin_server, csrf_of, data_dir, readable, Client, Server, StatusCode, ADMIN_LOGIN,
    ADMIN_PASSWORD,
};
use reqwest::blocking::multipart::{Form, Part};

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample")
}

/// A fresh appliance with one administrator, signed in through the form; returns the server,
/// the cookie client, a bearer token and the page's CSRF token.
fn appliance() -> (tempfile::TempDir, Server, Client, String, String) {
    let data = data_dir();
    let (server, token) = admin_server(data.path());
    let browser = server.browser();
    let signed_in = browser
        .post(server.url("/connexion"))
        .form(&[("login", ADMIN_LOGIN), ("password", ADMIN_PASSWORD)])
        .send()
        .expect("request");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(server.url("/admin/annuaire"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_of(&page.text().expect("HTML"));
    (data, server, browser, token, csrf)
}

fn files_form(csrf: Option<&str>, dir: &Path, names: &[&str]) -> Form {
    let mut form = Form::new();
    if let Some(csrf) = csrf {
        form = form.text("csrf", csrf.to_owned());
    }
    for name in names {
        let bytes = std::fs::read(dir.join(name)).expect("fixture");
        form = form.part("fichiers", Part::bytes(bytes).file_name((*name).to_owned()));
    }
    form
}

fn account_total(server: &Server, token: &str) -> u64 {
    let (_, page) = server.get_json(token, "/api/v1/admin/accounts");
    page["total"].as_u64().expect("total")
}

const FULL_EXPORT: [&str; 6] = [
    "ENT2D_Complet_20260901_EtabEducNat_0000.xml",
    "ENT2D_Complet_20260901_MatiereEducNat_0000.xml",
    "ENT2D_Complet_20260901_MefEducNat_0000.xml",
    "ENT2D_Complet_20260901_PersEducNat_0000.xml",
    "ENT2D_Complet_20260901_Eleve_0000.xml",
    "ENT2D_Complet_20260901_PersRelEleve_0000.xml",
];

#[test]
fn an_uploaded_export_is_previewed_without_change_then_applied_and_recorded() {
    let (_data, server, browser, token, csrf) = appliance();
    assert_eq!(account_total(&server, &token), 1);

    let preview = browser
        .post(server.url("/admin/annuaire/verifier"))
        .multipart(files_form(Some(&csrf), &sample(), &FULL_EXPORT))
        .send()
        .expect("request");
    assert_eq!(preview.status(), StatusCode::OK);
    let html = readable(&preview.text().expect("HTML"));
    assert!(
        html.contains("Aperçu de l&#x27;import") || html.contains("Aperçu de l'import"),
        "{html}"
    );
    assert!(
        html.contains("0691234A"),
        "the feed's establishment is adopted: {html}"
    );
    assert!(
        html.contains("<th scope=\"row\">créés</th><td>32</td><td>56</td><td>23</td>"),
        "{html}"
    );
    assert_eq!(
        account_total(&server, &token),
        1,
        "a preview writes nothing"
    );
    let lot = html
        .split("name=\"lot\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an apply form")
        .to_owned();

    let applied = browser
        .post(server.url("/admin/annuaire/appliquer"))
        .form(&[("csrf", csrf.as_str()), ("lot", lot.as_str())])
        .send()
        .expect("request");
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        applied.headers().get("location").map(|v| v.as_bytes()),
        Some(&b"/admin/annuaire?resultat=importe"[..])
    );
    assert_eq!(account_total(&server, &token), 1 + 32 + 56 + 23);
    let page = readable(
        &browser
            .get(server.url("/admin/annuaire?resultat=importe"))
            .send()
            .expect("request")
            .text()
            .expect("HTML"),
    );
    assert!(
        page.contains("L&#x27;import a été appliqué.") || page.contains("L'import a été appliqué.")
    );
    assert!(page.contains("téléversement par admin.college"), "{page}");

    let again = browser
        .post(server.url("/admin/annuaire/appliquer"))
        .form(&[("csrf", csrf.as_str()), ("lot", lot.as_str())])
        .send()
        .expect("request");
    assert_eq!(
        again.status(),
        StatusCode::NOT_FOUND,
        "a lot is applied once"
    );
}

#[test]
fn a_bad_file_is_refused_with_its_errors_and_nothing_is_kept() {
    let (data, server, browser, token, csrf) = appliance();
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/bad");
    let response = browser
        .post(server.url("/admin/annuaire/verifier"))
        .multipart(files_form(Some(&csrf), &bad, &["bad_date.xml"]))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = readable(&response.text().expect("HTML"));
    assert!(html.contains("Import refusé"), "{html}");
    assert!(
        html.contains("bad_date.xml, ligne"),
        "errors name the file and line: {html}"
    );
    assert!(
        html.contains("ENTPersonDateNaissance : « 31/02/2015 » n")
            && html.contains("est pas une date valide (attendu : jj/mm/aaaa)"),
        "the problem is told in French: {html}"
    );
    assert!(!html.contains("name=\"lot\""), "nothing to apply");
    assert_eq!(account_total(&server, &token), 1);
    let staging = data.path().join("inbox").join("staging");
    let left = std::fs::read_dir(&staging)
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "the refused upload is not kept");

    let not_xml = browser
        .post(server.url("/admin/annuaire/verifier"))
        .multipart(Form::new().text("csrf", csrf.clone()).part(
            "fichiers",
            Part::bytes(b"\x89PNG".to_vec()).file_name("photo.png"),
        ))
        .send()
        .expect("request");
    assert_eq!(not_xml.status(), StatusCode::BAD_REQUEST);
    assert!(
        readable(&not_xml.text().expect("HTML")).contains("ni un fichier XML ni une archive zip")
    );
}

#[test]
fn an_upload_without_the_csrf_token_or_by_a_non_administrator_is_refused() {
    let (_data, server, browser, token, _csrf) = appliance();
    let response = browser
        .post(server.url("/admin/annuaire/verifier"))
        .multipart(files_form(None, &sample(), &FULL_EXPORT))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(account_total(&server, &token), 1);

    let demo = Server::demo();
    let teacher = demo.signed_in_browser("enseignant.demo");
    let html = teacher
        .get(demo.url("/"))
        .send()
        .expect("request")
        .text()
        .expect("HTML");
    let csrf = csrf_of(&html);
    let refused = teacher
        .post(demo.url("/admin/annuaire/verifier"))
        .multipart(files_form(Some(&csrf), &sample(), &FULL_EXPORT))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        teacher
            .get(demo.url("/admin/annuaire"))
            .send()
            .expect("request")
            .status(),
        StatusCode::FORBIDDEN
    );
}
