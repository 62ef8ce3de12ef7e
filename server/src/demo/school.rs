//! The demo collège's structure: classes, groups, subjects, and which subjects each level has.

use crate::domain::school::establishment::{Class, Group, Level, Subject};

pub const UAI: &str = "0130042X";
pub const NAME: &str = "Collège Jean Moulin";
pub const ACADEMIE: &str = "Aix-Marseille";
pub const LETTERS: [&str; 3] = ["A", "B", "C"];

pub const FRANCAIS: &str = "020700";
pub const MATHS: &str = "061300";
pub const HISTOIRE_GEO: &str = "043700";
pub const EMC: &str = "043800";
pub const ANGLAIS: &str = "030201";
pub const ESPAGNOL: &str = "030602";
pub const ALLEMAND: &str = "030102";
pub const PHYSIQUE: &str = "062300";
pub const SVT: &str = "062900";
pub const TECHNOLOGIE: &str = "070800";
pub const SCIENCES_TECHNO: &str = "073800";
pub const ARTS: &str = "090100";
pub const MUSIQUE: &str = "081300";
pub const EPS: &str = "100100";
pub const LATIN: &str = "020100";
pub const DOCUMENTATION: &str = "401800";

pub fn subjects() -> Vec<Subject> {
    [
        (FRANCAIS, "Français"),
        (MATHS, "Mathématiques"),
        (HISTOIRE_GEO, "Histoire-géographie"),
        (EMC, "Enseignement moral et civique"),
        (ANGLAIS, "Anglais LV1"),
        (ESPAGNOL, "Espagnol LV2"),
        (ALLEMAND, "Allemand LV2"),
        (PHYSIQUE, "Physique-chimie"),
        (SVT, "Sciences de la vie et de la Terre"),
        (TECHNOLOGIE, "Technologie"),
        (SCIENCES_TECHNO, "Sciences et technologie"),
        (ARTS, "Arts plastiques"),
        (MUSIQUE, "Éducation musicale"),
        (EPS, "Éducation physique et sportive"),
        (LATIN, "Latin"),
        (DOCUMENTATION, "Documentation"),
    ]
    .into_iter()
    .map(|(code, label)| Subject {
        code: code.to_owned(),
        label: label.to_owned(),
    })
    .collect()
}

/// Subjects taught to whole classes of `level` (language options are taught to groups).
pub fn class_subjects(level: Level) -> &'static [&'static str] {
    match level {
        Level::Sixieme => &[
            FRANCAIS,
            MATHS,
            HISTOIRE_GEO,
            EMC,
            ANGLAIS,
            SCIENCES_TECHNO,
            ARTS,
            MUSIQUE,
            EPS,
        ],
        _ => &[
            FRANCAIS,
            MATHS,
            HISTOIRE_GEO,
            EMC,
            ANGLAIS,
            PHYSIQUE,
            SVT,
            TECHNOLOGIE,
            ARTS,
            MUSIQUE,
            EPS,
        ],
    }
}

pub fn class_code(level: Level, letter: &str) -> String {
    format!("{}{letter}", &level.label()[..1])
}

pub fn classes() -> Vec<Class> {
    Level::ALL
        .iter()
        .flat_map(|&level| {
            LETTERS.iter().map(move |letter| Class {
                code: class_code(level, letter),
                label: format!("{} {letter}", level.label()),
                level: Some(level),
            })
        })
        .collect()
}

/// Option groups of a level from 5e on: the LV2 and Latin.
pub fn option_groups(level: Level) -> Vec<(Group, &'static str)> {
    if level == Level::Sixieme {
        return Vec::new();
    }
    let digit = &level.label()[..1];
    [
        ("ESP2", "Espagnol LV2", ESPAGNOL),
        ("ALL2", "Allemand LV2", ALLEMAND),
        ("LAT", "Latin", LATIN),
    ]
    .into_iter()
    .map(|(suffix, label, subject)| {
        (
            Group {
                code: format!("{digit}-{suffix}"),
                label: format!("{label} {}", level.label()),
            },
            subject,
        )
    })
    .collect()
}
