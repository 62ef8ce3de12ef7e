//! The agenda on the demo collège: who sees which event, who may announce and remove one.

use chrono::{NaiveDate, NaiveDateTime};

use super::event::{EventAudience, EventKind};
use super::{EventProblem, NewEvent};
use crate::demo::testing::DemoSchool;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::DomainError;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a date and time")
}

fn new(title: &str, starts: &str, ends: &str, audience: EventAudience) -> NewEvent {
    NewEvent {
        title: title.to_owned(),
        description: String::new(),
        place: "Salle polyvalente".to_owned(),
        kind: EventKind::Meeting,
        starts: at(starts),
        ends: at(ends),
        all_day: false,
        audience,
    }
}

fn titles(events: &[std::sync::Arc<super::event::Event>]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.title.clone())
        .filter(|t| t.starts_with("Test"))
        .collect()
}

#[test]
fn each_event_reaches_its_audience_only() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let cpe = school.account("cpe.demo");
    let teacher = school.account("enseignant.demo");
    let pupil = school.account("eleve.demo");
    let parent = school.account("parent.demo");
    let four_b = EventAudience::Targets(vec![Target::Class("4B".into())]);
    domain
        .create_event(
            &cpe,
            new(
                "Test portes ouvertes",
                "2026-12-05 09:00",
                "2026-12-05 12:00",
                EventAudience::Establishment,
            ),
        )
        .expect("vie scolaire announces to everyone");
    domain
        .create_event(
            &cpe,
            new(
                "Test réunion des personnels",
                "2026-12-07 17:00",
                "2026-12-07 18:00",
                EventAudience::Staff,
            ),
        )
        .expect("and to the staff");
    domain
        .create_event(
            &teacher,
            new(
                "Test sortie au musée",
                "2026-12-08 08:00",
                "2026-12-09 17:00",
                four_b.clone(),
            ),
        )
        .expect("a teacher to their class");
    domain
        .create_event(
            &pupil,
            new(
                "Test dentiste",
                "2026-12-09 14:00",
                "2026-12-09 15:00",
                EventAudience::Personal,
            ),
        )
        .expect("anyone to themselves");
    let from: NaiveDate = "2026-12-01".parse().expect("date");
    let to: NaiveDate = "2026-12-31".parse().expect("date");
    let seen = |login: &str| {
        titles(
            &domain
                .events_between(&school.account(login), from, to)
                .expect("events"),
        )
    };
    assert_eq!(
        seen("eleve.demo"),
        [
            "Test portes ouvertes",
            "Test sortie au musée",
            "Test dentiste"
        ]
    );
    assert_eq!(
        seen("parent.demo"),
        ["Test portes ouvertes", "Test sortie au musée"]
    );
    assert_eq!(
        seen("enseignant.demo"),
        [
            "Test portes ouvertes",
            "Test réunion des personnels",
            "Test sortie au musée"
        ]
    );
    assert_eq!(
        seen("cpe.demo"),
        [
            "Test portes ouvertes",
            "Test réunion des personnels",
            "Test sortie au musée"
        ]
    );
    let other = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Eleve && a.class() == Some("3A"))
        .expect("a pupil of 3A");
    assert_eq!(
        titles(&domain.events_between(&other, from, to).expect("events")),
        ["Test portes ouvertes"]
    );
    // A two-day trip shows on both days, once.
    let second_day: NaiveDate = "2026-12-09".parse().expect("date");
    let trip = domain
        .events_between(&pupil, second_day, second_day)
        .expect("events");
    assert_eq!(titles(&trip), ["Test sortie au musée", "Test dentiste"]);
    let personal = trip
        .iter()
        .find(|e| e.title == "Test dentiste")
        .expect("hers")
        .id;
    assert!(matches!(
        domain.event(&parent, personal),
        Err(DomainError::UnknownEvent(_))
    ));
    assert!(matches!(
        domain.delete_event(&parent, personal),
        Err(DomainError::UnknownEvent(_))
    ));
    let outing = trip
        .iter()
        .find(|e| e.title == "Test sortie au musée")
        .expect("the trip")
        .id;
    assert!(matches!(
        domain.delete_event(&pupil, outing),
        Err(DomainError::Forbidden)
    ));
    domain
        .delete_event(&teacher, outing)
        .expect("its author removes it");
    assert_eq!(seen("parent.demo"), ["Test portes ouvertes"]);
    let _ = parent;
}

#[test]
fn a_refused_event_writes_nothing() {
    let school = DemoSchool::new();
    let domain = &school.domain;
    let teacher = school.account("enseignant.demo");
    let pupil = school.account("eleve.demo");
    let before = domain.tables().content();
    let reversed = domain.create_event(
        &teacher,
        new(
            "Test",
            "2026-12-05 12:00",
            "2026-12-05 09:00",
            EventAudience::Personal,
        ),
    );
    assert!(matches!(
        reversed,
        Err(DomainError::InvalidEvent(EventProblem::EndsBeforeStart))
    ));
    let too_long = domain.create_event(
        &teacher,
        new(
            "Test",
            "2026-12-01 08:00",
            "2027-01-15 09:00",
            EventAudience::Personal,
        ),
    );
    assert!(matches!(
        too_long,
        Err(DomainError::InvalidEvent(EventProblem::TooLongEvent))
    ));
    let not_mine = EventAudience::Targets(vec![Target::Class("3A".into())]);
    let stranger = domain.create_event(
        &pupil,
        new(
            "Test",
            "2026-12-05 09:00",
            "2026-12-05 10:00",
            not_mine.clone(),
        ),
    );
    assert!(matches!(stranger, Err(DomainError::Forbidden)));
    let unknown = EventAudience::Targets(vec![Target::Class("9Z".into())]);
    let head = domain
        .accounts()
        .all()
        .map(|a| a.expect("reads"))
        .find(|a| a.profile == Profile::Direction)
        .expect("a principal");
    let unknown = domain.create_event(
        &head,
        new("Test", "2026-12-05 09:00", "2026-12-05 10:00", unknown),
    );
    assert!(matches!(
        unknown,
        Err(DomainError::InvalidEvent(EventProblem::UnknownTarget(_)))
    ));
    assert!(before == domain.tables().content(), "nothing written");
}
