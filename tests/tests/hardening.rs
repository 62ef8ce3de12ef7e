//! What a curious pupil with a browser and a script could do to the box, each tried against the
//! real binary: absurd page numbers, trickled or oversized form heads, uploads from people who
//! may not write, too many uploads at once, slow connections, package addresses kept after the
//! resource changed, forwarded headers from anyone.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use preau_tests::{html_of, Client, Server, StatusCode, DEMO_PASSWORD};
use serde_json::Value;

/// `host:port` of a plain-HTTP server.
fn address(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// A raw connection, for requests no HTTP client library would send.
fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(address(server)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    stream
}

/// The status line of the answer on `stream` (empty when the server closed without one).
fn status_line(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => answer.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&answer).trim().to_owned()
}

const BOUNDARY: &str = "----preau-hardening";

#[test]
fn absurd_page_numbers_get_a_clear_400_and_a_page_past_the_last_shows_the_last() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    for page in ["1000000000000", "0", "-1", "abc", "501", "1e3"] {
        let (status, body) = server.get_json(&token, &format!("/api/v1/resources?page={page}"));
        assert_eq!(status, StatusCode::BAD_REQUEST, "page={page}: {body}");
        assert_eq!(body["error"]["code"], "invalid_page", "page={page}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Numéro de page")),
            "{body}"
        );
    }
    let (status, last) = server.get_json(&token, "/api/v1/resources?q=fractions&page=400");
    assert_eq!(status, StatusCode::OK, "{last}");
    let total = last["total"].as_u64().expect("total");
    let per_page = last["per_page"].as_u64().expect("per page");
    assert!(total > 0, "the demo has fraction resources");
    assert_eq!(last["page"].as_u64(), Some(total.div_ceil(per_page)));
    assert!(!last["hits"].as_array().expect("hits").is_empty());

    let pupil = server.signed_in_browser("eleve.demo");
    let page = pupil
        .get(server.url("/ressources?page=1000000000000"))
        .send()
        .expect("request");
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page
        .text()
        .expect("HTML")
        .contains("Numéro de page invalide"));
}

/// The head of a multipart upload, sent with a cookie session (the CSRF scan only runs for
/// cookie-authenticated writes), announcing `length` bytes of body.
fn upload_head(server: &Server, path: &str, cookie: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nCookie: preau_session={cookie}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n",
        address(server)
    )
}

#[test]
fn a_trickled_oversized_csrf_field_is_refused_as_soon_as_it_is_too_long() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let mut stream = connect(&server);
    let part = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n");
    let length = part.len() + (1 << 20) + 100;
    stream
        .write_all(upload_head(&server, "/ressources/nouvelle", &token, length).as_bytes())
        .expect("head");
    stream.write_all(part.as_bytes()).expect("part head");
    let started = Instant::now();
    // 4 bytes at a time, as a slow attacker would: the answer must come after a few hundred.
    let mut sent = 0;
    while sent < (1 << 20) {
        if stream.write_all(b"aaaa").is_err() {
            break;
        }
        sent += 4;
        if sent % 512 == 0 {
            stream.flush().expect("flush");
            std::thread::sleep(Duration::from_millis(5));
        }
        if sent == 4096 {
            break;
        }
    }
    let status = status_line(&mut stream);
    assert!(status.contains(" 400 "), "got {status:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn an_upload_by_someone_who_may_not_publish_is_refused_before_its_body_is_read() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let mut stream = connect(&server);
    // A 200 MB body is announced, and only its first bytes are ever sent.
    let head = format!(
        "POST /api/v1/resources HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: 209715200\r\n\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.bin\"\r\n\r\n",
        address(&server)
    );
    stream.write_all(head.as_bytes()).expect("head");
    let started = Instant::now();
    let status = status_line(&mut stream);
    assert!(status.contains(" 403 "), "got {status:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        std::fs::read_dir(server.data.join("files").join("tmp"))
            .map(|dir| dir.count())
            .unwrap_or(0),
        0,
        "nothing staged"
    );
}

/// `POST /api/v1/resources` of a multipart `form`, as the holder of `token`.
fn publish_form(
    server: &Server,
    token: &str,
    form: reqwest::blocking::multipart::Form,
) -> reqwest::blocking::Response {
    Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .expect("request")
}

#[test]
fn a_person_sends_at_most_two_uploads_at_once() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let stalled_head = format!(
        "POST /api/v1/resources HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: 10485760\r\n\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cours.pdf\"\r\n\r\n%PDF-1.4\n",
        address(&server)
    );
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut stream = connect(&server);
        stream.write_all(stalled_head.as_bytes()).expect("head");
        stalled.push(stream);
    }
    std::thread::sleep(Duration::from_millis(300));
    let third = reqwest::blocking::multipart::Form::new()
        .text("metadata", r#"{"title":"Troisième envoi"}"#)
        .part(
            "file",
            reqwest::blocking::multipart::Part::bytes(b"%PDF-1.4\n".to_vec()).file_name("c.pdf"),
        );
    let answer = publish_form(&server, &token, third);
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = answer.json().expect("JSON");
    assert_eq!(body["error"]["code"], "too_busy");

    let (other, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let meanwhile = Client::new()
        .post(server.url("/api/v1/resources"))
        .bearer_auth(&other)
        .json(&serde_json::json!({"title": "Lien", "url": "https://example.org/"}))
        .send()
        .expect("request");
    assert_eq!(
        meanwhile.status(),
        StatusCode::CREATED,
        "others are not affected"
    );
    drop(stalled);
}

#[test]
fn a_form_with_thousands_of_fields_is_refused() {
    let server = Server::demo();
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let mut form = reqwest::blocking::multipart::Form::new().text(
        "metadata",
        r#"{"title":"Champs","url":"https://example.org/","published":false}"#,
    );
    for n in 0..1500 {
        form = form.text("x", n.to_string());
    }
    let answer = publish_form(&server, &token, form);
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn slow_senders_lose_their_connection() {
    let server = Server::demo_with(&[
        ("PREAU_HTTP_HEADER_TIMEOUT", "2s"),
        ("PREAU_HTTP_BODY_IDLE_TIMEOUT", "2s"),
    ]);
    // A head that never ends.
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /connexion HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .expect("partial head");
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(10),
        "the connection is closed after the header timeout, not held ({waited:?})"
    );

    // A body that stops flowing.
    let (token, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let mut stream = connect(&server);
    let head = format!(
        "POST /api/v1/resources HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"title\":",
        address(&server)
    );
    stream.write_all(head.as_bytes()).expect("head");
    let started = Instant::now();
    let status = status_line(&mut stream);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the stalled body is cut after the idle timeout ({status:?})"
    );
    assert!(!status.contains(" 201 "), "{status}");
}

/// The signed address of a demo package, as `login` finds it on the resource's page.
fn package_address(server: &Server, browser: &Client, id: u64) -> String {
    let html = html_of(browser, &server.url(&format!("/ressources/{id}")));
    html.split("src=\"/paquets/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("/paquets/{}", rest.replace("&amp;", "&")))
        .expect("the page frames the package")
}

#[test]
fn a_package_address_is_streamed_with_ranges_and_dies_with_its_viewers_access() {
    let server = Server::demo();
    let (pupil_token, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (_, list) = server.get_json(&pupil_token, "/api/v1/resources?kind=package");
    let id = list["hits"]
        .as_array()
        .and_then(|hits| hits.first())
        .and_then(|hit| hit["id"].as_u64())
        .expect("a demo package meant for eleve.demo");
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (_, resource) = server.get_json(&admin, &format!("/api/v1/resources/{id}"));
    let pupil = server.signed_in_browser("eleve.demo");
    let address = package_address(&server, &pupil, id);

    let plain = Client::new();
    let whole = plain.get(server.url(&address)).send().expect("request");
    assert_eq!(whole.status(), StatusCode::OK);
    assert!(
        whole.headers().get("access-control-allow-origin").is_none(),
        "no CORS grant"
    );
    assert_eq!(
        whole
            .headers()
            .get("accept-ranges")
            .and_then(|v| v.to_str().ok()),
        Some("bytes")
    );
    let bytes = whole.bytes().expect("body").to_vec();
    assert!(bytes.len() > 20, "the launch page");
    let part = plain
        .get(server.url(&address))
        .header("range", "bytes=5-14")
        .send()
        .expect("request");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok()),
        Some(format!("bytes 5-14/{}", bytes.len()).as_str())
    );
    assert_eq!(part.bytes().expect("body").to_vec(), bytes[5..15].to_vec());

    // Unpublished: the pupil's address stops at once, long before its four hours are up.
    let update = serde_json::json!({
        "title": resource["title"], "description": resource["description"],
        "kind": resource["kind"], "disciplines": resource["disciplines"],
        "levels": resource["levels"], "themes": resource["themes"],
        "keywords": resource["keywords"], "licence": resource["licence"],
        "audience": resource["audience"], "published": false,
    });
    let changed = Client::new()
        .put(server.url(&format!("/api/v1/resources/{id}")))
        .bearer_auth(&admin)
        .json(&update)
        .send()
        .expect("request");
    assert_eq!(changed.status(), StatusCode::OK, "{:?}", changed.text());
    let refused = plain.get(server.url(&address)).send().expect("request");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    let forged = address.replacen("/paquets/", "/paquets/1", 1);
    assert_eq!(
        plain
            .get(server.url(&forged))
            .send()
            .expect("request")
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[test]
fn forwarded_headers_count_only_from_a_trusted_proxy() {
    // Three failures per address: without a trusted proxy, addresses claimed in
    // X-Forwarded-For are the client's own words, and all count against the real peer.
    let limits = [
        ("PREAU_SECURITY_LOGIN_FAILURES_PER_ADDRESS", "3"),
        ("PREAU_SECURITY_LOGIN_FAILURES_PER_ACCOUNT", "50"),
    ];
    let attempt = |server: &Server, n: u8| {
        Client::new()
            .post(server.url("/api/v1/session"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .header("x-forwarded-proto", "https")
            .json(&serde_json::json!({"login": "eleve.demo", "password": "faux"}))
            .send()
            .expect("request")
            .status()
    };
    let direct = Server::demo_with(&limits);
    let answer = Client::new()
        .post(direct.url("/api/v1/session"))
        .header("x-forwarded-proto", "https")
        .json(&serde_json::json!({"login": "parent.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request");
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(!answer.headers().contains_key("strict-transport-security"));
    let cookie = answer
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with("preau_session=") && !cookie.contains("Secure"),
        "a forged X-Forwarded-Proto changes nothing: {cookie}"
    );
    let statuses: Vec<StatusCode> = (1..=4).map(|n| attempt(&direct, n)).collect();
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    let mut behind_proxy = limits.to_vec();
    behind_proxy.push(("PREAU_HTTP_TRUSTED_PROXIES", "127.0.0.1"));
    let proxied = Server::demo_with(&behind_proxy);
    let statuses: Vec<StatusCode> = (1..=4).map(|n| attempt(&proxied, n)).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "each forwarded client has its own count: {statuses:?}"
    );
    let answer = Client::new()
        .post(proxied.url("/api/v1/session"))
        .header("x-forwarded-for", "198.51.100.77")
        .header("x-forwarded-proto", "https")
        .json(&serde_json::json!({"login": "parent.demo", "password": DEMO_PASSWORD}))
        .send()
        .expect("request");
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().contains_key("strict-transport-security"));
    let cookie = answer
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with("__Host-preau_session=") && cookie.contains("; Secure"),
        "{cookie}"
    );
}
