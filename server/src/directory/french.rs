//! The reports of the directory import and sync in French, as an administrator reads them: on
//! the command line and in `rapport.txt` next to a quarantined feed.

use std::fmt::Write as _;

use super::history::RunStatus;
use super::import::{Counts, ImportReport, ReportProblem};
use super::sync::SyncOutcome;

/// The report of an import.
pub fn import_report(report: &ImportReport) -> String {
    let mut text = String::new();
    let verdict = if report.is_rejected() {
        "Import refusé : aucune modification."
    } else if report.dry_run {
        "Simulation : rien n'a été appliqué."
    } else if report.has_changes() {
        "Import appliqué."
    } else {
        "Import appliqué : aucun changement."
    };
    let _ = writeln!(text, "{verdict}");
    if let Some(uai) = &report.adopted_uai {
        let _ = writeln!(text, "Établissement adopté depuis l'annuaire : UAI {uai}.");
    }
    if !report.is_rejected() {
        for (label, counts) in [
            ("créés", &report.created),
            ("modifiés", &report.updated),
            ("dont élèves changés de classe", &report.moved),
            ("réactivés", &report.reactivated),
            ("désactivés ou retirés", &report.deactivated),
            ("inchangés", &report.unchanged),
            ("ignorés (autre établissement)", &report.skipped),
        ] {
            if counts.total() > 0 || label == "créés" {
                let _ = writeln!(text, "  {label:<32} {}", line(counts));
            }
        }
    }
    problems(&mut text, "Avertissements", &report.warnings);
    problems(&mut text, "Erreurs", &report.errors);
    text
}

/// The report of a sync run: the files taken, the import's report, where the files went.
pub fn sync_outcome(outcome: &SyncOutcome) -> String {
    let (record, report) = match outcome {
        SyncOutcome::Nothing { folder } => {
            return format!(
            "Synchronisation de l'annuaire : rien à importer, aucun fichier XML ou zip dans {}.\n",
            folder.display()
        )
        }
        SyncOutcome::Ran(run) => (&run.record, &run.report),
    };
    let mut text = format!("Synchronisation de l'annuaire depuis {}\n", record.source);
    for file in &record.files {
        let _ = writeln!(text, "  - {file}");
    }
    if let Some(report) = report {
        text.push_str(&import_report(report));
    }
    let folder = record.moved_to.as_ref().map(|path| path.display());
    match (record.status, folder) {
        (RunStatus::Applied, Some(folder)) => {
            let _ = writeln!(text, "Fichiers archivés dans {folder}.");
        }
        (RunStatus::Rejected, Some(folder)) => {
            let _ = writeln!(
                text,
                "Fichiers mis en quarantaine dans {folder}, avec le rapport (rapport.txt, report.json)."
            );
        }
        _ => {}
    }
    if let Some(failure) = &record.failure {
        let _ = writeln!(text, "Échec de la synchronisation : {failure}");
    }
    text
}

fn line(counts: &Counts) -> String {
    format!(
        "élèves {}, parents {}, personnels {}, classes {}, groupes {}, matières {}, MEF {}",
        counts.pupils,
        counts.parents,
        counts.staff,
        counts.classes,
        counts.groups,
        counts.subjects,
        counts.mefs
    )
}

fn problems(text: &mut String, title: &str, problems: &[ReportProblem]) {
    if problems.is_empty() {
        return;
    }
    let _ = writeln!(text, "{title} ({}) :", problems.len());
    for problem in problems {
        let mut place = problem.file.clone();
        if let Some(line) = problem.line {
            let _ = write!(place, ", ligne {line}");
        }
        if let Some(record) = &problem.record {
            let _ = write!(place, ", enregistrement {record}");
        }
        let _ = writeln!(text, "  - {place} : {}", problem.message);
    }
}
