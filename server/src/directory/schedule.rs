//! When the directory sync runs: every day at a time of day in Europe/Paris, at a fixed
//! interval, or never.
//!
//! The next run is a pure function of the schedule and of the current time, so the scheduler,
//! the admin page and the tests all agree on it, and a restart does not shift it.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, LocalResult, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Paris;

/// How often the directory sync runs (`[directory] schedule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Every day at this wall-clock time in Europe/Paris, e.g. `"02:30"`.
    Daily(NaiveTime),
    /// At every multiple of this interval since 1970-01-01 00:00 UTC, e.g. `"6h"`. Counting from
    /// a fixed origin rather than from the start keeps the runs where they were after a restart.
    Every(Duration),
    /// Only when an administrator asks (`"off"`).
    Off,
}

/// Why a text is not a schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a directory schedule: expected a time of day like \"02:30\", \
     an interval of at least one second like \"6h\", or \"off\""
)]
pub struct ScheduleError(String);

impl Default for Schedule {
    /// 02:30 in Paris: the académie's nightly export is there, and nobody is signed in.
    fn default() -> Self {
        Self::Daily(NaiveTime::from_hms_opt(2, 30, 0).unwrap_or_default())
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("off") {
            return Ok(Self::Off);
        }
        if let Ok(time) = NaiveTime::parse_from_str(trimmed, "%H:%M") {
            return Ok(Self::Daily(time));
        }
        match humantime::parse_duration(trimmed) {
            Ok(interval) if interval >= Duration::from_secs(1) => Ok(Self::Every(interval)),
            _ => Err(ScheduleError(text.to_owned())),
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Daily(time) => write!(f, "every day at {} (Europe/Paris)", time.format("%H:%M")),
            Self::Every(interval) => {
                write!(f, "every {}", humantime::format_duration(*interval))
            }
            Self::Off => f.write_str("off"),
        }
    }
}

impl Schedule {
    /// For the pages: « chaque jour à 02:30 », « toutes les 6h », « désactivée ».
    pub fn french(&self) -> String {
        match self {
            Self::Off => "désactivée".to_owned(),
            Self::Daily(time) => format!("chaque jour à {}", time.format("%H:%M")),
            Self::Every(interval) => {
                format!("toutes les {}", humantime::format_duration(*interval))
            }
        }
    }

    /// The first run strictly after `now`, or `None` when the sync is off.
    pub fn next_run(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match *self {
            Self::Off => None,
            Self::Every(interval) => {
                let step = i64::try_from(interval.as_millis()).ok()?;
                let slot = now.timestamp_millis().div_euclid(step).checked_add(1)?;
                DateTime::from_timestamp_millis(slot.checked_mul(step)?)
            }
            Self::Daily(time) => {
                let today = now.with_timezone(&Paris).date_naive();
                [Some(today), today.succ_opt()]
                    .into_iter()
                    .flatten()
                    .filter_map(|day| paris_instant(day.and_time(time)))
                    .find(|instant| *instant > now)
            }
        }
    }
}

/// The instant a Paris wall-clock time denotes. A time skipped when clocks go forward (02:30 on
/// the last Sunday of March) is taken one hour later, so that the day still has its run; a time
/// that happens twice when they go back is taken the first time, so that it runs once.
fn paris_instant(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let instant = match Paris.from_local_datetime(&local) {
        LocalResult::Single(instant) => Some(instant),
        LocalResult::Ambiguous(first, _) => Some(first),
        LocalResult::None => Paris
            .from_local_datetime(&(local + TimeDelta::hours(1)))
            .earliest(),
    };
    instant.map(|instant| instant.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("an RFC 3339 instant")
    }

    fn next(schedule: &str, now: &str) -> Option<DateTime<Utc>> {
        schedule
            .parse::<Schedule>()
            .expect("a schedule")
            .next_run(utc(now))
    }

    #[test]
    fn schedules_are_read_from_a_time_an_interval_or_off() {
        let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        assert_eq!("02:30".parse(), Ok(Schedule::Daily(time(2, 30))));
        assert_eq!(" 23:05 ".parse(), Ok(Schedule::Daily(time(23, 5))));
        assert_eq!(
            "6h".parse(),
            Ok(Schedule::Every(Duration::from_secs(6 * 3600)))
        );
        assert_eq!("1s".parse(), Ok(Schedule::Every(Duration::from_secs(1))));
        assert_eq!("OFF".parse(), Ok(Schedule::Off));
        assert_eq!(Schedule::default(), Schedule::Daily(time(2, 30)));
        for bad in ["25:00", "soon", "0s", "500ms", ""] {
            let error = bad.parse::<Schedule>().expect_err(bad);
            assert!(error.to_string().contains("02:30"), "{error}");
        }
    }

    #[test]
    fn a_daily_run_is_today_before_its_time_and_tomorrow_after_it() {
        // 7 September 2026, 01:00 in Paris (UTC+2): today's 02:30 is still ahead.
        assert_eq!(
            next("02:30", "2026-09-06T23:00:00Z"),
            Some(utc("2026-09-07T00:30:00Z"))
        );
        // At 02:30 exactly the run is due now, so the next one is tomorrow's.
        assert_eq!(
            next("02:30", "2026-09-07T00:30:00Z"),
            Some(utc("2026-09-08T00:30:00Z"))
        );
        assert_eq!(
            next("02:30", "2026-09-07T08:00:00Z"),
            Some(utc("2026-09-08T00:30:00Z"))
        );
    }

    #[test]
    fn a_daily_run_follows_the_paris_date_across_utc_midnight() {
        // 14 January 23:30 UTC is already 15 January 00:30 in Paris (UTC+1).
        assert_eq!(
            next("02:30", "2026-01-14T23:30:00Z"),
            Some(utc("2026-01-15T01:30:00Z"))
        );
        // 23:50 in Paris, a run at 00:10: it is ten minutes later, the next Paris day.
        assert_eq!(
            next("00:10", "2026-01-14T22:50:00Z"),
            Some(utc("2026-01-14T23:10:00Z"))
        );
    }

    #[test]
    fn a_daily_run_keeps_its_paris_time_across_daylight_saving_changes() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist that night and
        // the run happens once the clocks have jumped, at 03:30 CEST.
        assert_eq!(
            next("02:30", "2026-03-28T12:00:00Z"),
            Some(utc("2026-03-29T01:30:00Z"))
        );
        assert_eq!(
            next("02:30", "2026-03-29T01:30:00Z"),
            Some(utc("2026-03-30T00:30:00Z"))
        );
        assert_eq!(
            next("04:00", "2026-03-28T12:00:00Z"),
            Some(utc("2026-03-29T02:00:00Z"))
        );
        // 25 October 2026: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice; the run
        // is at the first 02:30 and not again at the second.
        assert_eq!(
            next("02:30", "2026-10-24T12:00:00Z"),
            Some(utc("2026-10-25T00:30:00Z"))
        );
        assert_eq!(
            next("02:30", "2026-10-25T00:45:00Z"),
            Some(utc("2026-10-26T01:30:00Z"))
        );
    }

    #[test]
    fn an_interval_runs_at_its_multiples_since_the_epoch() {
        assert_eq!(
            next("6h", "2026-09-07T08:00:00Z"),
            Some(utc("2026-09-07T12:00:00Z"))
        );
        assert_eq!(
            next("6h", "2026-09-07T12:00:00Z"),
            Some(utc("2026-09-07T18:00:00Z"))
        );
        assert_eq!(
            next("6h", "2026-09-07T23:59:59Z"),
            Some(utc("2026-09-08T00:00:00Z"))
        );
        assert_eq!(
            next("1s", "2026-09-07T08:00:00.250Z"),
            Some(utc("2026-09-07T08:00:01Z"))
        );
    }

    #[test]
    fn an_off_schedule_never_runs() {
        assert_eq!(next("off", "2026-09-07T08:00:00Z"), None);
    }
}
