//! Pupils (`Eleve`) and their links to classes, groups and responsible persons.

use super::field::{Attrs, Field};
use super::person::Person;
use super::values::{compound, flag, mef, yes_no};

/// A pupil (`Eleve`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pupil {
    /// Attributes common to all persons.
    pub person: Person,
    /// `ENTEleveINE`, the national pupil number.
    pub ine: Field<String>,
    /// `ENTEleveMEF`, an 11-digit MEF code (a `MefEducNat` jointure).
    pub mef: Field<String>,
    /// `ENTEleveLibelleMEF`.
    pub mef_label: Field<String>,
    /// `ENTEleveClasses` (`struct$classCode`).
    pub classes: Field<Vec<GroupRef>>,
    /// `ENTEleveGroupes` (`struct$groupCode`).
    pub groups: Field<Vec<GroupRef>>,
    /// `ENTElevePersRelEleve`: the persons responsible for the pupil.
    pub parents: Field<Vec<ParentLink>>,
    /// `ENTEleveRegime`, e.g. `DP DAN`, `EXTERNE`.
    pub regime: Field<String>,
    /// `ENTEleveBoursier` (`O`/`N`).
    pub scholarship: Field<bool>,
    /// `ENTEleveTransport` (`O`/`N`).
    pub transport: Field<bool>,
}

/// A class or group of a structure, as `struct$code`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupRef {
    /// Jointure of the structure.
    pub structure: String,
    /// Code of the class or group within the structure (`6A`, `LATIN`).
    pub code: String,
}

/// How responsible a person is for a pupil (`niveauResp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Responsibility {
    /// `0`: a contact without responsibility.
    None,
    /// `1`: responsable légal.
    Legal,
    /// `2`: personne en charge.
    InCharge,
}

/// One `ENTElevePersRelEleve` value: `parentJointure$lien$financier$niveauResp$contact$paiement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParentLink {
    /// Jointure of the `PersRelEleve` record.
    pub parent: String,
    /// Relationship code as given (`10` father, `20` mother, …).
    pub relationship: String,
    /// Financially responsible.
    pub financial: bool,
    /// Level of responsibility.
    pub responsibility: Responsibility,
    /// To be contacted.
    pub contact: bool,
    /// Pays the school's bills.
    pub payer: bool,
}

const GROUP_FORMAT: &str = "struct$code";
const LINK_FORMAT: &str = "parentJointure$lien$financier$niveauResp$contact$paiement";

/// Parses `struct$code`, the form of pupils' classes and groups and of head teachers' classes.
pub(crate) fn group_ref(value: &str) -> Result<GroupRef, String> {
    let parts = compound(value, GROUP_FORMAT, &[0, 1])?;
    Ok(GroupRef {
        structure: parts[0].to_owned(),
        code: parts[1].to_owned(),
    })
}

fn parent_link(value: &str) -> Result<ParentLink, String> {
    let parts = compound(value, LINK_FORMAT, &[0])?;
    let responsibility = match parts[3] {
        "0" => Responsibility::None,
        "1" => Responsibility::Legal,
        "2" => Responsibility::InCharge,
        other => {
            return Err(format!(
                "a « {other} » pour niveauResp (attendu : 0, 1 ou 2)"
            ))
        }
    };
    Ok(ParentLink {
        parent: parts[0].to_owned(),
        relationship: parts[1].to_owned(),
        financial: flag(parts[2], "financier")?,
        responsibility,
        contact: flag(parts[4], "contact")?,
        payer: flag(parts[5], "paiement")?,
    })
}

impl Pupil {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        Self {
            person: Person::read(attrs),
            ine: attrs.text("ENTEleveINE"),
            mef: attrs.one("ENTEleveMEF", mef),
            mef_label: attrs.text("ENTEleveLibelleMEF"),
            classes: attrs.list("ENTEleveClasses", group_ref),
            groups: attrs.list("ENTEleveGroupes", group_ref),
            parents: attrs.list("ENTElevePersRelEleve", parent_link),
            regime: attrs.text("ENTEleveRegime"),
            scholarship: attrs.one("ENTEleveBoursier", yes_no),
            transport: attrs.one("ENTEleveTransport", yes_no),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::directory::records::{Change, Entry, Records};
    use crate::directory::testing::{add_request, errors, feed_xml, fixture, typed};

    fn pupils(bytes: &[u8]) -> Vec<Entry<Pupil>> {
        match typed("pupils.xml", bytes) {
            Records::Pupils(entries) => entries,
            other => panic!("{other:?}"),
        }
    }

    fn class(structure: &str, code: &str) -> GroupRef {
        GroupRef {
            structure: structure.into(),
            code: code.into(),
        }
    }

    fn link(parent: &str, relationship: &str) -> ParentLink {
        ParentLink {
            parent: parent.into(),
            relationship: relationship.into(),
            financial: true,
            responsibility: Responsibility::Legal,
            contact: true,
            payer: true,
        }
    }

    #[test]
    fn the_sample_pupils_are_fully_typed() {
        let pupils = pupils(&fixture("sample/ENT2D_Complet_20260901_Eleve_0000.xml"));
        assert_eq!(pupils.len(), 32);
        let Change::Add(emma) = &pupils[0].change else {
            panic!()
        };
        assert_eq!((pupils[0].id.as_str(), pupils[0].line), ("3000006", 5));
        assert_eq!(emma.person.first_name, Field::Value("Emma".into()));
        assert_eq!(
            emma.person.other_first_names,
            Field::Value(vec!["Emma".into(), "Marie".into()])
        );
        assert_eq!(
            emma.person.birth_date,
            Field::Value(NaiveDate::from_ymd_opt(2015, 7, 3).unwrap())
        );
        assert_eq!(emma.person.structure, Field::Value("4521".into()));
        assert_eq!(emma.ine, Field::Value("725763863AJ".into()));
        assert_eq!(
            (emma.mef.value(), emma.mef_label.value()),
            (Some(&"10010012110".into()), Some(&"6EME".into()))
        );
        assert_eq!(emma.classes, Field::Value(vec![class("4521", "6A")]));
        assert_eq!(emma.groups, Field::Empty);
        assert_eq!(emma.parents, Field::Value(vec![link("3000013", "10")]));
        assert_eq!(emma.regime, Field::Value("DP DAN".into()));
        assert_eq!(
            (emma.scholarship.clone(), emma.transport.clone()),
            (Field::Value(true), Field::Value(true))
        );
        let Change::Add(third) = &pupils[2].change else {
            panic!()
        };
        assert_eq!(
            third.parents,
            Field::Value(vec![link("3000029", "10"), link("3000030", "20")])
        );
    }

    #[test]
    fn the_delta_modifies_only_the_class_deletes_and_adds_a_pupil() {
        let pupils = pupils(&fixture("sample/ENT2D_Delta_20260902_Eleve_0000.xml"));
        let Change::Modify(moved) = &pupils[0].change else {
            panic!("{:?}", pupils[0])
        };
        let expected = Pupil {
            classes: Field::Value(vec![class("4521", "6B")]),
            ..Pupil::default()
        };
        assert_eq!(moved, &expected);
        assert_eq!(
            (pupils[1].id.as_str(), &pupils[1].change),
            ("3000075", &Change::Delete)
        );
        let Change::Add(new) = &pupils[2].change else {
            panic!()
        };
        assert_eq!(new.person.first_name, Field::Value("Élodie".into()));
        assert_eq!(
            (new.ine.clone(), new.mef_label.clone()),
            (Field::Absent, Field::Absent)
        );
    }

    #[test]
    fn malformed_pupil_values_are_errors_naming_attribute_and_value() {
        let xml = feed_xml(&add_request(
            ("categoriePersonne", "Eleve"),
            "9",
            &[
                ("sn", &["A"]),
                ("givenName", &["B"]),
                ("ENTEleveMEF", &["1001001211"]),
                ("ENTEleveClasses", &["4521$6A$X"]),
                ("ENTEleveGroupes", &["4521$LATIN", "ESP2"]),
                (
                    "ENTElevePersRelEleve",
                    &[
                        "3000013$10$1$3$1$1",
                        "3000014$10$1$1$1",
                        "3000015$20$Y$1$1$1",
                    ],
                ),
                ("ENTEleveBoursier", &["Oui"]),
            ],
        ));
        let messages: Vec<String> = errors("e.xml", &xml)
            .into_iter()
            .map(|e| e.trim_start_matches("e.xml, line 4, record 9: ").to_owned())
            .collect();
        assert_eq!(
            messages,
            [
                "ENTEleveMEF : « 1001001211 » n'est pas un code MEF (attendu : 11 chiffres)",
                "ENTEleveClasses : « 4521$6A$X » compte 3 parties au lieu de 2 séparées par « $ » (struct$code)",
                "ENTEleveGroupes : « ESP2 » compte 1 partie au lieu de 2 séparées par « $ » (struct$code)",
                "ENTElevePersRelEleve : « 3000013$10$1$3$1$1 » a « 3 » pour niveauResp (attendu : 0, 1 ou 2)",
                "ENTElevePersRelEleve : « 3000014$10$1$1$1 » compte 5 parties au lieu de 6 séparées par « $ » \
                 (parentJointure$lien$financier$niveauResp$contact$paiement)",
                "ENTElevePersRelEleve : « 3000015$20$Y$1$1$1 » a « Y » pour financier (attendu : 0 ou 1)",
                "ENTEleveBoursier : « Oui » n'est ni O ni N",
            ]
        );
    }
}
