//! What a pupil means by the words of a library search: `maths 5e fractions` is the fractions
//! of the 5e mathematics resources. Words naming a discipline or a level (the list is data,
//! `assets/vocabularies/mots-des-filtres.tsv`) become that filter, which the library shows as a
//! filter the pupil can remove; the other words are searched. The filter is read again from
//! every query: it lasts as long as its words are there, and removing it removes them.

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

/// A filter's words found in a text: where they stand and what they set.
struct Found {
    span: std::ops::Range<usize>,
    facet: Facet,
    value: String,
}

/// The discipline and level words of `text`, in order.
fn found_in(text: &str) -> Vec<Found> {
    let words = words_of(text);
    let mut found = Vec::new();
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
        if let Meaning::Filter(facet, value) = &entry.meaning {
            found.push(Found {
                span: words[index].0.start..words[index + entry.words.len() - 1].0.end,
                facet: *facet,
                value: value.clone(),
            });
        }
        index += entry.words.len();
    }
    found
}

/// `text` without the words of `found`, spaces tidied.
fn without<'a>(text: &str, found: impl Iterator<Item = &'a Found>) -> String {
    let mut rest = String::with_capacity(text.len());
    let mut from = 0;
    for found in found {
        rest.push_str(&text[from..found.span.start]);
        rest.push(' ');
        from = found.span.end;
    }
    rest.push_str(&text[from..]);
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Takes the discipline and level words out of `text`.
pub fn understand(text: &str) -> UnderstoodQuery {
    let found = found_in(text);
    let mut understood: Vec<Understood> = Vec::new();
    for found in &found {
        let duplicate = understood
            .iter()
            .any(|u| u.facet == found.facet && u.value == found.value);
        if !duplicate {
            understood.push(Understood {
                facet: found.facet,
                value: found.value.clone(),
                words: text[found.span.clone()].to_owned(),
            });
        }
    }
    UnderstoodQuery {
        text: without(text, found.iter()),
        understood,
    }
}

/// `text` without the words that set `facet` (to `value` only, when given), the other words as
/// written: the search once that filter read in the words is removed.
pub fn without_filter(text: &str, facet: Facet, value: Option<&str>) -> String {
    let found = found_in(text);
    without(
        text,
        found
            .iter()
            .filter(|f| f.facet == facet && value.is_none_or(|value| f.value == value)),
    )
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
    fn removing_a_filter_read_in_the_words_removes_those_words_only() {
        let text = "Maths fractions 5eme maths";
        assert_eq!(
            without_filter(text, Facet::Discipline, None),
            "fractions 5eme"
        );
        assert_eq!(
            without_filter(text, Facet::Discipline, Some("061300")),
            "fractions 5eme"
        );
        assert_eq!(
            without_filter(text, Facet::Discipline, Some("020700")),
            "Maths fractions 5eme maths"
        );
        assert_eq!(
            without_filter(text, Facet::Level, None),
            "Maths fractions maths"
        );
        assert_eq!(
            without_filter("histoire des arts", Facet::Discipline, None),
            "histoire des arts"
        );
    }

    #[test]
    fn ordinary_words_are_left_alone() {
        assert_eq!(filters("théorème de Pythagore").0, "théorème de Pythagore");
        assert!(filters("mathématicien").1.is_empty());
    }
}
