//! Query pieces shared by the indexes: a word in weighted fields (the mail search), a typo
//! automaton as a query, filters that add nothing to the score, and a score offset.

use std::fmt;
use std::sync::Arc;

use tantivy::query::{
    AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, DfaWrapper, EnableScoring,
    Explanation, FuzzyTermQuery, Occur, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::analysis::QueryTerm;

/// A fuzzy match scores a constant times the field boost; kept well under any exact BM25 score,
/// and an exact match collects it too, so exact matches always rank above typo matches.
const FUZZY_WEIGHT: f32 = 0.1;

/// One query word, in any of the `weighted` text fields with that field's boost, exactly or
/// within its typo tolerance.
pub(crate) fn word(weighted: &[(Field, f32)], term: &QueryTerm) -> Box<dyn Query> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // The automaton depends on the word only: built once, shared by every field (building one
    // allocates about a megabyte, and a search used to build it once per field).
    let automaton = (term.max_distance > 0)
        .then(|| {
            let any_field = Term::from_field_text(Field::from_field_id(0), &term.text);
            FuzzyTermQuery::new(any_field, term.max_distance, true).automaton()
        })
        .and_then(Result::ok)
        .map(Arc::new);
    for &(field, boost) in weighted {
        let indexed = Term::from_field_text(field, &term.text);
        let exact = TermQuery::new(indexed, IndexRecordOption::WithFreqs);
        alternatives.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(exact), boost)),
        ));
        if let Some(automaton) = &automaton {
            let fuzzy = Fuzzy {
                field,
                automaton: Arc::clone(automaton),
            };
            let weight = boost * FUZZY_WEIGHT;
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(fuzzy), weight)),
            ));
        }
    }
    Box::new(BooleanQuery::new(alternatives))
}

/// The terms of `field` within the automaton's distance of a word, scored as one constant (as
/// tantivy's `FuzzyTermQuery`, whose automaton it reuses).
#[derive(Clone)]
pub(crate) struct Fuzzy {
    pub field: Field,
    pub automaton: Arc<DfaWrapper>,
}

impl fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fuzzy").field("field", &self.field).finish()
    }
}

impl Query for Fuzzy {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(
            self.field,
            Arc::clone(&self.automaton),
        )))
    }
}

/// A filter: documents having one of `values` in `field`, adding nothing to the score. The sets
/// are small (a person's audiences, the values of a facet), so a union of term queries is used:
/// tantivy's `TermSetQuery` builds an FST for each search, about a megabyte and a half.
pub(crate) fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|value| {
            let term = Term::from_field_text(field, value);
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(terms)),
        0.0,
    ))
}

/// A query whose matches all score `offset` more than `inner` gives them: the tier of a word
/// found exactly, over the BM25 of the fields it is found in, with one pass over the postings
/// (a constant-score union of the same terms beside them would read each posting list twice).
#[derive(Debug)]
pub(crate) struct Offset {
    pub inner: Box<dyn Query>,
    pub offset: Score,
}

impl Clone for Offset {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.box_clone(),
            offset: self.offset,
        }
    }
}

impl Query for Offset {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(OffsetWeight {
            inner: self.inner.weight(scoring)?,
            offset: self.offset,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct OffsetWeight {
    inner: Box<dyn Weight>,
    offset: Score,
}

impl Weight for OffsetWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(OffsetScorer {
            inner: self.inner.scorer(reader, boost)?,
            offset: self.offset * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new("Offset", inner.value() + self.offset);
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct OffsetScorer {
    inner: Box<dyn Scorer>,
    offset: Score,
}

impl DocSet for OffsetScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for OffsetScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.offset
    }
}
