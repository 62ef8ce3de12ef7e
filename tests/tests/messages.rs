//! Messagerie end to end: the communication rules for each kind of sender and relation, as
//! configured by the administrator on their page (groups expanded); « Parents de 4e B »
//! reaching exactly those parents; an attachment's round trip through the no-JS form; unread
//! counts under concurrent reads; the API's refusal naming the refused recipients.

use std::collections::BTreeSet;
use std::path::Path;

use preau_tests::{csrf_of, html_of, readable, Client, Server, StatusCode};
use reqwest::blocking::multipart::{Form, Part};
use reqwest::header::LOCATION;
use serde_json::{json, Value};

const PASSWORD: &str = "preau-demo";

fn token(server: &Server, login: &str) -> String {
    server.api_login(login, PASSWORD).0
}

fn send(server: &Server, token: &str, to: &[String], subject: &str) -> (StatusCode, Value) {
    let response = Client::new()
        .post(server.url("/api/v1/messages"))
        .bearer_auth(token)
        .json(&json!({"to": to, "subject": subject, "body": "Bonjour, <b>merci</b>."}))
        .send()
        .expect("request");
    let status = response.status();
    (status, response.json().unwrap_or(Value::Null))
}

/// Every account of a profile (and class), as the administrator lists them.
fn accounts(server: &Server, admin: &str, filter: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let (status, body) = server.get_json(
            admin,
            &format!("/api/v1/admin/accounts?{filter}&page={page}"),
        );
        assert_eq!(status, StatusCode::OK, "{body}");
        let listed = body["accounts"].as_array().cloned().unwrap_or_default();
        if listed.is_empty() {
            break;
        }
        all.extend(listed);
    }
    all
}

fn login_of(account: &Value) -> String {
    account["login"].as_str().expect("login").to_owned()
}

fn id_of(account: &Value) -> u64 {
    account["id"].as_u64().expect("id")
}

fn person(id: u64) -> String {
    format!("personne:{id}")
}

/// The people the checks need, read from the directory as the administrator.
struct Cast {
    pupil: u64,
    teacher: u64,
    other_teacher: u64,
    classmate: u64,
    other_pupil: u64,
    parent: u64,
    other_parent: u64,
    cpe: u64,
    head: String,
    head_id: u64,
    librarian: u64,
}

fn cast(server: &Server, admin: &str) -> Cast {
    let four_b = accounts(server, admin, "profile=National_ELV&class=4B");
    let (_, members) = server.get_json(admin, "/api/v1/classes/4B/members");
    let teachers_of_4b: BTreeSet<u64> = members["teachers"]
        .as_array()
        .expect("teachers")
        .iter()
        .map(id_of)
        .collect();
    let teachers = accounts(server, admin, "profile=National_ENS");
    let other_teacher = teachers
        .iter()
        .map(id_of)
        .find(|id| !teachers_of_4b.contains(id))
        .expect("a teacher who does not teach 4B");
    let by_login = |list: &[Value], login: &str| {
        list.iter()
            .find(|account| login_of(account) == login)
            .map(id_of)
            .expect(login)
    };
    let pupil = by_login(&four_b, "eleve.demo");
    let classmate = four_b
        .iter()
        .map(id_of)
        .find(|id| *id != pupil)
        .expect("a classmate");
    let three_a = accounts(server, admin, "profile=National_ELV&class=3A");
    let parents = accounts(server, admin, "profile=National_TUT");
    let parent = by_login(&parents, "parent.demo");
    let (_, card) = server.get_json(admin, &format!("/api/v1/people/{}", id_of(&three_a[0])));
    let other_parent = card["guardians"][0]["id"].as_u64().expect("a parent of 3A");
    let directors = accounts(server, admin, "profile=National_DIR");
    let librarians = accounts(server, admin, "profile=National_DOC");
    let staff = accounts(server, admin, "profile=National_EVS");
    Cast {
        pupil,
        teacher: by_login(&teachers, "enseignant.demo"),
        other_teacher,
        classmate,
        other_pupil: id_of(&three_a[0]),
        parent,
        other_parent,
        cpe: by_login(&staff, "cpe.demo"),
        head: login_of(&directors[0]),
        head_id: id_of(&directors[0]),
        librarian: id_of(&librarians[0]),
    }
}

/// Sends one message per recipient and returns, for each, whether it went.
fn outcomes(server: &Server, sender: &str, recipients: &[(&str, String)]) -> Vec<(String, bool)> {
    let token = token(server, sender);
    recipients
        .iter()
        .map(|(what, id)| {
            let (status, body) = send(server, &token, std::slice::from_ref(id), what);
            match status {
                StatusCode::CREATED => (what.to_string(), true),
                StatusCode::FORBIDDEN => {
                    assert_eq!(body["error"]["code"], "recipients_refused", "{body}");
                    assert_eq!(body["error"]["refused"][0]["id"], id.as_str(), "{body}");
                    (what.to_string(), false)
                }
                other => panic!("{sender} → {what}: {other} {body}"),
            }
        })
        .collect()
}

fn expect(found: Vec<(String, bool)>, allowed: &[&str], sender: &str) {
    for (what, went) in found {
        assert_eq!(
            went,
            allowed.contains(&what.as_str()),
            "{sender} → {what}: sent {went}"
        );
    }
}

#[test]
fn the_rules_hold_for_every_sender_and_relation_as_the_administrator_sets_them() {
    let server = Server::demo();
    let admin = token(&server, "admin.demo");
    let cast = cast(&server, &admin);
    let class_pupils = "eleves:classe:4B".to_owned();
    let class_parents = "parents:classe:4B".to_owned();
    let pupil_reach = [
        ("leur enseignant", person(cast.teacher)),
        ("autre enseignant", person(cast.other_teacher)),
        ("vie scolaire", person(cast.cpe)),
        ("direction", person(cast.head_id)),
        ("documentaliste", person(cast.librarian)),
        ("camarade", person(cast.classmate)),
        ("autre élève", person(cast.other_pupil)),
        ("parent", person(cast.other_parent)),
        ("groupe vie scolaire", "vie-scolaire".to_owned()),
        ("élèves de la classe", class_pupils.clone()),
        ("parents de la classe", class_parents.clone()),
    ];
    let defaults = [
        "leur enseignant",
        "vie scolaire",
        "direction",
        "groupe vie scolaire",
    ];
    expect(
        outcomes(&server, "eleve.demo", &pupil_reach),
        &defaults,
        "élève",
    );
    let parent_reach = [
        ("leur enseignant", person(cast.teacher)),
        ("autre enseignant", person(cast.other_teacher)),
        ("vie scolaire", person(cast.cpe)),
        ("direction", person(cast.head_id)),
        ("leur enfant", person(cast.pupil)),
        ("autre enfant", person(cast.other_pupil)),
        ("autre parent", person(cast.other_parent)),
        ("parents de la classe", class_parents.clone()),
    ];
    expect(
        outcomes(&server, "parent.demo", &parent_reach),
        &["leur enseignant", "vie scolaire", "direction"],
        "parent",
    );
    let everyone = [
        ("élève", person(cast.other_pupil)),
        ("parent", person(cast.other_parent)),
        ("enseignant", person(cast.other_teacher)),
        ("direction", person(cast.head_id)),
        ("parents de la classe", class_parents.clone()),
        ("tous les personnels", "personnels".to_owned()),
    ];
    let all: Vec<&str> = everyone.iter().map(|(what, _)| *what).collect();
    for sender in [
        "enseignant.demo",
        "cpe.demo",
        cast.head.as_str(),
        "admin.demo",
    ] {
        expect(outcomes(&server, sender, &everyone), &all, sender);
    }

    // The administrator's page: pupils may now write to classmates, parents no longer to the
    // vie scolaire. Only the administrator may change it.
    let page = |login: &str| {
        let browser = server.signed_in_browser(login);
        let html = html_of(&browser, &server.url("/admin/communication"));
        (browser, html)
    };
    let (cpe_browser, _) = page("cpe.demo");
    let refused = cpe_browser
        .get(server.url("/admin/communication"))
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (browser, html) = page("admin.demo");
    let text = readable(&html);
    assert!(text.contains("Règles de communication"), "{text}");
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf_of(&html))];
    for rule in [
        "eleves:leurs-enseignants",
        "eleves:vie-scolaire",
        "eleves:direction",
        "eleves:camarades",
        "parents:leurs-enseignants",
        "parents:direction",
    ] {
        form.push(("regle".into(), rule.into()));
    }
    for sender in ["enseignants", "personnels"] {
        for reach in [
            "enseignants",
            "vie-scolaire",
            "direction",
            "autres-personnels",
            "leurs-eleves",
            "eleves",
            "parents-de-leurs-eleves",
            "parents",
        ] {
            form.push(("regle".into(), format!("{sender}:{reach}")));
        }
    }
    let saved = browser
        .post(server.url("/admin/communication"))
        .form(&form)
        .send()
        .expect("request");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let shown = html_of(&browser, &server.url("/admin/communication?enregistre=1"));
    assert!(
        readable(&shown).contains("Les règles sont enregistrées"),
        "saved"
    );
    expect(
        outcomes(&server, "eleve.demo", &pupil_reach),
        &[
            "leur enseignant",
            "vie scolaire",
            "direction",
            "groupe vie scolaire",
            "camarade",
            "élèves de la classe",
        ],
        "élève, classmates allowed",
    );
    expect(
        outcomes(&server, "parent.demo", &parent_reach),
        &["leur enseignant", "direction"],
        "parent, vie scolaire refused",
    );
    // Whoever received a message may answer its sender, whatever the rules.
    let cpe = token(&server, "cpe.demo");
    let (status, sent) = send(&server, &cpe, &[person(cast.parent)], "Retard");
    assert_eq!(status, StatusCode::CREATED);
    let parent = token(&server, "parent.demo");
    let answer = Client::new()
        .post(server.url("/api/v1/messages"))
        .bearer_auth(&parent)
        .json(&json!({"to": [person(cast.cpe)], "subject": "RE: Retard", "body": "Bien noté.", "in_reply_to": sent["id"]}))
        .send()
        .expect("request");
    assert_eq!(answer.status(), StatusCode::CREATED);
}

#[test]
fn parents_of_4b_reaches_exactly_those_parents_and_nothing_is_sent_when_one_is_refused() {
    let server = Server::demo();
    let admin = token(&server, "admin.demo");
    let mut expected = BTreeSet::new();
    for pupil in accounts(&server, &admin, "profile=National_ELV&class=4B") {
        let (_, card) = server.get_json(&admin, &format!("/api/v1/people/{}", id_of(&pupil)));
        for guardian in card["guardians"].as_array().expect("guardians") {
            expected.insert(guardian["id"].as_u64().expect("id"));
        }
    }
    assert!(expected.len() > 10, "{expected:?}");
    let teacher = token(&server, "enseignant.demo");
    let (status, sent) = send(
        &server,
        &teacher,
        &["parents:classe:4B".to_owned()],
        "Réunion parents-professeurs",
    );
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (status, shown) = server.get_json(&teacher, &format!("/api/v1/messages/{}", sent["id"]));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["to"][0]["label"], "Parents de 4e B");
    let reached: BTreeSet<u64> = shown["reached"]
        .as_array()
        .expect("the sender sees whom it reached")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(reached, expected);
    // A parent of the class has it, unread; a parent of 3A does not.
    let parent = token(&server, "parent.demo");
    let (_, inbox) = server.get_json(&parent, "/api/v1/messages?folder=inbox");
    let item = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["id"] == sent["id"])
        .expect("received")
        .clone();
    assert_eq!(item["read"], false);
    assert_eq!(item["subject"], "Réunion parents-professeurs");
    let (_, three_a) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_ELV&class=3A",
    );
    let (_, card) = server.get_json(
        &admin,
        &format!("/api/v1/people/{}", three_a["accounts"][0]["id"]),
    );
    let outsider = card["guardians"][0]["id"].as_u64().expect("id");
    if !expected.contains(&outsider) {
        let (_, account) = server.get_json(&admin, &format!("/api/v1/people/{outsider}"));
        let login = account["login"].as_str().expect("login");
        let other = token(&server, login);
        let (status, _) = server.get_json(&other, &format!("/api/v1/messages/{}", sent["id"]));
        assert_eq!(status, StatusCode::NOT_FOUND, "not in {login}'s mailbox");
    }
    // A pupil's message to the whole class's parents is refused whole, naming the group.
    let pupil = token(&server, "eleve.demo");
    let (_, before) = server.get_json(&pupil, "/api/v1/messages?folder=sent");
    let (status, refused) = send(
        &server,
        &pupil,
        &[
            person(shown["from"].as_u64().expect("id")),
            "parents:classe:4B".to_owned(),
        ],
        "Fête",
    );
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(
        refused["error"]["refused"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(refused["error"]["refused"][0]["label"], "Parents de 4e B");
    let (_, after) = server.get_json(&pupil, "/api/v1/messages?folder=sent");
    assert_eq!(before["total"], after["total"], "nothing sent");
}

#[test]
fn a_parent_writes_with_an_attachment_through_the_form_and_the_teacher_answers() {
    let server = Server::demo();
    let parent = server.signed_in_browser("parent.demo");
    let html = html_of(&parent, &server.url("/messagerie/nouveau"));
    // Without JavaScript, « Chercher » lists the recipients that match.
    let search = Form::new()
        .text("csrf", csrf_of(&html))
        .text("q", "moreau")
        .text("action", "chercher");
    let found = parent
        .post(server.url("/messagerie/nouveau"))
        .multipart(search)
        .send()
        .expect("request");
    assert_eq!(found.status(), StatusCode::OK);
    let found = found.text().expect("page");
    let teacher_id = {
        let start = found.find("value=\"personne:").expect("a person found") + 7;
        let end = found[start..].find('"').expect("end") + start;
        found[start..end].to_owned()
    };
    assert!(
        readable(&found).contains("Thomas Moreau"),
        "{}",
        readable(&found)
    );
    let pdf = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resources/fractions.pdf"),
    )
    .expect("fixture");
    let form = Form::new()
        .text("csrf", csrf_of(&found))
        .text("a", teacher_id.clone())
        .text("objet", "Certificat médical")
        .text("texte", "Bonjour,\n\nVoici le certificat de Léa.")
        .text("action", "envoyer")
        .part(
            "fichier",
            Part::bytes(pdf.clone()).file_name("certificat.pdf"),
        );
    let sent = parent
        .post(server.url("/messagerie/nouveau"))
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let address = sent.headers()[LOCATION]
        .to_str()
        .expect("address")
        .to_owned();
    let id: u64 = address
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("id");

    let teacher = server.signed_in_browser("enseignant.demo");
    let inbox = readable(&html_of(&teacher, &server.url("/messagerie")));
    assert!(
        inbox.contains("Certificat médical") && inbox.contains("Non lu"),
        "{inbox}"
    );
    let page = html_of(&teacher, &server.url(&address));
    assert!(
        readable(&page).contains("Voici le certificat"),
        "{}",
        readable(&page)
    );
    let file = teacher
        .get(server.url(&format!("/messagerie/messages/{id}/pieces-jointes/0")))
        .send()
        .expect("request");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.bytes().expect("bytes").as_ref(),
        pdf.as_slice(),
        "the same bytes"
    );
    // Someone who does not hold the message gets nothing.
    let cpe = server.signed_in_browser("cpe.demo");
    for path in [
        address.clone(),
        format!("/messagerie/messages/{id}/pieces-jointes/0"),
    ] {
        let response = cpe.get(server.url(&path)).send().expect("request");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // The answer comes back into the same conversation.
    let reply = html_of(
        &teacher,
        &server.url(&format!("/messagerie/nouveau?repondre={id}")),
    );
    assert!(
        reply.contains("RE: Certificat médical"),
        "{}",
        readable(&reply)
    );
    let form = Form::new()
        .text("csrf", csrf_of(&reply))
        .text("a", found_parent_id(&reply))
        .text("objet", "RE: Certificat médical")
        .text("texte", "Bien reçu, merci.")
        .text("reponse_a", id.to_string())
        .text("action", "envoyer");
    let answered = teacher
        .post(server.url("/messagerie/nouveau"))
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let conversation = readable(&html_of(
        &parent,
        &server.url(answered.headers()[LOCATION].to_str().expect("address")),
    ));
    assert!(
        conversation.contains("Bien reçu") && conversation.contains("Voici le certificat"),
        "{conversation}"
    );
}

/// The recipient the reply form chose: the original's sender.
fn found_parent_id(html: &str) -> String {
    let start = html.find("value=\"personne:").expect("a chosen recipient") + 7;
    let end = html[start..].find('"').expect("end") + start;
    html[start..end].to_owned()
}

#[test]
fn unread_counts_stay_right_under_concurrent_reads() {
    let server = Server::demo();
    let teacher = token(&server, "enseignant.demo");
    let admin = token(&server, "admin.demo");
    let parent_id = accounts(&server, &admin, "profile=National_TUT")
        .iter()
        .find(|account| login_of(account) == "parent.demo")
        .map(id_of)
        .expect("parent.demo");
    let parent = token(&server, "parent.demo");
    let unread = |token: &str| {
        let (_, inbox) = server.get_json(token, "/api/v1/messages?folder=inbox");
        inbox["unread"].as_u64().expect("unread")
    };
    let before = unread(&parent);
    let mut ids = Vec::new();
    for n in 0..24 {
        let (status, sent) = send(
            &server,
            &teacher,
            &[person(parent_id)],
            &format!("Note {n}"),
        );
        assert_eq!(status, StatusCode::CREATED);
        ids.push(sent["id"].as_u64().expect("id"));
    }
    assert_eq!(unread(&parent), before + 24);
    // Eight readers open the first sixteen messages, each message by several of them at once.
    std::thread::scope(|scope| {
        for reader in 0..8 {
            let ids = &ids;
            let server = &server;
            let parent = &parent;
            scope.spawn(move || {
                for (index, id) in ids.iter().take(16).enumerate() {
                    if (index + reader) % 2 == 0 {
                        let (status, _) =
                            server.get_json(parent, &format!("/api/v1/messages/{id}"));
                        assert_eq!(status, StatusCode::OK);
                    }
                }
            });
        }
    });
    assert_eq!(unread(&parent), before + 8);
}

#[test]
fn a_refused_message_loses_nothing_and_a_draft_keeps_its_file_until_deleted() {
    let server = Server::demo();
    let admin = token(&server, "admin.demo");
    let classmate = accounts(&server, &admin, "profile=National_ELV&class=4B")
        .into_iter()
        .find(|account| login_of(account) != "eleve.demo")
        .map(|account| id_of(&account))
        .expect("a classmate");
    let pupil = server.signed_in_browser("eleve.demo");
    let html = html_of(&pupil, &server.url("/messagerie/nouveau"));
    let text = b"Exercice 12 : x = 3".to_vec();
    let form = Form::new()
        .text("csrf", csrf_of(&html))
        .text("a", person(classmate))
        .text("objet", "Correction")
        .text("texte", "Voici ma correction.")
        .text("action", "envoyer")
        .part(
            "fichier",
            Part::bytes(text.clone()).file_name("correction.txt"),
        );
    let refused = pupil
        .post(server.url("/messagerie/nouveau"))
        .multipart(form)
        .send()
        .expect("request");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = refused.text().expect("page");
    let shown = readable(&page);
    assert!(shown.contains("Vous ne pouvez pas écrire à"), "{shown}");
    assert!(
        shown.contains("Correction") && shown.contains("correction.txt"),
        "{shown}"
    );
    // The text, the subject and the file wait in a draft.
    let drafts = readable(&html_of(&pupil, &server.url("/messagerie/brouillons")));
    assert!(drafts.contains("Correction"), "{drafts}");
    let start = page
        .find("name=\"brouillon\" value=\"")
        .expect("the draft's id")
        + 24;
    let draft: u64 = page[start..]
        .split('"')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("an id");
    let again = html_of(
        &pupil,
        &server.url(&format!("/messagerie/nouveau?brouillon={draft}")),
    );
    assert!(readable(&again).contains("correction.txt"));
    // Deleting it from the form's button.
    let delete = pupil
        .post(server.url(&format!("/messagerie/messages/{draft}/supprimer")))
        .form(&[("csrf", csrf_of(&again))])
        .send()
        .expect("request");
    assert_eq!(delete.status(), StatusCode::SEE_OTHER);
    assert_eq!(delete.headers()[LOCATION], "/messagerie/brouillons");
    let drafts = readable(&html_of(&pupil, &server.url("/messagerie/brouillons")));
    assert!(!drafts.contains("Correction"), "{drafts}");
}

#[test]
fn one_searches_one_s_own_messages_only() {
    let server = Server::demo();
    // The demo's parent wrote to the teacher about the orthodontist; the vie scolaire holds
    // no copy of it.
    for (login, finds) in [
        ("parent.demo", true),
        ("enseignant.demo", true),
        ("cpe.demo", false),
    ] {
        let browser = server.signed_in_browser(login);
        let page = readable(&html_of(
            &browser,
            &server.url("/messagerie/recherche?q=orthodontistes"),
        ));
        assert_eq!(page.contains("Absence de"), finds, "{login}: {page}");
    }
}
