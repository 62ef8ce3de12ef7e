//! Staff (`PersEducNat`): functions, SDET profiles and teaching assignments.

use super::field::{Attrs, Field};
use super::person::Person;
use super::pupil::{group_ref, GroupRef};
use super::values::{bcn, compound, yes_no};

/// A member of staff (`PersEducNat`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Staff {
    /// Attributes common to all persons.
    pub person: Person,
    /// `ENTPersonFonctions`.
    pub functions: Field<Vec<Function>>,
    /// `ENTAuxEnsClassesMatieres` (`struct$class$BCN6`).
    pub class_subjects: Field<Vec<Teaching>>,
    /// `ENTAuxEnsGroupesMatieres` (`struct$group$BCN6`).
    pub group_subjects: Field<Vec<Teaching>>,
    /// `ENTAuxEnsClassesPrincipal` (`struct$class`): classes of which they are professeur principal.
    pub head_teacher_of: Field<Vec<GroupRef>>,
    /// `PersEducNatPresenceDevantEleves` (`O`/`N`): whether they teach pupils.
    pub teaches_pupils: Field<bool>,
}

/// One `ENTPersonFonctions` value: `struct$function$functionLabel$disciplineCode$disciplineLabel`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Function {
    /// Jointure of the structure where the function is held.
    pub structure: String,
    /// Function code (`ENS`, `DIR`, `EDU`, `DOC`, …).
    pub code: String,
    /// Function label (`ENSEIGNEMENT`), possibly empty.
    pub label: String,
    /// Discipline code (`L0000`, `D0010`), when given.
    pub discipline_code: Option<String>,
    /// Discipline label (`FRANCAIS`), when given.
    pub discipline_label: Option<String>,
    /// The SDET profile the function code maps to.
    pub profile: StaffProfile,
}

/// SDET profiles that staff function codes map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffProfile {
    /// `National_ENS`, teacher.
    Ens,
    /// `National_DIR`, direction.
    Dir,
    /// `National_EVS`, vie scolaire (CPE, assistants d'éducation).
    Evs,
    /// `National_DOC`, librarian.
    Doc,
    /// `National_ETA`, administrative and technical staff.
    Eta,
}

impl StaffProfile {
    /// The profile of a function code; codes not listed by the SDET as teaching, direction,
    /// vie scolaire or documentation are administrative or technical.
    pub fn from_function_code(code: &str) -> Self {
        match code {
            "ENS" | "FCA" | "FCP" | "IS" | "PPA" => Self::Ens,
            "DIR" | "DEC" | "DSES" => Self::Dir,
            "EDU" | "SUR" | "AED" | "AES" => Self::Evs,
            "DOC" => Self::Doc,
            _ => Self::Eta,
        }
    }

    /// The SDET name, e.g. `National_ENS`.
    pub fn sdet_name(self) -> &'static str {
        match self {
            Self::Ens => "National_ENS",
            Self::Dir => "National_DIR",
            Self::Evs => "National_EVS",
            Self::Doc => "National_DOC",
            Self::Eta => "National_ETA",
        }
    }
}

/// A class or group taught in a subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Teaching {
    /// The class or group.
    pub group: GroupRef,
    /// BCN code of the subject (a `MatiereEducNat` jointure).
    pub subject: String,
}

fn function(value: &str) -> Result<Function, String> {
    let parts = compound(
        value,
        "struct$function$functionLabel$disciplineCode$disciplineLabel",
        &[0, 1],
    )?;
    let optional = |part: &str| (!part.is_empty()).then(|| part.to_owned());
    Ok(Function {
        structure: parts[0].to_owned(),
        code: parts[1].to_owned(),
        label: parts[2].to_owned(),
        discipline_code: optional(parts[3]),
        discipline_label: optional(parts[4]),
        profile: StaffProfile::from_function_code(parts[1]),
    })
}

fn teaching(format: &'static str) -> impl Fn(&str) -> Result<Teaching, String> {
    move |value| {
        let parts = compound(value, format, &[0, 1, 2])?;
        let subject = bcn(parts[2])
            .map_err(|reason| format!("a pour matière « {} », qui {reason}", parts[2]))?;
        Ok(Teaching {
            group: GroupRef {
                structure: parts[0].to_owned(),
                code: parts[1].to_owned(),
            },
            subject,
        })
    }
}

impl Staff {
    pub(crate) fn read(attrs: &mut Attrs<'_>) -> Self {
        Self {
            person: Person::read(attrs),
            functions: attrs.list("ENTPersonFonctions", function),
            class_subjects: attrs.list("ENTAuxEnsClassesMatieres", teaching("struct$class$BCN6")),
            group_subjects: attrs.list("ENTAuxEnsGroupesMatieres", teaching("struct$group$BCN6")),
            head_teacher_of: attrs.list("ENTAuxEnsClassesPrincipal", group_ref),
            teaches_pupils: attrs.one("PersEducNatPresenceDevantEleves", yes_no),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::{Change, Records};
    use crate::directory::testing::{errors, fixture, typed};

    fn sample_staff() -> Vec<(String, Staff)> {
        let bytes = fixture("sample/ENT2D_Complet_20260901_PersEducNat_0000.xml");
        let Records::Staff(entries) = typed("staff.xml", &bytes) else {
            panic!()
        };
        entries
            .into_iter()
            .map(|entry| match entry.change {
                Change::Add(staff) => (entry.id, staff),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn function_codes_map_to_sdet_profiles() {
        let cases = [
            ("ENS", StaffProfile::Ens),
            ("FCA", StaffProfile::Ens),
            ("FCP", StaffProfile::Ens),
            ("IS", StaffProfile::Ens),
            ("PPA", StaffProfile::Ens),
            ("DIR", StaffProfile::Dir),
            ("DEC", StaffProfile::Dir),
            ("DSES", StaffProfile::Dir),
            ("EDU", StaffProfile::Evs),
            ("SUR", StaffProfile::Evs),
            ("AED", StaffProfile::Evs),
            ("AES", StaffProfile::Evs),
            ("DOC", StaffProfile::Doc),
            ("ADF", StaffProfile::Eta),
            ("ADM", StaffProfile::Eta),
            ("LAB", StaffProfile::Eta),
            ("OUV", StaffProfile::Eta),
            ("ORI", StaffProfile::Eta),
            ("PSY", StaffProfile::Eta),
            ("TEC", StaffProfile::Eta),
            ("XYZ", StaffProfile::Eta),
        ];
        for (code, profile) in cases {
            assert_eq!(StaffProfile::from_function_code(code), profile, "{code}");
        }
        assert_eq!(StaffProfile::Evs.sdet_name(), "National_EVS");
    }

    #[test]
    fn the_sample_teacher_has_classes_subjects_and_a_head_teacher_class() {
        let staff = sample_staff();
        assert_eq!(staff.len(), 23);
        let (id, teacher) = &staff[0];
        assert_eq!(id, "3000323");
        let functions = teacher.functions.value().unwrap();
        assert_eq!(
            functions[0],
            Function {
                structure: "4521".into(),
                code: "ENS".into(),
                label: "ENSEIGNEMENT".into(),
                discipline_code: Some("L0000".into()),
                discipline_label: Some("FRANCAIS".into()),
                profile: StaffProfile::Ens,
            }
        );
        let classes: Vec<_> = teacher
            .class_subjects
            .value()
            .unwrap()
            .iter()
            .map(|t| (t.group.code.as_str(), t.subject.as_str()))
            .collect();
        assert_eq!(
            classes,
            [
                ("6A", "020700"),
                ("5A", "020700"),
                ("4A", "020700"),
                ("3A", "020700")
            ]
        );
        assert_eq!(teacher.group_subjects, Field::Empty);
        assert_eq!(
            teacher.head_teacher_of,
            Field::Value(vec![GroupRef {
                structure: "4521".into(),
                code: "6A".into()
            }])
        );
        assert_eq!(teacher.teaches_pupils, Field::Value(true));
        assert_eq!(teacher.person.mail, Field::Empty);
    }

    #[test]
    fn the_sample_non_teaching_staff_get_their_profiles_and_no_teaching() {
        let staff = sample_staff();
        let profiles: Vec<_> = staff[17..]
            .iter()
            .map(|(_, s)| {
                (
                    s.functions.value().unwrap()[0].profile,
                    s.class_subjects.is_present(),
                )
            })
            .collect();
        use StaffProfile::*;
        assert_eq!(
            profiles,
            [
                (Dir, false),
                (Dir, false),
                (Evs, false),
                (Evs, false),
                (Doc, false),
                (Eta, false)
            ]
        );
        let chef = &staff[17].1.functions.value().unwrap()[0];
        assert_eq!(
            chef.discipline_label.as_deref(),
            Some("CHEF D'ETABLISSEMENT")
        );
        let svt = &staff[11].1.functions.value().unwrap()[0];
        assert_eq!(
            svt.discipline_label.as_deref(),
            Some("SCIENCES VIE & TERRE")
        );
    }

    #[test]
    fn a_function_with_the_wrong_number_of_parts_is_refused() {
        assert_eq!(
            errors("bad/wrong_arity.xml", &fixture("bad/wrong_arity.xml")),
            ["bad/wrong_arity.xml, line 4, record 3000323: ENTPersonFonctions : « 4521$ENS$ENSEIGNEMENT » \
              compte 3 parties au lieu de 5 séparées par « $ » \
              (struct$function$functionLabel$disciplineCode$disciplineLabel)"]
        );
    }

    #[test]
    fn teaching_needs_a_six_digit_subject_and_functions_may_omit_the_discipline() {
        assert_eq!(
            teaching("struct$class$BCN6")("4521$6A$FR"),
            Err(
                "a pour matière « FR », qui n'est pas un code matière BCN (attendu : 6 chiffres)"
                    .into()
            )
        );
        let secretary = function("4521$ADF$$$").unwrap();
        assert_eq!(
            (
                secretary.label.as_str(),
                secretary.discipline_code,
                secretary.profile
            ),
            ("", None, StaffProfile::Eta)
        );
    }
}
