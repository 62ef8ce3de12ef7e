//! The cahier de textes: per session (séance), what was done (the lesson's text, attachments,
//! links to library resources) and the homework set, due on a later date. Teachers fill it,
//! pupils and parents read it and tick homework done, direction signs it (visa).
//!
//! Reading follows the dates: a pupil reads a class's entries for the days they were in it
//! ([`membership`]), so that a change of class keeps the old history and opens the new one from
//! the change on.

pub mod archive;
pub mod content;
pub mod entry;
pub mod homework;
pub mod membership;
pub mod write;

use std::sync::Arc;

use chrono::{Days, NaiveDate};

use self::entry::LessonEntry;
use self::membership::Membership;
use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::profile::Profile;
use super::school::establishment::Target;
use super::timetable::calendar::DayKind;
use super::timetable::session::Session;
use super::timetable::{in_reach, Whose, MAX_RANGE_DAYS};
use super::{Domain, DomainError};
use crate::store::StoreError;

/// One session as the cahier de textes shows it: the session, its entry if written, and what
/// the viewer may do with it.
#[derive(Clone, Debug)]
pub struct SessionEntry {
    pub session: Session,
    pub entry: Option<Arc<LessonEntry>>,
    pub may_write: bool,
    pub may_visa: bool,
}

/// A day of a teacher's sessions, each with its entry if written.
#[derive(Clone, Debug)]
pub struct TeacherDay {
    pub day: super::timetable::Day,
    /// One per session of the day, in the same order.
    pub entries: Vec<Option<Arc<LessonEntry>>>,
}

/// Why an entry or a homework is refused; the pages word it in French.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("the lesson text is too long")]
    ContentTooLong,
    #[error("a homework description is too long")]
    DescriptionTooLong,
    #[error("a homework is due before the session")]
    DueBeforeSession,
    #[error("a homework is due more than a year after the session")]
    DueTooLate,
    #[error("the estimated time is out of range")]
    MinutesOutOfRange,
    #[error("no resource {0} the teacher may link")]
    UnknownResource(u64),
    #[error("too many attachments")]
    TooManyAttachments,
    #[error("too many linked resources")]
    TooManyResources,
    #[error("a due date is not a date")]
    InvalidDueDate,
    #[error("the homework takes no hand-in")]
    NoHandIn,
    #[error("the entry is empty")]
    NothingToCopy,
}

/// Who a pupil-side list is for, and the classes and groups they were in.
pub(crate) struct Reader {
    pub pupil: Option<Arc<Account>>,
    pub memberships: Vec<Membership>,
}

impl Domain {
    /// The session of `course` on `date` with its entry, if `viewer` may read it: a session
    /// that does not exist and one the viewer may not read answer alike
    /// ([`DomainError::NoSuchSession`] or [`DomainError::Forbidden`]).
    pub fn logbook_session(
        &self,
        viewer: &Account,
        course: u64,
        date: NaiveDate,
    ) -> Result<SessionEntry, DomainError> {
        let entry = self
            .tables()
            .lesson_entries
            .get_shared(entry::key(date, course))?;
        // The timetable's session has the room and the day's changes; an entry outlives its
        // course (a new timetable) and then stands for its session.
        let session = match (self.scheduled_session(course, date), &entry) {
            (Ok((session, _)), _) => session,
            (Err(DomainError::NoSuchSession { .. }), Some(entry)) => session_of_entry(entry),
            (Err(error), _) => return Err(error),
        };
        let writers = self.writers_of(&session, entry.as_deref())?;
        let may_write = access::allows(viewer, Action::WriteLogbook { teachers: &writers });
        if !may_write && !self.may_read_logbook(viewer, &session.target, date)? {
            return Err(DomainError::Forbidden);
        }
        Ok(SessionEntry {
            session,
            entry,
            may_write,
            may_visa: access::allows(viewer, Action::VisaLogbook),
        })
    }

    /// Who may write the entry of `session`: the course's teachers and the replacement.
    fn writers_of(
        &self,
        session: &Session,
        entry: Option<&LessonEntry>,
    ) -> Result<Vec<u64>, DomainError> {
        let mut writers = session.teachers.clone();
        if let Some(course) = self.timetable()?.course(session.course) {
            writers.extend(&course.teachers);
        }
        if let Some(entry) = entry {
            writers.extend(&entry.teachers);
        }
        writers.sort_unstable();
        writers.dedup();
        Ok(writers)
    }

    /// Whether `viewer` may read the cahier de textes of `target` on `date`.
    pub fn may_read_logbook(
        &self,
        viewer: &Account,
        target: &Target,
        date: NaiveDate,
    ) -> Result<bool, DomainError> {
        let mine = self.logbook_targets_on(viewer, date)?;
        Ok(access::allows(
            viewer,
            Action::ReadLogbook {
                target,
                viewer_targets: &mine,
            },
        ))
    }

    /// The classes and groups that concern `viewer` on `date`: a pupil's then, a parent's
    /// children's then, a teacher's taught or led ones and those of their courses.
    fn logbook_targets_on(
        &self,
        viewer: &Account,
        date: NaiveDate,
    ) -> Result<Vec<Target>, DomainError> {
        let on = |pupil: &Account, targets: &mut Vec<Target>| {
            for membership in membership::memberships(pupil) {
                if membership.covers(date) {
                    targets.push(membership.target);
                }
            }
        };
        let mut targets = Vec::new();
        match viewer.profile {
            Profile::Eleve => on(viewer, &mut targets),
            Profile::Parent => {
                for link in &viewer.children {
                    if let Some(child) = self.accounts().get_shared(link.pupil)? {
                        on(&child, &mut targets);
                    }
                }
            }
            Profile::Enseignant => targets = self.teaching_targets(viewer)?,
            _ => {}
        }
        Ok(targets)
    }

    /// The classes and groups a teacher teaches or leads, by the directory and by the
    /// timetable.
    pub fn teaching_targets(&self, teacher: &Account) -> Result<Vec<Target>, DomainError> {
        let mut targets = self.establishment()?.taught_by(teacher.id);
        for course in self.timetable()?.of_teacher(teacher.id) {
            targets.push(course.target.clone());
        }
        targets.sort();
        targets.dedup();
        Ok(targets)
    }

    /// The entries of `target` from `from` to `to`, as `viewer` may read them (a pupil only the
    /// days they were in it).
    pub fn logbook_entries(
        &self,
        viewer: &Account,
        target: &Target,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Arc<LessonEntry>>, DomainError> {
        check_range(from, to)?;
        let mut allowed_days = Vec::new();
        let mut date = from;
        while date <= to {
            allowed_days.push(self.may_read_logbook(viewer, target, date)?);
            date = date + Days::new(1);
        }
        if !allowed_days.iter().any(|allowed| *allowed) {
            return Err(DomainError::Forbidden);
        }
        let start = entry::by_target_key(target, from, 0);
        let end = entry::by_target_key(target, to + Days::new(1), 0);
        let mut entries = Vec::new();
        for row in self.tables().logbook_by_target.range(start..end) {
            let (key, _) = row.map_err(StoreError::from)?;
            let Some(entry_key) = key.get(key.len() - 12..) else {
                continue;
            };
            if let Some(entry) = self.tables().lesson_entries.get_shared(entry_key)? {
                let day = (entry.date - from).num_days();
                if usize::try_from(day)
                    .ok()
                    .and_then(|day| allowed_days.get(day))
                    .copied()
                    .unwrap_or(false)
                {
                    entries.push(entry);
                }
            }
        }
        entries.sort_by_key(|entry| (entry.date, entry.start));
        Ok(entries)
    }

    /// A teacher's sessions from `from` to `to` with their entries: « mes séances ».
    pub fn my_sessions(
        &self,
        teacher: &Account,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<TeacherDay>, DomainError> {
        if teacher.profile != Profile::Enseignant {
            return Err(DomainError::Forbidden);
        }
        let days = self.timetable_days(teacher, &Whose::Mine, from, to)?;
        let mut found = Vec::with_capacity(days.len());
        for day in days {
            let mut entries = Vec::with_capacity(day.sessions.len());
            if day.kind == DayKind::School {
                for session in &day.sessions {
                    entries.push(
                        self.tables()
                            .lesson_entries
                            .get_shared(entry::key(session.date, session.course))?,
                    );
                }
            }
            found.push(TeacherDay { day, entries });
        }
        Ok(found)
    }

    /// The pupil whose homework `viewer` asks for: themselves, or a parent's child.
    pub(crate) fn reader(&self, viewer: &Account, whose: &Whose) -> Result<Reader, DomainError> {
        let pupil = match (whose, viewer.profile) {
            (Whose::Mine, Profile::Eleve) => self
                .accounts()
                .get_shared(viewer.id)?
                .ok_or(DomainError::UnknownPerson(viewer.id))?,
            (Whose::Child(child), _) => self.child_of(viewer, *child)?,
            _ => return Err(DomainError::Forbidden),
        };
        if !pupil.is_active() && pupil.id == viewer.id {
            return Err(DomainError::Forbidden);
        }
        Ok(Reader {
            memberships: membership::memberships(&pupil),
            pupil: Some(pupil),
        })
    }
}

impl Domain {
    /// The resources a teacher may link to a session: their own, newest first.
    pub fn linkable_resources(
        &self,
        teacher: &Account,
    ) -> Result<Vec<super::resources::resource::Resource>, DomainError> {
        let mut own = Vec::new();
        for resource in self.tables().resources.values() {
            let resource = resource?;
            if resource.author == teacher.id {
                own.push(resource);
            }
        }
        own.sort_by_key(|resource| std::cmp::Reverse(resource.updated_at));
        own.truncate(write::MAX_LINKABLE);
        Ok(own)
    }
}

/// The session an entry was written for, as the entry kept it.
fn session_of_entry(entry: &LessonEntry) -> Session {
    Session {
        course: entry.course,
        date: entry.date,
        start: entry.start,
        end: entry.end,
        subject: entry.subject.clone(),
        target: entry.target.clone(),
        teachers: entry.teachers.clone(),
        room: String::new(),
        cancelled: false,
        room_changed: false,
        replaced: false,
        note: String::new(),
    }
}

pub(crate) fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), DomainError> {
    if to < from || (to - from).num_days() >= MAX_RANGE_DAYS || !in_reach(from) || !in_reach(to) {
        return Err(DomainError::InvalidRange);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
