//! The demo collège's agenda, dated from the first start: a réunion parents-professeurs for the
//! 4e, 4e B's conseil de classe and museum trip, the staff's meeting, open day, and a teacher's
//! own appointment.

use chrono::{Days, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Europe::Paris;

use crate::domain::accounts::account::Account;
use crate::domain::agenda::event::{EventAudience, EventKind};
use crate::domain::agenda::NewEvent;
use crate::domain::school::establishment::Target;
use crate::domain::timetable::calendar::monday_of;
use crate::domain::{Domain, DomainError};

fn at(day: NaiveDate, hour: u32, minute: u32) -> chrono::NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn account(domain: &Domain, login: &str) -> Result<Account, DomainError> {
    domain
        .accounts()
        .by_login(login)?
        .ok_or_else(|| DomainError::UnknownLogin(login.to_owned()))
}

pub fn seed(domain: &Domain) -> Result<usize, DomainError> {
    let today = domain.clock().now().with_timezone(&Paris).date_naive();
    let next_monday = monday_of(today) + Days::new(7);
    let day = |weekday: Weekday, week: u64| {
        next_monday + Days::new(7 * week + u64::from(weekday.num_days_from_monday()))
    };
    let cpe = account(domain, "cpe.demo")?;
    let teacher = account(domain, "enseignant.demo")?;
    let head = domain
        .accounts()
        .all()
        .find_map(|a| {
            a.ok()
                .filter(|a| a.profile == crate::domain::accounts::profile::Profile::Direction)
        })
        .ok_or_else(|| DomainError::UnknownLogin("direction".to_owned()))?;
    let establishment = domain.establishment()?;
    let fourth: Vec<Target> = establishment
        .classes
        .iter()
        .filter(|class| class.code.starts_with('4'))
        .map(|class| Target::Class(class.code.clone()))
        .collect();
    let event =
        |title: &str, kind, starts, ends, all_day, place: &str, description: &str, audience| {
            NewEvent {
                title: title.to_owned(),
                description: description.to_owned(),
                place: place.to_owned(),
                kind,
                starts,
                ends,
                all_day,
                audience,
            }
        };
    let four_b = EventAudience::Targets(vec![Target::Class("4B".to_owned())]);
    let thursday = day(Weekday::Thu, 0);
    let tuesday = day(Weekday::Tue, 0);
    let friday = day(Weekday::Fri, 1);
    let saturday = day(Weekday::Sat, 1);
    let planned = [
        (&cpe, event("Réunion parents-professeurs des 4e", EventKind::ParentsMeeting, at(thursday, 17, 0), at(thursday, 20, 0), false, "Salles du bâtiment B", "Rencontre avec les professeurs de votre enfant, sur rendez-vous pris dans le carnet de liaison.", EventAudience::Targets(fourth))),
        (&head, event("Conseil de classe du 1er trimestre · 4e B", EventKind::ClassCouncil, at(tuesday, 17, 30), at(tuesday, 19, 0), false, "Salle du conseil", "Les délégués des élèves et des parents y assistent.", four_b.clone())),
        (&head, event("Sortie au musée d'histoire de Marseille", EventKind::Trip, at(friday, 0, 0), at(friday, 23, 59), true, "Départ devant le collège à 8 h 15", "Prévoir un pique-nique et une tenue adaptée. Retour vers 16 h 30.", four_b)),
        (&cpe, event("Réunion pédagogique", EventKind::Meeting, at(day(Weekday::Mon, 0), 17, 0), at(day(Weekday::Mon, 0), 18, 30), false, "CDI", "Ordre du jour : projets du 2e trimestre.", EventAudience::Staff)),
        (&cpe, event("Portes ouvertes du collège", EventKind::Other, at(saturday, 9, 0), at(saturday, 12, 0), false, "Hall d'entrée", "Les futurs élèves de 6e et leurs familles découvrent le collège.", EventAudience::Establishment)),
        (&teacher, event("Rendez-vous avec une famille", EventKind::Meeting, at(thursday, 16, 0), at(thursday, 16, 30), false, "Bureau des professeurs", "", EventAudience::Personal)),
    ];
    let count = planned.len();
    for (author, new) in planned {
        domain.create_event(author, new)?;
    }
    Ok(count)
}
