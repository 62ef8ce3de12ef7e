//! Which classes and groups a pupil was in, when: a pupil who changes class keeps the old
//! class's cahier de textes up to the change and sees the new one's from then on.

use chrono::NaiveDate;

use crate::domain::accounts::account::{Account, Schooling};
use crate::domain::school::establishment::Target;

/// A class or group and the dates a pupil was in it: from `from` (`None`: always) to the day
/// before `until` (`None`: still).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub target: Target,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Membership {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.until.is_none_or(|until| date < until)
    }
}

/// Every class and group `pupil` was or is in, with dates.
pub fn memberships(pupil: &Account) -> Vec<Membership> {
    pupil.pupil.as_ref().map(of_schooling).unwrap_or_default()
}

/// Every class and group of `schooling`, past and present, with dates.
pub fn of_schooling(schooling: &Schooling) -> Vec<Membership> {
    let mut found = Vec::new();
    let mut add = |class: &Option<String>, groups: &[String], from, until| {
        let targets = class
            .iter()
            .cloned()
            .map(Target::Class)
            .chain(groups.iter().cloned().map(Target::Group));
        for target in targets {
            found.push(Membership {
                target,
                from,
                until,
            });
        }
    };
    for past in &schooling.past {
        add(&past.class, &past.groups, past.from, Some(past.until));
    }
    add(&schooling.class, &schooling.groups, schooling.since, None);
    found
}

/// Whether `pupil` was in `target` on `date`.
pub fn was_in(memberships: &[Membership], target: &Target, date: NaiveDate) -> bool {
    memberships
        .iter()
        .any(|m| &m.target == target && m.covers(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn a_class_change_ends_one_membership_and_starts_another() {
        let before = Schooling {
            class: Some("4A".into()),
            groups: vec!["4-ESP1".into()],
            birth_date: None,
            ine: None,
            since: None,
            past: Vec::new(),
        };
        let directory = Schooling {
            class: Some("4B".into()),
            ..before.clone()
        };
        let after = before.moved_to(&directory, date("2026-11-16"));
        let found = of_schooling(&after);
        let a = Target::Class("4A".into());
        let b = Target::Class("4B".into());
        let spanish = Target::Group("4-ESP1".into());
        assert!(was_in(&found, &a, date("2026-11-13")));
        assert!(!was_in(&found, &a, date("2026-11-16")));
        assert!(!was_in(&found, &b, date("2026-11-13")));
        assert!(was_in(&found, &b, date("2026-11-16")));
        assert!(was_in(&found, &spanish, date("2026-09-01")));
        assert!(was_in(&found, &spanish, date("2027-01-01")));
        // The same directory again changes nothing.
        assert_eq!(after.moved_to(&directory, date("2026-11-20")), after);
        // Moved back the same day: the day's brief class leaves no trace.
        let back = after.moved_to(&before, date("2026-11-16"));
        assert_eq!(back.past.len(), 1);
        assert_eq!(back.class.as_deref(), Some("4A"));
    }
}
