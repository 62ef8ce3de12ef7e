//! An agenda event: a meeting, a trip, a conseil de classe, a réunion parents-professeurs… with
//! the people it is for.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::school::establishment::Target;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: u64,
    pub title: String,
    /// Plain text.
    pub description: String,
    pub place: String,
    pub kind: EventKind,
    /// Local time (Europe/Paris).
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// Shown as the whole day(s), without hours.
    pub all_day: bool,
    pub audience: EventAudience,
    pub author: u64,
    pub created_at: DateTime<Utc>,
}

impl Event {
    /// The days it covers, first to last.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let (first, last) = (self.starts.date(), self.ends.date().max(self.starts.date()));
        first.iter_days().take_while(move |day| *day <= last)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Meeting,
    Trip,
    ClassCouncil,
    ParentsMeeting,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Meeting,
        EventKind::Trip,
        EventKind::ClassCouncil,
        EventKind::ParentsMeeting,
        EventKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Meeting => "meeting",
            EventKind::Trip => "trip",
            EventKind::ClassCouncil => "class_council",
            EventKind::ParentsMeeting => "parents_meeting",
            EventKind::Other => "other",
        }
    }

    pub fn of_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Meeting => "Réunion",
            EventKind::Trip => "Sortie ou voyage",
            EventKind::ClassCouncil => "Conseil de classe",
            EventKind::ParentsMeeting => "Réunion parents-professeurs",
            EventKind::Other => "Autre",
        }
    }
}

/// Who an event is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "targets", rename_all = "snake_case")]
pub enum EventAudience {
    /// Everyone of the establishment.
    Establishment,
    /// The staff: teachers, vie scolaire, direction, the librarian, administrative staff.
    Staff,
    /// The pupils of these classes and groups, their parents and their teachers.
    Targets(Vec<Target>),
    /// Its author alone.
    Personal,
}

/// The longest event, in days: a trip abroad, a week of work experience.
pub const MAX_DAYS: i64 = 31;
