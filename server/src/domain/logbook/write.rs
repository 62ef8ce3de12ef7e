//! Filling the cahier de textes: a teacher saves a session's entry (text, attachments, linked
//! resources, homework), copies it to another session, and direction puts its visa.

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::Transactional;

use super::content::{self, MAX_CONTENT};
use super::entry::{self, Homework, HomeworkKind, LessonEntry, Visa};
use super::{EntryProblem, SessionEntry};
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};
use crate::files::Staged;
use crate::store::{codec, StoreError};

/// At most this many files per entry, resources linked, characters of a homework description.
pub const MAX_ATTACHMENTS: usize = 10;
pub const MAX_RESOURCES: usize = 20;
pub const MAX_DESCRIPTION: usize = 2_000;
/// A teacher's own resources offered for linking, newest first.
pub const MAX_LINKABLE: usize = 60;
/// How far ahead the next session of a subject is looked for, to date homework by default.
const NEXT_SESSION_HORIZON: u64 = 35;

/// What a teacher sends for a session's entry.
#[derive(Clone, Debug, Default)]
pub struct EntryInput {
    /// As typed or as the editor sent it: cleaned here.
    pub content: String,
    pub resources: Vec<u64>,
    /// The homework of the entry after the change: those left out are removed.
    pub homework: Vec<HomeworkInput>,
    /// Hashes of the attachments to remove.
    pub remove_attachments: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct HomeworkInput {
    /// The homework changed, or `None` for a new one.
    pub id: Option<u64>,
    pub description: String,
    /// `None`: the next session of the subject for that class or group.
    pub due: Option<NaiveDate>,
    pub kind: HomeworkKind,
    pub minutes: Option<u16>,
    pub hand_in: bool,
}

impl Domain {
    /// Saves the entry of the session of `course` on `date`, with `upload` as a new attachment.
    /// Everything is checked before anything is written; an entry left empty is removed.
    pub fn save_entry(
        &self,
        viewer: &Account,
        course: u64,
        date: NaiveDate,
        input: EntryInput,
        upload: Option<Staged>,
    ) -> Result<Option<Arc<LessonEntry>>, DomainError> {
        let found = self.logbook_session(viewer, course, date)?;
        if !found.may_write {
            return Err(DomainError::Forbidden);
        }
        let problem = |problem| Err(DomainError::InvalidEntry(problem));
        let text = content::clean(&input.content);
        if text.len() > MAX_CONTENT {
            return problem(EntryProblem::ContentTooLong);
        }
        let mut resources = Vec::new();
        for id in input.resources {
            if self.resource_for(viewer, id).is_err() {
                return problem(EntryProblem::UnknownResource(id));
            }
            if !resources.contains(&id) {
                resources.push(id);
            }
        }
        if resources.len() > MAX_RESOURCES {
            return problem(EntryProblem::TooManyResources);
        }
        let old = found.entry.as_deref();
        let mut homework = Vec::new();
        for wanted in input.homework {
            let description = wanted.description.trim();
            // An emptied description removes the homework; a blank new one is no homework.
            if description.is_empty() {
                continue;
            }
            if description.chars().count() > MAX_DESCRIPTION {
                return problem(EntryProblem::DescriptionTooLong);
            }
            if wanted.minutes.is_some_and(|m| m == 0 || m > 600) {
                return problem(EntryProblem::MinutesOutOfRange);
            }
            let due = match wanted.due {
                Some(due) => due,
                None => {
                    self.next_session_date(&found.session.target, &found.session.subject, date)?
                }
            };
            if due < date {
                return problem(EntryProblem::DueBeforeSession);
            }
            if due > date + Days::new(366) {
                return problem(EntryProblem::DueTooLate);
            }
            // An id that is not this entry's is a new homework, not someone else's.
            let id = match wanted
                .id
                .filter(|id| old.is_some_and(|old| old.homework(*id).is_some()))
            {
                Some(id) => id,
                None => self.tables().next_id()?,
            };
            homework.push(Homework {
                id,
                description: description.to_owned(),
                due,
                kind: wanted.kind,
                minutes: wanted.minutes,
                hand_in: wanted.hand_in,
            });
        }
        let mut attachments: Vec<_> = old.map(|old| old.attachments.clone()).unwrap_or_default();
        let removed_files: Vec<String> = attachments
            .iter()
            .filter(|file| input.remove_attachments.contains(&file.hash))
            .map(|file| file.hash.clone())
            .collect();
        attachments.retain(|file| !removed_files.contains(&file.hash));
        if let Some(staged) = upload {
            if attachments.len() >= MAX_ATTACHMENTS {
                return problem(EntryProblem::TooManyAttachments);
            }
            let stored = self.accept_upload(viewer, staged)?;
            if !attachments.iter().any(|file| file.hash == stored.hash) {
                attachments.push(stored);
            }
        }
        let session = &found.session;
        let new = LessonEntry {
            course,
            date,
            start: session.start,
            end: session.end,
            subject: session.subject.clone(),
            target: session.target.clone(),
            teachers: session.teachers.clone(),
            content: text,
            attachments,
            resources,
            homework,
            author: viewer.id,
            updated_at: self.clock().now(),
            visa: old.and_then(|old| old.visa.clone()),
        };
        let dropped: Vec<u64> = old
            .map(|old| {
                old.homework
                    .iter()
                    .filter(|h| new.homework(h.id).is_none())
                    .map(|h| h.id)
                    .collect()
            })
            .unwrap_or_default();
        let new = (!new.is_empty()).then_some(new);
        self.write_entry(old, new.as_ref())?;
        for id in dropped {
            self.forget_homework(id)?;
        }
        for hash in removed_files {
            self.release_file(&hash)?;
        }
        tracing::info!(course, %date, by = %viewer.login, "cahier de textes entry saved");
        Ok(new.map(Arc::new))
    }

    /// Copies the entry of one session into another the teacher also teaches (another class
    /// of the same level, a group): text, attachments and resources are added to what the
    /// destination has; homework is due on the same date, or at the destination's next session
    /// when that date has passed there.
    pub fn copy_entry(
        &self,
        viewer: &Account,
        from: (u64, NaiveDate),
        to: (u64, NaiveDate),
    ) -> Result<(), DomainError> {
        let source = self.logbook_session(viewer, from.0, from.1)?;
        let destination = self.logbook_session(viewer, to.0, to.1)?;
        if !source.may_write || !destination.may_write {
            return Err(DomainError::Forbidden);
        }
        let Some(copied) = source.entry.as_deref() else {
            return Err(DomainError::InvalidEntry(EntryProblem::NothingToCopy));
        };
        let old = destination.entry.as_deref();
        let mut new = match old {
            Some(old) => old.clone(),
            None => blank_entry(&destination, viewer.id),
        };
        if !copied.content.is_empty() {
            new.content.push_str(&copied.content);
        }
        if new.content.len() > MAX_CONTENT {
            return Err(DomainError::InvalidEntry(EntryProblem::ContentTooLong));
        }
        for file in &copied.attachments {
            if !new.attachments.iter().any(|f| f.hash == file.hash) {
                new.attachments.push(file.clone());
            }
        }
        if new.attachments.len() > MAX_ATTACHMENTS {
            return Err(DomainError::InvalidEntry(EntryProblem::TooManyAttachments));
        }
        for id in &copied.resources {
            if !new.resources.contains(id) {
                new.resources.push(*id);
            }
        }
        let date = to.1;
        for homework in &copied.homework {
            let due = if homework.due > date {
                homework.due
            } else {
                self.next_session_date(&new.target, &new.subject, date)?
            };
            new.homework.push(Homework {
                id: self.tables().next_id()?,
                due,
                ..homework.clone()
            });
        }
        new.author = viewer.id;
        new.updated_at = self.clock().now();
        self.write_entry(old, Some(&new))?;
        tracing::info!(from = ?from, to = ?to, by = %viewer.login, "cahier de textes entry copied");
        Ok(())
    }

    /// Puts direction's visa on the entry of a session, or takes it off.
    pub fn set_visa(
        &self,
        viewer: &Account,
        course: u64,
        date: NaiveDate,
        signed: bool,
    ) -> Result<(), DomainError> {
        if !access::allows(viewer, Action::VisaLogbook) {
            return Err(DomainError::Forbidden);
        }
        let found = self.logbook_session(viewer, course, date)?;
        let Some(old) = found.entry.as_deref() else {
            return Err(DomainError::NoSuchSession { course, date });
        };
        let mut new = old.clone();
        new.visa = signed.then(|| Visa {
            by: viewer.id,
            at: self.clock().now(),
        });
        self.write_entry(Some(old), Some(&new))?;
        tracing::info!(course, %date, signed, by = %viewer.login, "cahier de textes visa");
        Ok(())
    }

    /// The date of the next session of `subject` for `target` after `after`, or a week later
    /// when the timetable has none in the coming weeks.
    pub fn next_session_date(
        &self,
        target: &Target,
        subject: &str,
        after: NaiveDate,
    ) -> Result<NaiveDate, DomainError> {
        let timetable = self.timetable()?;
        let calendar = self.school_calendar()?;
        let courses: Vec<_> = timetable
            .of_targets(std::slice::from_ref(target))
            .into_iter()
            .filter(|course| course.subject == subject)
            .collect();
        for offset in 1..=NEXT_SESSION_HORIZON {
            let date = after + Days::new(offset);
            if !calendar.is_school_day(date) {
                continue;
            }
            let Some(letter) = calendar.week_letter(date) else {
                continue;
            };
            if courses.iter().any(|course| course.runs_on(date, letter)) {
                return Ok(date);
            }
        }
        Ok(after + Days::new(7))
    }

    /// Replaces `old` by `new` (either may be absent) with their index rows, in one transaction.
    pub(crate) fn write_entry(
        &self,
        old: Option<&LessonEntry>,
        new: Option<&LessonEntry>,
    ) -> Result<(), DomainError> {
        let tables = self.tables();
        let rows = |entry: &LessonEntry| {
            let key = entry::key(entry.date, entry.course);
            let by_target = entry::by_target_key(&entry.target, entry.date, entry.course);
            let due: Vec<(Vec<u8>, u64)> = entry
                .homework
                .iter()
                .map(|h| (entry::due_key(&entry.target, h.due, h.id), h.id))
                .collect();
            (key, by_target, due)
        };
        let old_rows = old.map(rows);
        let new_rows = new.map(rows);
        let encoded = new.map(codec::encode).transpose()?;
        let trees = (
            tables.lesson_entries.tree(),
            &tables.logbook_by_target,
            &tables.homework_due,
            &tables.homework_entries,
        );
        let written = trees.transaction(
            |(entries, by_target, due, homework_entries): &(
                TransactionalTree,
                TransactionalTree,
                TransactionalTree,
                TransactionalTree,
            )| {
                if let Some((key, target_key, due_rows)) = &old_rows {
                    entries.remove(&key[..])?;
                    by_target.remove(target_key.as_slice())?;
                    for (row, id) in due_rows {
                        due.remove(row.as_slice())?;
                        homework_entries.remove(&id.to_be_bytes())?;
                    }
                }
                if let (Some((key, target_key, due_rows)), Some(bytes)) = (&new_rows, &encoded) {
                    entries.insert(&key[..], bytes.as_slice())?;
                    by_target.insert(target_key.as_slice(), &[])?;
                    for (row, id) in due_rows {
                        due.insert(row.as_slice(), &key[..])?;
                        homework_entries.insert(&id.to_be_bytes(), &key[..])?;
                    }
                }
                Ok::<_, ConflictableTransactionError<StoreError>>(())
            },
        );
        written.map_err(|error| match error {
            TransactionError::Abort(error) => DomainError::from(error),
            TransactionError::Storage(error) => DomainError::from(StoreError::from(error)),
        })
    }
}

fn blank_entry(destination: &SessionEntry, author: u64) -> LessonEntry {
    let session = &destination.session;
    LessonEntry {
        course: session.course,
        date: session.date,
        start: session.start,
        end: session.end,
        subject: session.subject.clone(),
        target: session.target.clone(),
        teachers: session.teachers.clone(),
        content: String::new(),
        attachments: Vec::new(),
        resources: Vec::new(),
        homework: Vec::new(),
        author,
        updated_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        visa: None,
    }
}
