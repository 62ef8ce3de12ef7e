//! « Vouliez-vous dire … » : for a query that found nothing, the closest words of the index.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::analysis::within_distance;
use super::words::QueryWord;

/// Edits allowed between a typed word and a word offered in its place; words shorter than
/// [`MIN_LETTERS`] are kept as typed (too many words are near a short one).
const MAX_DISTANCE: u8 = 2;
const MIN_LETTERS: usize = 4;

/// The query with each word the index does not hold replaced by the closest one it holds (fewest
/// edits, then most documents); `None` when no word changes.
pub(crate) fn closest_query(
    searcher: &Searcher,
    fields: &[Field],
    words: &[QueryWord],
    exists: &dyn Fn(&Term) -> bool,
) -> tantivy::Result<Option<String>> {
    let mut changed = false;
    let mut suggested = Vec::with_capacity(words.len());
    for word in words {
        let known = fields
            .iter()
            .any(|field| exists(&Term::from_field_text(*field, &word.folded)));
        let closest = if known || word.folded.chars().count() < MIN_LETTERS {
            None
        } else {
            closest_word(searcher, fields, &word.folded)?
        };
        match closest {
            Some(closest) => {
                changed = true;
                suggested.push(closest);
            }
            None => suggested.push(word.folded.clone()),
        }
    }
    Ok(changed.then(|| suggested.join(" ")))
}

/// The indexed word nearest `folded` in any of `fields`.
fn closest_word(
    searcher: &Searcher,
    fields: &[Field],
    folded: &str,
) -> tantivy::Result<Option<String>> {
    let automaton = FuzzyTermQuery::new(
        Term::from_field_text(Field::from_field_id(0), folded),
        MAX_DISTANCE,
        true,
    )
    .automaton()?;
    // (distance, documents) of each candidate; fewer edits first, then the commoner word.
    let mut best: Option<(u8, u32, String)> = None;
    for segment in searcher.segment_readers() {
        for field in fields {
            let index = segment.inverted_index(*field)?;
            let mut stream = index.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let distance = if within_distance(folded, word, 1) {
                    1
                } else {
                    2
                };
                let documents = stream.value().doc_freq;
                let better = match &best {
                    None => true,
                    Some((d, n, _)) => distance < *d || (distance == *d && documents > *n),
                };
                if better {
                    best = Some((distance, documents, word.to_owned()));
                }
            }
        }
    }
    Ok(best.map(|(_, _, word)| word))
}
