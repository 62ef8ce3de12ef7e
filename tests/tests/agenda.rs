//! The agenda end to end, with JavaScript off: vie scolaire announces a meeting to 4B with the
//! form; its pupils and parents see it on their pages, in the API and in their calendar
//! subscription at the right Paris time; another class does not; a personal event stays its
//! author's; a refused form adds nothing.

use preau_tests::{csrf_of, html_of, readable, Server, StatusCode, DEMO_PASSWORD};
use reqwest::header::LOCATION;

fn titles(server: &Server, token: &str) -> Vec<String> {
    let (status, list) =
        server.get_json(token, "/api/v1/agenda/events?from=2026-12-01&to=2026-12-31");
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|event| event["title"].as_str().map(str::to_owned))
        .collect()
}

fn add(server: &Server, login: &str, fields: &[(&str, &str)]) -> reqwest::blocking::Response {
    let browser = server.signed_in_browser(login);
    let csrf = csrf_of(&html_of(&browser, &server.url("/agenda/nouvel-evenement")));
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser
        .post(server.url("/agenda/nouvel-evenement"))
        .form(&form)
        .send()
        .expect("request")
}

#[test]
fn an_event_reaches_its_audience_on_pages_api_and_calendar_and_no_one_else() {
    let server = Server::demo();
    let created = add(
        &server,
        "cpe.demo",
        &[
            ("titre", "Réunion d'information sur le brevet"),
            ("nature", "parents_meeting"),
            ("public", "classe:4B"),
            ("debut", "2026-12-03"),
            ("heure_debut", "18:00"),
            ("heure_fin", "19:30"),
            ("lieu", "Réfectoire"),
        ],
    );
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let address = created.headers()[LOCATION]
        .to_str()
        .expect("address")
        .to_owned();
    assert!(address.starts_with("/agenda/evenements/"), "{address}");

    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (admin, _, _) = server.api_login("admin.demo", DEMO_PASSWORD);
    assert!(titles(&server, &pupil).contains(&"Réunion d'information sur le brevet".to_owned()));
    assert!(titles(&server, &parent).contains(&"Réunion d'information sur le brevet".to_owned()));
    let week = html_of(
        &server.signed_in_browser("eleve.demo"),
        &server.url("/agenda?vue=semaine&date=2026-12-03"),
    );
    let week = readable(&week);
    assert!(week.contains("Jeudi 3 décembre 2026"), "{week}");
    let day = &week[week.find("Jeudi 3 décembre 2026").expect("the day")..];
    let day = &day[..day.find("Vendredi").expect("the next day")];
    assert!(
        day.contains("18:00 – 19:30") && day.contains("Réunion d'information sur le brevet"),
        "{day}"
    );

    // A pupil of 3A: neither in the list nor at the address.
    let (_, others) = server.get_json(
        &admin,
        "/api/v1/admin/accounts?profile=National_ELV&class=3A&state=active",
    );
    let other = others["accounts"][0]["login"]
        .as_str()
        .expect("a pupil of 3A")
        .to_owned();
    let (stranger, _, _) = server.api_login(&other, DEMO_PASSWORD);
    assert!(!titles(&server, &stranger).contains(&"Réunion d'information sur le brevet".to_owned()));
    let status = server
        .signed_in_browser(&other)
        .get(server.url(&address))
        .send()
        .expect("request")
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // In the pupil's calendar, at 18:00 Paris time.
    let (_, subscription) = server.get_json(&pupil, "/api/v1/agenda/ics-url");
    let url = subscription["url"].as_str().expect("url");
    let text = reqwest::blocking::get(server.url(&url[url.find("/agenda/").expect("path")..]))
        .expect("request")
        .text()
        .expect("text");
    let calendar = ical::IcalParser::new(text.as_bytes())
        .next()
        .expect("a calendar")
        .expect("parses");
    let event = calendar
        .events
        .iter()
        .find(|event| {
            event.properties.iter().any(|p| {
                p.name == "SUMMARY"
                    && p.value.as_deref() == Some("Réunion d'information sur le brevet")
            })
        })
        .expect("the event");
    let start = event
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .expect("DTSTART");
    assert_eq!(start.value.as_deref(), Some("20261203T180000"));
    let zone: Vec<&(String, Vec<String>)> = start.params.iter().flatten().collect();
    assert!(
        zone.iter()
            .any(|(name, values)| name == "TZID" && values[0] == "Europe/Paris"),
        "{zone:?}"
    );
    let location = event
        .properties
        .iter()
        .find(|p| p.name == "LOCATION")
        .and_then(|p| p.value.clone());
    assert_eq!(location.as_deref(), Some("Réfectoire"));

    // A personal event is its author's alone.
    let mine = add(
        &server,
        "eleve.demo",
        &[
            ("titre", "Anniversaire de Jules"),
            ("nature", "other"),
            ("public", "moi"),
            ("debut", "2026-12-12"),
            ("journee", "oui"),
        ],
    );
    assert_eq!(mine.status(), StatusCode::SEE_OTHER);
    assert!(titles(&server, &pupil).contains(&"Anniversaire de Jules".to_owned()));
    assert!(!titles(&server, &parent).contains(&"Anniversaire de Jules".to_owned()));
    // A pupil cannot announce to a class: the form does not offer it, and the server refuses.
    let refused = add(
        &server,
        "eleve.demo",
        &[
            ("titre", "Fête"),
            ("nature", "other"),
            ("public", "classe:4B"),
            ("debut", "2026-12-12"),
        ],
    );
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // A refused form says why in French and adds nothing.
    let before = titles(&server, &pupil).len();
    let bad = add(
        &server,
        "eleve.demo",
        &[
            ("titre", "À l'envers"),
            ("nature", "other"),
            ("public", "moi"),
            ("debut", "2026-12-12"),
            ("heure_debut", "18:00"),
            ("heure_fin", "17:00"),
        ],
    );
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let page = readable(&bad.text().expect("HTML"));
    assert!(page.contains("La fin doit suivre le début."), "{page}");
    assert!(page.contains("À l'envers"), "what was typed is kept");
    assert_eq!(titles(&server, &pupil).len(), before);
}
