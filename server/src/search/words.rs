//! The words of a resource search as the ranking uses them: each typed word with its stemmed
//! and folded forms, its typo tolerance and whether it is being typed (a prefix), and the other
//! ways to say it (the synonym list, a word split or joined by mistake).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

use super::analysis::words_analyzer;

const SYNONYMS: &str = include_str!("../../../assets/vocabularies/synonymes.tsv");

/// The last word of a query is taken as the word being typed (the query string is trimmed on
/// its way, so a final space cannot say it is complete): from this many letters, it also finds
/// the words it starts.
const MIN_PREFIX: usize = 3;
/// Typo tolerance by the length of the word as typed (accents aside), the rules Meilisearch and
/// Typesense settled on: none under 5 letters, one typo from 5, two from 9.
const ONE_TYPO_FROM: usize = 5;
const TWO_TYPOS_FROM: usize = 9;
/// Only the first words of a long query tolerate typos: each costs an automaton walk over the
/// dictionary, and a long query is precise enough already.
const MAX_TOLERANT_WORDS: usize = 4;

/// One word of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// The form of the stemmed fields (`fractions` → `fraction`).
    pub stem: String,
    /// Lower-cased, accents removed, not stemmed (`Théorème` → `theoreme`).
    pub folded: String,
    /// Edits a word of the index may differ by when this one is nowhere exactly.
    pub max_distance: u8,
    /// The word the person is typing: words it starts also match.
    pub prefix: bool,
    /// Other ways to say it, each a list of words that must all be found (a synonym of several
    /// words, the word split in two); stems of the stemmed fields.
    pub alternatives: Vec<Vec<String>>,
    /// The index holds the word as typed (its stem in a stemmed field, or the word itself in an
    /// unstemmed one), so it is not looked for with typos; set once the index is known
    /// ([`super::ranking::mark_found`]).
    pub found: bool,
}

impl QueryWord {
    /// Whether the search looks for this word with typos.
    pub fn with_typos(&self) -> bool {
        self.max_distance > 0 && !self.found
    }
}

/// Typo tolerance of a word of `letters` letters.
pub(crate) fn typo_tolerance(letters: usize) -> u8 {
    match letters {
        TWO_TYPOS_FROM.. => 2,
        ONE_TYPO_FROM.. => 1,
        _ => 0,
    }
}

/// Splits `text` into query words: stop words left out, each with its forms and its
/// alternatives. `known` tells whether a folded word is a word of the index (to join a word
/// split by mistake, `hand ball` → `handball`, or split one joined, `dohm` → `d'ohm`).
pub(crate) fn query_words(
    french: &mut TextAnalyzer,
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Vec<QueryWord> {
    let mut folder = words_analyzer();
    let typed = typed_words(french, &mut folder, text);
    let mut words: Vec<QueryWord> = Vec::with_capacity(typed.len());
    for (index, (stem, folded)) in typed.iter().enumerate() {
        let letters = folded.chars().count();
        let is_last = index + 1 == typed.len();
        let mut alternatives = synonyms_of(french, folded);
        // Both words of a pair written apart stay in the query, each accepting the joined word.
        if let Some((_, next_folded)) = typed.get(index + 1) {
            let joined = format!("{folded}{next_folded}");
            if known(&joined) {
                alternatives.push(vec![stem_of(french, &joined)]);
            }
        }
        if let Some((_, previous_folded)) = index.checked_sub(1).and_then(|i| typed.get(i)) {
            let joined = format!("{previous_folded}{folded}");
            if known(&joined) {
                alternatives.push(vec![stem_of(french, &joined)]);
            }
        }
        if !known(folded) {
            alternatives.extend(splits(french, folded, known));
        }
        let duplicate = words.iter().any(|word| word.stem == *stem);
        if duplicate {
            continue;
        }
        words.push(QueryWord {
            stem: stem.clone(),
            folded: folded.clone(),
            max_distance: if index < MAX_TOLERANT_WORDS {
                typo_tolerance(letters)
            } else {
                0
            },
            prefix: is_last && letters >= MIN_PREFIX,
            alternatives,
            found: false,
        });
    }
    words
}

/// (stem, folded form) of each word of `text` that is not a stop word.
fn typed_words(
    french: &mut TextAnalyzer,
    folder: &mut TextAnalyzer,
    text: &str,
) -> Vec<(String, String)> {
    let mut typed = Vec::new();
    let mut stream = french.token_stream(text);
    while let Some(token) = stream.next() {
        let written = text
            .get(token.offset_from..token.offset_to)
            .unwrap_or(&token.text);
        typed.push((token.text.clone(), fold(folder, written)));
    }
    typed
}

/// Lower-cased, accents removed, in one piece.
pub(crate) fn fold(folder: &mut TextAnalyzer, word: &str) -> String {
    let mut out = String::new();
    let mut stream = folder.token_stream(word);
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

/// The stems of `text`, joined: one word gives one stem.
fn stem_of(french: &mut TextAnalyzer, text: &str) -> String {
    let mut out = String::new();
    let mut stream = french.token_stream(text);
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

fn stems(french: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = french.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Letters French elides before a vowel (`l'`, `d'`, `qu'`…): typed without the apostrophe,
/// `dohm` is `d'ohm`.
const ELIDED: [&str; 9] = ["qu", "l", "d", "j", "m", "n", "s", "t", "c"];
/// A word joined by mistake is split into two words of at least this many letters.
const MIN_SPLIT: usize = 3;

/// Ways to read a word the index does not hold as two words it holds.
fn splits(
    french: &mut TextAnalyzer,
    folded: &str,
    known: &dyn Fn(&str) -> bool,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for elided in ELIDED {
        if let Some(rest) = folded.strip_prefix(elided) {
            if rest.chars().count() >= 2 && known(rest) {
                out.push(stems(french, rest));
            }
        }
    }
    let boundaries: Vec<usize> = folded.char_indices().map(|(i, _)| i).collect();
    for &cut in boundaries.iter().skip(MIN_SPLIT) {
        let (left, right) = folded.split_at(cut);
        if right.chars().count() >= MIN_SPLIT && known(left) && known(right) {
            out.push([stems(french, left), stems(french, right)].concat());
        }
    }
    out.retain(|words| !words.is_empty());
    out
}

/// The synonym list: each folded single word to the lines it belongs to.
fn synonym_lines() -> &'static BTreeMap<String, Vec<Vec<String>>> {
    static LINES: OnceLock<BTreeMap<String, Vec<Vec<String>>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut folder = words_analyzer();
        let mut map: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for line in SYNONYMS.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let members: Vec<String> = line
                .split(',')
                .map(|member| member.trim().to_owned())
                .filter(|member| !member.is_empty())
                .collect();
            for member in &members {
                if member.split_whitespace().count() != 1 {
                    continue;
                }
                map.entry(fold(&mut folder, member))
                    .or_default()
                    .push(members.clone());
            }
        }
        map
    })
}

/// The other members of the synonym lines `folded` belongs to, as stems.
fn synonyms_of(french: &mut TextAnalyzer, folded: &str) -> Vec<Vec<String>> {
    let Some(lines) = synonym_lines().get(folded) else {
        return Vec::new();
    };
    let own = stem_of(french, folded);
    let mut out: Vec<Vec<String>> = Vec::new();
    for members in lines {
        for member in members {
            let words = stems(french, member);
            if words.is_empty() || words == [own.clone()] || out.contains(&words) {
                continue;
            }
            out.push(words);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::french_analyzer;

    fn words(text: &str, known: &[&str]) -> Vec<QueryWord> {
        query_words(&mut french_analyzer(), text, &|word| known.contains(&word))
    }

    #[test]
    fn typos_follow_the_length_of_the_word_as_typed() {
        let tolerance =
            |text: &str| -> Vec<u8> { words(text, &[]).iter().map(|w| w.max_distance).collect() };
        assert_eq!(tolerance("axe cube volume pythagore"), vec![0, 0, 1, 2]);
        assert_eq!(
            tolerance("axe cube volume pythagore revolutions"),
            vec![0, 0, 1, 2, 0],
            "the first four words only"
        );
    }

    #[test]
    fn the_last_word_is_a_prefix_while_it_is_being_typed_from_three_letters() {
        let last = |text: &str| words(text, &[]).last().map(|w| w.prefix);
        assert_eq!(last("pyt"), Some(true));
        assert_eq!(last("py"), Some(false));
        assert_eq!(last("theoreme pyth"), Some(true));
        let first = words("theoreme pyth", &[]);
        assert!(!first[0].prefix);
    }

    #[test]
    fn the_folded_form_keeps_the_whole_word() {
        let word = &words("Mathématiques", &[])[0];
        assert_eq!(word.folded, "mathematiques");
        assert_ne!(word.stem, word.folded);
    }

    #[test]
    fn synonyms_and_abbreviations_are_alternatives() {
        let premier = &words("1er", &[])[0];
        assert!(
            premier
                .alternatives
                .iter()
                .any(|alt| alt.len() == 1 && alt[0].starts_with("premi")),
            "{premier:?}"
        );
        let ue = &words("ue", &[])[0];
        assert!(ue.alternatives.iter().any(|alt| alt.len() == 2), "{ue:?}");
    }

    #[test]
    fn a_word_split_or_joined_by_mistake_finds_the_indexed_one() {
        let split = words("hand ball", &["handball"]);
        assert!(split[0]
            .alternatives
            .iter()
            .any(|alt| alt == &vec!["handball".to_owned()]));
        assert!(split[1]
            .alternatives
            .iter()
            .any(|alt| alt == &vec!["handball".to_owned()]));
        let elided = words("loi dohm", &["ohm", "loi"]);
        assert!(elided[1]
            .alternatives
            .iter()
            .any(|alt| alt == &vec!["ohm".to_owned()]));
        let joined = words("tennisdetable", &["tennis", "table"]);
        assert!(
            joined[0].alternatives.is_empty(),
            "needs two known words around the cut: {joined:?}"
        );
    }
}
