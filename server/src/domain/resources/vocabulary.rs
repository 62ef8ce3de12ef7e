//! The vocabularies resources are described with (DOMAIN.md, « Vocabularies »): BCN disciplines,
//! ScoLOMFR 022 levels and the ScoLOMFR 015 programme themes of the collège, shipped in
//! `assets/vocabularies/` and compiled into the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

const DISCIPLINES: &str = include_str!("../../../../assets/vocabularies/disciplines.tsv");
const LEVELS: &str = include_str!("../../../../assets/vocabularies/levels.tsv");
const THEMES: &str = include_str!("../../../../assets/vocabularies/scolomfr-themes-college.tsv");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub id: String,
    pub label: String,
}

/// A node of the programme tree: a discipline root (depth 0), a cycle of a discipline (depth 1)
/// or a theme below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Theme {
    pub id: String,
    pub parent: Option<String>,
    /// BCN code of the discipline the node belongs to.
    pub discipline: String,
    pub depth: u8,
    pub label: String,
}

impl Theme {
    /// The label without the vocabulary's disambiguation suffix: « utiliser le calcul littéral »
    /// rather than « utiliser le calcul littéral (mathématiques cycle 4) », for lists that
    /// already show the discipline and cycle.
    pub fn short_label(&self) -> &str {
        match self.label.rfind(" (") {
            Some(start) if self.depth >= 2 && self.label.ends_with(')') => &self.label[..start],
            _ => &self.label,
        }
    }
}

#[derive(Debug, Default)]
pub struct Vocabulary {
    disciplines: Vec<Term>,
    levels: Vec<Term>,
    /// Level id → the cycle level it belongs to (6e → cycle 3).
    level_cycles: HashMap<String, String>,
    themes: HashMap<String, Theme>,
    /// Theme ids in file order (the programme's order).
    theme_order: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("vocabulary {file}, line {line}: {message}")]
pub struct VocabularyError {
    file: &'static str,
    line: usize,
    message: String,
}

/// The data rows of a TSV file: comments and the header line skipped.
fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|(index, line)| (index + 1, line.split('\t').collect()))
}

impl Vocabulary {
    /// The vocabularies compiled into the binary (a unit test proves they parse).
    pub fn embedded() -> &'static Vocabulary {
        static EMBEDDED: OnceLock<Vocabulary> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Self::parse(DISCIPLINES, LEVELS, THEMES).unwrap_or_else(|error| {
                tracing::error!(%error, "the embedded vocabularies do not parse");
                Vocabulary::default()
            })
        })
    }

    pub fn parse(disciplines: &str, levels: &str, themes: &str) -> Result<Self, VocabularyError> {
        let fail = |file, line, message: &str| VocabularyError {
            file,
            line,
            message: message.to_owned(),
        };
        let mut vocabulary = Vocabulary::default();
        for (line, fields) in rows(disciplines) {
            match fields.as_slice() {
                [code, label] => vocabulary.disciplines.push(Term {
                    id: (*code).to_owned(),
                    label: (*label).to_owned(),
                }),
                _ => return Err(fail("disciplines.tsv", line, "expected code and label")),
            }
        }
        for (line, fields) in rows(levels) {
            match fields.as_slice() {
                [id, label, cycle] => {
                    vocabulary.levels.push(Term {
                        id: (*id).to_owned(),
                        label: (*label).to_owned(),
                    });
                    if !cycle.is_empty() {
                        vocabulary
                            .level_cycles
                            .insert((*id).to_owned(), (*cycle).to_owned());
                    }
                }
                _ => return Err(fail("levels.tsv", line, "expected id, label and cycle")),
            }
        }
        for (line, fields) in rows(themes) {
            let [id, parent, discipline, _cycle, depth, label] = fields.as_slice() else {
                return Err(fail("themes", line, "expected 6 columns"));
            };
            let depth = depth
                .parse()
                .map_err(|_| fail("themes", line, "depth is not a number"))?;
            vocabulary.theme_order.push((*id).to_owned());
            vocabulary.themes.insert(
                (*id).to_owned(),
                Theme {
                    id: (*id).to_owned(),
                    parent: (!parent.is_empty()).then(|| (*parent).to_owned()),
                    discipline: (*discipline).to_owned(),
                    depth,
                    label: (*label).to_owned(),
                },
            );
        }
        for theme in vocabulary.themes.values() {
            if let Some(parent) = &theme.parent {
                if !vocabulary.themes.contains_key(parent) {
                    return Err(VocabularyError {
                        file: "themes",
                        line: 0,
                        message: format!("{} has an unknown parent {parent}", theme.id),
                    });
                }
            }
        }
        Ok(vocabulary)
    }

    pub fn disciplines(&self) -> &[Term] {
        &self.disciplines
    }

    pub fn levels(&self) -> &[Term] {
        &self.levels
    }

    pub fn discipline_label(&self, code: &str) -> Option<&str> {
        self.disciplines
            .iter()
            .find(|term| term.id == code)
            .map(|term| term.label.as_str())
    }

    pub fn level_label(&self, id: &str) -> Option<&str> {
        self.levels
            .iter()
            .find(|term| term.id == id)
            .map(|term| term.label.as_str())
    }

    /// The cycle a class level belongs to (`num-021` 4e → `num-631` cycle 4).
    pub fn cycle_of(&self, level: &str) -> Option<&str> {
        self.level_cycles.get(level).map(String::as_str)
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.get(id)
    }

    /// The path from the discipline down to `id`, as search facets count it: the BCN code, then
    /// the node ids below the discipline root (`061300`, `num-947`, `num-948`, `num-951`).
    pub fn theme_path(&self, id: &str) -> Option<Vec<String>> {
        let mut path = Vec::new();
        let mut node = self.themes.get(id)?;
        loop {
            match &node.parent {
                Some(parent) => {
                    path.push(node.id.clone());
                    node = self.themes.get(parent)?;
                }
                None => {
                    path.push(node.discipline.clone());
                    break;
                }
            }
        }
        path.reverse();
        Some(path)
    }

    /// The discipline roots of the programme tree (depth 0), in programme order.
    pub fn disciplines_roots(&self) -> Vec<&Theme> {
        self.theme_order
            .iter()
            .filter_map(|id| self.themes.get(id))
            .filter(|theme| theme.parent.is_none())
            .collect()
    }

    /// The themes under `parent` (a discipline's cycles, a cycle's themes…), in programme order.
    pub fn children_of(&self, parent: &str) -> Vec<&Theme> {
        self.theme_order
            .iter()
            .filter_map(|id| self.themes.get(id))
            .filter(|theme| theme.parent.as_deref() == Some(parent))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_vocabularies_parse_completely() {
        let vocabulary = Vocabulary::parse(DISCIPLINES, LEVELS, THEMES).expect("parses");
        assert_eq!(vocabulary.disciplines().len(), 19);
        assert_eq!(vocabulary.discipline_label("061300"), Some("Mathématiques"));
        assert_eq!(vocabulary.level_label("num-021"), Some("4e"));
        assert_eq!(vocabulary.cycle_of("num-018"), Some("num-630"));
        assert!(vocabulary.themes.len() > 700);
    }

    #[test]
    fn a_theme_has_its_path_from_the_discipline() {
        let vocabulary = Vocabulary::embedded();
        assert_eq!(
            vocabulary.theme_path("num-951").expect("known theme"),
            ["061300", "num-947", "num-948", "num-951"]
        );
        let theme = vocabulary.theme("num-951").expect("known");
        assert_eq!(
            theme.label,
            "utiliser le calcul littéral (mathématiques cycle 4)"
        );
        assert_eq!(theme.short_label(), "utiliser le calcul littéral");
        let cycle = vocabulary.theme("num-947").expect("known");
        assert_eq!(cycle.short_label(), "mathématiques (cycle 4)");
        assert!(vocabulary.theme_path("num-0").is_none());
        let cycles: Vec<&str> = vocabulary
            .children_of("num-919")
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(cycles, ["num-934", "num-947"]);
    }

    #[test]
    fn a_malformed_file_is_refused_with_its_line() {
        let error = Vocabulary::parse("code\tlabel\n061300\n", LEVELS, THEMES).expect_err("bad");
        assert!(error.to_string().contains("line 2"), "{error}");
    }
}
