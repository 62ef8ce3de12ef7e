//! Attributes shared by every person, and the parents' own (`PersRelEleve`).

use chrono::NaiveDate;

use super::field::{Attrs, Field};
use super::values::date;

/// What every person record (pupil, parent, staff) may say. The person's key, its
/// `ENTPersonJointure`, is the record identifier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    /// `sn`.
    pub last_name: Field<String>,
    /// `givenName`.
    pub first_name: Field<String>,
    /// `ENTPersonAutresPrenoms`: every first name, usually starting with `givenName`.
    pub other_first_names: Field<Vec<String>>,
    /// `personalTitle` as written (`M.`, `Mme`); it does not reliably tell gender.
    pub title: Field<String>,
    /// `ENTPersonDateNaissance`.
    pub birth_date: Field<NaiveDate>,
    /// `ENTPersonStructRattach`: jointure of the structure the person is attached to.
    pub structure: Field<String>,
    /// `mail`.
    pub mail: Field<String>,
}

impl Person {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        attrs.key("ENTPersonJointure");
        attrs.expect_on_add("sn");
        attrs.expect_on_add("givenName");
        Self {
            last_name: attrs.text("sn"),
            first_name: attrs.text("givenName"),
            other_first_names: attrs.texts("ENTPersonAutresPrenoms"),
            title: attrs.text("personalTitle"),
            birth_date: attrs.one("ENTPersonDateNaissance", date),
            structure: attrs.text("ENTPersonStructRattach"),
            mail: attrs.text("mail"),
        }
    }
}

/// A parent or other person responsible for pupils (`PersRelEleve`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parent {
    /// Attributes common to all persons.
    pub person: Person,
    /// `mobile`.
    pub mobile: Field<String>,
    /// `homePhone`.
    pub home_phone: Field<String>,
    /// `ENTPersonAdresse`, split into its `$`-separated lines (blank lines dropped).
    pub address: Field<Vec<String>>,
    /// `ENTPersonCodePostal`.
    pub postal_code: Field<String>,
    /// `ENTPersonVille`.
    pub city: Field<String>,
    /// `ENTPersonPays`.
    pub country: Field<String>,
    /// `ENTAuxPersRelEleveEleve`: jointures of the pupils this person is related to. The
    /// pupils' `ENTElevePersRelEleve` is the authoritative side of the link.
    pub pupils: Field<Vec<String>>,
}

impl Parent {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        let address = match attrs.text("ENTPersonAdresse") {
            Field::Value(joined) => {
                let lines: Vec<String> = joined
                    .split('$')
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect();
                if lines.is_empty() {
                    Field::Empty
                } else {
                    Field::Value(lines)
                }
            }
            Field::Empty => Field::Empty,
            Field::Absent => Field::Absent,
        };
        Self {
            person: Person::read(attrs),
            mobile: attrs.text("mobile"),
            home_phone: attrs.text("homePhone"),
            address,
            postal_code: attrs.text("ENTPersonCodePostal"),
            city: attrs.text("ENTPersonVille"),
            country: attrs.text("ENTPersonPays"),
            pupils: attrs.texts("ENTAuxPersRelEleveEleve"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::{Change, Records};
    use crate::directory::testing::typed;
    use crate::directory::testing::{add_request, feed_xml, fixture};

    fn parents(bytes: &[u8]) -> Vec<(String, Change<Parent>)> {
        match typed("parents.xml", bytes) {
            Records::Parents(entries) => entries.into_iter().map(|e| (e.id, e.change)).collect(),
            other => panic!("{other:?}"),
        }
    }

    fn added(change: &Change<Parent>) -> &Parent {
        match change {
            Change::Add(parent) => parent,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_sample_parents_are_read_from_iso_8859_15() {
        let parents = parents(&fixture(
            "sample/ENT2D_Complet_20260901_PersRelEleve_0000.xml",
        ));
        assert_eq!(parents.len(), 56);
        let (id, change) = &parents[1];
        let boeuf = added(change);
        assert_eq!(id, "3000020");
        assert_eq!(boeuf.person.last_name, Field::Value("BŒUF".into()));
        assert_eq!(boeuf.person.first_name, Field::Value("Benoît".into()));
        assert_eq!(boeuf.person.title, Field::Value("M.".into()));
        assert_eq!(
            boeuf.person.mail,
            Field::Value("benoit.bœuf@exemple.fr".into())
        );
        assert_eq!(boeuf.person.birth_date, Field::Absent);
        assert_eq!(boeuf.mobile, Field::Value("+33 6 64 45 16 45".into()));
        assert_eq!(boeuf.home_phone, Field::Absent);
        assert_eq!(
            boeuf.address,
            Field::Value(vec!["14 rue des Lilas".into(), "Bâtiment B".into()])
        );
        assert_eq!(
            (
                boeuf.postal_code.value(),
                boeuf.city.value(),
                boeuf.country.value()
            ),
            (
                Some(&"13004".into()),
                Some(&"MARSEILLE".into()),
                Some(&"FRANCE".into())
            )
        );
        assert_eq!(boeuf.pupils, Field::Value(vec!["3000018".into()]));
        let without_mail = parents
            .iter()
            .filter(|(_, c)| added(c).person.mail == Field::Empty)
            .count();
        assert_eq!(without_mail, 17);
        let of_two_pupils = parents
            .iter()
            .find(|(id, _)| id == "3000072")
            .map(|(_, c)| added(c).pupils.clone());
        assert_eq!(
            of_two_pupils,
            Some(Field::Value(vec!["3000068".into(), "3000075".into()]))
        );
    }

    #[test]
    fn a_person_with_an_impossible_birth_date_is_refused() {
        let report =
            crate::directory::testing::errors("bad/bad_date.xml", &fixture("bad/bad_date.xml"));
        assert_eq!(
            report,
            ["bad/bad_date.xml, line 4, record 3000006: ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)"]
        );
    }

    #[test]
    fn an_address_of_blank_lines_is_empty() {
        let xml = feed_xml(&add_request(
            ("categoriePersonne", "PersRelEleve"),
            "7",
            &[
                ("sn", &["A"]),
                ("givenName", &["B"]),
                ("ENTPersonAdresse", &[" $ "]),
                ("ENTPersonJointure", &["7"]),
            ],
        ));
        let parents = parents(&xml);
        assert_eq!(added(&parents[0].1).address, Field::Empty);
    }
}
