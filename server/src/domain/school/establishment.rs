//! The establishment: its structures (classes, groups), subjects and who teaches what where.

use serde::{Deserialize, Serialize};

use crate::config::Config;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Establishment {
    pub uai: String,
    pub name: String,
    pub academie: String,
    pub classes: Vec<Class>,
    pub groups: Vec<Group>,
    pub subjects: Vec<Subject>,
    pub teachings: Vec<Teaching>,
    /// Professeur principal of each class.
    pub principals: Vec<Principal>,
    /// `ENTStructureJointure` of the establishment in the académie directory, once imported: it
    /// lets a later feed without `EtabEducNat` file be matched to this establishment.
    #[serde(default)]
    pub structure: Option<String>,
    /// MEF (module élémentaire de formation) codes and labels of the directory.
    #[serde(default)]
    pub mefs: Vec<Mef>,
}

/// A MEF by its 11-digit code, e.g. `10010012110` 6EME.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mef {
    pub code: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub code: String,
    pub label: String,
    pub level: Option<Level>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub code: String,
    pub label: String,
}

/// A subject by its BCN code (N_MATIERE_ENSEIGNEE), e.g. `061300` mathématiques.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub code: String,
    pub label: String,
}

/// A teacher teaches a subject to a class or a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teaching {
    pub teacher: u64,
    pub target: Target,
    pub subject: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Target {
    Class(String),
    Group(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub teacher: u64,
    pub class: String,
}

/// Collège levels with their MEF codes and ScoLOMFR concepts (DOMAIN.md, « Vocabularies »).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    Sixieme,
    Cinquieme,
    Quatrieme,
    Troisieme,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Sixieme,
        Level::Cinquieme,
        Level::Quatrieme,
        Level::Troisieme,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Level::Sixieme => "6e",
            Level::Cinquieme => "5e",
            Level::Quatrieme => "4e",
            Level::Troisieme => "3e",
        }
    }

    pub fn mef(self) -> &'static str {
        match self {
            Level::Sixieme => "10010012110",
            Level::Cinquieme => "10110001110",
            Level::Quatrieme => "10210001110",
            Level::Troisieme => "10310019110",
        }
    }

    /// ScoLOMFR vocabulary 022 concept number.
    pub fn scolomfr(self) -> &'static str {
        match self {
            Level::Sixieme => "scolomfr-voc-022-num-018",
            Level::Cinquieme => "scolomfr-voc-022-num-020",
            Level::Quatrieme => "scolomfr-voc-022-num-021",
            Level::Troisieme => "scolomfr-voc-022-num-023",
        }
    }
}

/// What a teacher does in one class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassDuty {
    pub class: String,
    pub subjects: Vec<String>,
    pub principal: bool,
}

impl Establishment {
    /// The establishment before any directory import: named from the configuration.
    pub fn unnamed(config: &Config) -> Self {
        Self {
            uai: config.establishment.uai.clone().unwrap_or_default(),
            name: config
                .establishment
                .name
                .clone()
                .unwrap_or_else(|| "Établissement".to_owned()),
            ..Self::default()
        }
    }

    pub fn class(&self, code: &str) -> Option<&Class> {
        self.classes.iter().find(|class| class.code == code)
    }

    /// Every class, then every group, as audiences.
    pub fn targets(&self) -> Vec<Target> {
        self.classes
            .iter()
            .map(|class| Target::Class(class.code.clone()))
            .chain(
                self.groups
                    .iter()
                    .map(|group| Target::Group(group.code.clone())),
            )
            .collect()
    }

    /// The classes `teacher` teaches or is professeur principal of, in class order.
    pub fn duties_of(&self, teacher: u64) -> Vec<ClassDuty> {
        let mut duties: Vec<ClassDuty> = Vec::new();
        let mut duty = |class: &str| -> usize {
            match duties.iter().position(|d| d.class == class) {
                Some(index) => index,
                None => {
                    duties.push(ClassDuty {
                        class: class.to_owned(),
                        subjects: Vec::new(),
                        principal: false,
                    });
                    duties.len() - 1
                }
            }
        };
        let mut found: Vec<(usize, Option<&str>, bool)> = Vec::new();
        for teaching in self.teachings.iter().filter(|t| t.teacher == teacher) {
            if let Target::Class(class) = &teaching.target {
                found.push((duty(class), Some(&teaching.subject), false));
            }
        }
        for principal in self.principals.iter().filter(|p| p.teacher == teacher) {
            found.push((duty(&principal.class), None, true));
        }
        for (index, subject, principal) in found {
            if let Some(subject) = subject {
                if !duties[index].subjects.iter().any(|s| s == subject) {
                    duties[index].subjects.push(subject.to_owned());
                }
            }
            duties[index].principal |= principal;
        }
        let order = |code: &str| self.classes.iter().position(|c| c.code == code);
        duties.sort_by_key(|d| (order(&d.class), d.class.clone()));
        duties
    }

    /// The classes and groups `teacher` teaches, and the classes they lead as professeur
    /// principal: whom their resources and cards concern.
    pub fn taught_by(&self, teacher: u64) -> Vec<Target> {
        let mut targets: Vec<Target> = self
            .teachings
            .iter()
            .filter(|teaching| teaching.teacher == teacher)
            .map(|teaching| teaching.target.clone())
            .collect();
        targets.extend(
            self.principals
                .iter()
                .filter(|p| p.teacher == teacher)
                .map(|p| Target::Class(p.class.clone())),
        );
        targets.sort();
        targets.dedup();
        targets
    }
}

#[cfg(test)]
pub(super) mod testing {
    use super::*;

    /// Two classes, three subjects, a group; teacher 2 is professeur principal of 4B.
    pub fn sample() -> Establishment {
        Establishment {
            classes: vec![
                Class {
                    code: "6A".into(),
                    label: "6e A".into(),
                    level: Some(Level::Sixieme),
                },
                Class {
                    code: "4B".into(),
                    label: "4e B".into(),
                    level: Some(Level::Quatrieme),
                },
            ],
            subjects: vec![
                Subject {
                    code: "020700".into(),
                    label: "Français".into(),
                },
                Subject {
                    code: "061300".into(),
                    label: "Mathématiques".into(),
                },
                Subject {
                    code: "030602".into(),
                    label: "Espagnol LV2".into(),
                },
            ],
            teachings: vec![
                Teaching {
                    teacher: 1,
                    target: Target::Class("4B".into()),
                    subject: "061300".into(),
                },
                Teaching {
                    teacher: 1,
                    target: Target::Class("6A".into()),
                    subject: "061300".into(),
                },
                Teaching {
                    teacher: 2,
                    target: Target::Class("4B".into()),
                    subject: "020700".into(),
                },
                Teaching {
                    teacher: 3,
                    target: Target::Group("4-ESP2".into()),
                    subject: "030602".into(),
                },
            ],
            principals: vec![Principal {
                teacher: 2,
                class: "4B".into(),
            }],
            ..Establishment::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::sample;

    #[test]
    fn a_teacher_sees_their_classes_in_class_order_with_subjects_and_principal_role() {
        let establishment = sample();
        let duties = establishment.duties_of(1);
        assert_eq!(
            duties.iter().map(|d| d.class.as_str()).collect::<Vec<_>>(),
            ["6A", "4B"]
        );
        assert_eq!(duties[0].subjects, ["061300"]);
        let french = establishment.duties_of(2);
        assert_eq!(french.len(), 1);
        assert!(french[0].principal);
    }
}
