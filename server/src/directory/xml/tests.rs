use super::*;
use crate::directory::testing::{feed_xml, fixture};

fn parse(bytes: &[u8]) -> Result<Vec<Record>, FeedError> {
    parse_records("test.xml", bytes)
}

fn values<'r>(record: &'r Record, name: &str) -> Vec<&'r str> {
    let attribute = record.attributes.iter().find(|a| a.name == name);
    attribute.map_or_else(Vec::new, |a| a.values.iter().map(String::as_str).collect())
}

fn xml_error(bytes: &[u8]) -> Problem {
    match parse(bytes) {
        Err(FeedError::Xml(problem)) => problem,
        other => panic!("expected an XML error, got {other:?}"),
    }
}

#[test]
fn the_sample_pupil_file_gives_one_record_per_add_request_with_its_line() {
    let records = parse(&fixture("sample/ENT2D_Complet_20260901_Eleve_0000.xml")).unwrap();
    assert_eq!(records.len(), 32);
    let first = &records[0];
    assert_eq!(
        (first.op, first.category),
        (Operation::Add, FeedKind::Eleve)
    );
    assert_eq!((first.id.as_str(), first.line), ("3000006", 5));
    assert_eq!(records[31].line, 36);
    assert_eq!(values(first, "ENTPersonAutresPrenoms"), ["Emma", "Marie"]);
    assert_eq!(values(first, "ENTEleveGroupes"), [""]);
    assert_eq!(values(&records[1], "sn"), ["BŒUF"]);
    let apostrophes: Vec<_> = records
        .iter()
        .flat_map(|r| values(r, "sn"))
        .filter(|sn| sn.contains('\''))
        .collect();
    assert_eq!(
        apostrophes,
        ["N'DIAYE", "N'DIAYE", "D'ALMEIDA", "D'ALMEIDA"]
    );
}

#[test]
fn the_iso_8859_15_parent_file_decodes_oe_ligatures() {
    let records = parse(&fixture(
        "sample/ENT2D_Complet_20260901_PersRelEleve_0000.xml",
    ))
    .unwrap();
    assert_eq!(records.len(), 56);
    let boeuf = records.iter().find(|r| r.id == "3000020").unwrap();
    assert_eq!(values(boeuf, "sn"), ["BŒUF"]);
    assert_eq!(values(boeuf, "givenName"), ["Benoît"]);
    assert_eq!(values(boeuf, "mail"), ["benoit.bœuf@exemple.fr"]);
    assert_eq!(
        values(boeuf, "ENTPersonAdresse"),
        ["14 rue des Lilas$Bâtiment B"]
    );
}

#[test]
fn the_delta_file_holds_a_modification_a_deletion_and_an_addition() {
    let records = parse(&fixture("sample/ENT2D_Delta_20260902_Eleve_0000.xml")).unwrap();
    let summary: Vec<_> = records
        .iter()
        .map(|r| (r.op, r.id.as_str(), r.line))
        .collect();
    assert_eq!(
        summary,
        [
            (Operation::Modify, "3000034", 5),
            (Operation::Delete, "3000075", 6),
            (Operation::Add, "3000403", 7),
        ]
    );
    let replaced = Attribute {
        name: "ENTEleveClasses".into(),
        values: vec!["4521$6B".into()],
    };
    assert_eq!(records[0].attributes, [replaced]);
    assert!(records[1].attributes.is_empty());
    assert_eq!(values(&records[2], "givenName"), ["Élodie"]);
}

#[test]
fn entities_character_references_cdata_and_comments_make_one_value() {
    let xml = feed_xml(
        "<addRequest><operationalAttributes><attr name=\"categorieMatiere\"><value>MatEducNat</value></attr>\
         </operationalAttributes><!-- a comment --><identifier><id>062900</id></identifier><attributes>\
         <attr name=\"ENTLibelleMatiere\"><value>SCIENCES VIE &amp; TERRE &#233;&#xE9;<!-- x --> \
         &lt;<![CDATA[<b>]]>&quot;</value></attr></attributes></addRequest>",
    );
    let records = parse(&xml).unwrap();
    assert_eq!(records[0].category, FeedKind::MatiereEducNat);
    assert_eq!(
        values(&records[0], "ENTLibelleMatiere"),
        ["SCIENCES VIE & TERRE éé <<b>\""]
    );
}

#[test]
fn pretty_printed_requests_keep_the_line_of_their_start_tag() {
    let xml = feed_xml(
        "<!-- export -->\n<deleteRequest>\n  <operationalAttributes>\n    <attr name=\"categoriePersonne\">\
         <value>Eleve</value></attr>\n  </operationalAttributes>\n  <identifier>\n    <id> 42 </id>\n  \
         </identifier>\n</deleteRequest>\n\n  <deleteRequest><operationalAttributes><attr name=\"categoriePersonne\">\
         <value>Eleve</value></attr></operationalAttributes><identifier><id>43</id></identifier></deleteRequest>",
    );
    let records = parse(&xml).unwrap();
    let lines: Vec<_> = records.iter().map(|r| (r.id.as_str(), r.line)).collect();
    assert_eq!(lines, [("42", 5), ("43", 14)]);
}

#[test]
fn a_repeated_attribute_gathers_all_its_values() {
    let xml = feed_xml(&crate::directory::testing::add_request(
        ("categoriePersonne", "Eleve"),
        "1",
        &[
            ("ENTEleveGroupes", &["4521$LATIN"]),
            ("sn", &["A"]),
            ("ENTEleveGroupes", &["4521$ESP2"]),
        ],
    ));
    let records = parse(&xml).unwrap();
    assert_eq!(
        values(&records[0], "ENTEleveGroupes"),
        ["4521$LATIN", "4521$ESP2"]
    );
    assert_eq!(records[0].attributes.len(), 2);
}

#[test]
fn an_empty_feed_has_no_records() {
    assert_eq!(
        parse(b"<?xml version=\"1.0\"?><ficAlimMENESR/>").unwrap(),
        []
    );
    assert_eq!(parse(&feed_xml("")).unwrap(), []);
}

#[test]
fn a_doctype_is_accepted_whatever_it_points_to_and_never_fetched() {
    let xml = b"<?xml version=\"1.0\"?>\n<!DOCTYPE ficAlimMENESR SYSTEM \"http://192.0.2.1/ficAlimMENESR.dtd\">\n\
                <ficAlimMENESR></ficAlimMENESR>";
    assert_eq!(parse(xml).unwrap(), []);
}

#[test]
fn entities_declared_in_the_doctype_are_not_expanded() {
    let xml = b"<?xml version=\"1.0\"?><!DOCTYPE ficAlimMENESR [<!ENTITY lol \"lol\">]><ficAlimMENESR>\
                <addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>\
                </operationalAttributes><identifier><id>&lol;</id></identifier></addRequest></ficAlimMENESR>";
    assert_eq!(xml_error(xml).message, "entité inconnue &lol;");
}

#[test]
fn malformed_xml_is_an_error_at_its_line() {
    let problem = xml_error(&fixture("bad/malformed.xml"));
    assert_eq!(problem.line, Some(5));
    assert!(
        problem.message.starts_with("XML mal formé : "),
        "{}",
        problem.message
    );
    assert!(problem.message.contains("</attr>"), "{}", problem.message);
}

#[test]
fn a_truncated_file_is_an_error() {
    let problem = xml_error(&fixture("bad/truncated.xml"));
    assert!(
        problem.message.starts_with("le fichier est tronqué : "),
        "{}",
        problem.message
    );
    let cut_between_records = &feed_xml("")[..120];
    assert!(xml_error(cut_between_records).message.contains("tronqué"));
    let cut_in_a_tag = b"<?xml version=\"1.0\"?><ficAlimMENESR><addRequest><identifier";
    assert!(xml_error(cut_in_a_tag)
        .message
        .starts_with("le fichier est tronqué : "));
}

#[test]
fn a_request_without_identifier_is_an_error() {
    let problem = xml_error(&fixture("bad/no_identifier.xml"));
    assert_eq!(problem.line, Some(5));
    assert_eq!(
        problem.message,
        "<addRequest> ne contient pas de <identifier><id>"
    );
    let empty_id = feed_xml(
        "<deleteRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>\
         </operationalAttributes><identifier><id> </id></identifier></deleteRequest>",
    );
    assert_eq!(
        xml_error(&empty_id).message,
        "<deleteRequest> ne contient pas de <identifier><id>"
    );
}

#[test]
fn a_modification_other_than_replace_is_an_error() {
    let problem = xml_error(&fixture("bad/unsupported_operation.xml"));
    assert_eq!(
        problem.message,
        "modification de ENTEleveGroupes : l'opération « add » n'est pas prise en charge (seule « replace » l'est)"
    );
    assert_eq!(problem.line, Some(4));
}

#[test]
fn an_unknown_category_is_a_kind_error_naming_the_record() {
    match parse(&fixture("bad/unknown_kind.xml")) {
        Err(FeedError::Kind(problem)) => {
            assert_eq!(problem.record.as_deref(), Some("42"));
            assert_eq!(
                problem.message,
                "<addRequest> : catégorie inconnue (categoriePersonne = « Martien »)"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_encoding_is_an_error() {
    assert!(matches!(
        parse(&fixture("bad/unknown_encoding.xml")),
        Err(FeedError::Encoding(_))
    ));
}

#[test]
fn documents_that_are_not_a_feed_are_errors() {
    let cases: [(&[u8], &str); 5] = [
        (b"", "le fichier ne contient pas d'élément <ficAlimMENESR>"),
        (
            b"<html></html>",
            "élément <html> inattendu dans le document (attendu : <ficAlimMENESR>)",
        ),
        (
            b"<ficAlimMENESR><person/></ficAlimMENESR>",
            "élément <person> inattendu dans <ficAlimMENESR>",
        ),
        (
            b"<ficAlimMENESR>hello</ficAlimMENESR>",
            "texte inattendu dans <ficAlimMENESR>",
        ),
        (
            b"<ficAlimMENESR/><ficAlimMENESR/>",
            "élément <ficAlimMENESR> inattendu dans le document, après </ficAlimMENESR>",
        ),
    ];
    for (xml, message) in cases {
        assert_eq!(xml_error(xml).message, message);
    }
}

#[test]
fn attributes_are_only_allowed_where_the_operation_expects_them() {
    let xml = feed_xml(
        "<deleteRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>\
         </operationalAttributes><identifier><id>1</id></identifier><attributes/></deleteRequest>",
    );
    assert_eq!(
        xml_error(&xml).message,
        "élément <attributes> inattendu dans <deleteRequest>"
    );
}
