//! A session (séance): one course on one date, with the change made to it if any.

use chrono::{NaiveDate, NaiveTime};

use super::change::SessionChange;
use super::course::Course;
use crate::domain::school::establishment::Target;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub course: u64,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub subject: String,
    pub target: Target,
    /// Who teaches this session: the replacement teacher when there is one.
    pub teachers: Vec<u64>,
    /// Where: the new room when it moved.
    pub room: String,
    pub cancelled: bool,
    pub room_changed: bool,
    pub replaced: bool,
    pub note: String,
}

impl Session {
    pub fn of(course: &Course, date: NaiveDate, change: Option<&SessionChange>) -> Self {
        let room = change.and_then(|change| change.room.clone());
        let replacement = change.and_then(|change| change.replacement);
        Session {
            course: course.id,
            date,
            start: course.start,
            end: course.end,
            subject: course.subject.clone(),
            target: course.target.clone(),
            teachers: replacement.map_or_else(|| course.teachers.clone(), |id| vec![id]),
            room_changed: room.is_some(),
            room: room.unwrap_or_else(|| course.room.clone()),
            cancelled: change.is_some_and(|change| change.cancelled),
            replaced: replacement.is_some(),
            note: change.map(|change| change.note.clone()).unwrap_or_default(),
        }
    }

    /// The identifier of a session in addresses: `<course>-<yyyymmdd>`.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.course, self.date.format("%Y%m%d"))
    }
}

/// Reads a session identifier written by [`Session::slug`].
pub fn parse_slug(slug: &str) -> Option<(u64, NaiveDate)> {
    let (course, date) = slug.split_once('-')?;
    let date = NaiveDate::parse_from_str(date, "%Y%m%d")
        .ok()
        .filter(|date| super::in_reach(*date))?;
    Some((course.parse().ok()?, date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_change_shows_on_the_session_and_the_slug_reads_back() {
        let course = crate::domain::timetable::course::testing::course(12);
        let date: NaiveDate = "2026-11-30".parse().expect("date");
        let plain = Session::of(&course, date, None);
        assert_eq!(
            (plain.room.as_str(), plain.teachers.as_slice()),
            ("B12", &[7][..])
        );
        let change = SessionChange {
            course: 12,
            date,
            cancelled: false,
            room: Some("CDI".into()),
            replacement: Some(9),
            note: "Salle informatique indisponible".into(),
            by: 1,
            at: Utc
                .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
                .single()
                .expect("time"),
        };
        let changed = Session::of(&course, date, Some(&change));
        assert!(changed.room_changed && changed.replaced && !changed.cancelled);
        assert_eq!(
            (changed.room.as_str(), changed.teachers.as_slice()),
            ("CDI", &[9][..])
        );
        assert_eq!(parse_slug(&changed.slug()), Some((12, date)));
        assert_eq!(parse_slug("12-2026-11-30"), None);
        assert_eq!(parse_slug("x-20261130"), None);
        assert_eq!(
            parse_slug("12--2621430101"),
            None,
            "no date at the end of the calendar"
        );
    }
}
