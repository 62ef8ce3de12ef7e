//! Establishments (`EtabEducNat`) and the subject and MEF referentials.

use super::field::{Attrs, Field};
use super::values::compound;

/// An establishment (`EtabEducNat`); its key, `ENTStructureJointure`, is the record identifier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Structure {
    /// `ENTStructureUAI`, e.g. `0691234A`.
    pub uai: Field<String>,
    /// `ENTStructureNomCourant`.
    pub name: Field<String>,
    /// `ENTStructureTypeStruct`, e.g. `CLG`.
    pub kind: Field<String>,
    /// `street`.
    pub street: Field<String>,
    /// `postalCode`.
    pub postal_code: Field<String>,
    /// `l` (locality).
    pub city: Field<String>,
    /// `ENTServAcAcademie`.
    pub academy: Field<String>,
    /// `ENTStructureClasses` (`code$label`).
    pub classes: Field<Vec<GroupDef>>,
    /// `ENTStructureGroupes` (`code$label`).
    pub groups: Field<Vec<GroupDef>>,
}

/// A class or group declared by a structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupDef {
    /// Code, as pupils and teachers refer to it (`6A`).
    pub code: String,
    /// Label, possibly empty (`6EME A`).
    pub label: String,
}

/// A subject (`MatEducNat`); its key, `ENTMatJointure` (a BCN code), is the record identifier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// `ENTLibelleMatiere`.
    pub label: Field<String>,
}

/// A MEF level (`MefEducNat`); its key, `ENTMefJointure`, is the record identifier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mef {
    /// `ENTLibelleMef`.
    pub label: Field<String>,
}

fn group_def(value: &str) -> Result<GroupDef, String> {
    let parts = compound(value, "code$label", &[0])?;
    Ok(GroupDef {
        code: parts[0].to_owned(),
        label: parts[1].to_owned(),
    })
}

impl Structure {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        attrs.key("ENTStructureJointure");
        attrs.expect_on_add("ENTStructureNomCourant");
        Self {
            uai: attrs.text("ENTStructureUAI"),
            name: attrs.text("ENTStructureNomCourant"),
            kind: attrs.text("ENTStructureTypeStruct"),
            street: attrs.text("street"),
            postal_code: attrs.text("postalCode"),
            city: attrs.text("l"),
            academy: attrs.text("ENTServAcAcademie"),
            classes: attrs.list("ENTStructureClasses", group_def),
            groups: attrs.list("ENTStructureGroupes", group_def),
        }
    }
}

impl Subject {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        attrs.key("ENTMatJointure");
        attrs.expect_on_add("ENTLibelleMatiere");
        Self {
            label: attrs.text("ENTLibelleMatiere"),
        }
    }
}

impl Mef {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        attrs.key("ENTMefJointure");
        attrs.expect_on_add("ENTLibelleMef");
        Self {
            label: attrs.text("ENTLibelleMef"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::{Change, Records};
    use crate::directory::testing::{add_request, errors, feed_xml, fixture, typed};

    fn group(code: &str, label: &str) -> GroupDef {
        GroupDef {
            code: code.into(),
            label: label.into(),
        }
    }

    #[test]
    fn the_sample_establishment_declares_its_classes_and_groups() {
        let bytes = fixture("sample/ENT2D_Complet_20260901_EtabEducNat_0000.xml");
        let Records::Structures(entries) = typed("etab.xml", &bytes) else {
            panic!()
        };
        let Change::Add(college) = &entries[0].change else {
            panic!()
        };
        assert_eq!(entries[0].id, "4521");
        assert_eq!(college.uai, Field::Value("0691234A".into()));
        assert_eq!(
            college.name,
            Field::Value("CLG-JEAN MOULIN-MARSEILLE".into())
        );
        assert_eq!(college.kind, Field::Value("CLG".into()));
        assert_eq!(
            college.street,
            Field::Value("12 boulevard de la Libération".into())
        );
        assert_eq!(
            (college.postal_code.value(), college.city.value()),
            (Some(&"13004".into()), Some(&"MARSEILLE".into()))
        );
        assert_eq!(college.academy, Field::Value("AIX-MARSEILLE".into()));
        let classes = college.classes.value().unwrap();
        assert_eq!(classes.len(), 8);
        assert_eq!(classes[0], group("6A", "6EME A"));
        assert_eq!(
            college.groups.value().unwrap()[1],
            group("ESP2", "ESPAGNOL LV2")
        );
    }

    #[test]
    fn the_sample_referentials_give_subject_and_mef_labels() {
        let bytes = fixture("sample/ENT2D_Complet_20260901_MatiereEducNat_0000.xml");
        let Records::Subjects(subjects) = typed("mat.xml", &bytes) else {
            panic!()
        };
        assert_eq!(subjects.len(), 13);
        let svt = subjects.iter().find(|s| s.id == "062900").unwrap();
        assert_eq!(
            svt.change,
            Change::Add(Subject {
                label: Field::Value("SCIENCES VIE & TERRE".into())
            })
        );
        let bytes = fixture("sample/ENT2D_Complet_20260901_MefEducNat_0000.xml");
        let Records::Mefs(mefs) = typed("mef.xml", &bytes) else {
            panic!()
        };
        let labels: Vec<_> = mefs
            .iter()
            .map(|m| (m.id.as_str(), m.change.clone()))
            .collect();
        assert_eq!(
            labels[3],
            (
                "10310019110",
                Change::Add(Mef {
                    label: Field::Value("3EME".into())
                })
            )
        );
    }

    #[test]
    fn a_class_without_code_or_with_extra_parts_is_refused() {
        let xml = feed_xml(&add_request(
            ("categorieStructure", "EtabEducNat"),
            "4521",
            &[
                ("ENTStructureNomCourant", &["CLG"]),
                ("ENTStructureClasses", &["$6EME A", "6A$6EME$A"]),
            ],
        ));
        assert_eq!(
            errors("s.xml", &xml),
            [
                "s.xml, line 4, record 4521: ENTStructureClasses : « $6EME A » a la partie code vide (code$label)",
                "s.xml, line 4, record 4521: ENTStructureClasses : « 6A$6EME$A » compte 3 parties au lieu de 2 séparées par « $ » (code$label)",
            ]
        );
    }
}
