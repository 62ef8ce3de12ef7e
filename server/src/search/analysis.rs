//! French text analysis, shared by indexing, queries and snippets.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The tokenizer name the schema refers to.
pub(crate) const FRENCH: &str = "preau_fr";

/// Queries of at most this many words tolerate typos; longer ones are precise enough already,
/// and fuzzy expansion of every word would cost more than the latency budget allows.
const MAX_FUZZY_WORDS: usize = 2;

/// SimpleTokenizer → LowerCaser → French stop words → AsciiFoldingFilter → French stemmer, so
/// that `eleve` finds `Les élèves`.
///
/// Stop words are removed before folding because the list is accented (`à`, `été`); tokens
/// longer than 40 bytes (URLs, hashes from extracted files) are dropped as noise.
pub(crate) fn french_analyzer() -> TextAnalyzer {
    let stop_words = StopWordFilter::new(Language::French)
        .unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new()));
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The tokenizer of the unstemmed fields (typos and prefixes are matched on whole words).
pub(crate) const WORDS: &str = "preau_words";

/// SimpleTokenizer → LowerCaser → AsciiFoldingFilter, without stemming nor stop words: the
/// words as written, accents and case aside, so that a typo or a prefix is measured against a
/// real word (`fract` is the start of `fractions`, not of the stem `fract` of `fractal`), and
/// phrases keep their positions.
pub(crate) fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// One analysed word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryTerm {
    /// The indexed form (folded, stemmed).
    pub text: String,
    /// Edits a matching indexed term may differ by; 0 for an exact match only.
    pub max_distance: u8,
}

/// Analyses a query into distinct terms and decides their typo tolerance.
///
/// The tolerance follows the length of the word as typed (a stem is shorter): 1 edit from 4
/// letters, 2 from 8, and only for queries of one or two words.
pub(crate) fn query_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryTerm> {
    let mut analysed: Vec<(String, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let typed_len = text
            .get(token.offset_from..token.offset_to)
            .map_or(token.text.chars().count(), |word| word.chars().count());
        if !analysed.iter().any(|(seen, _)| *seen == token.text) {
            analysed.push((token.text.clone(), typed_len));
        }
    }
    let fuzzy = analysed.len() <= MAX_FUZZY_WORDS;
    analysed
        .into_iter()
        .map(|(text, typed_len)| QueryTerm {
            text,
            max_distance: match typed_len {
                _ if !fuzzy => 0,
                8.. => 2,
                4.. => 1,
                _ => 0,
            },
        })
        .collect()
}

/// Whether `a` and `b` are within `max` edits (insertions, deletions, substitutions and
/// transpositions of neighbours), as tantivy's fuzzy queries count them; used to highlight
/// the words a fuzzy query matched.
pub(crate) fn within_distance(a: &str, b: &str, max: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    // Optimal string alignment distance, three rolling rows.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<QueryTerm> {
        query_terms(&mut french_analyzer(), text)
    }

    #[test]
    fn accents_case_and_plurals_analyse_to_the_same_term() {
        assert_eq!(terms("Les élèves")[0].text, terms("eleve")[0].text);
        assert_eq!(terms("fractions")[0].text, terms("Fraction")[0].text);
    }

    #[test]
    fn stop_words_are_not_query_terms() {
        let texts: Vec<String> = terms("la somme des angles")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
    }

    #[test]
    fn typo_tolerance_grows_with_word_length_in_short_queries_only() {
        let distances =
            |text: &str| -> Vec<u8> { terms(text).into_iter().map(|t| t.max_distance).collect() };
        assert_eq!(distances("axe"), vec![0]);
        assert_eq!(distances("fractoin"), vec![2]);
        assert_eq!(distances("cube volume"), vec![1, 1]);
        assert_eq!(distances("cube volume aire"), vec![0, 0, 0]);
    }

    #[test]
    fn distance_counts_transpositions_as_one_edit() {
        assert!(within_distance("fractoin", "fraction", 1));
        assert!(within_distance("triangle", "triangl", 1));
        assert!(!within_distance("cercle", "carre", 1));
        assert!(within_distance("", "", 0));
    }
}
