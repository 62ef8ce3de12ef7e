//! A course of the timetable: one subject, taught to one class or group, at the same time every
//! week (or every other week) over a period.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::calendar::WeekLetter;
use crate::domain::school::establishment::Target;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: u64,
    /// BCN subject code (`061300`).
    pub subject: String,
    pub target: Target,
    /// Account ids; usually one, two for co-taught courses.
    pub teachers: Vec<u64>,
    pub room: String,
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub weeks: Weeks,
    /// First and last dates the course takes place, inclusive; the whole school year when absent.
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Which weeks a course takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weeks {
    Every,
    A,
    B,
}

impl Weeks {
    pub fn includes(self, letter: WeekLetter) -> bool {
        matches!(
            (self, letter),
            (Weeks::Every, _) | (Weeks::A, WeekLetter::A) | (Weeks::B, WeekLetter::B)
        )
    }

    /// The word of the timetable CSV and forms: `toutes`, `A`, `B`.
    pub fn parse(text: &str) -> Option<Weeks> {
        match text.trim().to_lowercase().as_str() {
            "" | "toutes" | "chaque" | "hebdomadaire" => Some(Weeks::Every),
            "a" | "semaine a" => Some(Weeks::A),
            "b" | "semaine b" => Some(Weeks::B),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Weeks::Every => "toutes",
            Weeks::A => "A",
            Weeks::B => "B",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Weeks::Every => "toutes les semaines",
            Weeks::A => "semaine A",
            Weeks::B => "semaine B",
        }
    }
}

impl Course {
    /// Whether the course is scheduled on `date` (a school day of week `letter`), changes aside.
    pub fn runs_on(&self, date: NaiveDate, letter: WeekLetter) -> bool {
        use chrono::Datelike;
        date.weekday() == self.weekday
            && self.weeks.includes(letter)
            && self.from.is_none_or(|from| from <= date)
            && self.until.is_none_or(|until| date <= until)
    }

    pub fn teaches(&self, teacher: u64) -> bool {
        self.teachers.contains(&teacher)
    }
}

/// French weekday names, as the timetable CSV and the pages write them.
pub const WEEKDAYS: [(Weekday, &str); 6] = [
    (Weekday::Mon, "lundi"),
    (Weekday::Tue, "mardi"),
    (Weekday::Wed, "mercredi"),
    (Weekday::Thu, "jeudi"),
    (Weekday::Fri, "vendredi"),
    (Weekday::Sat, "samedi"),
];

pub fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(weekday, _)| *weekday == day)
        .map_or("dimanche", |(_, name)| name)
}

pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.trim().to_lowercase();
    WEEKDAYS
        .iter()
        .find(|(_, name)| *name == text || name[..3] == *text)
        .map(|(day, _)| *day)
}

#[cfg(test)]
pub(super) mod testing {
    use super::*;

    /// Mathematics for 4B with teacher 7, Mondays 08:00–08:55 in B12, every week, all year.
    pub fn course(id: u64) -> Course {
        Course {
            id,
            subject: "061300".into(),
            target: Target::Class("4B".into()),
            teachers: vec![7],
            room: "B12".into(),
            weekday: Weekday::Mon,
            start: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
            end: NaiveTime::from_hms_opt(8, 55, 0).expect("time"),
            weeks: Weeks::Every,
            from: None,
            until: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(weeks: Weeks) -> Course {
        Course {
            weeks,
            until: "2026-12-18".parse().ok(),
            ..testing::course(1)
        }
    }

    #[test]
    fn a_course_runs_on_its_weekday_its_weeks_and_its_period() {
        let monday: NaiveDate = "2026-11-30".parse().expect("date");
        assert!(course(Weeks::Every).runs_on(monday, WeekLetter::B));
        assert!(course(Weeks::B).runs_on(monday, WeekLetter::B));
        assert!(!course(Weeks::A).runs_on(monday, WeekLetter::B));
        assert!(!course(Weeks::Every).runs_on(monday.succ_opt().expect("day"), WeekLetter::B));
        let after: NaiveDate = "2027-01-04".parse().expect("date");
        assert!(!course(Weeks::Every).runs_on(after, WeekLetter::A));
    }

    #[test]
    fn french_words_parse() {
        assert_eq!(parse_weekday("Mardi"), Some(Weekday::Tue));
        assert_eq!(parse_weekday("mer"), Some(Weekday::Wed));
        assert_eq!(parse_weekday("dimanche"), None);
        assert_eq!(Weeks::parse("Semaine A"), Some(Weeks::A));
        assert_eq!(Weeks::parse(""), Some(Weeks::Every));
        assert_eq!(Weeks::parse("C"), None);
        assert_eq!(weekday_name(Weekday::Fri), "vendredi");
    }
}
