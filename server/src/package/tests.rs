//! Packages as teachers upload them: their standard, start page, metadata and text; then
//! serving their files.

use std::io::{Cursor, Write};
use std::path::PathBuf;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/packages/"
    ))
    .join(name)
}

pub(super) fn open_fixture(name: &str) -> std::io::BufReader<std::fs::File> {
    std::io::BufReader::new(std::fs::File::open(fixture(name)).expect("fixture"))
}

pub(super) fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// A zip of `(name, content)` entries, deflated; names ending in `/` are folders.
pub(super) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, deflated()).expect("folder");
        } else {
            writer.start_file(*name, deflated()).expect("entry");
            writer.write_all(content).expect("content");
        }
    }
    writer.finish().expect("zip").into_inner()
}

pub(super) fn inspect_zip(bytes: &[u8], limits: &Limits) -> Result<PackageInfo, PackageError> {
    inspect(Cursor::new(bytes), limits)
}

pub(super) const PAGE: &[u8] = b"<!DOCTYPE html><title>Page</title><p>Bonjour</p>";

/// An `imsmanifest.xml` from the content of `metadata`, the `organizations` element and the
/// content of `resources`.
fn manifest(metadata: &str, organizations: &str, resources: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">
  <metadata>{metadata}</metadata>
  {organizations}
  <resources>{resources}</resources>
</manifest>"#
    )
}

#[test]
fn a_scorm_12_package_gives_its_french_metadata_and_launch_page() {
    let info =
        inspect(open_fixture("scorm12-fractions.zip"), &Limits::default()).expect("accepted");
    assert_eq!(info.standard, Standard::Scorm12);
    assert_eq!(info.standard.label_fr(), "SCORM 1.2");
    assert_eq!(info.launch, "index.html");
    assert_eq!(info.title.as_deref(), Some("Les fractions"));
    assert_eq!(
        info.description.as_deref(),
        Some("Additionner des fractions de même dénominateur & s’entraîner.")
    );
    assert_eq!(info.keywords, ["fractions", "dénominateur"]);
    assert_eq!(info.taxons, ["num-631", "num-021", "num-948", "num-949"]);
    assert_eq!(info.entries, 5);
    assert!(info.unpacked_bytes > 3_000, "{}", info.unpacked_bytes);
}

#[test]
fn the_text_of_every_page_is_extracted_launch_page_first_without_code() {
    let info =
        inspect(open_fixture("scorm12-fractions.zip"), &Limits::default()).expect("accepted");
    assert!(
        info.text.starts_with(
            "Les fractions – le cours Additionner des fractions Quand deux fractions ont le même \
             dénominateur, on additionne les numérateurs : 1/4 + 2/4 = 3/4. Passer à l’exercice"
        ),
        "{}",
        info.text
    );
    assert!(
        info.text
            .ends_with("\nExercice Exercice Calculer 2/7 + 3/7."),
        "{}",
        info.text
    );
    assert!(!info.text.contains("corrigé") && !info.text.contains("LMSInitialize"));
}

#[test]
fn the_text_is_capped_for_the_index() {
    let long_page = format!("<p>{}</p>", "mot ".repeat(60_000));
    let zip = zip_of(&[
        ("index.html", long_page.as_bytes()),
        ("suite.html", long_page.as_bytes()),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.text.chars().count(), MAX_TEXT_CHARS);
}

#[test]
fn scorm_2004_launches_the_default_organisation_s_first_item_behind_its_xml_base() {
    let metadata = "<schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>";
    let organizations = r#"<organizations default="ORG-B">
        <organization identifier="ORG-A"><title>A</title>
          <item identifier="I1" identifierref="R-A"/></organization>
        <organization identifier="ORG-B"><title>Le Moyen Âge</title>
          <item identifier="CHAPITRE"><title>Chapitre 1</title>
            <item identifier="I2" identifierref="R-B"/></item></organization></organizations>"#;
    let resources = r#"<resource identifier="R-A" type="webcontent" href="a.html"/>
        <resource identifier="R-B" type="webcontent" xml:base="module2" href="sco.html?mode=normal"/>"#;
    let zip = zip_of(&[
        (
            "imsmanifest.xml",
            manifest(metadata, organizations, resources).as_bytes(),
        ),
        ("a.html", PAGE),
        ("module2/sco.html", PAGE),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.standard, Standard::Scorm2004);
    assert_eq!(info.launch, "module2/sco.html");
    assert_eq!(info.title.as_deref(), Some("Le Moyen Âge"));
}

#[test]
fn a_manifest_without_scorm_is_plain_ims_content_packaging_in_any_encoding() {
    let manifest = manifest(
        "<schema>IMS Content</schema><schemaversion>1.1.4</schemaversion>",
        r#"<organizations default="O">
            <organization identifier="O"><title>Séquence élève</title></organization>
        </organizations>"#,
        r#"<resource identifier="R" type="webcontent" href="pages/accueil%20cours.html"/>"#,
    )
    .replace("UTF-8", "ISO-8859-1");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&manifest);
    let zip = zip_of(&[
        ("imsmanifest.xml", &latin1),
        ("pages/accueil cours.html", PAGE),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.standard, Standard::ImsCp);
    assert_eq!(info.launch, "pages/accueil cours.html");
    assert_eq!(info.title.as_deref(), Some("Séquence élève"));
}

#[test]
fn a_package_zipped_with_its_folder_finds_its_manifest_inside() {
    let resources = r#"<resource identifier="R" type="webcontent" href="index.html"/>"#;
    let zip = zip_of(&[
        ("cours/", b""),
        (
            "cours/imsmanifest.xml",
            manifest("", "<organizations/>", resources).as_bytes(),
        ),
        ("cours/index.html", PAGE),
        ("__MACOSX/cours/._imsmanifest.xml", b"\x00\x05\x16\x07"),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.launch, "cours/index.html");
    assert_eq!(info.title.as_deref(), Some("Page"));
}

#[test]
fn metadata_in_a_separate_file_is_read_in_french() {
    let metadata = "<schema>ADL SCORM</schema><schemaversion>CAM 1.3</schemaversion>\
        <adlcp:location xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\">meta/lom.xml</adlcp:location>";
    let resources = r#"<resource identifier="R" type="webcontent" href="index.html"/>"#;
    let lom = r#"<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>
        <title><string language="en">Volcanoes</string><string language="fr">Les volcans</string></title>
        <keyword><string language="fr">magma</string></keyword>
        <keyword><string language="fr">éruption</string></keyword></general></lom>"#;
    let zip = zip_of(&[
        (
            "imsmanifest.xml",
            manifest(metadata, "<organizations/>", resources).as_bytes(),
        ),
        ("index.html", PAGE),
        ("meta/lom.xml", lom.as_bytes()),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.standard, Standard::Scorm2004);
    assert_eq!(info.title.as_deref(), Some("Les volcans"));
    assert_eq!(info.keywords, ["magma", "éruption"]);
}

#[test]
fn classification_taxons_are_taken_from_a_separate_lom_2004_file_by_their_scolomfr_number() {
    let metadata = "<schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>\
        <adlcp:location xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\">lom.xml</adlcp:location>";
    let resources = r#"<resource identifier="R" type="webcontent" href="index.html"/>"#;
    let classification = |source: &str, ids: &[&str]| {
        let taxons: String = ids
            .iter()
            .map(|id| {
                format!("<lom:taxon><lom:id>{id}</lom:id><lom:entry>…</lom:entry></lom:taxon>")
            })
            .collect();
        format!(
            "<lom:classification><lom:purpose><lom:source>LOMv1.0</lom:source>\
             <lom:value>discipline</lom:value></lom:purpose><lom:taxonPath><lom:source>\
             <lom:string language=\"x-none\">{source}</lom:string></lom:source>{taxons}\
             </lom:taxonPath></lom:classification>"
        )
    };
    let lom = format!(
        r#"<lom:lom xmlns:lom="http://ltsc.ieee.org/xsd/LOM"><lom:general><lom:title>
        <lom:string language="fr">Le calcul littéral</lom:string></lom:title></lom:general>{}{}{}</lom:lom>"#,
        classification(
            "scolomfr-voc-022",
            &["http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-021"],
        ),
        classification(
            "scolomfr-voc-015",
            &[
                "scolomfr-voc-015-num-948",
                " num-951 ",
                "scolomfr-voc-015-num-948"
            ],
        ),
        classification("Dewey", &["510", "ark:/12148/enum-12"]),
    );
    let zip = zip_of(&[
        (
            "imsmanifest.xml",
            manifest(metadata, "<organizations/>", resources).as_bytes(),
        ),
        ("index.html", PAGE),
        ("lom.xml", lom.as_bytes()),
    ]);
    let info = inspect_zip(&zip, &Limits::default()).expect("accepted");
    assert_eq!(info.title.as_deref(), Some("Le calcul littéral"));
    assert_eq!(
        info.taxons,
        ["num-021", "num-948", "num-951", "510", "ark:/12148/enum-12"]
    );
}

#[test]
fn a_web_site_zipped_with_its_folder_opens_its_index() {
    let info = inspect(open_fixture("html-site.zip"), &Limits::default()).expect("accepted");
    assert_eq!(info.standard, Standard::Html);
    assert_eq!(info.launch, "visite-virtuelle/index.html");
    assert_eq!(info.title.as_deref(), Some("Visite virtuelle du château"));
    assert_eq!((info.description, info.keywords), (None, Vec::new()));
    assert!(info.text.contains("pont-levis") && info.text.contains("siège"));
    assert!(!info.text.contains("Mac OS X"));
}

#[test]
fn a_web_site_without_index_opens_its_only_page() {
    let zip = zip_of(&[("cours.htm", PAGE), ("image.png", b"\x89PNG")]);
    assert_eq!(
        inspect_zip(&zip, &Limits::default()).expect("ok").launch,
        "cours.htm"
    );
}

#[test]
fn a_zip_without_start_page_is_refused() {
    let zip = zip_of(&[("un.html", PAGE), ("deux.html", PAGE)]);
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert_eq!(error, PackageError::NoStartPage);
    assert_eq!(
        error.french(),
        "Le paquet n’a pas de page de départ\u{a0}: ajoutez un index.html ou un imsmanifest.xml."
    );
}

#[test]
fn a_manifest_whose_launch_page_is_missing_is_refused() {
    let resources = r#"<resource identifier="R" type="webcontent" href="absent.html"/>"#;
    let zip = zip_of(&[(
        "imsmanifest.xml",
        manifest("", "<organizations/>", resources).as_bytes(),
    )]);
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert_eq!(
        error,
        PackageError::LaunchMissing {
            href: "absent.html".to_owned()
        }
    );
}

#[test]
fn a_malformed_manifest_is_refused_with_its_line() {
    let zip = zip_of(&[
        ("imsmanifest.xml", b"<manifest>\n<resources>\n</manifest>"),
        ("index.html", PAGE),
    ]);
    let error = inspect_zip(&zip, &Limits::default()).expect_err("refused");
    assert!(
        matches!(error, PackageError::InvalidManifest { line: 3, .. }),
        "{error:?}"
    );
}

#[test]
fn the_entry_map_finds_each_file_with_its_media_type() {
    let map =
        EntryMap::read(open_fixture("scorm12-fractions.zip"), &Limits::default()).expect("a map");
    let style = map.get("css/style.css").expect("present");
    assert_eq!(style.media_type, "text/css");
    assert_eq!(
        map.get("./js//scorm.js").expect("present").media_type,
        "text/javascript"
    );
    assert_eq!(
        map.get("index.html").expect("present").media_type,
        "text/html"
    );
    assert_eq!(map.get("absent.png"), None);
    assert_eq!(map.get("js"), None);
    for path in ["../x", "js/../../x", "/index.html", "js\\scorm.js"] {
        assert_eq!(map.get(path), None, "{path}");
    }
}

#[test]
fn the_entry_map_refuses_a_package_past_the_limit() {
    let limits = Limits {
        max_unpacked_bytes: 1_000,
        ..Limits::default()
    };
    let zip = zip_of(&[("big.txt", &[b'a'; 2_000])]);
    let result = EntryMap::read(Cursor::new(zip), &limits);
    assert!(
        matches!(
            &result,
            Err(PackageError::DeclaredTooLarge { limit: 1_000, .. })
        ),
        "{result:?}"
    );
}
