//! The resource index: opening (recreated when stale or corrupt), writing, searching.

use std::path::Path;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use super::analysis::{french_analyzer, words_analyzer, FRENCH, WORDS};
use super::facets::FacetCollector;
use super::managed::ManagedIndex;
use super::schema::{self, Fields, ID, SCHEMA_VERSION, UPDATED_AT};
use super::snippet::Highlighter;
use super::words::{query_words, QueryWord};
use super::{Hit, SearchDoc, SearchError, SearchQuery, SearchResults, Sort};

const MAX_PER_PAGE: usize = 100;

/// The search index of one establishment's resources.
pub struct SearchIndex {
    managed: ManagedIndex,
    fields: Fields,
    analyzer: TextAnalyzer,
}

impl SearchIndex {
    /// Opens the index in `dir` (the data dir's `index/`), creating it. An index that is missing,
    /// unreadable or of another schema version is deleted and recreated empty, and
    /// [`needs_rebuild`](Self::needs_rebuild) then asks the caller to feed every resource.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let analyzer = french_analyzer();
        let managed = ManagedIndex::open(
            dir,
            schema,
            SCHEMA_VERSION,
            &[(FRENCH, analyzer.clone()), (WORDS, words_analyzer())],
        )?;
        Ok(SearchIndex {
            managed,
            fields,
            analyzer,
        })
    }

    /// Whether the index was recreated empty and must be fed every resource from the store
    /// (through [`rebuild`](Self::rebuild)).
    pub fn needs_rebuild(&self) -> bool {
        self.managed.needs_rebuild()
    }

    /// Adds a resource or replaces the one with the same id; visible to the next search.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        self.managed.write(|writer| {
            writer.delete_term(Term::from_field_u64(self.fields.id, doc.id));
            writer.add_document(schema::to_document(&self.fields, doc))?;
            Ok(())
        })
    }

    /// Removes a resource (no-op when absent); visible to the next search.
    pub fn delete(&self, id: u64) -> Result<(), SearchError> {
        self.managed.write(|writer| {
            writer.delete_term(Term::from_field_u64(self.fields.id, id));
            Ok(())
        })
    }

    /// Replaces the whole content with `docs`, then merges it into one segment, the fastest to
    /// search; the new content becomes visible at once, and the index is marked complete.
    pub fn rebuild(&self, docs: impl Iterator<Item = SearchDoc>) -> Result<(), SearchError> {
        self.managed.rebuild(|writer| {
            for doc in docs {
                writer.add_document(schema::to_document(&self.fields, &doc))?;
            }
            Ok(())
        })
    }

    /// Runs a search: one page of hits, the total and the facet counts, all limited to what the
    /// query's audiences may see.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.managed.searcher();
        let exists = |term: &Term| searcher.doc_freq(term).is_ok_and(|count| count > 0);
        let words_fields = self.fields.weighted_words().map(|(field, _)| field);
        let known = |word: &str| {
            words_fields
                .iter()
                .any(|field| exists(&Term::from_field_text(*field, word)))
        };
        let mut analyzer = self.analyzer.clone();
        let mut words = query_words(&mut analyzer, &query.text, &known);
        super::ranking::mark_found(&self.fields, &mut words, &exists);
        let mut results = self.search_words(&searcher, query, &words)?;
        if results.total == 0 && !words.is_empty() {
            if let Some(suggestion) =
                super::suggest::closest_query(&searcher, &words_fields, &words, &exists)?
            {
                let retried = SearchQuery {
                    text: suggestion.clone(),
                    page: 1,
                    per_page: 1,
                    ..query.clone()
                };
                let mut retried_words = query_words(&mut analyzer, &retried.text, &known);
                super::ranking::mark_found(&self.fields, &mut retried_words, &exists);
                let found = self.search_words(&searcher, &retried, &retried_words)?;
                if found.total > 0 {
                    results.suggestion = Some(suggestion);
                }
            }
        }
        Ok(results)
    }

    /// One search of analysed `words`.
    fn search_words(
        &self,
        searcher: &tantivy::Searcher,
        query: &SearchQuery,
        words: &[QueryWord],
    ) -> Result<SearchResults, SearchError> {
        let Some(tantivy_query) = super::ranking::build(&self.fields, words, query) else {
            return Ok(SearchResults::default());
        };
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let offset = (query.page.clamp(1, super::MAX_PAGE) - 1) * per_page;
        let top = TopDocs::with_limit(per_page).and_offset(offset);
        // Ties go to the higher id (the newer resource), whatever the documents' order in the
        // index, so that a page holds the same hits before and after a rebuild.
        let by_id = (SortByStaticFastValue::<u64>::for_field(ID), Order::Desc);
        // Without words there is no relevance to speak of: newest first.
        let (ranked, counts) = if words.is_empty() || query.sort == Sort::Newest {
            let by_date = top.order_by((
                (
                    SortByStaticFastValue::<i64>::for_field(UPDATED_AT),
                    Order::Desc,
                ),
                by_id,
            ));
            let (docs, counts) = searcher.search(&*tantivy_query, &(by_date, FacetCollector))?;
            let docs: Vec<(f32, DocAddress)> =
                docs.into_iter().map(|(_, doc)| (0.0, doc)).collect();
            (docs, counts)
        } else {
            let by_score = top.order_by(((SortBySimilarityScore, Order::Desc), by_id));
            let (docs, counts) = searcher.search(&*tantivy_query, &(by_score, FacetCollector))?;
            let docs: Vec<(f32, DocAddress)> = docs
                .into_iter()
                .map(|((score, _), doc)| (score, doc))
                .collect();
            (docs, counts)
        };
        let mut highlighter = Highlighter::new(self.analyzer.clone(), words);
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address) in ranked {
            let stored: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let Some(id) = stored.get_first(self.fields.id).and_then(|v| v.as_u64()) else {
                continue;
            };
            hits.push(Hit {
                id,
                score,
                title_snippet: highlighter.title(self.fields.title, &text(self.fields.title)),
                description_snippet: highlighter
                    .description(self.fields.description, &text(self.fields.description)),
            });
        }
        Ok(SearchResults {
            total: counts.total,
            hits,
            facets: counts.facets,
            suggestion: None,
        })
    }

    /// Bytes the index takes on disk (for operations and benchmarks).
    pub fn size_on_disk(&self) -> Result<u64, SearchError> {
        self.managed.size_on_disk()
    }
}
