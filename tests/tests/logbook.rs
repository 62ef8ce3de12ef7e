//! The cahier de textes end to end, with JavaScript off (plain HTTP: forms and links): a teacher
//! fills a session and sets homework; the class's pupils and parents read it, tick it and hand
//! it in; a pupil of another class gets nothing; a pupil moved to another class by the directory
//! keeps the old class's history up to the move and sees the new class's from then on.
//!
//! Dates come from the timetable around today: the demo and the sample feed are dated by the
//! first start, so the tests look for sessions near the day they run (the shipped calendar
//! covers the school year 2026-2027).

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use preau_tests::{
    admin_server, cli, data_dir, readable, Client, Server, StatusCode, ADMIN_PASSWORD,
    DEMO_PASSWORD,
};
use reqwest::blocking::multipart::{Form, Part};
use serde_json::Value;

fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

fn no_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A page as the holder of `token` sees it: status and HTML.
fn page(server: &Server, token: &str, path: &str) -> (StatusCode, String) {
    let response = no_redirects()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .expect("request");
    (response.status(), response.text().unwrap_or_default())
}

fn csrf_in(html: &str) -> String {
    preau_tests::csrf_of(html)
}

/// Posts a multipart form to a page, with the CSRF token of the page `from`.
fn post_form(
    server: &Server,
    token: &str,
    from: &str,
    to: &str,
    form: Form,
) -> reqwest::blocking::Response {
    let (status, html) = page(server, token, from);
    assert_eq!(status, StatusCode::OK, "{from}");
    no_redirects()
        .post(server.url(to))
        .bearer_auth(token)
        .multipart(form.text("csrf", csrf_in(&html)))
        .send()
        .expect("request")
}

/// A teacher's form for a session: the text, one new homework (due at the next session when
/// `due` is empty), and a document.
fn entry_form(content: &str, homework: &str, due: &str, hand_in: bool) -> Form {
    // The token goes first in our forms: `post_form` adds it, so it is added to an empty form
    // and the fields follow.
    Form::new()
        .text("contenu", content.to_owned())
        .text("devoir", "")
        .text("description", homework.to_owned())
        .text("pour", due.to_owned())
        .text("nature", "exercise")
        .text("minutes", "25")
        .text("rendu", if hand_in { "oui" } else { "non" })
        .part(
            "fichier",
            Part::bytes(b"Chapitre 4 : les fractions".to_vec()).file_name("consignes.txt"),
        )
}

fn save_entry(server: &Server, token: &str, session: &str, form: Form) {
    let address = format!("/cahier-de-textes/seances/{session}");
    let response = post_form(server, token, &address, &address, form);
    let status = response.status();
    let body = response.text().unwrap_or_default();
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", readable(&body));
}

/// The sessions of `query` (`class=4B`, or the caller's own) from `from` to `to`.
fn sessions(
    server: &Server,
    token: &str,
    from: NaiveDate,
    to: NaiveDate,
    query: &str,
) -> Vec<Value> {
    let (status, week) = server.get_json(
        token,
        &format!("/api/v1/timetable?from={from}&to={to}{query}"),
    );
    assert_eq!(status, StatusCode::OK, "{week}");
    week["sessions"].as_array().expect("sessions").clone()
}

fn date_of(session: &Value) -> NaiveDate {
    session["date"]
        .as_str()
        .expect("date")
        .parse()
        .expect("a date")
}

fn homework_list(
    server: &Server,
    token: &str,
    from: NaiveDate,
    to: NaiveDate,
    child: Option<u64>,
) -> Vec<Value> {
    let child = child.map(|id| format!("&child={id}")).unwrap_or_default();
    let (status, list) = server.get_json(
        token,
        &format!("/api/v1/homework?from={from}&to={to}{child}"),
    );
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().expect("a JSON list").clone()
}

fn with_description<'a>(list: &'a [Value], description: &str) -> Option<&'a Value> {
    list.iter().find(|item| item["description"] == description)
}

#[test]
fn a_filled_session_reaches_its_class_and_their_parents_and_no_one_else() {
    let server = Server::demo();
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    let today = today();

    // The teacher's next maths sessions of 4B: one to fill, the next where the homework is due.
    let mine = sessions(&server, &teacher, today, today + Days::new(40), "");
    let maths_4b: Vec<&Value> = mine
        .iter()
        .filter(|s| s["target"]["code"] == "4B" && s["subject"]["code"] == "061300")
        .collect();
    assert!(
        maths_4b.len() >= 2,
        "two maths sessions of 4B in the coming weeks"
    );
    let session = maths_4b[0]["id"].as_str().expect("id").to_owned();
    let given = date_of(maths_4b[0]);
    let next = maths_4b
        .iter()
        .map(|s| date_of(s))
        .find(|date| *date > given)
        .expect("a later session");

    // A form that cannot be read whole is refused whole, in French, and keeps what was typed.
    let before = homework_list(&server, &pupil, given, next + Days::new(1), None);
    let address = format!("/cahier-de-textes/seances/{session}");
    let refused = post_form(
        &server,
        &teacher,
        &address,
        &address,
        entry_form("Texte gardé", "Travail refusé", "31/02/2026", false),
    );
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let answer = readable(&refused.text().expect("HTML"));
    assert!(answer.contains("n'est pas une date"), "{answer}");
    assert!(
        answer.contains("Texte gardé") && answer.contains("Travail refusé"),
        "{answer}"
    );
    let after = homework_list(&server, &pupil, given, next + Days::new(1), None);
    assert_eq!(before, after, "nothing changed");

    save_entry(
        &server,
        &teacher,
        &session,
        entry_form(
            "<p onclick=\"voler()\">Les <strong>fractions</strong> égyptiennes</p><script>alert(1)</script>",
            "Lire le chapitre 4 et faire l'exercice 7",
            "",
            true,
        ),
    );

    // The pupil: the session's page, cleaned; « à faire » and the API.
    let (status, html) = page(
        &server,
        &pupil,
        &format!("/cahier-de-textes/seances/{session}"),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Les <strong>fractions</strong> égyptiennes"),
        "{html}"
    );
    assert!(
        !html.contains("voler()") && !html.contains("<script>alert"),
        "cleaned on the server"
    );
    assert!(html.contains("consignes.txt"), "the document is listed");
    let (status, todo) = page(&server, &pupil, "/cahier-de-textes/a-faire");
    assert_eq!(status, StatusCode::OK);
    let todo = readable(&todo);
    assert!(
        todo.contains("Lire le chapitre 4 et faire l'exercice 7"),
        "{todo}"
    );
    assert!(todo.contains("Mis à jour le"), "{todo}");
    let list = homework_list(&server, &pupil, given, next + Days::new(1), None);
    let item = with_description(&list, "Lire le chapitre 4 et faire l'exercice 7").expect("listed");
    assert_eq!(item["subject"]["code"], "061300");
    assert_eq!(item["subject"]["label"], "Mathématiques");
    assert_eq!(item["class"], "4B");
    assert_eq!(item["kind"], "exercise");
    assert_eq!(item["done"], false);
    assert_eq!(
        item["due"],
        next.to_string(),
        "due at the next session by default"
    );
    let id = item["id"].as_u64().expect("id");

    // Her parent, naming her; without naming a child the API asks for one.
    let (_, me) = server.get_json(&pupil, "/api/v1/me");
    let pupil_id = me["id"].as_u64().expect("id");
    let list = homework_list(&server, &parent, given, next + Days::new(1), Some(pupil_id));
    assert!(with_description(&list, "Lire le chapitre 4 et faire l'exercice 7").is_some());
    let (status, _) = server.get_json(&parent, &format!("/api/v1/homework?from={given}&to={next}"));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, todo) = page(
        &server,
        &parent,
        &format!("/cahier-de-textes/a-faire?enfant={pupil_id}"),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(readable(&todo).contains("Lire le chapitre 4 et faire l'exercice 7"));

    // A pupil of 3A: nothing in the list, the session and the homework closed.
    let (_, others) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_ELV&class=3A&state=active",
    );
    let other = others["accounts"][0]["login"]
        .as_str()
        .expect("a pupil of 3A")
        .to_owned();
    let (stranger, _, _) = server.api_login(&other, DEMO_PASSWORD);
    let list = homework_list(&server, &stranger, given, next + Days::new(1), None);
    assert!(
        list.iter().all(|item| item["class"] != "4B"),
        "nothing of 4B"
    );
    let (status, _) = page(
        &server,
        &stranger,
        &format!("/cahier-de-textes/seances/{session}"),
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = page(
        &server,
        &stranger,
        &format!("/cahier-de-textes/devoirs/{id}"),
    );
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server.get_json(
        &parent,
        &format!(
            "/api/v1/homework?from={given}&to={next}&child={}",
            me["id"].as_u64().unwrap_or(0) + 1_000_000
        ),
    );
    assert_eq!(status, StatusCode::NOT_FOUND, "not her child");

    // The homework is in her calendar subscription, all day on its due date.
    let (_, address) = server.get_json(&pupil, "/api/v1/agenda/ics-url");
    let url = address["url"].as_str().expect("url");
    let path = &url[url.find("/agenda/").expect("the path")..];
    let text = no_redirects()
        .get(server.url(path))
        .send()
        .expect("request")
        .text()
        .expect("text");
    let calendar = ical::IcalParser::new(text.as_bytes())
        .next()
        .expect("a calendar")
        .expect("parses");
    let uid = format!("devoir-{id}@");
    let event = calendar
        .events
        .iter()
        .find(|event| {
            event
                .properties
                .iter()
                .any(|p| p.name == "UID" && p.value.as_deref().is_some_and(|v| v.starts_with(&uid)))
        })
        .expect("the homework's event");
    let value = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("DTSTART"), next.format("%Y%m%d").to_string());
    assert_eq!(value("SUMMARY"), "À faire · Mathématiques");
    assert!(
        value("DESCRIPTION").contains("Lire le chapitre 4"),
        "{}",
        value("DESCRIPTION")
    );

    // Ticked done, privately.
    let (_, todo) = page(&server, &pupil, "/cahier-de-textes/a-faire");
    let response = no_redirects()
        .post(server.url(&format!("/cahier-de-textes/devoirs/{id}/fait")))
        .bearer_auth(&pupil)
        .form(&[("csrf", csrf_in(&todo).as_str()), ("fait", "oui")])
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let list = homework_list(&server, &pupil, given, next + Days::new(1), None);
    assert_eq!(
        with_description(&list, "Lire le chapitre 4 et faire l'exercice 7").expect("listed")
            ["done"],
        true
    );
    let list = homework_list(&server, &teacher, given, next + Days::new(1), None);
    assert!(
        with_description(&list, "Lire le chapitre 4 et faire l'exercice 7")
            .expect("the teacher's list")["done"]
            .is_null()
    );

    // Handed in, and back to the teacher as one zip.
    let hand_in = format!("/cahier-de-textes/devoirs/{id}");
    let form = Form::new().part(
        "fichier",
        Part::bytes(b"Exercice 7 : 3/4 = 1/2 + 1/4".to_vec()).file_name("exercice 7.txt"),
    );
    let response = post_form(&server, &pupil, &hand_in, &hand_in, form);
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, list) = page(&server, &teacher, &format!("{hand_in}/rendus"));
    assert_eq!(status, StatusCode::OK);
    let list = readable(&list);
    assert!(list.contains("Rendu le"), "{list}");
    let (status, _) = page(&server, &pupil, &format!("{hand_in}/rendus"));
    assert_eq!(status, StatusCode::FORBIDDEN);
    let zip = no_redirects()
        .get(server.url(&format!("{hand_in}/rendus.zip")))
        .bearer_auth(&teacher)
        .send()
        .expect("request");
    assert_eq!(zip.status(), StatusCode::OK);
    let bytes = zip.bytes().expect("bytes");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    assert_eq!(archive.len(), 1);
    let mut member = archive.by_index(0).expect("a member");
    let name = member.name().expect("a name").to_string();
    assert!(name.ends_with(" - exercice 7.txt"), "{name}");
    let mut text = String::new();
    member.read_to_string(&mut text).expect("reads");
    assert_eq!(text, "Exercice 7 : 3/4 = 1/2 + 1/4");
}

fn sample(prefix: &str) -> Vec<String> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/aaf/sample");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("sample folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(prefix))
        })
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    files
}

fn import(data: &Path, files: &[String]) {
    let mut args = vec!["directory", "import"];
    args.extend(files.iter().map(String::as_str));
    let (status, out) = cli(data, &args);
    assert!(status.success(), "{out}");
}

/// Signs `login` in after an administrator reset; returns a bearer token.
fn sign_in_reset(server: &Server, admin: &str, login: &str) -> String {
    let reset: Value = Client::new()
        .post(server.url(&format!("/api/v1/admin/accounts/{login}/reset-password")))
        .bearer_auth(admin)
        .send()
        .expect("request")
        .json()
        .expect("JSON");
    server.settle_password(login, reset["password"].as_str().expect("password"))
}

#[test]
fn a_pupil_moved_by_the_directory_keeps_the_old_class_up_to_the_move_and_the_new_one_after() {
    let data = data_dir();
    import(data.path(), &sample("ENT2D_Complet"));
    let (mut server, admin) = admin_server(data.path());
    // A timetable where nathan.garcia teaches maths to 6A and 6B every day.
    let mut csv = String::from("classe_ou_groupe;matiere;enseignants;salle;jour;debut;fin\n");
    for day in ["lundi", "mardi", "mercredi", "jeudi", "vendredi"] {
        csv.push_str(&format!("6A;061300;nathan.garcia;B1;{day};08:00;08:55\n"));
        csv.push_str(&format!("6B;061300;nathan.garcia;B2;{day};09:00;09:55\n"));
    }
    let form = Form::new().part(
        "fichier",
        Part::bytes(csv.into_bytes()).file_name("edt.csv"),
    );
    let response = post_form(
        &server,
        &admin,
        "/emploi-du-temps/gestion",
        "/emploi-du-temps/import",
        form,
    );
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        readable(&response.text().unwrap_or_default())
    );

    let teacher = sign_in_reset(&server, &admin, "nathan.garcia");
    let today = today();
    let around = |class: &str| {
        let before = sessions(
            &server,
            &admin,
            today - Days::new(30),
            today - Days::new(1),
            &format!("&class={class}"),
        );
        let after = sessions(
            &server,
            &admin,
            today + Days::new(1),
            today + Days::new(30),
            &format!("&class={class}"),
        );
        let last = before.last().expect("a session before today").clone();
        let first = after.first().expect("a session after today").clone();
        (last, first)
    };
    let (a_before, a_after) = around("6A");
    let (b_before, b_after) = around("6B");
    let mut written = Vec::new();
    for (session, label) in [
        (&a_before, "6A avant"),
        (&a_after, "6A après"),
        (&b_before, "6B avant"),
        (&b_after, "6B après"),
    ] {
        let id = session["id"].as_str().expect("id").to_owned();
        let due = date_of(session).to_string();
        save_entry(
            &server,
            &teacher,
            &id,
            entry_form(
                &format!("Séance {label}"),
                &format!("Travail {label}"),
                &due,
                false,
            ),
        );
        written.push((id, label));
    }

    // Before the move, yanis.vincent is in 6A.
    let pupil = sign_in_reset(&server, &admin, "yanis.vincent");
    let from = date_of(&a_before).min(date_of(&b_before));
    let to = date_of(&a_after).max(date_of(&b_after));
    let descriptions = |server: &Server, token: &str| -> Vec<String> {
        let mut found: Vec<String> = homework_list(server, token, from, to, None)
            .iter()
            .filter_map(|item| item["description"].as_str().map(str::to_owned))
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        descriptions(&server, &pupil),
        ["Travail 6A après", "Travail 6A avant"]
    );

    // The directory moves him to 6B today (the service is stopped while the command line
    // writes the store).
    server.terminate();
    import(data.path(), &sample("ENT2D_Delta"));
    server.restart();
    let pupil = server.api_login("yanis.vincent", ADMIN_PASSWORD).0;
    let admin = server.api_login(preau_tests::ADMIN_LOGIN, ADMIN_PASSWORD).0;
    let (_, moved) = server.get_json(&admin, "/api/v1/admin/accounts/yanis.vincent");
    assert_eq!(moved["class"], "6B", "{moved}");
    assert_eq!(
        descriptions(&server, &pupil),
        ["Travail 6A avant", "Travail 6B après"]
    );
    for (session, label) in &written {
        let (status, html) = page(
            &server,
            &pupil,
            &format!("/cahier-de-textes/seances/{session}"),
        );
        let open = matches!(*label, "6A avant" | "6B après");
        let expected = if open {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{label}");
        if open {
            assert!(readable(&html).contains(&format!("Séance {label}")));
        }
    }
    // The class pages say the same, week by week.
    let monday = |date: NaiveDate| {
        use chrono::Datelike;
        date - Days::new(u64::from(date.weekday().num_days_from_monday()))
    };
    // A week wholly out of his time in a class is refused (403).
    let week_text = |class: &str, session: &Value| {
        let (status, html) = page(
            &server,
            &pupil,
            &format!(
                "/cahier-de-textes/classe?classe={class}&semaine={}",
                monday(date_of(session))
            ),
        );
        assert!(
            matches!(status, StatusCode::OK | StatusCode::FORBIDDEN),
            "{class}: {status}"
        );
        readable(&html)
    };
    assert!(week_text("6A", &a_before).contains("Séance 6A avant"));
    assert!(!week_text("6A", &a_after).contains("Séance 6A après"));
    assert!(!week_text("6B", &b_before).contains("Séance 6B avant"));
    assert!(week_text("6B", &b_after).contains("Séance 6B après"));
}
