//! Dates in French, in the establishment's time zone.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Paris;

const DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « lundi 7 septembre 2026 », the day of `instant` in Paris.
pub fn long_date(instant: DateTime<Utc>) -> String {
    long_day(instant.with_timezone(&Paris).date_naive())
}

/// Writes « 7 septembre » (« 1er » for the first of a month), built by hand: pages write dozens
/// of dates, and `format!` costs several times more.
fn push_day_month(text: &mut String, date: chrono::NaiveDate) {
    let day = date.day();
    if day == 1 {
        text.push_str("1er");
    } else {
        if day >= 10 {
            text.push(char::from(b'0' + (day / 10) as u8));
        }
        text.push(char::from(b'0' + (day % 10) as u8));
    }
    text.push(' ');
    text.push_str(MONTHS[date.month0() as usize]);
}

fn push_weekday(text: &mut String, date: chrono::NaiveDate) {
    text.push_str(DAYS[date.weekday().num_days_from_monday() as usize]);
    text.push(' ');
}

/// « lundi 7 septembre 2026 à 08:30 ».
pub fn long_date_time(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Paris);
    format!("{} à {}", long_date(instant), local.format("%H:%M"))
}

/// « 08:00 – 08:55 », written digit by digit: chrono's `format` reads its pattern anew at
/// every call, and a week page writes dozens of them.
pub fn time_range(start: chrono::NaiveTime, end: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    let mut text = String::with_capacity(15);
    push_hour_minute(&mut text, start.hour(), start.minute());
    text.push_str(" – ");
    push_hour_minute(&mut text, end.hour(), end.minute());
    text
}

fn push_hour_minute(text: &mut String, hour: u32, minute: u32) {
    for (index, value) in [hour, minute].into_iter().enumerate() {
        if index == 1 {
            text.push(':');
        }
        text.push(char::from(b'0' + (value / 10 % 10) as u8));
        text.push(char::from(b'0' + (value % 10) as u8));
    }
}

/// « 850 octets », « 12 Ko », « 2,3 Mo » (French units and decimal comma).
pub fn size_label(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["Ko", "Mo", "Go"];
    if bytes < 1024 {
        return format!("{bytes} octets");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = if value < 10.0 {
        format!("{value:.1}").replace('.', ",")
    } else {
        format!("{value:.0}")
    };
    format!("{text} {}", UNITS[unit])
}

/// « lundi 30 novembre 2026 ».
pub fn long_day(date: chrono::NaiveDate) -> String {
    let mut text = weekday_day_month(date);
    text.push(' ');
    text.push_str(&date.year().to_string());
    text
}

/// « 30 novembre » (the day and month of a long date).
pub fn day_month(date: chrono::NaiveDate) -> String {
    let mut text = String::with_capacity(16);
    push_day_month(&mut text, date);
    text
}

/// « lundi 30 novembre » (a long date without the year).
pub fn weekday_day_month(date: chrono::NaiveDate) -> String {
    let mut text = String::with_capacity(28);
    push_weekday(&mut text, date);
    push_day_month(&mut text, date);
    text
}

pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A value for a query string.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sizes_are_written_with_french_units() {
        assert_eq!(size_label(850), "850 octets");
        assert_eq!(size_label(12 * 1024), "12 Ko");
        assert_eq!(size_label(2_411_724), "2,3 Mo");
    }

    #[test]
    fn dates_are_written_in_french_in_paris_time() {
        let monday = Utc
            .with_ymd_and_hms(2026, 9, 7, 8, 0, 0)
            .single()
            .expect("date");
        assert_eq!(long_date(monday), "lundi 7 septembre 2026");
        // 23:30 UTC on 31 January is already 1 February in Paris.
        let late = Utc
            .with_ymd_and_hms(2027, 1, 31, 23, 30, 0)
            .single()
            .expect("date");
        assert_eq!(long_date(late), "lundi 1er février 2027");
        assert_eq!(long_date_time(late), "lundi 1er février 2027 à 00:30");
        let day: chrono::NaiveDate = "2026-12-01".parse().expect("date");
        assert_eq!(long_day(day), "mardi 1er décembre 2026");
        assert_eq!(weekday_day_month(day), "mardi 1er décembre");
        assert_eq!(day_month(day + chrono::Days::new(29)), "30 décembre");
        assert_eq!(day_month(day + chrono::Days::new(8)), "9 décembre");
    }
}
