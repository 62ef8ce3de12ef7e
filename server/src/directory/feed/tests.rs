use std::time::Instant;

use super::*;
use crate::directory::records::Change;
use crate::directory::testing::{
    add_request, feed_xml, fixture, fixture_path, sample_files, zip_of,
};

fn order(feed: &Feed) -> Vec<(Option<ExportType>, FeedKind, usize)> {
    feed.files
        .iter()
        .map(|file| (file.name.map(|n| n.export), file.kind, file.records.len()))
        .collect()
}

const SAMPLE_ORDER: [(Option<ExportType>, FeedKind, usize); 7] = [
    (Some(ExportType::Complet), FeedKind::EtabEducNat, 1),
    (Some(ExportType::Complet), FeedKind::MatiereEducNat, 13),
    (Some(ExportType::Complet), FeedKind::MefEducNat, 4),
    (Some(ExportType::Complet), FeedKind::PersEducNat, 23),
    (Some(ExportType::Complet), FeedKind::Eleve, 32),
    (Some(ExportType::Complet), FeedKind::PersRelEleve, 56),
    (Some(ExportType::Delta), FeedKind::Eleve, 3),
];

#[test]
fn the_sample_folder_reads_in_import_order_without_warnings() {
    let feed = read_feed(&[fixture_path("sample")]).unwrap();
    assert_eq!(order(&feed), SAMPLE_ORDER);
    assert_eq!(feed.warnings, []);
    assert!(feed.files[0]
        .source
        .ends_with("sample/ENT2D_Complet_20260901_EtabEducNat_0000.xml"));
    assert_eq!(feed.files[6].export(), ExportType::Delta);
}

#[test]
fn the_order_does_not_depend_on_the_order_of_inputs() {
    let mut files = sample_files();
    files.reverse();
    let zipped: Vec<(&str, &[u8])> = files[..3]
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let mut uploads = vec![("part.zip".to_owned(), zip_of(&zipped))];
    uploads.extend(files[3..].iter().cloned());
    let feed = read_uploaded_feed(uploads).unwrap();
    assert_eq!(order(&feed), SAMPLE_ORDER);
    let sources: Vec<_> = feed.files.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(
        sources[5],
        "part.zip!/ENT2D_Complet_20260901_PersRelEleve_0000.xml"
    );
    assert_eq!(sources[6], "part.zip!/ENT2D_Delta_20260902_Eleve_0000.xml");
}

#[test]
fn a_zip_file_on_disk_is_read_like_an_upload() {
    let path = std::env::temp_dir().join(format!("preau-aaf-export-{}.zip", std::process::id()));
    let files = sample_files();
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    std::fs::write(&path, zip_of(&entries)).unwrap();
    let feed = read_feed(&[&path]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(order(&feed.unwrap()), SAMPLE_ORDER);
}

#[test]
fn a_file_with_an_unconventional_name_takes_the_kind_of_its_records_and_comes_last() {
    let mut uploads = sample_files();
    let pupils = fixture("sample/ENT2D_Delta_20260902_Eleve_0000.xml");
    uploads.insert(0, ("eleves-rentree.xml".to_owned(), pupils));
    let feed = read_uploaded_feed(uploads).unwrap();
    let last = feed.files.last().unwrap();
    assert_eq!(
        (last.source.as_str(), last.name, last.kind),
        ("eleves-rentree.xml", None, FeedKind::Eleve)
    );
    assert_eq!(last.export(), ExportType::Delta);
}

#[test]
fn a_file_whose_kind_cannot_be_recognised_is_an_error() {
    let errors = read_uploaded_feed(vec![("vide.xml".to_owned(), feed_xml(""))]).unwrap_err();
    assert_eq!(
        errors.errors,
        [FeedError::Kind(Problem::new(
            "vide.xml",
            "impossible de reconnaître le type de ce fichier : son nom ne suit pas le modèle \
             <préfixe>_<Complet|Delta>_<aaaammjj>_<type>_<nnnn>.xml et il ne contient aucun \
             enregistrement"
        ))]
    );
    let named_but_empty = read_uploaded_feed(vec![(
        "ENT2D_Complet_20260901_PersRelEleve_0000.xml".to_owned(),
        feed_xml(""),
    )])
    .unwrap();
    assert_eq!(
        named_but_empty.warnings[0].message,
        "le fichier ne contient aucun enregistrement"
    );
}

#[test]
fn records_of_another_kind_than_the_file_name_are_an_error() {
    let staff = fixture("sample/ENT2D_Complet_20260901_PersEducNat_0000.xml");
    let errors = read_uploaded_feed(vec![(
        "ENT2D_Complet_20260901_Eleve_0000.xml".to_owned(),
        staff,
    )])
    .unwrap_err();
    assert_eq!(
        errors.errors[0].to_string(),
        "ENT2D_Complet_20260901_Eleve_0000.xml, line 5, record 3000323: un enregistrement de type \
         PersEducNat dans un fichier de type Eleve (22 autres enregistrements de ce fichier ne \
         correspondent pas non plus)"
    );
}

#[test]
fn every_bad_fixture_is_reported_at_once() {
    let errors = read_feed(&[fixture_path("bad")]).unwrap_err();
    let summary: Vec<_> = errors
        .errors
        .iter()
        .map(|error| {
            let kind = match error {
                FeedError::Encoding(_) => "encoding",
                FeedError::Xml(_) => "xml",
                FeedError::Kind(_) => "kind",
                FeedError::Value(_) => "value",
                FeedError::Read(_) | FeedError::Archive(_) => "io",
            };
            let file = error.problem().file.rsplit('/').next().unwrap().to_owned();
            (file, kind)
        })
        .collect();
    let expected = [
        ("bad_date.xml", "value"),
        ("malformed.xml", "xml"),
        ("no_identifier.xml", "xml"),
        ("truncated.xml", "xml"),
        ("unknown_encoding.xml", "encoding"),
        ("unknown_kind.xml", "kind"),
        ("unsupported_operation.xml", "xml"),
        ("wrong_arity.xml", "value"),
    ];
    let expected: Vec<_> = expected.iter().map(|(f, k)| (f.to_string(), *k)).collect();
    assert_eq!(summary, expected);
    assert_eq!(errors.warnings.len(), 1);
    assert!(
        errors.warnings[0]
            .message
            .starts_with("ignoré : ni un fichier XML"),
        "{:?}",
        errors.warnings
    );
    assert!(errors
        .to_string()
        .starts_with("the directory feed has 8 error(s)\n- "));
}

#[test]
fn a_missing_or_repeated_part_is_a_warning() {
    let subject = feed_xml(&add_request(
        ("categorieMatiere", "MatEducNat"),
        "020700",
        &[("ENTLibelleMatiere", &["FRANCAIS"])],
    ));
    let part = |seq: &str| {
        (
            format!("ENT2D_Complet_20260901_MatiereEducNat_{seq}.xml"),
            subject.clone(),
        )
    };
    let mut uploads = vec![part("0002"), part("0000")];
    uploads.push((
        "again.zip".to_owned(),
        zip_of(&[("ENT2D_Complet_20260901_MatiereEducNat_0000.xml", &subject)]),
    ));
    let feed = read_uploaded_feed(uploads).unwrap();
    let warnings: Vec<_> = feed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "ENT2D_Complet_20260901_MatiereEducNat_0002.xml: il manque la partie 0001 de l'export Complet \
             MatiereEducNat du 01/09/2026",
            "again.zip!/ENT2D_Complet_20260901_MatiereEducNat_0000.xml: la même partie est aussi lue depuis \
             ENT2D_Complet_20260901_MatiereEducNat_0000.xml ; les deux sont importées",
        ]
    );
}

/// 2,500 pupils, 5,000 parents and 200 staff, made from the sample's records with new identifiers.
fn large_export() -> Vec<(String, Vec<u8>)> {
    let grow = |file: &str, count: usize, first_id: usize| {
        let bytes = fixture(file);
        let text = crate::directory::encoding::decode(file, &bytes).unwrap();
        let templates: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("<addRequest>"))
            .collect();
        let body: Vec<String> = (0..count)
            .map(|i| {
                let template = templates[i % templates.len()];
                let id = template
                    .split("<id>")
                    .nth(1)
                    .unwrap()
                    .split("</id>")
                    .next()
                    .unwrap();
                template.replace(&format!(">{id}<"), &format!(">{}<", first_id + i))
            })
            .collect();
        (
            file.rsplit('/').next().unwrap().to_owned(),
            feed_xml(&body.join("\n")),
        )
    };
    vec![
        grow(
            "sample/ENT2D_Complet_20260901_Eleve_0000.xml",
            2_500,
            4_000_000,
        ),
        grow(
            "sample/ENT2D_Complet_20260901_PersEducNat_0000.xml",
            200,
            5_000_000,
        ),
        grow(
            "sample/ENT2D_Complet_20260901_PersRelEleve_0000.xml",
            5_000,
            6_000_000,
        ),
    ]
}

#[test]
fn a_large_export_is_read_quickly() {
    let mut uploads = large_export();
    let pupils = uploads[0].1.clone();
    let zipped = zip_of(&[("ENT2D_Complet_20260901_Eleve_0000.xml", &pupils)]);
    uploads[0] = ("export.zip".to_owned(), zipped);
    let started = Instant::now();
    let feed = read_uploaded_feed(uploads).unwrap();
    let elapsed = started.elapsed();
    let counts: Vec<_> = feed
        .files
        .iter()
        .map(|f| (f.kind, f.records.len()))
        .collect();
    assert_eq!(
        counts,
        [
            (FeedKind::PersEducNat, 200),
            (FeedKind::Eleve, 2_500),
            (FeedKind::PersRelEleve, 5_000)
        ]
    );
    let Records::Pupils(pupils) = &feed.files[1].records else {
        panic!()
    };
    assert_eq!(pupils[2_499].id, "4002499");
    assert!(matches!(pupils[2_499].change, Change::Add(_)));
    if !cfg!(debug_assertions) {
        assert!(elapsed.as_millis() < 500, "{elapsed:?}");
    }
}
