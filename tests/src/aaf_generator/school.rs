//! The collège an export describes: its size from the number of accounts, its classes and
//! groups, its pupils and their families, its staff and what they teach.

use std::collections::BTreeSet;

use super::names::{self, Site};
use super::rng::Rng;

/// The rentrée of the export: pupils of 6e were born eleven years before.
pub(super) const SCHOOL_YEAR: u32 = 2026;

/// Two pupils of two families bear this name whatever the seed, so that every export has
/// homonyms whose logins must differ. The surname is in no list, so nobody else bears it.
pub(super) const HOMONYM: (&str, &str) = ("Léa", "SAINT-MARTIN");

/// Accounts per pupil: the pupil, 1.7 parents (siblings share them, some families have one)
/// and 0.09 staff, the ratios of a French collège.
const ACCOUNTS_PER_PUPIL: f64 = 2.79;
/// One class per level, and two families for the homonyms.
const MIN_PUPILS: usize = 8;
/// Pupils whose brother or sister is in the same collège.
const SIBLING_PERCENT: usize = 8;
/// Classes are opened so that none has more pupils than this (about 25 on average).
const MAX_CLASS_SIZE: usize = 27;
const MAX_GROUP_SIZE: usize = 28;

pub(super) struct Level {
    pub code: &'static str,
    pub label: &'static str,
    pub mef: &'static str,
}

pub(super) const LEVELS: [Level; 4] = [
    Level {
        code: "6",
        label: "6EME",
        mef: "10010012110",
    },
    Level {
        code: "5",
        label: "5EME",
        mef: "10110001110",
    },
    Level {
        code: "4",
        label: "4EME",
        mef: "10210001110",
    },
    Level {
        code: "3",
        label: "3EME",
        mef: "10310019110",
    },
];

/// The BCN subjects of the referential (`MatiereEducNat`), labels as the BCN abbreviates them.
pub(super) const SUBJECTS: [(&str, &str); 19] = [
    ("020700", "FRANCAIS"),
    ("061300", "MATHEMATIQUES"),
    ("043700", "HISTOIRE-GEOGRAPHIE"),
    ("043800", "ENS. MORAL & CIVIQUE"),
    ("030201", "ANGLAIS LV1"),
    ("030602", "ESPAGNOL LV2"),
    ("030102", "ALLEMAND LV2"),
    ("062300", "PHYSIQUE-CHIMIE"),
    ("062900", "SCIENCES VIE & TERRE"),
    ("070800", "TECHNOLOGIE"),
    ("073800", "SCIENCES ET TECHNOLOGIE"),
    ("090100", "ARTS PLASTIQUES"),
    ("081300", "EDUCATION MUSICALE"),
    ("100100", "ED.PHYSIQUE & SPORT."),
    ("020100", "LATIN"),
    ("275700", "HISTOIRE DES ARTS"),
    ("401800", "DOCUMENTATION"),
    ("006600", "ACCOMPAGNEMT. PERSO."),
    ("008400", "VIE DE CLASSE"),
];

/// A function in `ENTPersonFonctions`: code, label, discipline code and label.
#[derive(Clone, Copy)]
pub(super) struct Function {
    pub code: &'static str,
    pub label: &'static str,
    pub discipline: &'static str,
    pub discipline_label: &'static str,
}

const fn teaching(discipline: &'static str, discipline_label: &'static str) -> Function {
    Function {
        code: "ENS",
        label: "ENSEIGNEMENT",
        discipline,
        discipline_label,
    }
}

/// Subjects taught to whole classes, with how many classes make a teacher's 18 hours.
const CLASS_SUBJECTS: [(&str, Function, usize); 10] = [
    ("020700", teaching("L0202", "LETTRES MODERNES"), 4),
    ("061300", teaching("L1300", "MATHEMATIQUES"), 4),
    ("043700", teaching("L1000", "HISTOIRE GEOGRAPHIE"), 6),
    ("030201", teaching("L0422", "ANGLAIS"), 5),
    ("062300", teaching("L1500", "PHYSIQUE CHIMIE"), 12),
    ("062900", teaching("L1600", "SCIENCES VIE & TERRE"), 12),
    ("070800", teaching("L1400", "TECHNOLOGIE"), 12),
    ("090100", teaching("L1800", "ARTS PLASTIQUES"), 18),
    ("081300", teaching("L1700", "EDUCATION MUSICALE"), 18),
    (
        "100100",
        teaching("L1900", "EDUCATION PHYSIQUE ET SPORTIVE"),
        5,
    ),
];

/// An option taught to groups from 5e on.
pub(super) struct GroupSubject {
    bcn: &'static str,
    code: &'static str,
    label: &'static str,
    function: Function,
    groups_per_teacher: usize,
    /// The teacher also lists the classes of the group's pupils, as STS does for languages.
    lists_classes: bool,
}

const LATIN: GroupSubject = GroupSubject {
    bcn: "020100",
    code: "LAT",
    label: "LATIN",
    function: teaching("L0201", "LETTRES CLASSIQUES"),
    groups_per_teacher: 9,
    lists_classes: false,
};
const SPANISH: GroupSubject = GroupSubject {
    bcn: "030602",
    code: "ESP",
    label: "ESPAGNOL LV2",
    function: teaching("L0426", "ESPAGNOL"),
    groups_per_teacher: 7,
    lists_classes: true,
};
const GERMAN: GroupSubject = GroupSubject {
    bcn: "030102",
    code: "ALL",
    label: "ALLEMAND LV2",
    function: teaching("L0421", "ALLEMAND"),
    groups_per_teacher: 7,
    lists_classes: true,
};

/// Staff who do not teach: function, pupils per person (0: one per collège), and whether
/// they are in front of pupils.
const OTHER_STAFF: [(Function, usize, bool); 6] = [
    (direction("D0010", "CHEF D'ETABLISSEMENT"), 0, false),
    (
        direction("D0011", "CHEF D'ETABLISSEMENT ADJOINT"),
        900,
        false,
    ),
    (
        Function {
            code: "EDU",
            label: "EDUCATION",
            discipline: "E0030",
            discipline_label: "CONSEILLER PRINCIPAL D'EDUCATION",
        },
        400,
        false,
    ),
    (
        Function {
            code: "SUR",
            label: "SURVEILLANCE",
            discipline: "S0010",
            discipline_label: "ASSISTANT D'EDUCATION",
        },
        90,
        false,
    ),
    (
        Function {
            code: "DOC",
            label: "DOCUMENTATION",
            discipline: "L0080",
            discipline_label: "DOCUMENTATION",
        },
        700,
        true,
    ),
    (
        Function {
            code: "ADF",
            label: "ADMINISTRATION",
            discipline: "A0010",
            discipline_label: "SECRETARIAT",
        },
        350,
        false,
    ),
];

const fn direction(discipline: &'static str, discipline_label: &'static str) -> Function {
    Function {
        code: "DIR",
        label: "DIRECTION",
        discipline,
        discipline_label,
    }
}

pub(super) struct Class {
    pub code: String,
    pub label: String,
    /// Position within its level, so that teachers get one class of each level in turn.
    rank: usize,
    level: usize,
}

pub(super) struct Group {
    pub code: String,
    pub label: String,
    subject: &'static GroupSubject,
}

#[derive(Default)]
pub(super) struct Pupil {
    pub jointure: u64,
    pub first_name: &'static str,
    pub other_first_names: Vec<&'static str>,
    pub last_name: &'static str,
    pub birth_date: String,
    pub level: usize,
    pub class: usize,
    pub groups: Vec<usize>,
    /// Indices of the parents, father first.
    pub parents: Vec<usize>,
    pub ine: String,
    pub rattach_id: u32,
    pub regime: &'static str,
    pub scholarship: bool,
    pub transport: bool,
}

pub(super) struct Parent {
    pub jointure: u64,
    pub man: bool,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub mail: Option<String>,
    pub mobile: String,
    /// Lines joined by `$`.
    pub address: String,
    pub commune: (&'static str, &'static str),
    pub children: Vec<usize>,
    /// `10` father, `20` mother.
    pub relationship: &'static str,
    pub payer: bool,
}

pub(super) struct Staff {
    pub jointure: u64,
    pub man: bool,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub function: Function,
    pub in_front_of_pupils: bool,
    pub teacher: bool,
    /// (class, BCN code).
    pub class_teachings: Vec<(usize, &'static str)>,
    /// (group, BCN code).
    pub group_teachings: Vec<(usize, &'static str)>,
    pub head_of: Option<usize>,
}

pub(super) struct School {
    pub structure: String,
    pub uai: String,
    pub name: String,
    pub street: String,
    pub site: &'static Site,
    pub classes: Vec<Class>,
    pub groups: Vec<Group>,
    pub pupils: Vec<Pupil>,
    pub parents: Vec<Parent>,
    pub staff: Vec<Staff>,
}

impl School {
    /// A collège of about `accounts` accounts (exactly, from a few hundred on).
    pub(super) fn generate(accounts: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let site = &names::SITES[rng.below(names::SITES.len())];
        let structure = rng.between(1000, 9999).to_string();
        let uai = uai(site.departement, rng.between(0, 9999));
        let name = format!(
            "CLG-{}-{}",
            rng.pick(names::COLLEGE_NAMES),
            site.communes[0].1
        );
        let street = format!("{} {}", rng.between(1, 120), rng.pick(names::STREETS));
        let pupil_count = ((accounts as f64 / ACCOUNTS_PER_PUPIL).round() as usize).max(MIN_PUPILS);
        let (classes, mut pupils) = classes_and_pupils(pupil_count, &mut rng);
        let groups = groups(&mut pupils, &mut rng);
        let mut staff = teachers(&classes, &groups, &pupils, &mut rng);
        staff.extend(other_staff(pupils.len(), &mut rng));
        let parent_count = accounts.saturating_sub(pupils.len() + staff.len());
        let parents = families(&mut pupils, parent_count, site, &mut rng);
        let mut school = Self {
            structure,
            uai,
            name,
            street,
            site,
            classes,
            groups,
            pupils,
            parents,
            staff,
        };
        school.number(&mut rng);
        school
    }

    /// Jointures in the order the académie hands them out: each pupil, then their parents
    /// not numbered yet, then the staff.
    fn number(&mut self, rng: &mut Rng) {
        let mut next = 3_000_000 + u64::from(rng.between(0, 9));
        let mut take = |rng: &mut Rng| {
            next += u64::from(rng.between(1, 6));
            next
        };
        for pupil in &mut self.pupils {
            pupil.jointure = take(rng);
            for &parent in &pupil.parents {
                if self.parents[parent].jointure == 0 {
                    self.parents[parent].jointure = take(rng);
                }
            }
        }
        for member in &mut self.staff {
            member.jointure = take(rng);
        }
    }
}

/// A UAI: département, order number, and the check letter computed from the seven digits
/// (modulo 23 in an alphabet without I, O and Q), as the Éducation nationale does.
fn uai(departement: &str, order: u32) -> String {
    const KEYS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
    let digits = format!("{departement}{order:04}");
    let number = digits
        .bytes()
        .fold(0u64, |n, b| n * 10 + u64::from(b.wrapping_sub(b'0')));
    format!("{digits}{}", KEYS[(number % 23) as usize] as char)
}

fn classes_and_pupils(count: usize, rng: &mut Rng) -> (Vec<Class>, Vec<Pupil>) {
    let mut classes = Vec::new();
    let mut pupils = Vec::with_capacity(count);
    for (level, spec) in LEVELS.iter().enumerate() {
        let in_level = count / LEVELS.len() + usize::from(level < count % LEVELS.len());
        let class_count = in_level.div_ceil(MAX_CLASS_SIZE).max(1);
        for rank in 0..class_count {
            let (code, label) = if class_count <= 26 {
                let letter = char::from(b'A' + rank as u8);
                (
                    format!("{}{letter}", spec.code),
                    format!("{} {letter}", spec.label),
                )
            } else {
                let number = rank + 1;
                (
                    format!("{}{number:02}", spec.code),
                    format!("{} {number}", spec.label),
                )
            };
            let size = in_level / class_count + usize::from(rank < in_level % class_count);
            for _ in 0..size {
                pupils.push(pupil(level, classes.len(), rng));
            }
            classes.push(Class {
                code,
                label,
                rank,
                level,
            });
        }
    }
    (classes, pupils)
}

/// A pupil without name nor family yet.
fn pupil(level: usize, class: usize, rng: &mut Rng) -> Pupil {
    // About one pupil in sixteen has repeated a year.
    let late = u32::from(rng.chance(6));
    let year = SCHOOL_YEAR - 11 - level as u32 - late;
    let month = rng.between(1, 12);
    let day = rng.between(1, days_in_month(month, year));
    let letter = |rng: &mut Rng| char::from(b'A' + rng.below(26) as u8);
    Pupil {
        birth_date: format!("{day:02}/{month:02}/{year}"),
        level,
        class,
        ine: format!(
            "{:09}{}{}",
            rng.below(1_000_000_000),
            letter(rng),
            letter(rng)
        ),
        rattach_id: rng.between(100_000, 999_999),
        regime: if rng.chance(65) { "DP DAN" } else { "EXTERNE" },
        scholarship: rng.chance(25),
        transport: rng.chance(30),
        ..Pupil::default()
    }
}

fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        // Birth years are far from 1900 and 2100: every fourth year is a leap year.
        2 if year.is_multiple_of(4) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Latin and the second language from 5e on; each option of a level is split into groups of
/// neighbouring classes.
fn groups(pupils: &mut [Pupil], rng: &mut Rng) -> Vec<Group> {
    let mut choices: Vec<Vec<&'static GroupSubject>> = Vec::with_capacity(pupils.len());
    for pupil in pupils.iter() {
        let mut options = Vec::new();
        if pupil.level > 0 {
            if rng.chance(20) {
                options.push(&LATIN);
            }
            options.push(if rng.chance(70) { &SPANISH } else { &GERMAN });
        }
        choices.push(options);
    }
    let mut groups = Vec::new();
    for (level, spec) in LEVELS.iter().enumerate().skip(1) {
        for subject in [&LATIN, &SPANISH, &GERMAN] {
            let members: Vec<usize> = (0..pupils.len())
                .filter(|&p| {
                    pupils[p].level == level && choices[p].iter().any(|s| s.code == subject.code)
                })
                .collect();
            let count = members.len().div_ceil(MAX_GROUP_SIZE);
            for (i, &member) in members.iter().enumerate() {
                pupils[member]
                    .groups
                    .push(groups.len() + i * count / members.len());
            }
            for number in 1..=count {
                let (code, label) = if count == 1 {
                    (
                        format!("{}{}", spec.code, subject.code),
                        format!("{} {}", subject.label, spec.label),
                    )
                } else {
                    (
                        format!("{}{}_{number}", spec.code, subject.code),
                        format!("{} {} GR{number}", subject.label, spec.label),
                    )
                };
                groups.push(Group {
                    code,
                    label,
                    subject,
                });
            }
        }
    }
    groups
}

fn teachers(classes: &[Class], groups: &[Group], pupils: &[Pupil], rng: &mut Rng) -> Vec<Staff> {
    let mut interleaved: Vec<usize> = (0..classes.len()).collect();
    interleaved.sort_by_key(|&c| (classes[c].rank, classes[c].level));
    let mut teachers = Vec::new();
    for (bcn, function, per_teacher) in CLASS_SUBJECTS {
        for share in shares(&interleaved, per_teacher) {
            let mut teacher = staff_member(function, true, rng);
            teacher.class_teachings = share.iter().map(|&c| (c, bcn)).collect();
            teachers.push(teacher);
        }
    }
    let mut classes_of_group = vec![BTreeSet::new(); groups.len()];
    for pupil in pupils {
        for &group in &pupil.groups {
            classes_of_group[group].insert(pupil.class);
        }
    }
    for subject in [&SPANISH, &GERMAN, &LATIN] {
        let taught: Vec<usize> = (0..groups.len())
            .filter(|&g| groups[g].subject.code == subject.code)
            .collect();
        for share in shares(&taught, subject.groups_per_teacher) {
            let mut teacher = staff_member(subject.function, true, rng);
            teacher.group_teachings = share.iter().map(|&g| (g, subject.bcn)).collect();
            if subject.lists_classes {
                let classes: BTreeSet<usize> = share
                    .iter()
                    .flat_map(|&g| classes_of_group[g].iter().copied())
                    .collect();
                teacher.class_teachings = classes.into_iter().map(|c| (c, subject.bcn)).collect();
            }
            teachers.push(teacher);
        }
    }
    for class in 0..classes.len() {
        let candidates: Vec<usize> = (0..teachers.len())
            .filter(|&t| {
                teachers[t].head_of.is_none()
                    && teachers[t].group_teachings.is_empty()
                    && teachers[t].class_teachings.iter().any(|&(c, _)| c == class)
            })
            .collect();
        if !candidates.is_empty() {
            let chosen = rng.pick(&candidates);
            teachers[chosen].head_of = Some(class);
        }
    }
    teachers
}

/// `items` split into as few consecutive shares of at most `per_share` as possible, of even
/// sizes.
fn shares(items: &[usize], per_share: usize) -> Vec<&[usize]> {
    let count = items.len().div_ceil(per_share);
    (0..count)
        .map(|i| &items[i * items.len() / count..(i + 1) * items.len() / count])
        .collect()
}

fn other_staff(pupils: usize, rng: &mut Rng) -> Vec<Staff> {
    let mut staff = Vec::new();
    for (function, pupils_per_person, in_front_of_pupils) in OTHER_STAFF {
        let count = match pupils_per_person {
            0 => 1,
            per => ((pupils as f64 / per as f64).round() as usize).max(1),
        };
        for _ in 0..count {
            let mut member = staff_member(function, false, rng);
            member.in_front_of_pupils = in_front_of_pupils;
            staff.push(member);
        }
    }
    staff
}

fn staff_member(function: Function, teacher: bool, rng: &mut Rng) -> Staff {
    let man = rng.chance(40);
    Staff {
        jointure: 0,
        man,
        first_name: rng.pick(if man { names::MEN } else { names::WOMEN }),
        last_name: rng.pick(names::SURNAMES),
        function,
        in_front_of_pupils: teacher,
        teacher,
        class_teachings: Vec::new(),
        group_teachings: Vec::new(),
        head_of: None,
    }
}

/// Gathers the pupils into families that have `parent_count` parents in all, as near as the
/// number of pupils allows (one or two parents a family); names pupils and parents. The first
/// two families are those of the homonyms.
fn families(
    pupils: &mut [Pupil],
    parent_count: usize,
    site: &'static Site,
    rng: &mut Rng,
) -> Vec<Parent> {
    let total = pupils.len();
    let count = (total - total * SIBLING_PERCENT / 100)
        .max(parent_count.div_ceil(2))
        .min(total)
        .min(parent_count.max(2))
        .max(2);
    let two_parents = parent_count.saturating_sub(count).min(count);
    let mut sizes = vec![1usize; count];
    for _ in count..total {
        let mut family = rng.below(count);
        if sizes[family] >= 3 {
            family = sizes.iter().position(|&s| s < 3).unwrap_or(family);
        }
        sizes[family] += 1;
    }
    let mut both: Vec<bool> = (0..count).map(|f| f < two_parents).collect();
    rng.shuffle(&mut both);
    let mut order: Vec<usize> = (0..total).collect();
    rng.shuffle(&mut order);
    let mut order = order.into_iter();
    let mut parents = Vec::new();
    for (family, (&size, &both)) in sizes.iter().zip(&both).enumerate() {
        let children: Vec<usize> = order.by_ref().take(size).collect();
        let surname = if family < 2 {
            HOMONYM.1
        } else {
            rng.pick(names::SURNAMES)
        };
        let mut taken = Vec::new();
        for (i, &child) in children.iter().enumerate() {
            let pupil = &mut pupils[child];
            name_pupil(pupil, surname, family < 2 && i == 0, &taken, rng);
            taken.push(pupil.first_name);
        }
        let commune = if rng.chance(80) {
            site.communes[0]
        } else {
            rng.pick(site.communes)
        };
        let mut address = format!("{} {}", rng.between(1, 150), rng.pick(names::STREETS));
        let complement = rng.pick(names::ADDRESS_COMPLEMENTS);
        if !complement.is_empty() {
            address.push('$');
            address.push_str(complement);
        }
        let men: &[bool] = match (both, rng.chance(80)) {
            (true, _) => &[true, false],
            (false, true) => &[false],
            (false, false) => &[true],
        };
        for (i, &man) in men.iter().enumerate() {
            let last_name = if !man && both && rng.chance(45) {
                rng.pick(names::SURNAMES)
            } else {
                surname
            };
            let first_name = rng.pick(if man { names::MEN } else { names::WOMEN });
            let mail = rng.chance(70).then(|| {
                let domain = if rng.chance(50) {
                    "exemple.fr"
                } else {
                    "exemple.net"
                };
                format!("{}@{domain}", names::mail_local_part(first_name, last_name))
            });
            let mobile = format!(
                "+33 {} {:02} {:02} {:02} {:02}",
                if rng.chance(75) { 6 } else { 7 },
                rng.below(100),
                rng.below(100),
                rng.below(100),
                rng.below(100)
            );
            for &child in &children {
                pupils[child].parents.push(parents.len());
            }
            parents.push(Parent {
                jointure: 0,
                man,
                first_name,
                last_name,
                mail,
                mobile,
                address: address.clone(),
                commune,
                children: children.clone(),
                relationship: if man { "10" } else { "20" },
                payer: i == 0 || rng.chance(70),
            });
        }
    }
    parents
}

/// Names a pupil of the family `surname` whose brothers and sisters are named `taken`.
fn name_pupil(
    pupil: &mut Pupil,
    surname: &'static str,
    homonym: bool,
    taken: &[&str],
    rng: &mut Rng,
) {
    let girl = homonym || rng.chance(50);
    let first_name = if homonym {
        HOMONYM.0
    } else {
        loop {
            let name = rng.pick(if girl { names::GIRLS } else { names::BOYS });
            if (name, surname) != HOMONYM && !taken.contains(&name) {
                break name;
            }
        }
    };
    pupil.first_name = first_name;
    pupil.last_name = surname;
    pupil.other_first_names = vec![first_name];
    if rng.chance(30) {
        pupil.other_first_names.push(rng.pick(if girl {
            names::SECOND_GIRLS
        } else {
            names::SECOND_BOYS
        }));
    }
}
