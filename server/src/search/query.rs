//! Turning a [`SearchQuery`] into one tantivy query: text, filters and permissions together, so
//! that hits, total and facet counts all come from the same visible set.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analysis::QueryTerm;
use super::schema::Fields;
use super::SearchQuery;

/// A fuzzy match scores a constant times the field boost; kept well under any exact BM25 score,
/// and an exact match collects it too, so exact matches always rank above typo matches.
const FUZZY_WEIGHT: f32 = 0.1;

/// The whole query; `None` when the caller may see nothing at all.
pub(crate) fn build(
    fields: &Fields,
    terms: &[QueryTerm],
    query: &SearchQuery,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|term| (Occur::Must, word(fields, term)))
        .collect();
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
    if clauses.is_empty() {
        return Some(Box::new(AllQuery));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// One query word, in any text field with that field's boost, exactly or within its typo
/// tolerance.
fn word(fields: &Fields, term: &QueryTerm) -> Box<dyn Query> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, boost) in fields.weighted_text() {
        let indexed = Term::from_field_text(field, &term.text);
        let exact = TermQuery::new(indexed.clone(), IndexRecordOption::WithFreqs);
        alternatives.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(exact), boost)),
        ));
        if term.max_distance > 0 {
            let fuzzy = FuzzyTermQuery::new(indexed, term.max_distance, true);
            let weight = boost * FUZZY_WEIGHT;
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(fuzzy), weight)),
            ));
        }
    }
    Box::new(BooleanQuery::new(alternatives))
}

/// A filter: documents having one of `values` in `field`, adding nothing to the score.
fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    let terms = values
        .iter()
        .map(|value| Term::from_field_text(field, value));
    Box::new(ConstScoreQuery::new(
        Box::new(TermSetQuery::new(terms)),
        0.0,
    ))
}
