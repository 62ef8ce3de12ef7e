//! The timetable: `/api/v1/timetable`, the week pages with JavaScript off, session changes by
//! vie scolaire, and the CSV import that replaces the timetable whole or not at all.
//!
//! Dates are fixed in the 2026-2027 school year of zone B (the demo collège is in Aix-Marseille):
//! the week of 30 November 2026 is a school week (a week B), 11 November is a bank holiday, the
//! week of 21 December is in the Christmas break.

use preau_tests::{csrf_of, html_of, readable, Server, StatusCode, DEMO_PASSWORD};
use serde_json::Value;

const WEEK: &str = "from=2026-11-30&to=2026-12-05";

fn sessions(value: &Value) -> &Vec<Value> {
    value["sessions"].as_array().expect("a list of sessions")
}

/// The pupil's class code and group labels, from her card.
fn my_targets(server: &Server, token: &str) -> (String, Vec<String>) {
    let (_, me) = server.get_json(token, "/api/v1/me");
    let (_, card) = server.get_json(token, &format!("/api/v1/people/{}", me["id"]));
    let class = card["class"][0]
        .as_str()
        .expect("a pupil has a class")
        .to_owned();
    let groups = card["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    (class, groups)
}

fn pupil_page(server: &Server, path: &str) -> StatusCode {
    server
        .signed_in_browser("eleve.demo")
        .get(server.url(path))
        .send()
        .expect("request")
        .status()
}

#[test]
fn pupils_parents_and_teachers_see_the_weeks_that_concern_them_and_no_other() {
    let server = Server::demo();
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (status, week) = server.get_json(&pupil, &format!("/api/v1/timetable?{WEEK}"));
    assert_eq!(status, StatusCode::OK, "{week}");
    let list = sessions(&week);
    assert!(list.len() >= 20, "a full week of classes: {}", list.len());
    let (class, groups) = my_targets(&server, &pupil);
    assert_eq!(class, "4B");
    for session in list {
        let code = session["target"]["code"].as_str().expect("code");
        let label = session["target"]["label"].as_str().expect("label");
        match session["target"]["kind"].as_str() {
            Some("class") => assert_eq!(code, class),
            Some("group") => assert!(groups.iter().any(|g| g == label), "{session}"),
            other => panic!("unexpected target kind {other:?}"),
        }
        assert!(session["subject"]["label"]
            .as_str()
            .is_some_and(|l| !l.is_empty()));
        assert!(!session["teachers"].as_array().expect("teachers").is_empty());
        let date = session["date"].as_str().expect("date");
        assert!(("2026-11-30".."2026-12-05").contains(&date), "{date}");
        // Wednesday afternoon is free in a collège.
        if date == "2026-12-02" {
            assert!(
                session["start"].as_str().expect("start") < "12:00",
                "{session}"
            );
        }
    }
    // Dated in the Christmas break, and on a bank holiday: nothing.
    let (_, holidays) = server.get_json(&pupil, "/api/v1/timetable?from=2026-12-21&to=2026-12-26");
    assert!(sessions(&holidays).is_empty(), "{holidays}");
    let (_, armistice) = server.get_json(&pupil, "/api/v1/timetable?from=2026-11-11&to=2026-11-11");
    assert!(sessions(&armistice).is_empty());

    // Another class: refused to a pupil; allowed to a teacher of that class; the whole school
    // to vie scolaire.
    let (status, body) = server.get_json(&pupil, &format!("/api/v1/timetable?{WEEK}&class=6A"));
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = server.get_json(&pupil, &format!("/api/v1/timetable?{WEEK}&class=4B"));
    assert_eq!(status, StatusCode::OK);
    let (cpe, _, _) = server.api_login("cpe.demo", DEMO_PASSWORD);
    let (status, sixth) = server.get_json(&cpe, &format!("/api/v1/timetable?{WEEK}&class=6A"));
    assert_eq!(status, StatusCode::OK);
    assert!(sessions(&sixth).len() >= 20);

    // The parent names a child: their own, or nothing.
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (_, me) = server.get_json(&parent, "/api/v1/me");
    let children: Vec<u64> = me["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter_map(|c| c["id"].as_u64())
        .collect();
    assert_eq!(children.len(), 2);
    for child in &children {
        let (status, week) =
            server.get_json(&parent, &format!("/api/v1/timetable?{WEEK}&child={child}"));
        assert_eq!(status, StatusCode::OK);
        assert!(!sessions(&week).is_empty());
    }
    let (_, pupil_me) = server.get_json(&pupil, "/api/v1/me");
    let pupil_id = pupil_me["id"].as_u64().expect("id");
    let stranger = (1..400)
        .map(|n| pupil_id + n)
        .find(|id| !children.contains(id))
        .expect("another id");
    let (status, _) = server.get_json(
        &parent,
        &format!("/api/v1/timetable?{WEEK}&child={stranger}"),
    );
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The teacher's own week: only courses they teach.
    let (teacher, _, _) = server.api_login("enseignant.demo", DEMO_PASSWORD);
    let (_, teacher_me) = server.get_json(&teacher, "/api/v1/me");
    let teacher_id = teacher_me["id"].as_u64().expect("id");
    let (_, mine) = server.get_json(&teacher, &format!("/api/v1/timetable?{WEEK}"));
    assert!(!sessions(&mine).is_empty());
    for session in sessions(&mine) {
        assert!(
            session["teachers"]
                .as_array()
                .expect("teachers")
                .iter()
                .any(|t| t["id"].as_u64() == Some(teacher_id)),
            "{session}"
        );
    }

    // Bad ranges are refused with a French message.
    let (status, body) = server.get_json(&pupil, "/api/v1/timetable?from=2026-12-05&to=2026-11-30");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"]
        .as_str()
        .expect("message")
        .contains("Période"));
    let (status, _) = server.get_json(&pupil, "/api/v1/timetable?from=demain&to=2026-11-30");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The ends of the calendar are refused, not overflowed.
    for range in [
        "from=+262142-12-30&to=+262142-12-31",
        "from=262142-12-30&to=262142-12-31",
        "from=-262143-01-01&to=-262143-01-02",
    ] {
        let (status, _) = server.get_json(&pupil, &format!("/api/v1/timetable?{range}"));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{range}");
    }
    let page = pupil_page(&server, "/emploi-du-temps?semaine=262142-12-31");
    assert_eq!(page, StatusCode::OK, "an unreachable week shows this week");
}

#[test]
fn courses_of_alternate_weeks_come_every_other_school_week() {
    let server = Server::demo();
    let (cpe, _, _) = server.api_login("cpe.demo", DEMO_PASSWORD);
    let count = |from: &str, to: &str, class: &str| {
        let (_, week) = server.get_json(
            &cpe,
            &format!("/api/v1/timetable?from={from}&to={to}&class={class}"),
        );
        sessions(&week).len()
    };
    // Weeks since the rentrée: 23 November and 7 December are weeks A, 16 and 30 November B.
    let a = count("2026-11-23", "2026-11-28", "4B");
    let b = count("2026-11-30", "2026-12-05", "4B");
    assert_ne!(a, b, "alternating courses make weeks A and B differ");
    assert_eq!(count("2026-12-07", "2026-12-12", "4B"), a);
    assert_eq!(count("2026-11-16", "2026-11-21", "4B"), b);
    // The Toussaint break does not count: 12 October was a week A, 2 November a week B.
    assert_eq!(count("2026-10-12", "2026-10-17", "4B"), a);
    assert_eq!(count("2026-11-02", "2026-11-07", "4B"), b);
    // Wednesday 11 November (Armistice) has no class: that week A is short of its Wednesday.
    let armistice = count("2026-11-11", "2026-11-11", "4B");
    assert_eq!(armistice, 0);
    assert!(count("2026-11-09", "2026-11-14", "4B") < a);
}

#[test]
fn vie_scolaire_changes_a_session_and_the_class_sees_it_without_javascript() {
    let server = Server::demo();
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (_, week) = server.get_json(&pupil, &format!("/api/v1/timetable?{WEEK}"));
    let first = sessions(&week)
        .iter()
        .find(|s| s["target"]["kind"] == "class")
        .expect("a class session")
        .clone();
    let id = first["id"].as_str().expect("id").to_owned();
    let subject = first["subject"]["label"]
        .as_str()
        .expect("label")
        .to_owned();

    // The pupil's week page (no JavaScript: plain HTML) shows the subject.
    let pupil_browser = server.signed_in_browser("eleve.demo");
    // Her home page has today's day of the timetable (whatever day the test runs: a school day
    // lists its sessions, another day says why there is no class).
    let home = readable(&html_of(&pupil_browser, &server.url("/")));
    assert!(home.contains("Aujourd'hui · "), "{home}");
    assert!(home.contains("href=\"/emploi-du-temps\""), "{home}");
    let page = readable(&html_of(
        &pupil_browser,
        &server.url("/emploi-du-temps?semaine=2026-11-30"),
    ));
    assert!(page.contains(&subject), "the week lists {subject}");
    assert!(
        page.contains("Semaine du 30 novembre au samedi 5 décembre 2026 · semaine B"),
        "{page}"
    );
    // A pupil cannot open the change form.
    let response = pupil_browser
        .get(server.url(&format!("/emploi-du-temps/seances/{id}")))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Vie scolaire cancels it and moves nothing else.
    let cpe = server.signed_in_browser("cpe.demo");
    let form_url = server.url(&format!("/emploi-du-temps/seances/{id}"));
    let form = html_of(&cpe, &form_url);
    assert!(readable(&form).contains("Modifier cette séance"), "{form}");
    let response = cpe
        .post(&form_url)
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("annule", "oui"),
            ("salle", "CDI"),
            ("remplacant", ""),
            ("mot", "Sortie au musée"),
        ])
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (_, after) = server.get_json(&pupil, &format!("/api/v1/timetable?{WEEK}"));
    let changed = sessions(&after)
        .iter()
        .find(|s| s["id"] == id.as_str())
        .expect("the session is still listed");
    assert_eq!(changed["cancelled"], true);
    assert_eq!(changed["room"], "CDI");
    assert_eq!(changed["room_changed"], true);
    assert_eq!(changed["note"], "Sortie au musée");
    let page = readable(&html_of(
        &pupil_browser,
        &server.url("/emploi-du-temps?semaine=2026-11-30"),
    ));
    assert!(
        page.contains("Annulé") && page.contains("Sortie au musée"),
        "{page}"
    );
    // The phone calendar says so too.
    let (_, address) = server.get_json(&pupil, "/api/v1/agenda/ics-url");
    let (_, text) = fetch_calendar(&server, address["url"].as_str().expect("url"));
    let calendar = parse_calendar(&text);
    let event = event_of(&calendar, &id).expect("the cancelled session");
    let value = |name: &str| {
        property(&event.properties, name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("STATUS"), "CANCELLED");
    assert_eq!(value("LOCATION"), "CDI");
    assert!(value("SUMMARY").ends_with("annulé"), "{}", value("SUMMARY"));
    assert!(value("DESCRIPTION").contains("Sortie au musée"));

    // A change on a date the course does not run is refused.
    let (course, _) = id.split_once('-').expect("slug");
    let response = cpe
        .get(server.url(&format!("/emploi-du-temps/seances/{course}-20261225")))
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[test]
fn a_bad_timetable_file_changes_nothing_and_names_each_bad_line() {
    let server = Server::demo();
    let (cpe, _, _) = server.api_login("cpe.demo", DEMO_PASSWORD);
    let (_, before) = server.get_json(&cpe, &format!("/api/v1/timetable?{WEEK}&class=6A"));
    let before = sessions(&before).len();
    assert!(before > 0);
    let browser = server.signed_in_browser("cpe.demo");
    let manage = html_of(&browser, &server.url("/emploi-du-temps/gestion"));
    let csrf = csrf_of(&manage);
    let upload = |csv: &'static str| {
        let form = reqwest::blocking::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part(
                "fichier",
                reqwest::blocking::multipart::Part::bytes(csv.as_bytes().to_vec())
                    .file_name("edt.csv"),
            );
        browser
            .post(server.url("/emploi-du-temps/import"))
            .multipart(form)
            .send()
            .expect("request")
    };
    let bad = "classe_ou_groupe;matiere;enseignants;salle;jour;debut;fin\n\
               6A;061300;enseignant.demo;B10;lundi;08:00;08:55\n\
               6A;061300;personne.inconnue;B10;mardi;08:00;08:55\n\
               9Z;Mathématiques;enseignant.demo;B10;mercredi;25:00;08:55\n";
    let response = upload(bad);
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text().expect("HTML"));
    assert!(page.contains("Rien n'a été modifié"), "{page}");
    assert!(
        page.contains("Ligne 3 : « personne.inconnue » n'est pas l'identifiant d'un enseignant."),
        "{page}"
    );
    assert!(
        page.contains("Ligne 4 : aucune classe ni aucun groupe « 9Z »."),
        "{page}"
    );
    assert!(
        page.contains("Ligne 4 : « 25:00 » n'est pas une heure"),
        "{page}"
    );
    let (_, unchanged) = server.get_json(&cpe, &format!("/api/v1/timetable?{WEEK}&class=6A"));
    assert_eq!(sessions(&unchanged).len(), before, "nothing changed");

    // A good file replaces the whole timetable.
    let good = "classe_ou_groupe;matiere;enseignants;salle;jour;debut;fin;semaine\n\
                6A;061300;enseignant.demo;B10;lundi;08:00;08:55;toutes\n\
                6A;Français;enseignant.demo;B10;mardi;9h;9h55;A\n";
    let response = upload(good);
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, after) = server.get_json(&cpe, &format!("/api/v1/timetable?{WEEK}&class=6A"));
    let after = sessions(&after);
    assert_eq!(after.len(), 1, "week B: only the weekly course");
    assert_eq!(after[0]["subject"]["code"], "061300");
    assert_eq!(after[0]["room"], "B10");
    let (_, week_a) = server.get_json(
        &cpe,
        "/api/v1/timetable?from=2026-11-23&to=2026-11-28&class=6A",
    );
    assert_eq!(sessions(&week_a).len(), 2);
    // A pupil cannot import.
    let pupil = server.signed_in_browser("eleve.demo");
    let response = pupil
        .post(server.url("/emploi-du-temps/import"))
        .multipart(reqwest::blocking::multipart::Form::new().text("csrf", "x"))
        .send()
        .expect("request");
    assert!(
        matches!(response.status(), StatusCode::FORBIDDEN),
        "{}",
        response.status()
    );
}

/// The calendar at `url` (a full address given by the API), fetched without any session.
fn fetch_calendar(server: &Server, url: &str) -> (StatusCode, String) {
    let path = &url[url.find("/agenda/").expect("an /agenda/ address")..];
    let response = reqwest::blocking::Client::new()
        .get(server.url(path))
        .send()
        .expect("request");
    let status = response.status();
    if status == StatusCode::OK {
        let media = response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(media, "text/calendar; charset=utf-8");
    }
    (status, response.text().expect("text"))
}

fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    ical::IcalParser::new(text.as_bytes())
        .next()
        .expect("a calendar")
        .expect("parses")
}

/// The event of the session `id` (`<course>-<yyyymmdd>`), whose UID starts with it.
fn event_of<'a>(
    calendar: &'a ical::parser::ical::component::IcalCalendar,
    id: &str,
) -> Option<&'a ical::parser::ical::component::IcalEvent> {
    let start = format!("{id}@");
    calendar.events.iter().find(|event| {
        property(&event.properties, "UID")
            .and_then(|p| p.value.as_deref())
            .is_some_and(|uid| uid.starts_with(&start))
    })
}

fn property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    properties.iter().find(|p| p.name == name)
}

/// The UTC offset, in hours, that a VTIMEZONE gives a local time: the observance whose yearly
/// rule (`BYMONTH=m;BYDAY=-1SU`) took effect last.
fn offset_from_vtimezone(
    zone: &ical::parser::ical::component::IcalTimeZone,
    local: chrono::NaiveDateTime,
) -> i32 {
    use chrono::{Datelike, Duration, NaiveDate, Weekday};
    let mut best: Option<(chrono::NaiveDateTime, i32)> = None;
    for transition in &zone.transitions {
        let value = |name: &str| {
            property(&transition.properties, name)
                .and_then(|p| p.value.clone())
                .expect(name)
        };
        let rule = value("RRULE");
        let month: u32 = rule
            .split("BYMONTH=")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .and_then(|m| m.parse().ok())
            .expect("BYMONTH");
        assert!(rule.contains("BYDAY=-1SU"), "{rule}");
        let start = chrono::NaiveDateTime::parse_from_str(&value("DTSTART"), "%Y%m%dT%H%M%S")
            .expect("DTSTART");
        let to = value("TZOFFSETTO");
        let hours: i32 = to[..3].parse().expect("offset");
        for year in [local.year() - 1, local.year()] {
            let first_next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)
            }
            .expect("date");
            let mut day = first_next - Duration::days(1);
            while day.weekday() != Weekday::Sun {
                day -= Duration::days(1);
            }
            let at = day.and_time(start.time());
            if at <= local && best.is_none_or(|(when, _)| at > when) {
                best = Some((at, hours));
            }
        }
    }
    best.expect("an observance applies").1
}

#[test]
fn a_person_subscribes_a_phone_calendar_that_holds_their_sessions_at_paris_time() {
    use chrono::TimeZone;
    let server = Server::demo();
    let (pupil, _, _) = server.api_login("eleve.demo", DEMO_PASSWORD);
    let (status, address) = server.get_json(&pupil, "/api/v1/agenda/ics-url");
    assert_eq!(status, StatusCode::OK, "{address}");
    let url = address["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with(".ics"),
        "{url}"
    );
    let (status, text) = fetch_calendar(&server, &url);
    assert_eq!(status, StatusCode::OK);

    // RFC 5545 framing: CRLF line ends, no line longer than 75 octets.
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
        assert!(!line.contains('\n'), "bare line feed");
    }
    let calendar = parse_calendar(&text);
    let zone = calendar
        .timezones
        .iter()
        .find(|zone| {
            property(&zone.properties, "TZID").and_then(|p| p.value.as_deref())
                == Some("Europe/Paris")
        })
        .expect("a VTIMEZONE for Europe/Paris");
    assert!(
        calendar.events.len() > 500,
        "a school year: {}",
        calendar.events.len()
    );
    let mut uids = std::collections::BTreeSet::new();
    for event in &calendar.events {
        let uid = property(&event.properties, "UID")
            .and_then(|p| p.value.clone())
            .expect("UID");
        assert!(uids.insert(uid.clone()), "UIDs are unique: {uid}");
        assert!(property(&event.properties, "DTSTAMP").is_some());
    }

    // Friday 16 October 2026 is in summer time, Monday 2 November in winter time (the clocks
    // went back on 25 October): the same 08:00 course is 06:00 UTC, then 07:00 UTC.
    let paris = chrono_tz::Europe::Paris;
    for (from, offset) in [("2026-10-16", 2), ("2026-11-02", 1)] {
        let (_, day) = server.get_json(&pupil, &format!("/api/v1/timetable?from={from}&to={from}"));
        let sessions = sessions(&day);
        assert!(!sessions.is_empty(), "{from} has classes");
        for session in sessions {
            let id = session["id"].as_str().expect("id");
            let event = event_of(&calendar, id)
                .unwrap_or_else(|| panic!("the session {id} is in the calendar"));
            let start = property(&event.properties, "DTSTART").expect("DTSTART");
            let params = start.params.clone().unwrap_or_default();
            assert!(
                params
                    .iter()
                    .any(|(name, values)| name == "TZID" && values == &["Europe/Paris"]),
                "{params:?}"
            );
            let local = chrono::NaiveDateTime::parse_from_str(
                start.value.as_deref().expect("value"),
                "%Y%m%dT%H%M%S",
            )
            .expect("local time");
            let expected = format!("{}T{}", from, session["start"].as_str().expect("start"));
            assert_eq!(local.format("%Y-%m-%dT%H:%M").to_string(), expected);
            assert_eq!(offset_from_vtimezone(zone, local), offset, "{from}");
            let utc = paris
                .from_local_datetime(&local)
                .single()
                .expect("one instant");
            assert_eq!(
                utc.offset().to_string(),
                format!("CE{}T", if offset == 2 { "S" } else { "" })
            );
            let summary = property(&event.properties, "SUMMARY")
                .and_then(|p| p.value.clone())
                .expect("SUMMARY");
            assert!(
                summary.starts_with(session["subject"]["label"].as_str().expect("label")),
                "{summary}"
            );
        }
    }

    // Renewed: the old address is gone, the new one works; other people's stay as they were.
    let (parent, _, _) = server.api_login("parent.demo", DEMO_PASSWORD);
    let (_, parent_address) = server.get_json(&parent, "/api/v1/agenda/ics-url");
    let response = reqwest::blocking::Client::new()
        .post(server.url("/api/v1/agenda/ics-url/revoke"))
        .bearer_auth(&pupil)
        .send()
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let renewed: Value = response.json().expect("JSON");
    let renewed = renewed["url"].as_str().expect("url");
    assert_ne!(renewed, url);
    assert_eq!(fetch_calendar(&server, &url).0, StatusCode::NOT_FOUND);
    assert_eq!(fetch_calendar(&server, renewed).0, StatusCode::OK);
    let (_, again) = server.get_json(&pupil, "/api/v1/agenda/ics-url");
    assert_eq!(
        again["url"], renewed,
        "the address stays the same until renewed"
    );
    let (status, family) = fetch_calendar(&server, parent_address["url"].as_str().expect("url"));
    assert_eq!(status, StatusCode::OK);
    let family = parse_calendar(&family);
    let (_, me) = server.get_json(&parent, "/api/v1/me");
    for child in me["children"].as_array().expect("children") {
        let first = child["display_name"]
            .as_str()
            .and_then(|name| name.split(' ').next())
            .expect("a first name");
        let mark = format!(" ({first})");
        assert!(
            family
                .events
                .iter()
                .any(|event| property(&event.properties, "SUMMARY")
                    .and_then(|p| p.value.as_deref())
                    .is_some_and(|summary| summary.ends_with(&mark))),
            "a parent's calendar names each child: {first}"
        );
    }
    // A forged address answers as a missing one.
    let forged = format!("{}x.ics", &renewed[..renewed.len() - ".ics".len() - 1]);
    assert_eq!(fetch_calendar(&server, &forged).0, StatusCode::NOT_FOUND);
}
