//! The agenda: establishment, class and personal events, each seen by its audience
//! ([`access::Action::SeeEvent`]), listed by day and in the calendar subscription.

pub mod event;

use std::sync::Arc;

use chrono::{Days, NaiveDate, NaiveDateTime};

use self::event::{Event, EventAudience, EventKind, MAX_DAYS};
use super::access::{self, Action};
use super::accounts::account::Account;
use super::accounts::profile::Profile;
use super::school::establishment::Target;
use super::timetable::change::date_key;
use super::{Domain, DomainError};
use crate::store::StoreError;

/// An event as a form describes it, before it has an id.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub title: String,
    pub description: String,
    pub place: String,
    pub kind: EventKind,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub all_day: bool,
    pub audience: EventAudience,
}

/// Why an event is refused; the pages word it in French.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventProblem {
    #[error("no title")]
    NoTitle,
    #[error("a field is too long")]
    TooLong,
    #[error("the event ends before it starts")]
    EndsBeforeStart,
    #[error("the event lasts more than {MAX_DAYS} days")]
    TooLongEvent,
    #[error("no class or group chosen")]
    NoTarget,
    #[error("unknown class or group {0}")]
    UnknownTarget(String),
}

fn day_key(day: NaiveDate, id: u64) -> [u8; 12] {
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&date_key(day));
    key[4..].copy_from_slice(&id.to_be_bytes());
    key
}

impl Domain {
    /// The classes and groups that concern `viewer` today: a pupil's, a parent's children's, a
    /// teacher's taught or led ones.
    fn event_targets(&self, viewer: &Account) -> Result<Vec<Target>, DomainError> {
        match viewer.profile {
            Profile::Enseignant => self.teaching_targets(viewer),
            _ => self.resource_targets(viewer),
        }
    }

    fn may_see_event(&self, viewer: &Account, event: &Event, targets: &[Target]) -> bool {
        access::allows(
            viewer,
            Action::SeeEvent {
                audience: &event.audience,
                author: event.author,
                viewer_targets: targets,
            },
        )
    }

    /// The events `viewer` may see that take place from `from` to `to`, by start.
    pub fn events_between(
        &self,
        viewer: &Account,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Arc<Event>>, DomainError> {
        super::logbook::check_range(from, to)?;
        let targets = self.event_targets(viewer)?;
        let mut ids = Vec::new();
        let start = day_key(from, 0);
        let end = day_key(to + Days::new(1), 0);
        for row in self.tables().events_by_day.range(start..end) {
            let (key, _) = row.map_err(StoreError::from)?;
            if let Some(id) = key
                .get(4..12)
                .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
                .map(u64::from_be_bytes)
            {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let mut events = Vec::new();
        for id in ids {
            if let Some(event) = self.tables().events.get_shared(id.to_be_bytes())? {
                if self.may_see_event(viewer, &event, &targets) {
                    events.push(event);
                }
            }
        }
        events.sort_by_key(|event| (event.starts, event.id));
        Ok(events)
    }

    /// The event `id`, if `viewer` may see it (an unknown one and one they may not see answer
    /// alike).
    pub fn event(&self, viewer: &Account, id: u64) -> Result<Arc<Event>, DomainError> {
        let event = self
            .tables()
            .events
            .get_shared(id.to_be_bytes())?
            .ok_or(DomainError::UnknownEvent(id))?;
        let targets = self.event_targets(viewer)?;
        if !self.may_see_event(viewer, &event, &targets) {
            return Err(DomainError::UnknownEvent(id));
        }
        Ok(event)
    }

    /// Whether `viewer` may change or remove `event`.
    pub fn may_edit_event(&self, viewer: &Account, event: &Event) -> bool {
        access::allows(
            viewer,
            Action::EditEvent {
                author: event.author,
                audience: &event.audience,
            },
        )
    }

    /// The audiences `viewer` may create events for, classes and groups included.
    pub fn event_audiences(&self, viewer: &Account) -> Result<Vec<EventAudience>, DomainError> {
        let teaches = self.event_targets(viewer)?;
        let establishment = self.establishment()?;
        let mut found = Vec::new();
        for audience in [
            EventAudience::Personal,
            EventAudience::Establishment,
            EventAudience::Staff,
        ] {
            if access::allows(
                viewer,
                Action::CreateEvent {
                    audience: &audience,
                    teaches: &teaches,
                },
            ) {
                found.push(audience);
            }
        }
        for target in establishment.targets() {
            let audience = EventAudience::Targets(vec![target]);
            if access::allows(
                viewer,
                Action::CreateEvent {
                    audience: &audience,
                    teaches: &teaches,
                },
            ) {
                found.push(audience);
            }
        }
        Ok(found)
    }

    pub fn create_event(&self, viewer: &Account, new: NewEvent) -> Result<Event, DomainError> {
        let teaches = self.event_targets(viewer)?;
        if !access::allows(
            viewer,
            Action::CreateEvent {
                audience: &new.audience,
                teaches: &teaches,
            },
        ) {
            return Err(DomainError::Forbidden);
        }
        let problem = |problem| Err(DomainError::InvalidEvent(problem));
        let title = new.title.trim();
        if title.is_empty() {
            return problem(EventProblem::NoTitle);
        }
        if title.chars().count() > 120
            || new.description.chars().count() > 2_000
            || new.place.chars().count() > 80
        {
            return problem(EventProblem::TooLong);
        }
        if new.ends < new.starts {
            return problem(EventProblem::EndsBeforeStart);
        }
        if (new.ends.date() - new.starts.date()).num_days() >= MAX_DAYS {
            return problem(EventProblem::TooLongEvent);
        }
        if let EventAudience::Targets(targets) = &new.audience {
            if targets.is_empty() {
                return problem(EventProblem::NoTarget);
            }
            let establishment = self.establishment()?;
            for target in targets {
                if !establishment.targets().contains(target) {
                    let (Target::Class(code) | Target::Group(code)) = target;
                    return problem(EventProblem::UnknownTarget(code.clone()));
                }
            }
        }
        let event = Event {
            id: self.tables().next_id()?,
            title: title.to_owned(),
            description: new.description.trim().to_owned(),
            place: new.place.trim().to_owned(),
            kind: new.kind,
            starts: new.starts,
            ends: new.ends,
            all_day: new.all_day,
            audience: new.audience,
            author: viewer.id,
            created_at: self.clock().now(),
        };
        self.write_event(None, Some(&event))?;
        tracing::info!(event = event.id, by = %viewer.login, "agenda event created");
        Ok(event)
    }

    pub fn delete_event(&self, viewer: &Account, id: u64) -> Result<(), DomainError> {
        let event = self.event(viewer, id)?;
        if !self.may_edit_event(viewer, &event) {
            return Err(DomainError::Forbidden);
        }
        self.write_event(Some(&event), None)?;
        tracing::info!(event = id, by = %viewer.login, "agenda event removed");
        Ok(())
    }

    /// Replaces `old` by `new` with their day rows, in one transaction.
    pub(crate) fn write_event(
        &self,
        old: Option<&Event>,
        new: Option<&Event>,
    ) -> Result<(), DomainError> {
        use sled::transaction::{
            ConflictableTransactionError, TransactionError, TransactionalTree,
        };
        use sled::Transactional;
        let tables = self.tables();
        let old_rows: Vec<[u8; 12]> = old
            .map(|event| event.days().map(|day| day_key(day, event.id)).collect())
            .unwrap_or_default();
        let new_rows: Vec<[u8; 12]> = new
            .map(|event| event.days().map(|day| day_key(day, event.id)).collect())
            .unwrap_or_default();
        let encoded = new.map(crate::store::codec::encode).transpose()?;
        let old_id = old.map(|event| event.id.to_be_bytes());
        let new_id = new.map(|event| event.id.to_be_bytes());
        let written = (tables.events.tree(), &tables.events_by_day).transaction(
            |(events, by_day): &(TransactionalTree, TransactionalTree)| {
                if let Some(id) = &old_id {
                    events.remove(&id[..])?;
                }
                for row in &old_rows {
                    by_day.remove(&row[..])?;
                }
                if let (Some(id), Some(bytes)) = (&new_id, &encoded) {
                    events.insert(&id[..], bytes.as_slice())?;
                    for row in &new_rows {
                        by_day.insert(&row[..], &[])?;
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

#[cfg(test)]
mod tests;
