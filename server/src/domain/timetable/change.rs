//! A change to one session (séance) of a course: cancelled, moved to another room, or taught by
//! a replacement teacher. Those concerned see it on their week.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChange {
    pub course: u64,
    pub date: NaiveDate,
    pub cancelled: bool,
    /// The room the session moves to.
    pub room: Option<String>,
    /// The teacher who replaces the course's teachers for this session.
    pub replacement: Option<u64>,
    /// A word for pupils and parents (« sortie au musée »), shown with the change.
    pub note: String,
    pub by: u64,
    pub at: DateTime<Utc>,
}

impl SessionChange {
    /// Whether it changes anything at all: a change to nothing is removed instead.
    pub fn is_empty(&self) -> bool {
        !self.cancelled
            && self.room.is_none()
            && self.replacement.is_none()
            && self.note.trim().is_empty()
    }
}

/// Store key: the date first, so that a week's changes are one range scan.
pub fn key(date: NaiveDate, course: u64) -> [u8; 12] {
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&date_key(date));
    key[4..].copy_from_slice(&course.to_be_bytes());
    key
}

/// The 4 bytes that order dates: the day number since 1 January of year 1, big-endian.
pub fn date_key(date: NaiveDate) -> [u8; 4] {
    // Days from the common era fit an i32 and are positive for every date a school uses.
    u32::try_from(date.num_days_from_ce())
        .unwrap_or(0)
        .to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_by_date_then_course() {
        let day: NaiveDate = "2026-11-30".parse().expect("date");
        let next = day.succ_opt().expect("date");
        assert!(key(day, u64::MAX) < key(next, 0));
        assert!(key(day, 1) < key(day, 2));
        assert_eq!(key(day, 5)[..4], date_key(day));
    }
}
