//! Homework as pupils and parents see it: « à faire » by due date, ticked done (private to the
//! pupil), handed in where the teacher asks for a file; and what the teacher sees of hand-ins.

use std::sync::Arc;

use chrono::{Days, NaiveDate};

use super::entry::{self, HandIn, Homework, LessonEntry};
use super::membership::{self, Membership};
use super::{check_range, EntryProblem};
use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::timetable::Whose;
use crate::domain::{Domain, DomainError};
use crate::files::Staged;
use crate::store::StoreError;

/// One homework of a list: the entry it was set in, whether the pupil ticked it done and what
/// they handed in.
#[derive(Clone, Debug)]
pub struct HomeworkItem {
    pub entry: Arc<LessonEntry>,
    pub homework: Homework,
    /// For a pupil's list (theirs or a parent's child's); `false` otherwise.
    pub done: bool,
    pub handed_in: Option<HandIn>,
}

/// A pupil expected to hand in a homework, and what they handed in.
#[derive(Clone, Debug)]
pub struct PupilHandIn {
    pub pupil: Arc<Account>,
    pub hand_in: Option<HandIn>,
}

impl Domain {
    /// The homework due from `from` to `to` for `whose`: a pupil's own (`Mine`), a parent's
    /// child's, a teacher's set for their classes (`Mine`), a class or group's for those who may
    /// read its cahier de textes.
    pub fn homework_due(
        &self,
        viewer: &Account,
        whose: &Whose,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<HomeworkItem>, DomainError> {
        check_range(from, to)?;
        let (targets, pupil, memberships): (Vec<Target>, Option<u64>, Option<Vec<Membership>>) =
            match (whose, viewer.profile) {
                (Whose::Mine, Profile::Eleve) | (Whose::Child(_), _) => {
                    let reader = self.reader(viewer, whose)?;
                    let targets = reader
                        .memberships
                        .iter()
                        .map(|m| m.target.clone())
                        .collect();
                    (
                        targets,
                        reader.pupil.map(|p| p.id),
                        Some(reader.memberships),
                    )
                }
                (Whose::Mine, Profile::Enseignant) => (self.teaching_targets(viewer)?, None, None),
                (Whose::Target(target), _) => {
                    let mut any = false;
                    let mut date = from;
                    while date <= to && !any {
                        any = self.may_read_logbook(viewer, target, date)?;
                        date = date + Days::new(1);
                    }
                    if !any {
                        return Err(DomainError::Forbidden);
                    }
                    (vec![target.clone()], None, None)
                }
                _ => return Err(DomainError::Forbidden),
            };
        let mut targets = targets;
        targets.sort();
        targets.dedup();
        // The pupil's ticks, read once: one range rather than a read per homework.
        let mut done_ids = std::collections::HashSet::new();
        if let Some(pupil) = pupil {
            for row in self.tables().homework_done.scan_prefix(pupil.to_be_bytes()) {
                let (key, _) = row.map_err(StoreError::from)?;
                if let Some(id) = key
                    .get(8..16)
                    .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
                {
                    done_ids.insert(u64::from_be_bytes(id));
                }
            }
        }
        let mut items = Vec::new();
        for target in &targets {
            let start = entry::due_key(target, from, 0);
            let end = entry::due_key(target, to + Days::new(1), 0);
            for row in self.tables().homework_due.range(start..end) {
                let (key, entry_key) = row.map_err(StoreError::from)?;
                let Some(id) = key
                    .get(key.len() - 8..)
                    .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
                    .map(u64::from_be_bytes)
                else {
                    continue;
                };
                let Some(entry) = self.tables().lesson_entries.get_shared(&entry_key)? else {
                    continue;
                };
                let Some(homework) = entry.homework(id).cloned() else {
                    continue;
                };
                if let Some(memberships) = &memberships {
                    // The pupil sees a class's homework due while they are in it.
                    if !membership::was_in(memberships, target, homework.due) {
                        continue;
                    }
                }
                let (done, handed_in) = match pupil {
                    Some(pupil) if homework.hand_in => (
                        done_ids.contains(&id),
                        self.tables().hand_ins.get(entry::hand_in_key(id, pupil))?,
                    ),
                    Some(_) => (done_ids.contains(&id), None),
                    None => (false, None),
                };
                items.push(HomeworkItem {
                    entry,
                    homework,
                    done,
                    handed_in,
                });
            }
        }
        items.sort_by(|a, b| {
            (
                a.homework.due,
                &a.entry.subject,
                a.entry.date,
                a.homework.id,
            )
                .cmp(&(
                    b.homework.due,
                    &b.entry.subject,
                    b.entry.date,
                    b.homework.id,
                ))
        });
        Ok(items)
    }

    /// The homework `id` and its entry, if `viewer` may read it.
    pub fn homework(
        &self,
        viewer: &Account,
        id: u64,
    ) -> Result<(Arc<LessonEntry>, Homework), DomainError> {
        let unknown = || DomainError::UnknownHomework(id);
        let entry_key = self
            .tables()
            .homework_entries
            .get(id.to_be_bytes())
            .map_err(StoreError::from)?
            .ok_or_else(unknown)?;
        let entry = self
            .tables()
            .lesson_entries
            .get_shared(&entry_key)?
            .ok_or_else(unknown)?;
        let homework = entry.homework(id).cloned().ok_or_else(unknown)?;
        let readable = match viewer.profile {
            // A pupil reads the homework of a class by its due date, as on their list.
            Profile::Eleve => membership::was_in(
                &membership::memberships(viewer),
                &entry.target,
                homework.due,
            ),
            _ => {
                self.may_read_logbook(viewer, &entry.target, entry.date)?
                    || access::allows(
                        viewer,
                        Action::WriteLogbook {
                            teachers: &entry.teachers,
                        },
                    )
            }
        };
        if !readable {
            return Err(unknown());
        }
        Ok((entry, homework))
    }

    /// Ticks homework `id` done or not, for the pupil `viewer` alone.
    pub fn set_homework_done(
        &self,
        viewer: &Account,
        id: u64,
        done: bool,
    ) -> Result<(), DomainError> {
        if viewer.profile != Profile::Eleve || !viewer.is_active() {
            return Err(DomainError::Forbidden);
        }
        self.homework(viewer, id)?;
        let key = entry::pupil_key(viewer.id, id);
        let tree = &self.tables().homework_done;
        if done {
            tree.insert(key, &[]).map_err(StoreError::from)?;
        } else {
            tree.remove(key).map_err(StoreError::from)?;
        }
        Ok(())
    }

    /// Hands in `staged` for homework `id`, replacing what the pupil handed in before.
    pub fn hand_in(
        &self,
        viewer: &Account,
        id: u64,
        staged: Staged,
    ) -> Result<HandIn, DomainError> {
        if !access::allows(viewer, Action::HandIn) {
            return Err(DomainError::Forbidden);
        }
        let (_, homework) = self.homework(viewer, id)?;
        if !homework.hand_in {
            return Err(DomainError::InvalidEntry(EntryProblem::NoHandIn));
        }
        let key = entry::hand_in_key(id, viewer.id);
        let before = self.tables().hand_ins.get(key)?;
        let file = self.accept_upload(viewer, staged)?;
        let hand_in = HandIn {
            file,
            at: self.clock().now(),
        };
        self.tables().hand_ins.insert(key, &hand_in)?;
        if let Some(before) = before.filter(|before| before.file.hash != hand_in.file.hash) {
            self.release_file(&before.file.hash)?;
        }
        tracing::info!(homework = id, by = %viewer.login, "homework handed in");
        Ok(hand_in)
    }

    /// What the pupil `viewer` handed in for homework `id`.
    pub fn own_hand_in(&self, viewer: &Account, id: u64) -> Result<Option<HandIn>, DomainError> {
        self.homework(viewer, id)?;
        Ok(self
            .tables()
            .hand_ins
            .get(entry::hand_in_key(id, viewer.id))?)
    }

    /// The pupils expected to hand in homework `id` (those in its class or group on its due
    /// date) and what each handed in, by name: for the session's teachers.
    pub fn hand_ins(&self, viewer: &Account, id: u64) -> Result<Vec<PupilHandIn>, DomainError> {
        let (entry, homework) = self.homework(viewer, id)?;
        if !access::allows(
            viewer,
            Action::ReadHandIns {
                teachers: &entry.teachers,
            },
        ) {
            return Err(DomainError::Forbidden);
        }
        let mut found = Vec::new();
        for account in self.accounts().all() {
            let account = account?;
            if account.profile != Profile::Eleve {
                continue;
            }
            let memberships = membership::memberships(&account);
            let expected = membership::was_in(&memberships, &entry.target, homework.due);
            let hand_in = self
                .tables()
                .hand_ins
                .get(entry::hand_in_key(id, account.id))?;
            if expected || hand_in.is_some() {
                found.push(PupilHandIn {
                    pupil: Arc::new(account),
                    hand_in,
                });
            }
        }
        found.sort_by(|a, b| {
            (&a.pupil.last_name, &a.pupil.first_name)
                .cmp(&(&b.pupil.last_name, &b.pupil.first_name))
        });
        Ok(found)
    }

    /// Removes the ticks and hand-ins of a homework that is no more.
    pub(super) fn forget_homework(&self, id: u64) -> Result<(), DomainError> {
        let tables = self.tables();
        let mut ticks = Vec::new();
        for row in tables.homework_done.iter() {
            let (key, _) = row.map_err(StoreError::from)?;
            if key.get(8..) == Some(&id.to_be_bytes()[..]) {
                ticks.push(key);
            }
        }
        for key in ticks {
            tables.homework_done.remove(key).map_err(StoreError::from)?;
        }
        let prefix = id.to_be_bytes();
        let mut files = Vec::new();
        for row in tables.hand_ins.tree().scan_prefix(prefix) {
            let (key, _) = row.map_err(StoreError::from)?;
            if let Some(hand_in) = tables.hand_ins.get(&key)? {
                files.push(hand_in.file.hash);
            }
            tables.hand_ins.remove(&key)?;
        }
        for hash in files {
            self.release_file(&hash)?;
        }
        Ok(())
    }
}
