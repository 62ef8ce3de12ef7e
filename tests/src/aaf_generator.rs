//! A realistic full export of the académie directory (AAF) of any size, for tests and
//! benchmarks: one collège, its subjects and MEFs, pupils, parents and staff, written as the
//! académie writes them (see `fixtures/aaf/sample/`), the same bytes for the same seed.
//!
//! The parents' file is in ISO-8859-15 and the others in UTF-8, as in the sample, so that both
//! decoders of the importer are exercised at size.

mod names;
mod rng;
mod school;
mod xml;

use std::io;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, ISO_8859_15, UTF_8};

use school::{School, HOMONYM, LEVELS, SUBJECTS};
use xml::{FeedFile, Record};

/// The day the export is dated in the file names.
const EXPORT_DATE: &str = "20260901";

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// The UAI of the collège, the only establishment of the export.
    pub uai: String,
    pub pupils: usize,
    pub parents: usize,
    pub staff: usize,
    pub classes: usize,
    pub groups: usize,
    pub subjects: usize,
    pub mefs: usize,
    /// « Prénom NOM » of two pupils of different families.
    pub homonym: String,
    /// The six files written, one per kind.
    pub files: Vec<PathBuf>,
}

impl ExportSummary {
    /// Pupils, parents and staff.
    pub fn accounts(&self) -> usize {
        self.pupils + self.parents + self.staff
    }
}

/// Writes into `dir` a full export of a collège with about `accounts` accounts (exactly that
/// many from a few hundred on): a third pupils, 1.7 parents a pupil, the rest staff.
pub fn write_full_export(dir: &Path, accounts: usize, seed: u64) -> io::Result<ExportSummary> {
    std::fs::create_dir_all(dir)?;
    let school = School::generate(accounts, seed);
    let files = vec![
        write_kind(dir, &school, "EtabEducNat", UTF_8, write_establishment)?,
        write_kind(dir, &school, "MatiereEducNat", UTF_8, write_subjects)?,
        write_kind(dir, &school, "MefEducNat", UTF_8, write_mefs)?,
        write_kind(dir, &school, "PersEducNat", UTF_8, write_staff)?,
        write_kind(dir, &school, "Eleve", UTF_8, write_pupils)?,
        write_kind(dir, &school, "PersRelEleve", ISO_8859_15, write_parents)?,
    ];
    Ok(ExportSummary {
        uai: school.uai.clone(),
        pupils: school.pupils.len(),
        parents: school.parents.len(),
        staff: school.staff.len(),
        classes: school.classes.len(),
        groups: school.groups.len(),
        subjects: SUBJECTS.len(),
        mefs: LEVELS.len(),
        homonym: format!("{} {}", HOMONYM.0, HOMONYM.1),
        files,
    })
}

fn write_kind(
    dir: &Path,
    school: &School,
    kind: &str,
    encoding: &'static Encoding,
    records: fn(&School, &mut FeedFile) -> io::Result<()>,
) -> io::Result<PathBuf> {
    let path = dir.join(format!("ENT2D_Complet_{EXPORT_DATE}_{kind}_0000.xml"));
    let mut file = FeedFile::create(&path, encoding, school.site.academie_code)?;
    records(school, &mut file)?;
    file.finish()?;
    Ok(path)
}

fn person(category: &str, jointure: u64) -> Record {
    let id = jointure.to_string();
    Record::add(("categoriePersonne", category), &id).value("ENTPersonJointure", &id)
}

fn title(man: bool) -> &'static str {
    if man {
        "M."
    } else {
        "Mme"
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes {
        "O"
    } else {
        "N"
    }
}

fn write_establishment(school: &School, file: &mut FeedFile) -> io::Result<()> {
    let (postal_code, city) = school.site.communes[0];
    let record = Record::add(("categorieStructure", "EtabEducNat"), &school.structure)
        .value("ENTStructureJointure", &school.structure)
        .value("ENTStructureUAI", &school.uai)
        .value("ENTEtablissementUAI", &school.uai)
        .value("ENTStructureNomCourant", &school.name)
        .value("ENTStructureTypeStruct", "CLG")
        .value("ENTEtablissementContrat", "PU")
        .value("street", &school.street)
        .value("postalCode", postal_code)
        .value("l", city)
        .value("ENTServAcAcademie", school.site.academie)
        .values(
            "ENTStructureClasses",
            school
                .classes
                .iter()
                .map(|c| format!("{}${}", c.code, c.label)),
        )
        .values(
            "ENTStructureGroupes",
            school
                .groups
                .iter()
                .map(|g| format!("{}${}", g.code, g.label)),
        );
    file.write(record)
}

fn write_subjects(_: &School, file: &mut FeedFile) -> io::Result<()> {
    for (code, label) in SUBJECTS {
        file.write(
            Record::add(("categorieMatiere", "MatEducNat"), code)
                .value("ENTMatJointure", code)
                .value("ENTLibelleMatiere", label),
        )?;
    }
    Ok(())
}

fn write_mefs(_: &School, file: &mut FeedFile) -> io::Result<()> {
    for level in &LEVELS {
        file.write(
            Record::add(("categorieMef", "MefEducNat"), level.mef)
                .value("ENTMefJointure", level.mef)
                .value("ENTLibelleMef", level.label)
                .value("ENTMEFSTAT11", level.mef),
        )?;
    }
    Ok(())
}

fn write_staff(school: &School, file: &mut FeedFile) -> io::Result<()> {
    let structure = &school.structure;
    for member in &school.staff {
        let function = member.function;
        let mut record = person("PersEducNat", member.jointure)
            .value("personalTitle", title(member.man))
            .value("sn", member.last_name)
            .value("givenName", member.first_name)
            .value("mail", "")
            .value("ENTPersonStructRattach", structure)
            .value(
                "ENTPersonFonctions",
                &format!(
                    "{structure}${}${}${}${}",
                    function.code, function.label, function.discipline, function.discipline_label
                ),
            )
            .value(
                "PersEducNatPresenceDevantEleves",
                yes_no(member.in_front_of_pupils),
            );
        if member.teacher {
            record = record
                .values(
                    "ENTAuxEnsClassesMatieres",
                    member.class_teachings.iter().map(|&(class, subject)| {
                        format!("{structure}${}${subject}", school.classes[class].code)
                    }),
                )
                .values(
                    "ENTAuxEnsGroupesMatieres",
                    member.group_teachings.iter().map(|&(group, subject)| {
                        format!("{structure}${}${subject}", school.groups[group].code)
                    }),
                )
                .values(
                    "ENTAuxEnsClassesPrincipal",
                    member
                        .head_of
                        .map(|class| format!("{structure}${}", school.classes[class].code)),
                );
        }
        file.write(record)?;
    }
    Ok(())
}

fn write_pupils(school: &School, file: &mut FeedFile) -> io::Result<()> {
    let structure = &school.structure;
    for pupil in &school.pupils {
        let level = &LEVELS[pupil.level];
        let record = person("Eleve", pupil.jointure)
            .value("ENTEleveINE", &pupil.ine)
            .value("sn", pupil.last_name)
            .value("givenName", pupil.first_name)
            .values("ENTPersonAutresPrenoms", &pupil.other_first_names)
            .value("ENTPersonDateNaissance", &pupil.birth_date)
            .value("ENTPersonStructRattach", structure)
            .value("ENTEleveStructRattachId", &pupil.rattach_id.to_string())
            .values(
                "ENTElevePersRelEleve",
                pupil.parents.iter().map(|&p| {
                    let parent = &school.parents[p];
                    let payer = u8::from(parent.payer);
                    format!("{}${}$1$1$1${payer}", parent.jointure, parent.relationship)
                }),
            )
            .value("ENTEleveMEF", level.mef)
            .value("ENTEleveLibelleMEF", level.label)
            .value("ENTEleveNivFormation", level.label)
            .value(
                "ENTEleveClasses",
                &format!("{structure}${}", school.classes[pupil.class].code),
            )
            .values(
                "ENTEleveGroupes",
                pupil
                    .groups
                    .iter()
                    .map(|&g| format!("{structure}${}", school.groups[g].code)),
            )
            .value("ENTEleveRegime", pupil.regime)
            .value("ENTEleveBoursier", yes_no(pupil.scholarship))
            .value("ENTEleveTransport", yes_no(pupil.transport))
            .value("ENTEleveStatutEleve", "SCOLAIRE");
        file.write(record)?;
    }
    Ok(())
}

fn write_parents(school: &School, file: &mut FeedFile) -> io::Result<()> {
    let mut order: Vec<&school::Parent> = school.parents.iter().collect();
    order.sort_by_key(|parent| parent.jointure);
    for parent in order {
        let (postal_code, city) = parent.commune;
        let record = person("PersRelEleve", parent.jointure)
            .value("personalTitle", title(parent.man))
            .value("sn", parent.last_name)
            .value("givenName", parent.first_name)
            .value("mail", parent.mail.as_deref().unwrap_or_default())
            .value("mobile", &parent.mobile)
            .value("ENTPersonAdresse", &parent.address)
            .value("ENTPersonCodePostal", postal_code)
            .value("ENTPersonVille", city)
            .value("ENTPersonPays", "FRANCE")
            .values(
                "ENTAuxPersRelEleveEleve",
                parent
                    .children
                    .iter()
                    .map(|&child| school.pupils[child].jointure.to_string()),
            );
        file.write(record)?;
    }
    Ok(())
}
