//! The timetable (emploi du temps): weekly courses per class or group on the school-year
//! calendar of the establishment's zone, the sessions (séances) they make on real dates, and the
//! changes to single sessions.

pub mod calendar;
pub mod change;
pub mod course;
pub mod import;
pub mod schedule;
pub mod session;
pub mod subscription;

use std::sync::{Arc, OnceLock};

use chrono::{Days, NaiveDate, NaiveTime, Weekday};

use self::calendar::{DayKind, SchoolCalendar, Zone};
use self::change::SessionChange;
use self::course::{Course, Weeks};
use self::schedule::{IndexedTimetable, Timetable};
use self::session::Session;
use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::profile::Profile;
use super::school::establishment::Target;
use super::{Domain, DomainError};
use crate::store::StoreError;

/// Store key of the one timetable record.
pub const TIMETABLE_KEY: &[u8] = b"timetable";

/// A week asked for is at most this many days (a month view, an API range).
pub const MAX_RANGE_DAYS: i64 = 62;

/// Whose timetable a page or the API shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Whose {
    /// The viewer's own: a pupil's class and groups, a teacher's courses.
    Mine,
    /// A class or group.
    Target(Target),
    /// A parent's child (by account id).
    Child(u64),
}

/// One day of a timetable: what kind of day it is and its sessions.
#[derive(Clone, Debug)]
pub struct Day {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub sessions: Vec<Session>,
}

/// A course as a form or an import describes it, before it has an id.
#[derive(Clone, Debug)]
pub struct NewCourse {
    pub subject: String,
    pub target: Target,
    pub teachers: Vec<u64>,
    pub room: String,
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub weeks: Weeks,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Why a course is refused; the pages word it in French.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CourseProblem {
    #[error("unknown subject {0}")]
    UnknownSubject(String),
    #[error("unknown class or group {0}")]
    UnknownTarget(String),
    #[error("{0} is not a teacher of the establishment")]
    NotATeacher(String),
    #[error("no teacher")]
    NoTeacher,
    #[error("the course ends before it starts")]
    EndsBeforeStart,
    #[error("the period ends before it starts")]
    PeriodReversed,
    #[error("the room name is too long")]
    RoomTooLong,
}

impl Domain {
    /// The school-year calendar of the establishment's zone: `[establishment] zone` of the
    /// configuration, or the zone of the académie the directory names. Zone-specific breaks are
    /// left out while neither is known.
    pub fn school_calendar(&self) -> Result<Arc<SchoolCalendar>, DomainError> {
        let zone = match self.config().establishment.zone {
            Some(zone) => Some(zone),
            None => self.establishment()?.zone(),
        };
        Ok(national_calendar(zone))
    }

    /// The stored timetable, decoded with its lookups.
    pub fn timetable(&self) -> Result<Arc<IndexedTimetable>, DomainError> {
        Ok(self
            .tables()
            .timetable
            .get_shared(TIMETABLE_KEY)?
            .unwrap_or_else(|| Arc::new(Timetable::default().into())))
    }

    /// Whether `viewer` may see the timetable of `target`, and what concerns them.
    fn may_view_target(&self, viewer: &Account, target: &Target) -> Result<bool, DomainError> {
        let mine = self.resource_targets(viewer)?;
        Ok(access::allows(
            viewer,
            Action::ViewTimetable {
                target,
                viewer_targets: &mine,
            },
        ))
    }

    /// The days from `from` to `to` (inclusive) of the timetable `whose`, as `viewer` may see
    /// it: a class or group the viewer has no link to is [`DomainError::Forbidden`], a child who
    /// is not theirs [`DomainError::UnknownPerson`].
    pub fn timetable_days(
        &self,
        viewer: &Account,
        whose: &Whose,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Day>, DomainError> {
        if to < from || (to - from).num_days() >= MAX_RANGE_DAYS || !in_reach(from) || !in_reach(to)
        {
            return Err(DomainError::InvalidRange);
        }
        let timetable = self.timetable()?;
        let courses: Vec<&Course> = match whose {
            Whose::Mine => match viewer.profile {
                Profile::Eleve => timetable.of_targets(&self.resource_targets(viewer)?),
                _ => timetable.of_teacher(viewer.id),
            },
            Whose::Target(target) => {
                if !self.may_view_target(viewer, target)? {
                    return Err(DomainError::Forbidden);
                }
                timetable.of_targets(std::slice::from_ref(target))
            }
            Whose::Child(child) => {
                let child = self.child_of(viewer, *child)?;
                timetable.of_targets(&self.resource_targets(&child)?)
            }
        };
        let replacing = match whose {
            Whose::Mine => viewer.id,
            _ => 0,
        };
        let changes = self.session_changes(from, to)?;
        let calendar = self.school_calendar()?;
        let mut days = Vec::new();
        let mut date = from;
        while date <= to {
            let kind = calendar.day_kind(date);
            let mut sessions = Vec::new();
            if kind == DayKind::School {
                if let Some(letter) = calendar.week_letter(date) {
                    for course in courses.iter().filter(|course| course.runs_on(date, letter)) {
                        let change = changes
                            .iter()
                            .find(|c| c.course == course.id && c.date == date);
                        sessions.push(Session::of(course, date, change));
                    }
                    // A teacher also sees the sessions they replace a colleague for.
                    if replacing != 0 {
                        for change in changes
                            .iter()
                            .filter(|c| c.date == date && c.replacement == Some(replacing))
                        {
                            if let Some(course) = timetable.course(change.course) {
                                if !course.teaches(replacing) && course.runs_on(date, letter) {
                                    sessions.push(Session::of(course, date, Some(change)));
                                }
                            }
                        }
                    }
                }
            }
            sessions.sort_by(|a, b| (a.start, &a.subject).cmp(&(b.start, &b.subject)));
            days.push(Day {
                date,
                kind,
                sessions,
            });
            date = date + Days::new(1);
        }
        Ok(days)
    }

    /// `child` if it is one of `parent`'s children; the same answer as an unknown id otherwise.
    pub fn child_of(&self, parent: &Account, child: u64) -> Result<Arc<Account>, DomainError> {
        if !parent.children.iter().any(|link| link.pupil == child) {
            return Err(DomainError::UnknownPerson(child));
        }
        self.accounts()
            .get_shared(child)?
            .ok_or(DomainError::UnknownPerson(child))
    }

    /// The changes to sessions dated `from` to `to`.
    pub fn session_changes(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SessionChange>, DomainError> {
        let start = change::date_key(from);
        let end = change::date_key(to + Days::new(1));
        self.tables()
            .session_changes
            .range(start..end)
            .map(|entry| entry.map_err(DomainError::from))
            .collect()
    }

    /// Adds a course; direction, vie scolaire and administrators only.
    pub fn add_course(&self, viewer: &Account, new: NewCourse) -> Result<Course, DomainError> {
        if !access::allows(viewer, Action::ManageTimetable) {
            return Err(DomainError::Forbidden);
        }
        self.check_course(&new)?;
        let course = with_id(new, self.tables().next_id()?);
        let mut timetable = self.timetable()?.record().clone();
        timetable.courses.push(course.clone());
        self.tables()
            .timetable
            .insert(TIMETABLE_KEY, &timetable.into())?;
        tracing::info!(course = course.id, by = %viewer.login, "course added");
        Ok(course)
    }

    /// Removes a course and the changes to its sessions.
    pub fn remove_course(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        if !access::allows(viewer, Action::ManageTimetable) {
            return Err(DomainError::Forbidden);
        }
        let mut timetable = self.timetable()?.record().clone();
        let before = timetable.courses.len();
        timetable.courses.retain(|course| course.id != id);
        if timetable.courses.len() == before {
            return Err(DomainError::UnknownCourse(id));
        }
        self.tables()
            .timetable
            .insert(TIMETABLE_KEY, &timetable.into())?;
        self.remove_changes_of(id)?;
        tracing::info!(course = id, by = %viewer.login, "course removed");
        Ok(())
    }

    /// Replaces the whole timetable (an import): every course at once, or nothing.
    pub fn replace_timetable(
        &self,
        viewer: &Account,
        courses: Vec<NewCourse>,
    ) -> Result<usize, DomainError> {
        if !access::allows(viewer, Action::ManageTimetable) {
            return Err(DomainError::Forbidden);
        }
        for new in &courses {
            self.check_course(new)?;
        }
        let mut timetable = Timetable::default();
        for new in courses {
            timetable
                .courses
                .push(with_id(new, self.tables().next_id()?));
        }
        let count = timetable.courses.len();
        // The old courses' ids are gone: so are the changes to their sessions.
        let old: Vec<u64> = self.timetable()?.courses.iter().map(|c| c.id).collect();
        self.tables()
            .timetable
            .insert(TIMETABLE_KEY, &timetable.into())?;
        for id in old {
            self.remove_changes_of(id)?;
        }
        tracing::info!(courses = count, by = %viewer.login, "timetable replaced");
        Ok(count)
    }

    /// The session of `course` on `date` with its change, for those who manage the timetable.
    pub fn session(
        &self,
        viewer: &Account,
        course: u64,
        date: NaiveDate,
    ) -> Result<(Session, Option<SessionChange>), DomainError> {
        if !access::allows(viewer, Action::ManageTimetable) {
            return Err(DomainError::Forbidden);
        }
        if self.timetable()?.course(course).is_none() {
            return Err(DomainError::UnknownCourse(course));
        }
        self.scheduled_session(course, date)
    }

    /// The session of `course` on `date` as the timetable has it, with its change; no session
    /// that day (or no such course) is [`DomainError::NoSuchSession`]. No permission is checked:
    /// callers decide who may see it.
    pub(crate) fn scheduled_session(
        &self,
        course: u64,
        date: NaiveDate,
    ) -> Result<(Session, Option<SessionChange>), DomainError> {
        let timetable = self.timetable()?;
        let found = timetable
            .course(course)
            .ok_or(DomainError::NoSuchSession { course, date })?;
        let calendar = self.school_calendar()?;
        let runs = calendar.is_school_day(date)
            && calendar
                .week_letter(date)
                .is_some_and(|letter| found.runs_on(date, letter));
        if !runs {
            return Err(DomainError::NoSuchSession { course, date });
        }
        let change = self
            .tables()
            .session_changes
            .get(change::key(date, course))?;
        Ok((Session::of(found, date, change.as_ref()), change))
    }

    /// Records (or, when it changes nothing, removes) the change to the session of `course` on
    /// `date`.
    pub fn change_session(
        &self,
        viewer: &Account,
        mut change: SessionChange,
    ) -> Result<(), DomainError> {
        // The same checks as reading it: the right to manage, a session on that date.
        self.session(viewer, change.course, change.date)?;
        if let Some(teacher) = change.replacement {
            let account = self
                .accounts()
                .get_shared(teacher)?
                .filter(|account| account.profile == Profile::Enseignant);
            if account.is_none() {
                return Err(DomainError::InvalidCourse(CourseProblem::NotATeacher(
                    teacher.to_string(),
                )));
            }
        }
        change.room = change.room.filter(|room| !room.trim().is_empty());
        if change.room.as_ref().is_some_and(|room| room.len() > 40) {
            return Err(DomainError::InvalidCourse(CourseProblem::RoomTooLong));
        }
        change.by = viewer.id;
        change.at = self.clock().now();
        let key = change::key(change.date, change.course);
        if change.is_empty() {
            self.tables().session_changes.remove(key)?;
        } else {
            self.tables().session_changes.insert(key, &change)?;
        }
        tracing::info!(course = change.course, date = %change.date, by = %viewer.login, "session changed");
        Ok(())
    }

    fn check_course(&self, new: &NewCourse) -> Result<(), DomainError> {
        let establishment = self.establishment()?;
        let problem = |problem| Err(DomainError::InvalidCourse(problem));
        if !establishment.subjects.iter().any(|s| s.code == new.subject) {
            return problem(CourseProblem::UnknownSubject(new.subject.clone()));
        }
        let known = match &new.target {
            Target::Class(code) => establishment.class(code).is_some(),
            Target::Group(code) => establishment.groups.iter().any(|g| &g.code == code),
        };
        if !known {
            let code = match &new.target {
                Target::Class(code) | Target::Group(code) => code.clone(),
            };
            return problem(CourseProblem::UnknownTarget(code));
        }
        if new.teachers.is_empty() {
            return problem(CourseProblem::NoTeacher);
        }
        for teacher in &new.teachers {
            let is_teacher = self
                .accounts()
                .get_shared(*teacher)?
                .is_some_and(|account| account.profile == Profile::Enseignant);
            if !is_teacher {
                return problem(CourseProblem::NotATeacher(teacher.to_string()));
            }
        }
        if new.end <= new.start {
            return problem(CourseProblem::EndsBeforeStart);
        }
        if let (Some(from), Some(until)) = (new.from, new.until) {
            if until < from {
                return problem(CourseProblem::PeriodReversed);
            }
        }
        if new.room.chars().count() > 40 {
            return problem(CourseProblem::RoomTooLong);
        }
        Ok(())
    }
}

fn with_id(new: NewCourse, id: u64) -> Course {
    Course {
        id,
        subject: new.subject,
        target: new.target,
        teachers: new.teachers,
        room: new.room.trim().to_owned(),
        weekday: new.weekday,
        start: new.start,
        end: new.end,
        weeks: new.weeks,
        from: new.from,
        until: new.until,
    }
}

/// Dates a timetable is asked for: far from the ends of the calendar, so that a week or a day
/// more can always be added (an address may carry year 262143).
pub fn in_reach(date: NaiveDate) -> bool {
    use chrono::Datelike;
    (1900..=2200).contains(&date.year())
}

/// The shipped calendar of a zone, parsed once per zone for the life of the process.
fn national_calendar(zone: Option<Zone>) -> Arc<SchoolCalendar> {
    static CALENDARS: OnceLock<[Arc<SchoolCalendar>; 4]> = OnceLock::new();
    let calendars = CALENDARS.get_or_init(|| {
        [
            Arc::new(SchoolCalendar::national(None)),
            Arc::new(SchoolCalendar::national(Some(Zone::A))),
            Arc::new(SchoolCalendar::national(Some(Zone::B))),
            Arc::new(SchoolCalendar::national(Some(Zone::C))),
        ]
    });
    let index = match zone {
        None => 0,
        Some(Zone::A) => 1,
        Some(Zone::B) => 2,
        Some(Zone::C) => 3,
    };
    calendars[index].clone()
}

impl Domain {
    /// Removes the changes to the sessions of `course` (a course removed or replaced).
    fn remove_changes_of(&self, course: u64) -> Result<(), DomainError> {
        let changes = &self.tables().session_changes;
        let mut doomed = Vec::new();
        for entry in changes.tree().iter() {
            let (key, _) = entry.map_err(StoreError::from)?;
            if key.get(4..) == Some(&course.to_be_bytes()[..]) {
                doomed.push(key);
            }
        }
        for key in doomed {
            changes.remove(key)?;
        }
        Ok(())
    }
}
