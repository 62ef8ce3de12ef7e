//! Notifications end to end: a teacher writes to a parent through the API, and the parent's
//! count, feed, header and open event stream say so; the write survives a power cut; the
//! e-mail relay hands a digest to a real SMTP server (Python's aiosmtpd), once.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use preau_tests::{
    csrf_of, free_port, html_of, readable, Client, Server, StatusCode, DEMO_PASSWORD,
};
use serde_json::{json, Value};

/// parent.demo's recipient id, as the teacher finds her.
fn parent_recipient(server: &Server, teacher: &str) -> String {
    let (status, found) = server.get_json(teacher, "/api/v1/messages/recipients?q=fontaine");
    assert_eq!(status, StatusCode::OK, "{found}");
    let (_, me) = {
        let (token, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
        server.get_json(&token, "/api/v1/me")
    };
    let id = format!("personne:{}", me["id"]);
    assert!(
        found
            .as_array()
            .expect("a list")
            .iter()
            .any(|candidate| candidate["id"] == id.as_str()),
        "parent.demo among {found}"
    );
    id
}

/// The teacher's message to `to`; returns its id.
fn send(server: &Server, teacher: &str, to: &str, subject: &str) -> u64 {
    let response = Client::new()
        .post(server.url("/api/v1/messages"))
        .bearer_auth(teacher)
        .json(&json!({"to": [to], "subject": subject, "body": "Rendez-vous à 8 h devant le collège."}))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().expect("JSON");
    created["id"].as_u64().expect("an id")
}

/// The `unseen` events of an open stream, read line by line by a thread of its own so that a
/// test waits for an event with a deadline.
struct Events {
    lines: Receiver<String>,
}

/// How long an expected event may take.
const EVENT_DEADLINE: Duration = Duration::from_secs(15);

impl Events {
    fn open(server: &Server, token: &str) -> Self {
        let response = Client::builder()
            .timeout(None)
            .build()
            .expect("client")
            .get(server.url("/api/v1/notifications/stream"))
            .bearer_auth(token)
            .send()
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        let media_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(media_type, "text/event-stream");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Self { lines }
    }

    /// The next count sent (keep-alive comments skipped).
    fn next_unseen(&mut self) -> usize {
        let deadline = Instant::now() + EVENT_DEADLINE;
        let mut named = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .expect("an event within the deadline");
            if line == "event: unseen" {
                named = true;
            } else if let Some(data) = line.strip_prefix("data: ") {
                assert!(named, "an unseen event");
                return data.parse().expect("a count");
            }
        }
    }
}

impl Events {
    /// Whether the server ended the stream before the deadline.
    fn ends(&self) -> bool {
        let deadline = Instant::now() + EVENT_DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(_) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => return true,
                Err(mpsc::RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}

fn feed(server: &Server, token: &str) -> Value {
    let (status, feed) = server.get_json(token, "/api/v1/notifications");
    assert_eq!(status, StatusCode::OK, "{feed}");
    feed
}

/// The number the header shows, as a person without JavaScript sees it.
fn header_count(html: &str) -> String {
    readable(html)
        .split("data-unseen=\"\"")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|rest| rest.split('<').next())
        .expect("the header's count")
        .to_owned()
}

#[test]
fn a_teacher_s_message_reaches_the_parent_s_count_feed_header_and_open_stream() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let to = parent_recipient(&server, &teacher);
    let before = feed(&server, &parent)["unseen"].as_u64().expect("a count") as usize;
    let mut events = Events::open(&server, &parent);
    assert_eq!(
        events.next_unseen(),
        before,
        "the count of the moment first"
    );

    let message = send(&server, &teacher, &to, "Sortie au musée");
    assert_eq!(events.next_unseen(), before + 1, "live");

    let listed = feed(&server, &parent);
    assert_eq!(listed["unseen"], before + 1);
    let first = &listed["items"][0];
    assert_eq!(first["kind"], "message");
    assert_eq!(first["href"], format!("/messagerie/messages/{message}"));
    assert_eq!(first["seen"], false);
    let title = first["title"].as_str().expect("a title");
    assert!(
        title.starts_with("Nouveau message de ") && title.ends_with("\u{a0}: Sortie au musée"),
        "{title}"
    );
    assert!(first["date"]
        .as_str()
        .is_some_and(|date| date.ends_with('Z')));
    assert!(first["id"].is_u64());
    let teacher_feed = feed(&server, &teacher);
    assert!(
        !teacher_feed.to_string().contains("Sortie au musée"),
        "its sender is not notified"
    );

    // Without JavaScript: the header of any page, then the feed, which marks it all seen.
    let browser = server.signed_in_browser("parent.demo");
    let home = html_of(&browser, &server.url("/"));
    assert_eq!(header_count(&home), (before + 1).to_string());
    let page = readable(&html_of(&browser, &server.url("/notifications")));
    assert!(page.contains("Sortie au musée"), "{page}");
    assert!(page.contains(">Actualiser</a>"));
    assert!(page.contains("nouvelle"), "what was new is said");
    assert_eq!(header_count(&page), "0", "opening the feed marks it seen");
    assert_eq!(events.next_unseen(), 0, "and the open tab hears it");
    assert_eq!(feed(&server, &parent)["unseen"], 0);
    assert_eq!(feed(&server, &parent)["items"][0]["seen"], true);
}

#[test]
fn the_feed_is_the_caller_s_own_paged_and_marked_seen_through_the_api() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let to = parent_recipient(&server, &teacher);
    send(&server, &teacher, &to, "Réunion parents-professeurs");
    let (status, refused) = server.get_json(&parent, "/api/v1/notifications?page=0");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["code"], "invalid_request");
    let (_, later) = server.get_json(&parent, "/api/v1/notifications?page=9");
    assert_eq!(later["items"], json!([]), "past the last page: nothing");
    assert!(later["unseen"].as_u64().is_some_and(|unseen| unseen >= 1));
    let marked = Client::new()
        .post(server.url("/api/v1/notifications/seen"))
        .bearer_auth(&parent)
        .send()
        .expect("request");
    assert_eq!(marked.status(), StatusCode::NO_CONTENT);
    assert_eq!(feed(&server, &parent)["unseen"], 0);
    let anonymous = Client::new()
        .get(server.url("/api/v1/notifications/stream"))
        .send()
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn an_open_stream_ends_when_the_server_stops_and_does_not_hold_it() {
    let mut server = Server::demo();
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let mut events = Events::open(&server, &parent);
    events.next_unseen();
    let asked = Instant::now();
    assert!(server.terminate().success());
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "stopped in {:?}: the stream held the drain",
        asked.elapsed()
    );
    assert!(events.ends());
}

#[test]
fn signing_out_ends_the_open_streams_at_once_and_the_reconnection_meets_a_401() {
    let server = Server::demo();
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (other_tab, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let mut events = Events::open(&server, &parent);
    let mut elsewhere = Events::open(&server, &other_tab);
    events.next_unseen();
    elsewhere.next_unseen();
    let signed_out = Client::new()
        .delete(server.url("/api/v1/session"))
        .bearer_auth(&parent)
        .send()
        .expect("request");
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let asked = Instant::now();
    assert!(events.ends(), "the signed-out session's stream ends");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "at once, not at the next periodic check: {:?}",
        asked.elapsed()
    );
    let again = Client::new()
        .get(server.url("/api/v1/notifications/stream"))
        .bearer_auth(&parent)
        .send()
        .expect("request");
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    // The person's other session follows on.
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let before = feed(&server, &other_tab)["unseen"]
        .as_u64()
        .expect("a count") as usize;
    send(
        &server,
        &teacher,
        &parent_recipient(&server, &teacher),
        "Conseil de classe",
    );
    assert_eq!(elsewhere.next_unseen(), before + 1);
}

/// A stream opened on a connection of our own, which the test can close when it chooses.
fn raw_stream(server: &Server, token: &str) -> std::net::TcpStream {
    use std::io::{Read, Write};
    let address = server.url("").trim_start_matches("http://").to_owned();
    let mut connection = std::net::TcpStream::connect(&address).expect("connects");
    write!(
        connection,
        "GET /api/v1/notifications/stream HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer \
         {token}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request sent");
    let mut head = [0u8; 12];
    connection.read_exact(&mut head).expect("an answer");
    assert_eq!(&head, b"HTTP/1.1 200", "the sixteenth stream is accepted");
    connection
}

#[test]
fn a_seventeenth_stream_of_one_person_is_refused_and_a_closed_one_frees_its_place() {
    let server = Server::demo();
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let mut open: Vec<Events> = (0..15).map(|_| Events::open(&server, &parent)).collect();
    for events in &mut open {
        events.next_unseen();
    }
    let sixteenth = raw_stream(&server, &parent);
    let refused = Client::new()
        .get(server.url("/api/v1/notifications/stream"))
        .bearer_auth(&parent)
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().expect("JSON");
    assert_eq!(body["error"]["code"], "too_busy");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("onglets")),
        "{body}"
    );
    // Someone else is not held back by this person's tabs.
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    Events::open(&server, &teacher).next_unseen();
    // A closed tab gives its place back once the server notices the connection is gone (at
    // the latest when the next keep-alive comment finds it closed).
    sixteenth
        .shutdown(std::net::Shutdown::Both)
        .expect("closes");
    drop(sixteenth);
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let again = Client::new()
            .get(server.url("/api/v1/notifications/stream"))
            .bearer_auth(&parent)
            .send()
            .expect("request");
        if again.status() == StatusCode::OK {
            break;
        }
        assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            Instant::now() < deadline,
            "the closed tab's place never came back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_notification_acknowledged_with_its_message_survives_a_power_cut() {
    let mut server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let to = parent_recipient(&server, &teacher);
    send(&server, &teacher, &to, "Avant la coupure");
    server.kill();
    server.restart();
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let listed = feed(&server, &parent);
    assert!(
        listed["items"][0]["title"]
            .as_str()
            .is_some_and(|title| title.ends_with("Avant la coupure")),
        "{listed}"
    );
}

/// Debian's Python, where `python3-aiosmtpd` lives (`make test-deps` installs it).
const PYTHON: &str = "/usr/bin/python3";

/// A real SMTP server on `port`, and the messages it received, as they come.
struct SmtpCapture {
    child: Child,
    /// Closing it stops the server.
    _stdin: ChildStdin,
    received: Receiver<Value>,
}

impl SmtpCapture {
    fn start(port: u16) -> Self {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("support/smtp_capture.py");
        let mut child = Command::new(PYTHON)
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("Debian's python3 with python3-aiosmtpd (make test-deps)");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    if sender.send(value).is_err() {
                        return;
                    }
                }
            }
        });
        let ready = received
            .recv_timeout(Duration::from_secs(20))
            .expect("the SMTP server starts (is python3-aiosmtpd installed?)");
        assert_eq!(ready["ready"], true);
        Self {
            child,
            _stdin: stdin,
            received,
        }
    }

    /// What arrived for `address` until `until`.
    fn collect_for(
        &self,
        address: &str,
        until: Instant,
        mut done: impl FnMut(&[Value]) -> bool,
    ) -> Vec<Value> {
        let mut found = Vec::new();
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.received.recv_timeout(left) {
                Ok(message) => {
                    if message["to"]
                        .as_array()
                        .is_some_and(|to| to.iter().any(|to| to == address))
                    {
                        found.push(message);
                        if done(&found) {
                            break;
                        }
                    }
                }
                Err(_) => break,
            }
        }
        found
    }
}

impl Drop for SmtpCapture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_digest_goes_by_smtp_to_a_parent_with_an_address_once_even_after_the_server_was_down() {
    let port = free_port();
    let port_text = port.to_string();
    let server = Server::demo_with(&[
        ("PREAU_NOTIFICATIONS_SMTP_HOST", "127.0.0.1"),
        ("PREAU_NOTIFICATIONS_SMTP_PORT", &port_text),
        ("PREAU_NOTIFICATIONS_SMTP_TLS", "none"),
        (
            "PREAU_NOTIFICATIONS_EMAIL_FROM",
            "ENT du collège <ent@college.example>",
        ),
        ("PREAU_NOTIFICATIONS_DIGEST_INTERVAL", "2s"),
        (
            "PREAU_NOTIFICATIONS_SITE_URL",
            "https://ent.college.example",
        ),
    ]);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let (status, parent) = server.get_json(&admin, "/api/v1/admin/accounts/parent.demo");
    assert_eq!(status, StatusCode::OK);
    let address = parent["email"]
        .as_str()
        .expect("parent.demo has an address")
        .to_owned();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let to = parent_recipient(&server, &teacher);
    let message = send(&server, &teacher, &to, "Sortie au musée");
    // Nothing listens yet: a round or two fail (logged), the server goes on.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        Client::new()
            .get(server.url("/healthz"))
            .send()
            .expect("request")
            .status(),
        StatusCode::OK
    );

    let smtp = SmtpCapture::start(port);
    let mentions = |mail: &Value| {
        mail["body"]
            .as_str()
            .is_some_and(|body| body.contains("Sortie au musée"))
    };
    let first = smtp.collect_for(
        &address,
        Instant::now() + Duration::from_secs(30),
        |found| found.iter().any(mentions),
    );
    let digest = first
        .iter()
        .find(|mail| mentions(mail))
        .unwrap_or_else(|| panic!("a digest for {address}: {first:?}"));
    let subject = digest["subject"].as_str().expect("a subject");
    assert!(
        subject.ends_with("nouvelle notification") || subject.ends_with("nouvelles notifications"),
        "{subject}"
    );
    assert!(subject.contains("\u{a0}: "), "French typography: {subject}");
    let body = digest["body"].as_str().expect("a body");
    assert!(body.starts_with("Bonjour "), "{body}");
    assert!(body.contains("Nouveau message de "), "{body}");
    assert!(
        body.contains(&format!(
            "https://ent.college.example/messagerie/messages/{message}"
        )),
        "{body}"
    );
    // Three more rounds: nothing of it again.
    let again = smtp.collect_for(&address, Instant::now() + Duration::from_secs(7), |_| false);
    assert!(!again.iter().any(mentions), "sent twice: {again:?}");

    // The parent turns the digest off on their account page, without JavaScript.
    let browser = server.signed_in_browser("parent.demo");
    let choose = |wanted: bool| {
        let page = html_of(&browser, &server.url("/compte"));
        assert!(page.contains("Recevoir le résumé par courriel"), "{page}");
        let mut form = vec![("csrf", csrf_of(&page))];
        if wanted {
            form.push(("resume", "oui".to_owned()));
        }
        let saved = browser
            .post(server.url("/compte/notifications"))
            .form(&form)
            .send()
            .expect("request");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let page = html_of(&browser, &server.url("/compte?ok=notifications"));
        assert!(page.contains("Votre choix est enregistré."));
        let input = page
            .split("<input")
            .find(|tag| tag.contains("id=\"resume\""))
            .and_then(|tag| tag.split('>').next())
            .expect("the checkbox");
        assert_eq!(
            input.contains("checked"),
            wanted,
            "the box shows the choice: {input}"
        );
    };
    choose(false);
    send(&server, &teacher, &to, "Réunion parents-professeurs");
    let mentions_meeting = |mail: &Value| {
        mail["body"]
            .as_str()
            .is_some_and(|body| body.contains("Réunion parents-professeurs"))
    };
    let while_off = smtp.collect_for(&address, Instant::now() + Duration::from_secs(7), |_| false);
    assert!(
        !while_off.iter().any(mentions_meeting),
        "e-mailed though turned off: {while_off:?}"
    );
    choose(true);
    send(&server, &teacher, &to, "Conseil de classe");
    let back_on = smtp.collect_for(
        &address,
        Instant::now() + Duration::from_secs(30),
        |found| {
            found.iter().any(|mail| {
                mail["body"]
                    .as_str()
                    .is_some_and(|body| body.contains("Conseil de classe"))
            })
        },
    );
    let digest = back_on
        .iter()
        .find(|mail| {
            mail["body"]
                .as_str()
                .is_some_and(|b| b.contains("Conseil de classe"))
        })
        .unwrap_or_else(|| panic!("a digest once back on: {back_on:?}"));
    assert!(
        !mentions_meeting(digest),
        "no backlog of the time it was off: {digest}"
    );
    assert!(digest["body"]
        .as_str()
        .is_some_and(|body| body.contains("Pour ne plus le recevoir")));
}
