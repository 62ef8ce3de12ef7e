//! A cahier de textes entry: what was done in one session (séance) and the homework set in it.
//! The entry keeps its subject, class or group and teachers, so that it stays readable all year
//! whatever happens to the timetable.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::resources::resource::StoredFile;
use crate::domain::school::establishment::Target;
use crate::domain::timetable::change::date_key;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonEntry {
    pub course: u64,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub subject: String,
    pub target: Target,
    pub teachers: Vec<u64>,
    /// Cleaned HTML ([`super::content::clean`]).
    pub content: String,
    pub attachments: Vec<StoredFile>,
    /// Library resources linked to the lesson, by id.
    pub resources: Vec<u64>,
    pub homework: Vec<Homework>,
    pub author: u64,
    pub updated_at: DateTime<Utc>,
    /// Direction's read-only mark.
    pub visa: Option<Visa>,
}

impl LessonEntry {
    /// Whether it says anything (an entry emptied of everything is removed).
    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
            && self.attachments.is_empty()
            && self.resources.is_empty()
            && self.homework.is_empty()
    }

    pub fn homework(&self, id: u64) -> Option<&Homework> {
        self.homework.iter().find(|homework| homework.id == id)
    }
}

/// Work set in a session, due on a later date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Homework {
    pub id: u64,
    /// Plain text, as typed.
    pub description: String,
    pub due: NaiveDate,
    pub kind: HomeworkKind,
    /// Estimated time, in minutes.
    pub minutes: Option<u16>,
    /// Whether pupils hand in a file.
    pub hand_in: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeworkKind {
    Exercise,
    Lesson,
    Assessment,
}

impl HomeworkKind {
    pub const ALL: [HomeworkKind; 3] = [
        HomeworkKind::Exercise,
        HomeworkKind::Lesson,
        HomeworkKind::Assessment,
    ];

    /// The API's name.
    pub fn code(self) -> &'static str {
        match self {
            HomeworkKind::Exercise => "exercise",
            HomeworkKind::Lesson => "lesson",
            HomeworkKind::Assessment => "assessment",
        }
    }

    pub fn of_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            HomeworkKind::Exercise => "Exercice",
            HomeworkKind::Lesson => "Leçon à apprendre",
            HomeworkKind::Assessment => "Évaluation annoncée",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visa {
    pub by: u64,
    pub at: DateTime<Utc>,
}

/// A file a pupil handed in for a homework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandIn {
    pub file: StoredFile,
    pub at: DateTime<Utc>,
}

/// Key of an entry: date, then course (the session's own key).
pub fn key(date: NaiveDate, course: u64) -> [u8; 12] {
    crate::domain::timetable::change::key(date, course)
}

/// The bytes that start every index key of `target`: kind, code, then a 0 that no code holds.
pub fn target_prefix(target: &Target) -> Vec<u8> {
    let (kind, code) = match target {
        Target::Class(code) => (b'c', code),
        Target::Group(code) => (b'g', code),
    };
    let mut prefix = Vec::with_capacity(code.len() + 2);
    prefix.push(kind);
    prefix.extend_from_slice(code.as_bytes());
    prefix.push(0);
    prefix
}

/// Index of a class's entries by date: target, date, course → the entry key.
pub fn by_target_key(target: &Target, date: NaiveDate, course: u64) -> Vec<u8> {
    let mut key = target_prefix(target);
    key.extend_from_slice(&self::key(date, course));
    key
}

/// Index of homework by due date: target, due date, homework id → the entry key.
pub fn due_key(target: &Target, due: NaiveDate, homework: u64) -> Vec<u8> {
    let mut key = target_prefix(target);
    key.extend_from_slice(&date_key(due));
    key.extend_from_slice(&homework.to_be_bytes());
    key
}

/// Key of a pupil's mark on a homework (done, handed in): pupil, homework.
pub fn pupil_key(pupil: u64, homework: u64) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&pupil.to_be_bytes());
    key[8..].copy_from_slice(&homework.to_be_bytes());
    key
}

/// Key of a hand-in: homework, then pupil, so that a homework's hand-ins are one range.
pub fn hand_in_key(homework: u64, pupil: u64) -> [u8; 16] {
    pupil_key(homework, pupil)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_group_by_target_then_date() {
        let day: NaiveDate = "2026-11-30".parse().expect("date");
        let next = day.succ_opt().expect("date");
        let class = Target::Class("4B".into());
        let longer = Target::Class("4B1".into());
        assert!(due_key(&class, day, u64::MAX) < due_key(&class, next, 0));
        assert!(
            due_key(&class, next, 0) < due_key(&longer, day, 0),
            "4B ends before 4B1"
        );
        assert!(due_key(&class, day, 1).starts_with(&target_prefix(&class)));
        assert!(!due_key(&longer, day, 1).starts_with(&target_prefix(&class)));
        assert_ne!(
            target_prefix(&class),
            target_prefix(&Target::Group("4B".into()))
        );
    }
}
