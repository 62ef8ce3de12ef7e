//! The school-year calendar: which dates have classes in the establishment's zone, and whether a
//! week is a week A or a week B.
//!
//! The national calendar (`assets/calendar/calendrier-scolaire.toml`, compiled in) gives each
//! year's start, its breaks per zone and the start of the summer; bank holidays are computed.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

const NATIONAL: &str = include_str!("../../../../assets/calendar/calendrier-scolaire.toml");

/// The holiday zones of metropolitan France.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Zone {
    A,
    B,
    C,
}

impl Zone {
    /// The zone of an académie, by its name as the directory spells it (« Aix-Marseille »).
    pub fn of_academie(academie: &str) -> Option<Zone> {
        let key: String = deunicode::deunicode(academie)
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        const A: [&str; 8] = [
            "besancon",
            "bordeaux",
            "clermontferrand",
            "dijon",
            "grenoble",
            "limoges",
            "lyon",
            "poitiers",
        ];
        const B: [&str; 12] = [
            "aixmarseille",
            "amiens",
            "caen",
            "lille",
            "nancymetz",
            "nantes",
            "nice",
            "orleanstours",
            "reims",
            "rennes",
            "rouen",
            "strasbourg",
        ];
        const C: [&str; 5] = ["creteil", "montpellier", "paris", "toulouse", "versailles"];
        let key = key.strip_prefix("academiede").unwrap_or(&key);
        if A.contains(&key) {
            Some(Zone::A)
        } else if B.contains(&key) {
            Some(Zone::B)
        } else if C.contains(&key) {
            Some(Zone::C)
        } else {
            None
        }
    }

    pub fn parse(text: &str) -> Option<Zone> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A" => Some(Zone::A),
            "B" => Some(Zone::B),
            "C" => Some(Zone::C),
            _ => None,
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = match self {
            Zone::A => "A",
            Zone::B => "B",
            Zone::C => "C",
        };
        f.write_str(letter)
    }
}

/// Week A or week B, for courses that alternate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeekLetter {
    A,
    B,
}

impl WeekLetter {
    pub fn label(self) -> &'static str {
        match self {
            WeekLetter::A => "semaine A",
            WeekLetter::B => "semaine B",
        }
    }
}

/// What a date is for the school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// Classes may take place (Monday to Saturday, in term).
    School,
    Sunday,
    /// A school break, by name (« Vacances de la Toussaint »).
    Break(String),
    /// A public holiday, by name (« Armistice 1918 »).
    BankHoliday(&'static str),
    /// Before the rentrée or from the summer holidays on, or a year the calendar does not know.
    OutOfYear,
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("the calendar file is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("school year {year}: {problem}")]
    Invalid { year: String, problem: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    annee: Vec<YearEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    nom: String,
    rentree: NaiveDate,
    vacances_ete: NaiveDate,
    #[serde(default)]
    vacances: Vec<BreakEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BreakEntry {
    nom: String,
    /// The zones the break applies to; all of them when absent.
    zones: Option<Vec<Zone>>,
    debut: NaiveDate,
    reprise: NaiveDate,
}

/// One school year of one zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolYear {
    pub name: String,
    /// The first day of classes.
    pub start: NaiveDate,
    /// The first day of the summer holidays (no class from this day on).
    pub end: NaiveDate,
    /// Breaks: name, first day off, day classes resume.
    pub breaks: Vec<(String, NaiveDate, NaiveDate)>,
    /// The letter of each week of the year, by Monday, counted once when the calendar is read.
    weeks: Vec<(NaiveDate, Option<WeekLetter>)>,
}

/// The school years of the establishment's zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolCalendar {
    /// Unknown until configured or read from the académie: zone-specific breaks are left out.
    pub zone: Option<Zone>,
    years: Vec<SchoolYear>,
}

impl SchoolCalendar {
    /// The national calendar shipped with Préau, for `zone`.
    pub fn national(zone: Option<Zone>) -> Self {
        // The shipped file is checked by a test: it cannot fail at run time.
        Self::parse(NATIONAL, zone).unwrap_or(Self {
            zone,
            years: Vec::new(),
        })
    }

    /// A calendar file in the format of `assets/calendar/calendrier-scolaire.toml`.
    pub fn parse(text: &str, zone: Option<Zone>) -> Result<Self, CalendarError> {
        let file: CalendarFile = toml::from_str(text)?;
        let mut years = Vec::new();
        for entry in file.annee {
            let invalid = |problem: String| CalendarError::Invalid {
                year: entry.nom.clone(),
                problem,
            };
            if entry.vacances_ete <= entry.rentree {
                return Err(invalid(
                    "the summer holidays start before the rentrée".into(),
                ));
            }
            let mut breaks = Vec::new();
            for item in &entry.vacances {
                if item.reprise <= item.debut {
                    return Err(invalid(format!(
                        "{}: classes resume before they stop",
                        item.nom
                    )));
                }
                let applies = match (&item.zones, zone) {
                    (None, _) => true,
                    (Some(zones), Some(zone)) => zones.contains(&zone),
                    (Some(_), None) => false,
                };
                if applies {
                    breaks.push((item.nom.clone(), item.debut, item.reprise));
                }
            }
            let mut year = SchoolYear {
                name: entry.nom.clone(),
                start: entry.rentree,
                end: entry.vacances_ete,
                breaks,
                weeks: Vec::new(),
            };
            year.weeks = year.count_weeks();
            years.push(year);
        }
        years.sort_by_key(|year| year.start);
        Ok(Self { zone, years })
    }

    /// The school year `date` belongs to, summer excluded.
    pub fn year_of(&self, date: NaiveDate) -> Option<&SchoolYear> {
        self.years
            .iter()
            .find(|year| year.start <= date && date < year.end)
    }

    /// The school year running on `date`, or the next one to start (during the summer).
    pub fn current_or_next(&self, date: NaiveDate) -> Option<&SchoolYear> {
        self.year_of(date)
            .or_else(|| self.years.iter().find(|year| year.start > date))
            .or(self.years.last())
    }

    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        match self.year_of(date) {
            Some(year) => year.day_kind(date),
            None => DayKind::OutOfYear,
        }
    }

    pub fn is_school_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date) == DayKind::School
    }

    /// Week A or B of the week holding `date`: the week of the rentrée is a week A, and only
    /// weeks with a school day count, so that the alternation goes on across the breaks. `None`
    /// for a week without any school day.
    pub fn week_letter(&self, date: NaiveDate) -> Option<WeekLetter> {
        let monday = monday_of(date);
        self.years.iter().find_map(|year| {
            year.weeks
                .binary_search_by_key(&monday, |(week, _)| *week)
                .ok()
                .and_then(|index| year.weeks[index].1)
        })
    }
}

impl SchoolYear {
    fn day_kind(&self, date: NaiveDate) -> DayKind {
        if date < self.start || date >= self.end {
            return DayKind::OutOfYear;
        }
        if date.weekday() == Weekday::Sun {
            return DayKind::Sunday;
        }
        if let Some(name) = bank_holiday(date) {
            return DayKind::BankHoliday(name);
        }
        if let Some((name, _, _)) = self
            .breaks
            .iter()
            .find(|(_, from, resume)| *from <= date && date < *resume)
        {
            return DayKind::Break(name.clone());
        }
        DayKind::School
    }

    fn count_weeks(&self) -> Vec<(NaiveDate, Option<WeekLetter>)> {
        let mut weeks = Vec::new();
        let mut monday = monday_of(self.start);
        let mut school_weeks = 0usize;
        while monday < self.end {
            let school =
                (0..6).any(|day| self.day_kind(monday + Days::new(day)) == DayKind::School);
            let letter = school.then(|| {
                school_weeks += 1;
                if school_weeks % 2 == 1 {
                    WeekLetter::A
                } else {
                    WeekLetter::B
                }
            });
            weeks.push((monday, letter));
            monday = monday + Days::new(7);
        }
        weeks
    }
}

/// The Monday of the week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// The French public holidays (Code du travail, L3133-1), Alsace-Moselle's two extra days aside.
pub fn bank_holiday(date: NaiveDate) -> Option<&'static str> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some("Jour de l'an"),
        (5, 1) => Some("Fête du Travail"),
        (5, 8) => Some("Victoire 1945"),
        (7, 14) => Some("Fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("Armistice 1918"),
        (12, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter_sunday(date.year())?;
    match (date - easter).num_days() {
        1 => Some("Lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("Lundi de Pentecôte"),
        _ => None,
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn the_shipped_calendar_parses_for_every_zone() {
        for zone in [Zone::A, Zone::B, Zone::C] {
            let calendar = SchoolCalendar::parse(NATIONAL, Some(zone)).expect("parses");
            let year = calendar.year_of(date("2026-11-30")).expect("2026-2027");
            assert_eq!(year.name, "2026-2027");
            // Toussaint, Noël, winter, spring and Ascension: five breaks in each zone.
            assert_eq!(year.breaks.len(), 5, "{zone}");
        }
    }

    #[test]
    fn easter_and_the_days_that_follow_it() {
        assert_eq!(easter_sunday(2026), Some(date("2026-04-05")));
        assert_eq!(easter_sunday(2027), Some(date("2027-03-28")));
        assert_eq!(easter_sunday(2000), Some(date("2000-04-23")));
        assert_eq!(bank_holiday(date("2027-03-29")), Some("Lundi de Pâques"));
        assert_eq!(bank_holiday(date("2027-05-06")), Some("Ascension"));
        assert_eq!(bank_holiday(date("2027-05-17")), Some("Lundi de Pentecôte"));
        assert_eq!(bank_holiday(date("2026-11-11")), Some("Armistice 1918"));
        assert_eq!(bank_holiday(date("2026-11-12")), None);
    }

    #[test]
    fn breaks_depend_on_the_zone() {
        let b = SchoolCalendar::national(Some(Zone::B));
        let c = SchoolCalendar::national(Some(Zone::C));
        let unknown = SchoolCalendar::national(None);
        assert!(
            unknown.is_school_day(date("2027-02-08")),
            "zone breaks need a zone"
        );
        assert!(
            !unknown.is_school_day(date("2026-10-20")),
            "Toussaint is everywhere"
        );
        // 8 February 2027: zone C is on its winter break, zone B has classes.
        assert_eq!(
            c.day_kind(date("2027-02-08")),
            DayKind::Break("Vacances d'hiver".into())
        );
        assert!(b.is_school_day(date("2027-02-08")));
        assert!(!b.is_school_day(date("2027-02-22")));
        // The break ends the day classes resume.
        assert!(b.is_school_day(date("2026-11-02")));
        assert!(!b.is_school_day(date("2026-10-31")));
        assert_eq!(b.day_kind(date("2026-11-29")), DayKind::Sunday);
        assert_eq!(b.day_kind(date("2026-08-31")), DayKind::OutOfYear);
        assert_eq!(b.day_kind(date("2027-07-05")), DayKind::OutOfYear);
        assert_eq!(
            b.day_kind(date("2027-05-07")),
            DayKind::Break("Pont de l'Ascension".into())
        );
    }

    #[test]
    fn weeks_alternate_from_the_rentree_skipping_the_breaks() {
        let b = SchoolCalendar::national(Some(Zone::B));
        assert_eq!(b.week_letter(date("2026-09-01")), Some(WeekLetter::A));
        assert_eq!(b.week_letter(date("2026-08-31")), Some(WeekLetter::A));
        assert_eq!(b.week_letter(date("2026-09-07")), Some(WeekLetter::B));
        // Seven weeks before Toussaint (A B A B A B A), the two weeks off count for nothing.
        assert_eq!(b.week_letter(date("2026-10-12")), Some(WeekLetter::A));
        assert_eq!(b.week_letter(date("2026-10-19")), None);
        assert_eq!(b.week_letter(date("2026-11-02")), Some(WeekLetter::B));
        assert_eq!(b.week_letter(date("2026-11-23")), Some(WeekLetter::A));
        assert_eq!(b.week_letter(date("2026-11-30")), Some(WeekLetter::B));
    }

    #[test]
    fn academies_map_to_their_zone() {
        assert_eq!(Zone::of_academie("Aix-Marseille"), Some(Zone::B));
        assert_eq!(Zone::of_academie("Académie de Créteil"), Some(Zone::C));
        assert_eq!(Zone::of_academie("CLERMONT-FERRAND"), Some(Zone::A));
        assert_eq!(Zone::of_academie("Corse"), None);
        assert_eq!(Zone::parse(" b "), Some(Zone::B));
    }

    #[test]
    fn a_calendar_file_with_a_break_ending_before_it_starts_is_refused() {
        let text = r#"
[[annee]]
nom = "2030-2031"
rentree = "2030-09-02"
vacances_ete = "2031-07-05"
[[annee.vacances]]
nom = "Toussaint"
debut = "2030-11-04"
reprise = "2030-10-19"
"#;
        let error = SchoolCalendar::parse(text, Some(Zone::A)).expect_err("refused");
        assert!(error.to_string().contains("Toussaint"), "{error}");
        assert!(SchoolCalendar::parse("annee = 3", None).is_err());
    }
}
