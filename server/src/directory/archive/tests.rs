use super::*;
use crate::directory::testing::{fixture_path, sample_files, zip_of};

fn gather(uploads: Vec<(String, Vec<u8>)>, limits: &Limits) -> (Vec<Source>, Report) {
    let mut report = Report::default();
    let sources = gather_uploads(uploads, limits, &mut report);
    (sources, report)
}

fn archive_errors(report: &Report) -> Vec<String> {
    report
        .errors
        .iter()
        .map(|error| match error {
            FeedError::Archive(problem) => problem.to_string(),
            other => panic!("expected an archive error, got {other:?}"),
        })
        .collect()
}

fn upload(name: &str, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    vec![(name.to_owned(), bytes)]
}

#[test]
fn a_zip_of_the_sample_gives_its_xml_files_and_skips_the_rest() {
    let samples = sample_files();
    let mut entries: Vec<(&str, &[u8])> =
        vec![("aaf/", b""), ("README.txt", b"Export du 1er septembre")];
    let names: Vec<String> = samples
        .iter()
        .map(|(name, _)| format!("aaf/{name}"))
        .collect();
    for (name, (_, bytes)) in names.iter().zip(&samples) {
        entries.push((name, bytes));
    }
    entries.push((
        "__MACOSX/aaf/._ENT2D_Complet_20260901_Eleve_0000.xml",
        b"\x00\x05\x16\x07",
    ));
    let (sources, report) = gather(upload("export.zip", zip_of(&entries)), &LIMITS);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let names: Vec<_> = sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 7);
    assert_eq!(
        names[0],
        "export.zip!/aaf/ENT2D_Complet_20260901_Eleve_0000.xml"
    );
    assert_eq!(sources[0].bytes, samples[0].1);
    let warnings: Vec<_> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["export.zip!/README.txt: ignoré : ce n'est pas un fichier XML"]
    );
}

#[test]
fn entries_that_leave_the_archive_refuse_the_whole_archive() {
    let cases = [
        ("../evil.xml", "elle sort de l'archive par « .. »"),
        ("aaf/../../evil.xml", "elle sort de l'archive par « .. »"),
        ("aaf\\..\\evil.xml", "elle sort de l'archive par « .. »"),
        ("/etc/evil.xml", "c'est un chemin absolu"),
        ("C:\\evil.xml", "c'est un chemin absolu"),
    ];
    for (path, why) in cases {
        let zip = zip_of(&[
            ("ENT2D_Complet_20260901_Eleve_0000.xml", b"<ficAlimMENESR/>"),
            (path, b"<ficAlimMENESR/>"),
        ]);
        let (sources, report) = gather(upload("evil.zip", zip), &LIMITS);
        assert!(sources.is_empty(), "{path}");
        assert_eq!(
            archive_errors(&report),
            [format!(
                "evil.zip: l'archive contient une entrée dangereuse, « {path} » : {why}"
            )]
        );
    }
}

#[test]
fn a_zip_bomb_is_refused_by_its_compression_ratio() {
    let mut bomb = b"<ficAlimMENESR><!--".to_vec();
    bomb.resize(4 * 1024 * 1024, b' ');
    let zip = zip_of(&[("ENT2D_Complet_20260901_Eleve_0000.xml", &bomb)]);
    assert!(zip.len() < 40_000, "{}", zip.len());
    let (sources, report) = gather(upload("bomb.zip", zip), &LIMITS);
    assert!(sources.is_empty());
    let errors = archive_errors(&report);
    assert!(
        errors[0].starts_with(
            "bomb.zip!/ENT2D_Complet_20260901_Eleve_0000.xml: le fichier grossit plus de 100 fois \
             à la décompression ("
        ),
        "{errors:?}"
    );
    assert!(
        errors[0].ends_with("refusé comme bombe de décompression (zip bomb)"),
        "{errors:?}"
    );
}

#[test]
fn a_zip_bomb_is_refused_by_size_per_file_and_in_all() {
    let limits = Limits {
        max_entry_size: 100_000,
        max_total_size: 150_000,
        ..LIMITS
    };
    let big = vec![b'x'; 120_000];
    let (_, report) = gather(upload("big.zip", zip_of(&[("a.xml", &big)])), &limits);
    assert_eq!(
        archive_errors(&report),
        ["big.zip!/a.xml: le fichier décompressé dépasse 100000 octets, la limite pour un fichier"]
    );
    let part = vec![b'x'; 80_000];
    let (sources, report) = gather(
        upload("big.zip", zip_of(&[("a.xml", &part), ("b.xml", &part)])),
        &limits,
    );
    assert!(sources.is_empty());
    assert_eq!(
        archive_errors(&report),
        ["big.zip!/b.xml: l'archive décompressée dépasse 150000 octets au total"]
    );
    assert_eq!(in_units(512 * MIB), "512 Mio");
}

#[test]
fn an_archive_with_too_many_entries_is_refused_before_decompressing() {
    let limits = Limits {
        max_entries: 2,
        ..LIMITS
    };
    let zip = zip_of(&[("a.xml", b"a"), ("b.xml", b"b"), ("c.xml", b"c")]);
    let (_, report) = gather(upload("many.zip", zip), &limits);
    assert_eq!(
        archive_errors(&report),
        ["many.zip: l'archive contient 3 entrées, plus que les 2 autorisées"]
    );
}

#[test]
fn a_damaged_archive_is_an_error() {
    let (_, report) = gather(
        upload("export.zip", b"PK\x03\x04 not really".to_vec()),
        &LIMITS,
    );
    let errors = archive_errors(&report);
    assert!(
        errors[0].starts_with("export.zip: archive zip illisible : "),
        "{errors:?}"
    );
}

#[test]
fn an_uploaded_xml_file_is_taken_whatever_its_name() {
    let (sources, report) = gather(upload("eleves.txt", b"<ficAlimMENESR/>".to_vec()), &LIMITS);
    assert_eq!(
        sources,
        [Source {
            name: "eleves.txt".into(),
            bytes: b"<ficAlimMENESR/>".to_vec()
        }]
    );
    assert!(report.warnings.is_empty());
}

#[test]
fn a_folder_gives_its_xml_files_and_zip_archives_in_name_order() {
    let folder = std::env::temp_dir().join(format!("preau-aaf-folder-{}", std::process::id()));
    std::fs::create_dir_all(folder.join("old")).unwrap();
    std::fs::write(folder.join("b.xml"), "<ficAlimMENESR/>").unwrap();
    std::fs::write(
        folder.join("a.zip"),
        zip_of(&[("inner.xml", b"<ficAlimMENESR/>")]),
    )
    .unwrap();
    std::fs::write(folder.join("notes.txt"), "notes").unwrap();
    std::fs::write(folder.join(".hidden.xml"), "x").unwrap();
    let mut report = Report::default();
    let sources = gather_paths(&[&folder], &LIMITS, &mut report);
    let shown = |name: &str| folder.join(name).display().to_string();
    let names: Vec<_> = sources.iter().map(|s| s.name.clone()).collect();
    assert_eq!(
        names,
        [format!("{}!/inner.xml", shown("a.zip")), shown("b.xml")]
    );
    let warnings: Vec<_> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            format!(
                "{}: ignoré : ni un fichier XML ni une archive zip",
                shown("notes.txt")
            ),
            format!(
                "{}: ignoré : les sous-dossiers ne sont pas lus",
                shown("old")
            ),
        ]
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn the_sample_folder_gives_its_seven_files_and_a_missing_path_is_an_error() {
    let mut report = Report::default();
    let missing = fixture_path("does-not-exist.zip");
    let sources = gather_paths(
        &[fixture_path("sample"), missing.clone()],
        &LIMITS,
        &mut report,
    );
    assert_eq!(sources.len(), 7);
    assert_eq!(report.errors.len(), 1);
    let FeedError::Read(problem) = &report.errors[0] else {
        panic!("{:?}", report.errors)
    };
    assert_eq!(problem.file, missing.display().to_string());
    assert!(
        problem
            .message
            .starts_with("impossible de lire le fichier : "),
        "{}",
        problem.message
    );
}
