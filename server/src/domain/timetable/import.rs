//! The timetable CSV (`docs/timetable-csv.md`): one course per line, checked whole before the
//! timetable is replaced. A file with any bad line changes nothing, and every bad line is named.
//!
//! Columns, by header name (any order, `;` or `,` as separator, UTF-8):
//! `classe_ou_groupe`, `matiere` (BCN code or label), `enseignants` (logins, separated by spaces
//! or `+`), `salle`, `jour` (`lundi` … `samedi`), `debut` and `fin` (`08:00`, `8h30`), and the
//! optional `semaine` (`toutes`, `A`, `B`), `du` and `au` (`JJ/MM/AAAA`).

use chrono::{NaiveDate, NaiveTime};

use super::course::{parse_weekday, Weeks};
use super::NewCourse;
use crate::domain::accounts::account::Account;
use crate::domain::accounts::profile::Profile;
use crate::domain::school::establishment::Target;
use crate::domain::{Domain, DomainError};

/// The largest file taken: a collège's timetable is a few hundred lines.
pub const MAX_BYTES: usize = 1 << 20;
pub const MAX_LINES: usize = 5_000;

const REQUIRED: [&str; 7] = [
    "classe_ou_groupe",
    "matiere",
    "enseignants",
    "salle",
    "jour",
    "debut",
    "fin",
];
const OPTIONAL: [&str; 3] = ["semaine", "du", "au"];

/// Why a timetable file is refused: every problem found, by line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the timetable file is refused: {}", english(&self.problems))]
pub struct TimetableRefusal {
    pub problems: Vec<LineProblem>,
}

fn english(problems: &[LineProblem]) -> String {
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    texts.join("; ")
}

impl TimetableRefusal {
    /// One French sentence per problem, as the import page lists them.
    pub fn french(&self) -> Vec<String> {
        self.problems.iter().map(LineProblem::french).collect()
    }
}

/// One thing wrong with the file; `line` counts from 1, the header being line 1.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LineProblem {
    #[error("the file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the file is not UTF-8 text")]
    NotText,
    #[error("the file has no line")]
    Empty,
    #[error("more than {0} lines")]
    TooManyLines(usize),
    #[error("missing column {0}")]
    MissingColumn(&'static str),
    #[error("unknown column {0}")]
    UnknownColumn(String),
    #[error("line {line}: unreadable CSV ({message})")]
    Unreadable { line: usize, message: String },
    #[error("line {line}: empty {column}")]
    EmptyField { line: usize, column: &'static str },
    #[error("line {line}: unknown class or group {code}")]
    UnknownTarget { line: usize, code: String },
    #[error("line {line}: unknown subject {subject}")]
    UnknownSubject { line: usize, subject: String },
    #[error("line {line}: {login} is not a teacher's login")]
    UnknownTeacher { line: usize, login: String },
    #[error("line {line}: invalid day {day}")]
    InvalidDay { line: usize, day: String },
    #[error("line {line}: invalid time {time}")]
    InvalidTime { line: usize, time: String },
    #[error("line {line}: the course ends before it starts")]
    EndsBeforeStart { line: usize },
    #[error("line {line}: invalid week {week}")]
    InvalidWeek { line: usize, week: String },
    #[error("line {line}: invalid date {date}")]
    InvalidDate { line: usize, date: String },
    #[error("line {line}: the period ends before it starts")]
    PeriodReversed { line: usize },
    #[error("line {line}: the room name is longer than 40 characters")]
    RoomTooLong { line: usize },
}

impl LineProblem {
    pub fn french(&self) -> String {
        use LineProblem as P;
        match self {
            P::TooLarge(limit) => format!("Le fichier dépasse {} Mo.", limit >> 20),
            P::NotText => {
                "Le fichier n'est pas un texte UTF-8 (enregistrez-le en « CSV UTF-8 »).".into()
            }
            P::Empty => "Le fichier est vide.".into(),
            P::TooManyLines(limit) => format!("Le fichier a plus de {limit} lignes."),
            P::MissingColumn(column) => {
                format!("Il manque la colonne « {column} » dans la ligne d'en-tête.")
            }
            P::UnknownColumn(column) => format!("La colonne « {column} » n'est pas connue."),
            P::Unreadable { line, .. } => {
                format!("Ligne {line} : la ligne n'est pas du CSV lisible.")
            }
            P::EmptyField { line, column } => {
                format!("Ligne {line} : la colonne « {column} » est vide.")
            }
            P::UnknownTarget { line, code } => {
                format!("Ligne {line} : aucune classe ni aucun groupe « {code} ».")
            }
            P::UnknownSubject { line, subject } => {
                format!("Ligne {line} : la matière « {subject} » n'est pas dans l'annuaire.")
            }
            P::UnknownTeacher { line, login } => {
                format!("Ligne {line} : « {login} » n'est pas l'identifiant d'un enseignant.")
            }
            P::InvalidDay { line, day } => {
                format!("Ligne {line} : « {day} » n'est pas un jour (lundi à samedi).")
            }
            P::InvalidTime { line, time } => {
                format!("Ligne {line} : « {time} » n'est pas une heure (08:00 ou 8h30).")
            }
            P::EndsBeforeStart { line } => {
                format!("Ligne {line} : le cours finit avant de commencer.")
            }
            P::InvalidWeek { line, week } => {
                format!("Ligne {line} : « {week} » n'est pas une semaine (toutes, A ou B).")
            }
            P::InvalidDate { line, date } => {
                format!("Ligne {line} : « {date} » n'est pas une date (JJ/MM/AAAA).")
            }
            P::PeriodReversed { line } => {
                format!("Ligne {line} : la période finit avant de commencer.")
            }
            P::RoomTooLong { line } => {
                format!("Ligne {line} : le nom de salle dépasse 40 caractères.")
            }
        }
    }
}

impl Domain {
    /// Replaces the timetable by the courses of a CSV file, or refuses the file whole.
    pub fn import_timetable(&self, viewer: &Account, bytes: &[u8]) -> Result<usize, DomainError> {
        if !crate::domain::access::allows(viewer, crate::domain::access::Action::ManageTimetable) {
            return Err(DomainError::Forbidden);
        }
        let courses = self.read_timetable(bytes)?;
        self.replace_timetable(viewer, courses)
    }

    /// The courses of a timetable file, every line checked against the establishment.
    pub fn read_timetable(&self, bytes: &[u8]) -> Result<Vec<NewCourse>, DomainError> {
        let refuse = |problems| DomainError::TimetableRefused(TimetableRefusal { problems });
        if bytes.len() > MAX_BYTES {
            return Err(refuse(vec![LineProblem::TooLarge(MAX_BYTES)]));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| refuse(vec![LineProblem::NotText]))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header = text.lines().next().unwrap_or_default();
        if header.trim().is_empty() {
            return Err(refuse(vec![LineProblem::Empty]));
        }
        let delimiter = if header.contains(';') { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(headers) => headers.iter().map(|h| h.to_lowercase()).collect(),
            Err(error) => {
                return Err(refuse(vec![LineProblem::Unreadable {
                    line: 1,
                    message: error.to_string(),
                }]))
            }
        };
        let mut problems = Vec::new();
        for header in &headers {
            if !REQUIRED.contains(&header.as_str()) && !OPTIONAL.contains(&header.as_str()) {
                problems.push(LineProblem::UnknownColumn(header.clone()));
            }
        }
        for column in REQUIRED {
            if !headers.iter().any(|h| h == column) {
                problems.push(LineProblem::MissingColumn(column));
            }
        }
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        let column = |name: &str| headers.iter().position(|h| h == name);
        let establishment = self.establishment()?;
        let mut courses = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            if line > MAX_LINES + 1 {
                return Err(refuse(vec![LineProblem::TooManyLines(MAX_LINES)]));
            }
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(LineProblem::Unreadable {
                        line,
                        message: error.to_string(),
                    });
                    continue;
                }
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            let field = |name: &str| {
                column(name)
                    .and_then(|at| record.get(at))
                    .unwrap_or_default()
            };
            let before = problems.len();
            let mut required = |name: &'static str| {
                let value = field(name);
                if value.is_empty() {
                    problems.push(LineProblem::EmptyField { line, column: name });
                }
                value
            };
            let (target, subject, logins, room, day, start, end) = (
                required("classe_ou_groupe"),
                required("matiere"),
                required("enseignants"),
                field("salle"),
                required("jour"),
                required("debut"),
                required("fin"),
            );
            if problems.len() > before {
                continue;
            }
            let target = if establishment.class(target).is_some() {
                Some(Target::Class(target.to_owned()))
            } else if establishment.groups.iter().any(|g| g.code == target) {
                Some(Target::Group(target.to_owned()))
            } else {
                problems.push(LineProblem::UnknownTarget {
                    line,
                    code: target.to_owned(),
                });
                None
            };
            let subject_code = establishment
                .subjects
                .iter()
                .find(|s| s.code == subject || s.label.to_lowercase() == subject.to_lowercase())
                .map(|s| s.code.clone());
            if subject_code.is_none() {
                problems.push(LineProblem::UnknownSubject {
                    line,
                    subject: subject.to_owned(),
                });
            }
            let mut teachers = Vec::new();
            for login in logins
                .split(|c: char| c.is_whitespace() || c == '+' || c == ',')
                .filter(|login| !login.is_empty())
            {
                match self.teacher_by_login(login)? {
                    Some(id) => teachers.push(id),
                    None => problems.push(LineProblem::UnknownTeacher {
                        line,
                        login: login.to_owned(),
                    }),
                }
            }
            let weekday = parse_weekday(day);
            if weekday.is_none() {
                problems.push(LineProblem::InvalidDay {
                    line,
                    day: day.to_owned(),
                });
            }
            let mut time = |text: &str| {
                let parsed = parse_time(text);
                if parsed.is_none() {
                    problems.push(LineProblem::InvalidTime {
                        line,
                        time: text.to_owned(),
                    });
                }
                parsed
            };
            let (start, end) = (time(start), time(end));
            if let (Some(start), Some(end)) = (start, end) {
                if end <= start {
                    problems.push(LineProblem::EndsBeforeStart { line });
                }
            }
            let weeks = Weeks::parse(field("semaine"));
            if weeks.is_none() {
                problems.push(LineProblem::InvalidWeek {
                    line,
                    week: field("semaine").to_owned(),
                });
            }
            let mut date = |name: &str| -> Option<Option<NaiveDate>> {
                let text = field(name);
                if text.is_empty() {
                    return Some(None);
                }
                let parsed = parse_date(text);
                if parsed.is_none() {
                    problems.push(LineProblem::InvalidDate {
                        line,
                        date: text.to_owned(),
                    });
                }
                parsed.map(Some)
            };
            let (from, until) = (date("du"), date("au"));
            if let (Some(Some(from)), Some(Some(until))) = (from, until) {
                if until < from {
                    problems.push(LineProblem::PeriodReversed { line });
                }
            }
            if room.chars().count() > 40 {
                problems.push(LineProblem::RoomTooLong { line });
            }
            if problems.len() > before {
                continue;
            }
            if let (Some(target), Some(subject), Some(weekday), Some(start), Some(end)) =
                (target, subject_code, weekday, start, end)
            {
                courses.push(NewCourse {
                    subject,
                    target,
                    teachers,
                    room: room.to_owned(),
                    weekday,
                    start,
                    end,
                    weeks: weeks.unwrap_or(Weeks::Every),
                    from: from.flatten(),
                    until: until.flatten(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        if courses.is_empty() {
            return Err(refuse(vec![LineProblem::Empty]));
        }
        Ok(courses)
    }

    /// The id of the teacher whose login is `login`.
    fn teacher_by_login(&self, login: &str) -> Result<Option<u64>, DomainError> {
        Ok(self
            .accounts()
            .by_login(login)?
            .filter(|account| account.profile == Profile::Enseignant)
            .map(|account| account.id))
    }
}

/// `08:00`, `8:00`, `8h`, `8h30`, `08h30`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.trim().to_lowercase();
    let (hours, minutes) = match text.split_once([':', 'h']) {
        Some((hours, "")) => (hours, "0"),
        Some((hours, minutes)) => (hours, minutes),
        None => return None,
    };
    let hours: u32 = hours.parse().ok()?;
    let minutes: u32 = minutes.parse().ok()?;
    NaiveTime::from_hms_opt(hours, minutes, 0)
}

/// `JJ/MM/AAAA` or `AAAA-MM-JJ`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_in_french_ways() {
        assert_eq!(parse_time("8h30"), NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(parse_time("08:05"), NaiveTime::from_hms_opt(8, 5, 0));
        assert_eq!(parse_time("14h"), NaiveTime::from_hms_opt(14, 0, 0));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("huit"), None);
        assert_eq!(parse_date("30/11/2026"), "2026-11-30".parse().ok());
        assert_eq!(parse_date("2026-11-30"), "2026-11-30".parse().ok());
        assert_eq!(parse_date("31/02/2027"), None);
    }

    #[test]
    fn every_problem_has_its_french_sentence() {
        let problem = LineProblem::UnknownTeacher {
            line: 4,
            login: "x.y".into(),
        };
        assert_eq!(
            problem.french(),
            "Ligne 4 : « x.y » n'est pas l'identifiant d'un enseignant."
        );
    }
}
