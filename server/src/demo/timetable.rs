//! The demo collège's timetable: every teaching of every class and group gets its weekly hours
//! (the national hours of the cycle, an odd half hour as one hour every other week), placed on a
//! weekly grid without a class or a teacher in two places at once.

use chrono::{NaiveTime, Weekday};

use super::school::*;
use crate::domain::school::establishment::{Establishment, Level, Target, Teaching};
use crate::domain::timetable::course::{Course, Weeks};
use crate::domain::timetable::schedule::Timetable;
use crate::domain::timetable::TIMETABLE_KEY;
use crate::domain::{Domain, DomainError};

/// Hour-long slots: four days of eight, Wednesday morning.
const DAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];
const STARTS: [(u32, u32); 8] = [
    (8, 0),
    (9, 0),
    (10, 10),
    (11, 10),
    (13, 30),
    (14, 30),
    (15, 40),
    (16, 40),
];

/// Weekly hours of a subject at a level, in half hours.
fn half_hours(subject: &str, level: Level) -> u32 {
    let sixieme = level == Level::Sixieme;
    match subject {
        FRANCAIS => 9,
        MATHS if sixieme => 9,
        MATHS => 7,
        HISTOIRE_GEO => 5,
        EMC => 1,
        ANGLAIS if sixieme => 8,
        ANGLAIS => 6,
        ESPAGNOL | ALLEMAND => 5,
        SCIENCES_TECHNO => 8,
        PHYSIQUE | SVT | TECHNOLOGIE => 3,
        EPS if sixieme => 8,
        EPS => 6,
        ARTS | MUSIQUE => 2,
        LATIN => 2,
        _ => 2,
    }
}

fn room(subject: &str, class_index: usize) -> String {
    match subject {
        EPS => "Gymnase".to_owned(),
        PHYSIQUE | SVT | SCIENCES_TECHNO => format!("Labo {}", class_index % 2 + 1),
        TECHNOLOGIE => "Techno".to_owned(),
        ARTS => "Arts plastiques".to_owned(),
        MUSIQUE => "Musique".to_owned(),
        _ => format!("B{}", 10 + class_index),
    }
}

#[derive(Clone, Copy)]
struct Slot {
    day: Weekday,
    start: NaiveTime,
}

fn slots() -> Vec<Slot> {
    let mut slots = Vec::new();
    for day in DAYS {
        let count = if day == Weekday::Wed { 4 } else { STARTS.len() };
        for &(hour, minute) in &STARTS[..count] {
            if let Some(start) = NaiveTime::from_hms_opt(hour, minute, 0) {
                slots.push(Slot { day, start });
            }
        }
    }
    slots
}

/// Who is busy when: (who, slot index, weeks).
struct Busy(Vec<(Who, usize, Weeks)>);

#[derive(Clone, PartialEq, Eq)]
enum Who {
    Class(String),
    Teacher(u64),
}

impl Busy {
    fn free(&self, who: &Who, slot: usize, weeks: Weeks) -> bool {
        !self.0.iter().any(|(w, s, taken)| {
            w == who
                && *s == slot
                && (weeks == Weeks::Every || *taken == Weeks::Every || *taken == weeks)
        })
    }
}

/// Builds the timetable of `establishment` and stores it.
pub fn seed(domain: &Domain, establishment: &Establishment) -> Result<usize, DomainError> {
    let slots = slots();
    let mut busy = Busy(Vec::new());
    let mut courses = Vec::new();
    // Group courses first (a group gathers pupils of several classes of one level): they take
    // the same slot in every class of the level.
    for teaching in &establishment.teachings {
        let Target::Group(group) = &teaching.target else {
            continue;
        };
        let level = group_level(group);
        let classes: Vec<String> = establishment
            .classes
            .iter()
            .filter(|class| class.level == Some(level))
            .map(|class| class.code.clone())
            .collect();
        let who: Vec<Who> = classes
            .iter()
            .cloned()
            .map(Who::Class)
            .chain([Who::Teacher(teaching.teacher)])
            .collect();
        place(
            &slots,
            &mut busy,
            &who,
            half_hours(&teaching.subject, level),
            0,
            |slot, weeks| {
                let room = format!("B{}", 30 + courses.len() % 5);
                courses.push(course(teaching, room, slot, weeks));
            },
        );
    }
    for (class_index, class) in establishment.classes.iter().enumerate() {
        let Some(level) = class.level else { continue };
        for teaching in &establishment.teachings {
            if teaching.target != Target::Class(class.code.clone()) {
                continue;
            }
            let who = [
                Who::Class(class.code.clone()),
                Who::Teacher(teaching.teacher),
            ];
            place(
                &slots,
                &mut busy,
                &who,
                half_hours(&teaching.subject, level),
                class_index,
                |slot, weeks| {
                    courses.push(course(
                        teaching,
                        room(&teaching.subject, class_index),
                        slot,
                        weeks,
                    ))
                },
            );
        }
    }
    for course in &mut courses {
        course.id = domain.tables().next_id()?;
    }
    let count = courses.len();
    domain
        .tables()
        .timetable
        .insert(TIMETABLE_KEY, &Timetable { courses }.into())?;
    Ok(count)
}

/// An hour of `teaching` in `slot` (its id is drawn once the timetable is complete).
fn course(teaching: &Teaching, room: String, slot: Slot, weeks: Weeks) -> Course {
    Course {
        id: 0,
        subject: teaching.subject.clone(),
        target: teaching.target.clone(),
        teachers: vec![teaching.teacher],
        room,
        weekday: slot.day,
        start: slot.start,
        end: slot.start + chrono::TimeDelta::minutes(55),
        weeks,
        from: None,
        until: None,
    }
}

/// Places `half_hours` of teaching on free slots of everyone in `who`, at most two hours a day,
/// spreading the days from a starting point that differs between classes. An odd half hour is
/// one hour on alternate weeks (A for even classes, B for odd ones).
fn place(
    slots: &[Slot],
    busy: &mut Busy,
    who: &[Who],
    half_hours: u32,
    rotation: usize,
    mut add: impl FnMut(Slot, Weeks),
) {
    let mut wanted: Vec<Weeks> = vec![Weeks::Every; (half_hours / 2) as usize];
    if half_hours % 2 == 1 {
        wanted.push(if rotation.is_multiple_of(2) {
            Weeks::A
        } else {
            Weeks::B
        });
    }
    let mut per_day = [0u8; 7];
    let offset = rotation * 7 % slots.len();
    for weeks in wanted {
        let found = (0..slots.len())
            .map(|i| (i * 5 + offset) % slots.len())
            .find(|&index| {
                let day = slots[index].day.num_days_from_monday() as usize;
                per_day[day] < 2 && who.iter().all(|w| busy.free(w, index, weeks))
            });
        if let Some(index) = found {
            per_day[slots[index].day.num_days_from_monday() as usize] += 1;
            for w in who {
                busy.0.push((w.clone(), index, weeks));
            }
            add(slots[index], weeks);
        }
    }
}

/// The level of a demo group, from its code (`4-ESP2`, `3-LATIN`).
fn group_level(code: &str) -> Level {
    match code.chars().next() {
        Some('6') => Level::Sixieme,
        Some('5') => Level::Cinquieme,
        Some('4') => Level::Quatrieme,
        _ => Level::Troisieme,
    }
}
