//! The iCalendar subscription (RFC 5545) of a person's timetable: a secret address that a phone
//! calendar polls, made of the account id and a signature. Revoking it changes the account's
//! generation, and every address signed for an older one stops working.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Days, NaiveDate};
use hmac::{Hmac, Mac};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus};
use sha2::Sha256;

use super::Whose;
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::{Domain, DomainError};
use crate::store::StoreError;

const KEY_NAME: &[u8] = b"ics_link_key";
const TZID: &str = "Europe/Paris";

/// Europe/Paris as a VTIMEZONE: the EU rule since 1996 (last Sunday of March at 02:00, last
/// Sunday of October at 03:00). The icalendar crate writes no time zone definitions.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Paris\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19960331T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19961027T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

impl Domain {
    /// The secret token of `viewer`'s subscription (the part of `/agenda/{token}.ics`).
    pub fn ics_token(&self, viewer: &Account) -> Result<String, DomainError> {
        let generation = self.ics_generation(viewer.id)?;
        let mac = self.ics_mac(viewer.id, generation)?.finalize().into_bytes();
        Ok(format!("{}.{}", viewer.id, URL_SAFE_NO_PAD.encode(mac)))
    }

    /// Revokes `viewer`'s address and returns the new token.
    pub fn revoke_ics_token(&self, viewer: &Account) -> Result<String, DomainError> {
        let next = self.ics_generation(viewer.id)?.wrapping_add(1);
        self.tables()
            .ics_generations
            .insert(viewer.id.to_be_bytes(), &next)?;
        tracing::info!(login = %viewer.login, "calendar subscription address renewed");
        self.ics_token(viewer)
    }

    /// The account a token was signed for, if it is its current token and the account active.
    pub fn ics_owner(&self, token: &str) -> Result<std::sync::Arc<Account>, DomainError> {
        let refused = || DomainError::UnknownCalendar;
        let (id, mac) = token.split_once('.').ok_or_else(refused)?;
        let id: u64 = id.parse().map_err(|_| refused())?;
        let mac = URL_SAFE_NO_PAD.decode(mac).map_err(|_| refused())?;
        let generation = self.ics_generation(id)?;
        self.ics_mac(id, generation)?
            .verify_slice(&mac)
            .map_err(|_| refused())?;
        self.accounts()
            .get_shared(id)?
            .filter(|account| account.is_active())
            .ok_or_else(refused)
    }

    /// The calendar of `owner`: the sessions of the school year under way (or the next one) —
    /// a pupil's or teacher's own, each child's for a parent.
    pub fn ics_calendar(&self, owner: &Account) -> Result<String, DomainError> {
        let calendar = self.school_calendar()?;
        let today = self.clock().now().date_naive();
        let Some(year) = calendar.current_or_next(today) else {
            return Ok(write(Calendar::new().name("Préau").done()));
        };
        let (first, last) = (year.start, year.end);
        let mut whose = Vec::new();
        match owner.profile {
            Profile::Parent => {
                for link in &owner.children {
                    if let Some(child) = self.accounts().get_shared(link.pupil)? {
                        whose.push((Whose::Child(child.id), Some(child.first_name.clone())));
                    }
                }
            }
            _ => whose.push((Whose::Mine, None)),
        }
        let establishment = self.establishment()?;
        let uai = if establishment.uai.is_empty() {
            "preau".to_owned()
        } else {
            establishment.uai.to_lowercase()
        };
        let mut names: std::collections::HashMap<u64, Option<String>> =
            std::collections::HashMap::new();
        let mut ics = Calendar::new();
        ics.name(&format!("Emploi du temps · {}", establishment.name))
            .timezone(TZID);
        for (whose, first_name) in whose {
            let mut from = first;
            while from < last {
                let to = (from + Days::new(super::MAX_RANGE_DAYS as u64 - 1)).min(last);
                for day in self.timetable_days(owner, &whose, from, to)? {
                    for session in day.sessions {
                        let subject = establishment.subject_label(&session.subject);
                        let mut summary = match &first_name {
                            Some(name) => format!("{subject} ({name})"),
                            None => subject,
                        };
                        if session.cancelled {
                            summary.push_str(" — annulé");
                        }
                        let mut detail = vec![establishment.target_label(&session.target)];
                        let mut teachers = Vec::new();
                        for id in &session.teachers {
                            // A year holds each teacher's name hundreds of times: read once.
                            if !names.contains_key(id) {
                                let name = self
                                    .accounts()
                                    .get_shared(*id)?
                                    .map(|teacher| teacher.display_name());
                                names.insert(*id, name);
                            }
                            if let Some(Some(name)) = names.get(id) {
                                teachers.push(name.clone());
                            }
                        }
                        if !teachers.is_empty() {
                            detail.push(teachers.join(", "));
                        }
                        if !session.note.is_empty() {
                            detail.push(session.note.clone());
                        }
                        let mut event = icalendar::Event::new();
                        event
                            .uid(&format!(
                                "{}-{}{}@{uai}.preau",
                                session.course,
                                session.date.format("%Y%m%d"),
                                first_name.as_ref().map_or(String::new(), |_| format!(
                                    "-{}",
                                    match &whose {
                                        Whose::Child(id) => *id,
                                        _ => 0,
                                    }
                                ))
                            ))
                            .summary(&summary)
                            .description(&detail.join(" · "))
                            .starts(local(session.date, session.start))
                            .ends(local(session.date, session.end));
                        if !session.room.is_empty() {
                            event.location(&session.room);
                        }
                        if session.cancelled {
                            event.status(EventStatus::Cancelled);
                        }
                        ics.push(event.done());
                    }
                }
                // Pupils and parents also see the homework, all day on its due date.
                if matches!(owner.profile, Profile::Eleve | Profile::Parent) {
                    for item in self.homework_due(owner, &whose, from, to)? {
                        let subject = establishment.subject_label(&item.entry.subject);
                        let mut summary = format!("À faire · {subject}");
                        if let Some(name) = &first_name {
                            summary.push_str(&format!(" ({name})"));
                        }
                        let child = match &whose {
                            Whose::Child(id) => format!("-{id}"),
                            _ => String::new(),
                        };
                        let mut description = format!(
                            "{} : {}",
                            item.homework.kind.label(),
                            item.homework.description
                        );
                        if let Some(minutes) = item.homework.minutes {
                            description.push_str(&format!(" ({minutes} min)"));
                        }
                        let mut event = icalendar::Event::new();
                        event
                            .uid(&format!("devoir-{}{child}@{uai}.preau", item.homework.id))
                            .summary(&summary)
                            .description(&description)
                            .all_day(item.homework.due);
                        ics.push(event.done());
                    }
                }
                from = to + Days::new(1);
            }
        }
        // The agenda's events the owner may see (a parent's include their children's classes').
        let mut from = first;
        while from < last {
            let to = (from + Days::new(super::MAX_RANGE_DAYS as u64 - 1)).min(last);
            for event in self.events_between(owner, from, to)? {
                // An event spanning two chunks comes back in both: once is enough.
                if event.starts.date() < from && from != first {
                    continue;
                }
                let mut item = icalendar::Event::new();
                item.uid(&format!("evenement-{}@{uai}.preau", event.id))
                    .summary(&event.title)
                    .description(&if event.description.is_empty() {
                        event.kind.label().to_owned()
                    } else {
                        format!("{} · {}", event.kind.label(), event.description)
                    });
                if event.all_day {
                    item.starts(event.starts.date())
                        .ends(event.ends.date() + Days::new(1));
                } else {
                    item.starts(local(event.starts.date(), event.starts.time()))
                        .ends(local(event.ends.date(), event.ends.time()));
                }
                if !event.place.is_empty() {
                    item.location(&event.place);
                }
                ics.push(item.done());
            }
            from = to + Days::new(1);
        }
        Ok(write(ics.done()))
    }

    fn ics_generation(&self, account: u64) -> Result<u32, DomainError> {
        Ok(self
            .tables()
            .ics_generations
            .get(account.to_be_bytes())?
            .unwrap_or(0))
    }

    fn ics_mac(&self, account: u64, generation: u32) -> Result<Hmac<Sha256>, DomainError> {
        let key = self.signing_key(KEY_NAME)?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&key).map_err(|_| DomainError::UnknownCalendar)?;
        mac.update(format!("ics.{account}.{generation}").as_bytes());
        Ok(mac)
    }

    /// A signing key of the store, made on first use and kept (addresses survive a restart).
    pub(crate) fn signing_key(&self, name: &[u8]) -> Result<Vec<u8>, DomainError> {
        let meta = &self.tables().meta;
        if let Some(key) = meta.get(name).map_err(StoreError::from)? {
            return Ok(key.to_vec());
        }
        let mut fresh = [0u8; 32];
        self.entropy.fill(&mut fresh);
        // Two first uses at once: the first key written wins and both read it back.
        let _ = meta
            .compare_and_swap(name, None as Option<&[u8]>, Some(&fresh[..]))
            .map_err(StoreError::from)?;
        Ok(meta
            .get(name)
            .map_err(StoreError::from)?
            .map(|key| key.to_vec())
            .unwrap_or_else(|| fresh.to_vec()))
    }
}

fn local(date: NaiveDate, time: chrono::NaiveTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: date.and_time(time),
        tzid: TZID.to_owned(),
    }
}

/// The calendar as text, with the time zone its events name defined right after its header.
fn write(calendar: Calendar) -> String {
    let text = calendar.to_string();
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{VTIMEZONE}{}", &text[..at], &text[at..]),
        None => text.replacen("END:VCALENDAR", &format!("{VTIMEZONE}END:VCALENDAR"), 1),
    }
}

#[cfg(test)]
mod tests {
    use crate::demo::testing::DemoSchool;
    use crate::domain::accounts::account::AccountState;
    use crate::domain::DomainError;

    #[test]
    fn an_address_stays_until_renewed_and_opens_only_its_owner_s_calendar() {
        let school = DemoSchool::new();
        let pupil = school.account("eleve.demo");
        let teacher = school.account("enseignant.demo");
        let token = school.domain.ics_token(&pupil).expect("signs");
        assert_eq!(school.domain.ics_token(&pupil).expect("signs"), token);
        assert_eq!(school.domain.ics_owner(&token).expect("opens").id, pupil.id);
        let (_, mac) = token.split_once('.').expect("id.mac");
        let borrowed = format!("{}.{mac}", teacher.id);
        assert!(matches!(
            school.domain.ics_owner(&borrowed),
            Err(DomainError::UnknownCalendar)
        ));
        for garbage in ["", ".", "abc", "12.%%%", &format!("{}.", pupil.id)] {
            assert!(school.domain.ics_owner(garbage).is_err(), "{garbage:?}");
        }

        let renewed = school.domain.revoke_ics_token(&pupil).expect("renews");
        assert_ne!(renewed, token);
        assert!(school.domain.ics_owner(&token).is_err());
        assert_eq!(
            school.domain.ics_owner(&renewed).expect("opens").id,
            pupil.id
        );
        let teacher_token = school.domain.ics_token(&teacher).expect("signs");
        assert!(
            school.domain.ics_owner(&teacher_token).is_ok(),
            "others unchanged"
        );

        // A deactivated account's address opens nothing.
        let mut gone = pupil.clone();
        gone.state = AccountState::Deactivated {
            since: chrono::Utc::now(),
        };
        school.domain.accounts().save(&mut gone).expect("saves");
        assert!(school.domain.ics_owner(&renewed).is_err());
    }

    #[test]
    fn the_calendar_defines_the_time_zone_its_events_name() {
        let school = DemoSchool::new();
        let teacher = school.account("enseignant.demo");
        let text = school.domain.ics_calendar(&teacher).expect("writes");
        let zone = text.find("BEGIN:VTIMEZONE").expect("a time zone");
        let first = text.find("BEGIN:VEVENT").expect("events");
        assert!(zone < first, "defined before it is used");
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(text.contains("DTSTART;TZID=Europe/Paris:"));
        assert!(text.lines().all(|line| line.len() <= 75), "folded");
    }
}
