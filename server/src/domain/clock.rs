//! Time as a parameter, so that expiry and throttling are testable.

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[cfg(test)]
pub mod testing {
    use std::sync::Mutex;

    use chrono::{DateTime, Duration, TimeZone, Utc};

    use super::Clock;

    /// A clock the test moves by hand.
    pub struct ManualClock(Mutex<DateTime<Utc>>);

    impl Default for ManualClock {
        /// Monday 7 September 2026, 8:00 UTC: a school morning.
        fn default() -> Self {
            Self(Mutex::new(
                Utc.with_ymd_and_hms(2026, 9, 7, 8, 0, 0)
                    .single()
                    .expect("valid date"),
            ))
        }
    }

    impl ManualClock {
        pub fn advance(&self, by: Duration) {
            let mut now = self.0.lock().expect("clock lock");
            *now += by;
        }
    }

    impl Clock for ManualClock {
        fn now(&self) -> DateTime<Utc> {
            *self.0.lock().expect("clock lock")
        }
    }
}
