//! The resource query and its ranking.
//!
//! Every word must be found, in one of three ways, each with its own tier of score so that the
//! order between them never depends on word frequencies:
//! - exactly: its stem (or a synonym, or the word split or joined) in a stemmed field — the
//!   tier [`EXACT`], plus BM25 weighted title > keywords > description > extracted text;
//! - as the word being typed: an unstemmed word of title, keywords or description starting with
//!   it — [`PREFIX`];
//! - with a typo, only when the word is nowhere in the index as typed: an unstemmed word within
//!   its tolerance — [`TYPO`].
//!
//! A word takes the best of the three. Then, adding within a tier: the words found next to each
//! other in the title or the description (a phrase), and a mild preference for the resources of
//! the viewer's own class and level.

use std::sync::Arc;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::query::{any_of, Fuzzy, Offset};
use super::schema::Fields;
use super::words::QueryWord;
use super::SearchQuery;

/// Score of a word found exactly, whatever field: far above what the other ways can reach (each
/// field a prefix or a typo is found in adds a third of its tier and the field's weight, 4 at
/// most; a typo is looked for in the words and in the stems).
const EXACT: f32 = 100.0;
const PREFIX: f32 = 20.0;
const TYPO: f32 = 5.0;
/// Words of a multi-word query next to each other (up to [`PHRASE_SLOP`] words between them, for
/// the stop words the query drops): in the title, in the description.
const PHRASE_IN_TITLE: f32 = 20.0;
const PHRASE_IN_DESCRIPTION: f32 = 8.0;
const PHRASE_SLOP: u32 = 2;
/// A resource of the viewer's own class (targeted to it) or level: enough to order resources
/// of the same tier, never to lift one above a better match.
const OWN_CLASS: f32 = 3.0;
const OWN_LEVEL: f32 = 2.0;

/// The whole query; `None` when the caller may see nothing at all. The words went through
/// [`mark_found`] (a word found exactly gets no typo tolerance).
pub(crate) fn build(
    fields: &Fields,
    words: &[QueryWord],
    query: &SearchQuery,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|word| (Occur::Must, word_query(fields, word)))
        .collect();
    if words.len() > 1 {
        for (field, boost) in [
            (fields.title_words, PHRASE_IN_TITLE),
            (fields.description_words, PHRASE_IN_DESCRIPTION),
        ] {
            let terms: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .map(|(position, word)| (position, Term::from_field_text(field, &word.folded)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, PHRASE_SLOP);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), boost)),
            ));
        }
    }
    let filters = [
        (fields.discipline, query.disciplines.as_slice()),
        (fields.level, query.levels.as_slice()),
        (fields.kind, query.kinds.as_slice()),
        (fields.theme, query.theme.as_slice()),
    ];
    for (field, values) in filters {
        if !values.is_empty() {
            clauses.push((Occur::Must, any_of(field, values)));
        }
    }
    if let Some(audiences) = &query.audiences {
        if audiences.is_empty() {
            return None;
        }
        clauses.push((Occur::Must, any_of(fields.audience, audiences)));
    }
    if clauses.iter().all(|(occur, _)| *occur == Occur::Should) {
        return Some(Box::new(tantivy::query::AllQuery));
    }
    if !words.is_empty() {
        for (field, values, score) in [
            (fields.audience, &query.own_audiences, OWN_CLASS),
            (fields.level, &query.own_levels, OWN_LEVEL),
        ] {
            if !values.is_empty() {
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(any_of(field, values), score)),
                ));
            }
        }
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Marks the words the index holds as typed: they get no typo tolerance, in the query and in
/// the highlighting.
pub(crate) fn mark_found(fields: &Fields, words: &mut [QueryWord], exists: &dyn Fn(&Term) -> bool) {
    for word in words {
        word.found = fields
            .weighted_text()
            .iter()
            .any(|(field, _)| exists(&Term::from_field_text(*field, &word.stem)))
            || fields
                .weighted_words()
                .iter()
                .any(|(field, _)| exists(&Term::from_field_text(*field, &word.folded)));
    }
}

/// One word: the best of its exact, prefix and typo matches.
fn word_query(fields: &Fields, word: &QueryWord) -> Box<dyn Query> {
    let mut ways: Vec<Box<dyn Query>> = vec![exact(fields, word)];
    let words_fields = fields.weighted_words();
    let found_as_typed = word.found;
    if word.prefix {
        // A typo in the start of a word is forgiven from five letters on, one at most, and only
        // when the word is not a word of the index already.
        let distance = if found_as_typed {
            0
        } else {
            super::words::typo_tolerance(word.folded.chars().count()).min(1)
        };
        if let Some(prefix) = automaton_query(&words_fields, &word.folded, distance, true, PREFIX) {
            ways.push(prefix);
        }
    }
    if word.with_typos() {
        // On the words as written, and on the stems, so that a typo in a singular finds the
        // plural (`fractoin`: `fraction`, stem of `fractions`); the tolerance of a stem follows
        // its own length too, so that a short stem never draws in unrelated words.
        let stem_distance = word
            .max_distance
            .min(super::words::typo_tolerance(word.stem.chars().count()));
        let stemmed = [
            (fields.title, 4.0),
            (fields.keywords, 3.0),
            (fields.description, 2.0),
        ];
        let typos: Vec<(Occur, Box<dyn Query>)> = [
            automaton_query(&words_fields, &word.folded, word.max_distance, false, TYPO),
            (stem_distance > 0)
                .then(|| automaton_query(&stemmed, &word.stem, stem_distance, false, TYPO))
                .flatten(),
        ]
        .into_iter()
        .flatten()
        .map(|query| (Occur::Should, query))
        .collect();
        if !typos.is_empty() {
            ways.push(Box::new(BooleanQuery::new(typos)));
        }
    }
    Box::new(DisjunctionMaxQuery::new(ways))
}

/// The word's stem, or one of its alternatives, in any stemmed field: [`EXACT`] plus the BM25
/// of the stem in each field, weighted. An alternative adds nothing but the tier.
fn exact(fields: &Fields, word: &QueryWord) -> Box<dyn Query> {
    let weighted = fields.weighted_text();
    let mut any_form: Vec<(Occur, Box<dyn Query>)> = weighted
        .iter()
        .map(|&(field, boost)| {
            let term = TermQuery::new(
                Term::from_field_text(field, &word.stem),
                IndexRecordOption::WithFreqs,
            );
            let scored: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), boost));
            (Occur::Should, scored)
        })
        .collect();
    for alternative in &word.alternatives {
        let all: Vec<(Occur, Box<dyn Query>)> = alternative
            .iter()
            .map(|stem| (Occur::Must, in_any(&weighted, stem)))
            .collect();
        any_form.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(all)), 0.0)),
        ));
    }
    Box::new(Offset {
        inner: Box::new(BooleanQuery::new(any_form)),
        offset: EXACT,
    })
}

/// `stem` in any of the fields, unscored.
fn in_any(weighted: &[(Field, f32)], stem: &str) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = weighted
        .iter()
        .map(|&(field, _)| {
            let term: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, stem),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, term)
        })
        .collect();
    Box::new(BooleanQuery::new(terms))
}

/// The unstemmed words within `distance` of `folded` (or starting so, for a prefix); each field
/// they are in adds a third of `tier` and its weight.
fn automaton_query(
    weighted: &[(Field, f32)],
    folded: &str,
    distance: u8,
    prefix: bool,
    tier: f32,
) -> Option<Box<dyn Query>> {
    // The automaton depends on the word only: built once, shared by every field.
    let any_field = Term::from_field_text(Field::from_field_id(0), folded);
    let fuzzy = if prefix {
        FuzzyTermQuery::new_prefix(any_field, distance, true)
    } else {
        FuzzyTermQuery::new(any_field, distance, true)
    };
    let automaton = Arc::new(fuzzy.automaton().ok()?);
    let per_field: Vec<(Occur, Box<dyn Query>)> = weighted
        .iter()
        .map(|&(field, weight)| {
            let matched = Fuzzy {
                field,
                automaton: Arc::clone(&automaton),
            };
            let query: Box<dyn Query> = Box::new(BoostQuery::new(
                Box::new(matched),
                tier / weighted.len() as f32 + weight,
            ));
            (Occur::Should, query)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(per_field)))
}
