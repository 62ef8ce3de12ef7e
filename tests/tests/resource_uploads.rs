//! Publishing resources of every kind through the API and the pages: files and packages are
//! stored, served only to their audience, found at once, and bad packages are refused.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use preau_tests::{cli, csrf_of, html_of, readable, Client, Server, StatusCode, DEMO_PASSWORD};
use reqwest::blocking::multipart::{Form, Part};
use serde_json::{json, Value};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).expect("fixture")
}

/// Maths, 4e, published to 4B: what enseignant.demo teaches and eleve.demo (4B) sees.
fn metadata(title: &str, kind: Option<&str>) -> Value {
    json!({
        "title": title,
        "description": "Lire et écrire les nombres de l'Égypte ancienne.",
        "kind": kind,
        "disciplines": ["061300"],
        "levels": ["num-021", "num-631"],
        "keywords": ["numération"],
        "licence": "CC BY 4.0",
        "audience": {"to": "targets", "targets": [{"kind": "class", "code": "4B"}]},
    })
}

fn create_json(server: &Server, token: &str, body: &Value) -> (StatusCode, Value) {
    let response = Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(token)
        .json(body)
        .send()
        .expect("request");
    let status = response.status();
    (status, response.json().unwrap_or(Value::Null))
}

fn create_upload(
    server: &Server,
    token: &str,
    metadata: &Value,
    name: &str,
    content: Vec<u8>,
) -> (StatusCode, Value) {
    let form = Form::new()
        .text("metadata", metadata.to_string())
        .part("file", Part::bytes(content).file_name(name.to_owned()));
    let response = Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .expect("request");
    let status = response.status();
    (status, response.json().unwrap_or(Value::Null))
}

fn created(answer: (StatusCode, Value)) -> Value {
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    answer.1
}

fn search(server: &Server, token: &str, query: &str) -> Value {
    let (status, page) = server.get_json(token, &format!("/api/v1/resources?{query}"));
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    page
}

fn ids(page: &Value) -> BTreeSet<u64> {
    page["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["id"].as_u64())
        .collect()
}

/// A pupil of 5A (not taught by enseignant.demo in maths for 4B): their token.
fn pupil_of_5a(server: &Server) -> String {
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, listed) = server.get_json(&admin, "/api/v1/admin/accounts?class=5A");
    let login = listed["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["profile"] == "National_ELV" && a["state"] == "active")
        .and_then(|a| a["login"].as_str())
        .expect("a pupil of 5A")
        .to_owned();
    server.api_login(&login, DEMO_PASSWORD).0
}

/// Files stored under data/files (the staging folder aside).
fn stored_blobs(data: &Path) -> usize {
    let root = data.join("files");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "tmp" && e.path().is_dir())
        .map(|dir| {
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0)
        })
        .sum()
}

#[test]
fn a_teacher_publishes_each_kind_and_only_pupils_of_the_class_find_and_open_them() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let mut made = BTreeSet::new();
    let mut by_kind = std::collections::BTreeMap::new();
    let mut keep = |resource: Value| {
        let id = resource["id"].as_u64().expect("id");
        made.insert(id);
        by_kind.insert(
            resource["kind"].as_str().expect("kind").to_owned(),
            resource,
        );
        id
    };
    let mut link = metadata("Hiéroglyphes : le site du musée", Some("link"));
    link["url"] = json!("https://example.org/hieroglyphes");
    keep(created(create_json(&server, &teacher, &link)));
    let mut video = metadata("Hiéroglyphes en vidéo", Some("video"));
    video["url"] = json!("https://video.example.org/hieroglyphes");
    keep(created(create_json(&server, &teacher, &video)));
    // Kinds inferred from the files, or said; a SCORM package's manifest gives the title when
    // none is typed.
    let uploads = [
        (
            "Hiéroglyphes : fiche de cours",
            None,
            "fiche-hiéroglyphes.pdf",
            "resources/fractions.pdf",
        ),
        (
            "Hiéroglyphes : carte mentale",
            None,
            "carte.png",
            "resources/carte-mentale.png",
        ),
        (
            "Hiéroglyphes : la dictée",
            None,
            "dictee.wav",
            "resources/la-440.wav",
        ),
        (
            "Hiéroglyphes : exercices",
            Some("exercise"),
            "exercices.html",
            "resources/fractions.html",
        ),
        (
            "",
            Some("package"),
            "module.zip",
            "packages/scorm12-fractions.zip",
        ),
    ];
    let [pdf, image, audio, _exercise, package] = uploads.map(|(title, kind, name, path)| {
        keep(created(create_upload(
            &server,
            &teacher,
            &metadata(title, kind),
            name,
            bytes(path),
        )))
    });
    assert_eq!(by_kind.len(), 7, "{by_kind:?}");
    assert_eq!(
        by_kind["document"]["content"]["file"]["media_type"],
        "application/pdf"
    );
    assert_eq!(by_kind["image"]["content"]["type"], "file");
    assert_eq!(
        by_kind["package"]["content"]["package"]["standard"],
        "scorm12"
    );
    assert!(
        !by_kind["package"]["title"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "the manifest's title: {}",
        by_kind["package"]
    );
    // The package's title comes from its manifest: make it findable with the others.
    let mut renamed = metadata("Hiéroglyphes : le module interactif", Some("package"));
    renamed["title"] = json!("Hiéroglyphes : le module interactif");
    let response = Client::new()
        .put(server.url(&format!("/api/v1/resources/{package}")))
        .bearer_auth(&teacher)
        .json(&renamed)
        .send()
        .expect("request");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the package keeps its file"
    );

    // The pupil of 4B: by discipline and level, accent-free and with a typo.
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let found = search(
        &server,
        &pupil,
        "q=hieroglpyhes&discipline=061300&level=num-021",
    );
    assert_eq!(ids(&found), made, "{found}");
    assert_eq!(
        found["facets"]["kind"].as_object().map(|k| k.len()),
        Some(7)
    );
    // Text extracted from the PDF is searched too.
    let inside = search(&server, &pupil, "q=denominateur");
    assert!(ids(&inside).contains(&pdf), "{inside}");

    // A pupil of another class: no hit, no count.
    let stranger = pupil_of_5a(&server);
    let nothing = search(&server, &stranger, "q=hieroglpyhes");
    assert_eq!(nothing["total"], 0, "{nothing}");
    for facet in ["discipline", "level", "kind", "theme"] {
        assert!(
            nothing["facets"][facet]
                .as_object()
                .is_none_or(|counts| counts.is_empty()),
            "{facet}: {nothing}"
        );
    }
    let (status, _) = server.get_json(&stranger, &format!("/api/v1/resources/{pdf}"));
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Files are served to the class, inline when the browser can show them, with ranges.
    let lea = server.signed_in_browser("eleve.demo");
    let response = lea
        .get(server.url(&format!("/ressources/{pdf}/fichier")))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii");
    assert!(disposition.starts_with("inline"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''fiche-hi%C3%A9roglyphes.pdf"));
    assert_eq!(
        response.bytes().expect("body").as_ref(),
        bytes("resources/fractions.pdf")
    );
    let response = lea
        .get(server.url(&format!("/ressources/{image}/fichier")))
        .send()
        .expect("request");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(csp.starts_with("sandbox;"), "{csp}");
    let response = lea
        .get(server.url(&format!("/ressources/{audio}/fichier")))
        .header("range", "bytes=0-11")
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        response.bytes().expect("body").as_ref(),
        &bytes("resources/la-440.wav")[..12]
    );
    let outsider = Client::new()
        .get(server.url(&format!("/ressources/{pdf}/fichier")))
        .bearer_auth(&stranger)
        .send()
        .expect("request");
    assert_eq!(outsider.status(), StatusCode::NOT_FOUND);

    // The resource's page previews; the package runs from a signed, sandboxed address.
    let page = html_of(&lea, &server.url(&format!("/ressources/{package}")));
    let start = page.find("/paquets/").expect("the package's address");
    let address: String = page[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect::<String>()
        .replace("&amp;", "&");
    let anonymous = Client::new();
    let response = anonymous.get(server.url(&address)).send().expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{address}");
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.starts_with("sandbox allow-scripts"), "{csp}");
    assert!(!csp.contains("allow-same-origin"), "{csp}");
    assert!(response.text().expect("HTML").contains("<html"));
    let token_end = address["/paquets/".len()..].find('/').expect("token") + "/paquets/".len();
    let forged = format!("{}x{}", &address[..token_end - 1], &address[token_end..]);
    let response = anonymous.get(server.url(&forged)).send().expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{forged}");
    let escape = format!("{}/..%2F..%2Fimsmanifest.xml", &address[..token_end]);
    let response = anonymous.get(server.url(&escape)).send().expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "{escape}");
}

#[test]
fn updates_and_deletions_show_in_search_at_once_and_a_reindex_finds_the_same() {
    let mut server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let resource = created(create_upload(
        &server,
        &teacher,
        &metadata("Zébulon et les fractions", None),
        "zebulon.pdf",
        bytes("resources/fractions.pdf"),
    ));
    let id = resource["id"].as_u64().expect("id");
    assert_eq!(
        ids(&search(&server, &pupil, "q=zebulon")),
        BTreeSet::from([id])
    );
    let blobs = stored_blobs(&server.data);

    // Retitled, and its file replaced by an image: the old words and the old blob are gone.
    let form = Form::new()
        .text(
            "metadata",
            metadata("Ornithorynque et les fractions", None).to_string(),
        )
        .part(
            "file",
            Part::bytes(bytes("resources/carte-mentale.png")).file_name("carte.png"),
        );
    let response = Client::new()
        .put(server.url(&format!("/api/v1/resources/{id}")))
        .bearer_auth(&teacher)
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let updated: Value = response.json().expect("JSON");
    assert_eq!(updated["kind"], "image");
    assert_eq!(search(&server, &pupil, "q=zebulon")["total"], 0);
    assert_eq!(
        ids(&search(&server, &pupil, "q=ornithorynque")),
        BTreeSet::from([id])
    );
    assert_eq!(
        stored_blobs(&server.data),
        blobs,
        "the PDF's blob went with it"
    );

    // A colleague cannot touch it; a pupil cannot write at all.
    let (pupil_write, _) = create_json(&server, &pupil, &metadata("Intrus", Some("link")));
    assert_eq!(pupil_write, StatusCode::FORBIDDEN);

    // Capture what several people find, reindex from the store, and find the same.
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let queries = [
        (pupil.clone(), "q=ornithorynque"),
        (pupil.clone(), "discipline=061300&level=num-021"),
        (admin.clone(), "q=fractions&page=2"),
        (admin.clone(), "kind=package"),
    ];
    let before: Vec<(Value, BTreeSet<u64>)> = queries
        .iter()
        .map(|(token, q)| {
            let page = search(&server, token, q);
            (page["total"].clone(), ids(&page))
        })
        .collect();
    server.terminate();
    let (status, output) = cli(&server.data, &["search", "reindex"]);
    assert!(status.success(), "{output}");
    std::fs::remove_dir_all(server.data.join("index")).expect("index removed");
    server.restart();
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let after: Vec<(Value, BTreeSet<u64>)> = queries
        .iter()
        .map(|(token, q)| {
            let token = if *token == queries[0].0 {
                &pupil
            } else {
                &admin
            };
            let page = search(&server, token, q);
            (page["total"].clone(), ids(&page))
        })
        .collect();
    assert_eq!(before, after);
    assert_eq!(
        ids(&search(&server, &pupil, "q=ornithorynque")),
        BTreeSet::from([id])
    );

    // Deleted: gone from search, from the API and from the disk.
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let response = Client::new()
        .delete(server.url(&format!("/api/v1/resources/{id}")))
        .bearer_auth(&teacher)
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(search(&server, &pupil, "q=ornithorynque")["total"], 0);
    let (status, _) = server.get_json(&pupil, &format!("/api/v1/resources/{id}"));
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored_blobs(&server.data), blobs - 1);
}

/// Posts a page's multipart form, as a browser without JavaScript does.
fn submit(browser: &Client, url: &str, form: Form) -> reqwest::blocking::Response {
    browser.post(url).multipart(form).send().expect("request")
}

/// A zip whose one entry is 50 MiB of zeros: about 50 KiB packed, a ratio near 1000.
fn zip_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("index.html", zip::write::SimpleFileOptions::default())
        .expect("entry");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..50 {
        zip.write_all(&zeros).expect("writes");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn zip_slip_and_zip_bomb_packages_are_refused_in_french_and_nothing_is_kept() {
    let server = Server::demo_with(&[("PREAU_FILES_QUOTA_PER_USER_MB", "1")]);
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let total = search(&server, &admin, "")["total"].clone();
    let blobs = stored_blobs(&server.data);

    let (status, answer) = create_upload(
        &server,
        &teacher,
        &metadata("Module piégé", Some("package")),
        "piege.zip",
        bytes("packages/zip-slip.zip"),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "invalid_package");
    let message = answer["error"]["message"].as_str().expect("message");
    assert!(message.contains("sort du dossier du paquet"), "{message}");

    let (status, answer) = create_upload(
        &server,
        &teacher,
        &metadata("Module énorme", Some("package")),
        "bombe.zip",
        zip_bomb(),
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bombe zip")),
        "{answer}"
    );

    // The same refusal through the page, without JavaScript: the form again, with the reason.
    let browser = server.signed_in_browser("enseignant.demo");
    let html = html_of(&browser, &server.url("/ressources/nouvelle"));
    let form = Form::new()
        .text("csrf", csrf_of(&html))
        .text("titre", "Module piégé")
        .text("type", "package")
        .text("public", "etablissement")
        .text("publier", "oui")
        .part(
            "fichier",
            Part::bytes(bytes("packages/zip-slip.zip")).file_name("piege.zip"),
        );
    let response = submit(&browser, &server.url("/ressources/nouvelle"), form);
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text().expect("HTML"));
    assert!(
        page.contains("sort du dossier du paquet (zip-slip)"),
        "{page}"
    );
    assert!(page.contains("Module piégé"), "what was typed is kept");

    // Over the 1 MiB quota: refused with the figures.
    let (status, answer) = create_upload(
        &server,
        &teacher,
        &metadata("Trop gros", Some("document")),
        "gros.pdf",
        vec![b'%'; 3 << 19],
    );
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(answer["error"]["code"], "quota_exceeded");

    assert_eq!(
        search(&server, &admin, "")["total"],
        total,
        "nothing was created"
    );
    assert_eq!(stored_blobs(&server.data), blobs, "no file was kept");
    let staging = server.data.join("files").join("tmp");
    let leftovers = std::fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "no temporary file was left behind");
}

#[test]
fn a_teacher_creates_edits_and_deletes_through_the_pages_without_javascript() {
    let server = Server::demo();
    let browser = server.signed_in_browser("enseignant.demo");
    let html = html_of(&browser, &server.url("/ressources/nouvelle"));
    assert!(
        html.contains("value=\"classe:4B\""),
        "the teacher's classes are offered"
    );
    let csrf = csrf_of(&html);
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("titre", "Les hiéroglyphes en images")
        .text("description", "Une carte à compléter.")
        .text("type", "")
        .text("lien", "")
        .text("disciplines", "061300")
        .text("niveaux", "num-021")
        .text("mots_cles", "Égypte, écriture")
        .text("public", "classes")
        .text("cibles", "classe:4B")
        .text("publier", "oui")
        .part(
            "fichier",
            Part::bytes(bytes("resources/carte-mentale.png")).file_name("carte.png"),
        );
    let response = submit(&browser, &server.url("/ressources/nouvelle"), form);
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let id: u64 = location
        .trim_start_matches("/ressources/")
        .parse()
        .expect("the new resource's page");

    let lea = server.signed_in_browser("eleve.demo");
    let page = readable(&html_of(&lea, &server.url(&location)));
    assert!(page.contains("Les hiéroglyphes en images"));
    assert!(
        page.contains(&format!("src=\"/ressources/{id}/fichier\"")),
        "{page}"
    );
    assert!(!page.contains("Modifier"), "a pupil has no edit button");
    let refused = lea
        .get(server.url(&format!("/ressources/{id}/modifier")))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Edit: a new title; the file stays.
    let html = html_of(&browser, &server.url(&format!("/ressources/{id}/modifier")));
    assert!(
        readable(&html).contains("carte.png"),
        "the current file is named"
    );
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("titre", "Hiéroglyphes : la carte")
        .text("type", "image")
        .text("niveaux", "num-021")
        .text("public", "classes")
        .text("cibles", "classe:4B")
        .text("publier", "oui")
        .part("fichier", Part::bytes(Vec::new()).file_name(""));
    let response = submit(
        &browser,
        &server.url(&format!("/ressources/{id}/modifier")),
        form,
    );
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (_, shown) = server.get_json(&pupil, &format!("/api/v1/resources/{id}"));
    assert_eq!(shown["title"], "Hiéroglyphes : la carte");
    assert_eq!(shown["content"]["file"]["name"], "carte.png");

    // Delete: a confirmation page, then the form.
    let html = html_of(
        &browser,
        &server.url(&format!("/ressources/{id}/supprimer")),
    );
    assert!(readable(&html).contains("Supprimer « Hiéroglyphes : la carte » ?"));
    let response = browser
        .post(server.url(&format!("/ressources/{id}/supprimer")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = server.get_json(&pupil, &format!("/api/v1/resources/{id}"));
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Without the CSRF field, nothing is created.
    let form = Form::new()
        .text("titre", "Sans jeton")
        .text("lien", "https://example.org");
    let response = submit(&browser, &server.url("/ressources/nouvelle"), form);
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// Bits written least significant first, as deflate packs them.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    pending: u32,
    count: u32,
}

impl BitWriter {
    fn bits(&mut self, value: u32, count: u32) {
        for bit in 0..count {
            self.pending |= ((value >> bit) & 1) << self.count;
            self.count += 1;
            if self.count == 8 {
                self.bytes.push(self.pending as u8);
                (self.pending, self.count) = (0, 0);
            }
        }
    }

    /// A Huffman code: its most significant bit first.
    fn code(&mut self, code: u32, length: u32) {
        for bit in (0..length).rev() {
            self.bits(code >> bit, 1);
        }
    }

    fn zeros(&mut self, mut count: u64) {
        while count > 0 && self.count > 0 {
            self.bits(0, 1);
            count -= 1;
        }
        self.bytes
            .resize(self.bytes.len() + (count / 8) as usize, 0);
        self.bits(0, (count % 8) as u32);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.pending as u8);
        }
        self.bytes
    }
}

/// A zlib stream of `1 + 258 × matches` zeros, written by hand: one literal zero, then matches
/// of 258 bytes at distance 1, which a dynamic Huffman block codes in 2 bits each (a ratio near
/// 1000, the most deflate allows); no compressor has to chew through the zeros.
fn zlib_of_zeros(matches: u64) -> Vec<u8> {
    let mut deflate = BitWriter::default();
    deflate.bits(1, 1); // the last block
    deflate.bits(2, 2); // dynamic Huffman codes
    deflate.bits(285 - 256, 5); // literal/length codes 0..=285
    deflate.bits(0, 5); // one distance code
    deflate.bits(18 - 4, 4); // code-length code lengths given, in the order below
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    // Code lengths 0, 1 and 2 are coded as 0, 10 and 11.
    let length_code = |length: u32| [(0b0, 1), (0b10, 2), (0b11, 2)][length as usize];
    for symbol in order {
        deflate.bits(if symbol > 2 { 0 } else { length_code(symbol).1 }, 3);
    }
    // Literal 0 is 10, end of block 11, length 258 is 0; distance 1 is 0.
    let mut lengths = [0u32; 286 + 1];
    (lengths[0], lengths[256], lengths[285], lengths[286]) = (2, 2, 1, 1);
    for length in lengths {
        let (code, bits) = length_code(length);
        deflate.code(code, bits);
    }
    deflate.code(0b10, 2);
    deflate.zeros(2 * matches);
    deflate.code(0b11, 2);
    let size = 1 + 258 * matches;
    // Adler-32 of zeros: the sum stays 1, the sum of sums is the size.
    let adler32 = ((size % 65521) << 16 | 1) as u32;
    let mut zlib = vec![0x78, 0x01];
    zlib.extend(deflate.finish());
    zlib.extend(adler32.to_be_bytes());
    zlib
}

/// A valid one-page PDF whose content stream inflates to 2 GiB of zeros (2 MiB uploaded).
fn flate_bomb_pdf() -> Vec<u8> {
    let stream = zlib_of_zeros((2 << 30) / 258);
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>"
            .to_owned(),
        format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            stream.len()
        ),
    ];
    for (number, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}", number + 1).bytes());
        if number < 3 {
            pdf.extend(b"\nendobj\n");
        }
    }
    pdf.extend(&stream);
    pdf.extend(b"\nendstream\nendobj\n");
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",).bytes());
    pdf
}

/// The peak resident memory of the server running on `data`, in MiB (`VmHWM` in /proc).
fn peak_memory_mib(data: &Path) -> u64 {
    let data = data.to_str().expect("UTF-8 path");
    let server = std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(Result::ok)
        .find(|process| {
            let command = std::fs::read(process.path().join("cmdline")).unwrap_or_default();
            let arguments: Vec<&[u8]> = command.split(|&byte| byte == 0).collect();
            arguments.contains(&b"serve".as_slice()) && arguments.contains(&data.as_bytes())
        })
        .expect("the server process");
    let status = std::fs::read_to_string(server.path().join("status")).expect("status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib >> 10
}

#[test]
fn a_pdf_bomb_is_kept_without_its_text_and_the_server_carries_on() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let bomb = flate_bomb_pdf();
    assert!(bomb.len() < 3 << 20, "{} bytes", bomb.len());

    let kept = created(create_upload(
        &server,
        &teacher,
        &metadata("Hiéroglyphes : la bombe", Some("document")),
        "bombe.pdf",
        bomb,
    ));
    assert_eq!(kept["content"]["file"]["media_type"], "application/pdf");

    // The 2 GiB went off in the extracting child, not in the server.
    assert!(
        Client::new()
            .get(server.url("/healthz"))
            .send()
            .expect("request")
            .status()
            .is_success(),
        "the server is up"
    );
    let peak = peak_memory_mib(&server.data);
    assert!(peak < 512, "the server peaked at {peak} MiB");

    // Found by its title, and the next PDF is indexed by its text as ever.
    let found = search(&server, &teacher, "q=bombe");
    assert_eq!(
        ids(&found),
        BTreeSet::from([kept["id"].as_u64().expect("id")])
    );
    let lesson = created(create_upload(
        &server,
        &teacher,
        &metadata("Hiéroglyphes : fiche de cours", None),
        "fiche.pdf",
        bytes("resources/fractions.pdf"),
    ));
    let inside = search(&server, &teacher, "q=denominateur");
    assert!(
        ids(&inside).contains(&lesson["id"].as_u64().expect("id")),
        "{inside}"
    );
}

#[test]
fn the_text_extractor_is_a_hidden_command_that_reads_stdin_and_fails_with_code_2_on_a_broken_file()
{
    let data = preau_tests::data_dir();
    let (status, help) = cli(data.path(), &["--help"]);
    assert!(status.success());
    assert!(
        help.contains("serve") && !help.contains("internal"),
        "{help}"
    );

    let extract = |name: &str, file: &Path| {
        let output = std::process::Command::new(preau_tests::binary())
            .arg("--data")
            .arg(data.path())
            .args(["internal", "extract-text", "--name", name])
            .args(["--media-type", "application/pdf"])
            .stdin(std::fs::File::open(file).expect("opens the file"))
            .output()
            .expect("runs preau");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        (output.status, stdout)
    };
    let (status, text) = extract("fiche.pdf", &fixture("resources/fractions.pdf"));
    assert!(status.success());
    assert!(text.contains("même dénominateur"), "{text}");
    let (status, text) = extract(
        "pythagore.pdf",
        &fixture("resources/pythagore-helvetica.pdf"),
    );
    assert!(status.success(), "a standard font, not embedded: {status}");
    assert!(text.contains("Le theoreme de Pythagore"), "{text}");
    let broken = data.path().join("cassé.pdf");
    std::fs::write(&broken, b"%PDF-1.4\nnot a PDF at all").expect("writes");
    let (status, text) = extract("cassé.pdf", &broken);
    assert_eq!(status.code(), Some(2));
    assert_eq!(text, "");
    let files = std::fs::read_dir(data.path()).expect("data").count();
    assert_eq!(files, 1, "no store, no lock: only the file given");
}
