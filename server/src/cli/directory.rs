//! `preau directory import FILE… [--dry-run] [--json]`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::config::Config;
use crate::directory::import::{self, Counts, ImportReport, Mode, ReportProblem};

#[derive(Subcommand, Debug)]
pub enum DirectoryCommand {
    /// Apply AAF XML files, folders or zip archives of them; print a report. Exit 1 and change
    /// nothing when the feed is rejected.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// AAF XML files, folders of them, or zip archives.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Compute and print what the import would do; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(data: &Path, config: Config, command: DirectoryCommand) -> anyhow::Result<ExitCode> {
    let DirectoryCommand::Import(args) = command;
    let domain = super::open_domain(data, config)?;
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Apply
    };
    let report = import::import(&domain, &args.files, mode, &mut rand::rngs::OsRng)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", human(&report));
    }
    Ok(if report.is_rejected() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The report in French, as an administrator reads it.
fn human(report: &ImportReport) -> String {
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
