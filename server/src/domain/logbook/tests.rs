//! The cahier de textes on the demo collège: a teacher fills a session, those concerned read it,
//! nobody else does, and a pupil's change of class keeps the history right.

use chrono::{Days, NaiveDate};

use super::entry::HomeworkKind;
use super::write::{EntryInput, HomeworkInput};
use crate::demo::testing::DemoSchool;
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::timetable::session::Session;
use crate::domain::timetable::Whose;
use crate::domain::DomainError;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// The first session of the week of 7 September 2026 that `teacher` gives to `target`.
fn session_of(school: &DemoSchool, teacher: &Account, target: &Target) -> Session {
    let monday = date("2026-09-07");
    school
        .domain
        .my_sessions(teacher, monday, monday + Days::new(4))
        .expect("the teacher's week")
        .into_iter()
        .flat_map(|found| found.day.sessions)
        .find(|session| &session.target == target)
        .expect("a session for the class")
}

fn homework(description: &str, due: Option<NaiveDate>) -> HomeworkInput {
    HomeworkInput {
        id: None,
        description: description.to_owned(),
        due,
        kind: HomeworkKind::Exercise,
        minutes: Some(20),
        hand_in: true,
    }
}

#[test]
fn a_filled_session_reaches_its_pupils_and_parents_and_nobody_else() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    let four_b = Target::Class("4B".into());
    let session = session_of(&school, &teacher, &four_b);
    let saved = domain
        .save_entry(
            &teacher,
            session.course,
            session.date,
            EntryInput {
                content:
                    "<p onclick=\"x()\">Les <strong>fractions</strong></p><script>alert(1)</script>"
                        .into(),
                homework: vec![homework("Exercices 3 et 4 p. 52", None)],
                ..EntryInput::default()
            },
            None,
        )
        .expect("saves")
        .expect("an entry");
    assert_eq!(saved.content, "<p>Les <strong>fractions</strong></p>");
    let due = saved.homework[0].due;
    assert_eq!(
        due,
        domain
            .next_session_date(&four_b, &session.subject, session.date)
            .expect("next session"),
        "due at the next session of the subject by default"
    );
    assert!(due > session.date);

    let week = |viewer: &Account, whose: &Whose| {
        domain.homework_due(viewer, whose, session.date, session.date + Days::new(30))
    };
    let ours = |items: Vec<super::homework::HomeworkItem>| -> Vec<super::homework::HomeworkItem> {
        items
            .into_iter()
            .filter(|item| item.homework.description == "Exercices 3 et 4 p. 52")
            .collect()
    };
    let mine = ours(week(&pupil, &Whose::Mine).expect("the pupil's list"));
    assert_eq!(mine.len(), 1);
    let child = ours(week(&parent, &Whose::Child(pupil.id)).expect("the parent's list"));
    assert_eq!(child.len(), 1);

    // Another class's pupil and a stranger's parent get nothing.
    let other = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Eleve && a.class() == Some("3A"))
        .expect("a pupil of 3A");
    assert!(ours(week(&other, &Whose::Mine).expect("their list")).is_empty());
    assert!(matches!(
        domain.logbook_session(&other, session.course, session.date),
        Err(DomainError::Forbidden)
    ));
    assert!(matches!(
        week(&parent, &Whose::Child(other.id)),
        Err(DomainError::UnknownPerson(_))
    ));
    let id = mine[0].homework.id;
    assert!(matches!(
        domain.homework(&other, id),
        Err(DomainError::UnknownHomework(_))
    ));

    // Ticks are the pupil's own.
    domain.set_homework_done(&pupil, id, true).expect("ticks");
    assert!(ours(week(&pupil, &Whose::Mine).expect("list"))[0].done);
    assert!(matches!(
        domain.set_homework_done(&other, id, true),
        Err(DomainError::UnknownHomework(_))
    ));
    assert!(matches!(
        domain.set_homework_done(&parent, id, true),
        Err(DomainError::Forbidden)
    ));

    // A refused change writes nothing.
    let before = domain.tables().content();
    let refused = domain.save_entry(
        &teacher,
        session.course,
        session.date,
        EntryInput {
            content: "Autre chose".into(),
            homework: vec![homework("Trop tôt", Some(session.date - Days::new(1)))],
            ..EntryInput::default()
        },
        None,
    );
    assert!(matches!(refused, Err(DomainError::InvalidEntry(_))));
    assert!(before == domain.tables().content(), "nothing written");

    // Only the session's teachers write it.
    let colleague = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| {
            a.profile == Profile::Enseignant
                && a.id != teacher.id
                && !session.teachers.contains(&a.id)
        })
        .expect("a colleague");
    assert!(!domain
        .logbook_session(&colleague, session.course, session.date)
        .map(|found| found.may_write)
        .unwrap_or(false));
}

#[test]
fn hand_ins_come_back_to_the_teacher_as_one_zip() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let pupil = school.account("eleve.demo");
    let four_b = Target::Class("4B".into());
    let session = session_of(&school, &teacher, &four_b);
    let entry = domain
        .save_entry(
            &teacher,
            session.course,
            session.date,
            EntryInput {
                homework: vec![homework("Rédiger la démonstration", None)],
                ..EntryInput::default()
            },
            None,
        )
        .expect("saves")
        .expect("an entry");
    let id = entry.homework[0].id;
    let blobs = domain.blobs().expect("files");
    let staged = blobs
        .stage_bytes(
            "démonstration.txt",
            b"Soit ABC un triangle rectangle en A.",
            1 << 20,
        )
        .expect("stages");
    domain.hand_in(&pupil, id, staged).expect("hands in");
    let list = domain.hand_ins(&teacher, id).expect("the teacher's list");
    assert!(list.len() > 20, "every pupil of 4B is expected");
    assert_eq!(list.iter().filter(|p| p.hand_in.is_some()).count(), 1);
    assert!(matches!(
        domain.hand_ins(&pupil, id),
        Err(DomainError::Forbidden)
    ));
    let archive = domain.hand_ins_archive(&teacher, id).expect("zips");
    assert_eq!(archive.count, 1);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive.file.path()).expect("opens"))
        .expect("a zip");
    let mut member = zip.by_index(0).expect("one member");
    assert_eq!(
        member.name().expect("a name"),
        format!(
            "{} {} - démonstration.txt",
            pupil.last_name, pupil.first_name
        )
    );
    let mut text = String::new();
    std::io::Read::read_to_string(&mut member, &mut text).expect("reads");
    assert_eq!(text, "Soit ABC un triangle rectangle en A.");
}

#[test]
fn a_pupil_who_changes_class_keeps_the_old_history_and_gets_the_new_from_then_on() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let four_b = Target::Class("4B".into());
    let session = session_of(&school, &teacher, &four_b);
    let later = session.date + Days::new(14);
    domain
        .save_entry(
            &teacher,
            session.course,
            session.date,
            EntryInput {
                content: "Séance d'avant le changement".into(),
                homework: vec![homework(
                    "Pour la semaine suivante",
                    Some(session.date + Days::new(7)),
                )],
                ..EntryInput::default()
            },
            None,
        )
        .expect("saves");
    domain
        .save_entry(
            &teacher,
            session.course,
            later,
            EntryInput {
                content: "Séance d'après le changement".into(),
                homework: vec![homework("Pour plus tard", Some(later + Days::new(7)))],
                ..EntryInput::default()
            },
            None,
        )
        .expect("saves");
    // A pupil of 4A moves to 4B on the Monday between the two sessions.
    let moved_on = session.date + Days::new(10);
    let mut pupil = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Eleve && a.class() == Some("4A"))
        .expect("a pupil of 4A");
    let schooling = pupil.pupil.clone().expect("schooling");
    let mut directory = schooling.clone();
    directory.class = Some("4B".into());
    pupil.pupil = Some(schooling.moved_to(&directory, moved_on));
    domain
        .tables()
        .accounts
        .insert(crate::store::keys::id(pupil.id), &pupil)
        .expect("writes");

    let entries = domain
        .logbook_entries(&pupil, &four_b, session.date, later)
        .expect("readable from the change on");
    assert!(entries.iter().all(|entry| entry.date >= moved_on));
    let ours: Vec<_> = entries
        .iter()
        .filter(|entry| entry.course == session.course)
        .map(|entry| entry.date)
        .collect();
    assert_eq!(ours, [later], "only the session after the change");
    let list = domain
        .homework_due(&pupil, &Whose::Mine, session.date, later + Days::new(10))
        .expect("list");
    let descriptions: Vec<_> = list
        .iter()
        .map(|i| i.homework.description.as_str())
        .filter(|d| d.starts_with("Pour "))
        .collect();
    assert_eq!(descriptions, ["Pour plus tard"]);
    assert!(list
        .iter()
        .all(|item| item.homework.due >= moved_on || item.entry.target != four_b));
    assert!(matches!(
        domain.logbook_session(&pupil, session.course, session.date),
        Err(DomainError::Forbidden)
    ));
    assert!(domain
        .logbook_session(&pupil, session.course, later)
        .is_ok());
}

#[test]
fn copies_and_visas() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let taught = domain.teaching_targets(&teacher).expect("targets");
    let four_b = Target::Class("4B".into());
    let other = taught
        .iter()
        .find(|t| **t != four_b && matches!(t, Target::Class(_)))
        .expect("another class")
        .clone();
    let from = session_of(&school, &teacher, &four_b);
    let to = session_of(&school, &teacher, &other);
    domain
        .save_entry(
            &teacher,
            from.course,
            from.date,
            EntryInput {
                content: "Théorème de Pythagore".into(),
                homework: vec![homework("Apprendre l'énoncé", None)],
                ..EntryInput::default()
            },
            None,
        )
        .expect("saves");
    domain
        .copy_entry(&teacher, (from.course, from.date), (to.course, to.date))
        .expect("copies");
    let copied = domain
        .logbook_session(&teacher, to.course, to.date)
        .expect("reads")
        .entry
        .expect("an entry");
    assert!(
        copied.content.ends_with("<p>Théorème de Pythagore</p>"),
        "added to what was there"
    );
    assert_eq!(copied.target, other);
    let copied_work: Vec<_> = copied
        .homework
        .iter()
        .filter(|h| h.description == "Apprendre l'énoncé")
        .collect();
    assert_eq!(copied_work.len(), 1);
    assert!(copied_work[0].due > to.date);

    let head = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Direction)
        .expect("a principal");
    domain
        .set_visa(&head, to.course, to.date, true)
        .expect("signs");
    let signed = domain
        .logbook_session(&head, to.course, to.date)
        .expect("direction reads every class")
        .entry
        .expect("entry");
    assert_eq!(signed.visa.as_ref().map(|v| v.by), Some(head.id));
    assert!(matches!(
        domain.set_visa(&teacher, to.course, to.date, true),
        Err(DomainError::Forbidden)
    ));
}
