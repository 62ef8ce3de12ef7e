//! What a pupil means by the words of a library search: `maths 5e fractions` is the fractions
//! of the 5e mathematics resources. Words naming a discipline or a level (the list is data,
//! `assets/vocabularies/mots-des-filtres.tsv`) become that filter, which the library shows as a
//! filter the pupil can remove; the other words are searched.

use std::sync::OnceLock;

const FILTER_WORDS: &str = include_str!("../../../../assets/vocabularies/mots-des-filtres.tsv");

/// The longest entry of the list, in words.
const MAX_WORDS: usize = 8;

/// Which filter a recognised word sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Discipline,
    Level,
}

/// One filter recognised in the words of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Understood {
    pub facet: Facet,
    /// A BCN discipline code or a ScoLOMFR 022 level id.
    pub value: String,
    /// The words as the pupil wrote them (`Maths`, `5eme`).
    pub words: String,
}

/// A query once its filter words are taken out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnderstoodQuery {
    /// The words left to search, as written.
    pub text: String,
    pub understood: Vec<Understood>,
}

/// What one entry of the list does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Meaning {
    Filter(Facet, String),
    /// Words that look like a filter but are not one here (« histoire des arts »).
    Words,
}

struct Entry {
    words: Vec<String>,
    meaning: Meaning,
}

/// Lower case without accents, as the list and the query are compared.
fn fold(word: &str) -> String {
    deunicode::deunicode(word).to_lowercase()
}

fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut entries: Vec<Entry> = FILTER_WORDS
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("words\t"))
            .filter_map(|line| {
                let mut columns = line.split('\t');
                let words: Vec<String> = columns
                    .next()?
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(fold)
                    .collect();
                let meaning = match (columns.next()?, columns.next().unwrap_or_default()) {
                    ("discipline", code) if !code.is_empty() => {
                        Meaning::Filter(Facet::Discipline, code.to_owned())
                    }
                    ("level", id) if !id.is_empty() => Meaning::Filter(Facet::Level, id.to_owned()),
                    ("words", _) => Meaning::Words,
                    _ => return None,
                };
                (!words.is_empty() && words.len() <= MAX_WORDS).then_some(Entry { words, meaning })
            })
            .collect();
        // Longest first: « histoire des arts » before « histoire ».
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.words.len()));
        entries
    })
}

/// The words of `text` with their place in it.
fn words_of(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                words.push((from..index, fold(&text[from..index])));
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// Takes the discipline and level words out of `text`.
pub fn understand(text: &str) -> UnderstoodQuery {
    let words = words_of(text);
    let mut understood = Vec::new();
    let mut removed: Vec<std::ops::Range<usize>> = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let matched = entries().iter().find(|entry| {
            let end = index + entry.words.len();
            end <= words.len()
                && words[index..end]
                    .iter()
                    .zip(&entry.words)
                    .all(|((_, word), expected)| word == expected)
        });
        let Some(entry) = matched else {
            index += 1;
            continue;
        };
        let span = words[index].0.start..words[index + entry.words.len() - 1].0.end;
        if let Meaning::Filter(facet, value) = &entry.meaning {
            let duplicate = understood
                .iter()
                .any(|u: &Understood| u.facet == *facet && u.value == *value);
            if !duplicate {
                understood.push(Understood {
                    facet: *facet,
                    value: value.clone(),
                    words: text[span.clone()].to_owned(),
                });
            }
            removed.push(span);
        }
        index += entry.words.len();
    }
    let mut rest = String::with_capacity(text.len());
    let mut from = 0;
    for span in removed {
        rest.push_str(&text[from..span.start]);
        rest.push(' ');
        from = span.end;
    }
    rest.push_str(&text[from..]);
    UnderstoodQuery {
        text: rest.split_whitespace().collect::<Vec<_>>().join(" "),
        understood,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(text: &str) -> (String, Vec<(Facet, String, String)>) {
        let understood = understand(text);
        (
            understood.text,
            understood
                .understood
                .into_iter()
                .map(|u| (u.facet, u.value, u.words))
                .collect(),
        )
    }

    #[test]
    fn discipline_and_level_words_become_filters_and_the_rest_is_searched() {
        let (text, found) = filters("Maths 5eme fractions");
        assert_eq!(text, "fractions");
        assert_eq!(
            found,
            vec![
                (Facet::Discipline, "061300".to_owned(), "Maths".to_owned()),
                (Facet::Level, "num-020".to_owned(), "5eme".to_owned())
            ]
        );
        assert_eq!(filters("svt").1[0].1, "062900");
        assert_eq!(filters("hg la révolution").0, "la révolution");
        assert_eq!(filters("français sixième").1.len(), 2);
        assert_eq!(filters("francais").1[0].1, "020700");
        assert_eq!(filters("cycle 4 énergie").1[0].1, "num-631");
    }

    #[test]
    fn longer_entries_win_and_some_words_stay_words() {
        assert_eq!(filters("histoire géographie").1.len(), 1);
        let (text, found) = filters("histoire des arts Monet");
        assert_eq!(text, "histoire des arts Monet");
        assert!(found.is_empty());
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        assert_eq!(filters("théorème de Pythagore").0, "théorème de Pythagore");
        assert!(filters("mathématicien").1.is_empty());
    }
}
