//! The demo collège's cahier de textes: every session of this week and the next is filled, past
//! and today's ones with homework due at the subject's next session, so that the demo always
//! has homework « pour demain » on the day it first starts.

use chrono::{Days, NaiveDate, Timelike};
use chrono_tz::Europe::Paris;

use super::school::*;
use crate::domain::logbook::entry::{Homework, HomeworkKind, LessonEntry};
use crate::domain::timetable::calendar::monday_of;
use crate::domain::timetable::session::Session;
use crate::domain::{Domain, DomainError};

/// What a session of each subject was about, in turn.
fn lessons(subject: &str) -> &'static [(&'static str, &'static str)] {
    match subject {
        FRANCAIS => &[
            (
                "Lecture analytique : l'incipit du roman, portrait du héros.",
                "Relire le chapitre 1 et relever trois adjectifs qui décrivent le héros.",
            ),
            (
                "Grammaire : les propositions subordonnées relatives.",
                "Exercices 4 à 6 p. 212 du manuel.",
            ),
            (
                "Expression écrite : écrire la suite d'une scène de dispute.",
                "Terminer le brouillon de la rédaction (15 lignes).",
            ),
            (
                "Orthographe : accord du participe passé avec avoir.",
                "Apprendre la règle et les exemples de la leçon.",
            ),
        ],
        MATHS => &[
            (
                "Fractions : addition de fractions de dénominateurs différents.",
                "Exercices 12 et 15 p. 48.",
            ),
            (
                "Théorème de Pythagore : calculer la longueur d'un côté.",
                "Apprendre l'énoncé du théorème et refaire l'exemple 2.",
            ),
            (
                "Calcul littéral : développer et réduire une expression.",
                "Fiche d'exercices distribuée, partie A.",
            ),
            (
                "Statistiques : moyenne et médiane d'une série.",
                "Problème « Les notes de la classe » p. 131.",
            ),
        ],
        HISTOIRE_GEO => &[
            (
                "La Révolution française : de la monarchie absolue à la République.",
                "Apprendre la leçon et les dates clés (1789, 1792).",
            ),
            (
                "Croquis : l'urbanisation du territoire français.",
                "Terminer la légende du croquis.",
            ),
            (
                "Étude de document : la Déclaration des droits de l'homme et du citoyen.",
                "Répondre aux questions 1 à 4 du document p. 86.",
            ),
        ],
        EMC => &[(
            "Débat réglé : la liberté d'expression et ses limites.",
            "Préparer deux arguments pour le débat.",
        )],
        ANGLAIS => &[
            (
                "Past simple vs present perfect : oral practice.",
                "Learn the irregular verbs list (be → go).",
            ),
            (
                "Reading: a short story about a school trip to London.",
                "Exercise 3 p. 54 of the workbook.",
            ),
            (
                "Vocabulary: describing a town.",
                "Write 5 sentences about your town.",
            ),
        ],
        ESPAGNOL | ALLEMAND => &[
            (
                "Compréhension orale : se présenter, parler de sa famille.",
                "Apprendre le vocabulaire de la famille.",
            ),
            (
                "Conjugaison : le présent des verbes réguliers.",
                "Exercices 1 et 2 du cahier.",
            ),
        ],
        PHYSIQUE => &[
            (
                "Circuits électriques : en série et en dérivation.",
                "Schématiser le circuit de l'expérience 2.",
            ),
            (
                "Les états de la matière et les changements d'état.",
                "Apprendre le schéma des changements d'état.",
            ),
        ],
        SVT => &[
            (
                "La photosynthèse : besoins des végétaux chlorophylliens.",
                "Compléter le bilan de l'expérience.",
            ),
            (
                "Le système nerveux : message nerveux et réflexes.",
                "Apprendre le schéma de l'arc réflexe.",
            ),
        ],
        TECHNOLOGIE | SCIENCES_TECHNO => &[
            (
                "Analyse fonctionnelle d'un objet technique : la trottinette.",
                "Terminer la carte mentale des fonctions.",
            ),
            (
                "Programmation par blocs : boucles et conditions.",
                "Finir le programme du défi 3.",
            ),
        ],
        EPS => &[(
            "Handball : passes et démarquage.",
            "Apporter une tenue de rechange.",
        )],
        ARTS => &[(
            "Le point de vue : photographier un objet du quotidien.",
            "Apporter trois photographies imprimées.",
        )],
        MUSIQUE => &[(
            "Chant : travail de la polyphonie à deux voix.",
            "Écouter l'extrait proposé et noter les instruments.",
        )],
        LATIN => &[(
            "La famille romaine : le pater familias.",
            "Apprendre la première déclinaison.",
        )],
        _ => &[("Séance de travail en classe.", "Revoir la leçon.")],
    }
}

/// Fills this week and the next around the clock's date; returns the number of entries.
pub fn seed(domain: &Domain) -> Result<usize, DomainError> {
    let today = domain.clock().now().with_timezone(&Paris).date_naive();
    let monday = monday_of(today);
    let end = monday + Days::new(11);
    let timetable = domain.timetable()?;
    let calendar = domain.school_calendar()?;
    let mut count = 0;
    let mut date = monday;
    while date <= end {
        if let (true, Some(letter)) = (calendar.is_school_day(date), calendar.week_letter(date)) {
            for course in timetable.courses.iter().filter(|c| c.runs_on(date, letter)) {
                let session = Session::of(course, date, None);
                let entry = entry_of(domain, &session, today, date - monday)?;
                domain.write_entry(None, Some(&entry))?;
                count += 1;
            }
        }
        date = date + Days::new(1);
    }
    Ok(count)
}

fn entry_of(
    domain: &Domain,
    session: &Session,
    today: NaiveDate,
    offset: chrono::TimeDelta,
) -> Result<LessonEntry, DomainError> {
    let bank = lessons(&session.subject);
    let turn = usize::try_from(offset.num_days()).unwrap_or(0) + session.start.hour() as usize;
    let (lesson, work) = bank[turn % bank.len()];
    // Sessions up to today set work for the subject's next session; later ones are prepared.
    let homework = if session.date <= today {
        let due = domain.next_session_date(&session.target, &session.subject, session.date)?;
        let kind = if turn % 5 == 3 {
            HomeworkKind::Assessment
        } else if work.starts_with("Apprendre") || work.starts_with("Learn") {
            HomeworkKind::Lesson
        } else {
            HomeworkKind::Exercise
        };
        let description = if kind == HomeworkKind::Assessment {
            let topic = lesson.split(':').next().unwrap_or(lesson).trim();
            format!("Évaluation en classe : {topic}")
        } else {
            work.to_owned()
        };
        vec![Homework {
            id: domain.tables().next_id()?,
            description,
            due,
            kind,
            minutes: Some([20, 30, 15, 45][turn % 4]),
            hand_in: subject_takes_hand_ins(&session.subject) && turn.is_multiple_of(3),
        }]
    } else {
        Vec::new()
    };
    Ok(LessonEntry {
        course: session.course,
        date: session.date,
        start: session.start,
        end: session.end,
        subject: session.subject.clone(),
        target: session.target.clone(),
        teachers: session.teachers.clone(),
        content: crate::domain::logbook::content::clean(lesson),
        attachments: Vec::new(),
        resources: Vec::new(),
        homework,
        author: session.teachers.first().copied().unwrap_or_default(),
        updated_at: domain.clock().now(),
        visa: None,
    })
}

fn subject_takes_hand_ins(subject: &str) -> bool {
    matches!(subject, FRANCAIS | MATHS | TECHNOLOGIE | SCIENCES_TECHNO)
}
